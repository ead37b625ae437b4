/**
 * The canary controller, run by `keel endpoint serve` (it has the live figures): once the current
 * step has lasted `--interval` (counted from when this process began measuring it, so a restart
 * measures a full interval again), it takes the candidate's error rate and p99 over the step and,
 * when `--min-accuracy-delta` is set, accuracy against the stable from feedback; then advances,
 * promotes or rolls back through the store (see {@link decideCanary}). Each decision is an event
 * with its figures. Several servers of one endpoint may decide at once: the revision check lets
 * one write win, the others re-read.
 */
import { isKeelError } from "../../errors.js";
import type { Endpoint, EndpointStore } from "../../store/endpoint-store.js";
import { type CanaryFigures, decideCanary } from "./canary-decision.js";
import { accuracyByVersion } from "./feedback-accuracy.js";
import { advanceChange, rollbackChange, versionKey } from "./traffic-policy.js";
import type { EndpointStats } from "./version-stats.js";

/** Who automatic decisions are recorded as. */
export const CONTROLLER_ACTOR = "canary-controller";

/** Where the controller reads and writes. */
export interface CanaryControllerDeps {
  /** The endpoint store. */
  readonly store: EndpointStore;
  /** Live figures of the hosted versions. */
  readonly stats: EndpointStats;
  /** Prediction log folder (feedback accuracy). */
  readonly logDir: string;
}

/**
 * Decides the current canary step of `ep` when its interval is over; returns the new endpoint
 * when a decision was written, undefined otherwise (not due, waiting for traffic, or another
 * writer won).
 */
export async function checkCanary(
  deps: CanaryControllerDeps,
  ep: Endpoint,
  now = Date.now(),
): Promise<Endpoint | undefined> {
  const p = ep.policy;
  if (p.strategy !== "canary" || p.candidate === undefined || p.canary === undefined) return undefined;
  const snap = deps.stats.snapshot(versionKey(p.candidate));
  const started = Math.max(p.stepStartedAt ?? 0, snap.windowStartedAt);
  if (now - started < p.canary.intervalMs) return undefined;
  const w = snap.window;
  let figures: CanaryFigures = {
    requests: w.requests,
    errors: w.errors,
    errorRate: w.errorRate,
    p99Ms: w.p99Ms,
  };
  if (p.canary.minAccuracyDelta !== undefined) {
    const acc = await accuracyByVersion(deps.logDir, ep.name, p.stepStartedAt);
    const of = (v: { model: string; version: string }) =>
      acc.find((a) => !a.shadow && a.model === v.model && a.version === v.version);
    const c = of(p.candidate);
    const s = of(p.stable);
    figures = {
      ...figures,
      candidateAccuracy: c?.accuracy ?? null,
      stableAccuracy: s?.accuracy ?? null,
      candidateLabelled: c?.labelled ?? 0,
      stableLabelled: s?.labelled ?? 0,
    };
  }
  const decision = decideCanary(p.canary, figures);
  if (decision.action === "wait") return undefined;
  const recorded = {
    ...figures,
    step: p.canaryStep ?? 0,
    percent: p.canary.steps[p.canaryStep ?? 0],
    reasons: decision.reasons,
  };
  const change =
    decision.action === "advance"
      ? advanceChange(p, CONTROLLER_ACTOR, recorded, now)
      : rollbackChange(p, CONTROLLER_ACTOR, `Reason: ${decision.reasons.join("; ")}.`, recorded);
  try {
    return await deps.store.updateEndpoint(ep.name, ep.revision, change.policy, change.event);
  } catch (e) {
    if (isKeelError(e) && e.code === "INVALID_STATE") return undefined;
    throw e;
  }
}
