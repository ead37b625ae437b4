/**
 * The canary controller's rule, as a pure function of the limits and the figures measured over
 * the last interval:
 * 1. roll back when the candidate's error rate is above `maxErrorRate` (with fewer than
 *    `minRequests` requests, only when the errors alone already exceed the limit at
 *    `minRequests`), or its p99 latency is above `maxP99Ms`, or — when both versions have
 *    feedback labels — its accuracy minus the stable's is below `minAccuracyDelta`;
 * 2. wait (decide again next interval) while the candidate has fewer than `minRequests` requests;
 * 3. otherwise advance to the next step, or promote when the next step is 100% (or none is left).
 */
import type { CanaryParams } from "../../store/endpoint-store.js";

/** What the controller measured over one interval. */
export interface CanaryFigures {
  /** Candidate requests in the interval. */
  readonly requests: number;
  /** Candidate failures in the interval (failovers to stable and server errors). */
  readonly errors: number;
  /** errors / requests. */
  readonly errorRate: number;
  /** Candidate p99 inference latency in the interval, ms (null without answers). */
  readonly p99Ms: number | null;
  /** Candidate accuracy on labelled predictions since the rollout began (null without labels). */
  readonly candidateAccuracy?: number | null | undefined;
  /** Stable accuracy over the same period (null without labels). */
  readonly stableAccuracy?: number | null | undefined;
  /** Labelled candidate predictions. */
  readonly candidateLabelled?: number | undefined;
  /** Labelled stable predictions. */
  readonly stableLabelled?: number | undefined;
}

/** The controller's decision and why. */
export interface CanaryDecision {
  /** What to do. */
  readonly action: "advance" | "rollback" | "wait";
  /** One sentence per reason. */
  readonly reasons: readonly string[];
}

/** Decides one canary interval; see the module comment. */
export function decideCanary(params: CanaryParams, f: CanaryFigures): CanaryDecision {
  const failures: string[] = [];
  const enough = f.requests >= params.minRequests;
  if (enough ? f.errorRate > params.maxErrorRate : f.errors > params.maxErrorRate * params.minRequests) {
    failures.push(
      `error rate ${fmt(f.errorRate)} (${f.errors}/${f.requests}) is above --max-error-rate ${params.maxErrorRate}`,
    );
  }
  if (f.p99Ms !== null && f.p99Ms > params.maxP99Ms) {
    failures.push(`p99 latency ${fmt(f.p99Ms)} ms is above --max-p99-ms ${params.maxP99Ms}`);
  }
  const ca = f.candidateAccuracy;
  const sa = f.stableAccuracy;
  if (params.minAccuracyDelta !== undefined && typeof ca === "number" && typeof sa === "number") {
    const delta = ca - sa;
    if (delta < params.minAccuracyDelta) {
      failures.push(
        `accuracy ${fmt(ca)} vs stable ${fmt(sa)} (delta ${fmt(delta)}) is below --min-accuracy-delta ${params.minAccuracyDelta}`,
      );
    }
  }
  if (failures.length > 0) return { action: "rollback", reasons: failures };
  if (!enough) {
    return {
      action: "wait",
      reasons: [`${f.requests} candidate requests, fewer than --min-requests ${params.minRequests}`],
    };
  }
  const ok = [
    `error rate ${fmt(f.errorRate)} <= ${params.maxErrorRate}`,
    `p99 ${f.p99Ms === null ? "n/a" : `${fmt(f.p99Ms)} ms`} <= ${params.maxP99Ms} ms`,
  ];
  if (typeof ca === "number" && typeof sa === "number") ok.push(`accuracy delta ${fmt(ca - sa)}`);
  return { action: "advance", reasons: ok };
}

function fmt(x: number): string {
  return Number(x.toPrecision(4)).toString();
}
