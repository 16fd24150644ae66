"""The slug rule (file names → URLs) and path safety for attachments.

Slug rule: each path segment is transliterated (Polish letters to Latin: ą→a, ł→l, ż→z …),
lower-cased, every run of other characters becomes one "-", and leading/trailing "-" are dropped.
A page `Uchwała Nr 12.md` in folder `Uchwały` gets the URL `uchwaly/uchwala-nr-12/`; a folder's
`index.md` gets the folder's URL. Attachments keep their extension in lower case.

These examples are checked by the tests (tests/test_load.py runs them as doctests):

>>> page_url("Uchwały/Uchwała Nr 12.md")
'uchwaly/uchwala-nr-12/'
>>> page_url("Uchwały/index.md")
'uchwaly/'
>>> page_url("index.md")
''
>>> slug("Zażółć gęślą jaźń – ŁÓDŹ")
'zazolc-gesla-jazn-lodz'
>>> file_url("Zamówienia/Załącznik Nr 1 (SWZ).PDF")
'zamowienia/zalacznik-nr-1-swz.pdf'
"""

from __future__ import annotations

import os
import posixpath
import stat
from functools import lru_cache

from slugify import slugify

UNIT_ID_CHARS = set("abcdefghijklmnopqrstuvwxyz0123456789-")


@lru_cache(maxsize=1 << 16)
def slug(segment: str) -> str:
    return slugify(segment, lowercase=True)


def short_slug(text: str, limit: int) -> str:
    """The slug of `text` in at most `limit` characters, cut at a word end (a file name made from a title)."""
    name = slug(text)
    if len(name) > limit:
        cut = name[: limit + 1]
        name = cut[: cut.rindex("-")] if "-" in cut else cut[:limit]
    return name.strip("-")


def page_url(relative: str) -> str:
    """URL of a page from its path relative to the unit folder ("a/b.md" → "a/b/", "index.md" → "")."""
    parts = relative.split("/")
    stem = parts[-1][:-3] if parts[-1].lower().endswith(".md") else parts[-1]
    segments = [slug(p) for p in parts[:-1]]
    if stem.lower() != "index":
        segments.append(slug(stem))
    return "".join(s + "/" for s in segments)


def file_url(relative: str) -> str:
    """URL of an attachment from its path relative to the unit folder."""
    parts = relative.split("/")
    name = parts[-1]
    stem, dot, ext = name.rpartition(".")
    if not dot or not stem:
        stem, ext = name, ""
    segments = [slug(p) for p in parts[:-1]]
    leaf = slug(stem) + ("." + ext.lower() if ext else "")
    return "/".join([*segments, leaf])


def is_valid_unit_id(name: str) -> bool:
    return bool(name) and set(name) <= UNIT_ID_CHARS and not name.startswith("-")


def attachment_problem(page_dir: str, reference: str, unit_dir: str, content_dir: str,
                       folders: dict[str, str] | None = None) -> str | None:
    """Why an attachment reference is unsafe or missing (Polish), or None when it is fine.

    page_dir is a filesystem path; unit_dir and content_dir are resolved ones (os.path.realpath).
    `folders`: folders resolved before (path → os.path.realpath), kept across the calls of one unit; a file
    that is not a symlink resolves to its resolved folder and its name, without an lstat per component.
    """
    if reference.startswith(("/", "\\")) or os.path.isabs(reference) or ":" in reference.split("/")[0]:
        return "Ścieżka załącznika nie może być bezwzględna."
    parts = reference.replace("\\", "/").split("/")
    if ".." in parts:
        return "Ścieżka załącznika nie może zawierać „..” (wychodzić poza folder podmiotu)."
    full = os.path.join(page_dir, *parts)
    try:
        found = os.lstat(full)
    except (OSError, ValueError):  # as os.path.lexists
        return "Brak pliku załącznika."
    if stat.S_ISLNK(found.st_mode) or folders is None:
        real = os.path.realpath(full)
        regular = os.path.isfile(real)
    else:
        folder, name = os.path.split(full)
        if folder not in folders:
            folders[folder] = os.path.realpath(folder)
        real, regular = os.path.join(folders[folder], name), stat.S_ISREG(found.st_mode)
    if os.path.commonpath([real, content_dir]) != content_dir:
        return "Załącznik jest dowiązaniem (symlinkiem) prowadzącym poza folder content/."
    if os.path.commonpath([real, unit_dir]) != unit_dir:
        return "Załącznik prowadzi poza folder podmiotu."
    if not regular:
        return "Załącznik nie jest zwykłym plikiem."
    return None


def alias_problem(alias: str) -> str | None:
    """Why an old address (`aliases`) cannot get a redirect page (Polish), or None when it can.

    A redirect is written at the alias path inside the unit's output folder, so the path must stay there.
    """
    if "://" in alias or alias.startswith("//") or ":" in alias.split("/")[0]:
        return "Dawny adres musi być ścieżką w serwisie podmiotu, bez „https://” i nazwy domeny."
    if "\\" in alias or any(c in alias for c in "?#") or any(ord(c) < 32 for c in alias):
        return "Dawny adres nie może zawierać znaków „\\”, „?”, „#” ani znaków sterujących."
    parts = alias.strip("/").split("/")
    if any(part in ("", ".", "..") for part in parts):
        return "Dawny adres nie może zawierać „..”, „.” ani pustych części (wychodzić poza serwis podmiotu)."
    return None


def join_url(base: str, reference: str) -> str:
    return posixpath.normpath(posixpath.join(base, reference))
