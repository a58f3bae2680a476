"""Writing results and reports: all files or none, never through a link or over a device, nothing left behind.

`write_all(folder, contents)` stages every file in a temporary folder inside `folder` (same file system,
so the final renames are atomic), moves any previous files aside into that staging folder, renames the
new ones in, and only then deletes the staging folder. A failure at any point (full disk, a folder in the
way, a read-only target) restores the previous files and removes everything new: the folder is as it was.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from pathlib import Path


class OutputError(Exception):
    """Output cannot be written where asked (the message names the path and the reason)."""


def prepare_folder(folder: Path) -> Path:
    """Create the folder if needed (remembering nothing else); refuse a file in the way or a folder we cannot write."""
    if folder.is_symlink() and not folder.is_dir():
        raise OutputError(f"output folder {str(folder)!r} is a broken link")
    if folder.exists() and not folder.is_dir():
        raise OutputError(f"output {str(folder)!r} is a file, not a folder")
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as error:
        raise OutputError(f"cannot create output folder {str(folder)!r}: {error.strerror}") from None
    if not os.access(folder, os.W_OK | os.X_OK):
        raise OutputError(f"output folder {str(folder)!r} is not writable")
    return folder


def check_target(path: Path) -> None:
    """A file we may replace: absent, or a regular file that is not a link (a device, pipe, folder or link is refused)."""
    if path.is_symlink():
        raise OutputError(f"output {str(path)!r} is a symbolic link; name the file it points to instead")
    if path.exists() and not path.is_file():
        kind = "a folder" if path.is_dir() else "not a regular file (a device or pipe)"
        raise OutputError(f"output {str(path)!r} is {kind}; it is never replaced")


def write_all(folder: Path, contents: dict[str, bytes]) -> dict[str, Path]:
    """Write every named file into `folder`, all or nothing (module docstring); return their paths."""
    targets = {name: folder / name for name in contents}
    for path in targets.values():
        check_target(path)
    try:
        staging = Path(tempfile.mkdtemp(dir=folder, prefix=".initcheck-staging-"))
    except OSError as error:
        raise OutputError(f"cannot write into {str(folder)!r}: {error.strerror}") from None
    umask = os.umask(0)
    os.umask(umask)
    moved_aside: dict[str, Path] = {}
    placed: list[str] = []
    try:
        for name, data in contents.items():
            staged = staging / name
            staged.write_bytes(data)
            os.chmod(staged, 0o666 & ~umask)  # an ordinary file, as any program would create it
        for name, path in targets.items():
            if path.exists():
                os.replace(path, staging / f"{name}.previous")
                moved_aside[name] = staging / f"{name}.previous"
        for name, path in targets.items():
            os.replace(staging / name, path)
            placed.append(name)
    except OSError as error:
        for name in placed:
            targets[name].unlink(missing_ok=True)
        for name, previous in moved_aside.items():
            os.replace(previous, targets[name])
        raise OutputError(f"cannot write {str(folder)!r}: {error.strerror or error}; the previous files are unchanged") from None
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    return targets


def write_file(path: Path, data: bytes) -> Path:
    """One file, written whole or not at all (the folder must exist)."""
    return write_all(path.parent if str(path.parent) else Path("."), {path.name: data})[path.name]
