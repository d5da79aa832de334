"""Build a large git repository of a medtrace project quickly, with ``git fast-import``.

The first commit holds the project: software requirements as one Markdown file each, risks as
YAML tables of 500, software items, tagged source files and their tests. Each later commit
changes one to three files: a requirement's text, one risk of a table, or a function of a source
file; the last ``--pr`` commits are a typical pull request (tag ``pr-base`` where it starts).
The output is a pure function of the options (same seed, same commits).

Usage: ``python bench/vcs/make_repo.py OUT --commits 10000 --items 20000``
"""

from __future__ import annotations

import argparse
import random
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

RISKS_PER_FILE = 500
FUNCTIONS_PER_FILE = 10
T0 = 1_700_000_000

CONFIG = """\
[project]
name = "bench"
class = "C"
[paths]
items = ["reqs"]
sources = ["src/**/*.py"]
tests = ["tests/**/*.py"]
"""


class Repo:
    """The files of the project as they are after the commits emitted so far."""

    def __init__(self, items: int, seed: int) -> None:
        self.rng = random.Random(seed)
        self.risks = max(1, items // 10)
        self.srs = items - self.risks
        self.modules = max(1, self.srs // FUNCTIONS_PER_FILE)
        self.files: dict[str, str] = {"medtrace.toml": CONFIG}
        self.risk_text: dict[int, str] = {}
        self.bodies: dict[tuple[int, int], int] = {}
        self._initial()

    def _initial(self) -> None:
        for n in range(1, self.srs + 1):
            self.files[self._srs_path(n)] = self._srs(n, 0)
        for n in range(1, self.risks + 1):
            self.risk_text[n] = f"Hazard {n}: wrong dose"
        for table in range(self._tables()):
            self.files[self._risk_path(table)] = self._risk_table(table)
        self.files["reqs/items.yaml"] = self._software_items()
        for m in range(self.modules):
            for f in range(FUNCTIONS_PER_FILE):
                self.bodies[(m, f)] = 0
            self.files[self._module_path(m)] = self._module(m)
            self.files[f"tests/test_mod{m}.py"] = self._test(m)

    def _tables(self) -> int:
        return (self.risks + RISKS_PER_FILE - 1) // RISKS_PER_FILE

    @staticmethod
    def _srs_path(n: int) -> str:
        return f"reqs/srs/{n // 1000:03d}/SRS-{n}.md"

    @staticmethod
    def _risk_path(table: int) -> str:
        return f"reqs/risks/risks-{table}.yaml"

    @staticmethod
    def _module_path(m: int) -> str:
        return f"src/item{m % 10}/mod{m}.py"

    def _srs(self, n: int, version: int) -> str:
        risk = (n % self.risks) + 1
        return (
            f"---\ntype: functional\nparents: []\nitem: item{(n // FUNCTIONS_PER_FILE) % 10}\n"
            f"controls: [RISK-{risk}]\n---\n# Requirement {n}\n\n"
            f"The software shall do thing {n} (revision {version}).\n"
        )

    def _risk_table(self, table: int) -> str:
        first = table * RISKS_PER_FILE + 1
        last = min(self.risks, first + RISKS_PER_FILE - 1)
        rows = [
            f'  - id: RISK-{n}\n    title: "{self.risk_text[n]}"\n    severity: serious\n'
            for n in range(first, last + 1)
        ]
        return "kind: risk\nitems:\n" + "".join(rows)

    @staticmethod
    def _software_items() -> str:
        return "".join(
            f"- id: item{i}\n  kind: software-item\n  title: Item {i}\n  class: C\n"
            f'  paths: ["src/item{i}/**"]\n'
            for i in range(10)
        )

    def _module(self, m: int) -> str:
        out = ['"""Module."""\n']
        for f in range(FUNCTIONS_PER_FILE):
            n = m * FUNCTIONS_PER_FILE + f + 1
            out.append(
                f"\n\n# @implements SRS-{n}\ndef f{f}(x):\n    return x + {self.bodies[(m, f)]}\n"
            )
        return "".join(out)

    def _test(self, m: int) -> str:
        out = ["import pytest\n"]
        for f in range(FUNCTIONS_PER_FILE):
            n = m * FUNCTIONS_PER_FILE + f + 1
            out.append(f'\n\n@pytest.mark.verifies("SRS-{n}")\ndef test_f{f}():\n    assert True\n')
        return "".join(out)

    def change(self, k: int) -> list[str]:
        """Make commit ``k``'s changes; the paths changed."""
        changed = []
        for _ in range(self.rng.randint(1, 3)):
            what = self.rng.random()
            if what < 0.4:
                n = self.rng.randint(1, self.srs)
                path = self._srs_path(n)
                self.files[path] = self._srs(n, k)
            elif what < 0.6:
                n = self.rng.randint(1, self.risks)
                self.risk_text[n] = f"Hazard {n}: wrong dose, seen in change {k}"
                path = self._risk_path((n - 1) // RISKS_PER_FILE)
                self.files[path] = self._risk_table((n - 1) // RISKS_PER_FILE)
            else:
                m = self.rng.randrange(self.modules)
                self.bodies[(m, self.rng.randrange(FUNCTIONS_PER_FILE))] = k
                path = self._module_path(m)
                self.files[path] = self._module(m)
            changed.append(path)
        return changed


def _data(text: str) -> bytes:
    raw = text.encode()
    return b"data %d\n%s\n" % (len(raw), raw)


def stream(repo: Repo, commits: int, pr: int) -> Iterator[bytes]:
    """The fast-import stream: the first commit, then one commit per change."""
    for k in range(commits):
        paths = sorted(repo.files) if k == 0 else sorted(set(repo.change(k)))
        when = T0 + k * 600
        message = "Initial project" if k == 0 else f"Change {k}"
        who = f"Dev {k % 7} <dev{k % 7}@example.org> {when} +0000"
        head = [b"commit refs/heads/main\n", b"mark :%d\n" % (k + 1)]
        head += [f"author {who}\n".encode(), f"committer {who}\n".encode(), _data(message)]
        if k:
            head.append(b"from :%d\n" % k)
        yield b"".join(head)
        for path in paths:
            yield f"M 100644 inline {path}\n".encode() + _data(repo.files[path])
        if k == commits - pr - 1:
            yield b"reset refs/tags/pr-base\nfrom :%d\n\n" % (k + 1)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("out", type=Path)
    parser.add_argument("--commits", type=int, default=10_000)
    parser.add_argument("--items", type=int, default=20_000)
    parser.add_argument("--pr", type=int, default=5, help="commits of the final pull request")
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args(argv)
    if args.out.exists():
        print(f"{args.out} exists; remove it first", file=sys.stderr)
        return 2
    args.out.mkdir(parents=True)
    subprocess.run(["git", "init", "-q", "-b", "main", str(args.out)], check=True)
    repo = Repo(args.items, args.seed)
    fast = subprocess.Popen(["git", "fast-import", "--quiet"], cwd=args.out, stdin=subprocess.PIPE)
    assert fast.stdin is not None
    for chunk in stream(repo, args.commits, args.pr):
        fast.stdin.write(chunk)
    fast.stdin.close()
    if fast.wait() != 0:
        return 1
    subprocess.run(["git", "checkout", "-q", "-f", "main"], cwd=args.out, check=True)
    print(
        f"{args.out}: {args.commits} commits, {args.items} items ({repo.srs} requirements, "
        f"{repo.risks} risks), {repo.modules} source files and as many test files"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
