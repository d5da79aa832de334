"""Development server: `python -m bolus_cloud` (production runs the same WSGI
application behind the cloud provider's TLS load balancer)."""

from __future__ import annotations

import logging
import os
from wsgiref.simple_server import make_server

from bolus_cloud.api import BolusService
from bolus_cloud.audit import AuditLog


def main() -> None:
    logging.basicConfig(level=logging.INFO)
    audit = AuditLog.open(os.environ.get("BOLUS_AUDIT_LOG", "audit.jsonl"))
    port = int(os.environ.get("PORT", "8080"))
    with make_server("127.0.0.1", port, BolusService(audit)) as server:
        logging.getLogger("bolus_cloud").info("listening on http://127.0.0.1:%d", port)
        try:
            server.serve_forever()
        finally:
            audit.close()


if __name__ == "__main__":
    main()
