"""Rules on reviews and approvals: the lock file, suspect and unreviewed links, approvals and
the status workflow (see :mod:`medtrace.review` and ``medtrace docs changes``).

Reviews are used when the project has a lock file or a ``[review]`` table; otherwise these
rules say nothing.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from medtrace.checks.context import Context
from medtrace.checks.registry import rule
from medtrace.checks.shared import entries_with
from medtrace.config import setting_location
from medtrace.diagnostics import CODES, Diagnostic, Severity
from medtrace.review import (
    APPROVED,
    CHANGED,
    UNAPPROVED,
    Fingerprints,
    Lock,
    ReviewLink,
    approval_state,
    links_under_review,
    load_lock,
    stale_entries,
)
from medtrace.review.approval import STATUSES
from medtrace.tracing import Status

_NEEDS = ("model", "trace")
#: Statuses that say an item is not approved yet: its missing approval is a warning.
_IN_PROGRESS = ("draft", "review")
_REVIEW_ALL = "run 'medtrace review --all' once to record the links as they are now as reviewed"


@dataclass
class _Reviews:
    lock: Lock
    prints: Fingerprints
    tests: list[tuple[str, list[str]]]
    links: list[ReviewLink]
    used: bool
    #: test key → where the test is (path, line)
    places: dict[str, tuple[str, int]]


def _reviews(ctx: Context) -> _Reviews:
    """The lock and the links under review, read once per check."""
    found = ctx.extras.get("reviews")
    if isinstance(found, _Reviews):
        return found
    spec = ctx.config.review
    lock = load_lock(ctx.config.root, spec.lock)
    used = lock.exists or "review" in ctx.config.model_fields_set
    tests = [(t.key, list(t.verifies)) for t in ctx.trace.tests] if lock.exists else []
    links = links_under_review(ctx.model, spec.links, tests) if lock.exists else []
    places = {t.key: (t.path, t.line) for t in ctx.trace.tests} if lock.exists else {}
    made = _Reviews(lock, Fingerprints(ctx.model), tests, links, used, places)
    ctx.extras["reviews"] = made
    read = ctx.extras.get("read_files")
    if isinstance(read, set):
        read.add(spec.lock)
    return made


def _active(ctx: Context) -> _Reviews | None:
    """The reviews, when the project uses them and has made its baseline."""
    reviews = _reviews(ctx)
    return reviews if reviews.used and reviews.lock.exists else None


def _graded(ctx: Context, d: Diagnostic, classes: list[str], item_id: str) -> Diagnostic:
    """``d`` as an error when the item it is about is of one of ``classes``."""
    item = ctx.model.get(item_id)
    cls = ctx.item_class(item) if item is not None else ctx.config.safety_class
    if cls in classes and d.severity is Severity.WARNING:
        return dataclasses.replace(d, severity=Severity.ERROR)
    return d


# @implements SRS-253
@rule(
    "MT213",
    "review-baseline-missing",
    Severity.WARNING,
    "The project uses reviews but has no lock file yet.",
    needs=_NEEDS,
)
def review_baseline_missing(ctx: Context) -> Iterator[Diagnostic]:
    reviews = _reviews(ctx)
    if not reviews.used or reviews.lock.exists:
        return
    yield CODES["MT213"](
        f"the project has a [review] table but no lock file {ctx.config.review.lock}",
        expected="a lock file holding the reviewed links and approvals",
        hint=_REVIEW_ALL + " (and commit the file); suspect links are found from then on",
        **setting_location(ctx.config, ["review"]),
    )


# @implements SRS-246
@rule(
    "MT214",
    "lock-invalid",
    Severity.ERROR,
    "The lock file of reviews and approvals cannot be read, or an entry in it is malformed.",
    needs=_NEEDS,
)
def lock_invalid(ctx: Context) -> Iterator[Diagnostic]:
    reviews = _reviews(ctx)
    yield from reviews.lock.problems
    if not reviews.lock.exists:
        return
    code = CODES["MT214"]
    for key in stale_entries(ctx.model, reviews.lock, reviews.tests, ctx.config.review.links):
        yield dataclasses.replace(
            code(
                f"the lock file has an entry for '{key}', which is no longer in the project",
                expected="entries for the links and items of the project",
                hint="run 'medtrace review --prune' to drop entries of removed links and items",
                path=reviews.lock.rel,
                line=reviews.lock.line_of(key),
            ),
            severity=Severity.NOTE,
        )


def _where(ctx: Context, link: ReviewLink) -> dict[str, Any]:
    """Where a finding about a link goes: the field of the item that holds it, or the test."""
    source = ctx.model.get(link.source)
    if source is not None:
        return ctx.at(source, link.field)
    place = _reviews(ctx).places.get(link.source)
    if place is not None:
        return {"path": place[0], "line": place[1], "item": link.target}
    return {"item": link.target}


# @implements SRS-247
@rule(
    "MT215",
    "link-suspect",
    Severity.WARNING,
    "A link's target (the end it relies on) changed since the link was reviewed.",
    needs=_NEEDS,
)
def link_suspect(ctx: Context) -> Iterator[Diagnostic]:
    reviews = _active(ctx)
    if reviews is None:
        return
    code = CODES["MT215"]
    for link in reviews.links:
        review = reviews.lock.links.get(link.key)
        if review is None or review.fingerprint == reviews.prints[link.upstream]:
            continue
        d = code(
            f"suspect link {link.source} -> {link.target} ('{link.field}'): {link.upstream} "
            f"changed since the link was reviewed ({review.at}, {review.by or 'unknown'})",
            expected=f"{link.dependent} reviewed against the current {link.upstream}",
            hint=f"check that {link.dependent} still holds with the new {link.upstream}, then run "
            f"'medtrace review {link.source}' (or 'medtrace review --all-of {link.upstream}')",
            related=(link.upstream,),
            **_where(ctx, link),
        )
        yield _graded(ctx, d, list(ctx.config.review.suspect_links), link.upstream)


# @implements SRS-247
@rule(
    "MT216",
    "link-unreviewed",
    Severity.NOTE,
    "A link was never reviewed (it is newer than the lock file's entries).",
    needs=_NEEDS,
)
def link_unreviewed(ctx: Context) -> Iterator[Diagnostic]:
    reviews = _active(ctx)
    if reviews is None:
        return
    code = CODES["MT216"]
    for link in reviews.links:
        if link.key in reviews.lock.links:
            continue
        yield code(
            f"link {link.source} -> {link.target} ('{link.field}') was never reviewed",
            expected="a review of the link in the lock file",
            hint=f"run 'medtrace review {link.source}' once it is reviewed",
            **_where(ctx, link),
        )


def needs_approval(ctx: Context) -> Iterator[tuple[Any, str]]:
    """The traced items whose class requires approval, with their approval state."""
    reviews = _active(ctx)
    if reviews is None:
        return
    classes = ctx.config.review.approval
    for kind in ctx.config.traced_kinds:
        for item in ctx.model.of_kind(kind):
            if item.get("status") == "obsolete" or ctx.item_class(item) not in classes:
                continue
            yield item, approval_state(item, reviews.lock, reviews.prints)


# @implements SRS-250
@rule(
    "MT217",
    "approval-outdated",
    Severity.ERROR,
    "An approved item's content changed since its approval: it is back in review.",
    needs=_NEEDS,
)
def approval_outdated(ctx: Context) -> Iterator[Diagnostic]:
    code = CODES["MT217"]
    for item, state in needs_approval(ctx):
        if state != CHANGED:
            continue
        yield code(
            f"{item.id} changed since it was approved: it is back in review",
            expected="an approval of its current content",
            hint=f"review the change (medtrace history {item.id}), then run "
            f"'medtrace approve {item.id}'",
            **ctx.at(item),
        )


# @implements SRS-250
@rule(
    "MT218",
    "approval-missing",
    Severity.ERROR,
    "An item of a class that requires approval was never approved.",
    needs=_NEEDS,
)
def approval_missing(ctx: Context) -> Iterator[Diagnostic]:
    code = CODES["MT218"]
    classes = ", ".join(ctx.config.review.approval)
    for item, state in needs_approval(ctx):
        if state != UNAPPROVED:
            continue
        d = code(
            f"{item.id} was never approved",
            expected=f"an approval (items of class {classes} need one: [review] approval)",
            hint=f"have it reviewed, then run 'medtrace approve {item.id}'",
            **ctx.at(item),
        )
        if item.get("status") in _IN_PROGRESS:  # announced as not approved yet
            d = dataclasses.replace(d, severity=Severity.WARNING)
        yield d


# @implements SRS-252
@rule(
    "MT219",
    "status-inconsistent",
    Severity.WARNING,
    "An item's status says otherwise than its approvals, or a live item links to an obsolete one.",
    needs=_NEEDS,
)
def status_inconsistent(ctx: Context) -> Iterator[Diagnostic]:
    reviews = _active(ctx)
    if reviews is None:
        return
    code = CODES["MT219"]
    for item in ctx.model:
        status = item.get("status")
        if status == "approved":
            state = approval_state(item, reviews.lock, reviews.prints)
            if state != APPROVED:
                yield code(
                    f"{item.id} says 'status: approved' but is {state}",
                    expected="'status: approved' only for content that was approved",
                    hint=f"run 'medtrace approve {item.id}' once it is approved, or set its "
                    "status to review",
                    **ctx.at(item, "status"),
                )
        if status in STATUSES and status != "obsolete":
            yield from _obsolete_targets(ctx, item)


def _obsolete_targets(ctx: Context, item: Any) -> Iterator[Diagnostic]:
    code = CODES["MT219"]
    for link in ctx.model.outgoing.get(item.id, ()):
        target = ctx.model.get(link.target) if link.resolved else None
        if target is None or target.get("status") != "obsolete":
            continue
        yield code(
            f"{item.id} ({item.get('status')}) links to {target.id}, which is obsolete",
            expected="links to items in force",
            hint=f"link {item.id} to what replaces {target.id}, or make {item.id} obsolete too",
            **ctx.at(item, link.field),
        )


# @implements SRS-249
@rule(
    "MT220",
    "verification-suspect",
    Severity.WARNING,
    "A requirement's tests passed against an older revision of it: its verification is suspect.",
    needs=_NEEDS,
)
def verification_suspect(ctx: Context) -> Iterator[Diagnostic]:
    code = CODES["MT220"]
    for entry in entries_with(ctx, Status.SUSPECT):
        if not entry.suspect:
            continue
        d = code(
            f"the verification of {entry.item.id} is suspect: " + "; ".join(entry.suspect),
            expected="tests reviewed against the current content of the requirement",
            hint="check that the tests still verify the changed requirement (change them and run "
            f"them again if not), then run 'medtrace review --all-of {entry.item.id}'",
            **ctx.at(entry.item),
        )
        yield _graded(ctx, d, list(ctx.config.review.suspect_links), entry.item.id)
