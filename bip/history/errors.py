"""The one error of the history step, with a Polish message and hint for the editor."""

from __future__ import annotations


class HistoryError(Exception):
    """Git history cannot be read; `message` says why, `hint` what to do (both Polish)."""

    def __init__(self, message: str, hint: str = "") -> None:
        super().__init__(message)
        self.message = message
        self.hint = hint

    def __str__(self) -> str:
        return f"{self.message}\n    → {self.hint}" if self.hint else self.message
