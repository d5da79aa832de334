"""Recording reviews and approvals in the lock: who (git's ``user.name`` and ``user.email``, or
``--by``), when (now, UTC) and of which content."""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from pathlib import Path

from medtrace.model import Model
from medtrace.review.lock import Lock, Review
from medtrace.review.suspect import Fingerprints, ReviewLink
from medtrace.vcs.git import git

__all__ = ["approve", "mark_reviewed", "now_utc", "reviewer"]


def now_utc() -> str:
    """Now, UTC, to the second, ISO 8601 (``2026-01-05T10:00:00Z``)."""
    now = datetime.datetime.now(datetime.UTC).replace(microsecond=0)
    return now.isoformat().replace("+00:00", "Z")


# @implements SRS-248
def reviewer(root: Path, by: str | None = None) -> str | None:
    """Who reviews: ``by`` when given, else ``Name <email>`` from git's configuration
    (``None`` when neither says)."""
    if by and by.strip():
        return by.strip()
    name = (git(root, "config", "user.name") or "").strip()
    email = (git(root, "config", "user.email") or "").strip()
    if name and email:
        return f"{name} <{email}>"
    return name or email or None


# @implements SRS-248
def mark_reviewed(
    lock: Lock, links: Iterable[ReviewLink], prints: Fingerprints, by: str, at: str
) -> list[ReviewLink]:
    """Record each link as reviewed against its upstream end's current content; the links
    whose record changed (one already reviewed against this content is left as it is)."""
    changed: list[ReviewLink] = []
    for link in links:
        current = prints[link.upstream]
        known = lock.links.get(link.key)
        if known is not None and known.fingerprint == current:
            continue
        lock.links[link.key] = Review(current, by, at)
        changed.append(link)
    return changed


# @implements SRS-251
def approve(lock: Lock, model: Model, ids: Iterable[str], by: str, at: str) -> list[str]:
    """Record approvals of the items' current content; approvals of earlier content are
    dropped (git keeps them). The IDs whose record changed (one person approving the same
    content twice is recorded once)."""
    prints = Fingerprints(model)
    changed: list[str] = []
    for item_id in ids:
        current = prints[item_id]
        kept = [r for r in lock.approvals.get(item_id, []) if r.fingerprint == current]
        if any(r.by == by for r in kept):
            continue
        lock.approvals[item_id] = [*kept, Review(current, by, at)]
        changed.append(item_id)
    return changed
