/* Unit tests of the BLE command parser (unit command-parser). */
#include "command_parser.h"
#include "crc16.h"
#include "harness.h"

#include <string.h>

/* Builds a frame exactly as app/src/pumpCommand.ts does. */
static size_t build_frame(uint8_t *buf, uint8_t opcode, uint16_t seq, const uint8_t *payload,
                          uint8_t payload_len)
{
    uint16_t crc;
    uint8_t i;

    buf[0] = CMD_SOF;
    buf[1] = opcode;
    buf[2] = (uint8_t)(seq & 0xFFu);
    buf[3] = (uint8_t)(seq >> 8);
    buf[4] = payload_len;
    for (i = 0u; i < payload_len; i++) {
        buf[CMD_HEADER_LEN + i] = payload[i];
    }
    crc = crc16_ccitt(buf, (size_t)(CMD_HEADER_LEN + payload_len));
    buf[CMD_HEADER_LEN + payload_len] = (uint8_t)(crc & 0xFFu);
    buf[CMD_HEADER_LEN + payload_len + 1u] = (uint8_t)(crc >> 8);
    return (size_t)(CMD_HEADER_LEN + payload_len + CMD_CRC_LEN);
}

static size_t bolus_frame(uint8_t *buf, uint16_t seq, uint16_t dose_cu)
{
    uint8_t payload[2];
    payload[0] = (uint8_t)(dose_cu & 0xFFu);
    payload[1] = (uint8_t)(dose_cu >> 8);
    return build_frame(buf, CMD_OP_BOLUS, seq, payload, 2u);
}

/* @verifies SRS-22 */
static void test_crc16_check_value(void)
{
    const uint8_t text[] = { '1', '2', '3', '4', '5', '6', '7', '8', '9' };
    CHECK_EQ(crc16_ccitt(text, sizeof text), 0x29B1);
}

/* @verifies SRS-22 */
static void test_parser_accepts_valid_bolus(void)
{
    command_parser_t parser;
    pump_command_t cmd = { 0u, 0u, 0u };
    uint8_t frame[CMD_MAX_FRAME_LEN];
    size_t len = bolus_frame(frame, 7u, 450u);

    command_parser_init(&parser);
    CHECK_EQ(command_parse(&parser, frame, len, &cmd), PARSE_OK);
    CHECK_EQ(cmd.opcode, CMD_OP_BOLUS);
    CHECK_EQ(cmd.seq, 7);
    CHECK_EQ(cmd.dose_cu, 450);
}

/* The frames produced by app/src/pumpCommand.ts for BOLUS(seq 7, 4.50 U) and
 * CANCEL(seq 8), as checked in app/test/pumpCommand.test.ts: both ends of the
 * link agree byte for byte.
 * @level integration
 * @verifies SRS-22, SRS-21 */
static void test_parser_accepts_app_golden_frames(void)
{
    const uint8_t bolus[] = { 0xA5u, 0x01u, 0x07u, 0x00u, 0x02u, 0xC2u, 0x01u, 0x65u, 0x61u };
    const uint8_t cancel[] = { 0xA5u, 0x02u, 0x08u, 0x00u, 0x00u, 0xF6u, 0x5Cu };
    command_parser_t parser;
    pump_command_t cmd = { 0u, 0u, 0u };

    command_parser_init(&parser);
    CHECK_EQ(command_parse(&parser, bolus, sizeof bolus, &cmd), PARSE_OK);
    CHECK_EQ(cmd.opcode, CMD_OP_BOLUS);
    CHECK_EQ(cmd.seq, 7);
    CHECK_EQ(cmd.dose_cu, 450);
    CHECK_EQ(command_parse(&parser, cancel, sizeof cancel, &cmd), PARSE_OK);
    CHECK_EQ(cmd.opcode, CMD_OP_CANCEL);
    CHECK_EQ(cmd.seq, 8);
}

/* @verifies SRS-22, RISK-6 */
static void test_parser_rejects_corrupted_frame(void)
{
    command_parser_t parser;
    pump_command_t cmd = { 0u, 0u, 0u };
    uint8_t frame[CMD_MAX_FRAME_LEN];
    size_t len = bolus_frame(frame, 1u, 100u);
    size_t byte;
    unsigned bit;

    /* Every single-bit error anywhere in the frame must be rejected. */
    command_parser_init(&parser);
    for (byte = 0u; byte < len; byte++) {
        for (bit = 0u; bit < 8u; bit++) {
            frame[byte] = (uint8_t)(frame[byte] ^ (1u << bit));
            CHECK(command_parse(&parser, frame, len, &cmd) != PARSE_OK);
            frame[byte] = (uint8_t)(frame[byte] ^ (1u << bit));
        }
    }
    /* The rejected frames did not consume the sequence number. */
    CHECK_EQ(command_parse(&parser, frame, len, &cmd), PARSE_OK);
}

/* @verifies SRS-22 */
static void test_parser_rejects_bad_length_and_opcode(void)
{
    command_parser_t parser;
    pump_command_t cmd = { 0u, 0u, 0u };
    uint8_t frame[CMD_MAX_FRAME_LEN + 4u];
    const uint8_t one_byte[1] = { 0x10u };
    size_t len = bolus_frame(frame, 1u, 100u);

    command_parser_init(&parser);
    CHECK_EQ(command_parse(&parser, frame, len - 1u, &cmd), PARSE_ERR_LENGTH);
    CHECK_EQ(command_parse(&parser, NULL, len, &cmd), PARSE_ERR_LENGTH);
    len = build_frame(frame, 0x7Fu, 1u, NULL, 0u);
    CHECK_EQ(command_parse(&parser, frame, len, &cmd), PARSE_ERR_OPCODE);
    len = build_frame(frame, CMD_OP_BOLUS, 1u, one_byte, 1u);
    CHECK_EQ(command_parse(&parser, frame, len, &cmd), PARSE_ERR_PAYLOAD);
    len = build_frame(frame, CMD_OP_CANCEL, 1u, one_byte, 1u);
    CHECK_EQ(command_parse(&parser, frame, len, &cmd), PARSE_ERR_PAYLOAD);
}

/* A frame longer than the longest command is refused on its length alone,
 * even when its length field, CRC and sequence number are consistent, and it
 * does not consume the sequence number.
 * @verifies SRS-22, RISK-6 */
static void test_parser_rejects_oversize_frame(void)
{
    command_parser_t parser;
    pump_command_t cmd = { 0u, 0u, 0u };
    uint8_t frame[CMD_HEADER_LEN + 255u + CMD_CRC_LEN];
    uint8_t payload[255];
    size_t len;

    memset(payload, 0, sizeof payload);
    command_parser_init(&parser);
    len = build_frame(frame, CMD_OP_BOLUS, 1u, payload, 3u);
    CHECK_EQ(len, CMD_MAX_FRAME_LEN + 1u);
    CHECK_EQ(command_parse(&parser, frame, len, &cmd), PARSE_ERR_LENGTH);
    len = build_frame(frame, CMD_OP_CANCEL, 1u, payload, 255u);
    CHECK_EQ(command_parse(&parser, frame, len, &cmd), PARSE_ERR_LENGTH);
    CHECK_EQ(cmd.seq, 0);
    len = bolus_frame(frame, 1u, 100u);
    CHECK_EQ(command_parse(&parser, frame, len, &cmd), PARSE_OK);
}

/* @verifies SRS-22, RISK-6 */
static void test_parser_rejects_replayed_sequence(void)
{
    command_parser_t parser;
    pump_command_t cmd = { 0u, 0u, 0u };
    uint8_t frame[CMD_MAX_FRAME_LEN];
    size_t len;

    command_parser_init(&parser);
    len = bolus_frame(frame, 41u, 200u);
    CHECK_EQ(command_parse(&parser, frame, len, &cmd), PARSE_OK);
    CHECK_EQ(command_parse(&parser, frame, len, &cmd), PARSE_ERR_SEQUENCE);
    len = bolus_frame(frame, 40u, 200u);
    CHECK_EQ(command_parse(&parser, frame, len, &cmd), PARSE_ERR_SEQUENCE);
    len = bolus_frame(frame, 42u, 200u);
    CHECK_EQ(command_parse(&parser, frame, len, &cmd), PARSE_OK);
}

/* @verifies SRS-22 */
static void test_parser_sequence_wraps_around(void)
{
    command_parser_t parser;
    pump_command_t cmd = { 0u, 0u, 0u };
    uint8_t frame[CMD_MAX_FRAME_LEN];
    size_t len;

    command_parser_init(&parser);
    len = bolus_frame(frame, 0xFFFFu, 100u);
    CHECK_EQ(command_parse(&parser, frame, len, &cmd), PARSE_OK);
    len = build_frame(frame, CMD_OP_CANCEL, 0u, NULL, 0u);
    CHECK_EQ(command_parse(&parser, frame, len, &cmd), PARSE_OK);
    CHECK_EQ(cmd.opcode, CMD_OP_CANCEL);
    CHECK_EQ(cmd.dose_cu, 0);
}

static const test_case_t tests[] = {
    TEST_CASE(test_crc16_check_value),
    TEST_CASE(test_parser_accepts_valid_bolus),
    TEST_CASE(test_parser_accepts_app_golden_frames),
    TEST_CASE(test_parser_rejects_corrupted_frame),
    TEST_CASE(test_parser_rejects_bad_length_and_opcode),
    TEST_CASE(test_parser_rejects_oversize_frame),
    TEST_CASE(test_parser_rejects_replayed_sequence),
    TEST_CASE(test_parser_sequence_wraps_around),
};

HARNESS_MAIN(tests)
