"""A dense architecture model: 40 boxes and 80 flows in nested environments, deterministic for
a seed.

``write_model(root, seed=...)`` writes a medtrace project there; the readability test
(``tests/architecture/test_readable.py``) lays out one model per seed of ``SEEDS`` (twelve), and
``bench/arch/run.py`` times the first.
"""

from __future__ import annotations

import json
import random
from pathlib import Path

ENVIRONMENTS = [
    {"id": "phone", "title": "Phone", "type": "phone"},
    {"id": "cloud", "title": "Cloud account", "type": "cloud"},
    {"id": "cluster", "title": "Container cluster", "type": "other", "parent": "cloud"},
    {"id": "device", "title": "Device", "type": "device"},
    {"id": "browser", "title": "Clinic browser", "type": "browser"},
]
PROTOCOLS = ["HTTPS/JSON", "BLE GATT", "gRPC", "MQTT", "SQL", "USB HID", "AMQP"]
WORDS = ["readings", "settings", "alarms", "reports", "commands", "status", "audit", "keys"]


#: The seeds of the models the readability test lays out (the first is the benchmark's).
SEEDS = (62304, *range(1, 12))


def model(
    systems: int = 24, externals: int = 10, actors: int = 6, flows: int = 80, seed: int = SEEDS[0]
) -> list[dict[str, object]]:
    """The items: ``systems + externals + actors`` boxes (40 by default) and ``flows``, drawn
    at random from ``seed``."""
    rng = random.Random(seed)
    envs = [e["id"] for e in ENVIRONMENTS]
    items: list[dict[str, object]] = []
    for i in range(systems):
        items.append(
            {
                "id": f"system-{i}",
                "title": f"Software system {i} ({rng.choice(WORDS)})",
                "level": "system",
                "class": "ABC"[i % 3],
                "environment": envs[i % len(envs)],
                "paths": [f"src/s{i}/**"],
            }
        )
    for i in range(externals):
        items.append(
            {
                "id": f"external-{i}",
                "kind": "external",
                "title": f"External system {i}",
                "type": rng.choice(["cdn", "os", "lab-system", "identity-provider"]),
            }
        )
    for i in range(actors):
        items.append({"id": f"person-{i}", "kind": "actor", "title": f"Role {i}"})
    for env in ENVIRONMENTS:
        items.append({**env, "kind": "environment"})
    ends = [str(i["id"]) for i in items if i.get("kind") != "environment"]
    for i in range(flows):
        source, target = rng.sample(ends, 2)
        items.append(
            {
                "id": f"FLOW-{i + 1}",
                "kind": "flow",
                "from": source,
                "to": target,
                "label": f"{rng.choice(WORDS)} {i + 1}",
                "protocol": rng.choice(PROTOCOLS),
                "safety": i % 5 == 0,
                "direction": "two-way" if i % 7 == 0 else "one-way",
            }
        )
    return items


def write_model(root: Path, **sizes: int) -> Path:
    """Write the project (``medtrace.toml`` and ``docs/architecture.yaml``) under ``root``."""
    (root / "docs").mkdir(parents=True, exist_ok=True)
    (root / "medtrace.toml").write_text(
        '[project]\nname = "Dense"\nclass = "A"\n\n[paths]\nitems = ["docs"]\n', encoding="utf-8"
    )
    lines = ["kind: software-item", "items:"]
    lines += [f"  - {json.dumps(item)}" for item in model(**sizes)]
    (root / "docs" / "architecture.yaml").write_text("\n".join(lines) + "\n", encoding="utf-8")
    return root
