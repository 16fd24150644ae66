"""A version's document fields as its page shows them: Polish labels, Polish dates, one row per attachment.

Any value is shown, whatever its type: an earlier version's front matter need not validate today.
"""

from __future__ import annotations

import datetime as dt

from bip.doctypes import COMMON, DOCTYPES
from bip.model import Page
from bip.polish_dates import date_pl

# labels of the metryczka where it names a field otherwise than the schema
_PAGE_LABELS = {"author": "Informację wytworzył", "entered_by": "Informację wprowadził"}
_NOT_SHOWN = {"title", "type", "attachments", "draft"}  # shown otherwise, or never public


def shown(value: object) -> str:
    """A value as the page writes it."""
    if isinstance(value, bool):
        return "tak" if value else "nie"
    if isinstance(value, dt.date):
        return date_pl(value)
    if isinstance(value, list):
        return ", ".join(shown(item) for item in value)
    if isinstance(value, dict):
        return ", ".join(f"{key}: {shown(item)}" for key, item in value.items())
    return "" if value is None else str(value)


def document_fields(page: Page) -> list[tuple[str, str, str]]:
    """(key, label, value shown) of every field the version has, in the order of its page."""
    doctype = DOCTYPES.get(page.type, DOCTYPES["strona"])
    rows = [("title", "Tytuł", page.title),
            ("type", "Rodzaj dokumentu", doctype.label if page.type in DOCTYPES else page.type)]
    for key, spec in [*doctype.fields.items(), *COMMON.items()]:
        if key in _NOT_SHOWN or key not in page.meta or page.meta[key] in (None, "", []):
            continue
        rows.append((key, _PAGE_LABELS.get(key, spec.label), shown(page.meta[key])))
    attachments = page.meta.get("attachments")
    for item in attachments if isinstance(attachments, list) else []:
        if isinstance(item, dict):
            file = shown(item.get("file"))
            title = shown(item.get("title")) or file
            rows.append((f"attachment\0{file}", "Załącznik", f"{title} ({file})" if file else title))
    return rows


def field_changes(old: Page | None, new: Page | None) -> tuple[list[tuple[str, str | None, str | None]], list[str]]:
    """(label, value before, value after) of each changed field (None: the field was not there), in the order
    of the newer page, and the labels of the fields left as they were."""
    before = {key: (label, value) for key, label, value in (document_fields(old) if old else [])}
    after = {key: (label, value) for key, label, value in (document_fields(new) if new else [])}
    changed: list[tuple[str, str | None, str | None]] = []
    same: list[str] = []
    for key in [*after, *(key for key in before if key not in after)]:
        label = (after.get(key) or before[key])[0]
        was = before[key][1] if key in before else None
        now = after[key][1] if key in after else None
        if was == now:
            if label not in same:
                same.append(label)
        else:
            changed.append((label, was, now))
    if old is not None and new is not None and old.url != new.url:  # a file renamed: the page's address moved
        changed.insert(0, ("Adres strony", old.url or "strona główna", new.url or "strona główna"))
    return changed, same
