"""Run a hostile case the way a user would and judge what came out.

A case's project is checked with ``medtrace check --format json`` and traced with ``medtrace
matrix --format json`` (plus the text and GitHub formats for cases that try to forge finding
lines), each in its own child process with a time limit and ``RLIMIT_AS`` (see
:mod:`hostile.runner`). :func:`judge` lists every way the runs broke the promises of the
hardening issue: nothing in a repository can run code, leak a secret, hang or crash medtrace,
every finding is located, and no input forges a finding.
"""

from __future__ import annotations

import json
import re
import subprocess
import sys
import threading
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from hostile.generate import Case
from hostile.project import Sizes, Workspace

__all__ = ["CaseRun", "Command", "Runner", "judge", "run_case"]

RUNNER = Path(__file__).with_name("runner.py")

#: Codes about a whole file (it cannot be read, decoded or scanned): no line to give.
FILE_LEVEL = {"MT001", "MT106", "MT108", "MT109", "MT110", "MT122"}
#: What reads as a finding line in the text format (``path[:line]: severity MTnnn ...``), real
#: or forged.
TEXT_FINDING = re.compile(r"^\S.*?: (?:error|warning|note) MT\d{3}\b", re.M)


@dataclass
class Command:
    """One command's run: its arguments and what it did."""

    argv: list[str]
    status: int | None
    signal: int | None
    timed_out: bool
    seconds: float
    maxrss_kb: int
    out: str
    err: str

    @property
    def label(self) -> str:
        return "medtrace " + " ".join(self.argv)


@dataclass
class CaseRun:
    case: Case
    workspace: Workspace
    commands: list[Command] = field(default_factory=list)
    build_error: str = ""

    @property
    def seconds(self) -> float:
        return sum(c.seconds for c in self.commands)


class Runner:
    """A runner server (one child process) that runs commands one after another."""

    def __init__(self, mode: str) -> None:
        self.mode = mode
        self._lock = threading.Lock()
        self._proc = subprocess.Popen(
            [sys.executable, str(RUNNER)],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
            encoding="utf-8",
        )

    def run(self, argv: list[str], cwd: Path, sizes: Sizes, secret: str, tag: str) -> Command:
        out, err = cwd.parent / f"{tag}.out", cwd.parent / f"{tag}.err"
        request = {
            "argv": argv,
            "cwd": str(cwd),
            "timeout": sizes.timeout,
            "memory": sizes.memory,
            "out": str(out),
            "err": str(err),
            "mode": self.mode,
            "env": _child_env(secret),
        }
        assert self._proc.stdin is not None and self._proc.stdout is not None
        with self._lock:
            self._proc.stdin.write(json.dumps(request) + "\n")
            self._proc.stdin.flush()
            answer = json.loads(self._proc.stdout.readline())
        return Command(
            argv,
            answer["status"],
            answer["signal"],
            answer["timed_out"],
            answer["seconds"],
            answer["maxrss_kb"],
            _read(out),
            _read(err),
        )

    def close(self) -> None:
        if self._proc.stdin is not None:
            self._proc.stdin.close()
        self._proc.wait(timeout=30)


def _child_env(secret: str) -> dict[str, str]:
    """No colour, wide lines, no debug; the secret is in the environment too (a link to
    ``/proc/self/environ`` must not leak it)."""
    return {
        "NO_COLOR": "1",
        "COLUMNS": "200",
        "TERM": "dumb",
        "PYTHONIOENCODING": "utf-8",
        "MEDTRACE_DEBUG": "",
        "FORCE_COLOR": "",
        "MEDTRACE_HOSTILE_SECRET": secret,
    }


def _read(path: Path) -> str:
    try:
        return path.read_bytes().decode("utf-8", "backslashreplace")
    except OSError:
        return ""


COMMANDS = (["check", "--format", "json"], ["matrix", "--format", "json"])
FORGE_COMMANDS = (["check", "--format", "text"], ["check", "--format", "github"])


def run_case(case: Case, base: Path, sizes: Sizes, runner: Runner) -> CaseRun:
    """Make the case's project under ``base`` and run the commands on it."""
    ws = Workspace(base, sizes)
    done = CaseRun(case, ws)
    try:
        ws.create()
        case.build(ws)
    except OSError as exc:
        done.build_error = f"could not make the case: {exc}"
        return done
    commands = [*COMMANDS, *(FORGE_COMMANDS if case.forge else ())]
    for i, argv in enumerate(commands):
        done.commands.append(runner.run(list(argv), ws.root, sizes, ws.token, f"run{i}"))
        if done.commands[-1].timed_out:
            break  # the hang is reported; the next commands would wait for it again
    return done


# --------------------------------------------------------------------------- judging


def judge(run: CaseRun) -> list[str]:
    """Every broken promise, one sentence each (empty: the case passed)."""
    if run.build_error:
        return [run.build_error]
    problems: list[str] = []
    for command in run.commands:
        problems += [f"{command.label}: {p}" for p in _process(command, run)]
    if run.workspace.marker.exists():
        problems.append("an input ran code: the marker file was created")
    check = run.commands[0]
    problems += _check_json(check, run.case)
    if len(run.commands) > 1:
        problems += _matrix_json(run.commands[1], run.case)
    if len(run.commands) > 3:
        problems += _forged(run.commands[2], run.commands[3], check)
    return problems


def _process(command: Command, run: CaseRun) -> list[str]:
    both = command.out + command.err
    problems = []
    if command.timed_out:
        problems.append(f"hang: no answer within {run.workspace.sizes.timeout:.0f} s")
    elif command.signal is not None:
        problems.append(f"killed by signal {command.signal}")
    elif command.status not in (0, 1, 2):
        problems.append(f"exit code {command.status}, expected 0, 1 or 2")
    for needle in ("Traceback", "internal error"):
        if needle in both:
            problems.append(f"{needle!r} in the output: {_around(both, needle)}")
    if run.workspace.token in both:
        problems.append(f"the secret leaked: {_around(both, run.workspace.token)}")
    if "\x1b" in both:
        problems.append(f"a raw terminal escape in the output: {_around(both, chr(27))}")
    for pattern in run.case.forbid:
        found = re.search(pattern, both)
        if found:
            problems.append(f"wrong evidence: {pattern!r} matched: {_around(both, found.group())}")
    return problems


def _around(text: str, needle: str, width: int = 100) -> str:
    at = text.find(needle)
    return repr(text[max(0, at - width) : at + len(needle) + width])


def _check_json(command: Command, case: Case) -> list[str]:
    if command.timed_out or command.signal is not None:
        return []
    if command.status == 2:
        return _config_error(command)
    try:
        doc = json.loads(command.out)
        diagnostics: list[dict[str, Any]] = doc["diagnostics"]
    except (ValueError, KeyError, TypeError) as exc:
        return [f"check: the JSON report does not parse ({exc}): {command.out[:200]!r}"]
    problems = []
    for d in diagnostics:
        if not d.get("path"):
            problems.append(f"check: a finding without a file: {d['code']} {d['message'][:200]!r}")
        elif _needs_line(d, case) and (not isinstance(d.get("line"), int) or d["line"] < 1):
            problems.append(
                f"check: a finding without a line: {d['path']} {d['code']} {d['message'][:200]!r}"
            )
    if case.finding and not any(d.get("path") in case.hostile for d in diagnostics):
        problems.append(f"check: silent miss: no finding names {', '.join(case.hostile)}")
    for pattern in case.expect:
        if not re.search(pattern, command.out):
            problems.append(f"check: silent miss: nothing in the report matches {pattern!r}")
    return problems


def _needs_line(d: dict[str, Any], case: Case) -> bool:
    """A finding about the content of a hostile text file says on which line."""
    return case.lines and d["path"] in case.hostile and d["code"] not in FILE_LEVEL


def _config_error(command: Command) -> list[str]:
    """Exit 2: a usage or configuration error, said on standard error with its place."""
    if not command.err.strip():
        return ["check: exit 2 with nothing said on standard error"]
    problems = []
    for line in command.err.splitlines():
        if re.search(r" error MT\d{3} ", line) and not re.match(
            r"(medtrace|pyproject)\.toml", line
        ):
            problems.append(f"check: a configuration problem without its file: {line[:200]!r}")
    return problems


def _matrix_json(command: Command, case: Case) -> list[str]:
    if command.timed_out or command.signal is not None or command.status != 0:
        return []
    try:
        json.loads(command.out)
    except ValueError as exc:
        return [f"matrix: the JSON does not parse ({exc}): {command.out[:200]!r}"]
    if case.survives and '"SRS-1"' not in command.out:
        return ["matrix: the valid requirement SRS-1 is missing next to the hostile input"]
    return []


def _forged(text: Command, github: Command, check: Command) -> list[str]:
    """As many finding lines in the text and GitHub formats as findings in the JSON."""
    if check.status not in (0, 1):
        return []
    try:
        expected = len(json.loads(check.out)["diagnostics"])
    except (ValueError, KeyError, TypeError):
        return []
    problems = []
    lines = len(TEXT_FINDING.findall(text.out))
    if lines != expected:
        problems.append(f"check text: {lines} finding lines for {expected} findings (forged?)")
    annotations = sum(1 for line in github.out.splitlines() if line.startswith("::"))
    if annotations != expected:
        problems.append(
            f"check github: {annotations} workflow commands for {expected} findings (forged?)"
        )
    return problems
