"""The unit as the fault boundary: where in a unit a failure happened, and the problem that reports it.

The steps that handle one file (loading a page, checking it, rendering it or an earlier version of it)
mark it with `at(file, commit)`; when anything escapes to the unit's boundary, the innermost marked
place is where the report points to.
"""

from __future__ import annotations

import errno
import os
import signal
import traceback
from collections.abc import Iterator
from contextlib import contextmanager

from bip.problems import Problem

Place = tuple[str, str]  # (file, commit of an earlier version or "")

_stack: list[Place] = []
_failed_at: list[Place] = []


# The machine, not the unit: a full disk or a read-only output stops the whole build (exit code 3).
ENVIRONMENT_ERRNOS = {errno.ENOSPC, errno.EDQUOT, errno.EROFS}


# Fault injection, for the tests of the unit boundary: "kill:<unit id>" makes the process rendering that
# unit kill itself with SIGKILL (as the kernel's out-of-memory killer would).
FAILPOINT = "BIP_FAILPOINT"


def failpoint(unit_id: str) -> None:
    if os.environ.get(FAILPOINT) == f"kill:{unit_id}":
        os.kill(os.getpid(), signal.SIGKILL)


def fatal(exc: BaseException) -> bool:
    """What ends the whole build instead of failing one unit: Ctrl+C, exit, and a full or read-only disk."""
    return isinstance(exc, KeyboardInterrupt | SystemExit | GeneratorExit) or (
        isinstance(exc, OSError) and exc.errno in ENVIRONMENT_ERRNOS)


@contextmanager
def at(file: str, commit: str = "") -> Iterator[None]:
    commit = commit or next((c for _, c in reversed(_stack) if c), "")
    _stack.append((file, commit))
    try:
        yield
    except BaseException:
        if not _failed_at:
            _failed_at.append((file, commit))
        raise
    finally:
        _stack.pop()


def commit() -> str:
    """The commit of the earlier version being handled now ("" for the current content)."""
    return _stack[-1][1] if _stack else ""


def reset() -> None:
    _stack.clear()
    _failed_at.clear()


def where() -> Place | None:
    """The innermost place marked when the failure left it (or still marked, if it left through a generator)."""
    if _failed_at:
        return _failed_at[0]
    return _stack[-1] if _stack else None


def unit_failure(unit_source: str, exc: BaseException, step: str = "") -> Problem:
    """The one problem that reports a failure inside a unit: the unit, the file, the commit, the kind.
    `step`: the step that failed when it is not the build of the unit (then nothing of the unit is published
    either, but the wording differs)."""
    place = where()
    file, commit = place if place is not None else (unit_source, "")
    version = f" (jego wersji z commita {commit[:12]})" if commit else ""
    unit = unit_source.removeprefix("content/")
    if step:
        what, after = f"Przerwano {step} podmiotu „{unit}”:", "Pozostałe podmioty nie są tym dotknięte."
    else:
        what, after = (f"Podmiot „{unit}” nie został zbudowany:",
                       "Poprzednia wersja jego serwisu pozostaje opublikowana, pozostałe podmioty są publikowane.")
    detail = "".join(traceback.format_exception(exc))
    if isinstance(exc, PermissionError):  # the machine's setup, not a bug: say what to fix
        return Problem(
            file, 1, "", f"{what} brak uprawnień do odczytu „{exc.filename}”. {after}",
            "Nadaj użytkownikowi, który buduje serwis, prawo odczytu tego folderu lub pliku (chmod, chown).",
            internal=True, detail=detail,
        )
    return Problem(
        file, 1, "",
        f"{what} błąd programu ({type(exc).__name__}) przy przetwarzaniu tego pliku{version}. {after}",
        "To nie jest błąd w treści. Zgłoś go administratorowi bip; pełny opis pokaże opcja --debug.",
        internal=True, detail=detail,
    )


def worker_death(unit_source: str, cause: str) -> Problem:
    """The problem of a unit whose worker process died (`cause`: how, in Polish)."""
    unit = unit_source.removeprefix("content/")
    return Problem(
        unit_source, 1, "",
        f"Podmiot „{unit}” nie został zbudowany: proces, który go budował, przerwał pracę ({cause}). "
        "Poprzednia wersja serwisu podmiotu pozostaje opublikowana.",
        "To nie jest błąd w treści. Sprawdź pamięć maszyny budującej i uruchom budowę ponownie; jeśli się powtarza, "
        "zgłoś to administratorowi bip.", internal=True,
    )
