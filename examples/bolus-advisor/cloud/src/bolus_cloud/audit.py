"""Audit trail of recommendations (unit audit-log, class A).

One JSON object per line, append-only. The unit is class A because it is
segregated from the recommendation (see docs/architecture.yaml): it only ever
receives a copy of a response that has already been serialised, and the API
catches every exception it raises, so its failure can lose a record but can
never change, delay or block a recommendation.
"""

from __future__ import annotations

import json
import threading
from collections.abc import Mapping
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, TextIO


class AuditLog:
    """Writes audit records to a text stream, one JSON line each.

    Records hold the pseudonymous patient ID, never a name: the service does
    not receive any other personal data.
    """

    def __init__(self, stream: TextIO) -> None:
        self._stream = stream
        self._lock = threading.Lock()

    @classmethod
    def open(cls, path: str | Path) -> AuditLog:
        return cls(Path(path).open("a", encoding="utf-8"))  # closed by close()

    def record(self, event: str, request_id: str, data: Mapping[str, Any]) -> None:
        """Appends one record and flushes it to the operating system.

        @implements SRS-12
        """
        line = json.dumps(
            {
                "time": datetime.now(UTC).isoformat(timespec="milliseconds"),
                "event": event,
                "request_id": request_id,
                **data,
            },
            sort_keys=True,
            allow_nan=False,
        )
        with self._lock:
            self._stream.write(line + "\n")
            self._stream.flush()

    def close(self) -> None:
        self._stream.close()
