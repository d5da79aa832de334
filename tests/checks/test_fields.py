"""MT007 field-unknown, MT008 field-invalid and MT009 field-missing (by safety class)."""

from __future__ import annotations

from pathlib import Path

import pytest
from helpers import findings, load, run_check, write_project

from medtrace.checks import Context, fields
from medtrace.loading import Locator
from medtrace.model import Item

pytestmark = pytest.mark.verifies("SRS-10")

SOUP_B = """
    - id: SOUP-1
      title: zlib
      manufacturer: Jean-loup Gailly and Mark Adler
      version: "1.3.1"
      purpose: compression
      requirements: none
      hardware: any
      software: any
      anomalies: {where: "https://zlib.net", when: 2024-01-01, verdict: none relevant}
    """

# --- MT007 field-unknown ---------------------------------------------------------------------


def test_an_unknown_field_with_a_close_name(tmp_path: Path) -> None:
    write_project(tmp_path, {"docs/a.yaml": "- id: SYS-1\n  title: t\n  rationle: because\n"})
    (d,) = findings(tmp_path, "MT007")
    assert (d.rule, d.path, d.line, d.item) == ("field-unknown", "docs/a.yaml", 3, "SYS-1")
    assert d.found == "unknown field 'rationle' on system-requirement SYS-1"
    assert d.expected == (
        "one of notes, parents, rationale, status, text, title, verification, verification_record"
    )
    assert d.hint == "Did you mean 'rationale'?"


def test_an_unknown_field_without_a_close_name(tmp_path: Path) -> None:
    write_project(tmp_path, {"docs/SYS-1.md": "---\ntitle: t\n\nowner: me\n---\n"})
    (d,) = findings(tmp_path, "MT007")
    assert (d.path, d.line) == ("docs/SYS-1.md", 4)
    assert d.hint == "Add it to [kinds.system-requirement.fields] if the project needs it."


def test_the_old_name_of_a_renamed_field_is_unknown(tmp_path: Path) -> None:
    config = (
        '[project]\nclass = "A"\n'
        '[kinds.software-requirement.fields.parents]\nname = "derived_from"\n'
    )
    write_project(
        tmp_path,
        {
            "docs/a.yaml": """
                - {id: SYS-1, title: s}
                - {id: SRS-1, title: a, derived_from: [SYS-1]}
                - {id: SRS-2, title: b, parents: [SYS-1]}
                """
        },
        config=config,
    )
    (d,) = findings(tmp_path, "MT007")
    assert d.item == "SRS-2"
    assert d.hint == "This project calls it 'derived_from'."
    assert "derived_from" in d.expected and "parents" not in d.expected.split(", ")
    assert findings(tmp_path, "MT010") == [], "derived_from links resolve"


def test_known_fields_pass(tmp_path: Path) -> None:
    write_project(tmp_path, {"docs/a.yaml": "- {id: SYS-1, title: t, text: x, status: draft}\n"})
    assert findings(tmp_path, "MT007") == []


# --- MT008 field-invalid -----------------------------------------------------------------------


def invalid(tmp_path: Path, fields: str, id: str = "SRS-1", cls: str = "B") -> list[str]:
    write_project(tmp_path, {"docs/a.yaml": f"- id: {id}\n  title: t\n{fields}"}, cls=cls)
    return [d.message + " | " + d.hint for d in findings(tmp_path, "MT008")]


def test_an_enum_value_with_a_close_name(tmp_path: Path) -> None:
    assert invalid(tmp_path, "  type: functionl\n") == [
        "'type' of SRS-1 is 'functionl'; expected one of functional, inputs-outputs, interfaces, "
        "alarms, security, usability, data, installation, operation, maintenance, it-network, "
        "regulatory | Did you mean 'functional'?"
    ]


def test_an_enum_value_that_is_not_text(tmp_path: Path) -> None:
    (message,) = invalid(tmp_path, "  type: 3\n")
    assert message.startswith("'type' of SRS-1 is 3; expected one of functional")
    assert message.endswith(
        "| Write one of functional, inputs-outputs, interfaces, alarms, security, usability, data, installation, operation, maintenance, it-network, regulatory."
    )


def test_a_list_where_one_id_is_expected(tmp_path: Path) -> None:
    (message,) = invalid(tmp_path, "  item: [pump, ui]\n")
    assert message == (
        "'item' of SRS-1 is the list ['pump', 'ui']; expected one ID | "
        "Write one ID without brackets, e.g. 'item: <ID>'."
    )


def test_links_that_are_not_ids(tmp_path: Path) -> None:
    (message,) = invalid(tmp_path, "  parents: [SYS-1, 2]\n")
    assert message.startswith(
        "'parents' of SRS-1 is the list ['SYS-1', 2]; expected an ID or a list of IDs"
    )


def test_a_mapping_as_links(tmp_path: Path) -> None:
    (message,) = invalid(tmp_path, "  parents: {a: 1}\n")
    assert "expected an ID or a list of IDs" in message


def test_a_float_where_text_is_expected(tmp_path: Path) -> None:
    write_project(tmp_path, {"docs/soup.yaml": SOUP_B.replace('"1.3.1"', "1.10")})
    (d,) = findings(tmp_path, "MT008")
    assert (d.path, d.line, d.item) == ("docs/soup.yaml", 4, "SOUP-1")
    assert d.found == "'version' of SOUP-1 is the number 1.1"
    assert d.expected == "text (a number must be quoted to keep it exact)"
    assert d.hint.startswith('Quote it as written (version: "...")')


def test_a_whole_number_as_text_is_fine(tmp_path: Path) -> None:
    write_project(tmp_path, {"docs/soup.yaml": SOUP_B.replace('"1.3.1"', "2")})
    assert findings(tmp_path, "MT008") == []


def test_a_list_where_text_is_expected(tmp_path: Path) -> None:
    (message,) = invalid(tmp_path, "  rationale: [a, b]\n", id="SYS-1")
    assert (
        message == "'rationale' of SYS-1 is the list ['a', 'b']; expected text | "
        "Write text, e.g. 'rationale: some words' (a list or a mapping is not text)."
    )


def test_a_title_that_is_not_text(tmp_path: Path) -> None:
    write_project(tmp_path, {"docs/a.yaml": "- id: SYS-1\n  title: [a]\n"})
    (d,) = findings(tmp_path, "MT008")
    assert d.found == "'title' of SYS-1 is the list ['a']"
    assert d.hint == "Write one line of text, e.g. 'title: some words'."


@pytest.mark.parametrize("value", ["2024-13", "yesterday", "2024/01/02"])
def test_a_date_that_is_not_a_date(tmp_path: Path, value: str) -> None:
    (message,) = invalid(tmp_path, f"  executed: {value}\n", id="TC-1")
    assert f"'executed' of TC-1 is '{value}'; expected a date YYYY-MM-DD" in message


def test_a_date(tmp_path: Path) -> None:
    assert invalid(tmp_path, "  executed: 2024-01-02\n", id="TC-1") == []


RISK = """\
  hazard: h
  harm: x
  severity: {severity}
  probability: {probability}
"""


@pytest.mark.parametrize(
    ("severity", "probability"),
    [("serious", "remote"), (1, 5), ("catastrophic", "frequent")],
)
def test_scale_levels_by_name_or_number(
    tmp_path: Path, severity: object, probability: object
) -> None:
    assert (
        invalid(tmp_path, RISK.format(severity=severity, probability=probability), "RISK-1") == []
    )


@pytest.mark.parametrize("severity", ["huge", 0, 6, True])
def test_a_level_not_on_the_scale(tmp_path: Path, severity: object) -> None:
    (message,) = invalid(tmp_path, RISK.format(severity=severity, probability="remote"), "RISK-1")
    assert (
        "expected a level of the severity scale: negligible, minor, serious, critical, "
        "catastrophic (or 1 to 5)"
    ) in message


def test_a_custom_scale(tmp_path: Path) -> None:
    config = (
        '[project]\nclass = "B"\n[risk]\nseverity = ["low", "high"]\nprobability = ["rare", "often"]\n'
        'matrix = [["acceptable", "review"], ["review", "unacceptable"]]\n'
    )
    write_project(
        tmp_path,
        {
            "docs/r.yaml": "- {id: RISK-1, title: t, hazard: h, harm: x, severity: high, probability: remote}\n"
        },
        config=config,
    )
    (d,) = findings(tmp_path, "MT008")
    assert d.found == "'probability' of RISK-1 is 'remote'"
    assert d.expected == "a level of the probability scale: rare, often (or 1 to 2)"


def test_a_mapping_with_missing_keys(tmp_path: Path) -> None:
    write_project(tmp_path, {"docs/soup.yaml": SOUP_B.replace(", verdict: none relevant", "")})
    (d,) = findings(tmp_path, "MT008")
    assert d.expected == "a mapping with where, when, verdict (missing verdict)"


def test_a_mapping_that_is_text(tmp_path: Path) -> None:
    text = SOUP_B.replace(
        'anomalies: {where: "https://zlib.net", when: 2024-01-01, verdict: none relevant}',
        "anomalies: none known",
    )
    write_project(tmp_path, {"docs/soup.yaml": text})
    (d,) = findings(tmp_path, "MT008")
    assert d.expected == "a mapping with where, when, verdict"


def test_an_empty_value_is_not_invalid(tmp_path: Path) -> None:
    assert invalid(tmp_path, "  type: functional\n  rationale:\n  item: ~\n", cls="A") == []


def test_invalid_field_line_in_markdown(tmp_path: Path) -> None:
    write_project(tmp_path, {"docs/SRS-4.md": "---\ntitle: t\n\ntype: magic\n---\n"})
    (d,) = findings(tmp_path, "MT008")
    assert (d.path, d.line, d.item) == ("docs/SRS-4.md", 4, "SRS-4")


def test_invalid_field_under_its_renamed_name(tmp_path: Path) -> None:
    config = '[project]\nclass = "A"\n[kinds.software-requirement.fields.type]\nname = "category"\n'
    write_project(
        tmp_path, {"docs/a.yaml": "- id: SRS-1\n  title: t\n  category: magic\n"}, config=config
    )
    (d,) = findings(tmp_path, "MT008")
    assert d.found == "'category' of SRS-1 is 'magic'"
    assert d.line == 3


# --- MT009 field-missing, by class ----------------------------------------------------------------


def missing(tmp_path: Path, files: dict[str, str], cls: str) -> list[tuple[str, str]]:
    write_project(tmp_path, files, cls=cls)
    return [(d.item, d.expected) for d in findings(tmp_path, "MT009")]


def test_a_title_is_required_in_every_class(tmp_path: Path) -> None:
    files = {"docs/a.yaml": "- id: SYS-1\n"}
    assert missing(tmp_path, files, "A") == [("SYS-1", "'title' (required for class A)")]


def test_a_title_from_a_heading_counts(tmp_path: Path) -> None:
    assert missing(tmp_path, {"docs/SYS-1.md": "---\n---\n# Title\n"}, "C") == []


def test_the_message_and_hint(tmp_path: Path) -> None:
    write_project(tmp_path, {"docs/a.yaml": "- id: SYS-2\n- id: SYS-1\n  text: x\n"}, cls="B")
    d = findings(tmp_path, "MT009")[1]
    assert (d.rule, d.path, d.line, d.item) == ("field-missing", "docs/a.yaml", 2, "SYS-1")
    assert d.found == "system-requirement SYS-1 has no 'title'"
    assert d.hint == "Add 'title:' with a short name."


@pytest.mark.parametrize(("cls", "fires"), [("A", False), ("B", True), ("C", True)])
def test_requirement_type_is_required_for_b_and_c(tmp_path: Path, cls: str, fires: bool) -> None:
    found = missing(tmp_path, {"docs/a.yaml": "- {id: SRS-1, title: t}\n"}, cls)
    assert found == ([("SRS-1", f"'type' (required for class {cls})")] if fires else [])


@pytest.mark.parametrize("empty", ['""', "[]", "{}", "~"])
def test_an_empty_value_is_missing(tmp_path: Path, empty: str) -> None:
    found = missing(tmp_path, {"docs/a.yaml": f"- {{id: SRS-1, title: t, type: {empty}}}\n"}, "B")
    assert found == [("SRS-1", "'type' (required for class B)")]


ITEMS = """
    - {id: low, kind: software-item, title: Low, class: A, segregation: separate process}
    - {id: high, kind: software-item, title: High, class: C}
    - {id: inherits, kind: software-item, title: Child, parent: high}
    """


def test_the_class_of_the_software_item_decides(tmp_path: Path) -> None:
    files = {
        "docs/items.yaml": ITEMS,
        "docs/reqs.yaml": """
            - {id: SRS-1, title: in a class A item, item: low}
            - {id: SRS-2, title: in a class C item, item: high}
            - {id: SRS-3, title: in an item of a class C parent, item: inherits}
            - {id: SRS-4, title: not allocated}
            """,
    }
    assert missing(tmp_path, files, "C") == [
        ("SRS-2", "'type' (required for class C)"),
        ("SRS-3", "'type' (required for class C)"),
        ("SRS-4", "'type' (required for class C)"),
    ]


def test_an_item_of_a_higher_class_than_its_system(tmp_path: Path) -> None:
    files = {
        "docs/items.yaml": "- {id: part, kind: software-item, title: P, class: B}\n",
        "docs/reqs.yaml": "- {id: SRS-1, title: t, item: part}\n- {id: SRS-2, title: t}\n",
    }
    assert missing(tmp_path, files, "A") == [("SRS-1", "'type' (required for class B)")]


@pytest.mark.parametrize(
    ("cls", "expected"),
    [
        ("A", []),
        ("B", ["anomalies", "hardware", "requirements", "software"]),
        (
            "C",
            [
                "anomalies",
                "end_of_support",
                "hardware",
                "items",
                "license",
                "requirements",
                "software",
                "support",
            ],
        ),
    ],
)
def test_soup_fields_by_class(tmp_path: Path, cls: str, expected: list[str]) -> None:
    soup = "- {id: SOUP-1, title: zlib, manufacturer: m, version: '1.3', purpose: p}\n"
    found = missing(tmp_path, {"docs/soup.yaml": soup}, cls)
    assert [e for _, e in found] == [f"'{name}' (required for class {cls})" for name in expected]


def test_a_complete_soup_entry_passes_in_class_c(tmp_path: Path) -> None:
    soup_c = SOUP_B + (
        "      support: community\n      end_of_support: 2030-01-01\n      license: Zlib\n"
        "      items: [part]\n"
    )
    assert missing(tmp_path, {"docs/soup.yaml": soup_c}, "C") == []


def test_a_risk_needs_its_analysis_in_every_class(tmp_path: Path) -> None:
    found = missing(tmp_path, {"docs/r.yaml": "- {id: RISK-1, title: t}\n"}, "A")
    assert sorted(e for _, e in found) == [
        "'harm' (required for class A)",
        "'hazard' (required for class A)",
        "'severity' (required for class A)",
    ]  # 'probability', or P1 and P2: MT180 (risk-estimate) asks for one of them


def test_a_required_field_under_its_renamed_name(tmp_path: Path) -> None:
    config = '[project]\nclass = "B"\n[kinds.software-requirement.fields.type]\nname = "category"\n'
    write_project(tmp_path, {"docs/a.yaml": "- {id: SRS-1, title: t}\n"}, config=config)
    (d,) = findings(tmp_path, "MT009")
    assert d.found == "software-requirement SRS-1 has no 'category'"


# --- hints in the user's words -----------------------------------------------------------------

ASSESSED = """
    - id: RISK-1
      title: t
      hazard: h
      harm: x
      severity: {severity}
      probability: {probability}
    """


@pytest.mark.verifies("SRS-63")
@pytest.mark.parametrize(
    ("severity", "probability", "hint"),
    [
        ("Serious", "remote", "Did you mean 'serious'?"),
        ("serius", "remote", "Did you mean 'serious'?"),
        ("serious", "[remote]", "Did you mean 'remote'?"),
        ("serious", "7", "Write one of improbable, remote, occasional, probable, frequent."),
    ],
)
def test_scale_values_get_the_closest_level(
    tmp_path: Path, severity: str, probability: str, hint: str
) -> None:
    text = ASSESSED.format(severity=severity, probability=probability)
    write_project(tmp_path, {"docs/r.yaml": text}, cls="A")
    (d,) = findings(tmp_path, "MT008")
    assert d.hint == hint


@pytest.mark.verifies("SRS-63")
def test_an_enum_value_in_another_case(tmp_path: Path) -> None:
    items = "- {id: pump, kind: software-item, title: P, class: c}\n"
    write_project(tmp_path, {"docs/i.yaml": items}, cls="A")
    (d,) = findings(tmp_path, "MT008")
    assert d.message == "'class' of pump is 'c'; expected one of A, B, C"
    assert d.hint == "Did you mean 'C'?"


@pytest.mark.verifies("SRS-63", "SRS-67")
@pytest.mark.parametrize(
    ("field", "value", "found", "hint"),
    [
        (
            "verification",
            "[]",
            "an empty list",
            "Write one value without brackets, e.g. 'verification: test'.",
        ),
        (
            "verification",
            "{a: 1}",
            "the mapping {'a': 1}",
            "Write one value without brackets, e.g. 'verification: test'.",
        ),
        (
            "item",
            "[pump]",
            "the list ['pump']",
            "Write one ID without brackets, e.g. 'item: <ID>'.",
        ),
        (
            "rationale",
            "true",
            "true",
            "Write text, e.g. 'rationale: some words' (a list or a mapping is not text).",
        ),
    ],
)
def test_a_value_of_the_wrong_shape_is_reported_not_a_crash(
    tmp_path: Path, field: str, value: str, found: str, hint: str
) -> None:
    items = f"- id: SRS-1\n  title: t\n  type: functional\n  item: pump\n  {field}: {value}\n"
    items += "- {id: pump, kind: software-item, title: P, class: B}\n"
    if field == "item":
        items = items.replace("  item: pump\n", "", 1)
    write_project(tmp_path, {"docs/i.yaml": items}, cls="B")
    result = run_check(tmp_path)  # the trace and every rule run on it
    (d,) = [d for d in result.diagnostics if d.code == "MT008"]
    assert d.found == f"'{field}' of SRS-1 is {found}"
    assert d.hint == hint
    assert d.line == 4 if field == "item" else 5


@pytest.mark.verifies("SRS-63")
def test_every_hint_of_the_field_rules_is_a_sentence(tmp_path: Path) -> None:
    items = (
        "- id: SRS-1\n  title: [t]\n  type: functinal\n  parents: {a: 1}\n  control_type: 3\n"
        "  rationale: [a]\n  verfication: test\n"
        "- {id: SOUP-1, title: s, manufacturer: m, version: 1.10, purpose: p, end_of_support: 1}\n"
        "- {id: TC-1, title: t, steps: [a], expected: e, executed: yesterday}\n"
    )
    write_project(tmp_path, {"docs/i.yaml": items}, cls="B")
    found = [d for d in run_check(tmp_path).diagnostics if d.code in ("MT007", "MT008", "MT009")]
    assert len(found) >= 8
    for d in found:
        assert d.hint[0].isupper() and d.hint[-1] in ".?", d.hint
        assert " as enum" not in d.hint and " as link" not in d.hint


# --- the values MT008 takes as valid without their type's checker ---------------------------------

SAMPLES = [
    "text", "", "C", "major", "2024-01-31", 3, 0, True, 1.5, None, [], ["a", "b"], ["a", 1],
    [["a"]], {"k": "v"}, [{"name": "x"}], Item("x", "k"), ("a",),
]  # fmt: skip


def test_what_is_valid_at_sight_is_valid_to_its_checker(tmp_path: Path) -> None:
    write_project(tmp_path, {})
    project = load(tmp_path)
    ctx = Context(project.config, project.model, Locator(tmp_path))
    seen = 0
    for kind in project.config.kinds.values():
        plan = fields._Plan(ctx, kind.fields)
        for role, spec in kind.fields.items():
            for value in [*SAMPLES, *spec.values, *fields._choices(ctx, spec)]:
                if plan.plainly_valid(role, value):
                    seen += 1
                    assert fields._TYPES[spec.type](ctx, spec, value) is None, (role, value)
    assert seen > 100  # text, lists of texts, enum values and levels are taken at sight
