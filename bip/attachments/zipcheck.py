"""Cheap checks of ZIP containers (DOCX, XLSX, ODT, ODS) before a library unpacks them."""

from __future__ import annotations

import io
import zipfile

from bip.attachments.model import Limits

OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # an encrypted OOXML file is an OLE container, not a ZIP


class ContainerProblem(Exception):
    """A container that must not be unpacked; `status` says why."""

    def __init__(self, status: str, detail: str):
        super().__init__(detail)
        self.status, self.detail = status, detail


def open_container(path: str, limits: Limits) -> zipfile.ZipFile:
    """The container, read once into memory and opened (the checks and the reader share it), or
    ContainerProblem for an encrypted, broken or bomb-like one. The caller closes it.

    Python's zipfile never inflates a member past its declared size, so the declared sizes bound the work.
    """
    with open(path, "rb") as handle:
        data = handle.read()  # its size is checked before: at most Limits.max_bytes
    if data[:8] == OLE_MAGIC:
        raise ContainerProblem("encrypted", "OLE container (password-protected Office file)")
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        try:
            _check(archive, limits)
        except BaseException:
            archive.close()
            raise
    except zipfile.BadZipFile as error:  # the directory, or a member read by the checks
        raise ContainerProblem("corrupt", f"not a ZIP container: {error}") from error
    return archive


def _check(archive: zipfile.ZipFile, limits: Limits) -> None:
    members = archive.infolist()
    total = 0
    for info in members:
        total += info.file_size
        if info.file_size > 10 * 1024 * 1024 and info.file_size > limits.max_ratio * max(1, info.compress_size):
            raise ContainerProblem("too_big", f"{info.filename}: {info.file_size} bytes from {info.compress_size}")
        if info.flag_bits & 0x1:
            raise ContainerProblem("encrypted", f"{info.filename} is encrypted")
    if total > limits.max_unpacked:
        raise ContainerProblem("too_big", f"{total} bytes unpacked")
    names = {info.filename for info in members}
    if "META-INF/manifest.xml" in names and b"encryption-data" in archive.read("META-INF/manifest.xml"):
        raise ContainerProblem("encrypted", "ODF manifest lists encryption data")
