"""Fixtures of the architecture tests: the example's and the contact-tracing model, and the
generator of dense models (``bench/arch/generate.py``)."""

from __future__ import annotations

import importlib.util
from pathlib import Path
from types import ModuleType

import pytest
from helpers import load

from medtrace.architecture import Architecture, build_architecture

ROOT = Path(__file__).resolve().parents[2]
EXAMPLE = ROOT / "examples" / "bolus-advisor"
CONTACT_TRACING = Path(__file__).resolve().parent / "contact-tracing"
GENERATOR = ROOT / "bench" / "arch" / "generate.py"


def dense_generator() -> ModuleType:
    """``bench/arch/generate.py``: ``write_model(root, seed=...)`` and its ``SEEDS``."""
    spec = importlib.util.spec_from_file_location("arch_generate", GENERATOR)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def models(tmp: Path) -> list[tuple[str, Architecture]]:
    """The example, the contact-tracing model and the first dense model (written under tmp)."""
    dense = dense_generator().write_model(tmp / "dense")
    return [
        (name, build_architecture(load(root).model))
        for name, root in (
            ("example", EXAMPLE),
            ("contact-tracing", CONTACT_TRACING),
            ("dense", dense),
        )
    ]


@pytest.fixture(scope="session")
def example() -> Architecture:
    return build_architecture(load(EXAMPLE).model)


@pytest.fixture(scope="session")
def contact_tracing() -> Architecture:
    return build_architecture(load(CONTACT_TRACING).model)
