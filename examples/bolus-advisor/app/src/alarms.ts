/**
 * Hypoglycaemia alarms and stale-data warnings (unit glucose-alarms).
 *
 * Evaluated every time a CGM reading arrives and at least once a minute by the
 * screen timer, so a reading also becomes stale while the app sits open.
 */

export interface GlucoseReading {
  mgdl: number;
  /** Time of the measurement, from the CGM (milliseconds since the epoch). */
  timestamp: number;
}

export type AlarmLevel = 'none' | 'low' | 'urgent-low';

export interface GlucoseStatus {
  alarm: AlarmLevel;
  /** True when there is no usable recent reading. */
  stale: boolean;
  /** The CGM value may pre-fill the bolus screen; otherwise a meter value must be typed in. */
  usableForAdvice: boolean;
  /** False while a hypoglycaemia alarm is active. */
  bolusEntryAllowed: boolean;
  message: string | null;
}

/** Level 1 hypoglycaemia (International Hypoglycaemia Study Group). */
export const LOW_MGDL = 70;
/** Level 2, clinically significant hypoglycaemia. */
export const URGENT_LOW_MGDL = 54;
export const STALE_AFTER_MS = 15 * 60 * 1000;
/** Readings dated further in the future than this mean a clock is wrong. */
export const FUTURE_TOLERANCE_MS = 5 * 60 * 1000;

/**
 * @implements SRS-17
 */
export function hypoAlarm(mgdl: number): AlarmLevel {
  if (mgdl < URGENT_LOW_MGDL) return 'urgent-low';
  if (mgdl < LOW_MGDL) return 'low';
  return 'none';
}

/**
 * A reading is stale when it is older than 15 minutes, or dated in the future
 * beyond the tolerance: then its age is unknown, and unknown counts as stale.
 * @implements SRS-18
 */
export function isStale(reading: GlucoseReading, nowMs: number): boolean {
  const age = nowMs - reading.timestamp;
  return age > STALE_AFTER_MS || age < -FUTURE_TOLERANCE_MS;
}

/**
 * What the bolus screen shows for the latest CGM reading, or for none.
 * @implements SRS-17, SRS-18
 */
export function assessGlucose(reading: GlucoseReading | null, nowMs: number): GlucoseStatus {
  if (reading === null || !Number.isFinite(reading.mgdl) || isStale(reading, nowMs)) {
    return {
      alarm: 'none',
      stale: true,
      usableForAdvice: false,
      bolusEntryAllowed: true,
      message: 'No recent sensor glucose. Measure with your meter and enter the value.',
    };
  }
  const alarm = hypoAlarm(reading.mgdl);
  if (alarm !== 'none') {
    return {
      alarm,
      stale: false,
      usableForAdvice: false,
      bolusEntryAllowed: false,
      message:
        alarm === 'urgent-low'
          ? 'URGENT LOW glucose. Take fast-acting carbohydrate now. No bolus.'
          : 'Low glucose. Take fast-acting carbohydrate. No bolus.',
    };
  }
  return { alarm, stale: false, usableForAdvice: true, bolusEntryAllowed: true, message: null };
}
