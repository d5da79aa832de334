"""Change control of the items: content fingerprints, the lock file of link reviews and
approvals, suspect links and the status workflow."""

from medtrace.review.approval import (
    APPROVED,
    CHANGED,
    UNAPPROVED,
    approval_of,
    approval_state,
    approval_states,
)
from medtrace.review.fingerprint import fingerprint
from medtrace.review.lock import Lock, Review, dump_lock, load_lock, save_lock
from medtrace.review.record import approve, mark_reviewed, now_utc, reviewer
from medtrace.review.suspect import (
    Fingerprints,
    ReviewLink,
    SuspectLink,
    links_under_review,
    stale_entries,
    suspect_links,
    unreviewed_links,
    verification_judge,
)

__all__ = [
    "APPROVED",
    "CHANGED",
    "UNAPPROVED",
    "Fingerprints",
    "Lock",
    "Review",
    "ReviewLink",
    "SuspectLink",
    "approval_of",
    "approval_state",
    "approval_states",
    "approve",
    "dump_lock",
    "fingerprint",
    "links_under_review",
    "load_lock",
    "mark_reviewed",
    "now_utc",
    "reviewer",
    "save_lock",
    "stale_entries",
    "suspect_links",
    "unreviewed_links",
    "verification_judge",
]
