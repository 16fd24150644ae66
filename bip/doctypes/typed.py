"""A page's front matter as typed values (dates as dates), by the fields of its document type: for current
pages after validation and for earlier versions read from history."""

from __future__ import annotations

import datetime as dt
from typing import Any

from bip.doctypes import DOCTYPES, WITHHELD_PARTS, fields_of
from bip.model import Page


def apply_types(page: Page, now: dt.datetime) -> None:
    """Replace raw front matter with typed values (dates as dates); drop what cannot be typed."""
    own = fields_of(page.type if page.type in DOCTYPES else "strona")
    typed: dict[str, Any] = {}
    for key, value in page.meta.items():
        spec = own.get(key)
        if spec is None:
            continue
        if spec.kind == "date":
            typed[key] = typed_date(value) if isinstance(value, str) else None
        elif spec.kind == "datetime":
            typed[key] = typed_datetime(value) if isinstance(value, str) else None
        elif spec.kind == "withheld":
            typed[key] = withheld(value)
        else:
            typed[key] = value
    typed = {k: v for k, v in typed.items() if v is not None}
    typed["type"] = page.type
    page.meta = typed
    page.draft = typed.get("draft") is True
    publish_at = typed.get("publish_at")
    if isinstance(publish_at, dt.datetime):
        page.publish_at = publish_at if publish_at.tzinfo else publish_at.replace(tzinfo=now.tzinfo)
    if isinstance(typed.get("aliases"), list):
        typed["aliases"] = [a.strip("/") + "/" for a in typed["aliases"] if isinstance(a, str) and a.strip("/")]


def withheld(value: Any) -> list[dict[str, Any]] | None:
    """The withholdings that have every part (an earlier version may lack some), their dates as dates."""
    items = []
    for item in value if isinstance(value, list) else []:
        if isinstance(item, dict) and all(isinstance(item.get(k), str) and item[k].strip() for k in WITHHELD_PARTS):
            when = typed_date(item["date"])
            if when is not None:
                items.append({**{k: item[k].strip() for k in WITHHELD_PARTS}, "date": when})
    return items or None


def typed_date(value: Any) -> dt.date | None:
    try:
        return dt.date.fromisoformat(str(value))
    except ValueError:
        return None


def typed_datetime(value: Any) -> dt.datetime | None:
    text = str(value).replace(" ", "T").replace("Z", "+00:00")
    try:
        return dt.datetime.fromisoformat(text)
    except ValueError:
        return None
