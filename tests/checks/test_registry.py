"""The rule registry: codes, classes, severity overrides from [rules], unknown rule names."""

from __future__ import annotations

from pathlib import Path

import pytest
from helpers import DEFAULT_CONFIG, run_check, write_project

from medtrace.checks import (
    RULES,
    Context,
    Rule,
    apply_severities,
    registry,
    run_rules,
    severity_overrides,
)
from medtrace.config import load_config
from medtrace.diagnostics import CODES, Code, Diagnostic, Severity
from medtrace.errors import ConfigError
from medtrace.loading import Locator
from medtrace.model import Model

pytestmark = pytest.mark.verifies("SRS-13")

CORE = ["MT004", "MT005", *(f"MT0{n:02d}" for n in range(7, 16))]


def test_every_core_rule_is_registered_with_a_unique_name() -> None:
    assert set(CORE) <= set(RULES)
    core = [c for c in CODES if c.startswith("MT0")]
    names = [CODES[code].name for code in core]
    assert len(names) == len(set(names)), "a name in [rules] must mean one rule"
    for code in CORE:
        rule = RULES[code]
        assert rule.code is CODES[code]
        assert rule.code.summary.endswith(".")
        assert rule.code.severity is Severity.ERROR
    assert RULES["MT015"].classes == frozenset("BC")
    assert RULES["MT010"].classes == frozenset("ABC")


def test_loading_and_configuration_codes_are_defined() -> None:
    assert {c: CODES[c].name for c in ("MT001", "MT002", "MT003", "MT006", "MT090")} == {
        "MT001": "file-unreadable",
        "MT002": "yaml-invalid",
        "MT003": "item-invalid",
        "MT006": "kind-unknown",
        "MT090": "config-invalid",
    }


def overrides(
    tmp_path: Path, rules: dict[str, str]
) -> tuple[dict[str, Severity], list[Diagnostic]]:
    write_project(tmp_path, {}, rules=rules)
    return severity_overrides(load_config(tmp_path))


def test_overrides_by_code_and_by_name(tmp_path: Path) -> None:
    found, problems = overrides(
        tmp_path, {"MT015": "warning", "link-dangling": "off", "yaml-invalid": "note"}
    )
    assert found == {"MT015": Severity.WARNING, "MT010": Severity.OFF, "MT002": Severity.NOTE}
    assert problems == []


def test_unknown_rule_names(tmp_path: Path) -> None:
    found, problems = overrides(
        tmp_path,
        {"link-danglin": "off", "requirement-unalocated": "error", "no-such-rule-at-all": "error"},
    )
    assert found == {}
    assert [(d.code, d.path, d.line, d.found, d.hint) for d in problems] == [
        (
            "MT090",
            "medtrace.toml",
            9,
            "unknown rule 'link-danglin' in [rules]",
            "Did you mean 'link-dangling'?",
        ),
        (
            "MT090",
            "medtrace.toml",
            10,
            "unknown rule 'requirement-unalocated' in [rules]",
            "Did you mean 'requirement-unallocated'?",
        ),
        (
            "MT090",
            "medtrace.toml",
            11,
            "unknown rule 'no-such-rule-at-all' in [rules]",
            "See the rules with 'medtrace rules'.",
        ),
    ]
    assert problems[0].expected == "a rule code (MT010) or name (link-dangling)"


def test_unknown_rule_names_are_a_configuration_error(tmp_path: Path) -> None:
    write_project(tmp_path, {}, rules={"link-danglin": "off"})
    with pytest.raises(ConfigError) as info:
        run_check(tmp_path)
    (d,) = info.value.diagnostics
    assert d.code == "MT090"
    assert "Did you mean 'link-dangling'?" in d.hint


REQS = {
    "docs/a.yaml": """
        - {id: SRS-1, title: t, type: data, parents: [SYS-9]}
        """
}


@pytest.mark.parametrize("key", ["MT010", "link-dangling"])
def test_a_rule_turned_into_a_warning(tmp_path: Path, key: str) -> None:
    write_project(tmp_path, REQS, cls="A", rules={key: "warning"})
    result = run_check(tmp_path)
    (d,) = result.diagnostics
    assert (d.code, d.severity) == ("MT010", Severity.WARNING)
    assert not result.failed()
    assert result.failed(strict=True)


@pytest.mark.parametrize("key", ["MT010", "link-dangling"])
def test_a_rule_turned_off(tmp_path: Path, key: str) -> None:
    write_project(tmp_path, REQS, cls="A", rules={key: "off"})
    assert run_check(tmp_path).diagnostics == []


def test_a_loading_problem_turned_into_a_warning(tmp_path: Path) -> None:
    write_project(
        tmp_path, {"docs/notes.md": "# just notes\n", "docs/e.yaml": ""}, rules={"MT003": "note"}
    )
    result = run_check(tmp_path)
    assert sorted((d.code, d.severity) for d in result.diagnostics) == [
        ("MT003", Severity.NOTE),
        ("MT003", Severity.NOTE),
    ]
    assert not result.failed(strict=True)


def test_apply_severities() -> None:
    made = [CODES["MT010"]("a"), CODES["MT011"]("b"), CODES["MT012"]("c")]
    out = apply_severities(made, {"MT010": Severity.OFF, "MT011": Severity.WARNING})
    assert [(d.code, d.severity) for d in out] == [
        ("MT011", Severity.WARNING),
        ("MT012", Severity.ERROR),
    ]


def context(cls: str = "B") -> Context:
    config = DEFAULT_CONFIG.model_copy(
        update={"project": DEFAULT_CONFIG.project.model_copy(update={"safety_class": cls})}
    )
    return Context(config, Model(), Locator(Path()))


def fake_rule(
    monkeypatch: pytest.MonkeyPatch, classes: str = "ABC", needs: tuple[str, ...] = ()
) -> list[str]:
    calls: list[str] = []

    def check(ctx: Context) -> list[Diagnostic]:
        calls.append(ctx.config.safety_class)
        return [code("ran")]

    code = Code("MT998", "fake-rule", Severity.ERROR, "A fake rule.")
    fake = Rule(code, check, frozenset(classes), frozenset(needs))
    monkeypatch.setattr(registry, "RULES", {"MT998": fake})  # this rule alone
    return calls


def test_run_rules_for_the_class_only(monkeypatch: pytest.MonkeyPatch) -> None:
    calls = fake_rule(monkeypatch, classes="BC")
    assert "MT998" not in [d.code for d in run_rules(context("A"), {}, {"model"})]
    assert "MT998" in [d.code for d in run_rules(context("C"), {}, {"model"})]
    assert calls == ["C"]


def test_an_override_runs_a_rule_outside_its_classes(monkeypatch: pytest.MonkeyPatch) -> None:
    calls = fake_rule(monkeypatch, classes="BC")
    run_rules(context("A"), {"MT998": Severity.WARNING}, {"model"})
    assert calls == ["A"]


def test_a_rule_turned_off_is_not_run(monkeypatch: pytest.MonkeyPatch) -> None:
    calls = fake_rule(monkeypatch)
    run_rules(context("B"), {"MT998": Severity.OFF}, {"model"})
    assert calls == []


def test_a_rule_runs_only_when_its_inputs_are_available(monkeypatch: pytest.MonkeyPatch) -> None:
    calls = fake_rule(monkeypatch, needs=("trace",))
    run_rules(context("B"), {}, {"model"})
    assert calls == []
    run_rules(context("B"), {}, {"model", "trace"})
    assert calls == ["B"]
