/* Unit tests of occlusion detection (unit occlusion-monitor). */
#include "harness.h"
#include "occlusion.h"

/* @verifies SRS-25, RISK-7 */
static void test_occlusion_after_three_high_readings(void)
{
    occlusion_monitor_t monitor;

    occlusion_init(&monitor, OCCLUSION_DEFAULT_THRESHOLD_MN);
    CHECK(!occlusion_update(&monitor, 31000u));
    CHECK(!occlusion_update(&monitor, 32000u));
    CHECK(occlusion_update(&monitor, 30000u));
    /* Latched: a normal reading does not clear it. */
    CHECK(occlusion_update(&monitor, 1000u));
    occlusion_reset(&monitor);
    CHECK(!occlusion_update(&monitor, 1000u));
}

/* @verifies SRS-25 */
static void test_occlusion_ignores_transient_peaks(void)
{
    occlusion_monitor_t monitor;
    int i;

    occlusion_init(&monitor, OCCLUSION_DEFAULT_THRESHOLD_MN);
    for (i = 0; i < 10; i++) {
        CHECK(!occlusion_update(&monitor, 35000u));
        CHECK(!occlusion_update(&monitor, 35000u));
        CHECK(!occlusion_update(&monitor, 12000u));
    }
}

/* @verifies SRS-25, RISK-7 */
static void test_occlusion_sensor_fault_is_detected(void)
{
    occlusion_monitor_t monitor;

    occlusion_init(&monitor, OCCLUSION_DEFAULT_THRESHOLD_MN);
    CHECK(!occlusion_update(&monitor, 0xFFFFu));
    CHECK(!occlusion_update(&monitor, 0xFFFFu));
    CHECK(occlusion_update(&monitor, 0xFFFFu));
}

static const test_case_t tests[] = {
    TEST_CASE(test_occlusion_after_three_high_readings),
    TEST_CASE(test_occlusion_ignores_transient_peaks),
    TEST_CASE(test_occlusion_sensor_fault_is_detected),
};

HARNESS_MAIN(tests)
