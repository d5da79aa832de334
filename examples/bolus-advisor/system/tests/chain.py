"""The Bolus Advisor's three software items wired together for system tests.

- `Cloud`: the cloud service's real WSGI application, called in-process with
  the HTTP request the app sends (POST /v1/recommendations).
- `App`: the phone app's real TypeScript core, compiled to JavaScript and run
  by Node (system/app_bridge.js): entry parsing, review of the advice,
  confirmation and the BLE command frame.
- `Pump`: the pump firmware's real command path (parser, dose limiter,
  delivery state machine, occlusion monitor), a shared library built by CMake
  from firmware/ and loaded with ctypes (firmware/tests/pump_sim.c).

What is simulated is only what this repository does not contain: the HTTP
transport, the BLE radio, the phone's screen, the motor and the force sensor.
"""

from __future__ import annotations

import ctypes
import io
import json
import os
import subprocess
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from wsgiref.util import setup_testing_defaults

from bolus_cloud.api import BolusService
from bolus_cloud.audit import AuditLog

EXAMPLE = Path(__file__).resolve().parents[2]
BUILD = EXAMPLE / "build"

# firmware/src/command_parser.h, dose_limiter.h and delivery.h
PARSE_OK, PARSE_ERR_CRC, PARSE_ERR_SEQUENCE = 0, 3, 6
DOSE_OK, DOSE_ERR_ZERO, DOSE_ERR_MAX_BOLUS, DOSE_ERR_HOURLY = 0, 1, 3, 4
DELIVERY_IDLE, DELIVERY_DELIVERING = 0, 1
DELIVERY_OK, DELIVERY_ERR_LIMIT = 0, 2
NOT_DISPATCHED = -1
NORMAL_FORCE_MN = 8000
BLOCKED_FORCE_MN = 40000


class Cloud:
    """The cloud service, reached over its REST interface (cloud/openapi.yaml)."""

    def __init__(self) -> None:
        self.audit = io.StringIO()
        self.app = BolusService(AuditLog(self.audit))

    def recommend(self, body: dict[str, Any]) -> tuple[int, dict[str, Any]]:
        data = json.dumps(body).encode()
        environ: dict[str, Any] = {
            "REQUEST_METHOD": "POST",
            "PATH_INFO": "/v1/recommendations",
            "CONTENT_TYPE": "application/json",
            "CONTENT_LENGTH": str(len(data)),
            "wsgi.input": io.BytesIO(data),
        }
        setup_testing_defaults(environ)
        status: list[int] = []
        payload = b"".join(
            self.app(environ, lambda line, headers: status.append(int(line.split()[0])))
        )
        return status[0], json.loads(payload)


class App:
    """The phone app's core, one Node process per step."""

    def __init__(self, js_dir: Path) -> None:
        self.env = {**os.environ, "APP_JS_DIR": str(js_dir)}

    def call(self, step: str, **args: Any) -> dict[str, Any]:
        done = subprocess.run(
            ["node", str(EXAMPLE / "system" / "app_bridge.js")],
            input=json.dumps({"step": step, "args": args}),
            capture_output=True,
            text=True,
            env=self.env,
            check=True,
            timeout=60,
        )
        result: dict[str, Any] = json.loads(done.stdout)
        return result


class Pump:
    """The pump firmware's command path, powered up with the clinician's limits."""

    def __init__(self, library: Path, max_bolus_cu: int, max_hourly_cu: int) -> None:
        self.lib = ctypes.CDLL(str(library))
        self.lib.pump_sim_reset.argtypes = [ctypes.c_uint16, ctypes.c_uint16]
        self.lib.pump_sim_receive.argtypes = [
            ctypes.POINTER(ctypes.c_uint8),
            ctypes.c_size_t,
            ctypes.c_uint32,
            ctypes.POINTER(ctypes.c_int),
        ]
        self.lib.pump_sim_run_motor.argtypes = [ctypes.c_uint16, ctypes.c_uint]
        self.lib.pump_sim_run_motor.restype = ctypes.c_uint
        self.lib.pump_sim_delivered_cu.restype = ctypes.c_uint
        self.lib.pump_sim_status.argtypes = [ctypes.POINTER(ctypes.c_uint8), ctypes.c_size_t]
        self.lib.pump_sim_status.restype = ctypes.c_size_t
        assert self.lib.pump_sim_reset(max_bolus_cu, max_hourly_cu) == DOSE_OK

    def receive(self, frame: list[int], now_s: int) -> tuple[int, int]:
        """(parse result, delivery result or NOT_DISPATCHED) of one BLE frame."""
        buffer = (ctypes.c_uint8 * len(frame))(*frame)
        dispatched = ctypes.c_int(NOT_DISPATCHED)
        parsed = self.lib.pump_sim_receive(buffer, len(frame), now_s, ctypes.byref(dispatched))
        return parsed, dispatched.value

    def run_motor(self, max_strokes: int = 10_000, force_mn: int = NORMAL_FORCE_MN) -> int:
        """Strokes made until the bolus is complete or stopped (`force_mn` on the plunger)."""
        return int(self.lib.pump_sim_run_motor(force_mn, max_strokes))

    def status_frame(self) -> list[int]:
        """The status frame the pump notifies to the app (firmware/src/status_frame.h)."""
        buffer = (ctypes.c_uint8 * 32)()
        length = int(self.lib.pump_sim_status(buffer, len(buffer)))
        assert length > 0, "the pump encoded no status frame"
        return list(buffer[:length])

    @property
    def delivered_cu(self) -> int:
        return int(self.lib.pump_sim_delivered_cu())

    @property
    def state(self) -> int:
        return int(self.lib.pump_sim_state())

    @property
    def last_limit_result(self) -> int:
        return int(self.lib.pump_sim_last_limit_result())


@dataclass
class Patient:
    """The therapy settings, as stored on the phone (and sent to the cloud) and in the pump."""

    carb_ratio_g_per_u: float = 10
    correction_factor: float = 40
    target_glucose: float = 100
    max_bolus_u: float = 10
    insulin_action_h: float = 4
    pump_max_hourly_u: float = 20
    history: list[dict[str, float]] = field(default_factory=list)

    def request(self, carbs_g: float, glucose: float, unit: str = "mg/dL") -> dict[str, Any]:
        """The body of POST /v1/recommendations as the app sends it."""
        return {
            "patient_id": "p-0042",
            "unit": unit,
            "carbs_g": carbs_g,
            "glucose": glucose,
            "therapy": {
                "carb_ratio_g_per_u": self.carb_ratio_g_per_u,
                "correction_factor": self.correction_factor,
                "target_glucose": self.target_glucose,
                "max_bolus_u": self.max_bolus_u,
                "insulin_action_h": self.insulin_action_h,
            },
            "recent_boluses": self.history,
        }
