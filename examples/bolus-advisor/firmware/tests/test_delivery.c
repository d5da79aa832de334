/* Unit tests of the bolus delivery state machine (unit delivery-controller),
 * with the real dose limiter and occlusion monitor. */
#include "delivery.h"
#include "harness.h"

#define NORMAL_FORCE_MN 8000u
#define BLOCKED_FORCE_MN 40000u

static dose_limiter_t limiter;
static occlusion_monitor_t occlusion;
static delivery_t pump;

static void setup(void)
{
    (void)dose_limiter_init(&limiter, 1000u, 2000u);
    occlusion_init(&occlusion, OCCLUSION_DEFAULT_THRESHOLD_MN);
    delivery_init(&pump, &limiter, &occlusion);
}

static unsigned run_motor(uint16_t force_mn, unsigned max_strokes)
{
    unsigned strokes = 0u;
    while (delivery_pulse_due(&pump) && strokes < max_strokes) {
        delivery_pulse_done(&pump, force_mn);
        strokes++;
    }
    return strokes;
}

/* @verifies SRS-24 */
static void test_delivery_completes_in_pulses(void)
{
    setup();
    CHECK_EQ(delivery_start(&pump, 125u, 0u), DELIVERY_OK);
    CHECK_EQ(pump.state, DELIVERY_DELIVERING);
    CHECK_EQ(run_motor(NORMAL_FORCE_MN, 1000u), 25u); /* 1.25 U = 25 strokes */
    CHECK_EQ(pump.state, DELIVERY_IDLE);
    CHECK_EQ(pump.delivered_cu, 125u);
    CHECK(!delivery_pulse_due(&pump));
}

/* @verifies SRS-24 */
static void test_delivery_refuses_second_bolus_while_busy(void)
{
    setup();
    CHECK_EQ(delivery_start(&pump, 200u, 0u), DELIVERY_OK);
    CHECK_EQ(delivery_start(&pump, 200u, 1u), DELIVERY_ERR_BUSY);
    CHECK_EQ(pump.commanded_cu, 200u);
}

/* @verifies SRS-23, SRS-24, RISK-1, RISK-6 */
static void test_delivery_enforces_limits_independently_of_app(void)
{
    pump_command_t overdose = { CMD_OP_BOLUS, 1u, 1500u };

    setup();
    /* A well-formed command for 15 U, above the pump's 10 U maximum. */
    CHECK_EQ(delivery_handle_command(&pump, &overdose, 0u), DELIVERY_ERR_LIMIT);
    CHECK_EQ(pump.last_limit_result, DOSE_ERR_MAX_BOLUS);
    CHECK_EQ(pump.state, DELIVERY_IDLE);
    CHECK(!delivery_pulse_due(&pump));
}

/* A command the delivery controller does not know starts nothing, whatever
 * dose it carries (defence in depth behind the parser's opcode check).
 * @verifies SRS-22, RISK-6 */
static void test_delivery_refuses_unknown_command(void)
{
    pump_command_t unknown = { 0x7Fu, 1u, 100u };
    pump_command_t zero = { 0x00u, 2u, 100u };

    setup();
    CHECK_EQ(delivery_handle_command(&pump, &unknown, 0u), DELIVERY_ERR_COMMAND);
    CHECK_EQ(delivery_handle_command(&pump, &zero, 0u), DELIVERY_ERR_COMMAND);
    CHECK_EQ(pump.state, DELIVERY_IDLE);
    CHECK(!delivery_pulse_due(&pump));
    CHECK_EQ(limiter.count, 0u);
}

/* @verifies SRS-24 */
static void test_delivery_cancel_stops_before_next_pulse(void)
{
    pump_command_t cancel = { CMD_OP_CANCEL, 2u, 0u };

    setup();
    CHECK_EQ(delivery_start(&pump, 500u, 0u), DELIVERY_OK);
    CHECK_EQ(run_motor(NORMAL_FORCE_MN, 4u), 4u);
    CHECK_EQ(delivery_handle_command(&pump, &cancel, 10u), DELIVERY_OK);
    CHECK_EQ(pump.state, DELIVERY_IDLE);
    CHECK_EQ(pump.delivered_cu, 20u);
    CHECK(!delivery_pulse_due(&pump));
    /* The cancelled bolus still counts in full towards the hourly limit. */
    CHECK_EQ(dose_limiter_check(&limiter, 1000u, 20u), DOSE_OK);
    CHECK_EQ(delivery_start(&pump, 1000u, 20u), DELIVERY_OK);
    (void)delivery_cancel(&pump);
    CHECK_EQ(delivery_start(&pump, 600u, 30u), DELIVERY_ERR_LIMIT);
    CHECK_EQ(pump.last_limit_result, DOSE_ERR_HOURLY);
}

/* @verifies SRS-25, SRS-24, RISK-7 */
static void test_delivery_stops_on_occlusion(void)
{
    setup();
    CHECK_EQ(delivery_start(&pump, 500u, 0u), DELIVERY_OK);
    CHECK_EQ(run_motor(NORMAL_FORCE_MN, 10u), 10u);
    CHECK_EQ(run_motor(BLOCKED_FORCE_MN, 1000u), 3u);
    CHECK_EQ(pump.state, DELIVERY_OCCLUDED);
    CHECK_EQ(pump.delivered_cu, 65u); /* reported so the app can account for it */
    CHECK(!delivery_pulse_due(&pump));
    CHECK_EQ(delivery_start(&pump, 100u, 60u), DELIVERY_ERR_ALARM_ACTIVE);
    CHECK_EQ(delivery_acknowledge_alarm(&pump), DELIVERY_OK);
    CHECK_EQ(pump.state, DELIVERY_IDLE);
    CHECK_EQ(delivery_start(&pump, 100u, 120u), DELIVERY_OK);
}

/* @verifies SRS-25 */
static void test_delivery_occlusion_on_last_stroke_raises_alarm(void)
{
    setup();
    CHECK_EQ(delivery_start(&pump, 15u, 0u), DELIVERY_OK);
    CHECK_EQ(run_motor(BLOCKED_FORCE_MN, 1000u), 3u);
    CHECK_EQ(pump.state, DELIVERY_OCCLUDED);
}

static const test_case_t tests[] = {
    TEST_CASE(test_delivery_completes_in_pulses),
    TEST_CASE(test_delivery_refuses_second_bolus_while_busy),
    TEST_CASE(test_delivery_enforces_limits_independently_of_app),
    TEST_CASE(test_delivery_refuses_unknown_command),
    TEST_CASE(test_delivery_cancel_stops_before_next_pulse),
    TEST_CASE(test_delivery_stops_on_occlusion),
    TEST_CASE(test_delivery_occlusion_on_last_stroke_raises_alarm),
};

HARNESS_MAIN(tests)
