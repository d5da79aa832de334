#include "delivery.h"

void delivery_init(delivery_t *delivery, dose_limiter_t *limiter,
                   occlusion_monitor_t *occlusion)
{
    delivery->state = DELIVERY_IDLE;
    delivery->bolus_seq = 0u;
    delivery->commanded_cu = 0u;
    delivery->delivered_cu = 0u;
    delivery->last_limit_result = DOSE_OK;
    delivery->limiter = limiter;
    delivery->occlusion = occlusion;
}

/* Only one bolus at a time, and only after the pump's own limits agree:
 * whatever the app or the cloud computed, the pump re-checks the dose here.
 * @implements SRS-24, SRS-23 */
delivery_result_t delivery_start(delivery_t *delivery, uint16_t dose_cu, uint32_t now_s)
{
    if (delivery->state == DELIVERY_OCCLUDED) {
        return DELIVERY_ERR_ALARM_ACTIVE;
    }
    if (delivery->state != DELIVERY_IDLE) {
        return DELIVERY_ERR_BUSY;
    }
    delivery->last_limit_result = dose_limiter_authorise(delivery->limiter, dose_cu, now_s);
    if (delivery->last_limit_result != DOSE_OK) {
        return DELIVERY_ERR_LIMIT;
    }
    delivery->commanded_cu = dose_cu;
    delivery->delivered_cu = 0u;
    delivery->state = DELIVERY_DELIVERING;
    return DELIVERY_OK;
}

/* @implements SRS-24 */
bool delivery_pulse_due(const delivery_t *delivery)
{
    return delivery->state == DELIVERY_DELIVERING &&
           delivery->delivered_cu < delivery->commanded_cu;
}

/* @implements SRS-24, SRS-25 */
void delivery_pulse_done(delivery_t *delivery, uint16_t force_mn)
{
    if (delivery->state != DELIVERY_DELIVERING) {
        return; /* a stroke outside a bolus is a motor fault, handled elsewhere */
    }
    delivery->delivered_cu = (uint16_t)(delivery->delivered_cu + DOSE_PULSE_CU);
    /* Check the force before deciding the bolus is complete: an occlusion on
     * the last stroke still means insulin may not have reached the patient. */
    if (occlusion_update(delivery->occlusion, force_mn)) {
        delivery->state = DELIVERY_OCCLUDED;
    } else if (delivery->delivered_cu >= delivery->commanded_cu) {
        delivery->state = DELIVERY_IDLE;
    }
}

/* Stops before the next stroke and returns the amount actually delivered,
 * which the app records for insulin on board.
 * @implements SRS-24 */
uint16_t delivery_cancel(delivery_t *delivery)
{
    if (delivery->state == DELIVERY_DELIVERING) {
        delivery->state = DELIVERY_IDLE;
    }
    return delivery->delivered_cu;
}

/* @implements SRS-25 */
delivery_result_t delivery_acknowledge_alarm(delivery_t *delivery)
{
    if (delivery->state == DELIVERY_OCCLUDED) {
        occlusion_reset(delivery->occlusion);
        delivery->state = DELIVERY_IDLE;
    }
    return DELIVERY_OK;
}

/* @implements SRS-24 */
delivery_result_t delivery_handle_command(delivery_t *delivery, const pump_command_t *command,
                                          uint32_t now_s)
{
    delivery_result_t result;

    switch (command->opcode) {
    case CMD_OP_BOLUS:
        result = delivery_start(delivery, command->dose_cu, now_s);
        if (result == DELIVERY_OK) {
            delivery->bolus_seq = command->seq;
        }
        return result;
    case CMD_OP_CANCEL:
        (void)delivery_cancel(delivery);
        return DELIVERY_OK;
    default:
        return DELIVERY_ERR_COMMAND;
    }
}

/* @implements SRS-27 */
status_ack_t delivery_ack(delivery_result_t result)
{
    switch (result) {
    case DELIVERY_OK:
        return STATUS_ACK_ACCEPTED;
    case DELIVERY_ERR_BUSY:
        return STATUS_ACK_BUSY;
    case DELIVERY_ERR_LIMIT:
        return STATUS_ACK_LIMIT;
    case DELIVERY_ERR_ALARM_ACTIVE:
        return STATUS_ACK_ALARM_ACTIVE;
    case DELIVERY_ERR_COMMAND:
    default:
        return STATUS_ACK_REJECTED;
    }
}

/* @implements SRS-24, SRS-25, SRS-27 */
void delivery_report(const delivery_t *delivery, uint16_t ack_seq, status_ack_t ack,
                     pump_status_t *out)
{
    out->ack_seq = ack_seq;
    out->ack = ack;
    switch (delivery->state) {
    case DELIVERY_DELIVERING:
        out->state = STATUS_STATE_DELIVERING;
        break;
    case DELIVERY_OCCLUDED:
        out->state = STATUS_STATE_OCCLUDED;
        break;
    case DELIVERY_IDLE:
    default:
        out->state = STATUS_STATE_IDLE;
        break;
    }
    out->bolus_seq = delivery->bolus_seq;
    out->commanded_cu = delivery->commanded_cu;
    out->delivered_cu = delivery->delivered_cu;
}
