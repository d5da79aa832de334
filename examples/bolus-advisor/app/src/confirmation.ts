/**
 * Review of the cloud's advice and the user's confirmation (unit bolus-confirmation).
 *
 * The app does not trust the advice it receives: it checks the response
 * against the maximum bolus stored on the phone before showing it, and only a
 * dose the user has seen and confirmed within a minute becomes a pump command.
 */

import { Result } from './validation';

export interface Advice {
  requestId: string;
  status: 'recommended' | 'refused';
  bolusU: number;
  limited: boolean;
  reason: string | null;
  glucoseMgdl: number;
}

export interface PendingBolus {
  requestId: string;
  advisedU: number;
  shownAtMs: number;
}

export interface ConfirmedBolus {
  requestId: string;
  /** Dose in centi-units (0.01 U), the unit of the pump command. */
  doseCu: number;
}

export const DELIVERY_INCREMENT_CU = 5;
export const CONFIRMATION_TIMEOUT_MS = 60 * 1000;

/** The dose in whole centi-units, if it is a whole number of pump strokes. */
function toCentiUnits(units: number): number | null {
  const cu = Math.round(units * 100);
  if (!Number.isFinite(units) || Math.abs(units * 100 - cu) > 1e-6 || cu % DELIVERY_INCREMENT_CU !== 0) {
    return null;
  }
  return cu;
}

/**
 * Checks a response of POST /v1/recommendations (cloud/openapi.yaml).
 * Anything unexpected is "advice unavailable", never a guessed dose.
 * @implements SRS-19
 */
export function acceptAdvice(body: unknown, maxBolusU: number): Result<Advice> {
  const unavailable = (why: string): Result<Advice> => ({ ok: false, error: `Advice unavailable (${why}).` });
  if (typeof body !== 'object' || body === null) return unavailable('not an object');
  const r = body as Record<string, unknown>;
  const { request_id: requestId, status, bolus_u: bolusU, limited, reason, glucose_mgdl: glucoseMgdl } = r;
  if (typeof requestId !== 'string' || requestId === '') return unavailable('no request id');
  if (status !== 'recommended' && status !== 'refused') return unavailable('unknown status');
  if (typeof bolusU !== 'number' || toCentiUnits(bolusU) === null || bolusU < 0) {
    return unavailable('invalid dose');
  }
  if (bolusU > maxBolusU) return unavailable('dose above your maximum bolus');
  if (status === 'refused' && bolusU !== 0) return unavailable('refused with a dose');
  if (typeof limited !== 'boolean' || (reason !== null && typeof reason !== 'string')) {
    return unavailable('malformed');
  }
  if (typeof glucoseMgdl !== 'number' || !Number.isFinite(glucoseMgdl)) return unavailable('no glucose');
  return { ok: true, value: { requestId, status, bolusU, limited, reason, glucoseMgdl } };
}

/**
 * Puts accepted advice on the confirmation screen; a refusal has nothing to confirm.
 * @implements SRS-20
 */
export function presentAdvice(advice: Advice, nowMs: number): PendingBolus | null {
  if (advice.status !== 'recommended' || advice.bolusU === 0) return null;
  return { requestId: advice.requestId, advisedU: advice.bolusU, shownAtMs: nowMs };
}

/**
 * The user pressed "Deliver" with `displayedU` on screen (the advised dose,
 * possibly edited). The command carries exactly that dose, provided it is
 * deliverable, within the maximum bolus, and confirmed within 60 seconds of
 * the advice being shown: older advice may rest on an outdated glucose value.
 * @implements SRS-20
 */
export function confirmBolus(
  pending: PendingBolus,
  displayedU: number,
  nowMs: number,
  maxBolusU: number,
): Result<ConfirmedBolus> {
  const elapsed = nowMs - pending.shownAtMs;
  if (elapsed < 0 || elapsed > CONFIRMATION_TIMEOUT_MS) {
    return { ok: false, error: 'This advice has expired. Request new advice.' };
  }
  const doseCu = toCentiUnits(displayedU);
  if (doseCu === null || doseCu <= 0) {
    return { ok: false, error: 'Enter a dose in steps of 0.05 U.' };
  }
  if (displayedU > maxBolusU) {
    return { ok: false, error: `The dose is above your maximum bolus of ${maxBolusU.toFixed(2)} U.` };
  }
  return { ok: true, value: { requestId: pending.requestId, doseCu } };
}
