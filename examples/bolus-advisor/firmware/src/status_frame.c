#include "status_frame.h"

#include "crc16.h"

static void write_u16_le(uint8_t *p, uint16_t value)
{
    p[0] = (uint8_t)(value & 0xFFu);
    p[1] = (uint8_t)(value >> 8);
}

/* @implements SRS-27 */
size_t status_encode(const pump_status_t *status, uint8_t *out, size_t cap)
{
    uint16_t crc;

    if (status == NULL || out == NULL || cap < STATUS_FRAME_LEN) {
        return 0u;
    }
    if ((unsigned)status->ack > (unsigned)STATUS_ACK_NONE ||
        (unsigned)status->state > (unsigned)STATUS_STATE_OCCLUDED) {
        return 0u;
    }
    out[0] = STATUS_SOF;
    out[1] = STATUS_VERSION;
    out[2] = STATUS_OP;
    write_u16_le(&out[3], status->ack_seq);
    out[5] = (uint8_t)status->ack;
    out[6] = (uint8_t)status->state;
    write_u16_le(&out[7], status->bolus_seq);
    write_u16_le(&out[9], status->commanded_cu);
    write_u16_le(&out[11], status->delivered_cu);
    crc = crc16_ccitt(out, STATUS_FRAME_LEN - 2u);
    write_u16_le(&out[13], crc);
    return STATUS_FRAME_LEN;
}
