"""Where a command's output goes: the one rule every file writer follows.

- ``-`` is standard output.
- A path that exists and is not a regular file (a device such as ``/dev/null``, a FIFO, or a
  symlink to one) is written in place: it is never replaced by a file. So is anything under
  ``/dev`` or ``/proc`` (``/dev/stdout`` of a shell redirected to a file is that file, already open).
- A folder where a file is expected is an :class:`OutputError` (a one-line message at the CLI).
- Anything else (a new file, an existing regular file, a symlink to one) is written to a
  temporary file beside the file and renamed over it on success, so an interrupted run leaves
  the previous output intact; a symlink stays a symlink and its target is replaced. The
  temporary file is named after the writing process (``.NAME.PID.XXXX.tmp``): ones that a killed
  write left behind are removed by the next write of the same file, and an error while writing
  names the file asked for, not the temporary one.

:func:`output_folder` is the same rule for a folder of outputs (``build -o``, CSV export).
"""

from __future__ import annotations

import contextlib
import os
import stat
import sys
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import IO, Any

#: The output name that means standard output.
STDOUT = "-"


class OutputError(ValueError):
    """An output path that cannot be written as asked (a folder for a file, a file for a folder)."""


def _existing(path: Path) -> os.stat_result | None:
    """``stat`` of what ``path`` names (following symlinks), None when nothing is there."""
    try:
        return path.stat()
    except FileNotFoundError:
        return None
    except NotADirectoryError:
        raise OutputError(f"{path}: a part of the path is a file, not a folder") from None


@contextmanager
def open_output(path: str | Path, mode: str = "w") -> Iterator[IO[Any]]:
    """An open text (or ``"wb"``: binary) stream for the output ``path``, by the rule above."""
    binary = "b" in mode
    if str(path) == STDOUT:
        stream: IO[Any] = sys.stdout.buffer if binary else sys.stdout
        yield stream
        stream.flush()
        return
    target = Path(path)
    found = _existing(target)
    if found is not None and stat.S_ISDIR(found.st_mode):
        raise OutputError(f"{path} is a folder: give a file name")
    encoding = None if binary else "utf-8"
    newline = None if binary else "\n"
    if found is not None and (not stat.S_ISREG(found.st_mode) or target.absolute().parts[1:2] in (("dev",), ("proc",))):
        with open(target, mode, encoding=encoding, newline=newline) as handle:  # a device or FIFO: in place
            yield handle
        return
    if target.is_symlink():
        target = Path(os.path.realpath(target))  # replace the link's target, keep the link
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
    except (FileExistsError, NotADirectoryError):
        raise OutputError(f"{path}: {target.parent} is a file, not a folder") from None
    remove_stale_temps(target)
    try:
        fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.{os.getpid()}.", suffix=".tmp", dir=target.parent)
    except OSError as err:  # a read-only or full folder: name the file asked for, not the temporary one
        raise OSError(err.errno, err.strerror, str(path)) from None
    try:
        with os.fdopen(fd, mode, encoding=encoding, newline=newline) as handle:
            yield handle
        umask = os.umask(0)
        os.umask(umask)
        os.chmod(tmp, 0o666 & ~umask)  # mkstemp makes 0600; outputs are ordinary files
        os.replace(tmp, target)
    except OSError as err:
        Path(tmp).unlink(missing_ok=True)
        if err.filename is None:  # a write that failed (a full disk): say which file
            raise OSError(err.errno, err.strerror, str(path)) from err
        raise
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def remove_stale_temps(target: Path) -> list[Path]:
    """Remove the temporary files of ``target`` (``.NAME.PID.XXXX.tmp``) whose writing process is
    gone (killed mid-write); another process's file in progress is left alone. Returns the removed."""
    removed: list[Path] = []
    try:
        names = [n for n in os.listdir(target.parent) if n.startswith(f".{target.name}.") and n.endswith(".tmp")]
    except OSError:
        return removed
    for name in names:
        pid = name[len(target.name) + 2 : -len(".tmp")].split(".", 1)[0]
        if pid.isdigit() and int(pid) != os.getpid() and not alive(int(pid)):
            with contextlib.suppress(OSError):
                (target.parent / name).unlink()
                removed.append(target.parent / name)
    return removed


def alive(pid: int) -> bool:
    """Whether process ``pid`` is running (another user's process counts as running)."""
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except OSError:  # another user's process: alive
        return True
    return True


def output_folder(path: str | Path, what: str = "these outputs") -> Path:
    """``path`` as a folder for several output files (made if missing); an OutputError for ``-``
    or for something there that is not a folder."""
    if str(path) == STDOUT:
        raise OutputError(f"{what} are several files: give a folder, not '-'")
    folder = Path(path)
    found = _existing(folder)
    if found is not None and not stat.S_ISDIR(found.st_mode):
        raise OutputError(f"{path} is not a folder: {what} need one")
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except (FileExistsError, NotADirectoryError):
        raise OutputError(f"{path}: a part of the path is a file, not a folder") from None
    return folder


__all__ = ["STDOUT", "OutputError", "alive", "open_output", "output_folder", "remove_stale_temps"]
