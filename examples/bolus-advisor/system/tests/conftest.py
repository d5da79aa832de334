"""Fixtures of the system tests: the three items, built from this repository.

`make system-results` builds what they need: the firmware's shared library
(build/firmware/libpump_sim.so) and the app core compiled to JavaScript
(build/app-js/). A missing build, or one older than its sources, fails the
tests: they never skip, nor test yesterday's code.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from chain import BUILD, EXAMPLE, App, Cloud, Patient, Pump


def built(variable: str, default: Path, sources: tuple[str, ...], product: str) -> Path:
    """The build output named by `variable`, if it exists and is newer than its sources."""
    path = Path(os.environ.get(variable, default))
    rebuild = "run `make system-results` in examples/bolus-advisor"
    if not (path / product).exists():
        pytest.fail(f"{path / product} is missing: {rebuild}")
    built_at = (path / product).stat().st_mtime
    newer = [p for g in sources for p in EXAMPLE.glob(g) if p.stat().st_mtime > built_at]
    if newer:
        pytest.fail(f"{path / product} is older than {newer[0]}: {rebuild}")
    return path


@pytest.fixture
def cloud() -> Cloud:
    return Cloud()


@pytest.fixture(scope="session")
def app() -> App:
    return App(built("APP_JS_DIR", BUILD / "app-js", ("app/src/**/*.ts",), "index.js"))


@pytest.fixture
def patient() -> Patient:
    return Patient()


@pytest.fixture
def pump(patient: Patient) -> Pump:
    sources = ("firmware/src/*.[ch]", "firmware/tests/pump_sim.c")
    firmware = built("PUMP_SIM_DIR", BUILD / "firmware", sources, "libpump_sim.so")
    return Pump(
        firmware / "libpump_sim.so",
        max_bolus_cu=round(patient.max_bolus_u * 100),
        max_hourly_cu=round(patient.pump_max_hourly_u * 100),
    )
