/** Run and experiment calls shared by pages. */
import { get, num, post } from "./client";
import type { Experiment, KeyValue, Run, WireMetric } from "./types";

/** A page of runs/search. */
export interface RunPage {
  runs: Run[];
  next_page_token?: string;
}

/** Search options: the filter grammar of `keel runs list` (MLflow's). */
export interface RunQuery {
  experimentIds: string[];
  filter?: string;
  orderBy?: string[];
  maxResults?: number;
  pageToken?: string;
}

/** MLflow's runs/search. */
export function searchRuns(q: RunQuery): Promise<RunPage> {
  return post<RunPage>("mlflow/runs/search", {
    experiment_ids: q.experimentIds,
    filter: q.filter ?? "",
    order_by: q.orderBy ?? [],
    max_results: q.maxResults ?? 200,
    ...(q.pageToken ? { page_token: q.pageToken } : {}),
  }).then((p) => ({ ...p, runs: p.runs ?? [] }));
}

/** One run. */
export async function getRun(runId: string): Promise<Run> {
  return (await get<{ run: Run }>("mlflow/runs/get", { run_id: runId })).run;
}

/** Every active experiment. */
export async function listExperiments(): Promise<Experiment[]> {
  const out: Experiment[] = [];
  let token: string | undefined;
  do {
    const page = await get<{ experiments?: Experiment[]; next_page_token?: string }>(
      "mlflow/experiments/search",
      {
        max_results: 1000,
        page_token: token,
      },
    );
    out.push(...(page.experiments ?? []));
    token = page.next_page_token;
  } while (token);
  return out;
}

/** Full history of one metric. */
export async function metricHistory(
  runId: string,
  key: string,
): Promise<{ step: number; value: number; timestamp: number }[]> {
  const points: WireMetric[] = [];
  let token: string | undefined;
  do {
    const page = await get<{ metrics?: WireMetric[]; next_page_token?: string }>(
      "mlflow/metrics/get-history",
      {
        run_id: runId,
        metric_key: key,
        max_results: 25000,
        page_token: token,
      },
    );
    points.push(...(page.metrics ?? []));
    token = page.next_page_token;
  } while (token);
  return points
    .map((m) => ({ step: m.step, value: num(m.value), timestamp: m.timestamp }))
    .sort((a, b) => a.step - b.step || a.timestamp - b.timestamp);
}

/** Child runs of `run` (search trials, pipeline stages), oldest first. */
export async function childRuns(run: Run): Promise<Run[]> {
  const page = await searchRuns({
    experimentIds: [run.info.experiment_id],
    filter: `tags.\`mlflow.parentRunId\` = '${run.info.run_id}'`,
    orderBy: ["attributes.start_time ASC"],
    maxResults: 1000,
  });
  return page.runs;
}

/** A tag, param or metric of a run. */
export function tagOf(run: Run, key: string): string | undefined {
  return run.data.tags?.find((t) => t.key === key)?.value;
}

/** The latest value of a metric. */
export function metricOf(run: Run, key: string): number | undefined {
  const m = run.data.metrics?.find((x) => x.key === key);
  return m === undefined ? undefined : num(m.value);
}

/** A param value. */
export function paramOf(run: Run, key: string): string | undefined {
  return run.data.params?.find((p) => p.key === key)?.value;
}

/** User-visible tags (MLflow's `mlflow.*` system tags hidden). */
export function visibleTags(run: Run): KeyValue[] {
  return (run.data.tags ?? []).filter((t) => !t.key.startsWith("mlflow."));
}

/** The run's display name. */
export function runName(run: Run): string {
  return run.info.run_name || run.info.run_id.slice(0, 8);
}
