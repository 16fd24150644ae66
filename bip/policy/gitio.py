"""The git processes of the policy check: each reads many commits at once, none runs per commit."""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

from bip.history.gitlog import git_env

from .errors import PolicyError

_CONFIG = ("-c", "log.showSignature=false", "-c", "core.quotepath=false", "-c", "log.showRoot=true")


def _git(root: Path, args: list[str], stdin: bytes = b"", env: dict[str, str] | None = None) -> bytes:
    try:
        proc = subprocess.run(["git", *_CONFIG, *args], cwd=root, input=stdin, capture_output=True,
                              env=env or git_env(), check=False)
    except FileNotFoundError as exc:
        raise PolicyError("Nie znaleziono programu git.", "Zainstaluj git.") from exc
    if proc.returncode != 0:
        detail = proc.stderr.decode("utf-8", "replace").strip().splitlines()
        raise PolicyError(f"Polecenie `git {args[0]}` zakończyło się błędem: {detail[-1] if detail else proc.returncode}",
                          "Sprawdź, czy podane commity istnieją w repozytorium.")
    return proc.stdout


def resolve(root: Path, rev: str) -> str:
    """The full id of a commit named by `rev`; PolicyError when there is none."""
    try:
        return _git(root, ["rev-parse", "--verify", "--quiet", "--end-of-options", f"{rev}^{{commit}}"]).decode().strip()
    except PolicyError:
        raise PolicyError(f"W repozytorium nie ma commita „{rev}”.",
                          "Podaj identyfikator istniejącego commita (git log --oneline), np. w policy.since.") from None


def commits(root: Path, tip: str, exclude: list[str]) -> list[tuple[str, tuple[str, ...]]]:
    """(commit, parents) of every commit reachable from `tip` and from none of `exclude`, newest first."""
    out = _git(root, ["rev-list", "--parents", tip, "--not", *exclude, "--"])
    found = []
    for line in out.decode("ascii").split("\n"):
        if line:
            sha, *parents = line.split()
            found.append((sha, tuple(parents)))
    return found


def changed_paths(root: Path, shas: list[str]) -> dict[str, tuple[str, str, list[str]]]:
    """Per commit: (author name, author e-mail, repository paths it changes). A merge's own changes only:
    the paths whose merged content differs from every parent (what no parent brought)."""
    if not shas:
        return {}
    out = _git(root, ["log", "--no-walk=unsorted", "--stdin", "-c", "--name-only", "--no-renames", "-z",
                      "--no-color", "--format=%x1e%H%x00%aN%x00%aE%x00"], ("\n".join(shas) + "\n").encode())
    found: dict[str, tuple[str, str, list[str]]] = {}
    for chunk in out.split(b"\x1e")[1:]:
        sha, name, email, *rest = chunk.split(b"\0")
        paths = [t.lstrip(b"\n").decode("utf-8", "surrogateescape") for t in rest]
        found[sha.decode("ascii")] = (name.decode("utf-8", "replace"), email.decode("utf-8", "replace"),
                                      sorted({p for p in paths if p}))
    return found


def blob_ids(root: Path, specs: list[str]) -> dict[str, str]:
    """`<commit>:<path>` → blob id, for those that exist (one `git cat-file --batch-check`)."""
    if not specs:
        return {}
    out = _git(root, ["cat-file", "--batch-check=%(objectname) %(objecttype)"], ("\n".join(specs) + "\n").encode())
    found = {}
    for spec, line in zip(specs, out.decode("utf-8", "replace").split("\n"), strict=False):
        fields = line.split()
        if len(fields) == 2 and fields[1] == "blob":
            found[spec] = fields[0]
    return found


def signatures(root: Path, shas: list[str], allowed_signers: Path, gnupg: Path | None) -> dict[str, tuple[str, str, str]]:
    """Per commit: (git's %G? status, signing key fingerprint, primary key fingerprint), verified by git: SSH
    signatures against `allowed_signers`, OpenPGP ones against the keyring in `gnupg`. git runs ssh-keygen or
    gpg once per signed commit: a long list (a first build) is split among one git process per core."""
    if not shas:
        return {}
    parts = max(1, min(os.cpu_count() or 1, len(shas) // CHUNK))
    if parts == 1:
        return _signatures(root, shas, allowed_signers, gnupg)
    from concurrent.futures import ThreadPoolExecutor  # only for a long list

    found: dict[str, tuple[str, str, str]] = {}
    with ThreadPoolExecutor(parts) as pool:
        for part in pool.map(lambda k: _signatures(root, shas[k::parts], allowed_signers, gnupg), range(parts)):
            found.update(part)
    return found


CHUNK = 64  # commits per git process at least, when the verification is split


def _signatures(root: Path, shas: list[str], allowed_signers: Path, gnupg: Path | None) -> dict[str, tuple[str, str, str]]:
    env = git_env()
    if gnupg is not None:
        env["GNUPGHOME"] = str(gnupg)
    out = _git(root, ["-c", "gpg.ssh.allowedSignersFile=" + str(allowed_signers), "log", "--no-walk=unsorted",
                      "--stdin", "--no-color", "--format=%x1e%H%x00%G?%x00%GF%x00%GP"],
               ("\n".join(shas) + "\n").encode(), env)
    found = {}
    for chunk in out.decode("utf-8", "replace").split("\x1e")[1:]:
        sha, status, key, primary = (chunk.rstrip("\n").split("\0") + ["", "", ""])[:4]
        found[sha] = (status, key, primary)
    return found


def import_forge_keys(home: Path, keys: dict[str, str]) -> dict[str, str]:
    """Import armored OpenPGP keys into the keyring at `home`; fingerprint (of every key and subkey) → the
    forge name given to it."""
    home.mkdir(parents=True, exist_ok=True, mode=0o700)
    env = {**os.environ, "GNUPGHOME": str(home), "LC_ALL": "C"}
    names: dict[str, str] = {}
    for name, armored in sorted(keys.items()):
        try:
            proc = subprocess.run(["gpg", "--batch", "--with-colons", "--import-options", "import-show", "--import"],
                                  input=armored.encode(), capture_output=True, env=env, check=False)
        except FileNotFoundError as exc:
            raise PolicyError("Nie znaleziono programu gpg, potrzebnego do kluczy forge_keys.",
                              "Zainstaluj GnuPG (gpg).") from exc
        for line in proc.stdout.decode("ascii", "replace").split("\n"):
            fields = line.split(":")
            if fields[0] == "fpr" and len(fields) > 9:
                names[fields[9].upper()] = name
    return names
