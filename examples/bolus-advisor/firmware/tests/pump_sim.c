/* The pump's command path as a shared library, for the system tests in
 * system/tests/ (Python, ctypes). It wires the firmware's own units as the
 * device's main loop does: a BLE frame goes through command_parse(), an
 * accepted command through delivery_handle_command() and the dose limiter,
 * and each motor stroke through delivery_pulse_done() and the occlusion
 * monitor. Only the radio, the motor and the force sensor are simulated.
 * Test support: it is not part of the device build. */
#include <stddef.h>
#include <stdint.h>

#include "command_parser.h"
#include "delivery.h"
#include "dose_limiter.h"
#include "occlusion.h"
#include "status_frame.h"

#if defined(_WIN32)
#define PUMP_SIM_API __declspec(dllexport)
#else
#define PUMP_SIM_API __attribute__((visibility("default")))
#endif

#define PUMP_SIM_NOT_DISPATCHED (-1)

static command_parser_t parser;
static dose_limiter_t limiter;
static occlusion_monitor_t occlusion;
static delivery_t pump;
static status_ack_t last_ack;

/* Powers the pump up with the clinician's limits; returns the dose_result_t
 * of dose_limiter_init() (DOSE_ERR_CONFIG: every bolus will be refused). */
PUMP_SIM_API int pump_sim_reset(uint16_t max_bolus_cu, uint16_t max_hourly_cu)
{
    int result = (int)dose_limiter_init(&limiter, max_bolus_cu, max_hourly_cu);

    command_parser_init(&parser);
    occlusion_init(&occlusion, OCCLUSION_DEFAULT_THRESHOLD_MN);
    delivery_init(&pump, &limiter, &occlusion);
    last_ack = STATUS_ACK_NONE;
    return result;
}

/* One frame received over BLE at `now_s`. Returns the parse_result_t; when the
 * frame was accepted, *delivery_result receives the delivery_result_t of the
 * command, otherwise PUMP_SIM_NOT_DISPATCHED. */
PUMP_SIM_API int pump_sim_receive(const uint8_t *frame, size_t len, uint32_t now_s,
                                  int *delivery_result)
{
    pump_command_t command = { 0u, 0u, 0u };
    parse_result_t parsed = command_parse(&parser, frame, len, &command);

    *delivery_result = PUMP_SIM_NOT_DISPATCHED;
    last_ack = STATUS_ACK_REJECTED;
    if (parsed == PARSE_OK) {
        *delivery_result = (int)delivery_handle_command(&pump, &command, now_s);
        last_ack = delivery_ack((delivery_result_t)*delivery_result);
    }
    return (int)parsed;
}

/* Runs the motor while a stroke is due, at most `max_strokes` strokes, each
 * measuring `force_mn` on the plunger; returns the number of strokes made. */
PUMP_SIM_API unsigned pump_sim_run_motor(uint16_t force_mn, unsigned max_strokes)
{
    unsigned strokes = 0u;

    while (strokes < max_strokes && delivery_pulse_due(&pump)) {
        delivery_pulse_done(&pump, force_mn);
        strokes++;
    }
    if (strokes > 0u) {
        last_ack = STATUS_ACK_NONE; /* the next report is about the delivery */
    }
    return strokes;
}

/* The status frame the main loop notifies after a command frame or a change
 * of the delivery (firmware/src/status_frame.h); returns its length, or 0. */
PUMP_SIM_API size_t pump_sim_status(uint8_t *out, size_t cap)
{
    pump_status_t status;

    delivery_report(&pump, parser.have_last ? parser.last_seq : 0u, last_ack, &status);
    return status_encode(&status, out, cap);
}

PUMP_SIM_API unsigned pump_sim_delivered_cu(void)
{
    return pump.delivered_cu;
}

PUMP_SIM_API int pump_sim_state(void)
{
    return (int)pump.state;
}

PUMP_SIM_API int pump_sim_last_limit_result(void)
{
    return (int)pump.last_limit_result;
}
