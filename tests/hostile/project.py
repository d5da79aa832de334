"""The small valid project every hostile case starts from, and the secret beside it.

Each case is a folder holding ``project/`` (a valid class B project: a system requirement, a
software requirement, a software item, a tagged function, a tagged test and its JUnit result)
and ``outside/`` (files with a secret, reachable only through the links a case plants). A case
adds its hostile input to the project; the valid evidence must still be read next to it, and
the secret must never appear in any output.
"""

from __future__ import annotations

import os
import secrets
import socket
from dataclasses import dataclass, field
from pathlib import Path

__all__ = ["BASE_FILES", "Sizes", "Workspace", "remove_tree"]

CONFIG = """\
[project]
name = "hostile"
class = "B"

[paths]
items = ["docs"]
sources = ["src/**"]
tests = ["tests/**"]
results = ["results/*.xml"]
"""

VALID_ITEMS = """\
- id: SYS-1
  title: The system need
- id: SRS-1
  title: The valid requirement
  type: functional
  parents: [SYS-1]
  item: app
- id: app
  kind: software-item
  title: App
  class: B
  paths: ["src/**"]
"""

SOURCE = """\
# @implements SRS-1
def clamp(units: int) -> int:
    return min(units, 10)
"""

TEST = '''\
def test_clamp():
    """@verifies SRS-1"""
'''

RESULTS = """\
<?xml version="1.0" encoding="utf-8"?>
<testsuites>
  <testsuite name="pytest" tests="1" failures="0" errors="0" skipped="0">
    <testcase classname="tests.test_app" name="test_clamp" file="tests/test_app.py" line="1" time="0.001"/>
  </testsuite>
</testsuites>
"""

BASE_FILES = {
    "medtrace.toml": CONFIG,
    "docs/valid.yaml": VALID_ITEMS,
    "src/app.py": SOURCE,
    "tests/test_app.py": TEST,
    "results/pytest.xml": RESULTS,
}


@dataclass(frozen=True)
class Sizes:
    """How big the large inputs are: small for every run, full size on demand."""

    digits: int  # digits of the longest IDs
    unknown_fields: int  # unknown fields on one item
    items: int  # items in one file
    line: int  # characters on one huge line
    comment_lines: int  # lines of unterminated block comments
    tag_comments: int  # tag comments before one symbol
    nesting: int  # depth of nested blocks in code
    yaml_nesting: int  # depth of nested YAML collections
    toml_nesting: int  # depth of nested TOML tables
    dag_layers: int  # layers of the symbolic-link diamond graph
    folder_depth: int  # levels of nested item folders
    testcases: int  # test cases in one JUnit file
    attribute: int  # characters in one XML attribute
    timeout: float  # seconds each command may take
    memory: int  # bytes of address space each command may use (RLIMIT_AS)


SHORT = Sizes(
    digits=5_000,
    unknown_fields=2_000,
    items=2_000,
    line=200_000,
    comment_lines=400,
    tag_comments=1_000,
    nesting=500,
    yaml_nesting=1_000,
    toml_nesting=1_000,
    dag_layers=10,
    folder_depth=1_100,
    testcases=2_000,
    attribute=200_000,
    timeout=20.0,
    memory=768 * 2**20,
)
FULL = Sizes(
    digits=100_000,
    unknown_fields=20_000,
    items=50_000,
    line=4_000_000,
    comment_lines=20_000,
    tag_comments=30_000,
    nesting=5_000,
    yaml_nesting=10_000,
    toml_nesting=1_000,
    dag_layers=22,
    folder_depth=1_100,
    testcases=50_000,
    attribute=4_000_000,
    timeout=120.0,
    memory=1536 * 2**20,
)


def _secret_files(token: str) -> dict[str, str]:
    """Files outside the project; each would put the token into some output if it were read."""
    return {
        "secret.yaml": f"- id: SRS-77\n  title: {token}\n  type: functional\n",
        "secret.md": f"---\nid: SRS-78\ntitle: {token}\n---\n# {token}\n",
        "secret.py": f"# @implements {token}\ndef leaked():\n    pass\n",
        "secret.xml": (
            '<?xml version="1.0"?>\n<testsuite name="s" tests="1">'
            f'<testcase classname="{token}" name="{token}"><failure message="{token}"/>'
            "</testcase></testsuite>\n"
        ),
        "secret.toml": f'[project]\nname = "{token}"\nclass = "B"\n',
        "secret.txt": f"{token}\n",
    }


@dataclass
class Workspace:
    """One case's folder: ``project/`` with the valid base, ``outside/`` with the secret."""

    base: Path
    sizes: Sizes
    token: str = field(default_factory=lambda: "Zsecret" + secrets.token_hex(8))

    @property
    def root(self) -> Path:
        return self.base / "project"

    @property
    def outside(self) -> Path:
        return self.base / "outside"

    @property
    def marker(self) -> Path:
        """A file that exists only if some input made medtrace run code."""
        return self.base / "pwned"

    def create(self) -> None:
        for rel, text in BASE_FILES.items():
            self.write(rel, text)
        self.outside.mkdir(parents=True, exist_ok=True)
        for name, text in _secret_files(self.token).items():
            (self.outside / name).write_text(text, encoding="utf-8")
        folder = self.outside / "folder"
        folder.mkdir(exist_ok=True)
        for name, text in _secret_files(self.token).items():
            (folder / name).write_text(text, encoding="utf-8")

    def path(self, rel: str | bytes) -> Path | bytes:
        if isinstance(rel, bytes):
            return os.fsencode(self.root) + b"/" + rel
        return self.root / rel

    def write(self, rel: str | bytes, content: str | bytes) -> None:
        """Write a file (``rel`` as bytes for names that are not valid UTF-8)."""
        data = content.encode("utf-8") if isinstance(content, str) else content
        target = self.path(rel)
        # Names that are not UTF-8 stay bytes: os functions, not pathlib.
        os.makedirs(os.path.dirname(target), exist_ok=True)  # noqa: PTH103, PTH120
        with open(target, "wb") as fh:
            fh.write(data)

    def remove(self, rel: str) -> None:
        (self.root / rel).unlink()

    def symlink(self, rel: str, target: str | Path) -> None:
        path = self.root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.symlink_to(target)

    def fifo(self, rel: str) -> None:
        path = self.root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        os.mkfifo(path)

    def unix_socket(self, rel: str) -> None:
        path = self.root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        # A socket's path is limited to about 100 bytes: bind through a short name of the folder.
        folder = os.open(path.parent, os.O_RDONLY)
        try:
            with socket.socket(socket.AF_UNIX) as sock:
                sock.bind(f"/proc/self/fd/{folder}/{path.name}")
        finally:
            os.close(folder)

    def mkdir(self, rel: str, mode: int | None = None) -> Path:
        path = self.root / rel
        path.mkdir(parents=True, exist_ok=True)
        if mode is not None:
            path.chmod(mode)
        return path


def remove_tree(top: Path) -> None:
    """Remove a case's folder without recursion (its folders may nest 1,100 deep), whatever
    the modes a case set on them."""
    folders: list[Path] = []
    stack = [top]
    while stack:
        folder = stack.pop()
        folder.chmod(0o700)
        folders.append(folder)
        with os.scandir(folder) as entries:
            for entry in entries:
                path = folder / entry.name
                if entry.is_dir(follow_symlinks=False):
                    stack.append(path)
                else:
                    path.unlink()
    for folder in reversed(folders):
        folder.rmdir()
