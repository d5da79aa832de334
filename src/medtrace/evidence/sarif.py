"""SARIF 2.1.0 from static analysers (ruff, ESLint, CodeQL, cppcheck, gcc 13+, clang, ...).

The shape is checked as far as medtrace uses it (no schema library: the ones on PyPI pull in
a full JSON-Schema engine for a few fields): ``version`` ``2.1.0``, ``runs[]`` each with
``tool.driver.name`` and ``results[]``. Each result gives:

- the rule: ``ruleId``, else ``rule.id``, else the ``id`` of ``tool.driver.rules[ruleIndex]``;
- the level: ``level``, else the rule's ``defaultConfiguration.level``, else ``warning``
  (SARIF's default);
- the message: ``message.text``, else the rule's message string ``message.id``;
- the place: the first ``locations[].physicalLocation``: ``artifactLocation.uri`` (or the
  ``uri`` of ``run.artifacts[index]``), relative to its ``uriBaseId`` as
  ``run.originalUriBaseIds`` defines it, and ``region.startLine``/``startColumn``.

Only open findings count: a result whose ``kind`` is not ``fail`` (``pass``,
``informational``, ``notApplicable``, ``review``, ``open``), whose ``baselineState`` is
``absent``, or with an accepted suppression (``suppressions[]`` with no ``status`` or
``accepted``) is left out. A result that does not have this shape is reported (``MT140``) with
its JSON position (``runs[0].results[3]``), and the others are read.
"""

from __future__ import annotations

from typing import Any

from medtrace.evidence import codes, jsonio
from medtrace.evidence.model import RawFinding, ReportData
from medtrace.evidence.paths import uri_path
from medtrace.evidence.registry import reader

__all__ = ["read_sarif"]

LEVELS = frozenset({"error", "warning", "note", "none"})
_CLOSED_BASELINE = frozenset({"absent"})


def _sniff(head: bytes) -> bool:
    return head.startswith(b"{") and b'"runs"' in head and (b"sarif" in head or b'"2.1.0"' in head)


# @implements SRS-127
@reader("sarif", "analysis", _sniff)
def read_sarif(data: bytes, source: str) -> ReportData:
    """The open findings of a SARIF 2.1.0 log; never raises on bad input."""
    report = ReportData("sarif", "analysis")
    value, problem = jsonio.load(data, source)
    if problem is not None:
        report.diagnostics.append(problem)
        return report
    shape = _shape_problem(value)
    if shape:
        report.diagnostics.append(codes.malformed(source, shape))
        return report
    for index, run in enumerate(value["runs"]):
        _run(run, f"runs[{index}]", source, report)
    return report


def _shape_problem(value: Any) -> str:
    if not isinstance(value, dict):
        return "JSON that is not a SARIF log (an object with `version` and `runs`)"
    if value.get("version") != "2.1.0":
        return f"SARIF version {value.get('version')!r}, not '2.1.0'"
    if not isinstance(value.get("runs"), list):
        return "a SARIF log without a `runs` list"
    return ""


def _run(run: Any, where: str, source: str, report: ReportData) -> None:
    driver = _get(run, "tool", "driver")
    tool = driver.get("name") if isinstance(driver, dict) else None
    results = run.get("results", []) if isinstance(run, dict) else None
    if not isinstance(tool, str) or not isinstance(results, list):
        found = f"{where} has no `tool.driver.name` or no `results` list; it is left out"
        report.diagnostics.append(codes.malformed(source, found))
        return
    context = _RunContext(run, tool)
    for index, result in enumerate(results):
        finding = context.finding(result)
        if isinstance(finding, str):
            found = f"{where}.results[{index}] {finding}; it is left out"
            report.diagnostics.append(codes.malformed(source, found))
        elif finding is not None:
            report.findings.append(finding)


class _RunContext:
    """What a run's results refer to: its rules, artifacts and URI base IDs."""

    def __init__(self, run: dict[str, Any], tool: str) -> None:
        self.tool = tool
        rules = _get(run, "tool", "driver", "rules")
        self.rules: list[Any] = rules if isinstance(rules, list) else []
        artifacts = run.get("artifacts")
        self.artifacts: list[Any] = artifacts if isinstance(artifacts, list) else []
        bases = run.get("originalUriBaseIds")
        self.bases: dict[str, Any] = bases if isinstance(bases, dict) else {}

    def finding(self, result: Any) -> RawFinding | str | None:
        """The result as a finding, None when it is not open, or what is wrong with it."""
        if not isinstance(result, dict):
            return "is not an object"
        if not _is_open(result):
            return None
        rule = self._rule(result)
        level = result.get("level", _get(rule, "defaultConfiguration", "level") or "warning")
        if level not in LEVELS:
            return f"has the level {level!r}, not one of error, warning, note, none"
        message = self._message(result, rule)
        if message is None:
            return "has no message text"
        uri, line, column = self._place(result)
        rule_id = result.get("ruleId") or _get(result, "rule", "id") or _get(rule, "id") or ""
        base = self._base(result)
        return RawFinding(self.tool, str(rule_id), level, message, uri, line, column, base)

    def _rule(self, result: dict[str, Any]) -> Any:
        index = result.get("ruleIndex", _get(result, "rule", "index"))
        if isinstance(index, int) and 0 <= index < len(self.rules):
            return self.rules[index]
        rule_id = result.get("ruleId")
        return next((r for r in self.rules if isinstance(r, dict) and r.get("id") == rule_id), {})

    def _message(self, result: dict[str, Any], rule: Any) -> str | None:
        text = _get(result, "message", "text")
        if isinstance(text, str):
            return " ".join(text.split())
        message_id = _get(result, "message", "id")
        strings = _get(rule, "messageStrings", message_id, "text") if message_id else None
        return " ".join(strings.split()) if isinstance(strings, str) else None

    def _place(self, result: dict[str, Any]) -> tuple[str | None, int, int]:
        location = _first(result.get("locations"))
        physical = _get(location, "physicalLocation")
        artifact = _get(physical, "artifactLocation")
        uri = _get(artifact, "uri")
        index = _get(artifact, "index")
        if not isinstance(uri, str) and isinstance(index, int) and 0 <= index < len(self.artifacts):
            uri = _get(self.artifacts[index], "location", "uri")
        line, column = (
            _get(physical, "region", "startLine"),
            _get(physical, "region", "startColumn"),
        )
        return (
            uri_path(uri) if isinstance(uri, str) else None,
            line if isinstance(line, int) and line > 0 else 0,
            column if isinstance(column, int) and column > 0 else 0,
        )

    def _base(self, result: dict[str, Any]) -> tuple[str, ...]:
        physical = _get(_first(result.get("locations")), "physicalLocation")
        base_id = _get(physical, "artifactLocation", "uriBaseId")
        chain: list[str] = []
        seen: set[str] = set()
        while isinstance(base_id, str) and base_id not in seen:
            seen.add(base_id)
            entry = self.bases.get(base_id)
            uri = _get(entry, "uri")
            if isinstance(uri, str):
                chain.append(uri_path(uri))
            base_id = _get(entry, "uriBaseId")
        if not chain:
            return ()
        joined = chain[-1]
        for part in reversed(chain[:-1]):
            joined = joined.rstrip("/") + "/" + part
        return (joined,)


def _is_open(result: dict[str, Any]) -> bool:
    if result.get("kind", "fail") != "fail" or result.get("baselineState") in _CLOSED_BASELINE:
        return False
    suppressions = result.get("suppressions")
    if not isinstance(suppressions, list):
        return True
    return not any(
        isinstance(s, dict) and s.get("status", "accepted") == "accepted" for s in suppressions
    )


def _first(value: Any) -> Any:
    return value[0] if isinstance(value, list) and value else None


def _get(value: Any, *keys: Any) -> Any:
    for key in keys:
        if not isinstance(value, dict):
            return None
        value = value.get(key)
    return value
