"""The YAML values `bip new` and the demo write read back as what was written, and quoted text is what
PyYAML's own double-quoted style writes."""

from __future__ import annotations

import yaml
from hypothesis import given
from hypothesis import strategies as st

from bip.yaml_values import quoted, scalar, yaml_text


@given(st.text())
def test_quoted_text_is_pyyaml_own_and_reads_back(text: str) -> None:
    assert quoted(text) == yaml.safe_dump(text, default_style='"', allow_unicode=True, width=10**6).strip()
    assert yaml.safe_load(quoted(text)) == text


@given(st.text(alphabet=st.characters(blacklist_categories=("Cs",))))
def test_a_scalar_reads_back_as_the_same_text(text: str) -> None:
    assert yaml.safe_load(f"key: {scalar(text)}")["key"] == text


def test_plain_where_plain_reads_back_and_quoted_elsewhere() -> None:
    assert scalar("Uchwała budżetowa") == "Uchwała budżetowa"
    assert scalar("2024-05-20") == "2024-05-20"
    assert scalar("tak: nie") == '"tak: nie"'
    assert scalar("yes") == '"yes"'
    assert scalar('Kto „zawinił”?\n"cytat"\t\x7f') == '"Kto „zawinił”?\\n\\"cytat\\"\\t\\x7F"'
    data = {"title": "Ogłoszenie nr 1/2024", "editors": [{"name": "Anna Nowak", "email": "a@b.pl"}], "tags": ["a"],
            "contact": {"phone": "68 123 45 67"}, "draft": True, "pages": 3}
    assert yaml.safe_load(yaml_text(data)) == data
