/**
 * `keel endpoint compare NAME`: the candidate against the stable version, from the prediction log
 * (DuckDB). Shadow answers are paired with the stable's answer to the same request: label
 * agreement, mean |Δprobability| (mean over classes of the absolute difference) or mean
 * |Δprediction| for regressors. Per-version accuracy from feedback, and for A/B a two-proportion
 * z-test of the arms' accuracy.
 */
import { DataSession } from "../../data/engine/duckdb-session.js";
import { sqlString } from "../../data/engine/sql-text.js";
import { KeelError } from "../../errors.js";
import type { EndpointStore, EndpointVersion, RolloutStrategy } from "../../store/endpoint-store.js";
import { readPredictionLog } from "../prediction-log/read-prediction-log.js";
import { accuracyByVersion, type VersionAccuracy } from "./feedback-accuracy.js";
import { type TwoProportionResult, twoProportionTest } from "./two-proportion-test.js";

/** Shadow answers paired with the stable's. */
export interface ShadowAgreement {
  /** Requests rows answered by both. */
  readonly pairs: number;
  /** Fraction of pairs with the same label (classifiers; null otherwise or without pairs). */
  readonly labelAgreement: number | null;
  /** Mean |Δprobability| over pairs and classes (classifiers). */
  readonly meanAbsProbabilityDelta: number | null;
  /** Mean |Δprediction| (regressors). */
  readonly meanAbsPredictionDelta: number | null;
}

/** An A/B arm's labelled outcomes. */
export interface AbArmOutcome {
  /** A (stable) or B (candidate). */
  readonly arm: "A" | "B";
  /** The version. */
  readonly version: EndpointVersion;
  /** Labelled predictions. */
  readonly n: number;
  /** Correct ones. */
  readonly successes: number;
}

/** What {@link compareEndpoint} reports. */
export interface EndpointComparison {
  /** Endpoint name. */
  readonly endpoint: string;
  /** The stable version. */
  readonly stable: EndpointVersion;
  /** The version compared with it: the candidate, or the previous stable when no rollout runs. */
  readonly candidate: EndpointVersion | undefined;
  /** Strategy of the rollout (when one runs). */
  readonly strategy: RolloutStrategy | undefined;
  /** Shadow pairing (when shadow answers exist). */
  readonly shadow: ShadowAgreement;
  /** Accuracy per version (and shadow flag) from feedback. */
  readonly versions: readonly VersionAccuracy[];
  /** A/B arms and the z-test on their accuracy. */
  readonly abTest?:
    | { readonly arms: readonly AbArmOutcome[]; readonly test: TwoProportionResult }
    | undefined;
}

const num = (v: unknown) => (v === null || v === undefined ? null : Number(v));

async function shadowAgreement(
  logDir: string,
  endpoint: string,
  stable: EndpointVersion,
  candidate: EndpointVersion,
): Promise<ShadowAgreement> {
  const log = await readPredictionLog(logDir);
  const is = (alias: string, v: EndpointVersion) =>
    `${alias}.model = ${sqlString(v.model)} AND ${alias}.version = ${sqlString(v.version)}`;
  const rows = await DataSession.use((s) =>
    s.query(`
      WITH l AS (${log.sql}),
      pairs AS (
        SELECT p.outputs AS po, c.outputs AS co,
          CAST(json_extract(p.outputs, '$.probabilities') AS DOUBLE[]) AS pp,
          CAST(json_extract(c.outputs, '$.probabilities') AS DOUBLE[]) AS cp
        FROM l p JOIN l c ON p.request_id = c.request_id AND p."row" = c."row"
        WHERE p.endpoint = ${sqlString(endpoint)} AND c.endpoint = ${sqlString(endpoint)}
          AND NOT p.shadow AND c.shadow AND ${is("p", stable)} AND ${is("c", candidate)})
      SELECT count(*) AS pairs,
        avg(CASE WHEN json_extract_string(po, '$.label') IS NULL THEN NULL
          WHEN json_extract_string(po, '$.label') = json_extract_string(co, '$.label') THEN 1.0 ELSE 0.0 END) AS agree,
        avg(list_avg(list_transform(range(1, len(pp) + 1), i -> abs(pp[i] - cp[i])))) AS dprob,
        avg(abs(CAST(json_extract(po, '$.prediction') AS DOUBLE) - CAST(json_extract(co, '$.prediction') AS DOUBLE))) AS dpred
      FROM pairs`),
  );
  const r = rows[0] ?? {};
  return {
    pairs: Number(r.pairs ?? 0),
    labelAgreement: num(r.agree),
    meanAbsProbabilityDelta: num(r.dprob),
    meanAbsPredictionDelta: num(r.dpred),
  };
}

/** Compares the candidate of `name` (or its previous stable) with the stable version. */
export async function compareEndpoint(
  store: EndpointStore,
  name: string,
  logDir: string,
  alpha = 0.05,
): Promise<EndpointComparison> {
  const ep = await store.getEndpoint(name);
  const { stable, strategy } = ep.policy;
  const candidate = ep.policy.candidate ?? ep.policy.previous;
  const versions = await accuracyByVersion(logDir, name);
  if (candidate === undefined) {
    throw new KeelError(
      "INVALID_STATE",
      `Endpoint '${name}' has served only ${stable.model} version ${stable.version}: deploy a candidate (keel endpoint deploy ${name} --model REF --strategy shadow|ab|canary) to compare.`,
    );
  }
  const shadow = await shadowAgreement(logDir, name, stable, candidate);
  let abTest: EndpointComparison["abTest"];
  if (strategy === "ab") {
    const arm = (a: "A" | "B", v: EndpointVersion): AbArmOutcome => {
      const acc = versions.find((x) => !x.shadow && x.model === v.model && x.version === v.version);
      return { arm: a, version: v, n: acc?.labelled ?? 0, successes: acc?.correct ?? 0 };
    };
    const a = arm("A", stable);
    const b = arm("B", candidate);
    abTest = { arms: [a, b], test: twoProportionTest(a.successes, a.n, b.successes, b.n, alpha) };
  }
  return { endpoint: name, stable, candidate, strategy, shadow, versions, abTest };
}
