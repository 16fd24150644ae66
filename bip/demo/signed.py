"""`bip demo --signed`: a demo region whose newest commits are signed under an enforced publishing policy.

On top of the generated history: the policy (an administrator, one editor per unit with an SSH key made by
ssh-keygen, kept in .git/bip-demo-keys/), then `since` set to that commit by the administrator's signed
commit, then a signed edit by the editor of each of the first units.
"""

from __future__ import annotations

import os
import re
import subprocess
from pathlib import Path

ADMIN = ("Regionalny Administrator BIP", "administrator@bip.lubuskie.example")
WHEN = "2026-11-02T09:00:00+01:00"


def _git(out: Path, who: tuple[str, str], *args: str) -> str:
    env = {**os.environ, "LC_ALL": "C", "GIT_TERMINAL_PROMPT": "0",
           "GIT_AUTHOR_NAME": who[0], "GIT_AUTHOR_EMAIL": who[1], "GIT_COMMITTER_NAME": who[0],
           "GIT_COMMITTER_EMAIL": who[1], "GIT_AUTHOR_DATE": WHEN, "GIT_COMMITTER_DATE": WHEN}
    return subprocess.run(["git", *args], cwd=out, env=env, check=True, capture_output=True, text=True).stdout.strip()


def _key(keys: Path, name: str) -> tuple[Path, str]:
    path = keys / name
    subprocess.run(["ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-C", name, "-f", str(path)], check=True,
                   capture_output=True)
    return path, path.with_suffix(".pub").read_text(encoding="ascii").strip()


def _commit(out: Path, who: tuple[str, str], message: str, key: Path | None) -> str:
    _git(out, who, "add", "-A", "content")
    sign = ["-c", "gpg.format=ssh", "-c", f"user.signingkey={key}", "commit", "-S"] if key else ["commit"]
    _git(out, who, *sign, "-q", "-m", message)
    return _git(out, who, "rev-parse", "HEAD")


def sign_demo(out: Path, edits: int = 3) -> int:
    """Add the policy and signed commits to the demo repository at `out`; the number of signed commits."""
    keys = out / ".git" / "bip-demo-keys"
    keys.mkdir(exist_ok=True)
    admin_key, admin_public = _key(keys, "administrator")
    region = out / "content" / "region.yaml"
    base = region.read_text(encoding="utf-8")
    policy = (f"administrators:\n  {ADMIN[1]}:\n    name: \"{ADMIN[0]}\"\n    keys: [\"{admin_public}\"]\n"
              "policy:\n  mode: enforce\n")
    region.write_text(base + policy, encoding="utf-8")
    editors: list[tuple[str, tuple[str, str], Path]] = []
    for unit in sorted(p for p in (out / "content").iterdir() if (p / "unit.yaml").is_file()):
        text = (unit / "unit.yaml").read_text(encoding="utf-8")
        found = re.search(r"^editors:\n  ([^:\s]+): (.+)$", text, re.MULTILINE)
        if found is None:
            continue
        email, name = found.group(1), found.group(2).strip().strip('"')
        path, public = _key(keys, unit.name)
        long_form = f"editors:\n  {email}:\n    name: \"{name}\"\n    keys: [\"{public}\"]"
        (unit / "unit.yaml").write_text(text[:found.start()] + long_form + text[found.end():], encoding="utf-8")
        editors.append((unit.name, (name.split(",")[0], email), path))
    start = _commit(out, ADMIN, "Wdrożenie zasad publikacji: administrator i klucze redaktorów", None)
    region.write_text(base + policy + f"  since: {start}\n", encoding="utf-8")
    _commit(out, ADMIN, "Zasady publikacji obowiązują od poprzedniej zmiany", admin_key)
    for unit_id, who, path in editors[:edits]:
        page = out / "content" / unit_id / "index.md"
        page.write_text(page.read_text(encoding="utf-8").rstrip("\n") +
                        "\n\nZmiany w tym biuletynie są podpisywane przez redaktorów.\n", encoding="utf-8")
        _commit(out, who, "Informacja o podpisywaniu zmian", path)
    return 1 + min(edits, len(editors))
