/* Status frame the pump sends to the phone app (BLE GATT notification),
 * the answer to every command frame of command_parser.h and the report of
 * each change of the delivery (progress, end, occlusion).
 *
 * Frame layout (all multi-byte fields little-endian), decoded by
 * app/src/pumpStatus.ts:
 *
 *   offset  size  field
 *   0       1     start of frame, 0x5A (the command frames start with 0xA5)
 *   1       1     protocol version, STATUS_VERSION (1); a receiver refuses any other
 *   2       1     opcode 0x81 STATUS
 *   3       2     sequence number of the last command the pump accepted
 *                 (command_parse() returned PARSE_OK), 0 before the first one
 *   5       1     ack: what the pump did with the last command frame it
 *                 received (status_ack_t); STATUS_ACK_NONE in a report that
 *                 answers no command
 *   6       1     delivery state (status_state_t)
 *   7       2     sequence number of the BOLUS command that started the
 *                 current or last bolus, 0 before the first one
 *   9       2     dose commanded by that bolus, 0.01 U (0: no bolus yet)
 *   11      2     dose delivered so far by that bolus, 0.01 U (strokes made)
 *   13      2     CRC-16/CCITT-FALSE (crc16.h) over bytes 0 .. 12
 *
 * A frame that fails to parse is answered with STATUS_ACK_REJECTED and the
 * sequence number of the last command accepted before it, never the number
 * the rejected frame carries (it cannot be trusted): the app sees that its
 * command was not acknowledged. The amounts are tied to the bolus by its own
 * sequence number, so a report that follows a CANCEL (whose number is then
 * the acknowledged one) still says which bolus it counts.
 */
#ifndef STATUS_FRAME_H
#define STATUS_FRAME_H

#include <stddef.h>
#include <stdint.h>

#define STATUS_SOF 0x5Au
#define STATUS_VERSION 0x01u
#define STATUS_OP 0x81u
#define STATUS_FRAME_LEN 15u

typedef enum {
    STATUS_ACK_ACCEPTED = 0,     /* command accepted: bolus started, or cancel done */
    STATUS_ACK_BUSY = 1,         /* refused: a bolus is already being delivered */
    STATUS_ACK_LIMIT = 2,        /* refused by the pump's dose limits */
    STATUS_ACK_ALARM_ACTIVE = 3, /* refused: occlusion alarm not yet acknowledged */
    STATUS_ACK_REJECTED = 4,     /* frame rejected by the parser (CRC, length, sequence...) */
    STATUS_ACK_NONE = 5          /* report not caused by a command */
} status_ack_t;

typedef enum {
    STATUS_STATE_IDLE = 0,
    STATUS_STATE_DELIVERING = 1,
    STATUS_STATE_OCCLUDED = 2 /* occlusion alarm active */
} status_state_t;

typedef struct {
    uint16_t ack_seq;
    status_ack_t ack;
    status_state_t state;
    uint16_t bolus_seq;
    uint16_t commanded_cu;
    uint16_t delivered_cu;
} pump_status_t;

/* Writes the frame of *status into out[0 .. STATUS_FRAME_LEN - 1] and returns
 * STATUS_FRAME_LEN; returns 0 and writes nothing when cap is too small or an
 * enum field holds a value outside its type (a corrupted status is never sent). */
size_t status_encode(const pump_status_t *status, uint8_t *out, size_t cap);

#endif /* STATUS_FRAME_H */
