"""The architecture built from the items: elements, environments, flows, interfaces."""

from __future__ import annotations

from pathlib import Path

import pytest
from helpers import load, write_project

from medtrace.architecture import Architecture, Interface, build_architecture

pytestmark = pytest.mark.verifies("SRS-141")


def test_the_example_has_its_systems_in_their_environments(example: Architecture) -> None:
    assert example.systems() == ["phone-app", "cloud-service", "pump-firmware"]
    assert example.environment_of("cloud-api") == "container"  # inherited from cloud-service
    assert example.environment_chain("container") == ["container", "cloud"]
    assert example.environment_of("bolus-advisor") is None  # spread over three
    assert example.elements["health-store"].role == "external"
    assert example.elements["patient"].role == "actor"


def test_interfaces_flows_and_external_code_are_read(example: Architecture) -> None:
    assert example.elements["cloud-api"].interfaces == [
        Interface(
            "Recommendation API",
            "openapi",
            spec="cloud/openapi.yaml",
            text="REST, JSON over HTTPS (TLS ends at the load balancer).",
        )
    ]
    assert example.elements["cloud-service"].interfaces[0].public is False
    assert example.elements["watchdog"].external_code == (
        "in the pump vendor's SDK project (hardware watchdog set-up)"
    )
    flow = next(f for f in example.flows if f.id == "FLOW-7")
    assert (flow.source, flow.target, flow.safety, flow.interface) == (
        "ble-transport",
        "command-parser",
        True,
        "Pump command frame",
    )
    assert next(f for f in example.flows if f.id == "FLOW-4").two_way


def test_the_contact_tracing_model(contact_tracing: Architecture) -> None:
    assert contact_tracing.systems() == [
        "warn-app",
        "verification-server",
        "app-server",
        "test-result-server",
        "quick-test-portal",
        "verification-portal",
    ]
    assert contact_tracing.descendants("app-server") == [
        "submission-service",
        "distribution-service",
        "key-store",
    ]
    assert contact_tracing.system_of("key-store") == "app-server"


def test_wrong_values_and_cycles_are_read_as_absent(tmp_path: Path) -> None:
    """Values of the wrong type, links to nothing and cycles give a model, never an error."""
    write_project(
        tmp_path,
        {
            "docs/arch.yaml": """
                kind: software-item
                items:
                  - {id: a, title: A, parent: b, environment: [x], interfaces: oops}
                  - {id: b, title: B, parent: a, level: galaxy, class: Z}
                  - {id: c, title: C, environment: nowhere, interfaces: [{name: 3}, text]}
                  - {id: loop1, kind: environment, title: L1, parent: loop2}
                  - {id: loop2, kind: environment, title: L2, parent: loop1}
                  - {id: FLOW-1, kind: flow, from: [a], to: c, safety: "yes"}
                """
        },
    )
    arch = build_architecture(load(tmp_path).model)
    assert arch.elements["a"].environment is None
    assert arch.elements["a"].interfaces == []
    assert arch.elements["b"].role == "item" and arch.elements["b"].cls == ""
    assert arch.elements["c"].environment is None and arch.elements["c"].interfaces == []
    assert arch.environment_chain("loop1") == ["loop1", "loop2"]
    assert arch.environment_of("a") is None
    (flow,) = arch.flows
    assert (flow.source, flow.target, flow.safety) == ("", "c", False)
    assert "c" in arch.systems()
