"""The whole check, as one short function of named steps.

    config → find inputs → (unchanged? cached result) → load items → link → rules → result

Each step takes data and returns data; nothing here prints.
"""

from __future__ import annotations

import dataclasses
import hashlib
import os
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from medtrace.cache import FilesDigest, ResultCache, files_digest, joined_digest
from medtrace.config import Config, load_config
from medtrace.diagnostics import Diagnostic, Severity, sort_key
from medtrace.errors import ConfigError
from medtrace.gcpause import gc_paused, keep_until_exit
from medtrace.loading import Discovered, find_item_files, salt

if TYPE_CHECKING:
    from medtrace.checks import Context
    from medtrace.evidence import Evidence
    from medtrace.kept_rules import ModelInputs, Part
    from medtrace.loading import Helper
    from medtrace.loading.load import Unsaved
    from medtrace.model import Model
    from medtrace.results import ResultSet
    from medtrace.review import Lock
    from medtrace.scanning import ScanResult
    from medtrace.scanning.files import Selection
    from medtrace.tracing import Trace
    from medtrace.tracing.freshness import Freshness
    from medtrace.tracing.kept import Settings
    from medtrace.workers import Ahead, Beside, Claim, Flag, Split

# Parsing, linking, scanning and the rules are imported where they are used: an unchanged
# project is answered from the result cache without loading any of them.

__all__ = [
    "CheckResult",
    "Project",
    "Traced",
    "cached_result",
    "check",
    "load_project",
    "prepare",
    "preset",
    "trace_project",
]


@dataclass
class Project:
    """A loaded and linked project: its configuration, model and loading diagnostics."""

    config: Config
    model: Model
    files: list[str]
    diagnostics: list[Diagnostic] = field(default_factory=list)
    #: The items cache, when its saving was left to the caller (``load_project(save=False)``).
    unsaved: Unsaved | None = None


@dataclass
class Traced:
    """A project with its trace: tags in code, tests, results, joined with the items."""

    project: Project
    scan: ScanResult
    results: ResultSet
    trace: Trace
    evidence: Evidence | None = None

    @property
    def diagnostics(self) -> list[Diagnostic]:
        found = [*self.project.diagnostics, *self.scan.diagnostics, *self.results.diagnostics]
        return found + (self.evidence.diagnostics if self.evidence else [])


@dataclass
class CheckResult:
    """Findings of ``check``, with the figures a report needs."""

    config: Config
    diagnostics: list[Diagnostic]
    items: int
    files: int
    cached: bool = False
    #: Files the rules read besides the inputs (interface specs, recorded APIs), with their
    #: stat identity when the result was made (``None``: absent); a change recomputes.
    extra_inputs: dict[str, tuple[int, ...] | None] = field(default_factory=dict)
    #: item ID → verification status, for every traced item
    statuses: dict[str, str] = field(default_factory=dict)
    #: A digest of the settings and of every input's path and stat identity (what the result
    #: cache is keyed by): equal digests, unchanged inputs. Outputs derived from the project
    #: (the documentation site) use it to tell an unchanged project cheaply.
    inputs_digest: str = ""

    def count(self, severity: Severity) -> int:
        return sum(1 for d in self.diagnostics if d.severity is severity)

    def failed(self, strict: bool = False) -> bool:
        return bool(self.count(Severity.ERROR) or (strict and self.count(Severity.WARNING)))


def load_project(
    start: Path,
    *,
    use_cache: bool = True,
    config: Config | None = None,
    found: Discovered | None = None,
    jobs: int | None = None,
    save: bool = True,
    helper: Helper | None = None,
) -> Project:
    """The items of the project, linked; ``jobs`` overrides ``limits.jobs`` for the load;
    without ``save``, the items cache is left for the caller to save (:attr:`Project.unsaved`);
    a ``helper`` parses the last item files (see :func:`medtrace.loading.load_items`)."""
    from medtrace.linking import linked
    from medtrace.loading import load_items

    with gc_paused():
        config = config or load_config(start)
        loaded = load_items(config, found, use_cache=use_cache, jobs=jobs, save=save, helper=helper)
        model = linked(loaded.items, config)  # (the model a resident server kept, if current)
        return Project(config, model, loaded.files, loaded.diagnostics, loaded.unsaved)


def trace_project(
    start: Path, *, use_cache: bool = True, config: Config | None = None, evidence: bool = False
) -> Traced:
    """Load the project, scan code and tests for tags, read the results and join them; with
    ``evidence``, read the coverage and analysis reports too."""
    with gc_paused():
        project = load_project(start, use_cache=use_cache, config=config)
        return _trace(project, use_cache, evidence=evidence)


def _trace(
    project: Project,
    use_cache: bool,
    selection: Selection | None = None,
    *,
    evidence: bool = True,
    results: ResultSet | None = None,
    scan: ScanResult | None = None,
) -> Traced:
    """The trace of the project; ``results``, ``scan``: the test results and the scan, when
    already read."""
    from medtrace.review import load_lock
    from medtrace.tracing.kept import take_trace

    config = project.config
    cache_dir = config.cache_dir if use_cache else None
    scanned = scan if scan is not None else _scan(config, cache_dir, selection)
    results = results if results is not None else _results(config, cache_dir)
    lock = load_lock(config.root, config.review.lock)
    judge = _review_judge(project, lock)
    settings = _trace_settings(config, cache_dir)
    kept = take_trace(project.model, scanned, results, settings)  # (a resident server's)
    if kept is not None and judge is None:
        trace, freshness = kept
    else:
        trace, freshness = _built_trace(project, scanned, results, cache_dir, judge)
    if lock.exists:
        _approvals(project, lock, trace)
    freshness.save()
    reports = _evidence(config, cache_dir) if evidence else None
    return Traced(project, scanned, results, trace, reports)


def _built_trace(
    project: Project,
    scanned: ScanResult,
    results: ResultSet,
    cache_dir: Path | None,
    judge: Callable[[str, str], str | None] | None,
) -> tuple[Trace, Freshness]:
    """The trace made from nothing (no kept one to take), and the freshness it asked."""
    from medtrace.tracing import build_trace
    from medtrace.tracing.freshness import Freshness
    from medtrace.tracing.manual import ManualCheck

    config = project.config
    freshness = Freshness(config.root, cache_dir)
    trace = build_trace(
        project.model,
        scanned,
        results,
        config.root,
        config.traced_kinds,
        freshness=freshness,
        risk_kinds=config.risk_kinds,
        manual=ManualCheck(config.root, config.project.version),
        levels=_levels(config),
        suspect=judge,
    )
    return trace, freshness


def _trace_settings(config: Config, cache_dir: Path | None) -> Settings:
    """What of ``config`` the trace is made with (a kept trace is taken for equal ones)."""
    from medtrace.tracing.kept import Settings

    levels = tuple((level, tuple(globs)) for level, globs in _levels(config).items())
    kinds, risk_kinds = tuple(config.traced_kinds), tuple(config.risk_kinds)
    return Settings(config.root, cache_dir, kinds, risk_kinds, levels, config.project.version)


def _levels(config: Config) -> dict[str, list[str]]:
    """Test level → globs of its test files (``[levels]``), as the trace takes them."""
    return {str(level): globs for level, globs in config.levels.items()}


def _code_and_results(
    config: Config, cache_dir: Path | None, selection: Selection | None = None
) -> tuple[ScanResult, ResultSet]:
    """The tags and tests in the code and test files, and the test results."""
    return _scan(config, cache_dir, selection), _results(config, cache_dir)


def _scan(config: Config, cache_dir: Path | None, selection: Selection | None) -> ScanResult:
    from medtrace.scanning import scan
    from medtrace.scanning.files import discover

    paths = config.paths
    if selection is None:
        selection = discover(
            config.root,
            paths.sources,
            paths.tests,
            paths.exclude,
            follow_external=paths.follow_external_symlinks,
        )
    return scan(
        config.root,
        paths.sources,
        paths.tests,
        paths.exclude,
        cache_dir=cache_dir,
        selection=selection,
        languages=config.languages,
        id_prefixes=list(config.kind_by_prefix),
        jobs=config.limits.jobs,
    )


def _results(config: Config, cache_dir: Path | None) -> ResultSet:
    from medtrace.results import load_results

    paths = config.paths
    follow = paths.follow_external_symlinks
    results = load_results(config.root, paths.results, cache_dir=cache_dir, follow_external=follow)
    results.diagnostics[:] = [_at_setting(d, config) for d in results.diagnostics]
    return results


# @implements SRS-306
def prepare(start: Path) -> None:
    """Read every file a check of the project reads, through the per-file caches, and make
    nothing of it but the linked model, the tests side of the trace and the trace (without
    reviewed links), kept for the checks of the processes forked next
    (:func:`~medtrace.linking.keep_model`, :func:`~medtrace.tracing.build.keep_tests`,
    :func:`~medtrace.tracing.kept.keep_trace`). A resident server (:mod:`medtrace.serve`)
    calls this when files change, so that its memory is current before the next command asks."""
    from medtrace.linking import keep_model, kept_model
    from medtrace.loading import load_items
    from medtrace.review import load_lock
    from medtrace.tracing.build import keep_tests, kept_tests
    from medtrace.tracing.kept import drop_trace, keep_trace

    with gc_paused():
        config = load_config(start)
        found = find_item_files(config)
        old = drop_trace()  # (a failed read keeps no trace)
        keep_model(load_items(config, found).items, config)
        linked = kept_model()
        worth = _trace_worth_keeping(linked[1] if linked else None)
        if not worth:
            old = None  # not updated: freed before the scan
        scan, results = _code_and_results(config, config.cache_dir)
        levels = _levels(config)
        keep_tests(scan, results, levels)
        side = kept_tests(scan, results, levels)
        lock = load_lock(config.root, config.review.lock)
        if linked and side and not lock.links and worth:
            _note_trace_kept()
            settings = _trace_settings(config, config.cache_dir)
            keep_trace(old, *linked, side, scan, results, settings)


_trace_kept_before = False


def _trace_worth_keeping(replaced: list[str] | None) -> bool:
    """Whether :func:`prepare` keeps a trace: when it first keeps one, and when items were
    edited in place (``replaced``: the kept trace is updated for them, or made whole for the
    edits that follow). Made whole after any other change (an item added or removed, code,
    tests or results changed), it cost the server about 0.5 s at 100,000 requirements, and the
    child that took it saved less (it copies the server's pages it touches): the child makes
    its own, and the trace is kept again at the next edit in place."""
    return not _trace_kept_before or bool(replaced)


def _note_trace_kept() -> None:
    global _trace_kept_before
    _trace_kept_before = True


def _review_judge(project: Project, lock: Lock) -> Callable[[str, str], str | None] | None:
    """Why a test's link to an item is suspect, from the lock file (none without one)."""
    from medtrace.review import verification_judge

    return verification_judge(project.model, lock) if lock.links else None


def _approvals(project: Project, lock: Lock, trace: Trace) -> None:
    """Each traced item's approval state, for the matrix and ``show``."""
    from medtrace.review import Fingerprints, approval_state

    prints = Fingerprints(project.model)
    for entry in trace.items.values():
        entry.approval = approval_state(entry.item, lock, prints)


def _evidence(config: Config, cache_dir: Path | None) -> Evidence | None:
    """Coverage and analysis reports (``paths.coverage``, ``paths.analysis``), when configured."""
    paths = config.paths
    if not paths.coverage and not paths.analysis:
        return None
    from medtrace.evidence import load_evidence

    return load_evidence(config.root, paths.coverage, paths.analysis, cache_dir=cache_dir)


def _at_setting(d: Diagnostic, config: Config) -> Diagnostic:
    """A results-missing finding points at its pattern in the configuration."""
    if d.code != "MT121" or d.path:
        return d
    from medtrace.config import setting_location

    pattern = next((p for p in config.paths.results if f"`{p}`" in d.found), None)
    return dataclasses.replace(d, **setting_location(config, ["paths", "results"], pattern))


# @implements SRS-268
def check(start: Path, *, use_cache: bool = True, jobs: int | None = None) -> CheckResult:
    """Every rule's findings; ``jobs`` overrides ``limits.jobs`` (worker processes)."""
    with gc_paused():
        return _check(start, use_cache, jobs)


@dataclass
class _Inputs:
    """What a check reads (the walks' records and the other input files' stats) and the
    result cache's key for it."""

    config: Config
    found: Discovered
    selection: Selection
    key: str
    digested: FilesDigest
    digest: str
    results: ResultCache
    #: The code, test and result files' stats, digested after the item files'.
    others: dict[str, os.stat_result]
    #: The item files' part of ``digested``, and the SOUP input files (also in ``others``):
    #: what the rules reading only the model read (see :mod:`medtrace.kept_rules`).
    items_digest: FilesDigest
    soup: list[str]


def _find_inputs(start: Path, use_cache: bool, jobs: int | None) -> _Inputs:
    config = _config(start, jobs)
    return _inputs_of(config, _selection(config), use_cache)


def _config(start: Path, jobs: int | None) -> Config:
    """The project's configuration; ``jobs`` overrides ``limits.jobs``."""
    from medtrace.config import find_config, parse_config

    config = parse_config(find_config(start))
    if jobs is not None:
        config.limits = config.limits.model_copy(update={"jobs": jobs})
    return config


def _selection(config: Config) -> Selection:
    """The code and test files to scan (one walk of the ``sources`` and ``tests`` globs)."""
    from medtrace.scanning.files import discover

    paths = config.paths
    return discover(
        config.root,
        paths.sources,
        paths.tests,
        paths.exclude,
        follow_external=paths.follow_external_symlinks,
    )


def _inputs_of(config: Config, selection: Selection, use_cache: bool) -> _Inputs:
    """The item files (a walk), the other inputs' stats and the result cache's key."""
    from medtrace.soup.files import input_files

    found = find_item_files(config)
    walked: list[Diagnostic] = [*found.diagnostics, *selection.diagnostics]
    soup = [rel for group in input_files(config).values() for rel in group]
    others = _code_and_result_files(config, selection, walked, soup)
    key = _fingerprint(config, walked)
    # Once: the lookup, the store and the site's digest. The item files apart, as the walk of
    # a resident server hands back the same stat objects while they are unchanged.
    items = files_digest(found.files, remember=True)
    digested = joined_digest(items, files_digest(others))
    digest = hashlib.blake2b(key.encode() + digested[0], digest_size=16).hexdigest()
    results = ResultCache(config.cache_dir if use_cache else None, "check")
    return _Inputs(config, found, selection, key, digested, digest, results, others, items, soup)


def _cached(inputs: _Inputs) -> CheckResult | None:
    """The result the cache holds for these inputs, if any (and the files the rules read
    besides are as they were)."""
    found = inputs.results.lookup(inputs.key, inputs.digested, str(inputs.config.root))
    cached = _from_cache(inputs.config, found)
    if cached is not None and _extras_current(inputs.config.root, cached):  # [rules] valid
        cached.inputs_digest = inputs.digest
        return cached
    return None


#: The answer a resident server proved current just before it forked this process (see
#: :func:`preset`).
_preset: CheckResult | None = None


def preset(result: CheckResult | None) -> None:
    """Give the next check of this process ``result`` when it is of the same project and uses
    the cache. A resident server (:mod:`medtrace.serve`) finds the cached result of its project
    in its own memory (:func:`cached_result`) just before it forks a command's process: the
    forked process would otherwise find it again, copying every memory page it reads."""
    global _preset
    _preset = result


#: The last answer of :func:`cached_result`: the inputs' digest, the result cache file's stat
#: identity, the result read from it, and the files it was found by their content.
_last_answer: tuple[str, tuple[int, ...] | None, CheckResult, list[list[Any]]] | None = None


# @implements SRS-346
def cached_result(start: Path) -> CheckResult | None:
    """The result of ``check(start)`` if the result cache holds it for the project as it is
    now; ``None`` if the check would have to run. Reads only. Asked again with the same inputs
    (their digest) and the same result cache file (its stat identity), it gives the result it
    read last time instead of decoding it again (a resident server asks before every
    command), once the files it found by their content (modified just before the result was
    stored) are read again and still hold it."""
    global _last_answer
    with gc_paused():
        inputs = _find_inputs(start, True, None)
        file = inputs.results.file
        mark = _identity(file.parent, file.name) if file is not None else None
        last = _last_answer
        same = last is not None and mark is not None and last[:2] == (inputs.digest, mark)
        if last is not None and same and _still(inputs.config.root, last[2], last[3]):
            return last[2]
        _last_answer = last = None  # (freed before the next is decoded: both were a peak)
        answer = _cached(inputs)
        verified = inputs.results.verified
        _last_answer = (inputs.digest, mark, answer, verified) if answer is not None else None
        return answer


def _still(root: Path, cached: CheckResult, verified: list[list[Any]]) -> bool:
    """Whether a result found before is still current, its inputs' stats being the same: the
    files the rules read besides, and those it was found by their content."""
    from medtrace.cache import digest
    from medtrace.cache.racy import same

    current = _extras_current(root, cached)
    return current and (not verified or same(str(root), verified, digest))


def _check(start: Path, use_cache: bool, jobs: int | None = None) -> CheckResult:
    given = _take_preset(start, use_cache)
    if given is not None:
        return given
    config = _config(start, jobs)
    selection = _selection(config)
    # A cold scan starts before the item files are walked (see _scan_ahead); a child that
    # is not wanted after all (the result cache answers) is ended on the way out.
    with _scan_ahead(config, selection, use_cache) as ahead:
        inputs = _inputs_of(config, selection, use_cache)
        return _cached(inputs) or _fresh(start, inputs, use_cache, ahead)


def _take_preset(start: Path, use_cache: bool) -> CheckResult | None:
    """The preset result (once), if this check is of its project and uses the cache."""
    global _preset
    given, _preset = _preset, None
    if given is None or not use_cache or given.config.source is None:
        return None
    from medtrace.config import find_config

    return given if find_config(start) == given.config.source.resolve() else None


def _fresh(start: Path, inputs: _Inputs, use_cache: bool, ahead: _WorkAhead) -> CheckResult:
    """The check itself: load, link, scan, trace, rules; the result kept in the cache."""
    from medtrace.checks import severity_overrides

    config = inputs.config
    overrides, problems = severity_overrides(config)
    if problems:
        raise ConfigError(problems)
    extras: set[str] = set()
    project, traced, findings = _stages(start, inputs, use_cache, overrides, extras, ahead)
    statuses = {i: e.status.value for i, e in traced.trace.items.items()}
    result = CheckResult(
        config, findings, len(project.model), len(project.files), statuses=statuses
    )
    result.extra_inputs = {rel: _identity(config.root, rel) for rel in sorted(extras)}
    result.inputs_digest = inputs.digest
    rows = [d.to_tuple() for d in findings]
    extra = [[rel, list(k) if k is not None else None] for rel, k in result.extra_inputs.items()]
    value = [result.items, result.files, rows, extra, statuses]
    _note_parsed(project, inputs.digested[1])
    files = (inputs.found.files, inputs.others)
    inputs.results.store(inputs.key, inputs.digested, value, files, str(config.root))
    keep_until_exit((traced, inputs.found, inputs.selection, inputs.results))  # freed at exit
    return result


def _note_parsed(project: Project, newest: int) -> None:
    """Note the content digests of the item files this run parsed and left for another
    process to put in the items cache (see :func:`_model_rules_beside`), as the cache notes
    those it is given: a result stored within the racy window of one of them keeps the digest
    of what it was made from (see :mod:`medtrace.cache.racy`). Only when some input is that
    recent."""
    from medtrace.cache import RACY_WINDOW_NS, note_content

    since = time.time_ns() - RACY_WINDOW_NS
    if project.unsaved is None or newest < since:
        return
    for rel, st, content_digest, _, _ in project.unsaved.pending:
        if st.st_mtime_ns >= since:
            note_content(rel, st, content_digest)


# @implements SRS-354
def _stages(
    start: Path,
    inputs: _Inputs,
    use_cache: bool,
    overrides: dict[str, Severity],
    extras: set[str],
    ahead: _WorkAhead,
) -> tuple[Project, Traced, list[Diagnostic]]:
    """Load and link the items, scan, read the results, trace, run the rules; with a second
    core, the scan goes ahead while the items load (when it is cold, see :func:`_scan_ahead`),
    then the items cache is saved and the rules that read only the model run beside the
    trace."""
    from medtrace.workers import job_count

    config = inputs.config
    second = job_count(config.limits.jobs) > 1  # (one core: the load saves its cache itself)
    # The other core scans: the load stays here, in one piece (the child taking its last
    # chunks when it is free), if the scan is the longer; else the load is split as usual.
    worth = len(inputs.selection.files) * _SCAN_WEIGHT >= len(inputs.found.files)
    # Read before the load, not after linking: the child takes over the last item files
    # when its scan is done, so this time is shared by both cores instead of adding to the
    # serial work after the link (see :func:`_ahead_work`).
    results = _results(config, config.cache_dir) if ahead.results_here() else None
    project = load_project(
        start,
        use_cache=use_cache,
        config=config,
        found=inputs.found,
        jobs=1 if ahead.started and worth else None,
        save=not second,
        helper=ahead.helper(config, inputs.selection) if worth else None,
    )
    # The second process starts as soon as the model is linked: saving the items cache and
    # the rules reading only the model take longer than the trace once the results are read.
    with _model_rules_beside(project, overrides, _model_inputs(inputs, use_cache)) as model_part:
        ahead.wait()
        scanned = ahead.scan  # (read during the load once the child had stored it)
        traced = _trace(project, use_cache, inputs.selection, results=results, scan=scanned)
        findings = _findings(traced, overrides, extras, model_part.result)
    return project, traced, findings


def _from_cache(config: Config, value: object) -> CheckResult | None:
    """The result the cache stored as data (counts, diagnostics, verification statuses and
    the identities of the files the rules read besides the inputs), or ``None``."""
    if not (isinstance(value, list) and len(value) == 5):
        return None
    items, files, rows, extra, statuses = value
    if not (isinstance(items, int) and isinstance(files, int) and isinstance(rows, list)):
        return None
    if not (isinstance(statuses, dict) and all(isinstance(v, str) for v in statuses.values())):
        return None
    try:
        diagnostics = [Diagnostic.from_tuple(row) for row in rows]
        extras = {str(rel): tuple(k) if k is not None else None for rel, k in extra}
    except (TypeError, ValueError, IndexError):
        return None
    return CheckResult(
        config, diagnostics, items, files, cached=True, statuses=statuses, extra_inputs=extras
    )


def _code_and_result_files(
    config: Config, selection: Selection, problems: list[Diagnostic], soup: list[str]
) -> dict[str, os.stat_result]:
    """The code, test and result files a check reads, with their stat, for the result cache
    (what finding the results files reported is added to ``problems``), and the SOUP input
    files ``soup``."""
    from medtrace.evidence.loader import expand as expand_reports
    from medtrace.results.loader import expand

    paths = config.paths
    follow = paths.follow_external_symlinks
    results = expand(config.root, paths.results, problems, follow_external=follow)
    results += expand_reports(config.root, [*paths.coverage, *paths.analysis], "coverage", [])
    results += soup
    out = {c.rel: c.stat for c in selection.files if c.stat is not None}
    recorded = _provenance_files(config.root, results)
    lock = [config.review.lock]  # reviews and approvals
    root, join = str(config.root), os.path.join  # thousands of files: no Path objects
    for rel in [*(c.rel for c in selection.files if c.stat is None), *results, *recorded, *lock]:
        try:
            out[rel] = os.stat(join(root, rel))  # noqa: PTH116
        except OSError:
            continue  # reported by the scan; an unreadable file is never served from cache
    return out


def _identity(root: Path, rel: str) -> tuple[int, ...] | None:
    from medtrace.cache import stat_key

    try:
        return stat_key((root / rel).stat())
    except OSError:
        return None


def _extras_current(root: Path, cached: CheckResult) -> bool:
    """Whether the files the rules read besides the inputs are as when the result was made."""
    return all(_identity(root, rel) == key for rel, key in cached.extra_inputs.items())


def _provenance_files(root: Path, results: list[str]) -> list[str]:
    """The provenance records of the results files, and the files they name as the inputs of
    the run (a changed header or fixture makes results stale, so the check cannot be cached)."""
    from medtrace.fs import Globs, Policy, walk
    from medtrace.results.provenance import SKIPPED, SUFFIX, read_provenance

    out: list[str] = []
    inputs: set[str] = set()
    for rel in results:
        out.append(rel + SUFFIX)
        record = read_provenance(root, rel)
        if record is not None and not isinstance(record, Diagnostic):
            inputs.update(record.inputs)
    if inputs:
        policy = Policy("provenance inputs", _ignore, skip_names=SKIPPED, stat_files=False)
        out.extend(f.rel for f in walk(root, Globs(sorted(inputs), lenient=True), policy).files)
    return out


def _ignore(rel: str, reason: str) -> Diagnostic:
    return Diagnostic("", "", Severity.NOTE, reason, path=rel)


@dataclass
class _WorkAhead:
    """The child that scans ahead on a cold check (see :func:`_scan_ahead`; ``None``: none)
    and the work it shares with this process once its scan is done: reading the results
    (claimed once, see :func:`_ahead_work`) and parsing the last item files (see
    :class:`medtrace.workers.Split`)."""

    ahead: Ahead | None = None
    results: Claim | None = None
    split: Split[Any, Any] | None = None
    #: raised by the child once its scan is in the per-file caches
    stored: Flag | None = None
    #: the scan, read back from those caches by this process during its load
    scan: ScanResult | None = None

    @property
    def started(self) -> bool:
        return self.ahead is not None and self.ahead.started

    def helper(self, config: Config, selection: Selection) -> Helper | None:
        """The child as a helper of the load, if it runs; between two of its chunks, this
        process reads the scan back once the child has stored it (see :meth:`read_scan`)."""
        from medtrace.loading import Helper

        if self.ahead is None or not self.ahead.started or self.split is None:
            return None
        return Helper(self.split, self.ahead.wait, lambda: self.read_scan(config, selection))

    # @implements SRS-354
    def read_scan(self, config: Config, selection: Selection) -> None:
        """Read the scan back from the per-file caches once the child has stored it: during
        the load, which the child then shares, rather than after it, when this process works
        alone. Read as after the child's end: every entry checked against its file."""
        if self.scan is None and self.stored is not None and self.stored.up():
            self.scan = _scan(config, config.cache_dir, selection)

    def results_here(self) -> bool:
        """Whether this process reads the results (the child did not take them first)."""
        return self.started and self.results is not None and self.results.take()

    def wait(self) -> None:
        if self.ahead is not None:
            self.ahead.wait()

    def __enter__(self) -> _WorkAhead:
        return self

    def __exit__(self, *exc: object) -> None:
        for shared in (self.ahead, self.results, self.split, self.stored):
            if shared is not None:
                shared.close()


#: The scan's per-file cache (``scanning.scanner.CACHE_NAMESPACE``, which a test holds equal):
#: named here so that a check answered from the result cache imports no scanner.
_SCAN_CACHE = "tags"


# @implements SRS-318, SRS-335
def _scan_ahead(config: Config, selection: Selection, use_cache: bool) -> _WorkAhead:
    """A cold scan (no scan cache yet): a child (when the machine has a second core) scans
    the code and tests, storing what it finds in the per-file caches, from before the item
    files are walked; then it parses the last item files this process has not reached (and
    reads the results if it is free before the item files are offered, see
    :func:`_ahead_work`). This process reads the scan (and the
    results, if the child read them) from those caches (msgpack records: a tenth of the
    parsing) instead of receiving objects. Only with the caches on and not resident (a
    resident server has its scan in memory). Nothing is imported for a warm check."""
    from medtrace.cache import cache_file, resident

    if not (use_cache and selection.files) or resident.enabled():
        return _WorkAhead()
    if cache_file(config.cache_dir, _SCAN_CACHE).exists():
        return _WorkAhead()
    from medtrace.workers import Ahead, Claim, Flag, Split, job_count

    if job_count(config.limits.jobs) < 2:
        return _WorkAhead()
    claim, stored = Claim(), Flag()
    try:
        split: Split[Any, Any] | None = Split()
    except (OSError, AttributeError):  # no anonymous memory files here: the load is not shared
        split = None
    work = Ahead(lambda: _ahead_work(config, selection, claim, split, stored), 2)
    return _WorkAhead(work, claim, split, stored)


# @implements SRS-336
def _ahead_work(
    config: Config,
    selection: Selection,
    results: Claim,
    split: Split[Any, Any] | None,
    stored: Flag | None = None,
) -> None:
    """The child's work: the scan (its own worker processes keep both cores busy), then the
    last item files to parse. The results only if this process has not claimed them (it
    does just before its load, see :func:`_stages`) nor offered its item files yet (it is
    still walking: it cannot be waiting for them): so the child's time after its scan goes
    to the load, which it shares, and this process never waits for the child's reading.
    ``stored`` is raised once the scan is in the caches (this process reads it back then)."""
    _scan(config, config.cache_dir, selection)
    if stored is not None:
        stored.raise_()
    if (split is None or not split.offered()) and results.take():
        _results(config, config.cache_dir)
    if split is not None:
        from medtrace.loading import help_load

        help_load(config, split)


#: About how many item files take as long to load as one code file to scan: the load stays
#: in one piece beside the scan when the scan is at least as long (else it is split too).
_SCAN_WEIGHT = 40


# @implements SRS-319, SRS-357
def _model_rules_beside(
    project: Project, overrides: dict[str, Severity], kept_by: ModelInputs | None
) -> Beside[Part] | _KeptPart:
    """The rules that read only the model: their findings kept from the last check when their
    inputs are unchanged (``kept_by``, see :mod:`medtrace.kept_rules`); else run in a second
    process (when the machine has a second core) while this one scans, reads the results and
    traces. That process then keeps the findings and saves the items cache (when the load left
    it unsaved), after it has sent them, so that this process does not wait for the saving."""
    from medtrace.kept_rules import kept_part
    from medtrace.workers import Beside, job_count

    root, unsaved = project.config.root, project.unsaved
    kept = kept_part(kept_by, root) if kept_by is not None else None
    if kept is not None:
        return _KeptPart(kept, unsaved)
    made: list[Part] = []

    def work() -> Part:
        made.append(_model_findings(project, overrides))
        return made[-1]

    def then() -> None:
        if kept_by is not None and made:
            _keep_part(project, kept_by, made[-1])
        if unsaved is not None:
            unsaved.save()

    return Beside(work, job_count(project.config.limits.jobs), then=then)


def _keep_part(project: Project, kept_by: ModelInputs, part: Part) -> None:
    """Keep the model rules' findings for the next check, noting first the item files this
    process parsed (a part kept within their racy window keeps what it was made from)."""
    from medtrace.kept_rules import keep_part

    _note_parsed(project, kept_by.files[1])
    keep_part(kept_by, part, project.config.root)


@dataclass
class _KeptPart:
    """The model rules' findings kept from the last check, given as :class:`Beside` gives
    them; the items cache, when the load left it unsaved, is saved on leaving."""

    part: Part
    unsaved: Unsaved | None

    def result(self) -> Part:
        return self.part

    def __enter__(self) -> _KeptPart:
        return self

    def __exit__(self, *exc: object) -> None:
        if self.unsaved is not None and exc[0] is None:
            self.unsaved.save()


def _model_inputs(inputs: _Inputs, use_cache: bool) -> ModelInputs | None:
    """What the model rules' findings are kept by (``None`` without the cache)."""
    from medtrace.kept_rules import model_inputs

    config = inputs.config
    if not use_cache:
        return None
    others = inputs.others
    soup = {rel: others[rel] for rel in inputs.soup if rel in others}
    base = _fingerprint(config, inputs.found.diagnostics)  # the item files' findings only
    names = (c.rel for c in inputs.selection.files)
    files = inputs.found.files
    return model_inputs(base, inputs.items_digest, files, soup, names, config.cache_dir)


def _model_findings(project: Project, overrides: dict[str, Severity]) -> Part:
    from medtrace.checks import rule_findings

    read: set[str] = set()
    found = rule_findings(_context(project, read), overrides, available={"model"})
    return [(code, [d.to_tuple() for d in ds]) for code, ds in found], read


def _context(project: Project, read: set[str]) -> Context:
    from medtrace.checks import Context
    from medtrace.loading import Locator

    ctx = Context(project.config, project.model, Locator(project.config.root))
    ctx.extras["read_files"] = read
    return ctx


# @implements SRS-358
def _findings(
    traced: Traced,
    overrides: dict[str, Severity],
    extras: set[str] | None = None,
    model_part: Callable[[], Part] | None = None,
) -> list[Diagnostic]:
    """Every finding in a stable order: loading's, then the rules' by code. The rules that
    read only the model may run elsewhere (``model_part`` gives their findings): asked for
    after the rules reading the trace have run here, so that this process does not wait for
    them first (the two groups share nothing but the files they note)."""
    from medtrace.checks import apply_severities, rule_findings

    ctx = _context(traced.project, extras if extras is not None else set())
    ctx.extras.update(
        trace=traced.trace, scan=traced.scan, results=traced.results, test_files=_test_files(traced)
    )
    if traced.evidence is not None:
        ctx.extras["evidence"] = traced.evidence
    parts = rule_findings(ctx, overrides, available={"model", "trace"}, skip={"model"})
    rows, read = model_part() if model_part else _model_findings(traced.project, overrides)
    ctx.extras["read_files"].update(read)
    parts += [(code, [Diagnostic.from_tuple(row) for row in ds]) for code, ds in rows]
    parts.sort(key=lambda part: part[0])  # the rules' order, as when they run in one process
    found = [d for _, ds in parts for d in ds]
    diagnostics = apply_severities([*traced.diagnostics, *found], overrides)
    return sorted(diagnostics, key=sort_key)


def _test_files(traced: Traced) -> set[str]:
    """Files of the tests globs, with tests, or with ``@verifies`` tags: not code to allocate."""
    scan = traced.scan
    return {*scan.test_files, *(t.path for t in scan.tests)} | {
        t.path for t in scan.tags if t.verb == "verifies"
    }


# @implements SRS-347
def _fingerprint(config: Config, walked: list[Diagnostic]) -> str:
    """Everything besides the input files that the result depends on.

    That includes what finding the files reported (``walked``): a broken link, a link loop, a
    FIFO or a link out of the project is no input file, yet appearing or going away changes
    the result. The configuration counts by the text it was parsed from, not the file read
    again: edited meanwhile, it would key a result of the old text as one of the new.
    """
    source = config.source_text or ""
    problems = [d.to_tuple() for d in walked]
    from medtrace.clock import today  # end-of-support findings change with the date

    blob = repr((salt(config), source, str(config.root.resolve()), problems, today())).encode()
    return hashlib.blake2b(blob, digest_size=16).hexdigest()
