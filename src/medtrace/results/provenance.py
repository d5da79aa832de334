"""Where a results file comes from: the sidecar ``FILE.medtrace.json`` that ``medtrace results
record FILE`` writes next to a JUnit XML file when ``make`` or CI has run the suite.

::

    {"format": "medtrace-provenance 1", "results": "cloud.xml",
     "commit": "9f1c...", "dirty": false, "inputs": ["cloud/**"],
     "inputs_digest": "sha256:...", "files": 14, "time": "2026-12-05T10:15:04Z",
     "runner": "pytest", "platform": "Linux-6.1-x86_64", "python": "3.11.2"}

``inputs`` are the globs of the files the suite ran on (its code, tests, fixtures, specs,
headers: by default the project's ``paths.sources`` and ``paths.tests``); ``inputs_digest`` is
the SHA-256 of their paths and contents (folders that running a suite or a linter writes,
such as ``__pycache__``, ``.ruff_cache`` and ``node_modules``, are left out). ``check`` computes the digest again: when the files
changed since the run (one header, one fixture, one spec), every result of the file is stale.
``commit`` and ``dirty`` say which commit the run was on (git), for the record.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import platform
from collections.abc import Sequence
from dataclasses import asdict, dataclass
from pathlib import Path

from medtrace.diagnostics import Diagnostic
from medtrace.fs import Globs, Policy, read_regular, walk
from medtrace.results import codes
from medtrace.vcs.git import git

__all__ = [
    "FORMAT",
    "SUFFIX",
    "Provenance",
    "inputs_digest",
    "make_provenance",
    "read_provenance",
]

FORMAT = "medtrace-provenance 1"
#: The sidecar of ``FILE`` is ``FILE`` + this.
SUFFIX = ".medtrace.json"
_MAX_SIDECAR_BYTES = 1024 * 1024
_MAX_INPUT_BYTES = 256 * 1024 * 1024
#: Folders never part of a run's inputs: what running the suite, or the developer tools run
#: beside it (linters, type checkers, environment managers), writes or installs. A ``ruff
#: check`` after the tests must not make their results stale.
SKIPPED = frozenset(
    {
        ".git",
        ".medtrace",
        "__pycache__",
        ".pytest_cache",
        ".mypy_cache",
        ".ruff_cache",
        ".hypothesis",
        ".tox",
        ".nox",
        ".venv",
        "node_modules",
    }
)


@dataclass(frozen=True, slots=True)
class Provenance:
    """What a sidecar says about one results file (see the module)."""

    results: str
    commit: str | None
    dirty: bool | None
    inputs: tuple[str, ...]
    inputs_digest: str
    files: int
    time: str
    runner: str
    platform: str
    python: str

    def to_json(self) -> str:
        data = {"format": FORMAT, **asdict(self), "inputs": list(self.inputs)}
        return json.dumps(data, indent=2, ensure_ascii=False) + "\n"


# @implements SRS-174
def inputs_digest(root: Path, inputs: Sequence[str]) -> tuple[str, int]:
    """The SHA-256 of the paths and contents of the files ``inputs`` select, and their count.
    A file that cannot be read counts by its path and the reason (the digest then differs from
    any run that could read it)."""
    policy = Policy("provenance inputs", _unreadable, skip_names=SKIPPED)
    walked = walk(root, Globs(list(inputs)), policy)
    digest = hashlib.sha256()
    files = sorted(walked.files, key=lambda f: f.rel)
    for found in files:
        content = read_regular(found.path, _MAX_INPUT_BYTES, found.stat)
        body = hashlib.sha256(content.data).hexdigest() if content.ok else f"!{content.reason}"
        digest.update(f"{found.rel}\0{body}\n".encode())
    return "sha256:" + digest.hexdigest(), len(files)


def _unreadable(rel: str, reason: str) -> Diagnostic:
    return codes.malformed(rel, f"a provenance input that cannot be read ({reason})")


def make_provenance(root: Path, results: str, inputs: Sequence[str], runner: str) -> Provenance:
    """The provenance of a results file written now, for the files ``inputs`` select."""
    digest, count = inputs_digest(root, inputs)
    commit = git(root, "rev-parse", "HEAD")
    status = git(root, "status", "--porcelain", "--", *inputs) if commit is not None else None
    return Provenance(
        results=results,
        commit=commit.strip() if commit else None,
        dirty=bool(status.strip()) if status is not None else None,
        inputs=tuple(inputs),
        inputs_digest=digest,
        files=count,
        time=dt.datetime.now(dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ"),
        runner=runner,
        platform=platform.platform(),
        python=platform.python_version(),
    )


def read_provenance(root: Path, results: str) -> Provenance | Diagnostic | None:
    """The sidecar of ``results`` (a path relative to ``root``): None when there is none, a
    diagnostic when it cannot be used."""
    path = root / (results + SUFFIX)
    if not path.is_file():
        return None
    content = read_regular(str(path), _MAX_SIDECAR_BYTES)
    if not content.ok:
        return _bad(results, f"cannot be read ({content.reason})")
    try:
        data = json.loads(content.data)
    except (ValueError, UnicodeDecodeError) as exc:
        return _bad(results, f"is not JSON ({exc})")
    return _parsed(results, data)


def _parsed(results: str, data: object) -> Provenance | Diagnostic:
    if not isinstance(data, dict) or data.get("format") != FORMAT:
        return _bad(results, f"is not a '{FORMAT}' record")
    inputs = data.get("inputs")
    digest = data.get("inputs_digest")
    if not (isinstance(inputs, list) and all(isinstance(i, str) for i in inputs)) or not (
        isinstance(digest, str)
    ):
        return _bad(results, "has no 'inputs' list or 'inputs_digest'")

    def text(key: str) -> str:
        value = data.get(key)
        return value if isinstance(value, str) else ""

    commit = data.get("commit")
    dirty = data.get("dirty")
    files = data.get("files")
    return Provenance(
        results=results,
        commit=commit if isinstance(commit, str) else None,
        dirty=dirty if isinstance(dirty, bool) else None,
        inputs=tuple(inputs),
        inputs_digest=digest,
        files=files if isinstance(files, int) else 0,
        time=text("time"),
        runner=text("runner"),
        platform=text("platform"),
        python=text("python"),
    )


def _bad(results: str, what: str) -> Diagnostic:
    return codes.malformed(
        results + SUFFIX,
        f"the provenance record of {results} {what}",
        hint=f"write it again with 'medtrace results record {results}' after the test run",
    )
