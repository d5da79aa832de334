"""The pytest plugin: ``@pytest.mark.verifies("SRS-12", "RISK-3")`` links a test to items.

pytest loads this module in every run where medtrace is installed (the ``pytest11`` entry
point), so it stays inert and cheap unless a project uses it: it registers the marker, and
loads the medtrace project only when a collected test carries the marker.

- Unknown IDs are reported at collection: a :class:`MedtraceUnknownIdWarning` each, or with
  ``--medtrace-strict`` a collection error naming the test, the ID and the nearest known ID.
- ``--medtrace-map PATH`` writes every collected test with its IDs and outcome as JSON.
- With ``--junitxml``, each test case gets a ``verifies`` property with its IDs.
"""

from __future__ import annotations

import json
import re
import warnings
from collections.abc import Collection, Iterable
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import TYPE_CHECKING

import pytest

if TYPE_CHECKING:
    from medtrace.errors import ConfigError

__all__ = [
    "MAP_VERSION",
    "MARKER",
    "MedtraceConfigWarning",
    "MedtraceUnknownIdWarning",
    "MedtraceWarning",
    "nearest_id",
    "verified_ids",
]

MARKER = "verifies"
MARKER_HELP = "verifies(*ids): this test verifies the given requirement/risk IDs (medtrace)"
#: The ``version`` of the map file's format.
MAP_VERSION = 1
_CONFIG_PROBLEMS_SHOWN = 3


class MedtraceWarning(pytest.PytestWarning):
    """Base of the warnings of the medtrace pytest plugin."""


class MedtraceUnknownIdWarning(MedtraceWarning):
    """A ``verifies`` marker names an ID the medtrace project does not have."""


class MedtraceConfigWarning(MedtraceWarning):
    """The medtrace project cannot be loaded: IDs are not checked."""


# ---------------------------------------------------------------------------------------------
# hooks of the module: options, marker, the session recorder


def pytest_addoption(parser: pytest.Parser) -> None:
    group = parser.getgroup("medtrace", "medtrace traceability (IEC 62304)")
    group.addoption(
        "--medtrace-map",
        metavar="PATH",
        default=None,
        help="write the test-to-item map (IDs and outcome of every test) as JSON to PATH.",
    )
    group.addoption(
        "--medtrace-strict",
        action="store_true",
        default=False,
        help="an unknown ID in @pytest.mark.verifies is a collection error, not a warning.",
    )
    group.addoption(
        "--medtrace-root",
        metavar="DIR",
        default=None,
        help="where the medtrace project is (default: searched upward from the rootdir).",
    )
    parser.addini("medtrace_map", "like --medtrace-map (relative to the ini file)", default="")
    parser.addini("medtrace_strict", "like --medtrace-strict", type="bool", default=False)


# @implements SRS-21
def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line("markers", MARKER_HELP)
    recorder = _Recorder(_Settings.of(config))
    config.stash[_RECORDER] = recorder
    config.pluginmanager.register(recorder, _PLUGIN_NAME)


def pytest_unconfigure(config: pytest.Config) -> None:
    recorder = config.stash.get(_RECORDER, None)
    if recorder is not None:
        del config.stash[_RECORDER]
        config.pluginmanager.unregister(recorder)


# ---------------------------------------------------------------------------------------------
# reading the marker


def verified_ids(node: pytest.Item) -> list[str]:
    """The IDs the ``verifies`` markers of ``node`` (and its class and module) name, once each.

    ``verifies("SRS-1", "RISK-2")``, ``verifies("SRS-1, RISK-2")`` and stacked markers all work.
    """
    ids: dict[str, None] = {}
    for mark in node.iter_markers(MARKER):
        for part in _split(mark.args):
            ids.setdefault(part)
    return list(ids)


def _split(value: object) -> list[str]:
    if isinstance(value, list | tuple | set | frozenset):
        return [part for element in value for part in _split(element)]
    return [part for part in re.split(r"[,\s]+", str(value)) if part]


def nearest_id(wanted: str, known: Collection[str]) -> str | None:
    """The known ID closest to ``wanted``, for a hint; ``None`` when none is close."""
    from medtrace.ids import closest_id

    return closest_id(wanted, known)


def _unknown_message(where: str, wanted: str, known: Collection[str]) -> str:
    near = nearest_id(wanted, known)
    hint = f"did you mean '{near}'?" if near else "no similar ID in the medtrace project"
    return f"{where}: unknown ID '{wanted}' in @pytest.mark.verifies; {hint}"


def _function_nodeid(nodeid: str) -> str:
    """``a.py::test_x[1]`` → ``a.py::test_x``: the cases of a parametrized test are one test."""
    head, sep, name = nodeid.rpartition("::")
    return head + sep + name.partition("[")[0]


# ---------------------------------------------------------------------------------------------
# settings


@dataclass(frozen=True)
class _Settings:
    map_path: Path | None
    strict: bool
    root: Path | None  # --medtrace-root, when given
    rootdir: Path
    junit: bool
    worker: bool  # an xdist worker: the controller writes the map

    @classmethod
    def of(cls, config: pytest.Config) -> _Settings:
        here = config.invocation_params.dir
        root = config.getoption("medtrace_root")
        return cls(
            map_path=_map_path(config),
            strict=bool(config.getoption("medtrace_strict") or config.getini("medtrace_strict")),
            root=here / root if root else None,
            rootdir=config.rootpath,
            junit=bool(config.getoption("xmlpath", None)),
            worker=hasattr(config, "workerinput"),
        )


def _map_path(config: pytest.Config) -> Path | None:
    option: str | None = config.getoption("medtrace_map")
    if option:
        return config.invocation_params.dir / option
    ini = str(config.getini("medtrace_map") or "").strip()
    if not ini:
        return None
    base = config.inipath.parent if config.inipath else config.rootpath
    return base / ini


# ---------------------------------------------------------------------------------------------
# the project's IDs, loaded once and only when a test names some


class _Catalogue:
    """The IDs of the medtrace project; ``ids`` is ``None`` when they cannot be checked."""

    def __init__(self, settings: _Settings) -> None:
        self._settings = settings
        self._loaded = False
        self.ids: frozenset[str] | None = None

    def known(self) -> frozenset[str] | None:
        if not self._loaded:
            self._loaded = True  # first: a warning turned into an error is reported once
            self.ids = self._load()
        return self.ids

    def _load(self) -> frozenset[str] | None:
        from medtrace.config import find_config
        from medtrace.errors import UsageError

        start = self._settings.root or self._settings.rootdir
        try:
            found = find_config(start)
        except UsageError as exc:
            if self._settings.root is not None or self._settings.strict:
                self._broken(str(exc), None, 0)
            return None  # not a medtrace project: markers are recorded, not checked
        return self._ids_of(found)

    def _ids_of(self, found: Path) -> frozenset[str] | None:
        from medtrace.errors import ConfigError, MedtraceError
        from medtrace.pipeline import load_project

        try:
            with warnings.catch_warnings():  # medtrace's own, not the tests': -W error spares them
                warnings.simplefilter("ignore")
                return frozenset(load_project(found.parent).model.items)
        except ConfigError as exc:
            self._config_error(exc, found)
        except MedtraceError as exc:
            self._broken(str(exc), found, 0)
        except Exception as exc:  # a bug in medtrace must not break the user's test run
            self._broken(f"cannot load the project ({type(exc).__name__}: {exc})", found, 0)
        return None

    def _config_error(self, exc: ConfigError, found: Path) -> None:
        shown = exc.diagnostics[:_CONFIG_PROBLEMS_SHOWN]
        problems = [f"{d.message} ({d.hint})" if d.hint else d.message for d in shown] or [str(exc)]
        hidden = len(exc.diagnostics) - len(shown)
        more = f" (and {hidden} more: run 'medtrace check')" if hidden > 0 else ""
        line = min((d.line for d in shown if d.line), default=0)
        self._broken("; ".join(problems) + more, found, line)

    def _broken(self, problem: str, source: Path | None, line: int) -> None:
        """The project cannot be loaded: a usage error with ``--medtrace-strict``, else a warning."""
        where = f"{source}: " if source else ""
        if self._settings.strict:
            raise pytest.UsageError(f"medtrace: {where}{problem}")
        message = f"medtrace: {where}{problem}; IDs in @pytest.mark.verifies are not checked"
        warnings.warn_explicit(
            MedtraceConfigWarning(message),
            category=None,
            filename=str(source or self._settings.root or self._settings.rootdir),
            lineno=max(line, 1),
        )


# ---------------------------------------------------------------------------------------------
# the map file


@dataclass
class _Entry:
    nodeid: str
    file: str
    line: int | None
    function: str
    ids: list[str]
    outcome: str | None = None

    @classmethod
    def of(cls, nodeid: str, location: tuple[str, int | None, str], ids: list[str]) -> _Entry:
        path, line, domain = location
        function = domain.partition("[")[0]  # test_x[1] -> test_x; TestC.test_m stays
        return cls(nodeid, Path(path).as_posix(), None if line is None else line + 1, function, ids)


def _outcome(report: pytest.TestReport, previous: str | None) -> str | None:
    """The outcome of a test after ``report`` (setup, call or teardown)."""
    expected_failure = hasattr(report, "wasxfail")
    if report.when == "call" and report.passed:
        return "xpassed" if expected_failure else "passed"
    if report.skipped:
        return "xfailed" if expected_failure else "skipped"
    if report.failed:
        return "failed" if report.when == "call" else "error"
    return previous


def _ids_from_properties(report: pytest.TestReport) -> list[str]:
    return [
        part for name, value in report.user_properties if name == MARKER for part in _split(value)
    ]


def _write_map(path: Path, rootdir: Path, exitstatus: int, entries: Iterable[_Entry]) -> None:
    from medtrace.fsutil import write_atomic

    document = {
        "version": MAP_VERSION,
        "rootdir": rootdir.as_posix(),
        "exitstatus": int(exitstatus),
        "tests": [asdict(entry) for entry in entries],
    }
    write_atomic(path, json.dumps(document, indent=2, ensure_ascii=False) + "\n")


# ---------------------------------------------------------------------------------------------
# the plugin object of one session


class _Recorder:
    """Checks the IDs at collection, records outcomes, writes the map; one per ``Config``."""

    def __init__(self, settings: _Settings) -> None:
        self.settings = settings
        self.catalogue = _Catalogue(settings)
        self.reported: set[tuple[str, str]] = set()  # (test function, unknown ID)
        self.errors: dict[str, list[str]] = {}  # by file: messages of collection errors
        self.failed: set[str] = set()  # test functions with a collection error
        self.entries: dict[str, _Entry] = {}
        self.write_error: str | None = None

    def pytest_itemcollected(self, item: pytest.Item) -> None:
        try:
            messages = self._unknown(item)
        except MedtraceWarning as exc:  # -W error: the configuration warning is an error
            self._error(item, str(exc))
            return
        for message in messages:
            self._report(item, message)

    def _unknown(self, item: pytest.Item) -> list[str]:
        """A message per unknown ID of ``item``, once per test function (not per case)."""
        ids = verified_ids(item)
        known = self.catalogue.known() if ids else None
        if known is None:
            return []
        function = _function_nodeid(item.nodeid)
        fresh = [i for i in ids if i not in known and (function, i) not in self.reported]
        self.reported.update((function, i) for i in fresh)
        return [_unknown_message(function, wanted, known) for wanted in fresh]

    def _report(self, item: pytest.Item, message: str) -> None:
        if self.settings.strict:
            self._error(item, message)
            return
        try:
            item.warn(MedtraceUnknownIdWarning(message))
        except MedtraceWarning as exc:  # -W error: the warning is an error
            self._error(item, str(exc))

    def _error(self, item: pytest.Item, message: str) -> None:
        self.errors.setdefault(item.nodeid.partition("::")[0], []).append(message)
        self.failed.add(_function_nodeid(item.nodeid))

    @pytest.hookimpl(tryfirst=True)
    def pytest_collection_modifyitems(
        self, session: pytest.Session, items: list[pytest.Item]
    ) -> None:
        """Report the errors found at collection as collection errors of their files."""
        for where, messages in self.errors.items():
            report = pytest.CollectReport(where, "failed", "\n".join(messages), [])
            session.ihook.pytest_collectreport(report=report)
        if self.failed:
            items[:] = [i for i in items if _function_nodeid(i.nodeid) not in self.failed]

    def pytest_collection_finish(self, session: pytest.Session) -> None:
        if not (self.settings.map_path or self.settings.junit):
            return
        for item in session.items:
            ids = verified_ids(item)
            if ids:
                item.user_properties.append((MARKER, ", ".join(ids)))
            if self.settings.map_path:
                self.entries[item.nodeid] = _Entry.of(item.nodeid, item.location, ids)

    def pytest_runtest_logreport(self, report: pytest.TestReport) -> None:
        if self.settings.map_path is None:
            return
        entry = self.entries.get(report.nodeid)
        if entry is None:  # collected elsewhere (an xdist worker)
            entry = _Entry.of(report.nodeid, report.location, _ids_from_properties(report))
            self.entries[report.nodeid] = entry
        entry.outcome = _outcome(report, entry.outcome)

    @pytest.hookimpl(trylast=True)
    def pytest_sessionfinish(self, session: pytest.Session, exitstatus: int) -> None:
        path = self.settings.map_path
        if path is None or self.settings.worker:
            return
        try:
            _write_map(path, self.settings.rootdir, exitstatus, self.entries.values())
        except OSError as exc:
            self.write_error = f"medtrace: cannot write the test map {path}: {exc}"
            if session.exitstatus == pytest.ExitCode.OK:
                session.exitstatus = pytest.ExitCode.USAGE_ERROR

    def pytest_terminal_summary(self, terminalreporter: pytest.TerminalReporter) -> None:
        if self.write_error:
            terminalreporter.write_line(self.write_error, red=True, bold=True)


_PLUGIN_NAME = "medtrace-recorder"
_RECORDER = pytest.StashKey[_Recorder]()
