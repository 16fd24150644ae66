"""The publishing policy: real SSH and OpenPGP keys, real signed commits, verified by git."""

from __future__ import annotations

import datetime as dt
import os
import subprocess
from pathlib import Path

import pytest
import yaml
from conftest import REGION, UNIT, page, run_bip

from bip.build import Options, build
from bip.history import read_history
from bip.policy.enforce import evaluate
from bip.policy.model import fingerprint, region_policy, ssh_key, unit_editors
from bip.problems import Problems
from bip.validate.schema_check import check

NOW = dt.datetime.fromisoformat("2026-11-25T12:00:00+01:00")
ADMIN = "admin@region.example"
EWA = "ewa.nowak@testowo.example"  # editor of gmina-a
OLA = "ola@b.example"  # editor of gmina-b


class Repo:
    """A real repository whose commits are signed with real keys (or not)."""

    def __init__(self, root: Path, keys: Path) -> None:
        self.root, self.keys = root, keys
        self.start = ""  # the commit the policy is in force after (policy.since)
        root.mkdir()
        self.git("init", "-q", "-b", "main")

    def key(self, name: str) -> str:
        path = self.keys / name
        if not path.exists():
            subprocess.run(["ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-C", name, "-f", str(path)], check=True)
        return path.with_suffix(".pub").read_text().strip()

    def git(self, *args: str, email: str = EWA, env: dict[str, str] | None = None) -> str:
        full = {**os.environ, "GIT_CONFIG_NOSYSTEM": "1", "HOME": str(self.keys),
                "GIT_AUTHOR_NAME": email.split("@")[0], "GIT_AUTHOR_EMAIL": email,
                "GIT_COMMITTER_NAME": email.split("@")[0], "GIT_COMMITTER_EMAIL": email,
                "GIT_AUTHOR_DATE": "2024-05-20T10:00:00+02:00", "GIT_COMMITTER_DATE": "2024-05-20T10:00:00+02:00",
                **(env or {})}
        return subprocess.run(["git", *args], cwd=self.root, env=full, capture_output=True, text=True,
                              check=True).stdout.strip()

    def commit(self, files: dict[str, str | None], message: str = "Zmiana", email: str = EWA,
               signer: str | None = None) -> str:
        for relative, text in files.items():
            path = self.root / relative
            if text is None:
                path.unlink()
                continue
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(text, encoding="utf-8")
        self.git("add", "-A")
        sign = ["-c", "gpg.format=ssh", "-c", f"user.signingkey={self.keys / signer}", "commit", "-S"] if signer \
            else ["commit"]
        self.git(*sign, "-q", "-m", message, email=email)
        return self.git("rev-parse", "HEAD")


def region(since: str = "", mode: str = "enforce", admin_key: str = "", accepted: tuple[str, ...] = (),
           forge: str = "") -> str:
    data: dict = {"policy": {"mode": mode}, "administrators": {ADMIN: {"name": "Jan Admin", "keys": [admin_key]}}}
    if since:
        data["policy"]["since"] = since
    if accepted:
        data["policy"]["accepted"] = list(accepted)
    if forge:
        data["policy"]["forge_keys"] = {"GitHub": forge}
    return REGION + yaml.safe_dump(data, allow_unicode=True)


def unit(editors: dict[str, list[str]]) -> str:
    text = UNIT.split("editors:")[0] + "editors:\n" + "".join(
        f"  {email}:\n    name: \"{email.split('@')[0]}, redaktor\"\n    keys: [\"{keys[0]}\"]\n" if keys
        else f"  {email}: \"{email.split('@')[0]}, redaktor\"\n" for email, keys in editors.items())
    return text + "accessibility:" + UNIT.split("accessibility:")[1]


@pytest.fixture
def repo(tmp_path: Path) -> Repo:
    """Two units (gmina-a: Ewa, gmina-b: Ola) and an administrator, all with keys; the policy since the start."""
    keys = tmp_path / "keys"
    keys.mkdir()
    r = Repo(tmp_path / "projekt", keys)
    admin, ewa, ola = r.key("admin"), r.key("ewa"), r.key("ola")
    r.commit({".gitignore": ".bip-cache/\n", "content/region.yaml": REGION,
              "content/gmina-a/unit.yaml": unit({EWA: [ewa]}), "content/gmina-a/index.md": page("A"),
              "content/gmina-b/unit.yaml": unit({OLA: [ola]}), "content/gmina-b/index.md": page("B")},
             "Początek", email=ADMIN)
    r.start = r.commit({"content/region.yaml": region(admin_key=admin)}, "Zasady", email=ADMIN)
    # the policy is in force from here on: the commits up to this one are "sprzed wdrożenia zasad"
    r.commit({"content/region.yaml": region(since=r.start, admin_key=admin)}, "Od kiedy", email=ADMIN,
             signer="admin")
    return r


def findings(r: Repo) -> list[tuple[str, str, tuple[str, ...]]]:
    data = yaml.load((r.root / "content/region.yaml").read_text(), Loader=yaml.SafeLoader)
    history = read_history(r.root, "content")
    outcome = evaluate(r.root, region_policy(data), history, r.root / ".bip-cache" / "policy")
    return sorted((f.verdict.commit, f.area, f.paths) for f in outcome.findings)


def test_policy_and_long_editors_parse_and_validate() -> None:
    key = "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIOMqqnkVzrm0SdG6UOoqKLsabgH5C9okWi0dh2l9GKJl magda"
    editors = unit_editors({"editors": {"a@x.example": "Anna", "b@x.example": {"name": "Bea", "keys": [key],
                                                                              "forge": "@bea"}}})
    assert editors["a@x.example"].keys == () and editors["b@x.example"].keys == (ssh_key(key),)
    assert editors["b@x.example"].forge == "bea"
    assert fingerprint(key).startswith("SHA256:") and len(fingerprint(key)) == 50
    problems = Problems()
    data = {"name": "R", "policy": {"mode": "always"}, "administrators": {"x@y.example": {"keys": ["zzz"]}}}
    lines = {("name",): 1, ("policy",): 2, ("policy", "mode"): 3, ("administrators",): 4,
             ("administrators", "x@y.example"): 5, ("administrators", "x@y.example", "keys"): 5,
             ("administrators", "x@y.example", "keys", 0): 5}
    check("region", data, lines, "content/region.yaml", problems)
    found = {(p.line, p.severity) for p in problems.sorted()}
    assert (3, "error") in found and any(line == 5 for line, _ in found)
    problems = Problems()
    check("unit", {"name": "G", "kind": "gmina", "editors": {"b@x.example": {"name": "Bea", "keys": [key]}}},
          {}, "content/g/unit.yaml", problems)
    assert not [p for p in problems.errors if p.key.startswith("editors")]


def test_editor_and_administrator_signatures_authorise(repo: Repo) -> None:
    repo.commit({"content/gmina-a/index.md": page("A2")}, signer="ewa")
    repo.commit({"content/gmina-b/index.md": page("B2"), "content/region.yaml": (repo.root / "content/region.yaml")
                 .read_text() + "theme: default\n"}, email=ADMIN, signer="admin")
    assert findings(repo) == []


def test_unsigned_commit_with_a_forged_email_is_refused(repo: Repo) -> None:
    sha = repo.commit({"content/gmina-a/index.md": page("Podrobiona")}, email=EWA)
    assert findings(repo) == [(sha, "gmina-a", ("content/gmina-a/index.md",))]


def test_another_units_editor_is_refused(repo: Repo) -> None:
    sha = repo.commit({"content/gmina-a/index.md": page("Nie moja"), "content/gmina-b/index.md": page("Moja")},
                      email=OLA, signer="ola")
    assert findings(repo) == [(sha, "gmina-a", ("content/gmina-a/index.md",))]


def test_editor_removed_earlier_is_refused(repo: Repo) -> None:
    repo.commit({"content/gmina-a/unit.yaml": unit({"inna@a.example": [repo.key("inna")]})}, signer="ewa")
    sha = repo.commit({"content/gmina-a/index.md": page("Po odejściu")}, signer="ewa")
    assert findings(repo) == [(sha, "gmina-a", ("content/gmina-a/index.md",))]


def test_a_commit_cannot_authorise_itself(repo: Repo) -> None:
    intruder = repo.key("intruz")
    sha = repo.commit({"content/gmina-a/unit.yaml": unit({EWA: [repo.key("ewa")], "intruz@x.example": [intruder]}),
                       "content/gmina-a/index.md": page("Sam sobie")}, email="intruz@x.example", signer="intruz")
    assert findings(repo) == [(sha, "gmina-a", ("content/gmina-a/index.md", "content/gmina-a/unit.yaml"))]
    # once in force (added by the editor), the new key signs the next commit
    repo.commit({"content/gmina-a/index.md": page("Przejęte"), "content/gmina-a/unit.yaml": unit(
        {EWA: [repo.key("ewa")], "intruz@x.example": [intruder], "t@a.example": []})}, signer="ewa")
    assert findings(repo) == []  # the editor's signed commit took over both files
    repo.commit({"content/gmina-a/index.md": page("Już wolno")}, email="intruz@x.example", signer="intruz")
    assert findings(repo) == []


def test_merge_of_an_unauthorised_branch_is_refused(repo: Repo) -> None:
    repo.git("checkout", "-q", "-b", "obca")
    bad = repo.commit({"content/gmina-a/uchwala.md": page("Z gałęzi")}, email=EWA)  # unsigned
    repo.git("checkout", "-q", "main")
    repo.commit({"content/gmina-a/index.md": page("Na głównej")}, signer="ewa")
    repo.git("-c", "gpg.format=ssh", "-c", f"user.signingkey={repo.keys / 'ewa'}", "merge", "-q", "-S", "--no-ff",
             "-m", "Scalenie", "obca")
    assert findings(repo) == [(bad, "gmina-a", ("content/gmina-a/uchwala.md",))]
    # a signed merge does not take the branch's files over; an administrator's acceptance unblocks
    text = (repo.root / "content/region.yaml").read_text().replace("mode: enforce", f"accepted: [{bad[:10]}]\n  mode: enforce")
    repo.commit({"content/region.yaml": text}, email=ADMIN, signer="admin")
    assert findings(repo) == []


def test_accepting_needs_an_administrator(repo: Repo) -> None:
    bad = repo.commit({"content/gmina-a/index.md": page("Bez podpisu")})
    text = (repo.root / "content/region.yaml").read_text().replace("mode: enforce", f"accepted: [{bad}]\n  mode: enforce")
    sha = repo.commit({"content/region.yaml": text}, signer="ewa")  # an editor may not change region.yaml
    assert findings(repo) == [(sha, "", ("content/region.yaml",))]


def test_forge_signed_web_commit_vouches_for_the_author_email(repo: Repo, tmp_path: Path) -> None:
    gnupg = tmp_path / "gnupg"
    gnupg.mkdir(mode=0o700)
    env = {**os.environ, "GNUPGHOME": str(gnupg)}
    subprocess.run(["gpg", "--batch", "--passphrase", "", "--quick-gen-key", "GitHub <noreply@github.example>",
                    "ed25519", "sign", "never"], env=env, check=True, capture_output=True)
    armored = subprocess.run(["gpg", "--armor", "--export", "noreply@github.example"], env=env, check=True,
                             capture_output=True, text=True).stdout
    text = (repo.root / "content/region.yaml").read_text()
    data = yaml.safe_load(text)
    data["policy"]["forge_keys"] = {"GitHub": armored}
    repo.commit({"content/region.yaml": yaml.safe_dump(data, allow_unicode=True)}, email=ADMIN, signer="admin")
    web = {"GNUPGHOME": str(gnupg)}
    (repo.root / "content/gmina-a/index.md").write_text(page("Z przeglądarki"), encoding="utf-8")
    repo.git("add", "-A")
    repo.git("-c", "user.signingkey=noreply@github.example", "commit", "-q", "-S", "-m", "Web", email=EWA, env=web)
    (repo.root / "content/gmina-b/index.md").write_text(page("Z przeglądarki"), encoding="utf-8")
    repo.git("add", "-A")
    repo.git("-c", "user.signingkey=noreply@github.example", "commit", "-q", "-S", "-m", "Web", email=EWA, env=web)
    bad = repo.git("rev-parse", "HEAD")
    # the forge vouches for Ewa's e-mail: her unit's change is authorised, the other unit's is not
    assert findings(repo) == [(bad, "gmina-b", ("content/gmina-b/index.md",))]


def built(r: Repo, out: Path) -> Problems:
    return build(Options(r.root, out, now=NOW, jobs=1)).problems


def unit_page(out: Path, unit_id: str) -> str:
    return (out / unit_id / "index.html").read_text(encoding="utf-8")


def test_modes_off_warn_enforce(repo: Repo, tmp_path: Path) -> None:
    out = tmp_path / "public"
    repo.commit({"content/gmina-a/index.md": page("Wersja podpisana")}, signer="ewa")
    problems = built(repo, out)
    assert not problems.has_errors(), [p.format() for p in problems.sorted()]
    registry = (out / "gmina-a" / "rejestr-zmian" / "index.html").read_text(encoding="utf-8")
    assert "podpis zweryfikowany: ewa.nowak, redaktor, klucz SHA256:" in registry
    assert "sprzed wdrożenia zasad" in registry
    bad = repo.commit({"content/gmina-a/index.md": page("Wersja podrobiona"),
                       "content/gmina-b/index.md": page("B podpisana")}, email=OLA, signer="ola")
    # enforce: gmina-a keeps its previous site, gmina-b publishes
    problems = built(repo, out)
    errors = [p for p in problems.errors if p.key == "policy"]
    assert len(errors) == 1 and errors[0].file == "content/gmina-a/index.md"
    assert bad[:12] in errors[0].message and "SHA256:" in errors[0].message and "ola" in errors[0].message
    assert "Wersja podpisana" in unit_page(out, "gmina-a") and "B podpisana" in unit_page(out, "gmina-b")
    # warn: the same as a warning, and it publishes
    text = (repo.root / "content/region.yaml").read_text()
    repo.commit({"content/region.yaml": text.replace("mode: enforce", "mode: warn")}, email=ADMIN, signer="admin")
    problems = built(repo, out)
    assert not problems.has_errors() and any(p.key == "policy" for p in problems.warnings)
    assert "Wersja podrobiona" in unit_page(out, "gmina-a")
    registry = (out / "gmina-a" / "rejestr-zmian" / "index.html").read_text(encoding="utf-8")
    assert "podpis zweryfikowany: ola, redaktor" in registry  # Ola signed, though not for this unit
    # off: nothing is checked, nothing shown
    repo.commit({"content/region.yaml": text.replace("mode: enforce", "mode: off")}, email=ADMIN, signer="admin")
    problems = built(repo, out)
    assert not any(p.key == "policy" for p in problems.sorted()), [p.format() for p in problems.sorted()]
    assert not problems.has_errors(), [p.format() for p in problems.sorted()]
    registry = (out / "gmina-a" / "rejestr-zmian" / "index.html").read_text(encoding="utf-8")
    assert "class=\"signature\"" not in registry and "sprzed wdrożenia" not in registry


def test_policy_check_and_codeowners_commands(repo: Repo) -> None:
    good = repo.commit({"content/gmina-a/index.md": page("Podpisana")}, signer="ewa")
    proc = run_bip(repo.root, "policy", "check", f"{repo.start}..HEAD")
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert f"{good[:12]} ewa.nowak <{EWA}>: podpis zweryfikowany: ewa.nowak, redaktor, klucz SHA256:" in proc.stdout
    bad = repo.commit({"content/gmina-b/index.md": page("Niepodpisana")}, email=OLA)
    proc = run_bip(repo.root, "policy", "check", f"{good}..HEAD")
    assert proc.returncode == 1 and f"{bad[:12]} ola <{OLA}>: bez podpisu — BEZ UPRAWNIEŃ" in proc.stdout
    assert "redaktor podmiotu gmina-b albo administrator; pliki: content/gmina-b/index.md" in proc.stdout
    text = (repo.root / "content/gmina-b/unit.yaml").read_text().replace(
        '    name: "ola, redaktor"', '    name: "ola, redaktor"\n    forge: ola-gh')
    repo.commit({"content/gmina-b/unit.yaml": text}, email=OLA, signer="ola")
    proc = run_bip(repo.root, "policy", "codeowners")
    assert proc.returncode == 0
    assert proc.stdout.splitlines()[2:] == [
        f"* {ADMIN}", f"/content/gmina-a/ {EWA} {ADMIN}", f"/content/gmina-b/ @ola-gh {ADMIN}"]


def test_demo_makes_a_signed_history(tmp_path: Path) -> None:
    from bip.demo import generate
    from bip.demo.signed import sign_demo

    out = tmp_path / "demo"
    generate(out, 2, 8, 12)
    assert sign_demo(out, edits=2) == 3
    data = yaml.load((out / "content/region.yaml").read_text(), Loader=yaml.SafeLoader)
    policy = region_policy(data)
    assert policy.mode == "enforce" and policy.since
    outcome = evaluate(out, policy, read_history(out, "content"), out / ".git" / "bip-cache-test")
    assert outcome.findings == []
    signed = [v for v in outcome.verdicts.values() if v.signer]
    assert len(signed) == 3 and all(v.key.startswith("SHA256:") for v in signed)


def test_unauthorised_region_change_blocks_every_unit(repo: Repo, tmp_path: Path) -> None:
    out = tmp_path / "public"
    assert not built(repo, out).has_errors()
    before = unit_page(out, "gmina-b")
    text = (repo.root / "content/region.yaml").read_text().replace("Regionalny BIP testowy", "Podmieniony BIP")
    sha = repo.commit({"content/region.yaml": text, "content/gmina-b/index.md": page("B nowa")}, email=OLA,
                      signer="ola")
    problems = built(repo, out)
    errors = [p for p in problems.errors if p.key == "policy"]
    assert [p.file for p in errors] == ["content/region.yaml"] and sha[:12] in errors[0].message
    assert unit_page(out, "gmina-b") == before  # nothing new is published


def test_check_command_reports_the_policy(repo: Repo) -> None:
    sha = repo.commit({"content/gmina-a/index.md": page("Bez podpisu")})
    proc = run_bip(repo.root, "check", "--now", "2026-11-25T12:00:00+01:00")
    assert proc.returncode == 1 and f"commit {sha[:12]}" in proc.stdout
    assert "content/gmina-a/index.md:1: błąd [policy]: Zmiana bez podpisu osoby uprawnionej (redaktor podmiotu " \
           "gmina-a albo administrator)" in proc.stdout


def test_a_merge_answers_for_its_own_changes_only(repo: Repo) -> None:
    repo.git("checkout", "-q", "-b", "ewy")
    repo.commit({"content/gmina-a/uchwala.md": page("Podpisana na gałęzi")}, signer="ewa")
    repo.git("checkout", "-q", "main")
    repo.commit({"content/gmina-b/index.md": page("Podpisana na głównej")}, email=OLA, signer="ola")
    repo.git("merge", "-q", "--no-ff", "-m", "Scalenie bez podpisu", "ewy")  # brings only signed changes
    assert findings(repo) == []
    repo.git("checkout", "-q", "-b", "druga", "HEAD~1")
    repo.commit({"content/gmina-a/druga.md": page("Druga")}, signer="ewa")
    repo.git("checkout", "-q", "main")
    repo.git("merge", "-q", "--no-ff", "--no-commit", "druga")
    (repo.root / "content/gmina-a/druga.md").write_text(page("Dopisana przy scalaniu"), encoding="utf-8")
    repo.git("add", "-A")
    repo.git("commit", "-q", "-m", "Scalenie z własną zmianą")  # unsigned, and changes what no parent had
    merge = repo.git("rev-parse", "HEAD")
    assert findings(repo) == [(merge, "gmina-a", ("content/gmina-a/druga.md",))]


def test_switching_the_policy_off_needs_an_administrator(repo: Repo, tmp_path: Path) -> None:
    out = tmp_path / "public"
    repo.commit({"content/gmina-a/index.md": page("Wersja podpisana")}, signer="ewa")
    assert not built(repo, out).has_errors()
    text = (repo.root / "content/region.yaml").read_text()
    # an editor switches the policy off in the same push as an unsigned change: neither takes effect
    off = repo.commit({"content/region.yaml": text.replace("mode: enforce", "mode: off")}, signer="ewa")
    repo.commit({"content/gmina-a/index.md": page("Wersja podrobiona")}, email=OLA)
    problems = built(repo, out)
    errors = [p for p in problems.errors if p.key == "policy"]
    lowered = [p for p in errors if "obniżono" in p.message]
    assert len(lowered) == 1 and lowered[0].file == "content/region.yaml"
    assert off[:12] in lowered[0].message and "nadal obowiązuje tryb „enforce”" in lowered[0].message
    assert "Wersja podpisana" in unit_page(out, "gmina-a")  # nothing unsigned is published
    # dropping `policy` altogether is a lowering too; warn instead of enforce as well
    data = yaml.load(text, Loader=yaml.SafeLoader)
    del data["policy"]
    for changed in (yaml.safe_dump(data, allow_unicode=True), text.replace("mode: enforce", "mode: warn")):
        repo.commit({"content/region.yaml": changed}, email=OLA)
        problems = built(repo, out)
        assert any("obniżono" in p.message for p in problems.errors), [p.format() for p in problems.sorted()]
        assert "Wersja podpisana" in unit_page(out, "gmina-a")
    # the administrator's signed commit switches it off for real: nothing is checked any more
    repo.commit({"content/region.yaml": text.replace("mode: enforce", "mode: off")}, email=ADMIN, signer="admin")
    problems = built(repo, out)
    assert not any(p.key == "policy" for p in problems.sorted()), [p.format() for p in problems.sorted()]
    assert "Wersja podrobiona" in unit_page(out, "gmina-a")


def test_a_lowering_is_judged_by_the_administrators_in_force_not_by_ones_slipped_in(repo: Repo, tmp_path: Path) -> None:
    out = tmp_path / "public"
    assert not built(repo, out).has_errors()
    text = (repo.root / "content/region.yaml").read_text()
    data = yaml.load(text, Loader=yaml.SafeLoader)
    mallory = repo.key("mallory")
    data["administrators"] = {OLA: {"name": "Ola", "keys": [mallory]}}
    repo.commit({"content/region.yaml": yaml.safe_dump(data, allow_unicode=True)}, email=OLA)  # unsigned
    data["policy"]["mode"] = "off"
    repo.commit({"content/region.yaml": yaml.safe_dump(data, allow_unicode=True)}, email=OLA, signer="mallory")
    problems = built(repo, out)
    assert any("obniżono" in p.message and "„enforce”" in p.message for p in problems.errors), \
        [p.format() for p in problems.sorted()]
