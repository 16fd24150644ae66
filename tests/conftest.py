"""Shared fixtures: small real projects (files + a real git repository) in temporary folders."""

from __future__ import annotations

import hashlib
import os
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent
NOW = "2026-11-25T12:00:00+01:00"

REGION = """name: Regionalny BIP testowy
base_url: https://bip.example
accessibility:
  status: zgodna
  published: 2020-01-02
  prepared: 2025-03-31
  reviewed: 2026-03-30
  contact:
    name: Anna Portalowa
    email: portal@bip.example
    phone: "+48 68 000 00 10"
  coordinator:
    name: Anna Portalowa
  report: https://bip.example/raport-dostepnosci.pdf
  architecture: Siedziba operatora portalu jest dostępna dla osób na wózkach.
"""
UNIT = """name: Gmina Testowa
kind: gmina
head: Jan Kowalski – Wójt Gminy Testowej
address: "ul. Rynkowa 1\\n66-000 Testowo"
phone: "+48 68 000 00 00"
email: gmina@testowo.example
editor:
  name: Ewa Nowak
  email: bip@testowo.example
  phone: "+48 68 000 00 01"
editors:
  ewa.nowak@testowo.example: "Ewa Nowak, inspektor"
rodo:
  iod:
    name: Adam Wiśniewski
    email: iod@testowo.example
etr: https://testowo.example/etr/
pjm:
  url: https://testowo.example/pjm/
machine_readable: https://testowo.example/informacje.txt
accessibility:
  status: zgodna
  published: 2020-01-15
  updated: 2024-06-01
  prepared: 2025-03-31
  reviewed: 2026-03-30
  coordinator:
    name: Jan Nowak
    email: koordynator@testowo.example
  report: https://testowo.example/raport-dostepnosci.pdf
  contact:
    name: Ewa Nowak
    email: dostepnosc@testowo.example
    phone: "+48 68 000 00 02"
  architecture: Wejście do budynku jest dostępne dla osób na wózkach.
"""

EDITOR = {"name": "Ewa Nowak", "email": "ewa.nowak@testowo.example"}


def git(root: Path, *args: str, author: dict[str, str] | None = None, date: str | None = None) -> str:
    who = author or EDITOR
    env = {
        **os.environ,
        "GIT_AUTHOR_NAME": who["name"], "GIT_AUTHOR_EMAIL": who["email"],
        "GIT_COMMITTER_NAME": who["name"], "GIT_COMMITTER_EMAIL": who["email"],
        "GIT_CONFIG_NOSYSTEM": "1", "HOME": str(root),
    }
    if date:
        env["GIT_AUTHOR_DATE"] = env["GIT_COMMITTER_DATE"] = date
    proc = subprocess.run(["git", *args], cwd=root, env=env, capture_output=True, text=True, check=True)
    return proc.stdout


def write_files(root: Path, files: dict[str, str | bytes]) -> None:
    for relative, data in files.items():
        path = root / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(data, bytes):
            path.write_bytes(data)
        else:
            path.write_text(data, encoding="utf-8")


def commit_files(root: Path, files: dict[str, str | bytes], message: str = "Dodano treść",
                 date: str = "2024-05-20T10:00:00+02:00") -> None:
    """Write the files and commit them all (a repository is made in `root` if there is none)."""
    write_files(root, files)
    if not (root / ".git").exists():
        git(root, "init", "-q", "-b", "main")
    git(root, "add", "-A")
    git(root, "commit", "-q", "-m", message, date=date)


def page(title: str, body: str = "Treść strony.", **meta: object) -> str:
    lines = [f"title: {title!r}" if ":" in title else f"title: {title}"]
    lines += [f"{key}: {value}" for key, value in meta.items()]
    return "---\n" + "\n".join(lines) + "\n---\n" + body + "\n"


def basic_files(unit: str = "gmina-testowa") -> dict[str, str | bytes]:
    return {
        "content/region.yaml": REGION,
        f"content/{unit}/unit.yaml": UNIT.replace("Gmina Testowa", f"Gmina {unit}"),
        f"content/{unit}/index.md": page("Strona główna", "Witamy w BIP."),
        f"content/{unit}/uchwaly/index.md": page("Uchwały", "Uchwały Rady Gminy."),
        f"content/{unit}/uchwaly/uchwala-xii-123-2024.md": page(
            "Uchwała w sprawie budżetu gminy na 2024 rok", "Rada Gminy uchwala budżet.",
            type="uchwala", number='"XII/123/2024"', adopted="2024-03-01", status="obowiązująca",
        ),
    }


@pytest.fixture
def project(tmp_path: Path) -> Callable[..., Path]:
    """make(files, commit=True): a project folder with the files, committed to a new git repository."""

    def make(files: dict[str, str | bytes] | None = None, commit: bool = True, date: str = "2024-05-20T10:00:00+02:00") -> Path:
        root = tmp_path / "projekt"
        root.mkdir(exist_ok=True)
        if commit:
            commit_files(root, basic_files() if files is None else files, date=date)
        else:
            write_files(root, basic_files() if files is None else files)
        return root

    return make


def run_bip(root: Path, *args: str, env: dict[str, str] | None = None, timeout: float = 600
            ) -> subprocess.CompletedProcess[str]:
    """Run the real command line in a fresh process."""
    full_env = {**os.environ, "CI": "", **(env or {})}
    return subprocess.run(
        [sys.executable, "-m", "bip", *args], cwd=root, capture_output=True, text=True, env=full_env, timeout=timeout
    )


def tree_hash(folder: Path) -> str:
    """Hash of every published file (names and bytes), following the output's symlinks like a web server."""
    digest = hashlib.sha256()
    files = []
    for dirpath, _dirs, names in os.walk(folder, followlinks=True):
        files += [Path(dirpath) / name for name in names]
    for path in sorted(files):
        digest.update(path.relative_to(folder).as_posix().encode() + b"\0" + path.read_bytes() + b"\0")
    return digest.hexdigest()
