"""The JSON Schemas shipped in the package are exactly what the document type table generates,
`bip schema` writes them, and they say everything SPEC §2 says about front matter and unit.yaml."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from importlib import resources
from pathlib import Path

import jsonschema
import pytest
from conftest import REPO, run_bip
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bip.demo import generate
from bip.doctypes import COMMON, DOCTYPES, UNIT_KINDS, schema
from bip.load.yamlfile import YamlDoc, parse_yaml
from bip.validate.schema_check import is_valid, validator

SPEC_UNIT_KEYS = {"name", "kind", "parent", "address", "phone", "email", "epuap", "nip", "regon", "teryt", "head",
                  "editor", "editors", "base_url", "theme", "theme_options", "menu"}
SPEC_PAGE_KEYS = {"title", "type", "author", "created", "published", "entered_by", "draft", "publish_at",
                  "valid_until", "attachments", "aliases", "weight"}
SPEC_TYPES = {
    "strona": set(),
    "uchwala": {"number", "adopted", "status", "repealed_by", "journal"},
    "zarzadzenie": {"number", "adopted", "status"},
    "ogloszenie": set(),
    "etr": set(),
    "zamowienie": {"reference", "procedure", "deadline", "status", "result"},
    "nabor": {"position", "deadline", "status", "result"},
    "oswiadczenie": {"person", "position", "year", "kind"},
    "protokol": {"session", "date"},
    "petycja": {"submitted", "subject", "status", "answer_date"},
}
SPEC_ENUMS = {
    ("uchwala", "status"): {"obowiązująca", "uchylona", "zmieniona"},
    ("zarzadzenie", "status"): {"obowiązująca", "uchylona", "zmieniona"},
    ("zamowienie", "status"): {"w toku", "rozstrzygnięte", "unieważnione"},
    ("nabor", "status"): {"w toku", "rozstrzygnięte", "unieważnione"},
    ("oswiadczenie", "kind"): {"początkowe", "roczne", "końcowe"},
    ("petycja", "status"): {"w toku", "rozpatrzona", "pozostawiona bez rozpatrzenia"},
}


def shipped_text(name: str) -> str:
    return resources.files("bip.schemas").joinpath(schema.SCHEMA_FILES[name]).read_text(encoding="utf-8")


@pytest.mark.parametrize("name", sorted(schema.SCHEMA_FILES))
def test_shipped_schema_is_the_generated_one(name: str) -> None:
    # byte for byte, so a changed document type table without `bip schema` fails here
    assert shipped_text(name) == schema.dumps(schema.generated()[name]), (
        f"bip/schemas/{schema.SCHEMA_FILES[name]} is stale: run `python -m bip schema --out bip/schemas`"
    )


@pytest.mark.parametrize("name", sorted(schema.SCHEMA_FILES))
def test_schemas_are_valid_draft_2020_12(name: str) -> None:
    data = json.loads(shipped_text(name))
    assert data["$schema"] == "https://json-schema.org/draft/2020-12/schema"
    jsonschema.Draft202012Validator.check_schema(data)


def test_bip_schema_writes_the_shipped_files(tmp_path: Path) -> None:
    out = tmp_path / "schematy"
    proc = run_bip(tmp_path, "schema", "--out", str(out))
    assert proc.returncode == 0, proc.stderr
    written = sorted(p.name for p in out.iterdir())
    assert written == sorted(schema.SCHEMA_FILES.values())
    for name, filename in schema.SCHEMA_FILES.items():
        assert (out / filename).read_text(encoding="utf-8") == shipped_text(name)


def test_checker_validates_against_the_shipped_files() -> None:
    from bip.validate.schema_check import validator

    for name in schema.SCHEMA_FILES:
        assert validator(name).schema == json.loads(shipped_text(name))


def page_schema() -> dict:
    return json.loads(shipped_text("page"))


def branch(doctype: str) -> dict:
    for item in page_schema()["allOf"]:
        if item["if"]["properties"]["type"]["const"] == doctype:
            return item["then"]
    return {"required": [], "properties": {}}


def test_spec_types_are_the_document_types() -> None:
    assert set(DOCTYPES) == set(SPEC_TYPES)
    assert set(page_schema()["properties"]["type"]["enum"]) == set(SPEC_TYPES)


@pytest.mark.parametrize("doctype", sorted(DOCTYPES))
def test_every_key_of_every_document_type_is_in_the_schema(doctype: str) -> None:
    properties = page_schema()["properties"]
    own = branch(doctype)
    assert SPEC_TYPES[doctype] <= set(DOCTYPES[doctype].fields)
    for key in DOCTYPES[doctype].fields:
        assert key in properties, key
        assert key in own["properties"], key
        assert own["properties"][key]["description"] == DOCTYPES[doctype].fields[key].label
    assert set(own.get("required", [])) == set(DOCTYPES[doctype].required)
    assert set(own["required"]) <= set(DOCTYPES[doctype].fields)


def test_common_keys_and_required_title() -> None:
    data = page_schema()
    assert SPEC_PAGE_KEYS <= set(COMMON) <= set(data["properties"])
    assert data["required"] == ["title"]
    assert data["additionalProperties"] is False  # unknown keys are reported (as warnings)


@pytest.mark.parametrize(("where", "values"), sorted(SPEC_ENUMS.items()))
def test_enum_values_per_type(where: tuple[str, str], values: set[str]) -> None:
    doctype, key = where
    assert set(branch(doctype)["properties"][key]["enum"]) == values


def test_unit_schema_has_every_spec_key() -> None:
    data = json.loads(shipped_text("unit"))
    assert set(data["properties"]) >= SPEC_UNIT_KEYS
    assert sorted(data["required"]) == ["kind", "name"]
    assert set(data["properties"]["kind"]["enum"]) == set(UNIT_KINDS) == {
        "gmina", "gmina-miejska", "miasto-na-prawach-powiatu", "powiat", "wojewodztwo", "jednostka"}


def front_matters(root: Path = REPO) -> list[tuple[str, dict]]:
    found = []
    for path in sorted((root / "content").rglob("*.md")):
        text = path.read_text(encoding="utf-8-sig").replace("\r\n", "\n")
        if text.startswith("---\n") and "\n---" in text[3:]:
            doc = parse_yaml(text[4:text.index("\n---", 3)])
            if isinstance(doc, YamlDoc) and isinstance(doc.data, dict):
                found.append((path.relative_to(root).as_posix(), doc.data))
    return found


def test_sample_content_satisfies_the_schema_as_an_editor_would_check_it() -> None:
    """What an editor's editor (VS Code with the schema) would flag in the sample content: nothing."""
    pages = front_matters()
    if not pages:
        pytest.skip("the repository has no sample content")
    page_validator = jsonschema.Draft202012Validator(page_schema())
    unit_validator = jsonschema.Draft202012Validator(json.loads(shipped_text("unit")))
    problems = [f"{path}: {e.message}" for path, data in pages for e in page_validator.iter_errors(data)]
    for path in sorted((REPO / "content").glob("*/unit.yaml")):
        doc = parse_yaml(path.read_text(encoding="utf-8"))
        assert isinstance(doc, YamlDoc)
        problems += [f"{path.relative_to(REPO)}: {e.message}" for e in unit_validator.iter_errors(doc.data)]
    assert problems == []
    assert {data.get("type", "strona") for _, data in pages} == set(DOCTYPES)  # every type appears in the sample


# --- the compiled schema (fastjsonschema) says valid exactly when jsonschema does -------------------------

SCALARS = st.one_of(
    st.text(max_size=20), st.integers(min_value=-5, max_value=3000), st.booleans(), st.none(),
    st.floats(allow_nan=False, allow_infinity=False), st.dates().map(str), st.dates(),
    st.sampled_from(["2024-02-30", "2024-13-01", "2024-1-5", "20240105", "2024-06-10T10:00", "2024-06-10T25:00",
                     "", " ", "obowiązująca", "w toku", "uchwala", "XII/1/2024", "plik.pdf", "../../etc/passwd"]),
)
VALUES = st.recursive(SCALARS, lambda inner: st.one_of(st.lists(inner, max_size=3),
                                                       st.dictionaries(st.text(max_size=8), inner, max_size=3)),
                      max_leaves=8)


def _agree(name: str, data: object) -> None:
    assert is_valid(name, data) == validator(name).is_valid(data), data


def test_compiled_schema_agrees_on_the_sample_and_demo_content(tmp_path: Path) -> None:
    generate(tmp_path / "demo", 3, 60, 20, seed=3)
    pages = front_matters() + front_matters(tmp_path / "demo")
    assert len(pages) > 150
    for _, data in pages:
        _agree("page", data)
    for path in [*sorted((REPO / "content").glob("*/unit.yaml")), *sorted((tmp_path / "demo").glob("content/*/unit.yaml"))]:
        doc = parse_yaml(path.read_text(encoding="utf-8"))
        assert isinstance(doc, YamlDoc)
        _agree("unit", doc.data)


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.data())
def test_compiled_schema_agrees_on_changed_front_matter(data: st.DataObject) -> None:
    """A valid page's front matter with keys changed, removed or added: both validators give the same verdict."""
    valid = [meta for _, meta in front_matters()]
    meta = dict(data.draw(st.sampled_from(valid)))
    keys = sorted({key for page in valid for key in page} | {"type", "number", "status", "nieznany"})
    for _ in range(data.draw(st.integers(min_value=1, max_value=3))):
        key = data.draw(st.sampled_from(keys))
        if data.draw(st.booleans()) and key in meta:
            del meta[key]
        else:
            meta[key] = data.draw(VALUES)
    _agree("page", meta)
    if meta.get("attachments") and isinstance(meta["attachments"], list):
        meta["attachments"] = [dict(item, file=data.draw(VALUES)) if isinstance(item, dict) else item
                               for item in meta["attachments"]]
        _agree("page", meta)


def test_date_format_is_checked_as_jsonschema_checks_it() -> None:
    """Valid data never imports jsonschema: the compiled schemas check the "date" format with a copy of
    jsonschema's check, which must say what it says for every kind of string."""
    from jsonschema import FormatChecker

    from bip.validate.schema_check import is_date

    checker = FormatChecker(["date"])
    values: list[object] = [
        "2024-02-29", "2023-02-29", "2024-13-01", "2024-00-10", "2024-01-00", "2024-1-05", "24-01-05", "2024-01-05 ",
        " 2024-01-05", "2024-01-05\n", "2024-01-05T10:00", "20240105", "２０２４-01-05", "2024-01-٠٥", "", "9999-12-31",
        "0000-01-01", "0001-01-01", "2024/01/05", "2024-W01-1", "2024-001", None, 5, 2024.0, True, [], {},
    ]
    values += [f"2024-{month:02}-{day:02}" for month in range(0, 14) for day in range(0, 33)]
    for value in values:
        assert is_date(value) == checker.conforms(value, "date"), value


def test_a_build_with_valid_content_does_not_import_jsonschema() -> None:
    code = ("import sys, bip.cli, bip.build; from bip.validate.schema_check import is_valid; "
            "assert is_valid('unit', {}) in (True, False); print('jsonschema' in sys.modules)")
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(filter(None, [str(REPO), os.environ.get("PYTHONPATH")]))}
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True, env=env)
    assert proc.stdout.strip() == "False"


@given(st.text(alphabet="0123456789-٠٥２ T:\n", max_size=12))
@settings(max_examples=500, deadline=None)
def test_any_string_is_a_date_for_both_or_for_neither(value: str) -> None:
    from jsonschema import FormatChecker

    from bip.validate.schema_check import is_date

    assert is_date(value) == FormatChecker(["date"]).conforms(value, "date")
