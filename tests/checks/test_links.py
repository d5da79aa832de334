"""MT010 link-dangling, MT011 link-kind and MT012 derivation-cycle."""

from __future__ import annotations

import time
from pathlib import Path

import pytest
from helpers import findings, write_project

pytestmark = pytest.mark.verifies("SRS-9")

# --- MT010 link-dangling ----------------------------------------------------------------------


def test_a_link_to_nothing_with_a_close_id(tmp_path: Path) -> None:
    write_project(
        tmp_path,
        {
            "docs/sys.yaml": "- {id: SYS-12, title: s}\n- {id: SYS-40, title: s}\n",
            "docs/SRS-1.md": "---\ntitle: t\ntype: data\n\nparents: [SYS-12, SYS-13]\n---\n",
        },
        cls="A",
    )
    (d,) = findings(tmp_path, "MT010")
    assert (d.rule, d.path, d.line, d.item) == ("link-dangling", "docs/SRS-1.md", 5, "SRS-1")
    assert d.found == "'parents' of SRS-1 names SYS-13, which does not exist"
    assert d.expected == "the ID of an existing system-requirement or software-requirement"
    assert d.hint == "Did you mean SYS-12?"


def test_a_link_in_the_wrong_case(tmp_path: Path) -> None:
    write_project(
        tmp_path,
        {"docs/a.yaml": "- {id: SYS-1, title: s}\n- {id: SYS-2, title: t, parents: sys-1}\n"},
    )
    (d,) = findings(tmp_path, "MT010")
    assert d.hint == "Did you mean SYS-1?"


def test_a_link_to_nothing_close(tmp_path: Path) -> None:
    write_project(tmp_path, {"docs/a.yaml": "- {id: SYS-1, title: s, parents: [ZZZ-999]}\n"})
    (d,) = findings(tmp_path, "MT010")
    assert d.hint == "Create the item or fix the ID."
    assert d.line == 1


def test_a_single_link_field(tmp_path: Path) -> None:
    write_project(
        tmp_path,
        {"docs/a.yaml": "- id: SRS-1\n  title: t\n  type: data\n  item: pump-drivr\n"},
        cls="A",
    )
    (d,) = findings(tmp_path, "MT010")
    assert d.found == "'item' of SRS-1 names pump-drivr, which does not exist"
    assert d.expected == "the ID of an existing software-item"
    assert d.line == 4


def test_a_link_field_of_any_kind(tmp_path: Path) -> None:
    write_project(
        tmp_path,
        {"docs/a.yaml": "- {id: ANOM-1, title: t, severity: low, status: open, related: [X-1]}\n"},
    )
    (d,) = findings(tmp_path, "MT010")
    assert d.expected == "the ID of an existing item"


def test_resolved_links_pass(tmp_path: Path) -> None:
    write_project(
        tmp_path,
        {"docs/a.yaml": "- {id: SYS-1, title: s}\n- {id: SYS-2, title: t, parents: SYS-1}\n"},
    )
    assert findings(tmp_path, "MT010") == []


def test_a_renamed_link_field(tmp_path: Path) -> None:
    config = '[project]\nclass = "A"\n[kinds.software-requirement.fields.parents]\nname = "derived_from"\n'
    write_project(
        tmp_path, {"docs/a.yaml": "- {id: SRS-1, title: t, derived_from: [SYS-9]}\n"}, config=config
    )
    (d,) = findings(tmp_path, "MT010")
    assert d.found == "'derived_from' of SRS-1 names SYS-9, which does not exist"


# --- MT011 link-kind ------------------------------------------------------------------------------


def test_a_link_to_an_item_of_the_wrong_kind(tmp_path: Path) -> None:
    write_project(
        tmp_path,
        {
            "docs/a.yaml": """
                - {id: RISK-1, title: r, hazard: h, harm: x, severity: minor, probability: remote}
                - id: SRS-1
                  title: t
                  type: data
                  parents: [RISK-1]
                  controls: [RISK-1]
                """
        },
        cls="A",
    )
    (d,) = findings(tmp_path, "MT011")
    assert (d.rule, d.line, d.item) == ("link-kind", 5, "SRS-1")
    assert d.found == "'parents' of SRS-1 names RISK-1, a risk"
    assert d.expected == "the ID of an existing system-requirement or software-requirement"
    assert d.hint == (
        "'parents' links to system-requirement or software-requirement items only; "
        "name one of those, or add the kind to the field's targets."
    )


def test_any_kind_is_fine_for_an_untyped_link(tmp_path: Path) -> None:
    write_project(
        tmp_path,
        {
            "docs/a.yaml": "- {id: SYS-1, title: s}\n- {id: ANOM-1, title: t, severity: low, status: open, related: SYS-1}\n"
        },
    )
    assert findings(tmp_path, "MT011") == []


# --- MT012 derivation-cycle ----------------------------------------------------------------------


def reqs(tmp_path: Path, parents: dict[str, list[str]]) -> list[tuple[str, tuple[str, ...]]]:
    lines = [
        f"- {{id: {i}, title: t, type: data, parents: [{', '.join(p)}]}}"
        for i, p in parents.items()
    ]
    write_project(tmp_path, {"docs/reqs.yaml": "\n".join(lines) + "\n"}, cls="A")
    return [(d.found, d.related) for d in findings(tmp_path, "MT012")]


def test_a_two_item_cycle(tmp_path: Path) -> None:
    assert reqs(tmp_path, {"SRS-1": ["SRS-2"], "SRS-2": ["SRS-1"]}) == [
        ("derivation cycle: SRS-1 → SRS-2 → SRS-1", ("SRS-1", "SRS-2"))
    ]
    (d,) = findings(tmp_path, "MT012")
    assert (d.rule, d.path, d.line, d.item) == ("derivation-cycle", "docs/reqs.yaml", 1, "SRS-1")
    assert d.expected == "parents that lead up to top-level items without coming back"
    assert d.hint == "Remove one of these parent links."


def test_an_item_that_derives_from_itself(tmp_path: Path) -> None:
    assert reqs(tmp_path, {"SRS-1": [], "SRS-2": ["SRS-2"]}) == [
        ("derivation cycle: SRS-2 → SRS-2", ("SRS-2",))
    ]


def test_a_long_cycle(tmp_path: Path) -> None:
    ids = [f"SRS-{n}" for n in range(1, 8)]
    parents = {ids[n]: [ids[(n + 1) % len(ids)]] for n in range(len(ids))}
    ((found, related),) = reqs(tmp_path, parents)
    assert found == "derivation cycle: " + " → ".join([*ids, ids[0]])
    assert related == tuple(ids)


def test_a_dag_with_shared_parents_is_not_a_cycle(tmp_path: Path) -> None:
    write_project(
        tmp_path,
        {
            "docs/sys.yaml": "- {id: SYS-1, title: s}\n- {id: SYS-2, title: s, parents: [SYS-1]}\n",
            "docs/reqs.yaml": """
                - {id: SRS-1, title: t, type: data, parents: [SYS-1, SYS-2]}
                - {id: SRS-2, title: t, type: data, parents: [SYS-1, SRS-1]}
                - {id: SRS-3, title: t, type: data, parents: [SRS-1, SRS-2, SYS-2]}
                - {id: SRS-4, title: t, type: data, parents: [SRS-3, SRS-2, SRS-1, SYS-1]}
                """,
        },
        cls="A",
    )
    assert findings(tmp_path, "MT012") == []


def test_a_tail_leading_into_a_cycle_is_not_part_of_it(tmp_path: Path) -> None:
    parents = {"SRS-1": ["SRS-2"], "SRS-2": ["SRS-3"], "SRS-3": ["SRS-4"], "SRS-4": ["SRS-3"]}
    assert reqs(tmp_path, parents) == [
        ("derivation cycle: SRS-3 → SRS-4 → SRS-3", ("SRS-3", "SRS-4"))
    ]


def test_two_separate_cycles(tmp_path: Path) -> None:
    parents = {"SRS-1": ["SRS-2"], "SRS-2": ["SRS-1"], "SRS-3": ["SRS-4"], "SRS-4": ["SRS-3"]}
    assert [r for _, r in reqs(tmp_path, parents)] == [("SRS-1", "SRS-2"), ("SRS-3", "SRS-4")]


def test_one_report_per_tangle(tmp_path: Path) -> None:
    parents = {"SRS-1": ["SRS-2", "SRS-3"], "SRS-2": ["SRS-1", "SRS-3"], "SRS-3": ["SRS-1"]}
    assert len(reqs(tmp_path, parents)) == 1


def test_a_cycle_through_system_requirements(tmp_path: Path) -> None:
    write_project(
        tmp_path,
        {
            "docs/a.yaml": """
                - {id: SYS-1, title: s, parents: [SYS-2]}
                - {id: SYS-2, title: s, parents: [SYS-1]}
                - {id: SRS-1, title: t, type: data, parents: [SYS-1]}
                """
        },
    )
    assert [d.related for d in findings(tmp_path, "MT012")] == [("SYS-1", "SYS-2")]


def test_a_cycle_of_software_item_parents(tmp_path: Path) -> None:
    write_project(
        tmp_path,
        {
            "docs/i.yaml": """
                kind: software-item
                items:
                  - {id: a, title: A, class: B, parent: b}
                  - {id: b, title: B, class: B, parent: a}
                """
        },
    )
    assert [d.found for d in findings(tmp_path, "MT012")] == ["derivation cycle: a → b → a"]


def test_links_that_are_not_derivation_do_not_make_cycles(tmp_path: Path) -> None:
    write_project(
        tmp_path,
        {
            "docs/a.yaml": """
                - {id: ANOM-1, title: a, severity: low, status: open, related: [ANOM-2]}
                - {id: ANOM-2, title: b, severity: low, status: open, related: [ANOM-1]}
                """
        },
    )
    assert findings(tmp_path, "MT012") == []


def test_a_cycle_through_a_renamed_field(tmp_path: Path) -> None:
    config = '[project]\nclass = "A"\n[kinds.software-requirement.fields.parents]\nname = "derived_from"\n'
    write_project(
        tmp_path,
        {
            "docs/a.yaml": "- {id: SRS-1, title: t, derived_from: SRS-2}\n- {id: SRS-2, title: t, derived_from: SRS-1}\n"
        },
        config=config,
    )
    assert len(findings(tmp_path, "MT012")) == 1


def test_a_long_cycle_among_many_items_is_fast(tmp_path: Path) -> None:
    n = 3000
    lines = [f"- {{id: SYS-{i}, title: t, parents: [SYS-{i - 1}]}}" for i in range(2, n + 1)]
    lines.append(f"- {{id: SYS-1, title: t, parents: [SYS-{n}]}}")
    lines += [f"- {{id: SRS-{i}, title: t, parents: [SYS-{i}, SRS-{i + 1}]}}" for i in range(1, n)]
    write_project(tmp_path, {"docs/a.yaml": "\n".join(lines) + "\n"}, cls="A")
    started = time.perf_counter()
    found = findings(tmp_path, "MT012")
    assert time.perf_counter() - started < 5
    (d,) = found
    assert len(d.related) == n
    assert d.related[:3] == ("SYS-1", f"SYS-{n}", f"SYS-{n - 1}")


def test_a_cycle_among_many_items_that_derive_from_system_requirements(tmp_path: Path) -> None:
    # most items only name a system requirement (they cannot be on a cycle); the cycle and the
    # tail leading into it are still found as in a full search
    lines = ["- {id: SYS-1, title: s}"]
    lines += [f"- {{id: SRS-{n}, title: t, type: data, parents: [SYS-1]}}" for n in range(1, 40)]
    lines += [
        "- {id: SRS-40, title: t, type: data, parents: [SYS-1, SRS-41], item: nowhere}",
        "- {id: SRS-41, title: t, type: data, parents: [SRS-40, SYS-9]}",
        "- {id: SRS-42, title: t, type: data, parents: [SRS-40, SRS-1]}",
    ]
    write_project(tmp_path, {"docs/reqs.yaml": "\n".join(lines) + "\n"}, cls="A")
    assert [(d.found, d.related) for d in findings(tmp_path, "MT012")] == [
        ("derivation cycle: SRS-40 → SRS-41 → SRS-40", ("SRS-40", "SRS-41"))
    ]
