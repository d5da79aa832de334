/**
 * Glucose units (unit glucose-units).
 *
 * Internally the app keeps glucose in mg/dL. The user's preferred unit is only
 * used at the edges: when a value is entered and when it is displayed.
 */

export type GlucoseUnit = 'mg/dL' | 'mmol/L';

/** mg/dL per mmol/L of glucose (molar mass 180.16 g/mol); the cloud service uses the same factor. */
export const MGDL_PER_MMOLL = 18.016;

/**
 * Converts a glucose value entered or received in `unit` to mg/dL.
 * @implements SRS-14
 */
export function toMgdl(value: number, unit: GlucoseUnit): number {
  return unit === 'mmol/L' ? value * MGDL_PER_MMOLL : value;
}

/**
 * Converts a glucose value in mg/dL to `unit`.
 * @implements SRS-14
 */
export function fromMgdl(mgdl: number, unit: GlucoseUnit): number {
  return unit === 'mmol/L' ? mgdl / MGDL_PER_MMOLL : mgdl;
}

/**
 * Glucose as shown to the user: always with its unit, whole numbers in mg/dL
 * and one decimal in mmol/L (the conventions of each unit, so that "5.5" can
 * never be read as mg/dL nor "100" as mmol/L).
 * @implements SRS-15
 */
export function formatGlucose(mgdl: number, unit: GlucoseUnit): string {
  const value = fromMgdl(mgdl, unit);
  return unit === 'mmol/L' ? `${value.toFixed(1)} mmol/L` : `${Math.round(value)} mg/dL`;
}

/**
 * An insulin dose as shown to the user: two decimals and the unit "U", with a
 * leading zero (".5 U" is a classic source of tenfold errors).
 * @implements SRS-15
 */
export function formatDose(units: number): string {
  return `${units.toFixed(2)} U`;
}
