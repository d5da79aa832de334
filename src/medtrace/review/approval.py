"""Approvals and the status workflow: draft → review → approved → obsolete.

An approval records who approved which content (fingerprint) when. An item is ``approved``
while its content is the approved one; once it changes it is ``changed-since-approval`` (back
in review) until approved again; an item nobody approved is ``unapproved``.
"""

from __future__ import annotations

from medtrace.model import Item, Model
from medtrace.review.lock import Lock, Review
from medtrace.review.suspect import Fingerprints

__all__ = [
    "APPROVED",
    "CHANGED",
    "STATUSES",
    "UNAPPROVED",
    "approval_of",
    "approval_state",
    "approval_states",
]

APPROVED = "approved"
CHANGED = "changed-since-approval"
UNAPPROVED = "unapproved"

#: The values of the ``status`` field, in the order of the workflow.
STATUSES = ("draft", "review", "approved", "obsolete")


# @implements SRS-250
def approval_state(item: Item, lock: Lock, prints: Fingerprints) -> str:
    """``approved``, ``changed-since-approval`` or ``unapproved``."""
    reviews = lock.approvals.get(item.id)
    if not reviews:
        return UNAPPROVED
    current = prints[item.id]
    return APPROVED if any(r.fingerprint == current for r in reviews) else CHANGED


# @implements SRS-250
def approval_states(model: Model, lock: Lock) -> dict[str, str]:
    """Every item's approval state, by ID (for ``show``, the matrix and the release)."""
    prints = Fingerprints(model)
    return {item.id: approval_state(item, lock, prints) for item in model}


def approval_of(item: Item, lock: Lock, prints: Fingerprints) -> Review | None:
    """The latest approval of the item's current content, if any."""
    current = prints[item.id]
    found = [r for r in lock.approvals.get(item.id, []) if r.fingerprint == current]
    return max(found, key=lambda r: r.at) if found else None
