"""``medtrace soup --sync``: add the unlisted packages as draft SOUP items and update versions.

The SOUP list file is edited with ``ruamel.yaml``'s round-trip mode, so comments, key order,
quoting and the layout of the person's entries are kept; a draft gets every field the lockfile
or SBOM knows (name, version, package URL, licence, supplier) and ``status: draft``; of an
existing item only ``version`` (and the version inside its ``purl``) changes. The file is
written atomically (:func:`medtrace.fsutil.write_atomic`): an interrupted write leaves the old
file as it was.
"""

from __future__ import annotations

import io
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from packageurl import PackageURL
from ruamel.yaml import YAML
from ruamel.yaml.comments import CommentedMap, CommentedSeq

from medtrace.errors import UsageError
from medtrace.fsutil import write_atomic
from medtrace.model import Model
from medtrace.soup.drift import Mismatch, Report
from medtrace.soup.model import Package

__all__ = ["Synced", "purl_of", "sync"]

_ID = re.compile(r"[A-Za-z0-9@][A-Za-z0-9@/._+-]*")


@dataclass
class Synced:
    """What ``--sync`` did: the file, the drafts added, the versions changed, what it left."""

    path: str
    added: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)


def purl_of(p: Package) -> str:
    """The package URL of a locked package (the SBOM's own, when it gave one)."""
    if p.purl:
        return p.purl
    namespace, name = None, p.name
    if p.ecosystem == "npm" and name.startswith("@") and "/" in name:
        namespace, name = name.split("/", 1)
    return str(PackageURL(type=p.ecosystem or "generic", namespace=namespace, name=name,
                          version=p.version or None))  # fmt: skip


def _target(model: Model, configured: str) -> str:
    if configured:
        return configured
    for item in model.of_kind("soup"):
        if item.path.endswith((".yaml", ".yml")):
            return item.path
    raise UsageError(
        '--sync needs a YAML file of SOUP items to add to: set [soup] list = "docs/soup.yaml"'
    )


def _draft(p: Package, taken: set[str]) -> CommentedMap:
    ident = p.name if _ID.fullmatch(p.name) and p.name not in taken else f"{p.name}-{p.version}"
    entry = CommentedMap()
    entry["id"] = ident
    entry["title"] = p.name
    entry["status"] = "draft"
    if p.supplier:
        entry["manufacturer"] = p.supplier
    entry["version"] = p.version
    if p.license:
        entry["license"] = p.license
    entry["package"] = p.name
    entry["purl"] = purl_of(p)
    taken.add(ident)
    return entry


def _load(path: Path) -> tuple[YAML, Any]:
    yaml = YAML(typ="rt")
    yaml.preserve_quotes = True
    yaml.width = 1_000_000  # never fold a line the person wrote
    yaml.indent(mapping=2, sequence=4, offset=2)
    try:
        doc = yaml.load(path.read_text(encoding="utf-8"))
    except OSError as exc:
        raise UsageError(f"--sync: cannot read {path}: {exc.strerror}") from None
    except Exception as exc:  # ruamel's parser errors have no common base besides Exception
        raise UsageError(f"--sync: {path} is not valid YAML: {exc}") from None
    if doc is None:
        doc = CommentedMap(kind="soup", items=CommentedSeq())
    if not isinstance(doc, dict) or not isinstance(doc.get("items", []), list):
        raise UsageError(f"--sync: {path} is not a file of items ('kind:' and 'items:')")
    doc.setdefault("items", CommentedSeq())
    return yaml, doc


def _update(entries: list[Any], mismatches: Iterable[Mismatch], rel: str, out: Synced) -> None:
    by_id = {e.get("id"): e for e in entries if isinstance(e, dict)}
    for m in mismatches:
        versions = sorted({p.version for p in m.locked})
        item = m.entry.item
        entry = by_id.get(item.id)
        if entry is None or item.path != rel or len(versions) != 1:
            out.skipped.append(f"{item.id}: locked {', '.join(versions)} (update it by hand)")
            continue
        old, new = str(entry.get("version")), versions[0]
        entry["version"] = new
        purl = entry.get("purl")
        if isinstance(purl, str) and purl.endswith(f"@{old}"):
            entry["purl"] = purl[: -len(old)] + new
        out.updated.append(f"{item.id}: {old} → {new}")


# @implements SRS-139
def sync(model: Model, report: Report, root: Path, configured: str = "") -> Synced:
    """Add drafts for the unlisted packages, update the versions of mismatched items."""
    rel = _target(model, configured)
    path = root / rel
    out = Synced(rel)
    if not report.unlisted and not report.mismatched:
        return out
    if not path.exists():
        raise UsageError(f"--sync: {rel} does not exist; create it with 'kind: soup' first")
    yaml, doc = _load(path)
    entries = doc["items"]
    _update(entries, report.mismatched, rel, out)
    taken = {item.id for item in model} | {str(e.get("id")) for e in entries if isinstance(e, dict)}
    for u in report.unlisted:
        draft = _draft(u.package, taken)
        entries.append(draft)
        out.added.append(f"{draft['id']} {u.package.version}")
    buffer = io.StringIO()
    yaml.dump(doc, buffer)
    write_atomic(path, buffer.getvalue())
    return out
