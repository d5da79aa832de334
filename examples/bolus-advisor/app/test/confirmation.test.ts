import { acceptAdvice, Advice, confirmBolus, presentAdvice } from '../src/confirmation';

const NOW = Date.UTC(2026, 10, 2, 12, 0, 0);
const MAX_BOLUS_U = 10;

const response = (changes: Record<string, unknown> = {}): Record<string, unknown> => ({
  request_id: 'req-1',
  status: 'recommended',
  bolus_u: 4.5,
  meal_u: 4.5,
  correction_u: 0.2,
  iob_u: 0.2,
  limited: false,
  reason: null,
  glucose_mgdl: 131.5,
  ...changes,
});

const advice = (bolusU = 4.5): Advice => ({
  requestId: 'req-1',
  status: 'recommended',
  bolusU,
  limited: false,
  reason: null,
  glucoseMgdl: 131.5,
});

describe('advice review', () => {
  // @verifies SRS-19
  test('accepts a well-formed recommendation', () => {
    expect(acceptAdvice(response(), MAX_BOLUS_U)).toEqual({ ok: true, value: advice() });
  });

  // @verifies SRS-19, RISK-1
  test('refuses advice above the maximum bolus stored on the phone', () => {
    expect(acceptAdvice(response({ bolus_u: 10.05 }), MAX_BOLUS_U)).toEqual({
      ok: false,
      error: 'Advice unavailable (dose above your maximum bolus).',
    });
  });

  // @verifies SRS-19
  test('refuses malformed advice instead of guessing a dose', () => {
    for (const bad of [
      null,
      'text',
      response({ bolus_u: '4.5' }),
      response({ bolus_u: -1 }),
      response({ bolus_u: 4.53 }),
      response({ bolus_u: Infinity }),
      response({ status: 'maybe' }),
      response({ status: 'refused', bolus_u: 2 }),
      response({ request_id: undefined }),
      response({ limited: 'no' }),
    ]) {
      expect(acceptAdvice(bad, MAX_BOLUS_U).ok).toBe(false);
    }
  });
});

describe('bolus confirmation', () => {
  // @verifies SRS-20, RISK-8
  test('the command carries exactly the confirmed dose', () => {
    const pending = presentAdvice(advice(4.5), NOW);
    expect(pending).not.toBeNull();
    expect(confirmBolus(pending!, 4.5, NOW + 5000, MAX_BOLUS_U)).toEqual({
      ok: true,
      value: { requestId: 'req-1', doseCu: 450 },
    });
    // The user may change the dose before confirming; the command carries the new one.
    expect(confirmBolus(pending!, 3.95, NOW + 5000, MAX_BOLUS_U)).toMatchObject({
      ok: true,
      value: { doseCu: 395 },
    });
  });

  // @verifies SRS-20
  test('a refusal has nothing to confirm', () => {
    expect(presentAdvice({ ...advice(0), status: 'refused', reason: 'low' }, NOW)).toBeNull();
  });

  // @verifies SRS-20, RISK-8
  test('expired, undeliverable or excessive doses are not confirmed', () => {
    const pending = presentAdvice(advice(), NOW)!;
    expect(confirmBolus(pending, 4.5, NOW + 60_001, MAX_BOLUS_U)).toMatchObject({ ok: false });
    expect(confirmBolus(pending, 4.5, NOW - 1, MAX_BOLUS_U)).toMatchObject({ ok: false });
    expect(confirmBolus(pending, 4.52, NOW, MAX_BOLUS_U)).toMatchObject({ ok: false });
    expect(confirmBolus(pending, 0, NOW, MAX_BOLUS_U)).toMatchObject({ ok: false });
    expect(confirmBolus(pending, 12, NOW, MAX_BOLUS_U)).toEqual({
      ok: false,
      error: 'The dose is above your maximum bolus of 10.00 U.',
    });
  });
});
