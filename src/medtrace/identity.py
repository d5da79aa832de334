"""Which medtrace this is, down to its modules' files: what a running server and the kept
reports compare before trusting anything made by another medtrace (an upgrade, or an edit of an
editable install that kept the version number). Only the standard library: the command line's
client of a server imports it first."""

from __future__ import annotations

import hashlib
import os
import sys
from functools import cache
from pathlib import Path

__all__ = ["code_identity"]


@cache
def code_identity() -> str:
    """medtrace's version, the Python running it, and the path, size and modification time of
    each of its modules, as one digest."""
    import medtrace

    package = Path(medtrace.__file__).parent
    parts = [medtrace.__version__, sys.version, sys.executable, str(package)]
    for folder, _, files in sorted(os.walk(package)):
        for name in sorted(files):
            if name.endswith(".py"):
                st = os.stat(os.path.join(folder, name))  # noqa: PTH116  # the client's start-up
                parts.append(f"{folder}/{name}:{st.st_size}:{st.st_mtime_ns}")
    return hashlib.blake2b("\n".join(parts).encode(), digest_size=16).hexdigest()
