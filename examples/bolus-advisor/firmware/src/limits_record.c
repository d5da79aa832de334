#include "limits_record.h"

#include <stdbool.h>

#include "crc16.h"

static uint16_t read_u16_le(const uint8_t *p)
{
    return (uint16_t)((uint16_t)p[0] | (uint16_t)((uint16_t)p[1] << 8));
}

static void write_u16_le(uint8_t *p, uint16_t value)
{
    p[0] = (uint8_t)(value & 0xFFu);
    p[1] = (uint8_t)(value >> 8);
}

/* The same ranges as dose_limiter_init(), checked before anything is written. */
static bool limits_in_range(uint16_t max_bolus_cu, uint16_t max_hourly_cu)
{
    return max_bolus_cu >= DOSE_PULSE_CU && max_bolus_cu <= DOSE_HARD_MAX_BOLUS_CU &&
           max_hourly_cu >= max_bolus_cu && max_hourly_cu <= DOSE_HARD_MAX_HOURLY_CU;
}

/* @implements SRS-30 */
size_t limits_record_encode(uint16_t max_bolus_cu, uint16_t max_hourly_cu, uint8_t *out,
                            size_t cap)
{
    if (out == NULL || cap < LIMITS_RECORD_LEN || !limits_in_range(max_bolus_cu, max_hourly_cu)) {
        return 0u;
    }
    out[0] = LIMITS_MAGIC_0;
    out[1] = LIMITS_MAGIC_1;
    out[2] = LIMITS_RECORD_VERSION;
    out[3] = 0u;
    write_u16_le(&out[4], max_bolus_cu);
    write_u16_le(&out[6], max_hourly_cu);
    write_u16_le(&out[8], crc16_ccitt(out, LIMITS_RECORD_LEN - 2u));
    return LIMITS_RECORD_LEN;
}

static limits_result_t validate(const uint8_t *record, size_t len)
{
    if (record == NULL || len != LIMITS_RECORD_LEN) {
        return LIMITS_ERR_LENGTH;
    }
    if (record[0] != LIMITS_MAGIC_0 || record[1] != LIMITS_MAGIC_1) {
        return LIMITS_ERR_MAGIC;
    }
    if (crc16_ccitt(record, LIMITS_RECORD_LEN - 2u) != read_u16_le(&record[8])) {
        return LIMITS_ERR_CRC;
    }
    if (record[2] != LIMITS_RECORD_VERSION || record[3] != 0u) {
        return LIMITS_ERR_VERSION;
    }
    return LIMITS_OK;
}

/* @implements SRS-30, SRS-23 */
limits_result_t limits_record_load(const uint8_t *record, size_t len, dose_limiter_t *limiter)
{
    limits_result_t result = validate(record, len);

    if (result != LIMITS_OK) {
        (void)dose_limiter_init(limiter, 0u, 0u); /* refuses every bolus */
        return result;
    }
    if (dose_limiter_init(limiter, read_u16_le(&record[4]), read_u16_le(&record[6])) != DOSE_OK) {
        return LIMITS_ERR_RANGE;
    }
    return LIMITS_OK;
}
