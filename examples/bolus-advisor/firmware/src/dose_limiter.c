#include "dose_limiter.h"

#include <stdbool.h>

/* A record counts towards the hourly limit while it is less than an hour old.
 * A record "in the future" cannot happen with a monotonic clock; if it ever
 * did (memory corruption), it is counted, which is the conservative choice. */
static bool in_window(const dose_record_t *record, uint32_t now_s)
{
    return now_s < record->time_s || (now_s - record->time_s) < DOSE_WINDOW_S;
}

/* @implements SRS-23 */
dose_result_t dose_limiter_init(dose_limiter_t *limiter, uint16_t max_bolus_cu,
                                uint16_t max_hourly_cu)
{
    bool valid = max_bolus_cu >= DOSE_PULSE_CU && max_bolus_cu <= DOSE_HARD_MAX_BOLUS_CU &&
                 max_hourly_cu >= max_bolus_cu && max_hourly_cu <= DOSE_HARD_MAX_HOURLY_CU;

    limiter->count = 0u;
    limiter->max_bolus_cu = valid ? max_bolus_cu : 0u;
    limiter->max_hourly_cu = valid ? max_hourly_cu : 0u;
    return valid ? DOSE_OK : DOSE_ERR_CONFIG;
}

/* @implements SRS-23 */
dose_result_t dose_limiter_check(const dose_limiter_t *limiter, uint16_t dose_cu,
                                 uint32_t now_s)
{
    uint32_t recent_cu = 0u;
    uint8_t active = 0u;
    uint8_t i;

    if (limiter->max_bolus_cu == 0u) {
        return DOSE_ERR_CONFIG;
    }
    if (dose_cu == 0u) {
        return DOSE_ERR_ZERO;
    }
    if (dose_cu % DOSE_PULSE_CU != 0u) {
        return DOSE_ERR_INCREMENT;
    }
    if (dose_cu > limiter->max_bolus_cu) {
        return DOSE_ERR_MAX_BOLUS;
    }
    for (i = 0u; i < limiter->count; i++) {
        if (in_window(&limiter->history[i], now_s)) {
            recent_cu += limiter->history[i].dose_cu;
            active++;
        }
    }
    if (recent_cu + dose_cu > limiter->max_hourly_cu) {
        return DOSE_ERR_HOURLY;
    }
    /* Forgetting a recent bolus would under-count the hourly total, so when
     * the history has no free slot the bolus is refused instead. */
    if (active >= DOSE_HISTORY_LEN) {
        return DOSE_ERR_HISTORY_FULL;
    }
    return DOSE_OK;
}

/* @implements SRS-23 */
dose_result_t dose_limiter_authorise(dose_limiter_t *limiter, uint16_t dose_cu,
                                     uint32_t now_s)
{
    dose_result_t result = dose_limiter_check(limiter, dose_cu, now_s);
    uint8_t kept = 0u;
    uint8_t i;

    if (result != DOSE_OK) {
        return result;
    }
    /* Drop records older than the window, keeping the order. */
    for (i = 0u; i < limiter->count; i++) {
        if (in_window(&limiter->history[i], now_s)) {
            limiter->history[kept] = limiter->history[i];
            kept++;
        }
    }
    limiter->history[kept].time_s = now_s;
    limiter->history[kept].dose_cu = dose_cu;
    limiter->count = (uint8_t)(kept + 1u);
    return DOSE_OK;
}
