"""System tests of the key risk controls, through the whole chain this repository holds:
typed entries (app) -> POST /v1/recommendations (cloud) -> review, confirmation and BLE
frame (app) -> command parser, dose limiter and delivery (pump firmware) -> motor strokes.

Every test here carries `@level system` (see the example's README).
"""

from __future__ import annotations

from typing import Any

from chain import (
    BLOCKED_FORCE_MN,
    DELIVERY_ERR_LIMIT,
    DELIVERY_IDLE,
    DELIVERY_OK,
    DOSE_ERR_HOURLY,
    DOSE_ERR_MAX_BOLUS,
    NOT_DISPATCHED,
    PARSE_ERR_CRC,
    PARSE_ERR_SEQUENCE,
    PARSE_OK,
    App,
    Cloud,
    Patient,
)

SHOWN_MS, CONFIRMED_MS = 0, 20_000  # the user confirms 20 s after the advice is shown


def advise(app: App, cloud: Cloud, patient: Patient, carbs: str, glucose: str, unit: str):
    """The user's entries, parsed by the app and sent to the cloud: (status, advice)."""
    entries = app.call("entries", carbs=carbs, glucose=glucose, unit=unit)
    assert entries["carbs"]["ok"] and entries["glucose"]["ok"], entries
    return cloud.recommend(
        patient.request(entries["carbs"]["value"]["grams"], entries["glucose"]["value"])
    )


def confirm(
    app: App, advice: dict[str, Any], patient: Patient, last_seq: int, dose_u: float | None = None
):
    """The advice reviewed, shown and confirmed in the app (dose_u: the dose as edited)."""
    return app.call(
        "deliver",
        body=advice,
        maxBolusU=patient.max_bolus_u,
        shownAtMs=SHOWN_MS,
        confirmAtMs=CONFIRMED_MS,
        displayedU=dose_u,
        lastSeq=last_seq,
    )


def test_meal_above_the_maximum_is_delivered_as_the_maximum_bolus(app, cloud, patient, pump):
    """150 g at 180 mg/dL needs 17 U; the cloud limits it to the 10 U maximum and says so,
    the app sends exactly 10.00 U, and the pump delivers 10.00 U (200 strokes), no more.

    @level system
    @verifies SRS-6, SRS-20, RISK-1
    """
    status, advice = advise(app, cloud, patient, "150", "180", "mg/dL")
    assert status == 200
    assert (advice["meal_u"], advice["correction_u"], advice["bolus_u"]) == (15.0, 2.0, 10.0)
    assert (advice["limited"], advice["reason"]) == (True, "limited to the maximum bolus")
    sent = confirm(app, advice, patient, last_seq=0)
    assert (sent["stage"], sent["doseCu"], sent["seq"]) == ("sent", 1000, 1)
    assert pump.receive(sent["frame"], now_s=30) == (PARSE_OK, DELIVERY_OK)
    assert pump.run_motor() == 200
    assert (pump.delivered_cu, pump.state) == (1000, DELIVERY_IDLE)


def test_advice_above_the_maximum_is_stopped_by_the_app_and_by_the_pump(app, cloud, patient, pump):
    """The cloud receives a wrong maximum (25 U instead of the 10 U stored on the phone
    and in the pump) and advises 17 U: the app refuses the advice and sends nothing; a
    17 U frame sent anyway (a faulty central) is refused by the pump: no stroke. A dose
    edited above the maximum on the confirmation screen is refused by the app.

    @level system
    @verifies SRS-19, SRS-23, SRS-20, RISK-1
    """
    body = patient.request(150, 180)
    body["therapy"]["max_bolus_u"] = 25
    status, advice = cloud.recommend(body)
    assert (status, advice["bolus_u"], advice["limited"]) == (200, 17.0, False)
    refused = confirm(app, advice, patient, last_seq=0)
    assert refused == {
        "stage": "advice",
        "error": "Advice unavailable (dose above your maximum bolus).",
    }
    forged = app.call("encode", seq=1, doseCu=1700)["frame"]
    assert pump.receive(forged, now_s=30) == (PARSE_OK, DELIVERY_ERR_LIMIT)
    assert pump.last_limit_result == DOSE_ERR_MAX_BOLUS
    assert (pump.run_motor(), pump.delivered_cu) == (0, 0)
    edited = confirm(app, {**advice, "bolus_u": 8.0}, patient, last_seq=0, dose_u=10.05)
    assert edited == {
        "stage": "confirm",
        "error": "The dose is above your maximum bolus of 10.00 U.",
    }


def test_pump_hourly_maximum_holds_when_the_phone_lost_its_history(app, cloud, patient, pump):
    """Two boluses edited up to 10 U reach the pump's 20 U hourly maximum. The phone then
    loses its bolus history (reinstalled), so the cloud sees no insulin on board and
    advises 8 U: the pump refuses it until the first bolus is an hour old.

    @level system
    @verifies SRS-23, SRS-20, RISK-1
    """
    status, first = advise(app, cloud, patient, "60", "180", "mg/dL")
    assert (status, first["bolus_u"]) == (200, 8.0)
    sent = confirm(app, first, patient, last_seq=0, dose_u=10.0)
    assert pump.receive(sent["frame"], now_s=0) == (PARSE_OK, DELIVERY_OK)
    assert pump.run_motor() == 200

    patient.history = [{"units": 10.0, "minutes_ago": 10}]
    status, second = advise(app, cloud, patient, "150", "180", "mg/dL")
    # 15 U meal + 2 U correction - 10 U x (1 - 10/240) on board = 7.42 U, rounded down.
    assert (status, second["iob_u"], second["bolus_u"]) == (200, 9.58, 7.4)
    sent = confirm(app, second, patient, last_seq=sent["seq"], dose_u=10.0)
    assert pump.receive(sent["frame"], now_s=600) == (PARSE_OK, DELIVERY_OK)
    assert pump.run_motor() == 200

    patient.history = []
    status, third = advise(app, cloud, patient, "60", "180", "mg/dL")
    assert (status, third["iob_u"], third["bolus_u"]) == (200, 0.0, 8.0)
    sent = confirm(app, third, patient, last_seq=sent["seq"])
    assert pump.receive(sent["frame"], now_s=1200) == (PARSE_OK, DELIVERY_ERR_LIMIT)
    assert pump.last_limit_result == DOSE_ERR_HOURLY
    assert (pump.run_motor(), pump.delivered_cu) == (0, 1000)

    # An hour after the first bolus, 10 U + 8 U are within the 20 U hourly maximum.
    sent = confirm(app, third, patient, last_seq=sent["seq"])
    assert pump.receive(sent["frame"], now_s=3600) == (PARSE_OK, DELIVERY_OK)
    assert (pump.run_motor(), pump.delivered_cu) == (160, 800)


def test_no_bolus_below_70_mgdl_whatever_the_meal(app, cloud, patient, pump):
    """At 65 mg/dL (and 3.6 mmol/L = 64.9 mg/dL) with 80 g of carbohydrate the cloud refuses,
    and the app has nothing to confirm, so no frame reaches the pump. At 70 mg/dL the
    same meal gets its bolus: 8 U - 0.75 U correction = 7.25 U, 145 strokes.

    @level system
    @verifies SRS-5, SRS-20, RISK-3
    """
    for glucose, unit in (("65", "mg/dL"), ("3.6", "mmol/L")):
        status, advice = advise(app, cloud, patient, "80", glucose, unit)
        assert status == 200
        assert (advice["status"], advice["bolus_u"]) == ("refused", 0.0)
        assert advice["reason"] == "glucose below 70 mg/dL: treat hypoglycaemia first"
        assert confirm(app, advice, patient, last_seq=0)["stage"] == "nothing-to-confirm"
    assert (pump.run_motor(), pump.delivered_cu) == (0, 0)

    status, advice = advise(app, cloud, patient, "80", "70", "mg/dL")
    assert (advice["status"], advice["bolus_u"]) == ("recommended", 7.25)
    sent = confirm(app, advice, patient, last_seq=0)
    assert pump.receive(sent["frame"], now_s=30) == (PARSE_OK, DELIVERY_OK)
    assert (pump.run_motor(), pump.delivered_cu) == (145, 725)


def test_corrupted_or_replayed_frame_delivers_nothing(app, cloud, patient, pump):
    """A confirmed 1.00 U frame with one bit of its dose flipped on the way is refused, and
    so is the accepted frame received a second time: only one bolus of 1.00 U is given.

    @level system
    @verifies SRS-22, SRS-21, RISK-6
    """
    status, advice = advise(app, cloud, patient, "10", "100", "mg/dL")
    assert (status, advice["bolus_u"]) == (200, 1.0)
    frame = confirm(app, advice, patient, last_seq=41)["frame"]
    corrupted = [*frame[:5], frame[5] ^ 0x02, *frame[6:]]
    assert pump.receive(corrupted, now_s=30) == (PARSE_ERR_CRC, NOT_DISPATCHED)
    assert pump.run_motor() == 0
    assert pump.receive(frame, now_s=31) == (PARSE_OK, DELIVERY_OK)
    assert pump.run_motor() == 20
    assert pump.receive(frame, now_s=32) == (PARSE_ERR_SEQUENCE, NOT_DISPATCHED)
    assert (pump.run_motor(), pump.delivered_cu) == (0, 100)


def test_app_shows_what_the_pump_reports_delivered(app, cloud, patient, pump):
    """The pump answers the 1.00 U command with a status frame, and after the last stroke
    reports the bolus complete: the app reads both frames and shows 1.00 U delivered.

    @level system
    @verifies SRS-27, SRS-28, SRS-29, SRS-24
    """
    status, advice = advise(app, cloud, patient, "10", "100", "mg/dL")
    assert (status, advice["bolus_u"]) == (200, 1.0)
    sent = confirm(app, advice, patient, last_seq=9)
    assert pump.receive(sent["frame"], now_s=30) == (PARSE_OK, DELIVERY_OK)
    bolus = {"seq": sent["seq"], "doseCu": sent["doseCu"]}
    started = app.call("report", **bolus, frame=pump.status_frame())
    assert (started["outcome"], started["deliveredU"]) == ("delivering", 0)
    assert pump.run_motor() == 20
    done = app.call("report", **bolus, frame=pump.status_frame())
    assert done == {
        "outcome": "delivered",
        "deliveredU": 1,
        "alarm": None,
        "message": "Bolus delivered: 1.00 U.",
    }


def test_occlusion_on_the_pump_raises_the_alarm_in_the_app(app, cloud, patient, pump):
    """The line is blocked from the 5th stroke of a 1.00 U bolus: the pump stops at the
    third stroke against the blockage and reports it; the app raises the occlusion alarm and
    shows the 0.35 U delivered (7 strokes), and a frame corrupted on the way is not believed.

    @level system
    @verifies SRS-25, SRS-27, SRS-28, SRS-29, RISK-7
    """
    status, advice = advise(app, cloud, patient, "10", "100", "mg/dL")
    assert (status, advice["bolus_u"]) == (200, 1.0)
    sent = confirm(app, advice, patient, last_seq=0)
    assert pump.receive(sent["frame"], now_s=30) == (PARSE_OK, DELIVERY_OK)
    assert pump.run_motor(max_strokes=4) == 4
    assert pump.run_motor(force_mn=BLOCKED_FORCE_MN) == 3
    bolus = {"seq": sent["seq"], "doseCu": sent["doseCu"]}
    frame = pump.status_frame()
    report = app.call("report", **bolus, frame=frame)
    assert (report["outcome"], report["alarm"], report["deliveredU"]) == (
        "occlusion",
        "occlusion",
        0.35,
    )
    corrupted = [*frame[:11], frame[11] ^ 0x01, *frame[12:]]
    unread = app.call("report", **bolus, frame=corrupted)
    assert (unread["outcome"], unread["deliveredU"], unread["alarm"]) == (
        "unknown",
        None,
        "pump-fault",
    )
