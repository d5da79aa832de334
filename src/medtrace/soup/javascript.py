"""JavaScript lockfiles: package-lock.json (v1-v3), pnpm-lock.yaml (v6, v9), yarn.lock.

JSON goes through the standard library, pnpm and Yarn Berry (YAML) through PyYAML's safe loader.
Yarn classic ("yarn lockfile v1") is neither JSON nor YAML: the only parser on PyPI (pyarn) is
GPL-3.0, which an Apache-2.0 tool cannot take in, so :func:`_yarn_classic_entries` reads it: one
header line per entry, two-space fields, four-space dependencies, nothing more.
"""

from __future__ import annotations

import json
from dataclasses import replace
from typing import Any

import yaml

from medtrace.soup.errors import BadInput
from medtrace.soup.lines import LineFinder
from medtrace.soup.model import Lock, Package, reach
from medtrace.soup.registry import reader

__all__: list[str] = []

_Loader: Any = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def _need(condition: bool, message: str, expected: str, line: int = 0) -> None:
    if not condition:
        raise BadInput(message, expected=expected, line=line)


def _split_spec(spec: str) -> tuple[str, str]:
    """``@scope/name@range`` → (``@scope/name``, ``range``)."""
    at = spec.rfind("@")
    if at <= 0:
        return spec, ""
    return spec[:at], spec[at + 1 :]


# @implements SRS-131
@reader("package-lock.json", "package-lock.json", "npm-shrinkwrap.json")
def read_npm(text: str, rel: str) -> Lock:
    data = json.loads(text)
    _need(isinstance(data, dict), "not a JSON object", "a package-lock.json object", 1)
    version = data.get("lockfileVersion")
    _need(
        version in (1, 2, 3),
        f"unknown lockfileVersion {version!r}",
        "lockfileVersion 1, 2 or 3",
        _line_of(text, '"lockfileVersion"'),
    )
    lock = Lock(rel, "package-lock.json", "npm")
    if version == 1 or "packages" not in data:
        _npm_tree(data.get("dependencies", {}), lock, LineFinder(text), top=True)
        lock.roots = {p.name.lower() for p in lock.packages if p.direct}
        return lock
    _npm_packages(data["packages"], lock, LineFinder(text))
    return lock


def _line_of(text: str, needle: str) -> int:
    at = text.find(needle)
    return text.count("\n", 0, at) + 1 if at != -1 else 0


def _npm_packages(packages: dict[str, Any], lock: Lock, finder: LineFinder) -> None:
    root = packages.get("", {})
    direct = {*root.get("dependencies", {}), *root.get("optionalDependencies", {})}
    direct_dev = set(root.get("devDependencies", {}))
    for path, entry in packages.items():
        if "node_modules/" not in path or entry.get("link"):
            continue  # the project itself, its workspaces and links to them
        installed = path.rsplit("node_modules/", 1)[1]
        name = entry.get("name", installed)
        deps = {*entry.get("dependencies", {}), *entry.get("optionalDependencies", {})}
        lock.graph.setdefault(installed.lower(), set()).update(d.lower() for d in deps)
        top = path.count("node_modules/") == 1
        lock.packages.append(
            Package(
                "npm",
                name,
                str(entry.get("version", "")),
                lock.path,
                finder.line(f'"{path}": {{'),
                direct=top and (installed in direct or installed in direct_dev),
                dev=bool(entry.get("dev")),
                license=str(entry.get("license", "")),
            )
        )
    lock.roots = {d.lower() for d in direct | direct_dev}


def _npm_tree(deps: dict[str, Any], lock: Lock, finder: LineFinder, *, top: bool) -> None:
    for name, entry in deps.items():
        lock.graph.setdefault(name.lower(), set()).update(
            r.lower() for r in entry.get("requires", {})
        )
        version = str(entry.get("version", ""))
        real = name
        if version.startswith("npm:"):  # an alias: npm:real-name@version
            real, version = _split_spec(version[4:])
        lock.packages.append(
            Package(
                "npm",
                real,
                version,
                lock.path,
                finder.line(f'"{name}": {{'),
                direct=top,
                dev=bool(entry.get("dev")),
            )
        )
        _npm_tree(entry.get("dependencies", {}), lock, finder, top=False)


# @implements SRS-131
@reader("pnpm-lock.yaml", "pnpm-lock.yaml")
def read_pnpm(text: str, rel: str) -> Lock:
    data = yaml.load(text, Loader=_Loader)
    _need(isinstance(data, dict), "not a YAML mapping", "a pnpm-lock.yaml mapping", 1)
    version = str(data.get("lockfileVersion", ""))
    _need(
        version.split(".")[0] in ("6", "9"),
        f"unknown lockfileVersion {version!r}",
        "lockfileVersion '6.0' or '9.0'",
        _line_of(text, "lockfileVersion"),
    )
    lock = Lock(rel, "pnpm-lock.yaml", "npm")
    importers = data.get("importers") or {".": data}
    runtime, dev_roots = set(), set()
    for importer in importers.values():
        for section in ("dependencies", "optionalDependencies"):
            runtime |= {n.lower() for n in (importer.get(section) or {})}
        dev_roots |= {n.lower() for n in (importer.get("devDependencies") or {})}
    graph_source = data.get("snapshots") or data.get("packages") or {}
    for key, entry in graph_source.items():
        name, _ = _pnpm_key(key)
        deps = {
            **(entry or {}).get("dependencies", {}),
            **(entry or {}).get("optionalDependencies", {}),
        }
        lock.graph.setdefault(name.lower(), set()).update(d.lower() for d in deps)
    reachable = reach(lock.graph, runtime)
    finder, seen = LineFinder(text), set()
    for key, entry in (data.get("packages") or {}).items():
        name, version = _pnpm_key(key)
        line = finder.line(f"{key}:", f"'{key}':")
        if (name, version) in seen:
            continue  # the same package with other peers
        seen.add((name, version))
        dev = (entry or {}).get("dev")
        lock.packages.append(
            Package(
                "npm",
                name,
                version,
                rel,
                line,
                direct=name.lower() in runtime | dev_roots,
                dev=bool(dev) if dev is not None else name.lower() not in reachable,
            )
        )
    lock.roots = runtime | dev_roots
    return lock


def _pnpm_key(key: str) -> tuple[str, str]:
    """``/@scope/name@1.2.3(peer@1)`` (v6) or ``name@1.2.3(peer@1)`` (v9) → name, version."""
    bare = key.lstrip("/").split("(", 1)[0]
    return _split_spec(bare)


def _is_berry(text: str) -> bool:
    return "\n__metadata:" in text[:2000] or text.startswith("__metadata:")


# @implements SRS-131
@reader("yarn.lock (berry)", "yarn.lock", sniff=_is_berry)
def read_yarn_berry(text: str, rel: str) -> Lock:
    data = yaml.load(text, Loader=_Loader)
    _need(isinstance(data, dict), "not a YAML mapping", "a Yarn Berry lockfile", 1)
    version = data.get("__metadata", {}).get("version")
    _need(
        isinstance(version, int) and 4 <= version <= 10,
        f"unknown __metadata version {version!r}",
        "__metadata version 4 to 10 (Yarn 2 to 4)",
        _line_of(text, "version:"),
    )
    lock = Lock(rel, "yarn.lock (berry)", "npm")
    finder = LineFinder(text)
    for spec, entry in data.items():
        if spec == "__metadata" or not isinstance(entry, dict):
            continue
        resolution = str(entry.get("resolution", ""))
        at = resolution.find("@", 1)  # name@npm:1.2.3, @scope/name@npm:1.2.3
        name = resolution[:at] if at > 0 else resolution
        deps = {d.lower() for d in entry.get("dependencies", {}) or {}}
        lock.graph.setdefault(name.lower(), set()).update(deps)
        line = finder.line(f'"{spec}":', f"{spec}:")
        if "@workspace:" in resolution:
            lock.roots |= deps
            continue
        if "@patch:" in resolution or "@virtual:" in resolution:
            continue  # the same package, patched or with its peers
        lock.packages.append(Package("npm", name, str(entry.get("version", "")), rel, line))
    lock.packages = [replace(p, direct=p.key in lock.roots) for p in lock.packages]
    return lock


# @implements SRS-131
@reader("yarn.lock (classic)", "yarn.lock")
def read_yarn_classic(text: str, rel: str) -> Lock:
    _need(
        "# yarn lockfile v1" in text[:500],
        "no '# yarn lockfile v1' header and no Yarn Berry __metadata",
        "a Yarn classic (v1) or Yarn Berry lockfile",
        1,
    )
    lock = Lock(rel, "yarn.lock (classic)", "npm")
    by_spec: dict[str, str] = {}
    entries = _yarn_classic_entries(text)
    for specs, line, fields, deps in entries:
        name = _split_spec(specs[0])[0]
        _need("version" in fields, f"entry '{specs[0]}' has no version", 'version "x.y.z"', line)
        for spec in specs:
            by_spec[spec] = name
        lock.packages.append(Package("npm", name, fields["version"], rel, line))
        lock.graph.setdefault(name.lower(), set()).update(d.lower() for d in deps)
    return lock


YarnEntry = tuple[list[str], int, dict[str, str], list[str]]


def _unquote(text: str) -> str:
    text = text.strip()
    return text[1:-1] if len(text) >= 2 and text[0] == text[-1] == '"' else text


def _yarn_classic_entries(text: str) -> list[YarnEntry]:
    out: list[YarnEntry] = []
    block = ""
    for number, raw in enumerate(text.splitlines(), 1):
        if not raw.strip() or raw.lstrip().startswith("#"):
            continue
        indent = len(raw) - len(raw.lstrip(" "))
        line = raw.strip()
        if indent == 0:
            _need(line.endswith(":"), f"entry header '{line}' does not end in ':'", "spec:", number)
            out.append(([_unquote(s) for s in line[:-1].split(", ")], number, {}, []))
            block = ""
            continue
        _need(bool(out), "a field before the first entry", "an entry header", number)
        if indent == 2:
            if line.endswith(":"):
                block = line[:-1]
                continue
            key, _, value = line.partition(" ")
            out[-1][2][_unquote(key)] = _unquote(value)
            block = ""
        elif block in ("dependencies", "optionalDependencies"):
            out[-1][3].append(
                _unquote(
                    line.partition(" ")[0]
                    if not line.startswith('"')
                    else line[: line.index('"', 1) + 1]
                )
            )
    return out
