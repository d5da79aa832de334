/**
 * Review of the cloud's advice and the user's confirmation (unit bolus-confirmation).
 *
 * The app does not trust the advice it receives: it checks the response
 * against the maximum bolus stored on the phone before showing it, and only a
 * dose the user has seen and confirmed within a minute becomes a pump command.
 */

import { decodeStatus, PumpStatus, StatusAck } from './pumpStatus';
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

/** A bolus command sent to the pump: its sequence number and dose. */
export interface SentBolus {
  seq: number;
  doseCu: number;
}

export type DeliveryOutcome =
  | 'delivering'
  | 'delivered'
  | 'stopped'
  | 'occlusion'
  | 'refused'
  | 'not-accepted'
  | 'dose-mismatch'
  | 'unknown';

/** What the app shows, records and sounds after a status frame from the pump. */
export interface DeliveryReport {
  outcome: DeliveryOutcome;
  /** Insulin the pump reports delivered for this bolus, in U; null when unknown. */
  deliveredU: number | null;
  /** The alarm to raise on the phone, if any. */
  alarm: 'occlusion' | 'pump-fault' | null;
  message: string;
}

const units = (cu: number): string => `${(cu / 100).toFixed(2)} U`;

const REFUSALS: Partial<Record<StatusAck, string>> = {
  busy: 'The pump refused the bolus: another bolus is being delivered.',
  limit: "The pump refused the bolus: it is above the pump's maximum bolus or hourly maximum.",
  'alarm-active': 'The pump refused the bolus: acknowledge the occlusion alarm on the pump first.',
};

/** The report of a status that acknowledges `sent` (the pump accepted that command). */
function reportAccepted(sent: SentBolus, status: PumpStatus): DeliveryReport {
  const deliveredU = status.deliveredCu / 100;
  const progress = `${units(status.deliveredCu)} of ${units(status.commandedCu)}`;
  if (status.commandedCu !== sent.doseCu) {
    return {
      outcome: 'dose-mismatch',
      deliveredU,
      alarm: 'pump-fault',
      message: `The pump reports a bolus of ${units(status.commandedCu)}, not the ${units(sent.doseCu)} you confirmed. Stop the pump and contact support.`,
    };
  }
  if (status.state === 'occluded') {
    return {
      outcome: 'occlusion',
      deliveredU,
      alarm: 'occlusion',
      message: `Occlusion: the pump stopped after ${progress}. Check the infusion set; do not repeat the bolus.`,
    };
  }
  if (status.state === 'delivering') {
    return { outcome: 'delivering', deliveredU, alarm: null, message: `Delivering: ${progress}.` };
  }
  if (status.deliveredCu === status.commandedCu) {
    return { outcome: 'delivered', deliveredU, alarm: null, message: `Bolus delivered: ${units(status.deliveredCu)}.` };
  }
  return { outcome: 'stopped', deliveredU, alarm: null, message: `Bolus stopped: ${progress} delivered.` };
}

const NOT_ACCEPTED: DeliveryReport = {
  outcome: 'not-accepted',
  deliveredU: 0,
  alarm: null,
  message: 'The pump did not accept the command. Nothing was delivered.',
};

/**
 * What a status frame from the pump means for the bolus `sent`: the confirmation
 * screen shows the dose the pump reports delivered for that bolus (which the app
 * records for insulin on board), an occlusion raises the occlusion alarm, and a
 * frame that cannot be read leaves the delivered amount unknown, never assumed.
 * The amounts count only when the frame names the bolus by its sequence number.
 * @implements SRS-29
 */
export function reportDelivery(sent: SentBolus, frame: Uint8Array): DeliveryReport {
  const decoded = decodeStatus(frame);
  if (!decoded.ok) {
    return {
      outcome: 'unknown',
      deliveredU: null,
      alarm: 'pump-fault',
      message: `The pump's answer could not be read (${decoded.error}). Check the pump before any other bolus.`,
    };
  }
  const status = decoded.status;
  const refusal = REFUSALS[status.ack];
  if (status.ackSeq === sent.seq && refusal !== undefined) {
    return {
      outcome: 'refused',
      deliveredU: 0,
      alarm: status.ack === 'alarm-active' ? 'occlusion' : null,
      message: refusal,
    };
  }
  if (status.bolusSeq !== sent.seq || status.commandedCu === 0) {
    // Another bolus, or none yet (a pump that never started one reports 0 cU).
    return { ...NOT_ACCEPTED, alarm: status.state === 'occluded' ? 'occlusion' : null };
  }
  return reportAccepted(sent, status);
}
