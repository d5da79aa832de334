/* Parser for the BLE command frames written by the phone app.
 *
 * Frame layout (all multi-byte fields little-endian), shared with
 * app/src/pumpCommand.ts:
 *
 *   offset  size  field
 *   0       1     start of frame, 0xA5
 *   1       1     opcode: 0x01 BOLUS, 0x02 CANCEL
 *   2       2     sequence number (uint16, increases by one per command)
 *   4       1     payload length N
 *   5       N     payload: BOLUS = dose in 0.01 U (uint16, N = 2); CANCEL: N = 0
 *   5+N     2     CRC-16/CCITT-FALSE over bytes 0 .. 4+N
 *
 * The BLE stack (SOUP-1) already has a link-layer CRC; this end-to-end CRC
 * also covers the GATT buffers, the stack and the driver on both sides
 * (RISK-6).
 */
#ifndef COMMAND_PARSER_H
#define COMMAND_PARSER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define CMD_SOF 0xA5u
#define CMD_OP_BOLUS 0x01u
#define CMD_OP_CANCEL 0x02u
#define CMD_HEADER_LEN 5u
#define CMD_CRC_LEN 2u
#define CMD_MAX_FRAME_LEN (CMD_HEADER_LEN + 2u + CMD_CRC_LEN)

typedef enum {
    PARSE_OK = 0,
    PARSE_ERR_LENGTH,   /* frame length does not match its length field */
    PARSE_ERR_SOF,      /* first byte is not the start-of-frame marker */
    PARSE_ERR_CRC,      /* frame corrupted */
    PARSE_ERR_OPCODE,   /* unknown command */
    PARSE_ERR_PAYLOAD,  /* payload length wrong for the opcode */
    PARSE_ERR_SEQUENCE  /* replayed, duplicated or out-of-order command */
} parse_result_t;

typedef struct {
    uint8_t opcode;
    uint16_t seq;
    uint16_t dose_cu; /* centi-units (0.01 U); 0 for CANCEL */
} pump_command_t;

typedef struct {
    bool have_last;
    uint16_t last_seq;
} command_parser_t;

void command_parser_init(command_parser_t *parser);

/* Validates one complete frame. On PARSE_OK fills *out and consumes the
 * sequence number; on any error *out is left untouched and the parser state
 * does not change, so a corrupted frame cannot advance the sequence. */
parse_result_t command_parse(command_parser_t *parser, const uint8_t *frame,
                             size_t len, pump_command_t *out);

#endif /* COMMAND_PARSER_H */
