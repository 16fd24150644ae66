"""Whether a commit message says something: it is the public reason for a change in the change registry.

The words that say nothing are data (empty_messages.txt); a message says nothing when fewer than
MIN_WORDS other words are left. Checked once per distinct message: a cheap test, no git process.
"""

from __future__ import annotations

import re
from functools import cache
from importlib import resources

MIN_WORDS = 2
_WORD = re.compile(r"\w+")


@cache
def empty_words() -> frozenset[str]:
    text = resources.files("bip.history").joinpath("empty_messages.txt").read_text(encoding="utf-8")
    return frozenset(w.strip().lower() for w in text.splitlines() if w.strip() and not w.startswith("#"))


@cache
def says_nothing(message: str) -> bool:
    """True for an empty message, one of only such words as "update", "poprawki", "wip", or a single word."""
    words = [w for w in _WORD.findall(message.lower()) if w not in empty_words()]
    return len(words) < MIN_WORDS
