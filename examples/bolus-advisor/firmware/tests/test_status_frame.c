/* Unit tests of the pump status frame (unit command-parser) and of the
 * delivery's report in it (unit delivery-controller). */
#include "command_parser.h"
#include "crc16.h"
#include "delivery.h"
#include "harness.h"
#include "status_frame.h"

#define NORMAL_FORCE_MN 8000u
#define BLOCKED_FORCE_MN 40000u

/* The frame decoded by app/test/pumpStatus.test.ts: command 7 accepted,
 * delivering the bolus of command 7, 4.50 U commanded, 1.25 U delivered. */
static const uint8_t GOLDEN_DELIVERING[STATUS_FRAME_LEN] = {
    0x5Au, 0x01u, 0x81u, 0x07u, 0x00u, 0x00u, 0x01u, 0x07u,
    0x00u, 0xC2u, 0x01u, 0x7Du, 0x00u, 0x41u, 0xCCu
};

static dose_limiter_t limiter;
static occlusion_monitor_t occlusion;
static delivery_t pump;

static void setup(void)
{
    (void)dose_limiter_init(&limiter, 1000u, 2000u);
    occlusion_init(&occlusion, OCCLUSION_DEFAULT_THRESHOLD_MN);
    delivery_init(&pump, &limiter, &occlusion);
}

static uint16_t frame_u16(const uint8_t *frame, size_t offset)
{
    return (uint16_t)(frame[offset] | (uint16_t)(frame[offset + 1u] << 8));
}

/* @verifies SRS-27 */
static void test_status_encodes_golden_frame(void)
{
    pump_status_t status = { 7u, STATUS_ACK_ACCEPTED, STATUS_STATE_DELIVERING, 7u, 450u, 125u };
    uint8_t frame[STATUS_FRAME_LEN + 4u];

    CHECK_EQ(status_encode(&status, frame, sizeof frame), STATUS_FRAME_LEN);
    CHECK(memcmp(frame, GOLDEN_DELIVERING, STATUS_FRAME_LEN) == 0);
    CHECK_EQ(frame[1], STATUS_VERSION);
    CHECK_EQ(frame_u16(frame, 13u), crc16_ccitt(frame, STATUS_FRAME_LEN - 2u));
}

/* A status that is not one of the enum values, or a buffer too small, gives
 * no frame at all: the pump never sends a status it cannot stand behind.
 * @verifies SRS-27 */
static void test_status_refuses_invalid_fields_and_short_buffer(void)
{
    pump_status_t status = { 1u, STATUS_ACK_ACCEPTED, STATUS_STATE_IDLE, 0u, 0u, 0u };
    uint8_t frame[STATUS_FRAME_LEN];

    memset(frame, 0xEE, sizeof frame);
    CHECK_EQ(status_encode(&status, frame, STATUS_FRAME_LEN - 1u), 0u);
    CHECK_EQ(frame[0], 0xEE);
    status.ack = (status_ack_t)9;
    CHECK_EQ(status_encode(&status, frame, sizeof frame), 0u);
    status.ack = STATUS_ACK_NONE;
    status.state = (status_state_t)3;
    CHECK_EQ(status_encode(&status, frame, sizeof frame), 0u);
    CHECK_EQ(frame[0], 0xEE);
    CHECK_EQ(status_encode(NULL, frame, sizeof frame), 0u);
}

/* Each answer of the delivery has its acknowledgement code.
 * @verifies SRS-27 */
static void test_status_ack_codes_of_delivery_results(void)
{
    CHECK_EQ(delivery_ack(DELIVERY_OK), STATUS_ACK_ACCEPTED);
    CHECK_EQ(delivery_ack(DELIVERY_ERR_BUSY), STATUS_ACK_BUSY);
    CHECK_EQ(delivery_ack(DELIVERY_ERR_LIMIT), STATUS_ACK_LIMIT);
    CHECK_EQ(delivery_ack(DELIVERY_ERR_ALARM_ACTIVE), STATUS_ACK_ALARM_ACTIVE);
    CHECK_EQ(delivery_ack(DELIVERY_ERR_COMMAND), STATUS_ACK_REJECTED);
}

/* The report after a completed bolus carries what was delivered.
 * @verifies SRS-24, SRS-27 */
static void test_status_reports_delivered_dose(void)
{
    pump_status_t status;
    uint8_t frame[STATUS_FRAME_LEN];

    setup();
    CHECK_EQ(delivery_start(&pump, 50u, 0u), DELIVERY_OK);
    while (delivery_pulse_due(&pump)) {
        delivery_pulse_done(&pump, NORMAL_FORCE_MN);
    }
    delivery_report(&pump, 3u, STATUS_ACK_NONE, &status);
    CHECK_EQ(status_encode(&status, frame, sizeof frame), STATUS_FRAME_LEN);
    CHECK_EQ(frame_u16(frame, 3u), 3u);
    CHECK_EQ(frame[5], STATUS_ACK_NONE);
    CHECK_EQ(frame[6], STATUS_STATE_IDLE);
    CHECK_EQ(frame_u16(frame, 7u), 0u); /* started by delivery_start(), not by a command */
    CHECK_EQ(frame_u16(frame, 9u), 50u);
    CHECK_EQ(frame_u16(frame, 11u), 50u);
}

/* An occlusion is reported with the strokes made, including those against
 * the blockage, and a new bolus is answered "alarm active".
 * @verifies SRS-25, SRS-27 */
static void test_status_reports_occlusion_and_delivered_amount(void)
{
    pump_status_t status;
    unsigned strokes = 0u;

    setup();
    CHECK_EQ(delivery_start(&pump, 500u, 0u), DELIVERY_OK);
    while (delivery_pulse_due(&pump)) {
        delivery_pulse_done(&pump, strokes < 4u ? NORMAL_FORCE_MN : BLOCKED_FORCE_MN);
        strokes++;
    }
    CHECK_EQ(strokes, 7u);
    delivery_report(&pump, 1u, STATUS_ACK_NONE, &status);
    CHECK_EQ(status.state, STATUS_STATE_OCCLUDED);
    CHECK_EQ(status.commanded_cu, 500u);
    CHECK_EQ(status.delivered_cu, 35u);
    delivery_report(&pump, 2u, delivery_ack(delivery_start(&pump, 50u, 1u)), &status);
    CHECK_EQ(status.ack, STATUS_ACK_ALARM_ACTIVE);
    CHECK_EQ(status.ack_seq, 2u);
}

/* After a CANCEL, the acknowledged number is the cancel's, and the amounts
 * are still tied to the bolus by the bolus's own number.
 * @verifies SRS-24, SRS-27 */
static void test_status_after_cancel_names_the_bolus(void)
{
    pump_command_t bolus = { CMD_OP_BOLUS, 41u, 300u };
    pump_command_t cancel = { CMD_OP_CANCEL, 42u, 0u };
    pump_status_t status;
    unsigned strokes;

    setup();
    CHECK_EQ(delivery_handle_command(&pump, &bolus, 0u), DELIVERY_OK);
    for (strokes = 0u; strokes < 8u && delivery_pulse_due(&pump); strokes++) {
        delivery_pulse_done(&pump, NORMAL_FORCE_MN);
    }
    delivery_report(&pump, cancel.seq, delivery_ack(delivery_handle_command(&pump, &cancel, 1u)),
                    &status);
    CHECK_EQ(status.ack_seq, 42u);
    CHECK_EQ(status.ack, STATUS_ACK_ACCEPTED);
    CHECK_EQ(status.state, STATUS_STATE_IDLE);
    CHECK_EQ(status.bolus_seq, 41u);
    CHECK_EQ(status.commanded_cu, 300u);
    CHECK_EQ(status.delivered_cu, 40u);
}

static const test_case_t tests[] = {
    TEST_CASE(test_status_after_cancel_names_the_bolus),
    TEST_CASE(test_status_encodes_golden_frame),
    TEST_CASE(test_status_refuses_invalid_fields_and_short_buffer),
    TEST_CASE(test_status_ack_codes_of_delivery_results),
    TEST_CASE(test_status_reports_delivered_dose),
    TEST_CASE(test_status_reports_occlusion_and_delivered_amount),
};

HARNESS_MAIN(tests)
