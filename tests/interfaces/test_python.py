"""The public API of a Python package, read statically by griffe (never imported)."""

from __future__ import annotations

from pathlib import Path

import pytest
from helpers import write_project

from medtrace.interfaces.python import extract_python
from medtrace.interfaces.registry import Declared

pytestmark = pytest.mark.verifies("SRS-154")


def _package(root: Path) -> Path:
    return write_project(
        root,
        {
            "lib/src/dose/__init__.py": '"""Dose library. @implements SRS-1"""\n__all__ = ["compute", "Pump"]\nfrom dose.core import compute, Pump\n',
            "lib/src/dose/core.py": '''\
                """Core."""
                raise SystemExit("imported!")  # proves the code is never run


                def compute(carbs: float, ratio: float = 10.0) -> float:
                    """Meal bolus in units.

                    Details that are not shown.
                    """
                    return carbs / ratio


                def _private() -> None: ...


                class Pump:
                    """A pump."""

                    def deliver(self, units: float, *, fast: bool = False) -> None: ...
                ''',
        },
    )


def test_public_api_with_signatures_and_docstrings(tmp_path: Path) -> None:
    root = _package(tmp_path)
    declared = Declared("lib", "Lib", {"module": "dose"}, ("lib/src/dose/**",), root)
    doc = extract_python(declared)
    assert doc.problems == []
    shown = [(e.kind, e.name, e.signature, e.doc) for e in doc.entries]
    assert shown[0] == ("module", "dose", "dose", "Dose library.")
    assert (
        "function",
        "dose.core.compute",
        "compute(carbs: float, ratio: float = 10.0) -> float",
        "Meal bolus in units.",
    ) in shown
    assert (
        "function",
        "dose.core.Pump.deliver",
        "deliver(self, units: float, *, fast: bool = False) -> None",
        "",
    ) in shown
    assert not any("_private" in name for _, name, _, _ in shown)
    compute = next(e for e in doc.entries if e.name == "dose.core.compute")
    assert (compute.path, compute.line) == ("lib/src/dose/core.py", 5)


def test_a_module_that_is_not_found(tmp_path: Path) -> None:
    doc = extract_python(Declared("lib", "Lib", {"module": "nowhere"}, ("lib/**",), tmp_path))
    assert doc.entries == []
    assert doc.problems == [
        "the module 'nowhere' is found neither beside the item's paths nor in the root"
    ]
