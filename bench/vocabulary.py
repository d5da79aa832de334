"""Domain vocabulary for the synthetic projects: an insulin pump with a companion app.

Every word list is a tuple so that the generator's choices depend only on the seed.
"""

from __future__ import annotations

# The 62304 5.2.2 requirement types, weighted towards the common ones.
REQUIREMENT_TYPES: tuple[str, ...] = (
    *("functional",) * 8,
    *("inputs-outputs",) * 3,
    *("interfaces",) * 2,
    *("alarms",) * 3,
    *("security",) * 2,
    "usability",
    *("data",) * 2,
    "installation",
    "operation",
    "maintenance",
    "it-network",
    "regulatory",
)

CONTROL_TYPES: tuple[str, ...] = ("inherent-design", "protective", "protective", "information")

# Software items of the architecture; a suffix is added when more are needed.
ITEM_NAMES: tuple[str, ...] = (
    "bolus-calculator",
    "basal-scheduler",
    "alarm-manager",
    "occlusion-detector",
    "reservoir-monitor",
    "battery-monitor",
    "glucose-sensor-link",
    "therapy-log",
    "audit-trail",
    "pump-display",
    "dose-limiter",
    "pairing-service",
    "cloud-sync",
    "firmware-updater",
    "clock-service",
    "motor-controller",
    "keypad-driver",
    "settings-store",
    "report-generator",
    "user-accounts",
    "notification-service",
    "insulin-on-board",
    "meal-announcer",
    "calibration-service",
    "event-history",
    "ble-transport",
    "self-test",
    "watchdog-supervisor",
    "data-export",
    "clinician-portal",
)

RUNTIMES: tuple[str, ...] = (
    "pump controller board",
    "companion phone app",
    "cloud service account",
)

COMPONENTS: tuple[str, ...] = (
    "pump software",
    "bolus calculator",
    "basal scheduler",
    "alarm manager",
    "occlusion detector",
    "reservoir monitor",
    "battery monitor",
    "sensor interface",
    "therapy log",
    "companion app",
    "dose limiter",
    "motor controller",
    "settings store",
    "clinician portal",
    "watchdog supervisor",
)

ACTIONS: tuple[tuple[str, str], ...] = (
    ("compute", "Compute"),
    ("validate", "Validate"),
    ("display", "Display"),
    ("record", "Record"),
    ("reject", "Reject"),
    ("confirm", "Confirm"),
    ("limit", "Limit"),
    ("encrypt", "Encrypt"),
    ("transmit", "Transmit"),
    ("verify", "Verify"),
    ("announce", "Announce"),
    ("store", "Store"),
    ("restore", "Restore"),
    ("round", "Round"),
    ("time-stamp", "Time-stamp"),
)

OBJECTS: tuple[str, ...] = (
    "bolus dose",
    "basal rate",
    "glucose reading",
    "reservoir level",
    "occlusion pressure",
    "insulin-to-carbohydrate ratio",
    "correction factor",
    "target glucose range",
    "insulin on board",
    "alarm acknowledgement",
    "therapy log entry",
    "battery charge level",
    "temporary basal rate",
    "maximum bolus setting",
    "sensor calibration value",
    "delivery history",
    "pairing key",
    "firmware image",
    "patient profile",
    "meal announcement",
)

CONDITIONS: tuple[str, ...] = (
    "before the delivery starts",
    "when the reservoir falls below the low-level threshold",
    "after each power cycle",
    "if the sensor signal is lost",
    "when the clinician changes the therapy settings",
    "whenever the patient confirms a bolus",
    "when an upstream occlusion is detected",
    "if the battery charge drops below ten percent",
    "when the pump resumes from suspend",
    "after a firmware update",
    "when the phone reconnects to the pump",
    "if the entered value is outside the configured limits",
    "at the start of every delivery cycle",
    "when two consecutive readings disagree",
    "before the value is shown to the patient",
)

TIMINGS: tuple[str, ...] = (
    "within 2 seconds",
    "within 500 milliseconds",
    "within 1 minute",
    "at least every 5 minutes",
    "before any further delivery",
    "without user interaction",
    "",
    "",
    "",
)

FOLLOW_UPS: tuple[str, ...] = (
    "The result shall be recorded in the therapy log with the time of the event.",
    "The patient shall be able to review the value on the pump display.",
    "A failure of this check shall raise a high-priority alarm.",
    "The value shall be kept when the pump restarts.",
    "The clinician shall be able to change the limit from the clinician portal.",
    "The check shall not delay a bolus already in progress.",
    "Every change shall be written to the audit trail with the user identity.",
    "The message shown shall use the units selected in the patient profile.",
)

HAZARDS: tuple[str, ...] = (
    "Excess insulin delivered",
    "Insufficient insulin delivered",
    "Insulin delivery interrupted without notice",
    "Alarm not raised or delayed",
    "Wrong glucose value shown",
    "Therapy settings of another patient applied",
    "Therapy data lost",
    "Unauthorised change of therapy settings",
)

SEQUENCES: tuple[str, ...] = (
    "A wrong ratio is entered and the advisor computes a bolus from it",
    "The sensor reading is stale and the scheduler keeps the previous basal rate",
    "An occlusion builds up and the pressure check misses it",
    "The reservoir empties and the low-level alarm is suppressed",
    "A corrupted setting is loaded after a restart",
    "The phone loses the connection during a bolus confirmation",
    "A rounding error accumulates over many small doses",
    "An attacker replays a bolus command over the radio link",
)

SITUATIONS: tuple[str, ...] = (
    "Patient receives more insulin than needed",
    "Patient receives less insulin than needed",
    "Patient is unaware that delivery has stopped",
    "Patient acts on a wrong glucose value",
    "Clinician reviews an incomplete therapy history",
)

HARMS: tuple[str, ...] = (
    "Severe hypoglycaemia",
    "Hyperglycaemia",
    "Diabetic ketoacidosis",
    "Loss of consciousness",
    "Delayed treatment",
    "Mild hypoglycaemia",
)

#: The one severity (0-based, on SEVERITIES) each harm is rated at: a harm is rated the same in
#: every risk (MT190).
HARM_SEVERITY: dict[str, int] = {
    "Severe hypoglycaemia": 3,
    "Hyperglycaemia": 1,
    "Diabetic ketoacidosis": 3,
    "Loss of consciousness": 4,
    "Delayed treatment": 2,
    "Mild hypoglycaemia": 1,
}

# No "soup": a SOUP-caused risk names its SOUP item (MT188), and the generator writes no SOUP.
CAUSES: tuple[str, ...] = ("specification", "defect", "defect", "hardware", "hardware", "misuse")

RATIONALES: tuple[str, ...] = (
    "The item only presents data already checked by a class C item; a failure cannot change "
    "the delivered dose.",
    "The item runs in a separate process with read-only access to the therapy data.",
    "Failures of this item are detected by the watchdog supervisor, which stops delivery.",
)

SEGREGATIONS: tuple[str, ...] = (
    "Separate process on the companion phone; it talks to the pump only through the signed "
    "command channel.",
    "Memory-protected partition on the pump controller, enforced by the MPU.",
    "Separate cloud service account with no write access to therapy settings.",
)

REDUCTION: tuple[str, ...] = (
    "No further control is possible without withholding the therapy the risk comes with.",
    "Every control the state of the art offers for this hazard is implemented.",
)

BENEFIT_RISK: tuple[str, ...] = (
    "The residual risk is outweighed by the benefit of automated insulin dosing compared with "
    "manual injections.",
    "Clinical evaluation shows the benefit of continuous delivery outweighs this residual risk.",
)

SEVERITIES: tuple[str, ...] = ("negligible", "minor", "serious", "critical", "catastrophic")
PROBABILITIES: tuple[str, ...] = ("improbable", "remote", "occasional", "probable", "frequent")
RISK_MATRIX: tuple[tuple[str, ...], ...] = (
    ("acceptable", "acceptable", "acceptable", "acceptable", "review"),
    ("acceptable", "acceptable", "acceptable", "review", "unacceptable"),
    ("acceptable", "acceptable", "review", "unacceptable", "unacceptable"),
    ("acceptable", "review", "unacceptable", "unacceptable", "unacceptable"),
    ("review", "unacceptable", "unacceptable", "unacceptable", "unacceptable"),
)
