"""Fixtures of the system tests: the three items, built from this repository.

`make system-results` builds what they need: the firmware's shared library
(build/firmware/libpump_sim.so) and the app core compiled to JavaScript
(build/app-js/). A missing build fails the tests: it never skips them.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from chain import BUILD, App, Cloud, Patient, Pump


def built(variable: str, default: Path) -> Path:
    path = Path(os.environ.get(variable, default))
    if not path.exists():
        pytest.fail(f"{path} is missing: run `make system-results` in examples/bolus-advisor")
    return path


@pytest.fixture
def cloud() -> Cloud:
    return Cloud()


@pytest.fixture(scope="session")
def app() -> App:
    return App(built("APP_JS_DIR", BUILD / "app-js"))


@pytest.fixture
def patient() -> Patient:
    return Patient()


@pytest.fixture
def pump(patient: Patient) -> Pump:
    library = built("PUMP_SIM_LIB", BUILD / "firmware" / "libpump_sim.so")
    return Pump(
        library,
        max_bolus_cu=round(patient.max_bolus_u * 100),
        max_hourly_cu=round(patient.pump_max_hourly_u * 100),
    )
