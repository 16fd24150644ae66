"""The Jinja2 environment: theme lookup (unit overrides → project theme → installed theme), filters."""

from __future__ import annotations

import datetime as dt
from functools import cache, lru_cache
from pathlib import Path
from zoneinfo import ZoneInfo

import jinja2
from babel.dates import format_date, format_datetime

from bip.job import CACHE_DIR
from bip.render.themes import theme_dirs

WARSAW = ZoneInfo("Europe/Warsaw")


def local(value: dt.datetime) -> dt.datetime:
    """Times are shown as Polish citizens read them: in Warsaw time, whatever zone git recorded."""
    return value.astimezone(WARSAW) if value.tzinfo else value


def date_pl(value: object) -> str:
    """"5 czerwca 2024 r.", with the hour when it is not midnight (Warsaw time); "—" for nothing."""
    try:
        return _date_pl(value)
    except TypeError:  # not hashable: not a date either
        return _format_pl(value)


@lru_cache(maxsize=8192, typed=True)  # babel formats a date in 0.1 ms; a unit shows the same dates on many pages
def _date_pl(value: object) -> str:
    return _format_pl(value)


def _format_pl(value: object) -> str:
    if isinstance(value, dt.datetime):
        value = local(value)
        if value.hour == 0 and value.minute == 0 and value.second == 0:
            return format_date(value.date(), format="long", locale="pl") + " r."
        return format_datetime(value, "d MMMM y 'r.', 'godz.' HH:mm", locale="pl")
    if isinstance(value, dt.date):
        return format_date(value, format="long", locale="pl") + " r."
    return str(value) if value not in (None, "") else "—"


def iso(value: object) -> str:
    if isinstance(value, dt.datetime):
        return local(value).isoformat(timespec="minutes")
    if isinstance(value, dt.date):
        return value.isoformat()
    return ""


def filesize(size: int) -> str:
    if size < 1024:
        return f"{size} B"
    if size < 1024 * 1024:
        return f"{size / 1024:.1f} KB".replace(".", ",")
    return f"{size / 1024 / 1024:.1f} MB".replace(".", ",")


@cache
def environment(template_dirs: tuple[Path, ...], compiled: Path | None = None) -> jinja2.Environment:
    """`compiled`: a folder for compiled templates (checked against each template's source when loaded),
    so that a build does not compile every template again (a third of a second)."""
    bytecode = None
    if compiled is not None:
        try:
            compiled.mkdir(parents=True, exist_ok=True)
            bytecode = jinja2.FileSystemBytecodeCache(str(compiled))
        except OSError:
            bytecode = None
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader([str(d) for d in template_dirs]),
        bytecode_cache=bytecode,
        autoescape=True,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
        auto_reload=False,
    )
    env.filters.update(date_pl=date_pl, iso=iso, filesize=filesize)
    return env


def unit_environment(root: Path, unit_source: str, theme: str) -> jinja2.Environment:
    overrides = root / unit_source / "templates"
    dirs = ([overrides] if overrides.is_dir() else []) + [d / "templates" for d in theme_dirs(root, theme)]
    return environment(tuple(dirs), root / CACHE_DIR / "templates")
