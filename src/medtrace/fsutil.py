"""Writing files safely: atomically, and never over a user's file unasked."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

__all__ = ["write_atomic"]


def write_atomic(
    path: Path, content: str | bytes, *, overwrite: bool = True, mode: int | None = None
) -> None:
    """Write ``content`` to ``path`` through a temporary file renamed into place.

    With ``overwrite=False`` an existing file is left alone and ``FileExistsError`` raised; the
    check and the rename are one atomic step (a hard link), so a file created meanwhile is never
    replaced. ``mode`` (permission bits) is set on the new file before it takes the path.
    """
    path.parent.mkdir(parents=True, exist_ok=True)
    data = content.encode("utf-8") if isinstance(content, str) else content
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
            fh.flush()
            os.fsync(fh.fileno())
        if mode is not None:
            Path(tmp).chmod(mode)
        if overwrite:
            Path(tmp).replace(path)
        else:
            os.link(tmp, path)  # fails if path exists
    finally:
        if Path(tmp).exists():
            Path(tmp).unlink()
