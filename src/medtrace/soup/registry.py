"""Readers of lockfiles, SBOMs and vulnerability reports, registered by name.

A reader takes the text of one file and its project-relative path and returns a
:class:`~medtrace.soup.model.Lock` (or advisories), raising
:class:`~medtrace.soup.errors.BadInput` on a file it cannot read. :func:`read_lock` picks the
reader by file name (and content where one name has two formats) and turns every failure into a
located diagnostic, so that one broken file never stops the others.
"""

from __future__ import annotations

import fnmatch
import json
import re
import tomllib
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import yaml

from medtrace.registry import registrar
from medtrace.soup.codes import SOUP_INPUT
from medtrace.soup.errors import BadInput
from medtrace.soup.model import Advisory, Lock

__all__ = ["AUDITS", "READERS", "AuditReader", "Reader", "audit_reader", "reader", "reader_for"]

LockRead = Callable[[str, str], Lock]
AuditRead = Callable[[object, str], list[Advisory]]


@dataclass(frozen=True)
class Reader:
    name: str
    patterns: tuple[str, ...]
    read: LockRead
    sniff: Callable[[str], bool] | None = None


@dataclass(frozen=True)
class AuditReader:
    name: str
    sniff: Callable[[object], bool]
    read: AuditRead


READERS: dict[str, Reader] = {}
AUDITS: dict[str, AuditReader] = {}


def reader(
    name: str, *patterns: str, sniff: Callable[[str], bool] | None = None
) -> Callable[[LockRead], LockRead]:
    """Register a lockfile or SBOM reader for file names matching ``patterns``."""

    return registrar(READERS, name, lambda func: Reader(name, patterns, func, sniff))


def audit_reader(name: str, sniff: Callable[[object], bool]) -> Callable[[AuditRead], AuditRead]:
    """Register a reader of one scanner's JSON report, recognised by ``sniff``."""

    return registrar(AUDITS, name, lambda func: AuditReader(name, sniff, func))


def reader_for(path: str, text: str) -> Reader | None:
    """The reader of a file, by its name and, where two formats share a name, its content."""
    name = Path(path).name
    for found in READERS.values():
        if any(fnmatch.fnmatch(name, p) for p in found.patterns) and (
            found.sniff is None or found.sniff(text)
        ):
            return found
    return None


def parse_error_line(exc: Exception, text: str = "") -> int:
    """The line a TOML, JSON or YAML parser names in its error (the last line when the error
    is at the end of the document), else 0."""
    if isinstance(exc, json.JSONDecodeError):
        return exc.lineno
    if isinstance(exc, yaml.MarkedYAMLError) and exc.problem_mark is not None:
        return exc.problem_mark.line + 1
    if isinstance(exc, tomllib.TOMLDecodeError):
        lineno = getattr(exc, "lineno", None)
        if isinstance(lineno, int):
            return lineno
        message = str(exc)
        found = re.search(r"\bline (\d+)", message)
        if found:
            return int(found.group(1))
        if "end of document" in message:
            return text.count("\n") + (0 if text.endswith("\n") else 1)
    return 0


def bad(rel: str, message: str, *, expected: str = "", line: int = 0, hint: str = "") -> Lock:
    """An empty lock carrying one located diagnostic."""
    lock = Lock(rel, "unknown", "")
    lock.diagnostics.append(
        SOUP_INPUT(
            message,
            expected=expected,
            hint=hint or "regenerate the file with its tool, or remove it from the configuration",
            path=rel,
            line=line,
        )
    )
    return lock


def read_lock(text: str, rel: str) -> Lock:
    """Read one lockfile or SBOM; never raises on bad content."""
    found = reader_for(rel, text)
    if found is None and rel.endswith(".json"):
        try:
            json.loads(text)
        except json.JSONDecodeError as exc:
            return bad(
                rel,
                f"not valid JSON ({exc.msg})",
                expected="a complete CycloneDX or SPDX JSON SBOM",
                line=exc.lineno,
            )
    if found is None:
        return bad(
            rel,
            f"{Path(rel).name} is no lockfile or SBOM format medtrace reads",
            expected="one of " + ", ".join(sorted(READERS)),
        )
    try:
        lock = found.read(text, rel)
    except BadInput as exc:
        return bad(rel, f"{found.name}: {exc}", expected=exc.expected, line=exc.line)
    except (tomllib.TOMLDecodeError, json.JSONDecodeError, yaml.YAMLError) as exc:
        first = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
        return bad(
            rel,
            f"{found.name}: not valid {_syntax(found.name)} ({first})",
            expected=f"a complete {found.name} file",
            line=parse_error_line(exc, text),
        )
    except (KeyError, TypeError, ValueError, AttributeError, IndexError) as exc:
        return bad(
            rel,
            f"{found.name}: unexpected structure ({type(exc).__name__}: {exc})",
            expected=f"a {found.name} file as its tool writes it",
        )
    lock.format = found.name
    return lock


def _syntax(name: str) -> str:
    if name in ("uv.lock", "poetry.lock", "pylock.toml"):
        return "TOML"
    if name in ("pnpm-lock.yaml", "yarn.lock (berry)"):
        return "YAML"
    return "JSON"
