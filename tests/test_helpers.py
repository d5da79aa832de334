"""The test helpers' handling of missing inputs: a skip on a workstation, a failure in CI."""

from __future__ import annotations

from pathlib import Path

import pytest
from helpers import SHARED_DATA, in_ci, require_input, shared_data

pytestmark = pytest.mark.verifies("SRS-36")


@pytest.mark.parametrize(
    ("value", "expected"),
    [("true", True), ("1", True), ("yes", True), ("", False), ("false", False), ("0", False)],
)
def test_ci_is_read_from_the_environment(
    monkeypatch: pytest.MonkeyPatch, value: str, expected: bool
) -> None:
    monkeypatch.setenv("CI", value)
    assert in_ci() is expected


def test_ci_unset_is_not_ci(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("CI", raising=False)
    assert in_ci() is False


def test_a_present_input_is_returned(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CI", "true")
    assert require_input(tmp_path, "the input", "make it") == tmp_path


def test_a_missing_input_skips_with_its_reason(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("CI", raising=False)
    with pytest.raises(pytest.skip.Exception) as caught:
        require_input(tmp_path / "gone", "the samples", "check them out")
    assert str(caught.value) == f"the samples not found at {tmp_path / 'gone'}: check them out"


def test_a_missing_input_fails_in_ci(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CI", "true")
    with pytest.raises(pytest.fail.Exception) as caught:
        require_input(tmp_path / "gone", "the samples", "check them out")
    assert "the samples not found at" in str(caught.value)
    assert "CI is set, so a missing input fails instead of skipping" in str(caught.value)


def test_shared_data_is_beside_the_repository() -> None:
    repository = Path(__file__).resolve().parents[1]
    assert repository.parent / "shared" / "data" == SHARED_DATA


def test_missing_shared_data_fails_in_ci(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CI", "true")
    with pytest.raises(pytest.fail.Exception, match=r"\.\./shared/data"):
        shared_data("no-such-folder")
