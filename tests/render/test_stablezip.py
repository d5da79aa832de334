"""Workbooks are the same bytes for the same content, and still open as workbooks."""

from __future__ import annotations

import io
import time
import zipfile

import openpyxl
import pytest

from medtrace.render.stablezip import stable_zip

pytestmark = pytest.mark.verifies("SRS-287")


def workbook() -> bytes:
    book = openpyxl.Workbook()
    book.active.append(["SRS-1", "=not a formula"])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def test_two_saves_a_second_apart_give_the_same_bytes(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("SOURCE_DATE_EPOCH", raising=False)
    first = workbook()
    time.sleep(1.1)
    second = workbook()
    assert first != second  # openpyxl stamps the time
    assert stable_zip(first) == stable_zip(second)


def test_the_document_times_follow_source_date_epoch(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")
    data = stable_zip(workbook())
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        core = z.read("docProps/core.xml").decode()
        assert {i.date_time for i in z.infolist()} == {(1980, 1, 1, 0, 0, 0)}
    assert core.count("2023-11-14T22:13:20Z") == 2
    book = openpyxl.load_workbook(io.BytesIO(data))
    assert book.active["A1"].value == "SRS-1"
