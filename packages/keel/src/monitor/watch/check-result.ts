/** The outcome of one watch check, and the pieces derived from it: metrics and the alert. */
import type { DriftReport } from "../drift/drift-report.js";
import type { VersionConcept } from "./concept-monitor.js";
import type { CheckVerdict } from "./drift-episode.js";
import type { CommandResult } from "./on-drift-command.js";
import type { EpisodeState } from "./watch-state.js";
import type { AlertDelivery } from "./webhook-alert.js";
import type { VersionPerformance } from "./window-performance.js";

/** Everything one check found and did. */
export interface CheckResult {
  /** Endpoint watched. */
  readonly endpoint: string;
  /** The check's run id. */
  readonly runId: string;
  /** Check number (0 for the first), also the metrics' step. */
  readonly step: number;
  /** Check time (epoch ms); the window is `[time - window, time]`. */
  readonly time: number;
  /** Window start (epoch ms). */
  readonly since: number;
  /** Drift, no drift, or an empty window (no evidence). */
  readonly verdict: CheckVerdict;
  /** The data/prediction drift report, null for an empty window. */
  readonly drift: DriftReport | null;
  /** Performance per version over the window. */
  readonly performance: readonly VersionPerformance[];
  /** Concept-drift detectors per version. */
  readonly concept: readonly VersionConcept[];
  /** The episode after this check. */
  readonly episode: EpisodeState | null;
  /** True when this check opened the episode. */
  readonly episodeOpened: boolean;
  /** True when this check closed it. */
  readonly episodeClosed: boolean;
  /** Alerts sent by this check (one per webhook), empty when none was due. */
  readonly alerts: readonly AlertDelivery[];
  /** The `--on-drift` command, when this check ran it. */
  readonly command: CommandResult | null;
}

/** Kind of drift behind a drifting check. */
export type DriftKind = "data_drift" | "concept_drift" | "data_and_concept_drift";

/** Which kind of drift a check saw; null when it saw none. */
export function driftKind(drift: DriftReport | null, concept: readonly VersionConcept[]): DriftKind | null {
  const data = drift?.datasetDrift === true;
  const conceptual = concept.some((c) => c.active);
  if (data && conceptual) return "data_and_concept_drift";
  if (data) return "data_drift";
  return conceptual ? "concept_drift" : null;
}

// Metric keys allow letters, digits, _ - . space : and /; anything else becomes _.
const metricKey = (s: string) => s.replace(/[^\p{L}\p{N}_.\- :/]/gu, "_").replace(/\/+/g, "/");

/** The metrics of a check run (finite values only). */
export function checkMetrics(
  drift: DriftReport | null,
  performance: readonly VersionPerformance[],
  concept: readonly VersionConcept[],
  verdict: CheckVerdict,
): Record<string, number> {
  const m: Record<string, number> = {};
  const put = (k: string, v: number | null | undefined) => {
    if (v !== null && v !== undefined && Number.isFinite(v)) m[metricKey(k)] = v;
  };
  const bit = (b: boolean) => (b ? 1 : 0);
  put("drift", bit(verdict === "drift"));
  if (drift !== null) {
    put("dataset_drift", bit(drift.datasetDrift));
    put("drift_share", drift.shareOfDriftedColumns);
    put("n_drifted_features", drift.numberOfDriftedColumns);
    for (const c of drift.columns) {
      if (c.score === null) continue;
      put(`drift_score.${c.column}`, c.score);
      put(`drift.${c.column}`, bit(c.drifted));
    }
    if (drift.predictionDrift !== null) put("prediction_drift", bit(drift.predictionDrift));
    if (drift.targetDrift !== null) put("target_drift", bit(drift.targetDrift));
  }
  let predictions = 0;
  let labelled = 0;
  let correct = 0;
  let classLabelled = 0;
  let absErr = 0;
  let regLabelled = 0;
  for (const p of performance) {
    predictions += p.predictions;
    labelled += p.labelled;
    put(`accuracy.${p.version}`, p.accuracy);
    put(`auc.${p.version}`, p.auc);
    put(`mae.${p.version}`, p.mae);
    put(`n_labelled.${p.version}`, p.labelled);
    if (p.accuracy !== null) {
      correct += p.accuracy * p.labelled;
      classLabelled += p.labelled;
    }
    if (p.mae !== null) {
      absErr += p.mae * p.labelled;
      regLabelled += p.labelled;
    }
  }
  put("n_predictions", predictions);
  put("n_labelled", labelled);
  if (classLabelled > 0) put("accuracy", correct / classLabelled);
  if (regLabelled > 0) put("mae", absErr / regLabelled);
  put(
    "n_labelled_new",
    concept.reduce((s, c) => s + c.fed, 0),
  );
  put("concept_drift", bit(concept.some((c) => c.drifts.length > 0)));
  put("concept_warning", bit(concept.some((c) => c.warnings > 0)));
  put("concept_drift_active", bit(concept.some((c) => c.active)));
  for (const c of concept) {
    put(`concept_drift.${c.version}`, bit(c.drifts.length > 0));
    put(`concept_drift_active.${c.version}`, bit(c.active));
  }
  return m;
}

/** The JSON an alert webhook receives. */
export interface AlertPayload {
  /** Endpoint watched. */
  readonly endpoint: string;
  /** Run id of the check that raised it. */
  readonly checkRunId: string;
  /** Check time, ISO 8601. */
  readonly time: string;
  /** Kind of drift. */
  readonly kind: DriftKind;
  /** Episode number. */
  readonly episode: number;
  /** Drifted feature columns, highest evidence first. */
  readonly driftedFeatures: readonly {
    readonly feature: string;
    readonly method: string | null;
    readonly score: number | null;
    readonly threshold: number | null;
  }[];
  /** Share of drifted features (null for an empty window). */
  readonly driftShare: number | null;
  /** Whether the dataset drifted. */
  readonly datasetDrift: boolean | null;
  /** Whether the model's outputs drifted. */
  readonly predictionDrift: boolean | null;
  /** Accuracy per version over the window (classifiers). */
  readonly accuracy: Readonly<Record<string, number | null>>;
  /** Mean absolute error per version over the window (regressors). */
  readonly mae: Readonly<Record<string, number | null>>;
  /** Concept-drift detectors per version: type, active, drift indices this check. */
  readonly detector: readonly {
    readonly version: string;
    readonly type: string;
    readonly active: boolean;
    readonly drifts: readonly number[];
    readonly labelled: number;
  }[];
}

/** The alert of a drifting check. */
export function alertPayload(result: Omit<CheckResult, "alerts" | "command">, kind: DriftKind): AlertPayload {
  const drift = result.drift;
  const features = (drift?.columns ?? []).filter((c) => c.role === "feature" && c.drifted);
  return {
    endpoint: result.endpoint,
    checkRunId: result.runId,
    time: new Date(result.time).toISOString(),
    kind,
    episode: result.episode?.number ?? 0,
    driftedFeatures: features.map((c) => ({
      feature: c.column,
      method: c.method,
      score: c.score,
      threshold: c.threshold,
    })),
    driftShare: drift?.shareOfDriftedColumns ?? null,
    datasetDrift: drift?.datasetDrift ?? null,
    predictionDrift: drift?.predictionDrift ?? null,
    accuracy: Object.fromEntries(
      result.performance.filter((p) => p.mae === null).map((p) => [p.version, p.accuracy]),
    ),
    mae: Object.fromEntries(result.performance.filter((p) => p.mae !== null).map((p) => [p.version, p.mae])),
    detector: result.concept.map((c) => ({
      version: c.version,
      type: c.detector,
      active: c.active,
      drifts: c.drifts,
      labelled: c.total,
    })),
  };
}
