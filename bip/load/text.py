"""Reading source files as text: UTF-8 with or without BOM, CRLF or LF; binary and huge files refused."""

from __future__ import annotations

import os
from dataclasses import dataclass

MAX_TEXT_BYTES = 4 * 1024 * 1024  # a page or unit.yaml larger than this is surely a mistake


@dataclass
class TextError:
    line: int
    message: str
    hint: str


def read_text(path: str | os.PathLike[str]) -> str | TextError:
    try:
        size = os.path.getsize(path)
        if size > MAX_TEXT_BYTES:
            return TextError(
                1,
                f"Plik jest za duży ({-(-size // 1024)} KiB, dopuszczalne {MAX_TEXT_BYTES // 1024} KiB).",
                "Podziel tekst na kilka stron albo dołącz dokument jako załącznik (PDF).",
            )
        with open(path, "rb") as handle:
            raw = handle.read()
    except OSError as exc:
        return TextError(1, f"Nie można odczytać pliku: {exc.strerror}.", "Sprawdź uprawnienia do pliku.")
    return decode(raw)


def decode(raw: bytes) -> str | TextError:
    if b"\x00" in raw:
        line = raw[: raw.index(b"\x00")].count(b"\n") + 1
        return TextError(
            line,
            "Plik wygląda na binarny (zawiera bajty zerowe), a powinien być tekstem Markdown lub YAML.",
            "Jeśli to dokument (PDF, DOCX), nadaj mu właściwe rozszerzenie i dołącz jako załącznik.",
        )
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        return TextError(
            line,
            "Plik nie jest zapisany w kodowaniu UTF-8 (np. Windows-1250 lub ISO-8859-2), więc polskie litery byłyby zniekształcone.",
            "Zapisz plik ponownie w kodowaniu UTF-8: w Notatniku „Zapisz jako” → Kodowanie: UTF-8; "
            "w VS Code kliknij nazwę kodowania na pasku stanu → „Zapisz z kodowaniem” → UTF-8.",
        )
    if "\r" in text:
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    return text


@dataclass
class FrontMatter:
    yaml_text: str
    yaml_line: int  # 1-based line in the file where the YAML text starts
    body: str
    body_line: int


def split_front_matter(text: str) -> FrontMatter | TextError:
    """Split `---`-delimited YAML front matter from the Markdown body, keeping line numbers."""
    lines = text.split("\n")
    if not lines or lines[0].rstrip() != "---":
        return TextError(
            1,
            "Brak nagłówka strony na początku pliku.",
            "Zacznij plik od linii „---”, potem „title: Tytuł strony”, potem znowu „---”.",
        )
    for index in range(1, len(lines)):
        if lines[index].rstrip() in ("---", "..."):
            return FrontMatter(
                yaml_text="\n".join(lines[1:index]) + "\n",
                yaml_line=2,
                body="\n".join(lines[index + 1 :]),
                body_line=index + 2,
            )
    return TextError(
        1,
        "Nagłówek strony nie jest zamknięty linią „---”.",
        "Dodaj linię „---” po ostatnim polu nagłówka, przed treścią strony.",
    )
