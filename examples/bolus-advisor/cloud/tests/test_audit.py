"""Tests of the audit trail (unit audit-log) and of its segregation from the recommendation
(SRS-13): fault injection into the audit writes (a hanging write, a slow write, an
exception, SystemExit, a full queue) never changes, delays or blocks a recommendation."""

from __future__ import annotations

import io
import json
import statistics
import threading
import time
from collections.abc import Iterator

import pytest

from bolus_cloud.api import BolusService
from bolus_cloud.audit import AuditLog, AuditStats
from conftest import Client, valid_request

SLOW_WRITE_S = 2.0
WAIT_S = 30.0  # upper bound of a wait for the worker; only reached when a test fails


class FaultyStream(io.StringIO):
    """A stream whose writes of records numbered in `faults` misbehave (1 = first record)."""

    def __init__(self, fault: str = "none", records: tuple[int, ...] = (1,)) -> None:
        super().__init__()
        self.fault = fault
        self.records = records
        self.calls = 0
        self.started = threading.Event()  # a faulty write has begun
        self.release = threading.Event()  # lets a hanging write return
        self.finished = threading.Event()  # a slow write has returned

    def write(self, text: str) -> int:
        self.calls += 1
        if self.calls in self.records:
            self.started.set()
            if self.fault == "hang":
                self.release.wait(WAIT_S)
            elif self.fault == "slow":
                time.sleep(SLOW_WRITE_S)
                self.finished.set()
            elif self.fault == "error":
                raise OSError(28, "No space left on device")
            elif self.fault == "exit":
                raise SystemExit(3)
        return super().write(text)


@pytest.fixture
def faulty() -> Iterator[FaultyStream]:
    stream = FaultyStream()
    yield stream
    stream.release.set()  # never leave a worker hanging after a failed test


def service(stream: io.StringIO, capacity: int = 1024) -> tuple[Client, AuditLog]:
    audit = AuditLog(stream, capacity=capacity)
    return Client(BolusService(audit, new_id=lambda: "req-1")), audit


def records(stream: io.StringIO) -> list[dict[str, object]]:
    return [json.loads(line) for line in stream.getvalue().splitlines()]


def test_every_recommendation_is_audited(client, audit, audit_stream):
    """@verifies SRS-12"""
    client.recommend(valid_request())
    client.recommend(valid_request(glucose=55))
    assert audit.flush(timeout=WAIT_S)
    first, refused = records(audit_stream)
    assert first["event"] == "recommendation"
    assert first["request_id"] == "req-1"
    assert first["request"]["patient_id"] == "p-0042"
    assert first["request"]["glucose_mgdl"] == 180.0
    assert first["response"]["bolus_u"] == 8.0
    assert first["time"].endswith("+00:00")
    assert refused["response"]["status"] == "refused"
    assert audit.stats() == AuditStats(written=2, failed=0, dropped=0)


def test_invalid_requests_are_not_recommendations(client, audit, audit_stream):
    """A rejected request gets no recommendation, so there is nothing to audit.

    @verifies SRS-12
    """
    client.recommend(valid_request(carbs_g=-1))
    assert audit.flush(timeout=WAIT_S)
    assert audit_stream.getvalue() == ""
    assert audit.stats() == AuditStats(written=0, failed=0, dropped=0)


@pytest.mark.verifies("SRS-13")
def test_hanging_write_blocks_no_recommendation(client, faulty):
    """The writer hangs on the first record: the recommendations go on, unchanged."""
    faulty.fault = "hang"
    expected = client.recommend(valid_request())
    hanging, audit = service(faulty, capacity=8)
    answers = [hanging.recommend(valid_request()) for _ in range(5)]
    assert faulty.started.wait(WAIT_S)
    assert answers == [expected] * 5
    assert not audit.flush(timeout=0)  # still hanging: the records wait, nothing is lost
    faulty.release.set()
    assert audit.flush(timeout=WAIT_S)
    assert audit.stats() == AuditStats(written=5, failed=0, dropped=0)
    assert len(records(faulty)) == 5


@pytest.mark.verifies("SRS-13")
def test_slow_write_does_not_delay_the_recommendation(faulty):
    """The write takes 2 s: the recommendation is back before the write has finished, and
    within the time of a recommendation with an instant write plus a fraction of the delay."""
    fast, fast_audit = service(io.StringIO())
    baseline = []
    for _ in range(5):
        start = time.perf_counter()
        expected = fast.recommend(valid_request())
        baseline.append(time.perf_counter() - start)
    faulty.fault = "slow"
    slow, audit = service(faulty)
    start = time.perf_counter()
    answer = slow.recommend(valid_request())
    elapsed = time.perf_counter() - start
    assert not faulty.finished.is_set()  # returned while the write was still going on
    assert answer == expected
    assert elapsed < statistics.median(baseline) + SLOW_WRITE_S / 2
    assert audit.flush(timeout=WAIT_S) and faulty.finished.is_set()
    assert audit.stats() == AuditStats(written=1, failed=0, dropped=0)
    assert fast_audit.flush(timeout=WAIT_S)


@pytest.mark.verifies("SRS-13")
def test_write_exception_is_contained_and_logged(client, faulty, caplog):
    """An OSError in the first write loses that record, logged; the worker writes the next."""
    faulty.fault = "error"
    expected = client.recommend(valid_request())
    broken, audit = service(faulty)
    assert [broken.recommend(valid_request()) for _ in range(2)] == [expected] * 2
    assert audit.flush(timeout=WAIT_S)
    assert audit.stats() == AuditStats(written=1, failed=1, dropped=0)
    assert "audit record lost for request req-1" in caplog.text
    assert "No space left on device" in caplog.text
    assert len(records(faulty)) == 1


@pytest.mark.verifies("SRS-13")
def test_system_exit_in_the_writer_is_contained(client, faulty, caplog):
    """SystemExit raised by a write (as a library may) neither escapes nor stops the worker."""
    faulty.fault = "exit"
    expected = client.recommend(valid_request())
    exiting, audit = service(faulty)
    assert [exiting.recommend(valid_request()) for _ in range(2)] == [expected] * 2
    assert audit.flush(timeout=WAIT_S)
    assert audit.stats() == AuditStats(written=1, failed=1, dropped=0)
    assert "SystemExit" in caplog.text


class RaisingAudit(AuditLog):
    """An audit log whose record() itself raises, in the request's thread."""

    def __init__(self, error: BaseException) -> None:
        super().__init__(io.StringIO())
        self.error = error

    def record(self, event, request_id, data):
        raise self.error


@pytest.mark.verifies("SRS-13")
def test_system_exit_from_the_audit_unit_stops_at_the_api_boundary(client, caplog):
    """SystemExit raised synchronously by the audit unit does not escape the class C API;
    KeyboardInterrupt (the operator stopping the process) is let through."""
    expected = client.recommend(valid_request())
    exiting = Client(BolusService(RaisingAudit(SystemExit(3)), new_id=lambda: "req-1"))
    assert exiting.recommend(valid_request()) == expected
    assert "audit record lost for request req-1" in caplog.text
    interrupted = Client(BolusService(RaisingAudit(KeyboardInterrupt()), new_id=lambda: "req-1"))
    with pytest.raises(KeyboardInterrupt):
        interrupted.recommend(valid_request())


@pytest.mark.verifies("SRS-13")
def test_full_queue_drops_and_counts_never_blocks(client, faulty, caplog):
    """Capacity 2, the writer hangs on the first record: records 2 and 3 wait in the queue,
    records 4 and 5 are dropped and counted; every recommendation is returned unchanged."""
    faulty.fault = "hang"
    expected = client.recommend(valid_request())
    blocked, audit = service(faulty, capacity=2)
    answers = [blocked.recommend(valid_request())]
    assert faulty.started.wait(WAIT_S)  # the worker holds record 1: the queue is empty
    answers += [blocked.recommend(valid_request()) for _ in range(4)]
    assert answers == [expected] * 5
    assert audit.stats() == AuditStats(written=0, failed=0, dropped=2)
    assert caplog.text.count("audit queue full: record of request req-1 dropped") == 2
    faulty.release.set()
    assert audit.flush(timeout=WAIT_S)
    assert audit.stats() == AuditStats(written=3, failed=0, dropped=2)
    assert len(records(faulty)) == 3


@pytest.mark.verifies("SRS-13")
def test_a_failing_queue_loses_the_record_and_blocks_nothing(client, monkeypatch, caplog):
    """The queue itself raises (SystemExit here): the record is counted as lost and reported,
    the recommendation is unchanged, and flush() does not wait for a record never queued."""
    expected = client.recommend(valid_request())
    broken, audit = service(io.StringIO())

    def put_nowait(item: object) -> None:
        raise SystemExit(4)

    monkeypatch.setattr(audit._queue, "put_nowait", put_nowait)
    assert broken.recommend(valid_request()) == expected
    assert audit.flush(timeout=WAIT_S)
    assert audit.stats() == AuditStats(written=0, failed=1, dropped=0)
    assert "audit record lost for request req-1" in caplog.text
