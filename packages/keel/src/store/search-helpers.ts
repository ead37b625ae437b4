/** Small pieces shared by every search: view types and order_by checks. */
import { invalidParam } from "../errors.js";
import type { LifecycleStage, ViewType } from "./entities.js";
import type { OrderBy } from "./search/filter-ast.js";

/** Lifecycle stages a view type selects. */
export function stagesOf(view: ViewType | undefined): LifecycleStage[] {
  if (view === "DELETED_ONLY") return ["deleted"];
  if (view === "ALL") return ["active", "deleted"];
  return ["active"];
}

/** MLflow rejects order_by lists naming one field twice. */
export function assertNoDuplicateOrderKeys(orderBy: OrderBy[]): void {
  const seen = new Set<string>();
  for (const o of orderBy) {
    const id = `${o.entity}.${o.key}`;
    if (seen.has(id))
      throw invalidParam(`\`order_by\` contains duplicate fields: ${id}. Name each field once.`);
    seen.add(id);
  }
}
