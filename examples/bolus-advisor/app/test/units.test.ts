import { formatDose, formatGlucose, fromMgdl, MGDL_PER_MMOLL, toMgdl } from '../src/units';

describe('glucose units', () => {
  // @verifies SRS-14, RISK-2
  test('converts between mmol/L and mg/dL with the factor the cloud uses', () => {
    expect(MGDL_PER_MMOLL).toBe(18.016);
    expect(toMgdl(10, 'mmol/L')).toBeCloseTo(180.16, 6);
    expect(toMgdl(180, 'mg/dL')).toBe(180);
    expect(fromMgdl(90.08, 'mmol/L')).toBeCloseTo(5.0, 6);
    expect(fromMgdl(toMgdl(7.3, 'mmol/L'), 'mmol/L')).toBeCloseTo(7.3, 9);
  });

  // @verifies SRS-15, RISK-2
  test('always shows glucose with its unit and the usual precision', () => {
    expect(formatGlucose(99.08, 'mmol/L')).toBe('5.5 mmol/L');
    expect(formatGlucose(99.08, 'mg/dL')).toBe('99 mg/dL');
    expect(formatGlucose(180.16, 'mmol/L')).toBe('10.0 mmol/L');
  });

  // @verifies SRS-15
  test('shows doses with a leading zero, two decimals and U', () => {
    expect(formatDose(0.5)).toBe('0.50 U');
    expect(formatDose(12)).toBe('12.00 U');
  });
});
