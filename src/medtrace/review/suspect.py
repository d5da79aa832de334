"""Links under review, and the suspect ones: the end they rely on changed since the review.

Which end a link relies on: a requirement relies on its parent (``parents``), a test or a test
case on the requirement it verifies (``verifies``), a risk on its control measure (the
requirement whose ``controls`` names it). The review recorded the fingerprint of that end; when
the end's fingerprint is another one now, the link is suspect until someone reviews it again.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass

from medtrace.model import Model
from medtrace.review.fingerprint import fingerprint
from medtrace.review.lock import Lock

__all__ = [
    "DEFAULT_FIELDS",
    "Fingerprints",
    "ReviewLink",
    "SuspectLink",
    "links_under_review",
    "stale_entries",
    "suspect_links",
    "unreviewed_links",
    "verification_judge",
]

#: The link fields reviewed when the configuration does not say (``[review] links``).
DEFAULT_FIELDS = ("parents", "controls", "verifies")
#: Fields whose link relies on its source rather than its target.
_RELIES_ON_SOURCE = frozenset({"controls"})


@dataclass(frozen=True)
class ReviewLink:
    """A link as reviewed: ``source`` names ``target`` in ``field``; ``dependent`` relies on
    ``upstream`` (an item ID), whose content the review is of."""

    source: str
    field: str
    target: str
    upstream: str
    dependent: str

    @property
    def key(self) -> tuple[str, str]:
        return (self.source, self.target)


@dataclass(frozen=True)
class SuspectLink:
    """A link whose upstream end changed since it was reviewed, and why."""

    source: str
    target: str
    why: str
    field: str = ""
    upstream: str = ""
    dependent: str = ""


class Fingerprints(dict[str, str]):
    """Fingerprints of a model's items, each computed when first asked for."""

    def __init__(self, model: Model) -> None:
        super().__init__()
        self.model = model

    def __missing__(self, item_id: str) -> str:
        value = fingerprint(self.model.items[item_id])
        self[item_id] = value
        return value


# @implements SRS-247
def links_under_review(
    model: Model,
    fields: Iterable[str] = DEFAULT_FIELDS,
    tests: Iterable[tuple[str, Sequence[str]]] = (),
) -> list[ReviewLink]:
    """Every resolved link of the reviewed ``fields``, and each test's ``verifies`` links
    (``tests``: test key → IDs it verifies, from the trace)."""
    wanted = set(fields)
    out: list[ReviewLink] = []
    for source, links in model.outgoing.items():
        for link in links:
            if not link.resolved or link.field not in wanted:
                continue
            if link.field in _RELIES_ON_SOURCE:
                out.append(ReviewLink(source, link.field, link.target, source, link.target))
            else:
                out.append(ReviewLink(source, link.field, link.target, link.target, source))
    if "verifies" in wanted:
        for key, ids in tests:
            out += [ReviewLink(key, "verifies", i, i, key) for i in ids if i in model.items]
    return sorted(set(out), key=lambda r: (r.source, r.target, r.field))


# @implements SRS-247
def suspect_links(
    model: Model,
    lock: Lock,
    tests: Iterable[tuple[str, Sequence[str]]] = (),
    fields: Iterable[str] = DEFAULT_FIELDS,
    prints: Fingerprints | None = None,
) -> list[SuspectLink]:
    """The reviewed links whose upstream end's content is no longer the reviewed one."""
    prints = prints if prints is not None else Fingerprints(model)
    out: list[SuspectLink] = []
    for link in links_under_review(model, fields, tests):
        review = lock.links.get(link.key)
        if review is None or review.fingerprint == prints[link.upstream]:
            continue
        who = f" by {review.by}" if review.by else ""
        when = f" on {review.at}" if review.at else ""
        why = f"{link.upstream} changed since the link was reviewed{when}{who}"
        out.append(
            SuspectLink(link.source, link.target, why, link.field, link.upstream, link.dependent)
        )
    return out


def unreviewed_links(
    model: Model,
    lock: Lock,
    tests: Iterable[tuple[str, Sequence[str]]] = (),
    fields: Iterable[str] = DEFAULT_FIELDS,
) -> list[ReviewLink]:
    """Links under review that the lock has no review of."""
    return [r for r in links_under_review(model, fields, tests) if r.key not in lock.links]


def stale_entries(
    model: Model,
    lock: Lock,
    tests: Iterable[tuple[str, Sequence[str]]] = (),
    fields: Iterable[str] = DEFAULT_FIELDS,
) -> list[str]:
    """Lock entries (link keys and approved IDs) for links and items that no longer exist."""
    live = {r.key for r in links_under_review(model, fields, tests)}
    out = [f"{s} -> {t}" for s, t in lock.links if (s, t) not in live]
    out += [i for i in lock.approvals if i not in model.items]
    return sorted(out)


# @implements SRS-249
def verification_judge(model: Model, lock: Lock) -> Callable[[str, str], str | None]:
    """For the trace: why the link from a test (key) or test case (ID) to an item is suspect
    (the item changed since the link was reviewed), or ``None``."""
    prints = Fingerprints(model)

    def judge(source: str, target: str) -> str | None:
        review = lock.links.get((source, target))
        if review is None or target not in model.items or review.fingerprint == prints[target]:
            return None
        return f"{target} changed since its link from {source} was reviewed ({review.at})"

    return judge
