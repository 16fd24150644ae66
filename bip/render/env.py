"""The Jinja2 environment: theme lookup (unit overrides → project theme → installed theme), filters."""

from __future__ import annotations

import datetime as dt
from functools import cache
from pathlib import Path

import jinja2

from bip.attachments.label import size_pl
from bip.job import CACHE_DIR
from bip.polish_dates import date_pl, local
from bip.render.themes import theme_dirs


def iso(value: object) -> str:
    if isinstance(value, dt.datetime):
        return local(value).isoformat(timespec="minutes")
    if isinstance(value, dt.date):
        return value.isoformat()
    return ""


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
    env.filters.update(date_pl=date_pl, iso=iso, filesize=size_pl)
    return env


def unit_environment(root: Path, unit_source: str, theme: str) -> jinja2.Environment:
    overrides = root / unit_source / "templates"
    dirs = ([overrides] if overrides.is_dir() else []) + [d / "templates" for d in theme_dirs(root, theme)]
    return environment(tuple(dirs), root / CACHE_DIR / "templates")
