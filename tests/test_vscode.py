"""The VS Code task in docs/vscode/tasks.json: its problem matchers read real `bip check` output right.

Every problem `bip check --format json` reports is matched by exactly one matcher of the task, in the
text output, with its file (relative to the project, as `fileLocation` says), line, field, message and
severity; hint lines and the summary are matched by none.
"""

from __future__ import annotations

import json
import re

from conftest import NOW, REPO, basic_files, run_bip

TASKS = REPO / "docs" / "vscode" / "tasks.json"
U = "content/gmina-testowa/"


def matchers() -> list[dict]:
    task = next(t for t in json.loads(TASKS.read_text(encoding="utf-8"))["tasks"] if t["label"] == "bip check")
    assert task["command"] == "bip check"
    return task["problemMatcher"]


def test_problem_matchers_read_every_problem_of_bip_check(project) -> None:
    files = {
        **basic_files(),
        U + "a/data.md": "---\ntitle: Ogłoszenie\ncreated: 12.03.2024\n---\nTreść.\n",
        U + "a/pole.md": "---\ntitle: Ogłoszenie\nautor: Jan\n---\nTreść.\n",
        U + "a/skladnia.md": '---\ntitle: "Program "Czyste powietrze""\n---\nTreść.\n',
        U + "a/zalacznik.md": "---\ntitle: Ogłoszenie\nattachments:\n  - file: brak.pdf\n    title: Brak\n---\nTreść.\n",
    }
    root = project(files)
    text = run_bip(root, "check", "--now", NOW)
    data = json.loads(run_bip(root, "check", "--now", NOW, "--format", "json").stdout)
    assert text.returncode == 1 and len(data) >= 4
    compiled = [(re.compile(m["pattern"]["regexp"]), m) for m in matchers()]
    found = []
    for line in text.stdout.splitlines():
        hits = [(rx.match(line), m) for rx, m in compiled if rx.match(line)]
        assert len(hits) <= 1, line
        if not hits:
            assert not re.match(r"^content/.*:\d+: ", line), f"not matched: {line}"
            continue
        match, matcher = hits[0]
        pattern = matcher["pattern"]
        assert matcher["fileLocation"] == ["relative", "${workspaceFolder}"]
        file = match.group(pattern["file"])
        assert (root / file).exists()
        found.append((file, int(match.group(pattern["line"])), match.group(pattern["code"]) or "",
                      match.group(pattern["message"]), matcher["severity"]))
    expected = [(p["file"], p["line"], p["key"], p["message"], p["severity"]) for p in data]
    assert sorted(found) == sorted(expected)
