/* Pump-side dose limits, enforced independently of the phone app and the
 * cloud service (defence in depth, RISK-1 and RISK-6).
 *
 * All amounts are integer centi-units (1 cU = 0.01 U of U-100 insulin): the
 * firmware never uses floating point for doses. Times are seconds of the
 * pump's monotonic clock, which the user cannot set. */
#ifndef DOSE_LIMITER_H
#define DOSE_LIMITER_H

#include <stdint.h>

#define DOSE_PULSE_CU 5u               /* one pump stroke delivers 0.05 U */
#define DOSE_HARD_MAX_BOLUS_CU 2500u   /* 25 U: ceiling no setting can exceed */
#define DOSE_HARD_MAX_HOURLY_CU 5000u  /* 50 U in any 60 minutes */
#define DOSE_WINDOW_S 3600u            /* rolling window of the hourly limit */
#define DOSE_HISTORY_LEN 16u

typedef enum {
    DOSE_OK = 0,
    DOSE_ERR_ZERO,         /* zero dose */
    DOSE_ERR_INCREMENT,    /* not a whole number of pump strokes */
    DOSE_ERR_MAX_BOLUS,    /* above the clinician's maximum bolus */
    DOSE_ERR_HOURLY,       /* would exceed the maximum in any 60 minutes */
    DOSE_ERR_HISTORY_FULL, /* cannot account for another bolus: refuse */
    DOSE_ERR_CONFIG        /* limits invalid: every bolus is refused */
} dose_result_t;

typedef struct {
    uint32_t time_s;
    uint16_t dose_cu;
} dose_record_t;

typedef struct {
    uint16_t max_bolus_cu;
    uint16_t max_hourly_cu;
    dose_record_t history[DOSE_HISTORY_LEN];
    uint8_t count;
} dose_limiter_t;

/* Installs the clinician's limits. Invalid limits leave the limiter in a
 * state that refuses every bolus (fail safe) and return DOSE_ERR_CONFIG. */
dose_result_t dose_limiter_init(dose_limiter_t *limiter, uint16_t max_bolus_cu,
                                uint16_t max_hourly_cu);

/* Checks a requested dose against every limit without changing state. */
dose_result_t dose_limiter_check(const dose_limiter_t *limiter, uint16_t dose_cu,
                                 uint32_t now_s);

/* Checks and, when allowed, records the full dose as delivered now. Called
 * once when a bolus starts: a bolus cancelled later still counts in full,
 * which can only make the hourly limit stricter. */
dose_result_t dose_limiter_authorise(dose_limiter_t *limiter, uint16_t dose_cu,
                                     uint32_t now_s);

#endif /* DOSE_LIMITER_H */
