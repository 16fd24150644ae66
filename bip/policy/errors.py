"""The one error of the policy step, with a Polish message and hint."""

from __future__ import annotations


class PolicyError(Exception):
    def __init__(self, message: str, hint: str = "") -> None:
        super().__init__(message)
        self.message = message
        self.hint = hint
