/**
 * Compare runs (`/compare?runs=a,b,c`): a table of params and metrics with differing rows
 * highlighted, overlaid step curves of a metric, parallel coordinates of params against a
 * metric, and a scatter of one param against a metric.
 */
import { useMemo, useState } from "react";
import { getRun, metricHistory, metricOf, paramOf, runName } from "../api/runs";
import type { Run } from "../api/types";
import { Chart } from "../components/chart";
import { Link } from "../components/link";
import { MetricChart } from "../components/metric-chart";
import { ErrorBox, Loading, Section } from "../components/status";
import { value } from "../format";
import { pathOf, useLocation } from "../router";
import { useAsync } from "../use-async";

/** Sorted union of keys over runs. */
function keysOf(runs: Run[], pick: (r: Run) => { key: string }[] | undefined): string[] {
  return [...new Set(runs.flatMap((r) => (pick(r) ?? []).map((x) => x.key)))].sort();
}

/** The compare page. */
export function ComparePage() {
  const { query } = useLocation();
  const ids = (query.get("runs") ?? "").split(",").filter(Boolean);
  const state = useAsync(() => Promise.all(ids.map(getRun)), [ids.join(",")]);
  if (ids.length < 2)
    return <p>Select two or more runs in an experiment's runs table, then press Compare.</p>;
  if (state.error) return <ErrorBox error={state.error} />;
  if (!state.data) return <Loading what="runs" />;
  return <Comparison runs={state.data} />;
}

function Comparison({ runs }: { runs: Run[] }) {
  const params = keysOf(runs, (r) => r.data.params);
  const metrics = keysOf(runs, (r) => r.data.metrics);
  // Params that differ say what the runs tried; constant ones only clutter the charts.
  const varying = params.filter((p) => new Set(runs.map((r) => paramOf(r, p))).size > 1);
  const chartParams = varying.length > 0 ? varying : params;
  const [metric, setMetric] = useState(metrics.find((m) => !m.startsWith("baseline_")) ?? metrics[0] ?? "");
  const [xParam, setXParam] = useState(
    chartParams.find((p) => runs.every((r) => Number.isFinite(Number(paramOf(r, p))))) ??
      chartParams[0] ??
      "",
  );
  return (
    <>
      <h1>Compare {runs.length} runs</h1>
      <div className="toolbar">
        <label>
          Metric
          <select value={metric} onChange={(e) => setMetric(e.target.value)}>
            {metrics.map((m) => (
              <option key={m}>{m}</option>
            ))}
          </select>
        </label>
        <label>
          Param for the scatter
          <select value={xParam} onChange={(e) => setXParam(e.target.value)}>
            {params.map((p) => (
              <option key={p}>{p}</option>
            ))}
          </select>
        </label>
      </div>
      <Section title="Differences">
        <DiffTable runs={runs} params={params} metrics={metrics} />
      </Section>
      {metric && (
        <>
          <Section title="Metric curves">
            <Curves runs={runs} metric={metric} />
          </Section>
          <div className="columns">
            <Section title="Parallel coordinates">
              <Parallel runs={runs} params={chartParams} metric={metric} />
            </Section>
            <Section title="Scatter">
              <Scatter runs={runs} param={xParam} metric={metric} />
            </Section>
          </div>
        </>
      )}
    </>
  );
}

function DiffTable({ runs, params, metrics }: { runs: Run[]; params: string[]; metrics: string[] }) {
  const [onlyDiff, setOnlyDiff] = useState(false);
  const rows = [
    ...params.map((k) => ({ kind: "param", key: k, cells: runs.map((r) => paramOf(r, k) ?? "") })),
    ...metrics.map((k) => ({ kind: "metric", key: k, cells: runs.map((r) => value(metricOf(r, k))) })),
  ].map((r) => ({ ...r, differs: new Set(r.cells).size > 1 }));
  return (
    <>
      <label className="check">
        <input type="checkbox" checked={onlyDiff} onChange={(e) => setOnlyDiff(e.target.checked)} />
        Only rows that differ
      </label>
      <div className="scroll-x">
        <table className="table compare">
          <caption className="sr-only">Params and metrics of each run; differing rows are marked</caption>
          <thead>
            <tr>
              <th scope="col">Key</th>
              {runs.map((r) => (
                <th key={r.info.run_id} scope="col">
                  <Link to={pathOf("runs", r.info.run_id)}>{runName(r)}</Link>
                </th>
              ))}
            </tr>
          </thead>
          <tbody>
            {rows
              .filter((r) => !onlyDiff || r.differs)
              .map((r) => (
                <tr
                  key={`${r.kind}.${r.key}`}
                  className={r.differs ? "differs" : undefined}
                  data-differs={r.differs}
                >
                  <th scope="row">
                    <span className="muted">{r.kind}s.</span>
                    {r.key}
                    {r.differs && <span className="sr-only"> (differs)</span>}
                  </th>
                  {r.cells.map((c, i) => (
                    <td key={runs[i]!.info.run_id}>{c}</td>
                  ))}
                </tr>
              ))}
          </tbody>
        </table>
      </div>
    </>
  );
}

function Curves({ runs, metric }: { runs: Run[]; metric: string }) {
  const state = useAsync(
    () =>
      Promise.all(
        runs.map(async (r) => ({ name: runName(r), points: await metricHistory(r.info.run_id, metric) })),
      ),
    [runs, metric],
  );
  if (state.error) return <ErrorBox error={state.error} />;
  if (!state.data) return <Loading what="metric histories" />;
  return <MetricChart title={metric} series={state.data.filter((s) => s.points.length > 0)} />;
}

/** A param's values as numbers when they all are, else as categories. */
function axisOf(runs: Run[], key: string) {
  const raw = runs.map((r) => paramOf(r, key));
  const numeric = raw.every((v) => v === undefined || (v.trim() !== "" && Number.isFinite(Number(v))));
  if (numeric)
    return { numeric, values: raw.map((v) => (v === undefined ? null : Number(v))), categories: [] };
  const categories = [...new Set(raw.map((v) => v ?? "(none)"))].sort();
  return { numeric, values: raw.map((v) => v ?? "(none)"), categories };
}

function Parallel({ runs, params, metric }: { runs: Run[]; params: string[]; metric: string }) {
  const option = useMemo(() => {
    const axes = params.slice(0, 12).map((p) => ({ key: p, ...axisOf(runs, p) }));
    return {
      parallelAxis: [
        ...axes.map((a, i) =>
          a.numeric
            ? { dim: i, name: a.key, scale: true }
            : { dim: i, name: a.key, type: "category", data: a.categories },
        ),
        { dim: axes.length, name: metric, scale: true },
      ],
      parallel: { left: 48, right: 64, top: 48, bottom: 24 },
      tooltip: {},
      series: [
        {
          type: "parallel",
          lineStyle: { width: 2, opacity: 0.8 },
          data: runs.map((r, i) => ({
            name: runName(r),
            value: [...axes.map((a) => a.values[i]), metricOf(r, metric) ?? null],
          })),
        },
      ],
    };
  }, [runs, params, metric]);
  if (params.length === 0) return <p className="muted">These runs have no params.</p>;
  return <Chart option={option} label={`Parallel coordinates of params against ${metric}`} height={320} />;
}

function Scatter({ runs, param, metric }: { runs: Run[]; param: string; metric: string }) {
  const option = useMemo(() => {
    const axis = axisOf(runs, param);
    return {
      tooltip: {
        formatter: (p: { data: { name: string; value: unknown[] } }) =>
          `${p.data.name}: ${p.data.value.join(", ")}`,
      },
      grid: { left: 64, right: 24, top: 16, bottom: 48 },
      xAxis: axis.numeric
        ? { type: "value", name: param, nameLocation: "middle", nameGap: 28, scale: true }
        : { type: "category", name: param, nameLocation: "middle", nameGap: 28, data: axis.categories },
      yAxis: { type: "value", name: metric, scale: true },
      series: [
        {
          type: "scatter",
          symbolSize: 12,
          data: runs.map((r, i) => ({
            name: runName(r),
            value: [axis.values[i], metricOf(r, metric) ?? null],
          })),
        },
      ],
    };
  }, [runs, param, metric]);
  if (!param) return <p className="muted">These runs have no params.</p>;
  return <Chart option={option} label={`Scatter of ${param} against ${metric}`} height={320} />;
}
