/**
 * One watch check: read the window of the endpoint's prediction log, test data and prediction
 * drift against the reference, feed new feedback to the concept detectors, measure performance
 * per version, move the drift episode, and record all of it as a tracked run. On a new episode
 * the alerts go out and the `--on-drift` command runs (each once per episode, remembered in the
 * watch state so a restart neither re-alerts nor re-runs it).
 */
import { mkdir } from "node:fs/promises";
import { DataSession } from "../../data/engine/duckdb-session.js";
import { isKeelError } from "../../errors.js";
import { hasEndpointStore } from "../../store/endpoint-store.js";
import type { ActiveRun } from "../../track/active-run.js";
import type { Tracker } from "../../track/tracker.js";
import { computeDrift } from "../drift/compute-drift.js";
import { openDatasetRef } from "../drift/dataset-source.js";
import { driftHtml } from "../drift/drift-html.js";
import type { DriftReport } from "../drift/drift-report.js";
import { endpointRelation } from "../drift/endpoint-source.js";
import { countRows } from "../drift/read-column-values.js";
import { alertPayload, type CheckResult, checkMetrics, driftKind } from "./check-result.js";
import { feedDetectors, type VersionConcept } from "./concept-monitor.js";
import { type CheckVerdict, stepEpisode } from "./drift-episode.js";
import { readNewOutcomes } from "./labelled-stream.js";
import { type CommandResult, runOnDriftCommand } from "./on-drift-command.js";
import { isPredictionColumn, referenceWithPredictions } from "./reference-predictions.js";
import { WATCH_COMMAND, WATCH_TAGS, type WatchConfig, watchExperiment } from "./watch-config.js";
import { saveWatchState, type WatchState, watchStateJson } from "./watch-state.js";
import { type AlertDelivery, postAlert } from "./webhook-alert.js";
import { type VersionPerformance, windowPerformance } from "./window-performance.js";

/** What the check read, before any decision. */
interface Observation {
  drift: DriftReport | null;
  performance: VersionPerformance[];
  concept: VersionConcept[];
  labelCursor: number;
  recentKeys: [string, number][];
}

/** The endpoint's stable model version, when the store knows the endpoint. */
async function stableModelRef(config: WatchConfig): Promise<string | undefined> {
  const store = config.modelSource?.store;
  if (store === undefined || !hasEndpointStore(store)) return undefined;
  try {
    return (await store.getEndpoint(config.endpoint)).policy.stable.ref;
  } catch (e) {
    if (isKeelError(e) && e.code === "RESOURCE_DOES_NOT_EXIST") return undefined; // a plain `keel serve` model
    throw e;
  }
}

async function observe(
  config: WatchConfig,
  tracker: Tracker,
  state: WatchState,
  since: number,
  until: number,
): Promise<Observation> {
  return DataSession.use(async (session) => {
    let reference = await openDatasetRef(session, config.reference, async () => tracker.store);
    const modelRef = await stableModelRef(config);
    if (modelRef !== undefined && config.modelSource !== undefined) {
      reference = await referenceWithPredictions(session, reference, {
        referenceRef: config.reference,
        modelRef,
        source: config.modelSource,
        cacheDir: config.stateDir,
      });
    }
    const referenceColumns = await session.describe(reference);
    const current = await endpointRelation(session, config.logDir, {
      since,
      until,
      referenceColumns,
      target: config.target,
    });
    let drift: DriftReport | null = null;
    if (current.files.length > 0 && (await countRows(session, current.sql)) > 0) {
      const roles: Record<string, "prediction" | "target"> = { ...current.roles };
      for (const c of referenceColumns) if (isPredictionColumn(c.name)) roles[c.name] ??= "prediction";
      if (config.target !== undefined) roles[config.target] = "target";
      drift = await computeDrift(session, reference, current.sql, { driftShare: config.driftShare, roles });
    }
    const performance = await windowPerformance(session, config.logDir, { since, until });
    const fresh = await readNewOutcomes(session, config.logDir, state.labelCursor, state.recentKeys);
    const concept = feedDetectors(state.detectors, fresh.outcomes, config.detector);
    return { drift, performance, concept, labelCursor: fresh.labelCursor, recentKeys: fresh.recentKeys };
  });
}

/** Options of {@link runWatchCheck}. */
export interface CheckOptions {
  /** Check time (default now); tests pin it. */
  readonly now?: number;
}

/**
 * Runs one check with `state` (updated in place and saved to `config.stateDir`) and records it
 * as a run of experiment `monitor-<endpoint>`. The run fails (status FAILED, error re-thrown)
 * when the check cannot be made; the state is then left as it was.
 */
export async function runWatchCheck(
  tracker: Tracker,
  config: WatchConfig,
  state: WatchState,
  options: CheckOptions = {},
): Promise<CheckResult> {
  const now = options.now ?? Date.now();
  const since = now - config.windowMs;
  const step = state.checks;
  await mkdir(config.stateDir, { recursive: true });
  const run = await tracker.startRun({
    experiment: watchExperiment(config),
    runName: `check-${step}`,
    tags: { [WATCH_TAGS.command]: WATCH_COMMAND, [WATCH_TAGS.endpoint]: config.endpoint },
  });
  try {
    await run.logParams({
      endpoint: config.endpoint,
      reference: config.reference,
      window: config.windowText ?? `${config.windowMs}ms`,
      detector: config.detector.classification,
      detector_regression: config.detector.regression,
    });
    // Detectors are fed on a copy: a failed check leaves the saved state untouched.
    const next: WatchState = structuredClone(state);
    const seen = await observe(config, tracker, next, since, now + 1);
    const kind = driftKind(seen.drift, seen.concept);
    const verdict: CheckVerdict = kind !== null ? "drift" : seen.drift === null ? "no_data" : "no_drift";
    const ep = stepEpisode(next.episode, next.episodes, verdict, now, run.id);
    Object.assign(next, {
      checks: step + 1,
      episodes: ep.episodes,
      episode: ep.episode,
      labelCursor: seen.labelCursor,
      recentKeys: seen.recentKeys,
    });
    await saveWatchState(config.stateDir, next);
    Object.assign(state, next);
    const base: Omit<CheckResult, "alerts" | "command"> = {
      endpoint: config.endpoint,
      runId: run.id,
      step,
      time: now,
      since,
      verdict,
      drift: seen.drift,
      performance: seen.performance,
      concept: seen.concept,
      episode: ep.episode,
      episodeOpened: ep.opened,
      episodeClosed: ep.closed,
    };
    await run.setTags({
      [WATCH_TAGS.episode]: ep.episode?.active ? String(ep.episode.number) : "none",
      [WATCH_TAGS.verdict]: verdict,
    });
    run.logMetrics(checkMetrics(seen.drift, seen.performance, seen.concept, verdict), {
      step,
      timestamp: now,
    });
    if (seen.drift !== null) {
      await run.logDict(seen.drift, "drift-report.json");
      await run.logText(
        driftHtml(seen.drift, {
          reference: config.reference,
          current: `endpoint:${config.endpoint} (${new Date(since).toISOString()} – ${new Date(now).toISOString()})`,
        }),
        "drift-report.html",
      );
    }
    const { alerts, command } = await actOnEpisode(config, state, base, kind, run);
    const result: CheckResult = { ...base, episode: state.episode, alerts, command };
    await run.logDict(
      { ...result, drift: undefined, datasetDrift: seen.drift?.datasetDrift ?? null },
      "check.json",
    );
    await run.logText(watchStateJson(state), "watch-state.json");
    await run.end("FINISHED");
    return result;
  } catch (e) {
    await run.setTag("keel.error", String((e as Error).message).slice(0, 4000)).catch(() => {});
    await run.end("FAILED").catch(() => {});
    throw e;
  }
}

/**
 * The episode's actions still due: alerts (at least once: marked sent after delivery) and the
 * command (at most once: marked before it starts, so a crash mid-retraining never starts a
 * second one).
 */
async function actOnEpisode(
  config: WatchConfig,
  state: WatchState,
  base: Omit<CheckResult, "alerts" | "command">,
  kind: ReturnType<typeof driftKind>,
  run: ActiveRun,
): Promise<{ alerts: AlertDelivery[]; command: CommandResult | null }> {
  const episode = state.episode;
  if (episode === null || !episode.active || kind === null) return { alerts: [], command: null };
  let alerts: AlertDelivery[] = [];
  let command: CommandResult | null = null;
  if (!episode.alerted) {
    const payload = alertPayload(base, kind);
    alerts = await Promise.all(
      (config.alerts ?? []).map((url) => postAlert(url, payload, config.alertRetry)),
    );
    episode.alerted = true;
    await saveWatchState(config.stateDir, state);
    if (alerts.length > 0) {
      await run.logDict({ payload, deliveries: alerts }, "alert.json");
      run.logMetrics(
        { alerts_sent: alerts.length, alerts_delivered: alerts.filter((a) => a.delivered).length },
        { step: base.step, timestamp: base.time },
      );
    }
  }
  if (config.onDrift !== undefined && !episode.commandRan) {
    episode.commandRan = true;
    await saveWatchState(config.stateDir, state);
    command = await runOnDriftCommand(config.onDrift, {
      cwd: config.projectRoot,
      timeoutMs: config.onDriftTimeoutMs,
      env: {
        KEEL_DRIFT_RUN_ID: base.runId,
        KEEL_DRIFT_ENDPOINT: base.endpoint,
        KEEL_DRIFT_EPISODE: String(episode.number),
        KEEL_DRIFT_KIND: kind,
        KEEL_DRIFT_SHARE: String(base.drift?.shareOfDriftedColumns ?? ""),
        KEEL_DRIFT_TIME: new Date(base.time).toISOString(),
      },
    });
    await run.logText(
      `$ ${command.command}\n${command.output}\n[exit ${command.exitCode ?? command.signal}${command.timedOut ? ", timed out" : ""} after ${command.durationMs} ms]\n`,
      "on-drift.log",
    );
    if (command.exitCode !== null)
      run.logMetrics({ on_drift_exit_code: command.exitCode }, { step: base.step, timestamp: base.time });
  }
  return { alerts, command };
}
