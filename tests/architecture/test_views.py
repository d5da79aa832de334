"""What each view shows: the system view and the view of one software system."""

from __future__ import annotations

import pytest

from medtrace.architecture import Architecture, build_view, view_names
from medtrace.architecture.views import Edge

pytestmark = pytest.mark.verifies("SRS-142")


def test_the_views_of_the_example(example: Architecture) -> None:
    assert view_names(example) == ["system", "phone-app", "cloud-service", "pump-firmware"]


def test_the_system_view_nests_environments_and_lifts_flows(example: Architecture) -> None:
    view = build_view(example, "system")
    groups = {g.key: g.parent for g in view.groups}
    assert groups == {"phone": None, "cloud": None, "pump": None, "container": "cloud"}
    boxes = {b.key: b.group for b in view.boxes}
    assert boxes["phone-app"] == "phone"
    assert boxes["cloud-service"] == "container"
    assert boxes["pump-firmware"] == "pump"
    assert boxes["health-store"] == "phone" and boxes["cgm"] is None
    assert boxes["patient"] is None
    assert "cloud-api" not in boxes  # a unit is in its system's view
    # the bolus command goes from a phone unit to a pump unit, the status frame comes back:
    # drawn between their systems, both ways
    assert (
        Edge(
            "phone-app",
            "pump-firmware",
            "flow",
            "commands; status and delivered dose · BLE GATT write / notification, CRC-16 frames",
            True,
            True,
        )
        in view.edges
    )
    # a flow inside one system (audit log → audit storage) is in that system's view only
    assert all(e.source != e.target for e in view.edges)
    assert len(view.edges) == len(example.flows) - 1


def test_a_system_view_shows_its_parts_uses_interfaces_and_flows(example: Architecture) -> None:
    view = build_view(example, "pump-firmware")
    boxes = {b.key: b for b in view.boxes}
    assert {"command-parser", "dose-limiter", "watchdog", "bootloader"} <= set(boxes)
    assert [g.key for g in view.groups] == ["pump-firmware"]
    assert boxes["newlib"].role == "soup"
    assert boxes["phone-app"].role == "neighbour"  # the other end of the BLE flows
    assert boxes["clinician"].role == "actor"
    assert boxes["command-parser#1"].title == "Pump command frame"
    assert boxes["command-parser#1"].badge == "interface: c-header"
    assert boxes["dose-limiter#1"].badge == "internal interface: c-header"
    assert Edge("dose-limiter", "limits-storage", "uses") in view.edges
    assert Edge("command-parser", "command-parser#1", "exposes") in view.edges
    labels = {e.label for e in view.edges if e.style == "flow"}
    assert "dose limits · pump menu with clinician PIN (no BLE path, SRS-30)" in labels
    # a group does not point at what it holds
    assert not any(
        e.source == "pump-firmware"
        and e.style == "uses"
        and e.target in {"command-parser", "dose-limiter"}
        for e in view.edges
    )


def test_an_item_with_parts_is_a_group_in_its_system_view(example: Architecture) -> None:
    view = build_view(example, "phone-app")
    groups = {g.key: g.parent for g in view.groups}
    assert groups == {"phone-app": None, "app-ui": "phone-app"}
    boxes = {b.key: b.group for b in view.boxes}
    assert boxes["confirmation-screen"] == "app-ui"
    assert boxes["https-client"] == "phone-app"
    assert boxes["load-balancer"] is None


def test_an_unknown_view_is_a_key_error(example: Architecture) -> None:
    with pytest.raises(KeyError):
        build_view(example, "patient")
