#include "command_parser.h"

#include "crc16.h"

static uint16_t read_u16_le(const uint8_t *p)
{
    return (uint16_t)((uint16_t)p[0] | (uint16_t)((uint16_t)p[1] << 8));
}

void command_parser_init(command_parser_t *parser)
{
    parser->have_last = false;
    parser->last_seq = 0u;
}

/* A sequence number is fresh when it is "after" the last accepted one in
 * 16-bit serial-number arithmetic (RFC 1982): up to 32767 ahead. A replayed
 * frame (same number) or an old frame delivered late is refused, so one tap
 * on "confirm" can never deliver two boluses.
 * @implements SRS-22 */
static bool sequence_is_fresh(const command_parser_t *parser, uint16_t seq)
{
    uint16_t ahead;

    if (!parser->have_last) {
        return true; /* first command after pairing */
    }
    ahead = (uint16_t)(seq - parser->last_seq);
    return ahead >= 1u && ahead <= 0x7FFFu;
}

/* @implements SRS-22 */
parse_result_t command_parse(command_parser_t *parser, const uint8_t *frame,
                             size_t len, pump_command_t *out)
{
    size_t payload_len;
    uint16_t crc_rx;
    uint16_t seq;
    uint8_t opcode;

    if (frame == NULL || len < CMD_HEADER_LEN + CMD_CRC_LEN || len > CMD_MAX_FRAME_LEN) {
        return PARSE_ERR_LENGTH;
    }
    if (frame[0] != CMD_SOF) {
        return PARSE_ERR_SOF;
    }
    payload_len = frame[4];
    if (len != CMD_HEADER_LEN + payload_len + CMD_CRC_LEN) {
        return PARSE_ERR_LENGTH;
    }
    /* Check integrity before interpreting any field beyond the length. */
    crc_rx = read_u16_le(&frame[CMD_HEADER_LEN + payload_len]);
    if (crc16_ccitt(frame, CMD_HEADER_LEN + payload_len) != crc_rx) {
        return PARSE_ERR_CRC;
    }

    opcode = frame[1];
    if (opcode == CMD_OP_BOLUS) {
        if (payload_len != 2u) {
            return PARSE_ERR_PAYLOAD;
        }
    } else if (opcode == CMD_OP_CANCEL) {
        if (payload_len != 0u) {
            return PARSE_ERR_PAYLOAD;
        }
    } else {
        return PARSE_ERR_OPCODE;
    }

    seq = read_u16_le(&frame[2]);
    if (!sequence_is_fresh(parser, seq)) {
        return PARSE_ERR_SEQUENCE;
    }

    parser->have_last = true;
    parser->last_seq = seq;
    out->opcode = opcode;
    out->seq = seq;
    out->dose_cu = (opcode == CMD_OP_BOLUS) ? read_u16_le(&frame[CMD_HEADER_LEN]) : 0u;
    return PARSE_OK;
}
