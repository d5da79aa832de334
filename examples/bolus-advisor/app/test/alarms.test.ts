import { assessGlucose, hypoAlarm, isStale } from '../src/alarms';

const NOW = Date.UTC(2026, 10, 2, 12, 0, 0);
const MIN = 60 * 1000;

describe('hypoglycaemia alarms', () => {
  // @verifies SRS-17, RISK-3
  test('raises low and urgent-low alarms at 70 and 54 mg/dL', () => {
    expect(hypoAlarm(70)).toBe('none');
    expect(hypoAlarm(69)).toBe('low');
    expect(hypoAlarm(54)).toBe('low');
    expect(hypoAlarm(53)).toBe('urgent-low');
  });

  // @verifies SRS-17, RISK-3
  test('disables bolus entry while glucose is low', () => {
    const status = assessGlucose({ mgdl: 62, timestamp: NOW - 2 * MIN }, NOW);
    expect(status.alarm).toBe('low');
    expect(status.bolusEntryAllowed).toBe(false);
    expect(status.usableForAdvice).toBe(false);
    expect(status.message).toContain('No bolus');
    expect(assessGlucose({ mgdl: 140, timestamp: NOW - 2 * MIN }, NOW)).toMatchObject({
      alarm: 'none',
      bolusEntryAllowed: true,
      usableForAdvice: true,
    });
  });

  // @verifies SRS-17, RISK-3
  test('tells the user to take fast-acting carbohydrate, urgently below 54 mg/dL', () => {
    const urgent = assessGlucose({ mgdl: 50, timestamp: NOW - 1 * MIN }, NOW);
    expect(urgent).toEqual({
      alarm: 'urgent-low',
      stale: false,
      usableForAdvice: false,
      bolusEntryAllowed: false,
      message: 'URGENT LOW glucose. Take fast-acting carbohydrate now. No bolus.',
    });
    const low = assessGlucose({ mgdl: 60, timestamp: NOW - 1 * MIN }, NOW);
    expect(low.message).toBe('Low glucose. Take fast-acting carbohydrate. No bolus.');
    expect(low.bolusEntryAllowed).toBe(false);
  });
});

describe('stale glucose data', () => {
  // @verifies SRS-18, RISK-5
  test('a reading older than 15 minutes is stale', () => {
    expect(isStale({ mgdl: 140, timestamp: NOW - 15 * MIN }, NOW)).toBe(false);
    expect(isStale({ mgdl: 140, timestamp: NOW - 15 * MIN - 1 }, NOW)).toBe(true);
  });

  // @verifies SRS-18, RISK-5
  test('a reading dated in the future is stale', () => {
    expect(isStale({ mgdl: 140, timestamp: NOW + 4 * MIN }, NOW)).toBe(false);
    expect(isStale({ mgdl: 140, timestamp: NOW + 6 * MIN }, NOW)).toBe(true);
  });

  // @verifies SRS-18
  test('without a recent reading the user must enter a meter value', () => {
    for (const reading of [null, { mgdl: 140, timestamp: NOW - 40 * MIN }, { mgdl: NaN, timestamp: NOW }]) {
      const status = assessGlucose(reading, NOW);
      expect(status.stale).toBe(true);
      expect(status.usableForAdvice).toBe(false);
      expect(status.message).toContain('meter');
    }
  });
});
