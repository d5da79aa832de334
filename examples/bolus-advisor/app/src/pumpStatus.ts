/**
 * Decoding of the status frames the pump sends back over BLE (unit pump-link).
 *
 * The frame layout is specified in firmware/src/status_frame.h:
 * [0x5A][version 1][0x81][ack seq lo][ack seq hi][ack][state][bolus seq lo][bolus seq hi]
 * [commanded lo][commanded hi][delivered lo][delivered hi][CRC lo][CRC hi],
 * CRC-16/CCITT-FALSE over everything before it. Nothing in a frame is used
 * unless every check passes: a frame that is short, of another protocol
 * version, corrupted or inconsistent is reported as unreadable, never guessed.
 */

import { crc16Ccitt } from './pumpCommand';

export const STATUS_SOF = 0x5a;
export const STATUS_VERSION = 0x01;
export const OP_STATUS = 0x81;
export const STATUS_FRAME_LEN = 15;

/** What the pump did with the last command frame it received (status_ack_t). */
export const ACKS = ['accepted', 'busy', 'limit', 'alarm-active', 'rejected', 'none'] as const;
export type StatusAck = (typeof ACKS)[number];

/** The pump's delivery state (status_state_t). */
export const STATES = ['idle', 'delivering', 'occluded'] as const;
export type PumpState = (typeof STATES)[number];

export interface PumpStatus {
  /** Sequence number of the last command the pump accepted. */
  ackSeq: number;
  ack: StatusAck;
  state: PumpState;
  /** Sequence number of the BOLUS command that started the current or last bolus. */
  bolusSeq: number;
  /** Dose of that bolus, centi-units (0.01 U); 0 before the first bolus. */
  commandedCu: number;
  /** Delivered so far by that bolus, centi-units. */
  deliveredCu: number;
}

export type StatusDecode = { ok: true; status: PumpStatus } | { ok: false; error: string };

const u16 = (frame: Uint8Array, offset: number): number =>
  (frame[offset] ?? 0) | ((frame[offset + 1] ?? 0) << 8);

/**
 * Checks and decodes one status frame.
 * @implements SRS-28
 */
export function decodeStatus(frame: Uint8Array): StatusDecode {
  const bad = (why: string): StatusDecode => ({ ok: false, error: why });
  if (frame.length < 2) return bad('short frame');
  if (frame[0] !== STATUS_SOF) return bad('not a status frame');
  if (frame[1] !== STATUS_VERSION) return bad(`unknown protocol version ${frame[1]}`);
  if (frame.length < STATUS_FRAME_LEN) return bad('short frame');
  if (frame.length > STATUS_FRAME_LEN) return bad('frame too long');
  if (crc16Ccitt(frame.subarray(0, STATUS_FRAME_LEN - 2)) !== u16(frame, STATUS_FRAME_LEN - 2)) {
    return bad('CRC mismatch');
  }
  if (frame[2] !== OP_STATUS) return bad('unknown opcode');
  const ack = ACKS[frame[5] ?? ACKS.length];
  const state = STATES[frame[6] ?? STATES.length];
  if (ack === undefined || state === undefined) return bad('unknown field value');
  const commandedCu = u16(frame, 9);
  const deliveredCu = u16(frame, 11);
  if (deliveredCu > commandedCu) return bad('delivered more than commanded');
  const bolusSeq = u16(frame, 7);
  return { ok: true, status: { ackSeq: u16(frame, 3), ack, state, bolusSeq, commandedCu, deliveredCu } };
}
