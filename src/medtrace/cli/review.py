"""``medtrace review`` and ``medtrace approve``: record reviews of links and approvals of
items in the lock file."""

from __future__ import annotations

from typing import TYPE_CHECKING

import click

from medtrace.cli._common import directory, working
from medtrace.errors import ItemNotFound

if TYPE_CHECKING:
    from medtrace.pipeline import Traced
    from medtrace.review import Lock, ReviewLink


def _by(traced: Traced, by: str | None) -> str:
    from medtrace.review import reviewer

    who = reviewer(traced.project.config.root, by)
    if who is None:
        raise click.UsageError(
            "who reviews? give --by 'Name <email>' or set git's user.name and user.email"
        )
    return who


def _traced(ctx: click.Context) -> Traced:
    from medtrace.pipeline import trace_project

    with working("Reading"):
        return trace_project(directory(ctx))


def _lock(traced: Traced) -> Lock:
    from medtrace.review import load_lock

    config = traced.project.config
    lock = load_lock(config.root, config.review.lock)
    if lock.problems:
        first = lock.problems[0]
        raise click.ClickException(
            f"{first.location}: {first.message}; fix the lock file first ('medtrace check' "
            "lists every problem)"
        )
    return lock


def _links(traced: Traced) -> list[ReviewLink]:
    from medtrace.review import links_under_review

    tests = [(t.key, list(t.verifies)) for t in traced.trace.tests]
    return links_under_review(traced.project.model, traced.project.config.review.links, tests)


def _select(
    links: list[ReviewLink], sources: tuple[str, ...], all_of: tuple[str, ...], every: bool
) -> list[ReviewLink]:
    if every:
        return links
    unknown = [s for s in sources if not any(k.source == s for k in links)]
    unknown += [s for s in all_of if not any(k.upstream == s for k in links)]
    if unknown:
        raise ItemNotFound(
            f"no reviewed link from or relying on {', '.join(unknown)} "
            "(an item ID or a test as 'path::name'; see [review] links)"
        )
    return [k for k in links if k.source in sources or k.upstream in all_of]


# @implements SRS-248
@click.command()
@click.argument("sources", nargs=-1, metavar="[ID]...")
@click.option(
    "--all-of",
    "all_of",
    multiple=True,
    metavar="ID",
    help="Every link that relies on ID (its children, tests, the risks it controls).",
)
@click.option("--all", "every", is_flag=True, help="Every link of the project (the baseline).")
@click.option("--prune", is_flag=True, help="Drop lock entries of removed links and items.")
@click.option("--by", metavar="WHO", help="Who reviewed (default: git's user.name and email).")
@click.pass_context
def review(
    ctx: click.Context,
    sources: tuple[str, ...],
    all_of: tuple[str, ...],
    every: bool,
    prune: bool,
    by: str | None,
) -> None:
    """Mark links as reviewed against the current content of what they rely on.

    ID is the item (or test, as 'path::name') that holds the links: 'review SRS-4' records that
    SRS-4 was checked against its parents. '--all-of SYS-1' reviews every link that relies on
    SYS-1. The first 'review --all' records the baseline. Prints what it marked.
    """
    if not (sources or all_of or every or prune):
        raise click.UsageError("name what to review: ID..., --all-of ID, --all or --prune")
    from medtrace.review import Fingerprints, mark_reviewed, now_utc, save_lock, stale_entries

    traced = _traced(ctx)
    lock = _lock(traced)
    links = _links(traced)
    chosen = _select(links, sources, all_of, every) if (sources or all_of or every) else []
    who = _by(traced, by) if chosen else ""
    prints = Fingerprints(traced.project.model)
    marked = mark_reviewed(lock, chosen, prints, who, now_utc())
    pruned: list[str] = []
    if prune:
        tests = [(t.key, list(t.verifies)) for t in traced.trace.tests]
        model, fields = traced.project.model, traced.project.config.review.links
        pruned = stale_entries(model, lock, tests, fields)
        _drop(lock, pruned)
    if marked or pruned or not lock.exists:
        save_lock(lock)
    for link in marked:
        click.echo(
            f"reviewed {link.source} -> {link.target} ({link.field}) against "
            f"{link.upstream} {prints[link.upstream][:12]}"
        )
    for key in pruned:
        click.echo(f"dropped {key}")
    kept = len(chosen) - len(marked)
    tail = f"; {kept} already reviewed against the current content" if kept else ""
    click.echo(f"{len(marked)} link{'s' if len(marked) != 1 else ''} marked reviewed{tail}.")


def _drop(lock: Lock, keys: list[str]) -> None:
    from medtrace.review.lock import LINK_ARROW

    for key in keys:
        source, arrow, target = key.rpartition(LINK_ARROW)
        if arrow:
            lock.links.pop((source, target), None)
        lock.approvals.pop(key, None)


# @implements SRS-251
@click.command()
@click.argument("ids", nargs=-1, required=True, metavar="ID...")
@click.option("--by", metavar="WHO", help="Who approves (default: git's user.name and email).")
@click.pass_context
def approve(ctx: click.Context, ids: tuple[str, ...], by: str | None) -> None:
    """Record the approval of each item's current content: who, when, which fingerprint.

    An approved item whose content changes later is back in review until approved again.
    """
    from medtrace.review import Fingerprints, now_utc, save_lock
    from medtrace.review import approve as record

    traced = _traced(ctx)
    model = traced.project.model
    unknown = [i for i in ids if i not in model.items]
    if unknown:
        raise ItemNotFound(f"no item {', '.join(unknown)}")
    lock = _lock(traced)
    who = _by(traced, by)
    at = now_utc()
    changed = record(lock, model, ids, who, at)
    if changed:
        save_lock(lock)
    prints = Fingerprints(model)
    for item_id in ids:
        state = "approved" if item_id in changed else "already approved"
        click.echo(f"{state} {item_id} ({prints[item_id][:12]}) by {who}")
    status = [i for i in ids if model.items[i].get("status") not in (None, "approved")]
    if status:
        click.echo(f"note: set 'status: approved' in {', '.join(status)} to match", err=True)
