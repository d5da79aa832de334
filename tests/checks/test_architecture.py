"""The architecture model in check: interfaces checked key by key (MT008), flow ends (MT010,
MT011), environment cycles (MT012) and the rules MT160 to MT164."""

from __future__ import annotations

from pathlib import Path

import pytest
from helpers import findings, run_check, write_project

MODEL = """
kind: software-item
items:
  - {id: app, title: App, level: system, class: B, environment: phone}
  - {id: ui, title: UI, parent: app, class: B, paths: [ui/**]}
  - id: api
    title: API
    parent: app
    class: B
    paths: [api/**]
    interfaces:
      - {name: Public API, kind: openapi, spec: api/openapi.yaml}
  - {id: phone, kind: environment, title: Phone, type: phone}
  - {id: cloud, kind: environment, title: Cloud, type: cloud}
  - {id: user, kind: actor, title: User}
  - {id: FLOW-1, kind: flow, from: user, to: ui, label: taps}
"""


def _project(tmp_path: Path, extra: str = "", model: str = MODEL) -> Path:
    return write_project(tmp_path, {"docs/arch.yaml": model + extra})


@pytest.mark.verifies("SRS-140", "SRS-145", "SRS-146")
def test_a_complete_model_is_clean(tmp_path: Path) -> None:
    root = _project(tmp_path)
    spec = "openapi: 3.0.3\ninfo: {title: API, version: '1'}\npaths: {}\n"
    (root / "api").mkdir()
    (root / "api" / "openapi.yaml").write_text(spec)
    result = run_check(root)
    assert [d for d in result.diagnostics if d.code < "MT100"] == []
    assert not [d for d in result.diagnostics if "MT160" <= d.code <= "MT169"], result.diagnostics


@pytest.mark.verifies("SRS-140")
def test_interfaces_are_checked_key_by_key(tmp_path: Path) -> None:
    _project(
        tmp_path,
        """
  - id: svc
    title: Service
    parent: app
    class: B
    paths: [svc/**]
    interfaces:
      - {name: Events, knd: prose}
      - {name: Lib, kind: python-module, module: svc, public: "yes"}
      - just a string
""",
    )
    found = [(d.found, d.expected, d.hint, d.line) for d in findings(tmp_path, "MT008")]
    assert found == [
        (
            "'interfaces' of svc is the list [{'name': 'Events', 'knd': 'prose'}, {'name': 'Lib', 'kin...",
            "a list of mappings with name, kind, spec, module, paths, public, text",
            "Write a list of mappings, one '- key: value' entry per line under 'interfaces:'.",
            22,
        ),
    ]
    _project(
        tmp_path,
        """
  - id: svc
    title: Service
    parent: app
    class: B
    paths: [svc/**]
    interfaces:
      - {name: Events, knd: prose}
      - {name: Lib, kind: python-module, module: svc, public: "yes"}
""",
    )
    found = sorted((d.found, d.expected, d.hint) for d in findings(tmp_path, "MT008"))
    assert found == sorted(
        [
            (
                "'interfaces' of svc, entry 1 ('Events'): unknown key 'knd'",
                "one of name, kind, spec, module, paths, public, text",
                "Did you mean 'kind'?",
            ),
            (
                "'interfaces' of svc, entry 1 ('Events'): no 'kind'",
                "'kind'",
                "Add 'kind:' to the entry.",
            ),
            (
                "'interfaces' of svc, entry 2 ('Lib'): 'kind' is 'python-module'",
                "one of openapi, python, typescript, c-header, prose",
                "Did you mean 'python'?",
            ),
            (
                "'interfaces' of svc, entry 2 ('Lib'): 'public' is 'yes'",
                "true or false",
                "Write 'public: true' or 'public: false'.",
            ),
        ]
    )
    assert {d.line for d in findings(tmp_path, "MT008")} == {22}


@pytest.mark.verifies("SRS-140")
def test_flow_ends_resolve_to_the_right_kinds(tmp_path: Path) -> None:
    _project(
        tmp_path,
        """
  - {id: FLOW-2, kind: flow, from: usr, to: ui}
  - {id: FLOW-3, kind: flow, from: user, to: FLOW-1}
  - {id: FLOW-4, kind: flow, label: nowhere}
""",
    )
    (dangling,) = findings(tmp_path, "MT010")
    assert dangling.found == "'from' of FLOW-2 names usr, which does not exist"
    assert dangling.hint == "Did you mean user?"
    (kind,) = findings(tmp_path, "MT011")
    assert kind.found == "'to' of FLOW-3 names FLOW-1, a flow"
    missing = sorted(d.found for d in findings(tmp_path, "MT009"))
    assert missing == ["flow FLOW-4 has no 'from'", "flow FLOW-4 has no 'to'"]


@pytest.mark.verifies("SRS-140")
def test_environments_nested_in_a_cycle(tmp_path: Path) -> None:
    _project(
        tmp_path,
        """
  - {id: rack, kind: environment, title: Rack, parent: room}
  - {id: room, kind: environment, title: Room, parent: rack}
""",
    )
    (cycle,) = findings(tmp_path, "MT012")
    assert cycle.found == "derivation cycle: rack → room → rack"


@pytest.mark.verifies("SRS-145")
def test_mt160_a_flow_names_an_interface_its_target_does_not_declare(tmp_path: Path) -> None:
    _project(
        tmp_path,
        """
  - {id: FLOW-2, kind: flow, from: ui, to: api, interface: Public API}
  - {id: FLOW-3, kind: flow, from: ui, to: api, interface: Private API}
""",
    )
    (d,) = findings(tmp_path, "MT160")
    assert (d.found, d.expected, d.item, d.line) == (
        "flow FLOW-3 names the interface 'Private API', which api does not declare",
        "the name of an interface of its 'to' (Public API)",
        "FLOW-3",
        18,
    )
    assert d.hint == "Declare 'Private API' under 'interfaces:' of api, or fix the name."


@pytest.mark.verifies("SRS-145")
def test_mt161_a_system_in_no_environment(tmp_path: Path) -> None:
    _project(
        tmp_path,
        """
  - {id: tool, title: Tool, level: system, class: B, paths: [tool/**]}
  - {id: spread, title: Spread, level: system, class: B}
  - {id: here, title: Here, parent: spread, class: B, environment: cloud, paths: [h/**]}
  - {id: there, title: There, parent: spread, class: B, paths: [t/**]}
""",
    )
    found = sorted((d.item, d.found) for d in findings(tmp_path, "MT161"))
    assert found == [
        ("there", "software system there runs in no environment"),
        ("tool", "software system tool runs in no environment"),
    ]
    (d,) = [d for d in findings(tmp_path, "MT161") if d.item == "tool"]
    assert (
        d.expected
        == "'environment:' naming where it runs (one of cloud, phone), on it or on its parent"
    )


@pytest.mark.verifies("SRS-145")
def test_mt161_and_mt162_wait_for_an_architecture_model(tmp_path: Path) -> None:
    write_project(
        tmp_path,
        {"docs/arch.yaml": "kind: software-item\nitems:\n  - {id: app, title: App, class: B}\n"},
    )
    codes = {d.code for d in run_check(tmp_path).diagnostics}
    assert not codes & {"MT161", "MT162"}


@pytest.mark.verifies("SRS-146")
def test_mt162_an_item_without_code(tmp_path: Path) -> None:
    _project(
        tmp_path,
        """
  - {id: sdk, title: SDK part, parent: app, class: B, external_code: in the vendor's SDK}
  - {id: lost, title: Lost, parent: app, class: B}
  - {id: flagged, title: Flagged, parent: app, class: B, external_code: false}
""",
    )
    found = [(d.item, d.found) for d in findings(tmp_path, "MT162")]
    assert found == [
        ("lost", "software item lost has no code: neither 'paths' nor 'external_code'"),
        ("flagged", "software item flagged has no code: neither 'paths' nor 'external_code'"),
    ]
    d = findings(tmp_path, "MT162")[0]
    assert d.hint.startswith("Add 'paths: [...]', or 'external_code: in the vendor's SDK'")


@pytest.mark.verifies("SRS-145")
def test_mt163_an_item_outside_its_parents_environment(tmp_path: Path) -> None:
    _project(
        tmp_path,
        """
  - {id: sync, title: Sync, parent: app, class: B, environment: cloud, paths: [s/**]}
  - {id: tab, kind: environment, title: Tab, parent: phone}
  - {id: web, title: Web, parent: app, class: B, environment: tab, paths: [w/**]}
""",
    )
    (d,) = findings(tmp_path, "MT163")
    assert (d.item, d.found) == (
        "sync",
        "software item sync runs in cloud, outside phone where its parent app runs",
    )
    assert d.expected == "phone or an environment nested in it"


@pytest.mark.verifies("SRS-146")
def test_mt164_an_interface_without_its_spec(tmp_path: Path) -> None:
    _project(
        tmp_path,
        """
  - id: lib
    title: Lib
    parent: app
    class: B
    paths: [lib/**]
    interfaces:
      - {name: Lib API, kind: python}
      - {name: Header, kind: c-header, spec: lib/api.h}
      - {name: Notes, kind: prose, text: By e-mail.}
""",
    )
    (d,) = findings(tmp_path, "MT164")
    assert d.found == "interface 'Lib API' of lib (python) has no 'module'"
    assert d.expected == "'module:' with the dotted module name"
