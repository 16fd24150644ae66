"""YAML as bip writes it for editors to read and edit (`bip new`) and for the demo region: scalars plain
where that reads back as the same text, else double-quoted; block mappings and lists of the few shapes used."""

from __future__ import annotations

import json
import re
from typing import Any

import yaml

# Text that YAML reads back as the same string without quotes: dates (bip keeps them as text) or
# words that start with a letter, hold no comment or newline and do not end in a space or colon.
_PLAIN = re.compile(
    r"\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}(:\d{2})?([+-]\d{2}:\d{2}|Z)?)?"
    r"|(?!(?i:y|n|yes|no|on|off|true|false|null)$)[A-Za-zĄĆĘŁŃÓŚŹŻąćęłńóśźż„(][^\n#\"]*(?<![ :])"
)
# Characters YAML writes unescaped inside double quotes; text of only these is quoted alike by JSON
_UNESCAPED = re.compile("[\x20-\x7e\xa0-\ud7ff\ue000-\ufefe\uff00-\ufffd]*")


def quoted(text: str) -> str:
    """Text as a double-quoted YAML value (what the editors' docs write)."""
    if _UNESCAPED.fullmatch(text):
        return json.dumps(text, ensure_ascii=False)  # the same bytes as PyYAML's, much faster
    return yaml.safe_dump(text, default_style='"', allow_unicode=True, width=10**6).strip()


def scalar(value: Any) -> str:
    """One YAML scalar: plain where that reads back as the same text, else double-quoted."""
    kind = type(value)
    if kind is str:
        if _PLAIN.fullmatch(value) and ": " not in value and _UNESCAPED.fullmatch(value):
            return value
        return quoted(value)
    if kind is bool:
        return "true" if value else "false"
    if kind is int:
        return str(value)
    return scalar(str(value))


def yaml_text(data: dict[str, Any], indent: str = "") -> str:
    """Block YAML of scalars, mappings, and lists of scalars or flat mappings."""
    lines: list[str] = []
    for key, value in data.items():
        name = scalar(key)
        if isinstance(value, dict):
            lines.append(f"{indent}{name}:\n{yaml_text(value, indent + '  ').rstrip()}")
        elif isinstance(value, list):
            lines.append(f"{indent}{name}:")
            for item in value:
                if isinstance(item, dict):
                    prefix = indent + "  - "
                    for item_key, item_value in item.items():
                        lines.append(f"{prefix}{scalar(item_key)}: {scalar(item_value)}")
                        prefix = indent + "    "
                else:
                    lines.append(f"{indent}  - {scalar(item)}")
        else:
            lines.append(f"{indent}{name}: {scalar(value)}")
    return "\n".join(lines) + "\n" if lines else ""
