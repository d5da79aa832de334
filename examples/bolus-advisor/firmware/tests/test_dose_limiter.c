/* Unit tests of the pump-side dose limiter (unit dose-limiter). */
#include "dose_limiter.h"
#include "harness.h"

/* Clinician settings used by most tests: 10 U per bolus, 20 U per hour. */
static dose_limiter_t make_limiter(void)
{
    dose_limiter_t limiter;
    (void)dose_limiter_init(&limiter, 1000u, 2000u);
    return limiter;
}

/* @verifies SRS-23, RISK-1 */
static void test_limiter_rejects_bolus_above_max(void)
{
    dose_limiter_t limiter = make_limiter();

    CHECK_EQ(dose_limiter_check(&limiter, 1000u, 0u), DOSE_OK);
    CHECK_EQ(dose_limiter_check(&limiter, 1005u, 0u), DOSE_ERR_MAX_BOLUS);
    CHECK_EQ(dose_limiter_check(&limiter, 0xFFFFu, 0u), DOSE_ERR_MAX_BOLUS);
    CHECK_EQ(dose_limiter_check(&limiter, DOSE_HARD_MAX_BOLUS_CU, 0u), DOSE_ERR_MAX_BOLUS);
}

/* @verifies SRS-23 */
static void test_limiter_rejects_zero_and_partial_strokes(void)
{
    dose_limiter_t limiter = make_limiter();

    CHECK_EQ(dose_limiter_check(&limiter, 0u, 0u), DOSE_ERR_ZERO);
    CHECK_EQ(dose_limiter_check(&limiter, 3u, 0u), DOSE_ERR_INCREMENT);
    CHECK_EQ(dose_limiter_check(&limiter, 5u, 0u), DOSE_OK);
}

/* @verifies SRS-23, RISK-1 */
static void test_limiter_enforces_hourly_maximum(void)
{
    dose_limiter_t limiter = make_limiter();

    CHECK_EQ(dose_limiter_authorise(&limiter, 1000u, 100u), DOSE_OK);
    CHECK_EQ(dose_limiter_authorise(&limiter, 800u, 1000u), DOSE_OK);
    /* 18 U in the last hour: 2.5 U more would make 20.5 U. */
    CHECK_EQ(dose_limiter_authorise(&limiter, 250u, 2000u), DOSE_ERR_HOURLY);
    CHECK_EQ(dose_limiter_authorise(&limiter, 200u, 2000u), DOSE_OK);
    /* The first bolus leaves the window one hour after it was given. */
    CHECK_EQ(dose_limiter_check(&limiter, 1000u, 100u + DOSE_WINDOW_S - 1u), DOSE_ERR_HOURLY);
    CHECK_EQ(dose_limiter_check(&limiter, 1000u, 100u + DOSE_WINDOW_S), DOSE_OK);
}

/* @verifies SRS-23 */
static void test_limiter_invalid_settings_refuse_everything(void)
{
    dose_limiter_t limiter;

    CHECK_EQ(dose_limiter_init(&limiter, 3000u, 4000u), DOSE_ERR_CONFIG); /* above 25 U */
    CHECK_EQ(dose_limiter_check(&limiter, 5u, 0u), DOSE_ERR_CONFIG);
    CHECK_EQ(dose_limiter_init(&limiter, 1000u, 500u), DOSE_ERR_CONFIG); /* hourly < bolus */
    CHECK_EQ(dose_limiter_authorise(&limiter, 5u, 0u), DOSE_ERR_CONFIG);
    CHECK_EQ(dose_limiter_init(&limiter, 0u, 0u), DOSE_ERR_CONFIG);
    CHECK_EQ(dose_limiter_check(&limiter, 5u, 0u), DOSE_ERR_CONFIG);
}

/* The widest settings the pump accepts are 25 U per bolus and 50 U per hour;
 * one step beyond either is a configuration error.
 * @verifies SRS-23, RISK-1 */
static void test_limiter_settings_end_at_hard_ceilings(void)
{
    dose_limiter_t limiter;

    CHECK_EQ(dose_limiter_init(&limiter, DOSE_PULSE_CU, DOSE_PULSE_CU), DOSE_OK);
    CHECK_EQ(dose_limiter_init(&limiter, 2500u, 5000u), DOSE_OK);
    CHECK_EQ(dose_limiter_authorise(&limiter, 2500u, 0u), DOSE_OK);
    CHECK_EQ(dose_limiter_authorise(&limiter, 2500u, 60u), DOSE_OK);
    CHECK_EQ(dose_limiter_check(&limiter, 5u, 120u), DOSE_ERR_HOURLY);
    CHECK_EQ(dose_limiter_init(&limiter, 2500u, 5005u), DOSE_ERR_CONFIG);
    CHECK_EQ(dose_limiter_check(&limiter, 5u, 0u), DOSE_ERR_CONFIG);
    CHECK_EQ(dose_limiter_init(&limiter, 1000u, 50000u), DOSE_ERR_CONFIG);
    CHECK_EQ(dose_limiter_init(&limiter, 2505u, 5000u), DOSE_ERR_CONFIG);
    CHECK_EQ(dose_limiter_init(&limiter, DOSE_PULSE_CU - 1u, 1000u), DOSE_ERR_CONFIG);
}

/* @verifies SRS-23 */
static void test_limiter_refuses_when_history_full(void)
{
    dose_limiter_t limiter = make_limiter();
    uint32_t i;

    for (i = 0u; i < DOSE_HISTORY_LEN; i++) {
        CHECK_EQ(dose_limiter_authorise(&limiter, 5u, i), DOSE_OK);
    }
    /* Sixteen boluses in the last hour: the seventeenth is refused rather
     * than forgetting one of them. */
    CHECK_EQ(dose_limiter_authorise(&limiter, 5u, 60u), DOSE_ERR_HISTORY_FULL);
    /* Once they have left the window there is room again. */
    CHECK_EQ(dose_limiter_authorise(&limiter, 5u, 2u * DOSE_WINDOW_S), DOSE_OK);
}

static const test_case_t tests[] = {
    TEST_CASE(test_limiter_rejects_bolus_above_max),
    TEST_CASE(test_limiter_rejects_zero_and_partial_strokes),
    TEST_CASE(test_limiter_enforces_hourly_maximum),
    TEST_CASE(test_limiter_invalid_settings_refuse_everything),
    TEST_CASE(test_limiter_settings_end_at_hard_ceilings),
    TEST_CASE(test_limiter_refuses_when_history_full),
};

HARNESS_MAIN(tests)
