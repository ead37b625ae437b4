/**
 * `keel dag`: the stage graph as a layered terminal drawing, as Mermaid `flowchart TD` text, or
 * as data. Layer k holds the stages whose deepest upstream stage is in layer k-1.
 */
import { layers, type PipelineGraph } from "./pipeline-graph.js";
import { commandText } from "./stage.js";

/** The graph as data (`keel dag --json`). */
export interface DagJson {
  stages: { name: string; layer: number; cmd: string | string[]; deps: string[]; outs: string[] }[];
  edges: { from: string; to: string; paths: string[] }[];
}

/** The graph as plain data. */
export function dagJson(graph: PipelineGraph): DagJson {
  const stages = layers(graph).flatMap((layer, i) =>
    layer.map((s) => ({
      name: s.name,
      layer: i,
      cmd: commandText(s.command),
      deps: s.deps.map((d) => d.path),
      outs: s.outputs.map((o) => o.path),
    })),
  );
  const edges = graph.order.flatMap((s) =>
    (graph.upstream.get(s.name) ?? []).map((e) => ({ from: e.from, to: e.to, paths: [...e.paths] })),
  );
  return { stages, edges };
}

/** Mermaid text: `flowchart TD`, one node per stage (ids s0, s1... with the name as label). */
export function dagMermaid(graph: PipelineGraph): string {
  const ids = new Map(graph.order.map((s, i) => [s.name, `s${i}`]));
  const lines = ["flowchart TD"];
  for (const s of graph.order) lines.push(`  ${ids.get(s.name)}["${s.name.replace(/"/g, "#quot;")}"]`);
  for (const s of graph.order) {
    for (const e of graph.upstream.get(s.name) ?? []) lines.push(`  ${ids.get(e.from)} --> ${ids.get(e.to)}`);
  }
  return `${lines.join("\n")}\n`;
}

/**
 * A layered drawing: each layer is a row of boxed stage names, and below it the edges leaving
 * that layer (`a -> b, c`).
 *
 * ```
 * ┌─────────┐
 * │ prepare │
 * └─────────┘
 *      │ prepare -> train@gbdt, train@rf
 *      ▼
 * ┌────────────┐  ┌──────────┐
 * │ train@gbdt │  │ train@rf │
 * └────────────┘  └──────────┘
 * ```
 */
export function dagAscii(graph: PipelineGraph): string {
  const rows = layers(graph);
  if (rows.length === 0) return "(no stages: add some under stages: in keel.yaml)\n";
  const out: string[] = [];
  rows.forEach((row, i) => {
    const boxes = row.map((s) => s.name);
    out.push(boxes.map((b) => `┌${"─".repeat(b.length + 2)}┐`).join("  "));
    out.push(boxes.map((b) => `│ ${b} │`).join("  "));
    out.push(boxes.map((b) => `└${"─".repeat(b.length + 2)}┘`).join("  "));
    if (i === rows.length - 1) return;
    const leaving = row.flatMap((s) => {
      const to = graph.downstream.get(s.name) ?? [];
      return to.length === 0 ? [] : [`     │ ${s.name} -> ${to.join(", ")}`];
    });
    out.push(...(leaving.length > 0 ? leaving : ["     │"]), "     ▼");
  });
  return `${out.join("\n")}\n`;
}
