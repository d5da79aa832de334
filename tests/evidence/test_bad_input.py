"""No report, however broken, raises: every reader returns data and diagnostics for any bytes,
for any prefix of a real report, and for real reports with bytes changed."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from medtrace.evidence.loader import _read
from medtrace.evidence.registry import READERS, detect

pytestmark = pytest.mark.verifies("SRS-129")

SAMPLES = Path(__file__).parent / "samples"
FIXTURE = Path(__file__).parents[1] / "corpus" / "projects" / "class-c-evidence" / "reports"
REAL = sorted(p for p in SAMPLES.iterdir() if p.name != "README.md") + sorted(
    p for p in FIXTURE.rglob("*") if p.is_file() and p.name != "README.md"
)
detect(b"")  # imports and so registers every reader
FAST = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def test_every_reader_is_registered() -> None:
    assert sorted(READERS) == ["cobertura", "gcc-json", "gcov-json", "gcovr-json", "lcov", "sarif"]


@FAST
@given(data=st.binary(max_size=400), name=st.sampled_from(sorted(READERS)))
def test_any_bytes_to_any_reader(data: bytes, name: str) -> None:
    report = READERS[name].read(data, "r")
    assert report.format == name
    assert all(d.path == "r" for d in report.diagnostics)


@FAST
@given(sample=st.sampled_from(REAL), cut=st.floats(min_value=0.0, max_value=1.0))
def test_any_prefix_of_a_real_report(sample: Path, cut: float) -> None:
    data = sample.read_bytes()
    report = _read(data[: int(len(data) * cut)], "r")
    assert report.source == "r"


@FAST
@given(
    sample=st.sampled_from(REAL),
    at=st.floats(min_value=0.0, max_value=0.999),
    byte=st.sampled_from([b"<", b">", b'"', b"{", b"}", b",", b":", b"\n", b"\x00", b"\xff"]),
)
def test_a_real_report_with_a_byte_changed(sample: Path, at: float, byte: bytes) -> None:
    data = sample.read_bytes()
    index = int(len(data) * at)
    report = _read(data[:index] + byte + data[index + 1 :], "r")
    assert report.source == "r"
