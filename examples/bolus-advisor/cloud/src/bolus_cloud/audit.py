"""Audit trail of recommendations (unit audit-log, class A).

One JSON object per line, append-only. The unit is class A because it is
segregated from the recommendation (see docs/architecture.yaml, SRS-13):

- ``record()`` only stamps the time and puts the record in a bounded queue,
  without waiting: a daemon worker thread serialises and writes it. A slow or
  hanging write therefore delays nothing but the audit trail itself.
- Drop policy: when the queue is full (``capacity`` records waiting), the new
  record is dropped, counted in ``stats().dropped`` and reported in the service
  log; ``record()`` never blocks the request.
- Any exception of a write, ``BaseException`` included (``SystemExit`` from a
  library, ``MemoryError``), is contained in the worker: the record is counted
  as failed and reported, and the worker goes on with the next one.
  ``record()`` itself raises nothing (the API also catches at its boundary).
- The records it receives are copies made for it (the API passes a copy made
  from the serialised response): it holds no reference to any object the API
  returns. The only locks a request takes are those of the queue and of the
  counters, each held for a few instructions and never during a write.

So its failure can lose records, but can never change, delay or block a
recommendation. ``flush()`` waits until the queue is written (tests, shutdown).
"""

from __future__ import annotations

import contextlib
import json
import logging
import queue
import threading
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, TextIO

log = logging.getLogger("bolus_cloud.audit")

#: Records that may wait for the writer; beyond, new records are dropped.
DEFAULT_CAPACITY = 1024


@dataclass(frozen=True)
class AuditStats:
    """What became of the records handed to ``record()`` so far."""

    written: int
    failed: int  # the write raised: lost
    dropped: int  # the queue was full: lost, never queued


class AuditLog:
    """Writes audit records to a text stream, one JSON line each, from a worker thread.

    Records hold the pseudonymous patient ID, never a name: the service does
    not receive any other personal data.
    """

    def __init__(self, stream: TextIO, capacity: int = DEFAULT_CAPACITY) -> None:
        self._stream = stream
        self._queue: queue.Queue[tuple[str, str, str, Mapping[str, Any]] | None] = queue.Queue(
            maxsize=capacity
        )
        self._done = threading.Condition()
        self._pending = 0
        self._written = self._failed = self._dropped = 0
        self._worker = threading.Thread(target=self._work, name="audit-log", daemon=True)
        self._worker.start()

    @classmethod
    def open(cls, path: str | Path) -> AuditLog:
        return cls(Path(path).open("a", encoding="utf-8"))  # closed by close()

    def record(self, event: str, request_id: str, data: Mapping[str, Any]) -> None:
        """Queues one record, stamped now, for the writer; never blocks, never raises.

        ``data`` must be a copy made for the audit log: it is read later, by the writer.

        @implements SRS-12, SRS-13
        """
        try:
            time = datetime.now(UTC).isoformat(timespec="milliseconds")
            with self._done:
                self._pending += 1
            try:
                self._queue.put_nowait((time, event, request_id, data))
            except queue.Full:
                self._settle(dropped=1)
                log.warning("audit queue full: record of request %s dropped", request_id)
            except BaseException:
                self._settle(failed=1)  # not queued: flush() must not wait for it
                raise
        except KeyboardInterrupt:
            raise  # the operator stopping the process, not a failure of this unit
        except BaseException:
            log.exception("audit record lost for request %s", request_id)

    def _work(self) -> None:
        """The worker: writes each queued record; any failure is contained here.

        @implements SRS-13
        """
        while True:
            item = self._queue.get()
            if item is None:
                self._settle()
                return
            time, event, request_id, data = item
            try:
                self._write(time, event, request_id, data)
            except BaseException:  # the worker thread must outlive every record
                with contextlib.suppress(BaseException):  # nor may a failing log handler
                    log.exception("audit record lost for request %s", request_id)
                self._settle(failed=1)  # after the log: flush() means "reported too"
            else:
                self._settle(written=1)

    def _write(self, time: str, event: str, request_id: str, data: Mapping[str, Any]) -> None:
        """Appends one record and flushes it to the operating system.

        @implements SRS-12
        """
        line = json.dumps(
            {"time": time, "event": event, "request_id": request_id, **data},
            sort_keys=True,
            allow_nan=False,
        )
        self._stream.write(line + "\n")
        self._stream.flush()

    def _settle(self, written: int = 0, failed: int = 0, dropped: int = 0) -> None:
        with self._done:
            self._written += written
            self._failed += failed
            self._dropped += dropped
            self._pending -= 1
            self._done.notify_all()

    def stats(self) -> AuditStats:
        with self._done:
            return AuditStats(self._written, self._failed, self._dropped)

    def flush(self, timeout: float | None = None) -> bool:
        """Waits until every queued record is written or lost; False on timeout."""
        with self._done:
            return self._done.wait_for(lambda: self._pending == 0, timeout)

    def close(self, timeout: float | None = 5.0) -> None:
        """Writes what is queued (waiting at most ``timeout`` seconds), stops the worker
        and closes the stream."""
        if self.flush(timeout):
            with self._done:
                self._pending += 1
            try:
                self._queue.put(None, timeout=timeout)
            except queue.Full:  # records came in after the flush: leave the worker be
                self._settle()
                return
            self._worker.join(timeout)
        if not self._worker.is_alive():
            self._stream.close()
