/**
 * Monitoring: the drift checks `keel monitor watch` tracked (runs tagged
 * `keel.command=monitor-watch`) as a heatmap of per-feature drift verdicts over time (scores in the tooltip), the latest
 * check with its HTML drift report, and the alerts (checks where the dataset drifted, and
 * detector alerts recorded as `keel.alert*` tags).
 */
import { useMemo } from "react";
import { artifactBlob, get } from "../api/client";
import { metricOf, runName } from "../api/runs";
import type { FileInfo, Run } from "../api/types";
import { Chart } from "../components/chart";
import { Link } from "../components/link";
import { ErrorBox, Loading, Section } from "../components/status";
import { time, value } from "../format";
import { pathOf } from "../router";
import { useAsync } from "../use-async";

const SCORE = "drift_score.";
const FLAG = "drift.";

/** Features with a drift score in any check, sorted. */
function featuresOf(runs: Run[]): string[] {
  const out = new Set<string>();
  for (const r of runs)
    for (const m of r.data.metrics ?? []) if (m.key.startsWith(SCORE)) out.add(m.key.slice(SCORE.length));
  return [...out].sort();
}

/** Alerts of one check: dataset drift, and any `keel.alert*` tag. */
function alertsOf(run: Run): string[] {
  const out: string[] = [];
  if (metricOf(run, "dataset_drift") === 1) {
    const drifted = featuresOf([run]).filter((f) => metricOf(run, `${FLAG}${f}`) === 1);
    out.push(
      `dataset drift: ${drifted.join(", ") || "share above threshold"} (share ${value(metricOf(run, "drift_share"))})`,
    );
  }
  for (const t of run.data.tags ?? [])
    if (t.key.startsWith("keel.alert")) out.push(`${t.key.slice("keel.".length)}: ${t.value}`);
  return out;
}

/** The monitoring page. */
export function MonitoringPage() {
  const state = useAsync(() => get<{ runs?: Run[] }>("keel/monitor/checks", { max_results: 500 }), []);
  const runs = state.data?.runs ?? [];
  const features = useMemo(() => featuresOf(runs), [runs]);
  const latest = runs.at(-1);
  const alerts = runs.flatMap((r) => alertsOf(r).map((a) => ({ run: r, text: a }))).reverse();
  // Colour = the check's verdict per feature (drift.<f>: scores are p-values for some tests and
  // distances for others, so their scales do not compare); the tooltip gives the score.
  const heatmap = useMemo(
    () => ({
      tooltip: {
        formatter: (p: { data: [number, number, number] }) => {
          const r = runs[p.data[0]];
          const f = features[p.data[1]]!;
          return `${f} at ${time(r?.info.start_time)}: ${p.data[2] === 1 ? "drift" : "no drift"}, score ${value(r ? metricOf(r, `${SCORE}${f}`) : undefined)}`;
        },
      },
      grid: { left: 120, right: 24, top: 16, bottom: 72 },
      xAxis: {
        type: "category",
        data: runs.map((r) => time(r.info.start_time)),
        axisLabel: { rotate: 30, hideOverlap: true },
      },
      yAxis: { type: "category", data: features },
      visualMap: {
        type: "piecewise",
        orient: "horizontal",
        left: "center",
        bottom: 0,
        pieces: [
          { value: 0, label: "no drift", color: "#dbeafe" },
          { value: 1, label: "drift", color: "#b91c1c" },
        ],
      },
      series: [
        {
          type: "heatmap",
          itemStyle: { borderColor: "#ffffff", borderWidth: 2 },
          data: runs.flatMap((r, x) =>
            features.flatMap((f, y) => {
              const drifted = metricOf(r, `${FLAG}${f}`);
              return drifted === undefined ? [] : [[x, y, drifted]];
            }),
          ),
        },
      ],
    }),
    [runs, features],
  );
  return (
    <>
      <h1>Monitoring</h1>
      <ErrorBox error={state.error} />
      {state.loading && !state.data && <Loading what="drift checks" />}
      {state.data && runs.length === 0 && (
        <p className="muted">No tracked drift checks: run `keel monitor watch` to record one per interval.</p>
      )}
      {runs.length > 0 && (
        <>
          <Section title="Drift per feature over time">
            <Chart
              option={heatmap}
              label={`Drift scores of ${features.length} features over ${runs.length} checks`}
              height={Math.max(220, 60 + features.length * 28)}
            />
          </Section>
          <Section title="Alerts">
            {alerts.length === 0 ? (
              <p className="muted">No alerts.</p>
            ) : (
              <ul data-testid="alerts">
                {alerts.map((a) => (
                  <li key={`${a.run.info.run_id}-${a.text}`}>
                    {time(a.run.info.start_time)} — {a.text} (
                    <Link to={pathOf("runs", a.run.info.run_id)}>{runName(a.run)}</Link>)
                  </li>
                ))}
              </ul>
            )}
          </Section>
          {latest && (
            <Section title="Latest check">
              <LatestCheck run={latest} features={features} />
            </Section>
          )}
        </>
      )}
    </>
  );
}

function LatestCheck({ run, features }: { run: Run; features: string[] }) {
  return (
    <>
      <p>
        <Link to={pathOf("runs", run.info.run_id)}>{runName(run)}</Link> at {time(run.info.start_time)}:
        dataset drift {metricOf(run, "dataset_drift") === 1 ? "detected" : "not detected"}, drift share{" "}
        {value(metricOf(run, "drift_share"))}.
      </p>
      <table className="table">
        <caption className="sr-only">Drift of each feature in the latest check</caption>
        <thead>
          <tr>
            <th scope="col">Feature</th>
            <th scope="col" className="num">
              Score
            </th>
            <th scope="col">Drifted</th>
          </tr>
        </thead>
        <tbody>
          {features.map((f) => (
            <tr key={f}>
              <th scope="row">{f}</th>
              <td className="num">{value(metricOf(run, `${SCORE}${f}`))}</td>
              <td>{metricOf(run, `${FLAG}${f}`) === 1 ? "yes" : "no"}</td>
            </tr>
          ))}
        </tbody>
      </table>
      <Report runId={run.info.run_id} />
    </>
  );
}

/** The check's HTML drift report (the first `.html` artifact, at the root or one folder down). */
function Report({ runId }: { runId: string }) {
  const state = useAsync(async () => {
    const list = (path: string) =>
      get<{ files?: FileInfo[] }>("mlflow/artifacts/list", { run_id: runId, path }).then(
        (r) => r.files ?? [],
      );
    const root = await list("");
    const nested = await Promise.all(root.filter((f) => f.is_dir).map((f) => list(f.path)));
    const html = [...root, ...nested.flat()].find((f) => !f.is_dir && f.path.endsWith(".html"));
    return html ? { path: html.path, text: await (await artifactBlob(runId, html.path)).text() } : null;
  }, [runId]);
  if (state.error) return <ErrorBox error={state.error} />;
  if (state.loading) return <Loading what="drift report" />;
  if (!state.data) return <p className="muted">This check logged no HTML report.</p>;
  return (
    <>
      <h3>Report {state.data.path}</h3>
      <iframe title="Latest drift report" className="report" sandbox="" srcDoc={state.data.text} />
    </>
  );
}
