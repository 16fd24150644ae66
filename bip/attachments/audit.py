"""Accessibility findings for one attachment: what is wrong for a screen-reader user and how to fix it."""

from __future__ import annotations

from dataclasses import dataclass

from bip.attachments.model import Extraction
from bip.problems import Problem

# a document shorter than this is a form or a note: no headings are needed
HEADINGS_FROM_CHARS = 1500

SAVE_TAGGED = ("W Wordzie: Plik → Zapisz jako → PDF → Opcje → zaznacz «Dokument z tagami» (Znaczniki struktury "
               "dokumentu dla ułatwień dostępu); w LibreOffice: Plik → Eksportuj jako PDF → zaznacz «PDF z tagami».")


@dataclass(frozen=True, order=True)
class Finding:
    """One accessibility or reading problem of an attachment file (path relative to the project root)."""

    file: str
    code: str
    message: str  # Polish: what is wrong
    hint: str  # Polish: what to do

    def problem(self, file: str | None = None, line: int = 1, key: str = "", name: str = "") -> Problem:
        """As a warning; `file`/`line`/`key` may point at the page that links the attachment (then the message
        names the attachment: `name` as the page writes it, else its path)."""
        message = self.message if file is None or file == self.file else f"Załącznik „{name or self.file}”: {self.message}"
        return Problem(file or self.file, max(1, line), key, message, self.hint, "warning")


STATUS = {
    "encrypted": ("Plik jest zabezpieczony hasłem: nie otworzy go nikt, kto nie zna hasła, ani wyszukiwarka.",
                  "Opublikuj wersję bez hasła (w Wordzie: Plik → Informacje → Chroń dokument → Szyfruj przy użyciu "
                  "hasła → usuń hasło; w PDF: zapisz ponownie bez zabezpieczeń)."),
    "corrupt": ("Pliku nie da się otworzyć: jest uszkodzony albo ma inny format, niż mówi jego rozszerzenie.",
                "Otwórz plik u siebie; zapisz go ponownie z programu, w którym powstał, i podmień załącznik."),
    "too_big": ("Plik jest zbyt duży lub zbyt złożony, by odczytać jego tekst (przekracza limit rozmiaru lub pamięci).",
                "Sprawdź, czy to właściwy plik; duży dokument podziel na części albo zapisz ponownie "
                "(PDF: opcja «zoptymalizowany do sieci» lub «minimalny rozmiar»)."),
    "timeout": ("Odczytanie tekstu pliku trwało zbyt długo i zostało przerwane.",
                "Zapisz plik ponownie z programu, w którym powstał (np. bez osadzonych skanów w wysokiej "
                "rozdzielczości), albo podziel go na części."),
    "crashed": ("Pliku nie udało się odczytać: program czytający przerwał pracę (plik uszkodzony lub zbyt złożony).",
                "Otwórz plik u siebie i zapisz go ponownie z programu, w którym powstał; potem podmień załącznik."),
}


# Each finding in a few words, as the deklaracja dostępności lists an inaccessible attachment; the gravest first
REASONS = {
    "encrypted": "plik zabezpieczony hasłem",
    "corrupt": "plik uszkodzony",
    "too_big": "plik zbyt duży, by odczytać tekst",
    "timeout": "tekstu nie udało się odczytać",
    "crashed": "tekstu nie udało się odczytać",
    "pdf-scan": "skan bez warstwy tekstowej",
    "pdf-scanned-pages": "część stron to skany bez tekstu",
    "pdf-untagged": "brak tagów (struktury dokumentu)",
    "pdf-no-lang": "brak określonego języka",
    "pdf-no-title": "brak tytułu dokumentu",
    "doc-image-no-alt": "obrazy bez tekstu alternatywnego",
    "doc-no-headings": "brak nagłówków",
    "sheet-merged-header": "scalone komórki w nagłówku tabeli",
}


def reasons(findings: list[Finding]) -> str:
    """The findings of one attachment in one short Polish phrase ("skan bez warstwy tekstowej, brak tagów …")."""
    codes = {f.code for f in findings}
    words = [word for code, word in REASONS.items() if code in codes]
    return ", ".join(dict.fromkeys(words + sorted(codes - set(REASONS))))


def _pages(numbers: tuple[int, ...]) -> str:
    shown = ", ".join(str(n) for n in numbers[:10])
    return shown + (f" i {len(numbers) - 10} innych" if len(numbers) > 10 else "")


def audit(file: str, extraction: Extraction) -> list[Finding]:
    """Findings for one attachment, sorted by code. An unsupported kind has none."""
    if extraction.status == "unsupported":
        return []
    if extraction.status != "ok":
        message, hint = STATUS[extraction.status]
        return [Finding(file, extraction.status, message, hint)]
    kind, facts = extraction.kind, extraction.facts
    found: list[Finding] = []
    if kind == "pdf":
        if facts.pages and len(facts.image_pages) == facts.pages:
            found.append(Finding(
                file, "pdf-scan",
                "PDF jest skanem bez warstwy tekstowej: czytnik ekranu nie odczyta z niego ani słowa, a wyszukiwarka go nie znajdzie.",
                "Opublikuj dokument zapisany jako PDF wprost z edytora (Word, Writer), nie skan wydruku; jeśli masz "
                "tylko papier, przepuść skan przez rozpoznawanie tekstu (OCR) i sprawdź wynik.",
            ))
        elif facts.image_pages:
            found.append(Finding(
                file, "pdf-scanned-pages",
                f"Strony {_pages(facts.image_pages)} PDF są obrazami bez tekstu (skanami): czytnik ekranu ich nie odczyta.",
                "Wstaw te strony jako tekst z dokumentu źródłowego albo przepuść je przez rozpoznawanie tekstu (OCR).",
            ))
        if not facts.tagged:
            found.append(Finding(
                file, "pdf-untagged",
                "PDF nie ma tagów (struktury dokumentu): czytnik ekranu nie rozpozna nagłówków, list ani tabel.",
                SAVE_TAGGED,
            ))
        if not facts.lang:
            found.append(Finding(
                file, "pdf-no-lang",
                "PDF nie ma określonego języka: czytnik ekranu może czytać polski tekst z obcą wymową.",
                "Przed zapisem jako PDF ustaw język polski w edytorze (Word: Recenzja → Język → Ustaw język "
                "sprawdzania → polski); w Acrobacie: Plik → Właściwości → Zaawansowane → Język.",
            ))
        if not facts.title:
            found.append(Finding(
                file, "pdf-no-title",
                "PDF nie ma tytułu we właściwościach dokumentu: czytnik ekranu przeczyta zamiast niego nazwę pliku.",
                "Wpisz tytuł (Word: Plik → Informacje → Właściwości → Tytuł; LibreOffice: Plik → Właściwości → "
                "Opis → Tytuł) i zapisz PDF ponownie.",
            ))
    if kind in ("docx", "odt"):
        if facts.images_without_alt:
            count = facts.images_without_alt
            found.append(Finding(
                file, "doc-image-no-alt",
                f"Obrazy bez tekstu alternatywnego: {count} z {facts.images}. Osoba niewidoma nie dowie się, co przedstawiają.",
                "Kliknij obraz prawym przyciskiem → «Edytuj tekst alternatywny» (Word) lub «Właściwości → Opcje → "
                "Tekst alternatywny» (LibreOffice) i opisz, co przedstawia; obraz ozdobny oznacz jako dekoracyjny.",
            ))
        if not facts.headings and len(extraction.text) >= HEADINGS_FROM_CHARS:
            found.append(Finding(
                file, "doc-no-headings",
                "Dokument nie ma nagłówków: osoba korzystająca z czytnika ekranu nie przejdzie od razu do potrzebnej części.",
                "Tytuły części oznacz stylami «Nagłówek 1», «Nagłówek 2» (Narzędzia główne → Style) zamiast "
                "pogrubienia i większej czcionki.",
            ))
    if kind in ("xlsx", "ods") and facts.merged_headers:
        found.append(Finding(
            file, "sheet-merged-header",
            f"Scalone komórki w wierszu nagłówka ({', '.join(facts.merged_headers[:5])}): czytnik ekranu źle "
            "przypisze nagłówki do kolumn.",
            "Rozdziel scalone komórki (Narzędzia główne → Scal i wyśrodkuj → Rozdziel komórki) i wpisz nagłówek w "
            "każdej kolumnie; tytuł tabeli wpisz nad nią albo w nazwie arkusza.",
        ))
    return sorted(found)
