"""The output's ledger of published versions: a rewritten history refuses the unit that lost a version until an
administrator acknowledges it; rejestr.json and version pages carry commit ids and SHA-256."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import re
import shutil
import subprocess
from importlib import resources
from pathlib import Path

import jsonschema
import pytest
from conftest import NOW, REGION, basic_files, commit_files, git, page, run_bip
from pdfs import accessible_pdf
from test_policy import ADMIN, Repo, built, unit_page
from test_policy import repo as signed_repo

from bip.build import build
from bip.job import Options
from bip.publish.ledger import Ledger
from bip.publish.store import Store

ZALACZNIK = accessible_pdf("Załącznik do uchwały")

UCHWALA = "content/gmina-testowa/uchwaly/uchwala-xii-123-2024.md"
OTHER = "content/gmina-druga/index.md"


def two_units() -> dict[str, str | bytes]:
    files = basic_files()
    files.update(basic_files("gmina-druga"))
    files[".gitignore"] = ".bip-cache/\n"
    files["content/gmina-testowa/uchwaly/zalacznik.pdf"] = ZALACZNIK
    files[UCHWALA] = page("Uchwała w sprawie budżetu gminy na 2024 rok", "Rada Gminy uchwala budżet.",
                          type="uchwala", number='"XII/123/2024"', adopted="2024-03-01", status="obowiązująca",
                          attachments='[{file: zalacznik.pdf, title: "Załącznik nr 1"}]')
    return files


def run(root: Path, out: Path, **extra: object):
    return build(Options(root, out, now=dt.datetime.fromisoformat(NOW), jobs=1, **extra))  # type: ignore[arg-type]


def ledger_lines(out: Path, unit: str = "gmina-testowa") -> list[dict]:
    path = Store(out).base / "ledger" / f"{unit}.jsonl"
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]


def live_text(out: Path, unit: str, url: str) -> str:
    return (out / unit / url / "index.html").read_text(encoding="utf-8")


@pytest.fixture
def root(tmp_path: Path) -> Path:
    """Two units; gmina-testowa's resolution published in a second version ("poprawka") by the last commit."""
    folder = tmp_path / "projekt"
    folder.mkdir()
    commit_files(folder, two_units(), "Początek", date="2024-05-20T10:00:00+02:00")
    text = (folder / UCHWALA).read_text(encoding="utf-8").replace("uchwala budżet.", "uchwala budżet (poprawka).")
    commit_files(folder, {UCHWALA: text}, "Poprawka uchwały", date="2024-06-03T09:30:00+02:00")
    return folder


def schema() -> dict:
    return json.loads(resources.files("bip.schemas").joinpath("registry.schema.json").read_text(encoding="utf-8"))


def head(root: Path) -> str:
    return git(root, "rev-parse", "HEAD").strip()


def test_a_reset_refuses_the_unit_that_lost_a_version_until_it_is_acknowledged(root: Path, tmp_path: Path) -> None:
    out = tmp_path / "public"
    lost = head(root)
    result = run(root, out)
    assert not result.failed, result.problems.errors
    assert {(e["page"], e["commit"]) for e in ledger_lines(out)} >= {(UCHWALA, lost)}
    url = "uchwaly/uchwala-xii-123-2024"

    git(root, "reset", "-q", "--hard", "HEAD~1")  # the published "poprawka" is gone from history
    commit_files(root, {OTHER: page("Strona główna", "Nowa treść drugiej gminy.")}, "Zmiana strony głównej",
                 date="2024-06-10T08:00:00+02:00")
    result = run(root, out)
    errors = [p for p in result.problems.errors if p.key == "ledger"]
    assert len(errors) == 1, result.problems.errors
    assert errors[0].file == UCHWALA
    assert lost[:12] in errors[0].message and "2024-06-03" in errors[0].message
    assert "lost_versions_acknowledged" in errors[0].hint
    status = {u.id: u.status for u in result.units}
    assert status["gmina-testowa"] == "failed" and status["gmina-druga"] == "built"
    assert "(poprawka)" in live_text(out, "gmina-testowa", url)  # the refused unit's last site stays
    assert "Nowa treść drugiej gminy" in (out / "gmina-druga/index.html").read_text(encoding="utf-8")

    # the administrator acknowledges the loss: the unit publishes, the ledger keeps the lost version
    region = REGION + f"policy:\n  lost_versions_acknowledged:\n    - commit: {lost[:10]}\n" \
                      "      reason: Omyłkowo opublikowana poprawka\n"
    commit_files(root, {"content/region.yaml": region}, "Potwierdzenie utraty wersji", date="2024-06-11T08:00:00+02:00")
    result = run(root, out)
    assert not result.failed, result.problems.errors
    assert "(poprawka)" not in live_text(out, "gmina-testowa", url)
    assert (UCHWALA, lost) in {(e["page"], e["commit"]) for e in ledger_lines(out)}
    record = json.loads((out / "gmina-testowa/rejestr-zmian/rejestr.json").read_text(encoding="utf-8"))
    jsonschema.validate(record, schema(), format_checker=jsonschema.FormatChecker())
    assert [(e["commit"], e["reason"]) for e in record["lost_versions"]] == [(lost, "Omyłkowo opublikowana poprawka")]
    assert lost not in {e["commit"] for e in record["entries"]}


def test_an_amended_commit_is_refused_and_accepted_counts_as_acknowledgement(root: Path, tmp_path: Path) -> None:
    out = tmp_path / "public"
    lost = head(root)
    assert not run(root, out).failed
    text = (root / UCHWALA).read_text(encoding="utf-8").replace("(poprawka)", "(poprawka druga)")
    (root / UCHWALA).write_text(text, encoding="utf-8")
    git(root, "commit", "-q", "-a", "--amend", "-m", "Poprawka uchwały", date="2024-06-03T09:30:00+02:00")
    result = run(root, out)
    assert [p.file for p in result.problems.errors] == [UCHWALA]
    assert lost[:12] in result.problems.errors[0].message
    before = ledger_lines(out)
    commit_files(root, {"content/region.yaml": REGION + f"policy:\n  accepted: [{lost}]\n"}, "Akceptacja",
                 date="2024-06-11T08:00:00+02:00")
    result = run(root, out)
    assert not result.failed, result.problems.errors
    after = ledger_lines(out)
    assert [e for e in before if e not in after] == []  # never loses an entry
    record = json.loads((out / "gmina-testowa/rejestr-zmian/rejestr.json").read_text(encoding="utf-8"))
    assert [(e["commit"], e["reason"]) for e in record["lost_versions"]] == [(lost, "")]
    amended = git(root, "rev-parse", "HEAD~1").strip()
    assert {lost, amended} <= {e["commit"] for e in after if e["page"] == UCHWALA}


def test_registry_json_validates_and_carries_commits_and_digests(root: Path, tmp_path: Path) -> None:
    out = tmp_path / "public"
    assert not run(root, out).failed
    record = json.loads((out / "gmina-testowa/rejestr-zmian/rejestr.json").read_text(encoding="utf-8"))
    jsonschema.validate(record, schema(), format_checker=jsonschema.FormatChecker())
    versions = [e for e in record["entries"] if e["page"] == UCHWALA]
    assert [e["kind"] for e in versions] == ["dodanie", "zmiana"]
    for entry in versions:
        source = subprocess.run(["git", "show", f"{entry['commit']}:{UCHWALA}"], cwd=root, capture_output=True,
                                check=True).stdout
        assert entry["sha256"] == hashlib.sha256(source).hexdigest()
        assert entry["attachments"] == [{"file": "content/gmina-testowa/uchwaly/zalacznik.pdf",
                                         "sha256": hashlib.sha256(ZALACZNIK).hexdigest()}]
    first, second = versions
    assert first["diff_url"] is None and (out / "gmina-testowa" / first["version_url"]).is_file()
    assert (out / "gmina-testowa" / second["diff_url"]).is_file()
    assert second["version_url"] == "uchwaly/uchwala-xii-123-2024/"  # the live page shows the last version
    # every file version too, with its digest
    assert [(f["file"], f["sha256"]) for f in record["files"]] == [
        ("content/gmina-testowa/uchwaly/zalacznik.pdf", hashlib.sha256(ZALACZNIK).hexdigest())]
    listing = (out / "gmina-testowa/rejestr-zmian/index.html").read_text(encoding="utf-8")
    assert 'href="../rejestr-zmian/rejestr.json"' in listing
    # a document that does not follow the schema is refused by it (the test can fail)
    broken = {**record, "entries": [{**versions[0], "sha256": "nie-skrót"}]}
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate(broken, schema())


def test_version_page_shows_commit_and_content_digest(root: Path, tmp_path: Path) -> None:
    out = tmp_path / "public"
    assert not run(root, out).failed
    record = json.loads((out / "gmina-testowa/rejestr-zmian/rejestr.json").read_text(encoding="utf-8"))
    first = next(e for e in record["entries"] if e["page"] == UCHWALA)
    html = (out / "gmina-testowa" / first["version_url"]).read_text(encoding="utf-8")
    assert re.search(rf'<code class="commit">{first["commit"]}</code>', html)
    assert re.search(rf'<code class="sha256">{first["sha256"]}</code>', html)
    # the current version has no version page (it is the live page): its page history shows both
    last = [e for e in record["entries"] if e["page"] == UCHWALA][-1]
    html = (out / "gmina-testowa" / last["history_url"]).read_text(encoding="utf-8")
    assert f'<code class="commit">{last["commit"]}</code>' in html and f'<code class="sha256">{last["sha256"]}</code>' in html


def test_no_change_build_keeps_the_ledger_byte_identical(root: Path, tmp_path: Path) -> None:
    out = tmp_path / "public"
    assert not run(root, out).failed
    folder = Store(out).base / "ledger"
    files = sorted(p.name for p in folder.iterdir())
    assert files == ["gmina-druga.jsonl", "gmina-testowa.jsonl", "state.json"]
    first = {name: (folder / name).read_bytes() for name in files}
    inodes = {name: (folder / name).stat().st_ino for name in files}
    for _ in range(2):
        again = run(root, out)
        assert {u.status for u in again.units} == {"unchanged"}
        # nothing read back and nothing written: the check that passed while building is remembered
        assert {name: (folder / name).read_bytes() for name in files} == first
        assert {name: (folder / name).stat().st_ino for name in files} == inodes
    assert "ledger" in again.stages


def test_shards_and_merge_keep_the_ledger_and_refuse_a_lost_version(root: Path, tmp_path: Path) -> None:
    merged = tmp_path / "polaczony"
    shards = []
    for k in (1, 2):
        out = tmp_path / f"czesc-{k}"
        proc = run_bip(root, "build", "--now", NOW, "--shard", f"{k}/2", "--out", str(out))
        assert proc.returncode == 0, proc.stderr
        shards.append(str(out))
    proc = run_bip(root, "merge", *shards, "--out", str(merged), "--now", NOW)
    assert proc.returncode == 0, proc.stderr
    lost = head(root)
    assert (UCHWALA, lost) in {(e["page"], e["commit"]) for e in ledger_lines(merged)}
    assert ledger_lines(merged, "gmina-druga")

    git(root, "reset", "-q", "--hard", "HEAD~1")
    fresh = []
    for k in (1, 2):
        out = tmp_path / f"nowa-czesc-{k}"
        assert run_bip(root, "build", "--now", NOW, "--shard", f"{k}/2", "--out", str(out)).returncode == 0
        fresh.append(str(out))
    proc = run_bip(root, "merge", *fresh, "--out", str(merged), "--now", NOW)
    assert proc.returncode != 0 and lost[:12] in proc.stderr
    assert "(poprawka)" in live_text(merged, "gmina-testowa", "uchwaly/uchwala-xii-123-2024")


def test_a_reset_to_a_state_whose_snapshot_still_exists_is_refused_too(root: Path, tmp_path: Path) -> None:
    """Going back to an earlier commit finds that commit's snapshot unchanged and reusable: the ledger still
    refuses it, since the version published after it is gone."""
    out = tmp_path / "public"
    tip = head(root)
    git(root, "reset", "-q", "--hard", "HEAD~1")
    assert not run(root, out).failed
    git(root, "reset", "-q", "--hard", tip)
    assert not run(root, out).failed
    git(root, "reset", "-q", "--hard", "HEAD~1")
    result = run(root, out)
    assert [(p.file, tip[:12] in p.message) for p in result.problems.errors] == [(UCHWALA, True)]
    assert {u.id: u.status for u in result.units} == {"gmina-druga": "unchanged", "gmina-testowa": "failed"}
    assert "(poprawka)" in live_text(out, "gmina-testowa", "uchwaly/uchwala-xii-123-2024")


repo = pytest.fixture(signed_repo.__wrapped__, name="repo")  # signed commits with real keys (tests/test_policy.py)


def test_in_enforce_mode_only_a_signed_acknowledgement_unblocks(repo: Repo, tmp_path: Path) -> None:
    """With the publishing policy on, the acknowledgement is a change of region.yaml: an administrator's
    signature is what makes it count; unsigned, the policy holds every unit back."""
    out = tmp_path / "public"
    kept = repo.commit({"content/gmina-a/index.md": page("A pierwsza")}, signer="ewa")
    lost = repo.commit({"content/gmina-a/index.md": page("A druga")}, signer="ewa")
    assert not built(repo, out).has_errors()
    repo.git("reset", "-q", "--hard", "HEAD~1")
    problems = built(repo, out)
    assert [p.key for p in problems.errors] == ["ledger"] and lost[:12] in problems.errors[0].message
    assert "A druga" in unit_page(out, "gmina-a")

    text = (repo.root / "content/region.yaml").read_text(encoding="utf-8")
    acknowledged = text.replace("policy:\n", "policy:\n  lost_versions_acknowledged:\n"
                                f"  - commit: {lost}\n    reason: Wycofanie omyłkowej zmiany\n", 1)
    repo.commit({"content/region.yaml": acknowledged}, "Potwierdzenie bez podpisu", email=ADMIN)
    problems = built(repo, out)
    assert {p.key for p in problems.errors} == {"policy"}  # an unsigned region.yaml change: nothing publishes
    assert "A druga" in unit_page(out, "gmina-a")

    repo.git("reset", "-q", "--hard", "HEAD~1")
    repo.commit({"content/region.yaml": acknowledged}, "Potwierdzenie utraty wersji", email=ADMIN, signer="admin")
    problems = built(repo, out)
    assert not problems.has_errors(), [p.format() for p in problems.sorted()]
    assert "A pierwsza" in unit_page(out, "gmina-a")
    record = json.loads((out / "gmina-a/rejestr-zmian/rejestr.json").read_text(encoding="utf-8"))
    assert [(e["commit"], e["reason"]) for e in record["lost_versions"]] == [(lost, "Wycofanie omyłkowej zmiany")]
    signed = next(e for e in record["entries"] if e["commit"] == kept)
    assert signed["signature"].startswith("podpis zweryfikowany: ewa.nowak")


def test_a_ledger_prepared_while_units_render_is_what_recording_alone_writes(root: Path, tmp_path: Path) -> None:
    out = tmp_path / "public"
    assert not run(root, out).failed
    store = Store(out)
    folder = store.base / "ledger"
    built = {p.name: p.read_bytes() for p in sorted(folder.iterdir())}  # the build prepares, then records
    snapshots = {unit: (out / unit).resolve() for unit in ("gmina-druga", "gmina-testowa")}

    def anew(prepared: dict[str, Path]) -> dict[str, bytes]:
        shutil.rmtree(folder)
        folder.mkdir()
        ledger = Ledger(store)
        for unit, snapshot in prepared.items():
            ledger.prepare(unit, snapshot)
        for unit, snapshot in snapshots.items():
            ledger.record(unit, snapshot)
        ledger.save()
        return {p.name: p.read_bytes() for p in sorted(folder.iterdir())}

    alone = anew({})
    assert sorted(alone) == ["gmina-druga.jsonl", "gmina-testowa.jsonl", "state.json"]
    assert anew(snapshots) == alone
    # prepared for a snapshot that does not go live: merged anew, and nothing of it left behind
    assert anew({"gmina-testowa": snapshots["gmina-druga"]}) == alone
    assert {k: v for k, v in built.items() if k != "state.json"} == {k: v for k, v in alone.items() if k != "state.json"}
