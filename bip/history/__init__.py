"""Change registry data: every version of every content file, from one pass over git history."""

from .errors import HistoryError
from .history import SHALLOW_HINT, History, PendingStatus, read_history

__all__ = ["SHALLOW_HINT", "History", "HistoryError", "PendingStatus", "read_history"]
