import { reportDelivery, SentBolus } from '../src/confirmation';
import { crc16Ccitt } from '../src/pumpCommand';

const SENT: SentBolus = { seq: 7, doseCu: 450 };
const ACK = { accepted: 0, busy: 1, limit: 2, 'alarm-active': 3, rejected: 4, none: 5 };
const STATE = { idle: 0, delivering: 1, occluded: 2 };

/** The status frame the pump sends (firmware/src/status_frame.h). */
function status(
  ackSeq: number,
  ack: keyof typeof ACK,
  state: keyof typeof STATE,
  commandedCu: number,
  deliveredCu: number,
  bolusSeq = ackSeq,
): Uint8Array {
  const u16 = (value: number): number[] => [value & 0xff, value >> 8];
  const frame = new Uint8Array(15);
  frame.set([0x5a, 0x01, 0x81, ...u16(ackSeq), ACK[ack], STATE[state], ...u16(bolusSeq)]);
  frame.set([...u16(commandedCu), ...u16(deliveredCu)], 9);
  const crc = crc16Ccitt(frame.subarray(0, 13));
  frame.set(u16(crc), 13);
  return frame;
}

describe('delivery report from the pump status', () => {
  // @verifies SRS-29, SRS-24
  test('shows the dose the pump delivered', () => {
    expect(reportDelivery(SENT, status(7, 'none', 'idle', 450, 450))).toEqual({
      outcome: 'delivered',
      deliveredU: 4.5,
      alarm: null,
      message: 'Bolus delivered: 4.50 U.',
    });
    expect(reportDelivery(SENT, status(7, 'accepted', 'delivering', 450, 125))).toMatchObject({
      outcome: 'delivering',
      deliveredU: 1.25,
      message: 'Delivering: 1.25 U of 4.50 U.',
    });
  });

  // @verifies SRS-29, SRS-24
  test('a stopped bolus shows what was delivered before the stop', () => {
    // The answer to the CANCEL (number 8) still names the bolus (number 7).
    expect(reportDelivery(SENT, status(8, 'accepted', 'idle', 450, 200, 7))).toEqual({
      outcome: 'stopped',
      deliveredU: 2,
      alarm: null,
      message: 'Bolus stopped: 2.00 U of 4.50 U delivered.',
    });
  });

  // @verifies SRS-29, SRS-25, RISK-7
  test('an occlusion raises the occlusion alarm with the amount delivered', () => {
    const report = reportDelivery(SENT, status(7, 'none', 'occluded', 450, 35));
    expect(report).toEqual({
      outcome: 'occlusion',
      deliveredU: 0.35,
      alarm: 'occlusion',
      message: 'Occlusion: the pump stopped after 0.35 U of 4.50 U. Check the infusion set; do not repeat the bolus.',
    });
  });

  // @verifies SRS-29
  test('a refusal by the pump delivers nothing and says why', () => {
    expect(reportDelivery(SENT, status(7, 'limit', 'idle', 200, 200))).toMatchObject({
      outcome: 'refused',
      deliveredU: 0,
      alarm: null,
    });
    expect(reportDelivery(SENT, status(7, 'busy', 'delivering', 200, 100)).outcome).toBe('refused');
    expect(reportDelivery(SENT, status(7, 'alarm-active', 'occluded', 200, 35))).toMatchObject({
      outcome: 'refused',
      alarm: 'occlusion',
    });
  });

  // @verifies SRS-29, RISK-6
  test('a frame the pump rejected is reported as not accepted', () => {
    // The pump answers a corrupted frame with the last sequence number it accepted (6).
    expect(reportDelivery(SENT, status(6, 'rejected', 'idle', 300, 300))).toEqual({
      outcome: 'not-accepted',
      deliveredU: 0,
      alarm: null,
      message: 'The pump did not accept the command. Nothing was delivered.',
    });
    // A pump that never started a bolus reports number 0 and 0 cU, even for a command numbered 0.
    expect(reportDelivery({ seq: 0, doseCu: 450 }, status(0, 'rejected', 'idle', 0, 0))).toEqual({
      outcome: 'not-accepted',
      deliveredU: 0,
      alarm: null,
      message: 'The pump did not accept the command. Nothing was delivered.',
    });
  });

  // @verifies SRS-29, RISK-6
  test('an unreadable answer leaves the delivered amount unknown', () => {
    const corrupted = status(7, 'none', 'idle', 450, 450);
    corrupted[11] = (corrupted[11] ?? 0) ^ 0x04;
    const report = reportDelivery(SENT, corrupted);
    expect(report.outcome).toBe('unknown');
    expect(report.deliveredU).toBeNull();
    expect(report.alarm).toBe('pump-fault');
    expect(report.message).toContain('CRC mismatch');
  });

  // @verifies SRS-29, RISK-6
  test('a bolus other than the confirmed one raises a pump fault', () => {
    expect(reportDelivery(SENT, status(7, 'accepted', 'delivering', 4500, 5))).toMatchObject({
      outcome: 'dose-mismatch',
      alarm: 'pump-fault',
    });
  });
});
