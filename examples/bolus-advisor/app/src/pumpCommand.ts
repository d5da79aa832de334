/**
 * Encoding of the commands sent to the pump over BLE (unit pump-link).
 *
 * The frame layout is specified in firmware/src/command_parser.h:
 * [0xA5][opcode][seq lo][seq hi][length N][payload, N bytes][CRC lo][CRC hi],
 * CRC-16/CCITT-FALSE over everything before it; the BOLUS payload is the dose
 * in centi-units, uint16 little-endian.
 */

export const SOF = 0xa5;
export const OP_BOLUS = 0x01;
export const OP_CANCEL = 0x02;
export const MAX_DOSE_CU = 2500; // the pump's own ceiling (25 U)

/**
 * CRC-16/CCITT-FALSE: polynomial 0x1021, initial value 0xFFFF, no reflection.
 * @implements SRS-21
 */
export function crc16Ccitt(bytes: Uint8Array): number {
  let crc = 0xffff;
  for (const byte of bytes) {
    crc ^= byte << 8;
    for (let bit = 0; bit < 8; bit++) {
      crc = crc & 0x8000 ? ((crc << 1) ^ 0x1021) & 0xffff : (crc << 1) & 0xffff;
    }
  }
  return crc;
}

/** @implements SRS-21 */
function frame(opcode: number, seq: number, payload: number[]): Uint8Array {
  if (!Number.isInteger(seq) || seq < 0 || seq > 0xffff) {
    throw new RangeError(`sequence number out of range: ${seq}`);
  }
  const bytes = new Uint8Array(5 + payload.length + 2);
  bytes.set([SOF, opcode, seq & 0xff, seq >> 8, payload.length, ...payload]);
  const crc = crc16Ccitt(bytes.subarray(0, 5 + payload.length));
  bytes[5 + payload.length] = crc & 0xff;
  bytes[6 + payload.length] = crc >> 8;
  return bytes;
}

/**
 * The BOLUS command for a confirmed dose.
 * @implements SRS-21
 */
export function encodeBolus(seq: number, doseCu: number): Uint8Array {
  if (!Number.isInteger(doseCu) || doseCu <= 0 || doseCu > MAX_DOSE_CU) {
    throw new RangeError(`dose out of range: ${doseCu} cU`);
  }
  return frame(OP_BOLUS, seq, [doseCu & 0xff, doseCu >> 8]);
}

/** @implements SRS-21 */
export function encodeCancel(seq: number): Uint8Array {
  return frame(OP_CANCEL, seq, []);
}

/**
 * Sequence numbers for the pump link: one per command, wrapping at 65536.
 * The pump refuses a number it has already seen, so a frame that BLE delivers
 * twice can never deliver a bolus twice.
 * @implements SRS-21
 */
export class SequenceCounter {
  private last: number;

  constructor(lastAcknowledged: number) {
    this.last = lastAcknowledged & 0xffff;
  }

  next(): number {
    this.last = (this.last + 1) & 0xffff;
    return this.last;
  }
}
