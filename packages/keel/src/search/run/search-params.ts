/**
 * A search plan as the run params of its parent run, and back: `--resume` rebuilds the plan
 * from them, so a resumed search is the same search.
 */
import { invalidParam } from "../../errors.js";
import type { Run } from "../../store/entities.js";
import type { StrategyName } from "../strategies/strategy.js";
import type { SearchPlan } from "./search-options.js";

/** Tag naming the command that made a run. */
export const COMMAND_TAG = "keel.command";
/** Value of {@link COMMAND_TAG} on search runs. */
export const SEARCH_COMMAND = "search";

/** The plan as run params (text values; optional fields only when set). */
export function planParams(plan: SearchPlan): Record<string, string | number> {
  const out: Record<string, string | number> = {
    data: plan.data,
    target: plan.target,
    models: plan.models.join(","),
    strategy: plan.strategy,
    metric: plan.metric,
    cv: plan.cv,
    trials: plan.trials,
    seed: plan.seed,
    parallel: plan.parallel,
  };
  if (plan.test !== undefined) out.test = plan.test;
  if (plan.task !== undefined) out.task = plan.task;
  if (plan.roles !== undefined) out.roles = JSON.stringify(plan.roles);
  if (plan.timeBudgetMs !== undefined) out.time_budget_ms = plan.timeBudgetMs;
  if (plan.register !== undefined) out.register = plan.register;
  if (plan.alias !== undefined) out.alias = plan.alias;
  return out;
}

/**
 * The plan stored on a search run. A run that is not a search (no `keel.command=search` tag) is
 * INVALID_PARAMETER_VALUE naming what it is.
 */
export function planFromRun(run: Run): SearchPlan {
  const id = run.info.runId;
  const command = run.data.tags.find((t) => t.key === COMMAND_TAG)?.value;
  if (command !== SEARCH_COMMAND) {
    throw invalidParam(
      `--resume ${id}: run ${id} is not a search run (${command ? `it is a '${command}' run` : "it has no keel.command tag"}); pass the id of a \`keel search\` run`,
    );
  }
  const params = new Map(run.data.params.map((p) => [p.key, p.value]));
  const text = (key: string): string => {
    const v = params.get(key);
    if (v === undefined)
      throw invalidParam(`--resume ${id}: the search run has no '${key}' param to resume from`);
    return v;
  };
  const num = (key: string): number => Number(text(key));
  const optional = (key: string): string | undefined => params.get(key);
  const roles = optional("roles");
  const budget = optional("time_budget_ms");
  return {
    data: text("data"),
    target: text("target"),
    ...(optional("test") !== undefined ? { test: optional("test") } : {}),
    ...(optional("task") !== undefined ? { task: optional("task") } : {}),
    ...(roles !== undefined ? { roles: JSON.parse(roles) as SearchPlan["roles"] } : {}),
    models: text("models").split(","),
    strategy: text("strategy") as StrategyName,
    trials: num("trials"),
    ...(budget !== undefined ? { timeBudgetMs: Number(budget) } : {}),
    cv: num("cv"),
    metric: text("metric"),
    parallel: num("parallel"),
    seed: num("seed"),
    ...(optional("register") !== undefined ? { register: optional("register") } : {}),
    ...(optional("alias") !== undefined ? { alias: optional("alias") } : {}),
  };
}
