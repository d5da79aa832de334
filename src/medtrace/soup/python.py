"""Python lockfiles: uv.lock, poetry.lock, pylock.toml, Pipfile.lock, requirements*.txt.

TOML goes through the standard library's ``tomllib``, requirement lines through ``packaging``.
"""

from __future__ import annotations

import json
import tomllib
from typing import Any

from packaging.requirements import InvalidRequirement, Requirement

from medtrace.soup.errors import BadInput
from medtrace.soup.lines import LineFinder
from medtrace.soup.model import Lock, Package, normalise, reach
from medtrace.soup.registry import reader

__all__: list[str] = []

_POETRY_VERSIONS = ("1.0", "1.1", "2.0", "2.1")


def _need(condition: bool, message: str, expected: str, line: int = 0) -> None:
    if not condition:
        raise BadInput(message, expected=expected, line=line)


def _key(name: str) -> str:
    return normalise("pypi", name)


def _version_line(text: str, key: str) -> int:
    for number, line in enumerate(text.splitlines()[:40], 1):
        if line.strip().startswith(key):
            return number
    return 0


# @implements SRS-131
@reader("uv.lock", "uv.lock")
def read_uv(text: str, rel: str) -> Lock:
    data = tomllib.loads(text)
    version = data.get("version")
    _need(
        version == 1,
        f"unknown uv.lock version {version!r}",
        "version = 1",
        _version_line(text, "version"),
    )
    packages = data.get("package", [])
    _need(isinstance(packages, list), "'package' is not an array of tables", "[[package]]")
    lock = Lock(rel, "uv.lock", "pypi")
    own, runtime_roots, dev_roots = set(), set(), set()
    for entry in packages:
        key, source = _key(entry["name"]), entry.get("source", {})
        deps = {_key(d["name"]) for d in entry.get("dependencies", [])}
        for extra in entry.get("optional-dependencies", {}).values():
            deps |= {_key(d["name"]) for d in extra}
        lock.graph.setdefault(key, set()).update(deps)
        if any(k in source for k in ("editable", "virtual", "workspace")):
            own.add(key)
            runtime_roots |= deps
            for group in entry.get("dev-dependencies", {}).values():
                dev_roots |= {_key(d["name"]) for d in group}
    runtime = reach(lock.graph, runtime_roots)
    finder = LineFinder(text)
    for entry in packages:
        key = _key(entry["name"])
        line = finder.line(f'name = "{entry["name"]}"')
        if key in own:
            continue
        lock.packages.append(
            Package(
                "pypi",
                entry["name"],
                str(entry.get("version", "")),
                rel,
                line,
                direct=key in runtime_roots or key in dev_roots if own else None,
                dev=bool(own) and key not in runtime,
            )
        )
    lock.roots = (runtime_roots | dev_roots) - own
    return lock


# @implements SRS-131
@reader("poetry.lock", "poetry.lock")
def read_poetry(text: str, rel: str) -> Lock:
    data = tomllib.loads(text)
    version = str(data.get("metadata", {}).get("lock-version", ""))
    _need(
        version in _POETRY_VERSIONS,
        f"unknown poetry.lock lock-version {version!r}" if version else "no lock-version",
        "lock-version " + ", ".join(_POETRY_VERSIONS),
        _line_of(text, "lock-version"),
    )
    lock = Lock(rel, "poetry.lock", "pypi")
    finder = LineFinder(text)
    for entry in data.get("package", []):
        key = _key(entry["name"])
        lock.graph.setdefault(key, set()).update(_key(n) for n in entry.get("dependencies", {}))
        groups = entry.get("groups") or [entry.get("category", "main")]
        lock.packages.append(
            Package(
                "pypi",
                entry["name"],
                str(entry["version"]),
                rel,
                finder.line(f'name = "{entry["name"]}"'),
                dev="main" not in groups,
            )
        )
    return lock


def _line_of(text: str, needle: str) -> int:
    at = text.find(needle)
    return text.count("\n", 0, at) + 1 if at != -1 else 0


# @implements SRS-131
@reader("pylock.toml", "pylock.toml", "pylock.*.toml")
def read_pylock(text: str, rel: str) -> Lock:
    data = tomllib.loads(text)
    version = str(data.get("lock-version", ""))
    _need(
        version.split(".")[0] == "1",
        f"unknown pylock lock-version {version!r}",
        "lock-version = '1.0' (PEP 751)",
        _line_of(text, "lock-version"),
    )
    lock = Lock(rel, "pylock.toml", "pypi")
    finder = LineFinder(text)
    for entry in data.get("packages", []):
        name = entry["name"]
        line = finder.line(f'name = "{name}"', f"name = '{name}'")
        deps = {_key(d["name"]) for d in entry.get("dependencies", []) if "name" in d}
        lock.graph.setdefault(_key(name), set()).update(deps)
        lock.packages.append(Package("pypi", name, str(entry.get("version", "")), rel, line))
    return lock


# @implements SRS-131
@reader("Pipfile.lock", "Pipfile.lock")
def read_pipfile(text: str, rel: str) -> Lock:
    data = json.loads(text)
    _need(isinstance(data, dict), "not a JSON object", "a Pipfile.lock object")
    spec = data.get("_meta", {}).get("pipfile-spec")
    _need(spec == 6, f"unknown pipfile-spec {spec!r}", "pipfile-spec 6", _line_of(text, "spec"))
    lock = Lock(rel, "Pipfile.lock", "pypi")
    finder = LineFinder(text)
    for section, dev in (("default", False), ("develop", True)):
        for name, entry in data.get(section, {}).items():
            version = str(entry.get("version", "")).removeprefix("==")
            line = finder.line(f'"{name}": {{')
            lock.packages.append(Package("pypi", name, version, rel, line, direct=None, dev=dev))
    return lock


# @implements SRS-131
@reader("requirements.txt", "requirements*.txt", "*requirements.txt")
def read_requirements(text: str, rel: str) -> Lock:
    lock = Lock(rel, "requirements.txt", "pypi")
    pins: list[tuple[Requirement, int, list[str]]] = []
    for line, logical, comment in _logical_lines(text):
        if comment is not None:
            if pins:
                _via(pins[-1][2], comment)
            continue
        if logical.startswith("-"):
            _need(
                not logical.startswith(("-e", "--editable")),
                f"an editable requirement '{logical}' is no pinned package",
                "name==version lines",
                line,
            )
            continue  # --index-url, -r, -c and other options
        try:
            req = Requirement(logical)
        except InvalidRequirement as exc:
            raise BadInput(
                f"not a requirement: {exc}", expected="name==version", line=line
            ) from None
        pins.append((req, line, []))
    for req, line, via in pins:
        lock.packages.append(_pin(req, line, via, rel, lock))
    return lock


def _pin(req: Requirement, line: int, via: list[str], rel: str, lock: Lock) -> Package:
    specs = list(req.specifier)
    exact = len(specs) == 1 and specs[0].operator in ("==", "===") and "*" not in specs[0].version
    _need(exact, f"'{req}' is not pinned to one version", "name==version", line)
    key = _key(req.name)
    direct = any(v.startswith("-r") or v.endswith(")") for v in via) if via else None
    for parent in via:
        if not parent.startswith("-"):
            lock.graph.setdefault(_key(parent.split()[0]), set()).add(key)
    if direct:
        lock.roots.add(key)
    return Package("pypi", req.name, specs[0].version, rel, line, direct=direct)


def _via(into: list[str], comment: str) -> None:
    """Collect the names of a pip-compile ``# via`` comment (one line or an indented list)."""
    body = comment.strip()
    if body.startswith("via"):
        body = body[3:].strip()
        if body:
            into.append(body)
        else:
            into.append("")  # a list follows
    elif into and body and not body.startswith(("The following", "pip-compile")):
        into.append(body)
    while "" in into and len(into) > 1:
        into.remove("")


def _logical_lines(text: str) -> list[tuple[int, str, str | None]]:
    """(first line, requirement text, None) or (line, None-text, comment) for each logical line.

    Backslash continuations are joined; a comment ends the line (pip-compile of 2021 wrote the
    last ``--hash`` with a trailing backslash, running on into the ``# via`` comment line).
    """
    out: list[tuple[int, str, str | None]] = []
    pending, start = "", 0
    for number, raw in enumerate(text.splitlines(), 1):
        stripped = raw.strip()
        if not pending:
            start = number
        if stripped.startswith("#"):
            if pending:
                out.append((start, _requirement(pending), None))
                pending = ""
            out.append((number, "", stripped[1:]))
            continue
        if stripped.endswith("\\"):
            pending += " " + stripped[:-1]
            continue
        pending += " " + stripped
        if pending.strip():
            out.append((start, _requirement(pending), None))
        pending = ""
    if pending.strip():
        out.append((start, _requirement(pending), None))
    return [o for o in out if o[2] is not None or o[1]]


def _requirement(logical: str) -> str:
    """The requirement of a logical line: without its comment and ``--hash`` options."""
    text = logical.split(" #", 1)[0]
    words = [w for w in text.split() if not w.startswith("--hash")]
    return " ".join(words).strip()


def read_pyproject_roots(text: str) -> set[str]:
    """Direct dependencies named in a pyproject.toml (PEP 621 with its extras and PEP 735
    dependency groups, or Poetry's tables with its groups), normalised."""
    data: dict[str, Any] = tomllib.loads(text)
    project = data.get("project", {})
    specs = list(project.get("dependencies", []))
    for extra in project.get("optional-dependencies", {}).values():
        specs += extra
    for group in data.get("dependency-groups", {}).values():
        specs += [g for g in group if isinstance(g, str)]
    names = set()
    for spec in specs:
        try:
            names.add(_key(Requirement(spec).name))
        except InvalidRequirement:
            continue
    poetry = data.get("tool", {}).get("poetry", {})
    tables = [poetry.get("dependencies", {}), poetry.get("dev-dependencies", {})]
    tables += [g.get("dependencies", {}) for g in poetry.get("group", {}).values()]
    for table in tables:
        names |= {_key(n) for n in table if n != "python"}
    return names


def read_pipfile_roots(text: str) -> set[str]:
    """Direct dependencies named in a Pipfile (``[packages]`` and ``[dev-packages]``)."""
    data: dict[str, Any] = tomllib.loads(text)
    return {_key(n) for section in ("packages", "dev-packages") for n in data.get(section, {})}
