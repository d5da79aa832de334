import { parseCarbs, parseGlucose } from '../src/validation';

describe('entry validation', () => {
  // @verifies SRS-16, RISK-8
  test('accepts carbohydrates from 0 to 300 g in whole grams', () => {
    expect(parseCarbs(' 45 ')).toEqual({ ok: true, value: { grams: 45, needsReconfirm: false } });
    expect(parseCarbs('0')).toMatchObject({ ok: true });
    expect(parseCarbs('300')).toMatchObject({ ok: true });
    for (const bad of ['301', '-5', '4.5', '1e2', '0x10', '', 'abc']) {
      expect(parseCarbs(bad)).toMatchObject({ ok: false });
    }
  });

  // @verifies SRS-16, RISK-8
  test('asks to re-confirm large carbohydrate entries', () => {
    expect(parseCarbs('150')).toEqual({ ok: true, value: { grams: 150, needsReconfirm: true } });
    expect(parseCarbs('120')).toEqual({ ok: true, value: { grams: 120, needsReconfirm: false } });
  });

  // @verifies SRS-16
  test('parses glucose in either unit and returns mg/dL', () => {
    expect(parseGlucose('120', 'mg/dL')).toEqual({ ok: true, value: 120 });
    const mmol = parseGlucose('6,5', 'mmol/L');
    expect(mmol.ok && mmol.value).toBeCloseTo(117.104, 6);
    expect(parseGlucose('700', 'mg/dL')).toEqual({
      ok: false,
      error: 'Glucose must be between 20 mg/dL and 600 mg/dL.',
    });
    expect(parseGlucose('0.5', 'mmol/L')).toEqual({
      ok: false,
      error: 'Glucose must be between 1.1 mmol/L and 33.3 mmol/L.',
    });
  });

  // @verifies SRS-16, RISK-2
  test('refuses a value typed in the wrong unit', () => {
    expect(parseGlucose('5.5', 'mg/dL')).toEqual({
      ok: false,
      error: '5.5 looks like mmol/L, but the unit is mg/dL. Check the unit.',
    });
    expect(parseGlucose('12', 'mg/dL')).toMatchObject({ ok: false });
    expect(parseGlucose('180', 'mmol/L')).toEqual({
      ok: false,
      error: '180 looks like mg/dL, but the unit is mmol/L. Check the unit.',
    });
  });
});
