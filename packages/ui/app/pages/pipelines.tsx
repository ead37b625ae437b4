/**
 * Pipelines: the stage graph of the newest `keel run` — nodes coloured by status (finished,
 * failed, skipped as unchanged, restored from the stage cache) and labelled with durations,
 * edges from keel.yaml's dependencies — and a table of the stage runs.
 */
import { useMemo } from "react";
import { get } from "../api/client";
import type { PipelineRunView, StageRun } from "../api/types";
import { Chart } from "../components/chart";
import { Link } from "../components/link";
import { ErrorBox, Loading, Section, Status } from "../components/status";
import { duration, time } from "../format";
import { navigate, pathOf } from "../router";
import { useAsync } from "../use-async";

const COLORS: Record<string, string> = {
  FINISHED: "#15803d",
  FAILED: "#b91c1c",
  KILLED: "#b91c1c",
  RUNNING: "#1f5fbf",
  SKIPPED: "#6b7280",
  RESTORED: "#0e7490",
};

const stateOf = (s: StageRun | undefined) =>
  !s ? "NOT RUN" : s.skipped ? "SKIPPED" : s.restored ? "RESTORED" : s.status;
const took = (s: StageRun | undefined) => (s?.endTime ? duration(s.endTime - s.startTime) : "");

/** The pipelines page. */
export function PipelinesPage() {
  const state = useAsync(() => get<PipelineRunView>("keel/pipelines/last-run"), []);
  const view = state.data;
  const option = useMemo(() => {
    if (!view) return null;
    const byName = new Map(view.stages.map((s) => [s.name, s]));
    // Layers from keel.yaml's graph; stages only known from runs go in order, one per layer.
    const layered = view.dag?.stages ?? view.stages.map((s, i) => ({ name: s.name, layer: i }));
    const names = [
      ...layered.map((s) => s.name),
      ...view.stages.map((s) => s.name).filter((n) => !layered.some((l) => l.name === n)),
    ];
    const layerOf = new Map(layered.map((s) => [s.name, s.layer]));
    const rowInLayer = new Map<number, number>();
    const nodes = names.map((n, i) => {
      const layer = layerOf.get(n) ?? i;
      const row = rowInLayer.get(layer) ?? 0;
      rowInLayer.set(layer, row + 1);
      const s = byName.get(n);
      const st = stateOf(s);
      return {
        name: n,
        value: [layer * 220, row * 90],
        state: st,
        itemStyle: { color: COLORS[st] ?? "#9ca3af" },
        label: { formatter: `${n}\n${st.toLowerCase()}${took(s) ? ` · ${took(s)}` : ""}` },
      };
    });
    // Stages sit on hidden value axes with fixed ranges: a free graph layout would stretch a
    // two-layer pipeline across the whole width. At least 4 layers and 2 rows of room.
    const maxX = Math.max(660, ...nodes.map((n) => n.value[0]!));
    const maxY = Math.max(90, ...nodes.map((n) => n.value[1]!));
    const axis = (max: number, pad: number, inverse = false) => ({
      type: "value",
      show: false,
      min: -pad,
      max: max + pad,
      inverse,
    });
    return {
      tooltip: {
        formatter: (p: { dataType?: string; name: string; data?: { state?: string } }) =>
          p.dataType === "node" ? `${p.name}: ${p.data?.state?.toLowerCase() ?? ""}` : "",
      },
      grid: { left: 0, right: 0, top: 0, bottom: 0 },
      xAxis: axis(maxX, 110),
      yAxis: axis(maxY, 45, true),
      series: [
        {
          type: "graph",
          coordinateSystem: "cartesian2d",
          symbol: "roundRect",
          symbolSize: [150, 48],
          label: { show: true, color: "#ffffff", fontSize: 12, lineHeight: 16 },
          edgeSymbol: ["none", "arrow"],
          edgeSymbolSize: 10,
          lineStyle: { color: "#4b5563", width: 1.5 },
          data: nodes,
          links: (view.dag?.edges ?? []).map((e) => ({ source: e.from, target: e.to })),
        },
      ],
    };
  }, [view]);
  return (
    <>
      <h1>Pipelines</h1>
      <ErrorBox error={state.error} />
      {state.loading && !view && <Loading what="the last pipeline run" />}
      {view && !view.run && <p className="muted">No pipeline run yet: run `keel run` in the project.</p>}
      {view?.run && (
        <>
          <p>
            Last run <Link to={pathOf("runs", view.run.run_id)}>{view.run.run_name}</Link>{" "}
            <Status status={view.run.status} /> started {time(view.run.start_time)}
            {view.run.end_time ? `, took ${duration(view.run.end_time - view.run.start_time)}` : ""}.
          </p>
          {option && (
            <Section title="Stage graph">
              <Chart
                option={option}
                label={`Stage graph of the last pipeline run: ${view.stages.length} stages`}
                height={320}
                onClick={(p) => {
                  const s = view.stages.find((x) => x.name === p.name);
                  if (s) navigate(pathOf("runs", s.runId));
                }}
              />
            </Section>
          )}
          <Section title="Stages">
            <table className="table" data-testid="stages">
              <caption className="sr-only">Stages of the last pipeline run</caption>
              <thead>
                <tr>
                  <th scope="col">Stage</th>
                  <th scope="col">Status</th>
                  <th scope="col">Duration</th>
                  <th scope="col">Command</th>
                </tr>
              </thead>
              <tbody>
                {view.stages.map((s) => (
                  <tr key={s.runId}>
                    <td>
                      <Link to={pathOf("runs", s.runId)}>{s.name}</Link>
                    </td>
                    <td>
                      <Status status={stateOf(s)} />
                    </td>
                    <td>{took(s)}</td>
                    <td className="mono">{s.command ?? ""}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </Section>
        </>
      )}
    </>
  );
}
