"""Print the oldest Python 3.11 interpreter of this machine (the oldest Python medtrace
supports), or print nothing and exit 1 when there is none.

Used by ``make oldest-python``: Debian 12's ``/usr/bin/python3`` is 3.11.2, older than the 3.11
a developer usually has, and some of its standard library differs (``re``, for one).
"""

from __future__ import annotations

import glob
import os
import shutil
import subprocess
import sys
from pathlib import Path

_PROBE = "import sys; print('.'.join(map(str, sys.version_info[:3])))"


def candidates() -> list[str]:
    found = [shutil.which("python3.11") or "", "/usr/bin/python3.11", "/usr/local/bin/python3.11"]
    found.append("/usr/bin/python3")
    home = os.environ.get("PYENV_ROOT") or str(Path("~/.pyenv").expanduser())
    found += sorted(glob.glob(os.path.join(home, "versions", "3.11.*", "bin", "python3")))
    return [p for p in dict.fromkeys(found) if p and os.access(p, os.X_OK)]


def version(python: str) -> tuple[int, ...] | None:
    try:
        done = subprocess.run(
            [python, "-c", _PROBE], capture_output=True, text=True, timeout=30, check=False
        )
    except OSError:
        return None
    if done.returncode != 0:
        return None
    return tuple(int(part) for part in done.stdout.strip().split("."))


def oldest() -> str | None:
    found = [(v, os.path.realpath(p)) for p in candidates() if (v := version(p))]
    supported = sorted((v, p) for v, p in found if v[:2] == (3, 11))
    return supported[0][1] if supported else None


if __name__ == "__main__":
    python = oldest()
    if python is None:
        sys.exit(1)
    print(python)
