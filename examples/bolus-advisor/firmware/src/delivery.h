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

#endif /* DELIVERY_H */
