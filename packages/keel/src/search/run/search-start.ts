/**
 * Where a search starts from: a new search's checked options and space overrides, or, for
 * `--resume`, the stored run's plan, searched space and finished trials.
 */
import { readFile } from "node:fs/promises";
import { text } from "node:stream/consumers";
import { invalidParam, KeelError } from "../../errors.js";
import type { Run } from "../../store/entities.js";
import { isProcessAlive, SYSTEM_TAGS, type Tracker } from "../../track/index.js";
import type { SpaceOverrides } from "../space/space-overrides.js";
import { parseSpaceOverrides } from "../space/space-overrides.js";
import type { SearchSpace } from "../space/types.js";
import { validateSpace } from "../space/validate-space.js";
import {
  checkSearchOptions,
  OPTION_FLAGS,
  type PartialPlan,
  RESUME_OVERRIDES,
  type SearchOptions,
  type SearchPlan,
} from "./search-options.js";
import { planFromRun } from "./search-params.js";
import { loadTrials, type StoredTrial } from "./trial-runs.js";

/** Artifact path of the searched space on the search run. */
export const SPACE_ARTIFACT = "search/space.json";

/** How a search starts: its checked options, and for a resume the stored run, space and trials. */
export interface SearchStart {
  /** The checked options, models and metric still open. */
  readonly partial: PartialPlan;
  /** Models asked for (undefined: the task's defaults). */
  readonly models: readonly string[] | undefined;
  /** Metric asked for. */
  readonly metric: string | undefined;
  /** Space overrides of a new search. */
  readonly overrides: SpaceOverrides;
  /** The space a resumed search searched. */
  readonly space?: SearchSpace;
  /** The search run being resumed. */
  readonly run?: Run;
  /** Its FINISHED and FAILED trials, by index. */
  readonly stored: ReadonlyMap<number, StoredTrial>;
}

/** A new search: options checked, the `--space` file parsed. */
export async function newSearch(
  options: SearchOptions,
  resolvePath: (p: string) => string,
): Promise<SearchStart> {
  const partial = checkSearchOptions(options, resolvePath);
  const overrides =
    options.space === undefined
      ? {}
      : parseSpaceOverrides(await readSpaceFile(resolvePath(options.space), options.space), options.space);
  return { partial, models: options.models, metric: options.metric, overrides, stored: new Map() };
}

/** The stored plan, space and finished trials of the search run `options.resume`. */
export async function resumedSearch(options: SearchOptions, tracker: Tracker): Promise<SearchStart> {
  const flag = (k: string) => OPTION_FLAGS[k as keyof SearchOptions] ?? k;
  const given = Object.entries(options)
    .filter(
      ([k, v]) => v !== undefined && k !== "resume" && !(RESUME_OVERRIDES as readonly string[]).includes(k),
    )
    .map(([k]) => flag(k));
  if (given.length > 0) {
    throw invalidParam(
      `--resume continues a search with its stored options; drop ${given.join(", ")} (only ${RESUME_OVERRIDES.map(flag).join(", ")} may change)`,
    );
  }
  const run = await tracker.store.getRun(options.resume!);
  const storedPlan = planFromRun(run);
  checkResumable(run);
  const plan: SearchPlan = {
    ...storedPlan,
    ...(options.parallel !== undefined ? { parallel: options.parallel } : {}),
    ...(options.timeBudgetMs !== undefined ? { timeBudgetMs: options.timeBudgetMs } : {}),
    ...(options.register !== undefined ? { register: options.register } : {}),
    ...(options.alias !== undefined ? { alias: options.alias } : {}),
  };
  const partial = checkSearchOptions({ ...plan, models: plan.models }, (p) => p);
  const artifacts = await tracker.artifactsOf(run.info.runId);
  const space = validateSpace(JSON.parse(await text(await artifacts.get(SPACE_ARTIFACT))) as SearchSpace);
  return {
    partial,
    models: plan.models,
    metric: plan.metric,
    overrides: {},
    space,
    run,
    stored: await loadTrials(tracker.store, run.info),
  };
}

/** A finished search cannot be resumed, nor one still running in a live process. */
function checkResumable(run: Run): void {
  const id = run.info.runId;
  if (run.info.status === "FINISHED") {
    throw new KeelError(
      "INVALID_STATE",
      `Search run ${id} already finished; start a new search instead of resuming it`,
    );
  }
  if (run.info.status !== "RUNNING") return;
  const tag = (key: string) => run.data.tags.find((t) => t.key === key)?.value;
  const pid = Number(tag(SYSTEM_TAGS.pid));
  if (Number.isInteger(pid) && pid !== process.pid && isProcessAlive(pid)) {
    throw new KeelError(
      "INVALID_STATE",
      `Search run ${id} is still running (process ${pid}); stop it (Ctrl-C) before resuming`,
    );
  }
}

async function readSpaceFile(path: string, given: string): Promise<string> {
  try {
    return await readFile(path, "utf8");
  } catch {
    throw invalidParam(`--space '${given}': cannot read ${path}; give a YAML file of per-model overrides`);
  }
}
