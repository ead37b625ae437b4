/**
 * `keel monitor report` as one self-contained HTML page: drift share per check, a per-feature
 * drift heatmap, accuracy and ROC-AUC (or MAE) per model version over time, detector alarms and
 * episodes.
 */
import { compactNumber } from "../../report/format-numbers.js";
import { escapeHtml, htmlDocument } from "../../report/html-document.js";
import { type HeatCell, heatmapSvg, type LineSeries, lineChartSvg } from "../../report/svg-timeseries.js";
import type { CheckHistory, CheckRecord } from "./check-history.js";

const CSS = `
table.checks { border-collapse: collapse; margin-top: 8px; }
table.checks th, table.checks td { padding: 2px 8px; border-bottom: 1px solid var(--line); text-align: left; font-variant-numeric: tabular-nums; }
.drift { color: #8a1111; font-weight: 600; }
section { margin-top: 20px; }
`;

const iso = (t: number) => new Date(t).toISOString().replace(".000Z", "Z");
const shortTime = (t: number) => new Date(t).toISOString().slice(5, 19).replace("T", " ");

/** Metric names `prefix.<x>` of any check, sorted. */
export function metricSuffixes(checks: readonly CheckRecord[], prefix: string): string[] {
  const names = new Set<string>();
  for (const c of checks)
    for (const k of Object.keys(c.metrics))
      if (k.startsWith(`${prefix}.`)) names.add(k.slice(prefix.length + 1));
  return [...names].sort((a, b) => a.localeCompare(b, "en", { numeric: true }));
}

function heatmap(checks: readonly CheckRecord[]): string {
  const features = metricSuffixes(checks, "drift");
  const cells: HeatCell[][] = features.map((f) =>
    checks.map((c) => {
      const score = c.metrics[`drift_score.${f}`];
      const drifted = c.metrics[`drift.${f}`] === 1;
      return {
        // The score's scale depends on the test: show drifted / not, and the score in the tooltip.
        value: score === undefined ? null : drifted ? 1 : 0.15,
        flagged: drifted,
        tip: `${f} at ${iso(c.time)}: ${score === undefined ? "not tested" : `score ${compactNumber(score)}${drifted ? ", drifted" : ""}`}`,
      };
    }),
  );
  return heatmapSvg(cells, {
    title: "Per-feature drift by check (dark with a dot: drifted)",
    rows: features,
    columns: checks.map((c) => shortTime(c.time)),
  });
}

function perVersion(checks: readonly CheckRecord[], metric: "accuracy" | "auc" | "mae"): LineSeries[] {
  return metricSuffixes(checks, metric).map((v) => ({
    name: `${metric} v${v}`,
    points: checks.map((c) => ({ x: c.time, y: c.metrics[`${metric}.${v}`] ?? null })),
  }));
}

/** The report page of `history`. */
export function monitorReportHtml(history: CheckHistory): string {
  const { checks, episodes } = history;
  const fmtX = (x: number) => shortTime(x);
  const range =
    checks.length === 0 ? "no checks" : `${iso(checks[0]!.time)} – ${iso(checks[checks.length - 1]!.time)}`;
  const drifting = checks.filter((c) => c.verdict === "drift").length;
  let body = `<h1>Monitoring report: ${escapeHtml(history.endpoint)}</h1>
<p class="muted">experiment ${escapeHtml(history.experiment)} · ${checks.length} checks (${drifting} drifting) · ${episodes.length} drift episode(s) · ${escapeHtml(range)}</p>`;
  if (checks.length === 0)
    return htmlDocument({
      title: `Monitoring ${history.endpoint}`,
      body: `${body}<p>No checks in this range.</p>`,
      css: CSS,
    });
  body += `<section><h2>Share of drifted features</h2>${lineChartSvg(
    [{ name: "drift share", points: checks.map((c) => ({ x: c.time, y: c.metrics.drift_share ?? null })) }],
    { title: "Share of drifted features per check", yDomain: [0, 1], threshold: 0.5, formatX: fmtX },
  )}</section>`;
  body += `<section><h2>Feature drift</h2>${heatmap(checks)}</section>`;
  const acc = perVersion(checks, "accuracy");
  if (acc.length > 0)
    body += `<section><h2>Accuracy per version (window)</h2>${lineChartSvg(acc, { title: "Accuracy per model version over time", formatX: fmtX })}</section>`;
  const auc = perVersion(checks, "auc");
  if (auc.length > 0)
    body += `<section><h2>ROC-AUC per version (window)</h2>${lineChartSvg(auc, { title: "ROC-AUC per model version over time (binary classifiers)", formatX: fmtX })}</section>`;
  const mae = perVersion(checks, "mae");
  if (mae.length > 0)
    body += `<section><h2>Mean absolute error per version (window)</h2>${lineChartSvg(mae, { title: "MAE per model version over time", formatX: fmtX })}</section>`;
  const rows = episodes
    .map(
      (e) =>
        `<tr><td>${e.number}</td><td>${escapeHtml(iso(e.start))}</td><td>${escapeHtml(iso(e.lastDrift))}</td><td>${e.end === null ? "ongoing" : escapeHtml(iso(e.end))}</td><td>${e.checks}</td></tr>`,
    )
    .join("");
  body += `<section><h2>Drift episodes</h2>${
    episodes.length === 0
      ? "<p>None.</p>"
      : `<table class="checks"><thead><tr><th>#</th><th>started</th><th>last drifting check</th><th>ended</th><th>checks</th></tr></thead><tbody>${rows}</tbody></table>`
  }</section>`;
  const alarms = checks.filter((c) => c.metrics.concept_drift === 1 || c.metrics.concept_warning === 1);
  body += `<section><h2>Concept-drift detector alarms</h2>${
    alarms.length === 0
      ? "<p>None.</p>"
      : `<table class="checks"><thead><tr><th>check</th><th>signal</th><th>versions</th><th>labelled (new)</th></tr></thead><tbody>${alarms
          .map((c) => {
            const versions = metricSuffixes([c], "concept_drift").filter(
              (v) => c.metrics[`concept_drift.${v}`] === 1,
            );
            return `<tr><td>${escapeHtml(iso(c.time))}</td><td class="${c.metrics.concept_drift === 1 ? "drift" : ""}">${c.metrics.concept_drift === 1 ? "drift" : "warning"}</td><td>${escapeHtml(versions.join(", "))}</td><td>${c.metrics.n_labelled_new ?? 0}</td></tr>`;
          })
          .join("")}</tbody></table>`
  }</section>`;
  body += `<section><h2>Checks</h2><table class="checks"><thead><tr><th>time</th><th>verdict</th><th>episode</th><th>drift share</th><th>prediction drift</th><th>accuracy</th><th>predictions</th><th>labelled</th><th>run</th></tr></thead><tbody>${checks
    .map((c) => {
      const m = c.metrics;
      const n = (x: number | undefined) => (x === undefined ? "–" : compactNumber(x));
      return `<tr><td>${escapeHtml(iso(c.time))}</td><td class="${c.verdict === "drift" ? "drift" : ""}">${escapeHtml(c.verdict ?? c.status)}</td><td>${c.episode ?? ""}</td><td>${n(m.drift_share)}</td><td>${m.prediction_drift === undefined ? "–" : m.prediction_drift === 1 ? "yes" : "no"}</td><td>${n(m.accuracy ?? m.mae)}</td><td>${n(m.n_predictions)}</td><td>${n(m.n_labelled)}</td><td>${escapeHtml(c.runId.slice(0, 8))}</td></tr>`;
    })
    .join("")}</tbody></table></section>`;
  return htmlDocument({ title: `Monitoring ${history.endpoint}`, body, css: CSS });
}
