"""argparse in Polish: a translation catalogue of argparse's own texts and a help formatter.

argparse looks every text it shows up with gettext (`_()` and `ngettext()` in its module); `install()`
points those two names at this catalogue, so usage lines, help headings and every usage error argparse
composes come out in Polish whatever the system's locale. The formatter adds "(domyślnie: …)" to an
option's description.
"""

from __future__ import annotations

import argparse
import gettext

# argparse's msgids (Python 3.11–3.13) → Polish
CATALOGUE: dict[str, str] = {
    "usage: ": "użycie: ",
    "positional arguments": "argumenty",
    "options": "opcje",
    "optional arguments": "opcje",
    "subcommands": "polecenia",
    "show this help message and exit": "pokaż tę pomoc i zakończ",
    "%(prog)s: error: %(message)s\n": "%(prog)s: błąd użycia: %(message)s\n",
    "argument %(argument_name)s: %(message)s": "%(argument_name)s: %(message)s",
    "unrecognized arguments: %s": "nieznane argumenty: %s",
    "not allowed with argument %s": "nie można użyć razem z %s",
    "ignored explicit argument %r": "zbędna wartość %r",
    "the following arguments are required: %s": "brak wymaganych argumentów: %s",
    "one of the arguments %s is required": "wymagany jest jeden z argumentów: %s",
    "expected one argument": "podaj wartość",
    "expected at most one argument": "podaj najwyżej jedną wartość",
    "expected at least one argument": "podaj co najmniej jedną wartość",
    "ambiguous option: %(option)s could match %(matches)s": "niejednoznaczna opcja %(option)s, pasuje do: %(matches)s",
    "unexpected option string: %s": "nieoczekiwana opcja: %s",
    "%r is not callable": "%r nie jest funkcją",
    "invalid %(type)s value: %(value)r": "nieprawidłowa wartość %(value)r",
    "invalid choice: %(value)r (choose from %(choices)s)": "nieznana wartość %(value)r (dozwolone: %(choices)s)",
    "unknown parser %(parser_name)r (choices: %(choices)s)": "nieznane polecenie %(parser_name)r (dozwolone: %(choices)s)",
    "can't open '%(filename)s': %(error)s": "nie można otworzyć „%(filename)s”: %(error)s",
    "conflicting subparser: %s": "powtórzone polecenie: %s",
    "conflicting subparser alias: %s": "powtórzony alias polecenia: %s",
    "cannot have multiple subparser arguments": "tylko jeden argument może wybierać polecenie",
    "mutually exclusive arguments must be optional": "wykluczające się argumenty muszą być opcjami",
    "show program's version number and exit": "pokaż wersję programu i zakończ",
}
# ngettext's (singular, plural) → Polish forms for 1, for 2–4 (not 12–14), for the rest
PLURALS: dict[tuple[str, str], tuple[str, str, str]] = {
    ("expected %s argument", "expected %s arguments"): ("podaj %s wartość", "podaj %s wartości", "podaj %s wartości"),
    ("conflicting option string: %s", "conflicting option strings: %s"):
        ("powtórzona opcja: %s", "powtórzone opcje: %s", "powtórzone opcje: %s"),
}


class PolishArgparse(gettext.NullTranslations):
    """The catalogue as a gettext translation; a text it lacks is shown as argparse wrote it."""

    def gettext(self, message: str) -> str:
        return CATALOGUE.get(message, message)

    def ngettext(self, msgid1: str, msgid2: str, n: int) -> str:
        forms = PLURALS.get((msgid1, msgid2))
        if forms is None:
            return msgid1 if n == 1 else msgid2
        if n == 1:
            return forms[0]
        return forms[1] if 2 <= n % 10 <= 4 and not 12 <= n % 100 <= 14 else forms[2]


def install() -> None:
    """Make argparse speak Polish (its module-level gettext names; this process only)."""
    translation = PolishArgparse()
    argparse._ = translation.gettext  # type: ignore[attr-defined]
    argparse.ngettext = translation.ngettext  # type: ignore[attr-defined]


class HelpFormatter(argparse.HelpFormatter):
    """argparse's formatter, adding each option's default to its description (unless it says it already)."""

    def _get_help_string(self, action: argparse.Action) -> str:
        text = action.help or ""
        default = action.default
        if ("%(default)" in text or "domyślnie" in text or default is None or isinstance(default, bool)
                or default == argparse.SUPPRESS or default == [] or not action.option_strings):
            return text
        return text + " (domyślnie: %(default)s)"
