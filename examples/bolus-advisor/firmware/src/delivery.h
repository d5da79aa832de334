/* Bolus delivery state machine of the pump.
 *
 *                     BOLUS accepted by the dose limiter
 *   IDLE -------------------------------------------> DELIVERING
 *    ^  ^                                              |      |
 *    |  +------- last stroke done, or CANCEL ----------+      |
 *    |                                                        | occlusion
 *    +------------- alarm acknowledged ------------ OCCLUDED <-+
 *
 * The motor task calls delivery_pulse_due() before each stroke and
 * delivery_pulse_done() with the measured plunger force after it. */
#ifndef DELIVERY_H
#define DELIVERY_H

#include <stdbool.h>
#include <stdint.h>

#include "command_parser.h"
#include "dose_limiter.h"
#include "occlusion.h"
#include "status_frame.h"

typedef enum {
    DELIVERY_IDLE = 0,
    DELIVERY_DELIVERING,
    DELIVERY_OCCLUDED /* alarm active; no delivery until acknowledged */
} delivery_state_t;

typedef enum {
    DELIVERY_OK = 0,
    DELIVERY_ERR_BUSY,         /* a bolus is already being delivered */
    DELIVERY_ERR_LIMIT,        /* refused by the dose limiter */
    DELIVERY_ERR_ALARM_ACTIVE, /* occlusion alarm not yet acknowledged */
    DELIVERY_ERR_COMMAND       /* unknown command */
} delivery_result_t;

typedef struct {
    delivery_state_t state;
    uint16_t bolus_seq; /* sequence number of the BOLUS command of this bolus */
    uint16_t commanded_cu;
    uint16_t delivered_cu;
    dose_result_t last_limit_result;
    dose_limiter_t *limiter;
    occlusion_monitor_t *occlusion;
} delivery_t;

void delivery_init(delivery_t *delivery, dose_limiter_t *limiter,
                   occlusion_monitor_t *occlusion);

delivery_result_t delivery_start(delivery_t *delivery, uint16_t dose_cu, uint32_t now_s);
bool delivery_pulse_due(const delivery_t *delivery);
void delivery_pulse_done(delivery_t *delivery, uint16_t force_mn);
uint16_t delivery_cancel(delivery_t *delivery);
delivery_result_t delivery_acknowledge_alarm(delivery_t *delivery);

/* Dispatches a command accepted by command_parse(). */
delivery_result_t delivery_handle_command(delivery_t *delivery, const pump_command_t *command,
                                          uint32_t now_s);

/* The answer to a command, for the status frame (status_frame.h). */
status_ack_t delivery_ack(delivery_result_t result);

/* Fills *out with the delivery's state, the commanded and delivered doses of
 * the current or last bolus, and the acknowledgement `ack` of the command
 * numbered `ack_seq`. The main loop sends it after every command frame and
 * on each change of state (end of a bolus, occlusion). */
void delivery_report(const delivery_t *delivery, uint16_t ack_seq, status_ack_t ack,
                     pump_status_t *out);

#endif /* DELIVERY_H */
