"""Cells that a spreadsheet must never run as formulas, files written whole or not at all,
and names of places that become names of files.

In xlsx every text cell is written as a string cell (openpyxl ``data_type='s'``), which no
spreadsheet evaluates; in CSV, a cell beginning with = + - @ tab or CR/LF gets a leading
apostrophe (OWASP's advice), except plain numbers such as -3.5.
"""

from __future__ import annotations

import contextlib
import errno
import hashlib
import os
import re
import secrets
import shutil
import unicodedata
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING

from laborcli.errors import UsageError
from laborcli.i18n import pick

if TYPE_CHECKING:
    from openpyxl.cell.cell import Cell

_NUMBER = re.compile(r"^[+-]?\d+(\.\d+)?$")
_DANGEROUS = ("=", "+", "-", "@", "\t", "\r", "\n")


def csv_safe(value: object) -> object:
    """A CSV cell that cannot start a formula."""
    if isinstance(value, str) and value.startswith(_DANGEROUS) and not _NUMBER.match(value):
        return "'" + value
    return value


def set_cell(cell: Cell, value: object, number_format: str | None = None) -> None:
    """Write a value into an openpyxl cell; text is always a string cell, never a formula."""
    if isinstance(value, str):
        cell.value = value
        cell.data_type = "s"
    else:
        cell.value = value
    if number_format:
        cell.number_format = number_format


# A full disk keeps its own message and exit code (cli.app.main); other failures to write a
# file (no permission, a read-only disk, a folder in the way) are the user's to fix.
DISK_FULL = (errno.ENOSPC, errno.EDQUOT)
# Bytes of a file name that most file systems allow (ext4, NTFS in UTF-16 is more).
_NAME_MAX = 255


@contextlib.contextmanager
def whole_file(path: Path, *, sync: bool = True) -> Iterator[Path]:
    """A temporary path beside ``path`` to write to, renamed over ``path`` when the block
    ends without an error and removed otherwise: an interrupted or failed write never
    leaves a half-written file, nor replaces last month's good one.

    With ``sync`` the data reach the disk before the rename, so a power cut too leaves the
    old file or the new one (files made again at will, the sample's, go without).

    A path that is a folder, a folder that cannot be made or a file that cannot be written
    is a :class:`UsageError` naming it; a full disk stays an ``OSError`` (cli.app.main).
    """
    writable_file(path)
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
    except OSError as e:
        raise cannot_write(path, e) from e
    tmp = path.with_name(f".{_short(path.stem)}.{secrets.token_hex(4)}.part{path.suffix}")
    try:
        yield tmp
        if sync:
            _to_disk(tmp)
        os.replace(tmp, path)
    except BaseException as e:
        with contextlib.suppress(OSError):
            tmp.unlink()
        if isinstance(e, OSError) and e.errno not in DISK_FULL:
            raise cannot_write(path, e) from e
        raise


def write_whole(path: Path, data: bytes, *, sync: bool = True) -> None:
    """Write ``data`` to ``path`` whole or not at all (see ``whole_file``)."""
    with whole_file(path, sync=sync) as tmp:
        tmp.write_bytes(data)


def writable_file(path: Path) -> None:
    """Refuse, before any work, a file to write that names a folder or lies under a file."""
    if path.is_dir():
        raise UsageError(
            pick(f"{path} 是一个文件夹, 请给出要写的文件名", f"{path} is a folder; name the file to write")
        )
    writable_folder(path.parent)


def writable_folder(path: Path) -> None:
    """Refuse, before any work, a folder to write into that is an existing file (or under one)."""
    for p in (path, *path.parents):
        if p.exists():
            if not p.is_dir():
                under = "" if p == path else pick(f", 无法写入 {path}", f": cannot write into {path}")
                raise UsageError(
                    pick(f"{p} 是一个文件, 不是文件夹{under}", f"{p} is a file, not a folder{under}")
                )
            return


def replaceable_folder(path: Path, marker: str) -> None:
    """Refuse, before any work, a folder to write whole that holds someone else's files:
    it may be replaced when it is absent, empty, or was written by laborcli (``marker``)."""
    writable_folder(path)
    if path.exists() and any(path.iterdir()) and not (path / marker).is_file():
        raise UsageError(
            pick(
                f"{path} 已存在且不是 laborcli 生成的, 不会覆盖: 请换一个文件夹名, 或先移走它",
                f"{path} exists and was not written by laborcli, so it is not replaced: "
                "name another folder, or move it away first",
            )
        )


@contextlib.contextmanager
def whole_folder(path: Path, marker: str) -> Iterator[Path]:
    """A temporary folder beside ``path`` to write into, put in ``path``'s place when the
    block ends without an error and removed otherwise (``whole_file`` for a folder).

    An old ``path`` (see ``replaceable_folder``) is moved aside, the new one renamed in,
    and the old one removed: a reader sees the old folder or the new one, whole; a crash
    between the two renames leaves the old one beside, under its temporary name.
    ``marker`` is written into the new folder, which says laborcli may replace it.
    """
    replaceable_folder(path, marker)
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
    except OSError as e:
        raise cannot_write(path, e) from e
    token = secrets.token_hex(4)
    tmp = path.with_name(f".{_short(path.name)}.{token}.part")
    old = path.with_name(f".{_short(path.name)}.{token}.old")
    try:
        tmp.mkdir()
        yield tmp
        (tmp / marker).write_text(
            "written by laborcli; replaced whole when written again\n", encoding="utf-8"
        )
        if path.exists():
            os.replace(path, old)
        os.replace(tmp, path)
    except BaseException as e:
        shutil.rmtree(tmp, ignore_errors=True)
        if old.exists() and not path.exists():  # the new one did not go in: the old one back
            with contextlib.suppress(OSError):
                os.replace(old, path)
        if isinstance(e, OSError) and e.errno not in DISK_FULL:
            raise cannot_write(path, e) from e
        raise
    shutil.rmtree(old, ignore_errors=True)


def make_folder(path: Path) -> Path:
    """Make the folder to write into (and its parents), or say in one line why not."""
    writable_folder(path)
    try:
        path.mkdir(parents=True, exist_ok=True)
    except OSError as e:
        raise cannot_write(path, e) from e
    return path


def cannot_write(path: Path, e: OSError) -> UsageError:
    """The one line for a file that could not be written (permission, read-only disk...)."""
    why = e.strerror or type(e).__name__
    return UsageError(pick(f"无法写入 {path}: {why}", f"cannot write {path}: {why}"))


def _to_disk(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def _short(stem: str) -> str:
    """A stem short enough that the temporary name stays a legal file name."""
    room = _NAME_MAX - 40  # the dot, the token, ".part" and a suffix
    while len(stem.encode()) > room:
        stem = stem[:-1]
    return stem


# --- names of places as names of files ------------------------------------------------------

# What Windows refuses in a name (and the separators of every system), and control characters.
_FORBIDDEN = re.compile(r'[<>:"/\\|?*\x00-\x1f\x7f]')
_RESERVED = {"CON", "PRN", "AUX", "NUL"} | {f"{d}{i}" for d in ("COM", "LPT") for i in "0123456789¹²³"}
_NAME_CHARS = 80  # a place's name in a file name; the rest of the name must fit too


def safe_name(text: str) -> str:
    """A place's name as a file name on every system: separators and the characters Windows
    forbids become ``_``, no ``..``, no leading dot (a hidden file), no trailing dot or space,
    no reserved device name (CON, NUL, COM1...), never empty."""
    t = unicodedata.normalize("NFC", text)
    t = _FORBIDDEN.sub("_", t)
    t = re.sub(r"\.{2,}", "_", t)
    t = re.sub(r"_{2,}", "_", t).strip(" ._")
    t = t[:_NAME_CHARS].rstrip(" .")
    if not t:
        return "_"
    if t.split(".")[0].strip().upper() in _RESERVED:
        t = "_" + t
    return t


def distinct_name(text: str, taken: set[str]) -> str:
    """``safe_name(text)``, made distinct from the names already ``taken`` (compared as
    Windows and macOS compare them, without case) by a short hash of the original name,
    and added to them: two places that become the same safe name get two files."""
    name = safe_name(text)
    if name.casefold() in taken:
        name = f"{name}~{hashlib.sha256(text.encode()).hexdigest()[:6]}"
    n = 2
    base = name
    while name.casefold() in taken:  # the hashed name too (a place named like it)
        name = f"{base}~{n}"
        n += 1
    taken.add(name.casefold())
    return name


def inside(folder: Path, path: Path) -> Path:
    """``path``, refused unless it resolves under ``folder`` (the folder the user gave)."""
    base = folder.resolve()
    where = path.resolve()
    if where != base and base not in where.parents:
        raise UsageError(
            pick(
                f"输出文件 {path} 不在指定的文件夹 {folder} 之内, 未写入",
                f"the output {path} would be outside the folder {folder}; not written",
            )
        )
    return path
