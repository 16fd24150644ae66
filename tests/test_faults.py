"""Nothing lost, nothing broken: killed builds and merges, concurrent builds, full and read-only disks."""

from __future__ import annotations

import fcntl
import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from conftest import NOW, basic_files, git, page, run_bip, tree_hash

UNITS = 6
PAGES = 12


def region_files(version: int) -> dict[str, str | bytes]:
    files: dict[str, str | bytes] = {}
    for u in range(UNITS):
        unit = f"gmina-{u}"
        files.update({k.replace("gmina-testowa", unit): v for k, v in basic_files(unit).items()})
        for p in range(PAGES):
            files[f"content/{unit}/ogloszenia/ogloszenie-{p}.md"] = page(
                f"Ogłoszenie {p} gminy {u}", f"Treść w wersji {version}. " * 40, type="ogloszenie")
    return files


def bip_cmd(root: Path, *args: str) -> list[str]:
    return [sys.executable, "-m", "bip", *args, "--now", NOW]


def popen(root: Path, *args: str) -> subprocess.Popen[bytes]:
    return subprocess.Popen(bip_cmd(root, *args), cwd=root, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
                            env={**os.environ, "CI": ""})


def snapshot_output(root: Path, name: str, into: Path) -> None:
    """Keep a copy of an output (the link and its store) to restore it later."""
    into.mkdir(parents=True, exist_ok=True)
    for entry in (name, name + ".d"):
        source = root / entry
        if source.is_symlink() or source.exists():
            subprocess.run(["cp", "-a", str(source), str(into)], check=True)


def restore_output(root: Path, name: str, saved: Path) -> None:
    for entry in (name, name + ".d"):
        target = root / entry
        if target.is_symlink() or target.is_file():
            target.unlink()
        elif target.exists():
            shutil.rmtree(target)
        if (saved / entry).is_symlink() or (saved / entry).exists():
            subprocess.run(["cp", "-a", str(saved / entry), str(root)], check=True)


@pytest.fixture
def two_versions(project, tmp_path):
    """A region built at version 1 (the live site), then committed at version 2 (not yet built)."""
    root = project(region_files(1))
    assert run_bip(root, "build", "--now", NOW).returncode == 0
    old = tree_hash(root / "public")
    saved = tmp_path / "saved-old"
    snapshot_output(root, "public", saved)
    new_dir = tmp_path / "expected-new"
    for relative, data in region_files(2).items():
        (root / relative).write_text(data if isinstance(data, str) else "", encoding="utf-8")
    git(root, "commit", "-qam", "Nowa wersja ogłoszeń", date="2024-06-01T10:00:00+02:00")
    started = time.perf_counter()
    assert run_bip(root, "build", "--now", NOW, "--out", str(new_dir)).returncode == 0
    duration = time.perf_counter() - started
    return root, saved, old, tree_hash(new_dir), duration


def test_killed_build_leaves_old_or_new_site(two_versions):
    root, saved, old, new, duration = two_versions
    seen = set()
    for attempt in range(20):
        restore_output(root, "public", saved)
        proc = popen(root, "build")
        time.sleep(duration * attempt / 20)
        proc.send_signal(signal.SIGKILL)
        proc.wait()
        state = tree_hash(root / "public")
        assert state in (old, new), f"mixed site after a kill at {attempt}/20 of the build"
        seen.add("old" if state == old else "new")
    assert "old" in seen  # kills early in the build happened before the switch
    proc = run_bip(root, "build", "--now", NOW)
    assert proc.returncode == 0, proc.stderr
    assert tree_hash(root / "public") == new
    assert not [p for p in (root / "public.d").rglob(".tmp-*")], "a crash's half-written snapshot was not removed"


def test_killed_merge_leaves_old_or_new_site(two_versions, tmp_path):
    root, _saved, _old, new, duration = two_versions
    shards = []
    for k in (1, 2):
        out = tmp_path / f"shard-{k}"
        assert run_bip(root, "build", "--now", NOW, "--shard", f"{k}/2", "--out", str(out)).returncode == 0
        shards.append(str(out))
    merged = tmp_path / "merged"
    assert run_bip(root, "merge", *shards, "--out", str(merged), "--now", NOW).returncode == 0
    assert tree_hash(merged) == new
    # the merged site gets a change: one more unit page, rebuilt in the shards, merged again under kills
    (root / "content/gmina-0/ogloszenia/nowe.md").write_text(page("Nowe ogłoszenie", "Dodane."), encoding="utf-8")
    git(root, "add", "-A")
    git(root, "commit", "-qm", "Dodano ogłoszenie", date="2024-07-01T10:00:00+02:00")
    for k in (1, 2):
        assert run_bip(root, "build", "--now", NOW, "--shard", f"{k}/2", "--out", shards[k - 1]).returncode == 0
    expected_dir = tmp_path / "expected"
    assert run_bip(root, "build", "--now", NOW, "--out", str(expected_dir)).returncode == 0
    expected = tree_hash(expected_dir)
    saved = tmp_path / "saved-merged"
    snapshot_output(tmp_path, "merged", saved)
    for attempt in range(20):
        restore_output(tmp_path, "merged", saved)
        proc = subprocess.Popen(bip_cmd(root, "merge", *shards, "--out", str(merged)), cwd=root,
                                stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        time.sleep(duration * attempt / 40)
        proc.send_signal(signal.SIGKILL)
        proc.wait()
        assert tree_hash(merged) in (new, expected), f"mixed site after a kill at {attempt}/20 of the merge"
    assert run_bip(root, "merge", *shards, "--out", str(merged), "--now", NOW).returncode == 0
    assert tree_hash(merged) == expected


def test_concurrent_build_is_refused_with_a_clear_message(project):
    root = project()
    assert run_bip(root, "build", "--now", NOW).returncode == 0
    before = tree_hash(root / "public")
    with open(root / "public.lock", "a+") as held:
        fcntl.flock(held, fcntl.LOCK_EX)
        (root / "content/gmina-testowa/nowa.md").write_text(page("Nowa", "x"), encoding="utf-8")
        proc = run_bip(root, "build", "--now", NOW)
        assert proc.returncode == 1
        assert "Inna budowa zapisuje teraz ten sam folder wyjściowy" in proc.stderr
        assert tree_hash(root / "public") == before
    # the holder is gone (as after a crash: the kernel drops the lock): the next build goes through
    proc = run_bip(root, "build", "--now", NOW)
    assert proc.returncode == 0, proc.stderr


def test_two_builds_at_once_never_mix(project):
    root = project(region_files(1))
    first, second = popen(root, "build"), popen(root, "build")
    codes = sorted([first.wait(), second.wait()])
    assert codes[0] == 0 and codes[1] in (0, 1)
    assert run_bip(root, "build", "--now", NOW).returncode == 0
    clean = root.parent / "clean"
    assert run_bip(root, "build", "--now", NOW, "--out", str(clean)).returncode == 0
    assert tree_hash(root / "public") == tree_hash(clean)


def mount_tmpfs(folder: Path, size: str) -> bool:
    folder.mkdir(parents=True, exist_ok=True)
    proc = subprocess.run(["mount", "-t", "tmpfs", "-o", f"size={size}", "tmpfs", str(folder)],
                          capture_output=True, text=True)
    return proc.returncode == 0


@pytest.fixture
def small_disk(tmp_path):
    disk = tmp_path / "dysk"
    if not mount_tmpfs(disk, "3m"):
        if os.environ.get("CI"):
            pytest.fail("cannot mount a tmpfs for the full-disk test (run CI as root with mount permission)")
        pytest.skip("mounting a tmpfs needs root")
    yield disk
    subprocess.run(["umount", "-l", str(disk)], check=False)


def test_full_disk_keeps_previous_site_and_says_so(project, small_disk):
    root = project()
    out = small_disk / "public"
    assert run_bip(root, "build", "--now", NOW, "--out", str(out)).returncode == 0
    before = tree_hash(out)
    (root / "content/gmina-testowa/duzy.pdf").write_bytes(os.urandom(4 * 1024 * 1024))
    (root / "content/gmina-testowa/plan.md").write_text(page("Plan", "[Plan](duzy.pdf)"), encoding="utf-8")
    proc = run_bip(root, "build", "--now", NOW, "--out", str(out))
    assert proc.returncode == 3, proc.stderr
    assert "Traceback" not in proc.stderr
    assert "brak miejsca na dysku" in proc.stderr
    assert "Poprzednia wersja serwisu pozostała bez zmian" in proc.stderr
    assert tree_hash(out) == before


def test_read_only_output_keeps_previous_site_and_says_so(project, small_disk):
    root = project()
    out = small_disk / "public"
    assert run_bip(root, "build", "--now", NOW, "--out", str(out)).returncode == 0
    before = tree_hash(out)
    subprocess.run(["mount", "-o", "remount,ro", str(small_disk)], check=True)
    (root / "content/gmina-testowa/nowa.md").write_text(page("Nowa", "x"), encoding="utf-8")
    proc = run_bip(root, "build", "--now", NOW, "--out", str(out))
    assert proc.returncode == 3, proc.stderr
    assert "Traceback" not in proc.stderr
    assert "tylko do odczytu" in proc.stderr
    assert tree_hash(out) == before
