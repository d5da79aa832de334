"""A real pytest run with the medtrace plugin, in both JUnit families, read back."""

from __future__ import annotations

import pytest

from medtrace.results import Outcome, parse_junit, test_keys

pytestmark = pytest.mark.verifies("SRS-20")

TESTS = """
import pytest

@pytest.mark.verifies("SRS-1", "SRS-2")
def test_verified():
    pass

class TestLimits:
    @pytest.mark.parametrize("units", [1, 25])
    def test_bolus(self, units):
        assert units < 20, "bolus above the maximum"

@pytest.mark.skip(reason="needs the pump simulator")
def test_skipped():
    pass

@pytest.mark.xfail(reason="ANOM-3", strict=False)
def test_known_anomaly():
    assert False

@pytest.fixture
def broken():
    raise RuntimeError("no device")

def test_setup_error(broken):
    pass
"""


@pytest.mark.parametrize("family", ["xunit1", "xunit2"])
def test_a_pytest_run_reads_back(pytester: pytest.Pytester, family: str) -> None:
    pytester.makepyfile(test_pump=TESTS)
    pytester.runpytest(
        "--junitxml=out.xml", "-o", f"junit_family={family}", "-p", "no:cacheprovider"
    )
    results, diagnostics = parse_junit((pytester.path / "out.xml").read_bytes(), "out.xml")
    assert diagnostics == []
    found = {r.name: r for r in results}
    assert {name: r.outcome for name, r in found.items()} == {
        "test_verified": Outcome.PASSED,
        "test_bolus[1]": Outcome.PASSED,
        "test_bolus[25]": Outcome.FAILED,
        "test_skipped": Outcome.SKIPPED,
        "test_known_anomaly": Outcome.SKIPPED,
        "test_setup_error": Outcome.ERROR,
    }
    assert found["test_known_anomaly"].message == "xfail: ANOM-3"
    assert found["test_skipped"].message == "needs the pump simulator"
    assert "bolus above the maximum" in found["test_bolus[25]"].message
    assert "no device" in found["test_setup_error"].message
    assert found["test_verified"].property_values("verifies") == ["SRS-1, SRS-2"]
    assert (found["test_verified"].file is not None) is (family == "xunit1")
    assert test_keys(found["test_bolus[25]"]) == (
        "test_pump.py::TestLimits::test_bolus",
        "test_pump.TestLimits.test_bolus",
        "TestLimits.test_bolus",
        "test_bolus",
    )
