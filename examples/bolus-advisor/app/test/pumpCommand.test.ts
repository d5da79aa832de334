import { crc16Ccitt, encodeBolus, encodeCancel, SequenceCounter } from '../src/pumpCommand';

// The same frames are parsed by firmware/tests/test_command_parser.c
// (test_parser_accepts_app_golden_frames): the two ends agree byte for byte.
const GOLDEN_BOLUS = [0xa5, 0x01, 0x07, 0x00, 0x02, 0xc2, 0x01, 0x65, 0x61];
const GOLDEN_CANCEL = [0xa5, 0x02, 0x08, 0x00, 0x00, 0xf6, 0x5c];

describe('pump command frames', () => {
  // @verifies SRS-21
  test('CRC-16/CCITT-FALSE check value', () => {
    expect(crc16Ccitt(Uint8Array.from('123456789', (c) => c.charCodeAt(0)))).toBe(0x29b1);
  });

  // @level integration (the firmware parses the same frames)
  // @verifies SRS-21, RISK-6
  test('encodes bolus and cancel frames as the pump expects', () => {
    expect(Array.from(encodeBolus(7, 450))).toEqual(GOLDEN_BOLUS);
    expect(Array.from(encodeCancel(8))).toEqual(GOLDEN_CANCEL);
  });

  // @verifies SRS-21
  test('refuses to encode impossible doses and sequence numbers', () => {
    expect(() => encodeBolus(1, 0)).toThrow(RangeError);
    expect(() => encodeBolus(1, 2505)).toThrow(RangeError);
    expect(() => encodeBolus(1, 4.5)).toThrow(RangeError);
    expect(() => encodeBolus(0x10000, 450)).toThrow(RangeError);
  });

  // @verifies SRS-21, RISK-6
  test('numbers every command once, wrapping at 65536', () => {
    const counter = new SequenceCounter(0xfffe);
    expect([counter.next(), counter.next(), counter.next()]).toEqual([0xffff, 0, 1]);
  });
});
