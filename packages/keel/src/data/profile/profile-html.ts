import { compactNumber, formatBytes } from "../../report/format-numbers.js";
import { escapeHtml, htmlDocument, statsTable } from "../../report/html-document.js";
import { barChartSvg, histogramSvg } from "../../report/svg-charts.js";
import type { ColumnProfile, DatasetProfile, ProfileValue } from "./dataset-profile.js";

/** Where the profiled data came from, shown in the report header. */
export interface ProfileSource {
  /** File path or dataset reference. */
  readonly path: string;
  /** Size in bytes, when a file. */
  readonly bytes?: number;
}

/** The profile as one self-contained HTML page: a header, warnings, and one card per column. */
export function profileHtml(profile: DatasetProfile, source: ProfileSource): string {
  const sample = profile.sample
    ? ` · sample of ${profile.sample.rows.toLocaleString("en-US")} of ${profile.sample.totalRows.toLocaleString("en-US")} rows (seed ${profile.sample.seed})`
    : "";
  const size = source.bytes === undefined ? "" : ` · ${formatBytes(source.bytes)}`;
  const header =
    `<h1>Data profile: ${escapeHtml(source.path)}</h1>` +
    `<p class="muted">${profile.rowCount.toLocaleString("en-US")} rows · ${profile.columnCount} columns${size}${sample} · profiled in ${(profile.durationMs / 1000).toFixed(2)} s</p>` +
    warningsBlock(profile.warnings.map((w) => w.message));
  const cards = profile.columns.map(columnCard).join("\n");
  return htmlDocument({
    title: `Profile of ${source.path}`,
    body: `${header}<div class="grid">${cards}</div>`,
  });
}

function columnCard(c: ColumnProfile): string {
  return (
    `<section class="card" id="col-${escapeHtml(c.name)}">` +
    `<h2>${escapeHtml(c.name)}<span class="badge">${escapeHtml(c.type)}</span></h2>` +
    warningsBlock(c.warnings.map((w) => w.message)) +
    statsTable(statRows(c)) +
    chart(c) +
    `</section>`
  );
}

function statRows(c: ColumnProfile): [string, string][] {
  const rows: [string, string][] = [
    ["values", c.count.toLocaleString("en-US")],
    ["missing", `${c.missing.toLocaleString("en-US")} (${(c.missingShare * 100).toFixed(1)}%)`],
    ["distinct", `${c.distinct.toLocaleString("en-US")}${c.distinctExact ? "" : " (approx.)"}`],
    ["min", show(c.min)],
    ["max", show(c.max)],
  ];
  if (c.mean !== null) rows.push(["mean", show(c.mean)]);
  if (c.std !== null) rows.push(["std", show(c.std)]);
  if (c.skewness !== null) rows.push(["skewness", show(c.skewness)]);
  if (c.quantiles !== null) {
    const q = c.quantiles;
    rows.push(["p1 / p5", `${show(q.p1)} / ${show(q.p5)}`]);
    rows.push(["p25 / p50 / p75", `${show(q.p25)} / ${show(q.p50)} / ${show(q.p75)}`]);
    rows.push(["p95 / p99", `${show(q.p95)} / ${show(q.p99)}`]);
  }
  return rows;
}

// Exactly one chart per column: the histogram, else the top categories, else an empty chart.
function chart(c: ColumnProfile): string {
  if (c.histogram !== null) {
    const datetime = c.histogram.kind === "datetime";
    const format = datetime ? (ms: number) => new Date(ms).toISOString().slice(0, 10) : compactNumber;
    const by = datetime ? ` by ${c.histogram.unit}` : "";
    return histogramSvg(c.histogram.bins, { title: `Histogram of ${c.name}${by}`, format });
  }
  const bars = (c.topCategories ?? []).map((t) => ({ label: t.value, value: t.count }));
  return barChartSvg(bars, { title: `Top ${bars.length} values of ${c.name}` });
}

function warningsBlock(messages: readonly string[]): string {
  if (messages.length === 0) return "";
  return `<div class="warnings"><ul>${messages.map((m) => `<li>${escapeHtml(m)}</li>`).join("")}</ul></div>`;
}

function show(v: ProfileValue | null): string {
  if (v === null) return "–";
  if (typeof v === "number")
    return Number.isInteger(v) ? v.toLocaleString("en-US") : String(Number(v.toPrecision(6)));
  return v;
}
