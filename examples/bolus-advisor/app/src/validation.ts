/**
 * Validation of what the user types on the bolus screen (unit entry-validation).
 *
 * Entries are parsed from the text field, never from a locale-dependent
 * number parser, so "1e2", "0x10" or "-5" cannot slip through.
 */

import { GlucoseUnit, formatGlucose, toMgdl } from './units';

export type Result<T> = { ok: true; value: T } | { ok: false; error: string };

export const CARBS_MAX_G = 300;
export const GLUCOSE_MIN_MGDL = 20;
export const GLUCOSE_MAX_MGDL = 600;
/** Above this, a carb entry is accepted only after the user re-confirms it (150 g vs 15 g). */
export const CARBS_RECONFIRM_G = 120;

const WHOLE_NUMBER = /^\d{1,3}$/;
const DECIMAL_NUMBER = /^\d{1,3}([.,]\d{1,2})?$/;

function inRange(mgdl: number): boolean {
  return mgdl >= GLUCOSE_MIN_MGDL && mgdl <= GLUCOSE_MAX_MGDL;
}

/**
 * Carbohydrates in whole grams, 0 to 300. Large entries need a second look:
 * a slipped digit turns 15 g into 150 g and ten times the meal bolus.
 * @implements SRS-16
 */
export function parseCarbs(text: string): Result<{ grams: number; needsReconfirm: boolean }> {
  const trimmed = text.trim();
  if (!WHOLE_NUMBER.test(trimmed)) {
    return { ok: false, error: 'Enter carbohydrates as a whole number of grams.' };
  }
  const grams = Number(trimmed);
  if (grams > CARBS_MAX_G) {
    return { ok: false, error: `Carbohydrates must be at most ${CARBS_MAX_G} g.` };
  }
  return { ok: true, value: { grams, needsReconfirm: grams > CARBS_RECONFIRM_G } };
}

/**
 * A glucose value typed in `unit`, returned in mg/dL. A value that is only
 * plausible in the other unit is refused with a message naming that unit,
 * instead of being silently accepted or silently converted (RISK-2).
 * @implements SRS-16
 */
export function parseGlucose(text: string, unit: GlucoseUnit): Result<number> {
  const trimmed = text.trim();
  if (!DECIMAL_NUMBER.test(trimmed)) {
    return { ok: false, error: `Enter glucose as a number in ${unit}.` };
  }
  const value = Number(trimmed.replace(',', '.'));
  const mgdl = toMgdl(value, unit);
  // Values from 20 to 33.3 are plausible in both units and are taken in the
  // unit shown. In mg/dL, a mistaken mmol/L value then reads as a severe low:
  // alarm and no bolus. In mmol/L, a mistaken mg/dL value would read as a
  // severe high; the confirmation screen shows the unit and the maximum bolus
  // bounds the dose (residual part of RISK-2).
  const plausibleAsMmol = inRange(toMgdl(value, 'mmol/L'));
  if (unit === 'mg/dL' && (!Number.isInteger(value) || mgdl < GLUCOSE_MIN_MGDL) && plausibleAsMmol) {
    return { ok: false, error: `${trimmed} looks like mmol/L, but the unit is mg/dL. Check the unit.` };
  }
  const plausibleAsMgdl = inRange(value);
  if (unit === 'mmol/L' && mgdl > GLUCOSE_MAX_MGDL && plausibleAsMgdl) {
    return { ok: false, error: `${trimmed} looks like mg/dL, but the unit is mmol/L. Check the unit.` };
  }
  if (!inRange(mgdl)) {
    const low = formatGlucose(GLUCOSE_MIN_MGDL, unit);
    const high = formatGlucose(GLUCOSE_MAX_MGDL, unit);
    return { ok: false, error: `Glucose must be between ${low} and ${high}.` };
  }
  return { ok: true, value: mgdl };
}
