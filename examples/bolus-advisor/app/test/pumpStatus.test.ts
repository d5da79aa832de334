import { crc16Ccitt } from '../src/pumpCommand';
import { decodeStatus, STATUS_FRAME_LEN } from '../src/pumpStatus';

// The same frame is encoded by firmware/tests/test_status_frame.c
// (test_status_encodes_golden_frame): command 7 accepted, delivering the
// bolus of command 7, 4.50 U commanded, 1.25 U delivered.
const GOLDEN_DELIVERING = [
  0x5a, 0x01, 0x81, 0x07, 0x00, 0x00, 0x01, 0x07, 0x00, 0xc2, 0x01, 0x7d, 0x00, 0x41, 0xcc,
];

/** A status frame with a correct CRC over the 13 given bytes. */
function withCrc(body: number[]): Uint8Array {
  const frame = new Uint8Array(body.length + 2);
  frame.set(body);
  const crc = crc16Ccitt(frame.subarray(0, body.length));
  frame[body.length] = crc & 0xff;
  frame[body.length + 1] = crc >> 8;
  return frame;
}

describe('pump status frames', () => {
  // @level integration (the firmware encodes the same frame)
  // @verifies SRS-28, SRS-27
  test('decodes the frame the pump encodes', () => {
    expect(decodeStatus(Uint8Array.from(GOLDEN_DELIVERING))).toEqual({
      ok: true,
      status: { ackSeq: 7, ack: 'accepted', state: 'delivering', bolusSeq: 7, commandedCu: 450, deliveredCu: 125 },
    });
  });

  // @verifies SRS-28, RISK-6
  test('rejects a frame with any single bit flipped', () => {
    for (let byte = 0; byte < STATUS_FRAME_LEN; byte++) {
      for (let bit = 0; bit < 8; bit++) {
        const frame = Uint8Array.from(GOLDEN_DELIVERING);
        frame[byte] = (frame[byte] ?? 0) ^ (1 << bit);
        expect(decodeStatus(frame).ok).toBe(false);
      }
    }
  });

  // @verifies SRS-28
  test('rejects a bad CRC, an unknown version and short or long frames', () => {
    const corrupted = Uint8Array.from(GOLDEN_DELIVERING);
    corrupted[14] = (corrupted[14] ?? 0) ^ 0x01;
    expect(decodeStatus(corrupted)).toEqual({ ok: false, error: 'CRC mismatch' });
    const version2 = withCrc([0x5a, 0x02, ...GOLDEN_DELIVERING.slice(2, 13)]);
    expect(decodeStatus(version2)).toEqual({ ok: false, error: 'unknown protocol version 2' });
    expect(decodeStatus(Uint8Array.from(GOLDEN_DELIVERING.slice(0, 14)))).toEqual({
      ok: false,
      error: 'short frame',
    });
    expect(decodeStatus(new Uint8Array([0x5a]))).toEqual({ ok: false, error: 'short frame' });
    expect(decodeStatus(new Uint8Array(0))).toEqual({ ok: false, error: 'short frame' });
    expect(decodeStatus(Uint8Array.from([...GOLDEN_DELIVERING, 0]))).toEqual({
      ok: false,
      error: 'frame too long',
    });
    // A command frame (0xA5) echoed back is not a status.
    expect(decodeStatus(Uint8Array.from([0xa5, ...GOLDEN_DELIVERING.slice(1)]))).toEqual({
      ok: false,
      error: 'not a status frame',
    });
  });

  // @verifies SRS-28
  test('rejects unknown codes and impossible amounts even with a correct CRC', () => {
    const frame = (op: number, ack: number, state: number, commanded: number, delivered: number) =>
      withCrc([0x5a, 0x01, op, 0x07, 0x00, ack, state, 0x07, 0x00, commanded & 0xff, commanded >> 8, delivered & 0xff, delivered >> 8]);
    expect(decodeStatus(frame(0x82, 0, 0, 450, 450))).toEqual({ ok: false, error: 'unknown opcode' });
    expect(decodeStatus(frame(0x81, 6, 0, 450, 450))).toEqual({ ok: false, error: 'unknown field value' });
    expect(decodeStatus(frame(0x81, 0, 3, 450, 450))).toEqual({ ok: false, error: 'unknown field value' });
    expect(decodeStatus(frame(0x81, 0, 0, 450, 455))).toEqual({
      ok: false,
      error: 'delivered more than commanded',
    });
    expect(decodeStatus(frame(0x81, 5, 2, 450, 35)).ok).toBe(true);
  });
});
