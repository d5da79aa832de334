"""IEC 62304 / ISO 14971 defaults: kinds, their fields, risk scales and acceptability.

Everything here can be changed in the project's configuration; these are the values a project
gets when it says nothing.
"""

from __future__ import annotations

from typing import Any

SRS_TYPES = [
    "functional",
    "inputs-outputs",
    "interfaces",
    "alarms",
    "security",
    "usability",
    "data",
    "installation",
    "operation",
    "maintenance",
    "it-network",
    "regulatory",
]

ALL = ["A", "B", "C"]
ACCEPTABILITY = ["acceptable", "review", "unacceptable"]
BC = ["B", "C"]
C = ["C"]


def _f(type_: str = "string", **kw: Any) -> dict[str, Any]:
    return {"type": type_, **kw}


def _links(*targets: str, **kw: Any) -> dict[str, Any]:
    return _f("links", targets=list(targets), **kw)


def _links_one(*targets: str, **kw: Any) -> dict[str, Any]:
    return _f("link", targets=list(targets), **kw)


#: IDs of environments, externals and actors: lower-case names, like software items.
ARCH_ID = r"[a-z][a-z0-9-]*"
ENVIRONMENT_TYPES = ["phone", "cloud", "device", "network", "browser", "desktop", "other"]
INTERFACE_KINDS = ["openapi", "python", "typescript", "c-header", "prose"]
#: What a flow may connect.
FLOW_ENDS = ("software-item", "external", "actor", "environment")
#: The keys of one entry of a software item's ``interfaces``.
INTERFACE_FIELDS: dict[str, dict[str, Any]] = {
    "name": _f("string", required=ALL),
    "kind": _f("enum", values=INTERFACE_KINDS, required=ALL),
    "spec": _f("string", description="file path (openapi, typescript, c-header)"),
    "module": _f("string", description="dotted Python module or package name"),
    "paths": _f("list"),
    "public": _f("boolean"),
    "text": _f("text"),
}

COMMON_FIELDS: dict[str, dict[str, Any]] = {
    "title": _f("string", required=ALL, description="a short name"),
    "text": _f("text", description="the statement or description"),
    "status": _f("enum", values=["draft", "review", "approved", "obsolete"]),
    "notes": _f("text"),
}

KINDS: dict[str, dict[str, Any]] = {
    "system-requirement": {
        "title": "System requirement",
        "prefix": "SYS",
        "fields": {
            "parents": _links("system-requirement", derivation=True),
            "rationale": _f("text"),
            "verification": _f("enum", values=["test", "inspection", "analysis", "demonstration"]),
            "verification_record": _f("string", description="the record of the verification"),
        },
    },
    "software-requirement": {
        "title": "Software requirement",
        "prefix": "SRS",
        "fields": {
            "type": _f("enum", values=SRS_TYPES, required=BC),
            "parents": _links("system-requirement", "software-requirement", derivation=True),
            "item": _f("link", targets=["software-item"]),
            "controls": _links("risk"),
            "control_type": _f("enum", values=["inherent-design", "protective", "information"]),
            "verification": _f("enum", values=["test", "inspection", "analysis", "demonstration"]),
            "effectiveness": _f("text", description="how the control's effectiveness is verified"),
            "effectiveness_evidence": _links(description="the record of that verification"),
            "verification_record": _f("string", description="the record of the verification"),
            "rationale": _f("text"),
            "implemented_in": _f("list"),
            "operations": _f("list"),
        },
    },
    "risk": {
        "title": "Risk",
        "prefix": "RISK",
        "fields": {
            "hazard": _f("text", required=ALL),
            "sequence": _f("text"),
            "situation": _f("text"),
            "harm": _f("text", required=ALL),
            "severity": _f("scale", scale="severity", required=ALL),
            "probability": _f("scale", scale="probability"),
            "p1": _f("scale", scale="p1", description="probability of the hazardous situation"),
            "p2": _f("scale", scale="p2", description="probability that it leads to the harm"),
            "p1_rationale": _f("text", description="why P1 of a software failure is below 1"),
            "initial": _f("enum", values=ACCEPTABILITY),
            "residual_severity": _f("scale", scale="severity"),
            "residual_probability": _f("scale", scale="probability"),
            "residual_p1": _f("scale", scale="p1"),
            "residual_p2": _f("scale", scale="p2"),
            "residual": _f("enum", values=ACCEPTABILITY),
            "residual_rationale": _f("text", description="why the residual risk is higher"),
            "benefit_risk": _f("text"),
            "reduction_rationale": _f(
                "text", description="why no further control is possible (AFAP) or practicable"
            ),
            "common_mode_rationale": _f(
                "text", description="why a control in the item it protects is independent"
            ),
            "introduced_by": _links("software-requirement"),
            "item": _f("link", targets=["software-item"]),
            "cause": _f("enum", values=["specification", "defect", "soup", "hardware", "misuse"]),
            "soup": _links("soup"),
        },
    },
    "software-item": {
        "title": "Software item",
        "pattern": r"[a-z][a-z0-9-]*",
        "fields": {
            "class": _f("enum", values=ALL),
            "rationale": _f("text"),
            "parent": _f("link", targets=["software-item"], derivation=True),
            "level": _f("enum", values=["system", "item", "unit"]),
            "runtime": _f("string"),
            "environment": _links_one("environment"),
            "paths": _f("list"),
            "uses": _links("software-item", "soup"),
            "interfaces": _f("mapping-list", fields=INTERFACE_FIELDS),
            "segregation": _f("text"),
            "external_code": _f("flag"),
            "soup": _links("soup"),
        },
    },
    "soup": {
        "title": "SOUP",
        "prefix": "SOUP",
        "pattern": r"[A-Za-z0-9@][A-Za-z0-9@/._+-]*",
        "fields": {
            "manufacturer": _f("string", required=ALL),
            "version": _f("string", required=ALL),
            "purpose": _f("text", required=ALL),
            "requirements": _f("text", required=BC),
            "hardware": _f("text", required=BC),
            "software": _f("text", required=BC),
            "anomalies": _f("mapping", required=BC, keys=["where", "when", "verdict"]),
            "support": _f("string", required=C),
            "end_of_support": _f("date", required=C),
            "license": _f("string", required=C),
            "package": _f("string"),
            "purl": _f("string"),
            "cpe": _f("string"),
            "adopted": _f("date"),
            "origin": _f("enum", values=["lockfile", "platform", "vendored", "image"]),
            "items": _links("software-item", required=C),
        },
    },
    "test-case": {
        "title": "Test case",
        "prefix": "TC",
        "fields": {
            "type": _f("enum", values=["system", "integration", "unit", "bench", "usability"]),
            "verifies": _links("software-requirement", "system-requirement", "risk"),
            "steps": _f("any", required=ALL),
            "expected": _f("text", required=ALL),
            "result": _f("enum", values=["pass", "fail", "blocked", "not-run"]),
            "executed": _f("date"),
            "tester": _f("string"),
            "version": _f("string", description="the software version tested"),
            "configuration": _f("text", description="the configuration and set-up tested"),
            "tools": _f("any", description="the tools and instruments used, with versions"),
            "actual": _f("any", description="the actual result of each step, in order"),
            "deviations": _f("text", description="deviations from the steps, or 'none'"),
            "level": _f("enum", values=["unit", "integration", "system"]),
        },
    },
    "anomaly": {
        "title": "Anomaly",
        "prefix": "ANOM",
        "fields": {
            "severity": _f("enum", values=["low", "medium", "high", "critical"], required=ALL),
            "version": _f("string"),
            "evaluation": _f("text"),
            "status": _f("enum", values=["open", "closed", "deferred"], required=ALL),
            "items": _links("software-item"),
            "related": _links(),
            "fixed_in": _f("string", description="the version that fixes it"),
            "verified_by": _f("list", description="test cases or tests that show the fix"),
        },
    },
    # The architecture model (IEC 62304 5.3): where software runs, what it talks to, who uses it.
    "environment": {
        "title": "Environment",
        "pattern": ARCH_ID,
        "fields": {
            "type": _f("enum", values=ENVIRONMENT_TYPES),
            "parent": _links_one("environment", derivation=True),
        },
    },
    "external": {
        "title": "External system",
        "pattern": ARCH_ID,
        "fields": {
            "type": _f("string"),
            "environment": _links_one("environment"),
        },
    },
    "actor": {
        "title": "Actor",
        "pattern": ARCH_ID,
        "fields": {},
    },
    "flow": {
        "title": "Flow",
        "prefix": "FLOW",
        "pattern": r"FLOW-[0-9]+|[a-z][a-z0-9-]*",
        "fields": {
            "title": _f("string", description="a short name (the label is shown when absent)"),
            "from": _links_one(*FLOW_ENDS, required=ALL),
            "to": _links_one(*FLOW_ENDS, required=ALL),
            "label": _f("string"),
            "protocol": _f("string"),
            "data": _f("text"),
            "direction": _f("enum", values=["one-way", "two-way"]),
            "safety": _f("boolean"),
            "interface": _f("string"),
        },
    },
}

SEVERITY = ["negligible", "minor", "serious", "critical", "catastrophic"]
PROBABILITY = ["improbable", "remote", "occasional", "probable", "frequent"]
_A, _R, _U = "acceptable", "review", "unacceptable"
MATRIX = [
    [_A, _A, _A, _A, _R],
    [_A, _A, _A, _R, _U],
    [_A, _A, _R, _U, _U],
    [_A, _R, _U, _U, _U],
    [_R, _U, _U, _U, _U],
]

PATHS: dict[str, list[str]] = {
    "items": ["docs"],
    "sources": [],
    "tests": [],
    "results": [],
    "coverage": [],
    "analysis": [],
    "exclude": [],
}

#: The languages the tag scanner reads, by the names ``[languages]`` maps globs to (the
#: scanner's registry, :data:`medtrace.scanning.LANGUAGES`, has the same names).
LANGUAGES = [
    "c",
    "cpp",
    "csharp",
    "go",
    "java",
    "javascript",
    "kotlin",
    "python",
    "qml",
    "rust",
    "swift",
    "tsx",
    "typescript",
]
