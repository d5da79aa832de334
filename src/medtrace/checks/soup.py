"""SOUP rules (MT151-MT159): the SOUP list against lockfiles, SBOMs, vulnerability reports,
the software items that use it, and the calendar.

Lockfiles are read once per check (kept in ``ctx.extras['soup']``); a project without
``[paths] lockfiles``/``sbom``/``audit`` gets only the rules on the SOUP items themselves.
Today's date comes from ``ctx.extras['today']`` when set, else :func:`medtrace.clock.today`.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from typing import TYPE_CHECKING

from medtrace.checks.context import Context
from medtrace.checks.registry import rule
from medtrace.clock import today
from medtrace.diagnostics import CODES, Diagnostic, Severity
from medtrace.model import Item

if TYPE_CHECKING:
    from medtrace.soup.drift import Report
    from medtrace.soup.load import Inputs

__all__: list[str] = []


def _inputs(ctx: Context) -> tuple[Inputs, Report]:
    cached = ctx.extras.get("soup")
    if cached is None:
        from medtrace.soup.load import compared

        cached = ctx.extras["soup"] = compared(ctx.config, ctx.model)
    assert isinstance(cached, tuple)
    return cached


def _today(ctx: Context) -> date:
    value = ctx.extras.get("today")
    return value if isinstance(value, date) else today()


def _via(via: tuple[str, ...]) -> str:
    return f" (pulled in by {' → '.join(via)})" if len(via) > 1 else ""


# @implements SRS-130
@rule(
    "MT150",
    "soup-input-unreadable",
    Severity.ERROR,
    "A lockfile, SBOM or vulnerability report cannot be read (broken, truncated, unknown format "
    "or version).",
)
def soup_input_unreadable(ctx: Context) -> Iterator[Diagnostic]:
    inputs, _ = _inputs(ctx)
    yield from inputs.all_diagnostics


# @implements SRS-133
@rule(
    "MT151",
    "soup-unlisted",
    Severity.ERROR,
    "A dependency in a lockfile or SBOM is not in the SOUP list.",
)
def soup_unlisted(ctx: Context) -> Iterator[Diagnostic]:
    _, report = _inputs(ctx)
    code = CODES["MT151"]
    for u in report.unlisted:
        p = u.package
        kind = "direct" if p.direct else "transitive" if p.direct is False else "locked"
        yield code(
            f"{kind} dependency {p.name} {p.version} ({p.ecosystem}) is not in the SOUP list"
            + _via(u.via),
            expected=f"a SOUP item with package: {p.name} and version: {p.version}",
            hint="add it to the SOUP list ('medtrace soup --sync' writes a draft), or name it "
            "in [soup] ignore if it is not SOUP",
            path=p.source,
            line=p.line,
        )


# @implements SRS-133
@rule(
    "MT152",
    "soup-version-mismatch",
    Severity.ERROR,
    "A SOUP item's version is not the version locked.",
)
def soup_version_mismatch(ctx: Context) -> Iterator[Diagnostic]:
    _, report = _inputs(ctx)
    code = CODES["MT152"]
    for m in report.mismatched:
        item = m.entry.item
        locked = ", ".join(sorted({f"{p.version} in {p.source}" for p in m.locked}))
        yield code(
            f"SOUP {item.id} is version {m.entry.version} but {locked} is locked",
            expected=f"version: {m.locked[0].version} (or one SOUP item per version used)",
            hint="review the new version (anomalies, requirements) and update the SOUP item, or "
            "pin the version listed",
            **ctx.at(item, "version"),
        )


# @implements SRS-133
@rule(
    "MT153",
    "soup-not-locked",
    Severity.ERROR,
    "A SOUP item names a package that no lockfile or SBOM holds any more.",
)
def soup_not_locked(ctx: Context) -> Iterator[Diagnostic]:
    _, report = _inputs(ctx)
    code = CODES["MT153"]
    for entry in report.unused:
        yield code(
            f"SOUP {entry.item.id} ({entry.name} {entry.version}) is in no lockfile or SBOM",
            expected="the package in one of [paths] lockfiles or sbom",
            hint="remove the SOUP item (mark it obsolete) if the dependency went away; give it "
            "'origin: platform', 'vendored' or 'image' if it ships outside the lockfiles",
            **ctx.at(entry.item, "purl" if entry.item.get("purl") else "package"),
        )


# @implements SRS-134
@rule(
    "MT154",
    "soup-version-inexact",
    Severity.ERROR,
    "A SOUP item's version is 'latest', a range or a wildcard.",
)
def soup_version_inexact(ctx: Context) -> Iterator[Diagnostic]:
    from medtrace.soup.entries import inexact

    code = CODES["MT154"]
    for item in ctx.model.of_kind("soup"):
        version = item.get("version")
        if isinstance(version, str) and version and inexact(version):
            yield code(
                f"SOUP {item.id} has version '{version}'",
                expected="one exact version, e.g. 2.31.0",
                hint="write the exact version used in the release; a range is no evidence of "
                "what was reviewed",
                **ctx.at(item, "version"),
            )


def _review(item: Item) -> tuple[str, str]:
    anomalies = item.get("anomalies")
    if not isinstance(anomalies, dict):
        return "", ""
    text = " ".join(str(anomalies.get(k, "")) for k in ("where", "verdict", "advisories"))
    return str(anomalies.get("when", "") or ""), text


# @implements SRS-135
@rule(
    "MT155",
    "soup-anomaly-review",
    Severity.WARNING,
    "A SOUP item's anomaly review is older than its version's adoption or misses a known advisory.",
)
def soup_anomaly_review(ctx: Context) -> Iterator[Diagnostic]:
    _, report = _inputs(ctx)
    code = CODES["MT155"]
    for item in ctx.model.of_kind("soup"):
        when, _ = _review(item)
        adopted = str(item.get("adopted", "") or "")
        if when and adopted and when < adopted:
            yield code(
                f"SOUP {item.id} {item.get('version')} was adopted on {adopted} but its anomaly "
                f"list was reviewed on {when}",
                expected=f"an anomaly review on or after {adopted}",
                hint="review the known anomalies of this version and update anomalies.when",
                **ctx.at(item, "anomalies"),
            )
    for concern in report.concerns:
        item, adv = concern.entry.item, concern.advisory
        when, text = _review(item)
        if any(i and i in text for i in (adv.id, *adv.aliases)) and not (
            adv.published and when and when < adv.published
        ):
            continue
        yield code(
            f"advisory {adv.id} ({adv.summary or 'no summary'}) on SOUP {item.id} "
            f"{concern.entry.version}, from {adv.source}, is not in its anomaly review"
            + (f" of {when}" if when else ""),
            expected=f"anomalies naming {adv.id} with a verdict, reviewed after it was published",
            hint="assess the advisory and name it in anomalies.verdict with the outcome",
            **ctx.at(item, "anomalies"),
        )


# @implements SRS-136
@rule(
    "MT156",
    "soup-end-of-support",
    Severity.ERROR,
    "A SOUP item is past its end of support.",
)
def soup_end_of_support(ctx: Context) -> Iterator[Diagnostic]:
    code = CODES["MT156"]
    now = _today(ctx).isoformat()
    for item in ctx.model.of_kind("soup"):
        end = item.get("end_of_support")
        if isinstance(end, str) and end < now:
            yield code(
                f"SOUP {item.id} {item.get('version')} reached its end of support on {end}",
                expected=f"an end of support after {now}",
                hint="move to a supported version, or record why the unsupported one stays "
                "(and how its anomalies are followed) and set this rule's severity",
                **ctx.at(item, "end_of_support"),
            )


def _users(ctx: Context, item: Item) -> list[Item]:
    users = [u for u in ctx.model.targets(item.id, "items") if u.kind == "software-item"]
    users += [u for u in ctx.model.sources(item.id, "uses") if u.kind == "software-item"]
    return users


# @implements SRS-137
@rule(
    "MT157",
    "soup-requirements-missing",
    Severity.ERROR,
    "A SOUP item used by a class C software item has no functional and performance requirements.",
)
def soup_requirements_missing(ctx: Context) -> Iterator[Diagnostic]:
    code = CODES["MT157"]
    for item in ctx.model.of_kind("soup"):
        if str(item.get("requirements", "") or "").strip():
            continue
        users = [u.id for u in _users(ctx, item) if ctx.item_class(u) == "C"]
        if users:
            yield code(
                f"SOUP {item.id} is used by class C software item {', '.join(sorted(set(users)))} "
                "but has no requirements",
                expected="'requirements': the functional and performance requirements on it "
                "(IEC 62304 5.3.3)",
                hint="say what the item needs of it (results, timing, resources) for the "
                "function it serves",
                **ctx.at(item),
            )


# @implements SRS-134
@rule(
    "MT158",
    "soup-unidentified",
    Severity.WARNING,
    "A SOUP item's manufacturer is 'unknown', or a package has no package URL or CPE.",
)
def soup_unidentified(ctx: Context) -> Iterator[Diagnostic]:
    from medtrace.soup.entries import entry_of

    code = CODES["MT158"]
    for item in ctx.model.of_kind("soup"):
        if str(item.get("manufacturer", "")).strip().lower() in ("unknown", "n/a", "?"):
            yield code(
                f"SOUP {item.id} has manufacturer '{item.get('manufacturer')}'",
                expected="who makes it: a company, a foundation or a named community project",
                hint="look at the package's metadata or repository for its maintainer",
                **ctx.at(item, "manufacturer"),
            )
        entry = entry_of(item)
        has_id = any(
            str(item.get(k, "")).startswith(("pkg:", "cpe:")) for k in ("purl", "cpe", "package")
        )
        if entry.package and not has_id:
            yield code(
                f"SOUP package {item.id} has no package URL or CPE",
                expected="purl: pkg:TYPE/NAME@VERSION (or cpe: cpe:2.3:...)",
                hint="a package URL lets scanners and the SBOM identify it exactly; "
                "'medtrace soup --sync' fills it in",
                **ctx.at(item),
            )


# @implements SRS-137
@rule(
    "MT159",
    "soup-unused",
    Severity.WARNING,
    "No software item uses a SOUP item.",
    classes="BC",
)
def soup_unused(ctx: Context) -> Iterator[Diagnostic]:
    code = CODES["MT159"]
    for item in ctx.model.of_kind("soup"):
        if item.get("status") == "obsolete" or _users(ctx, item):
            continue
        yield code(
            f"SOUP {item.id} is used by no software item",
            expected="'items: [ITEM]' on the SOUP item, or the SOUP in a software item's 'uses'",
            hint="name the software items that use it (the safety class of the SOUP follows "
            "theirs), or mark it obsolete",
            **ctx.at(item),
        )
