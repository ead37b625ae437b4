/** The drift report as one self-contained HTML page: verdict, a summary table, one card per column. */
import { compactNumber } from "../../report/format-numbers.js";
import { escapeHtml, htmlDocument, statsTable } from "../../report/html-document.js";
import { overlaidBarsSvg } from "../../report/svg-charts.js";
import type { ColumnDrift, DriftReport } from "./drift-report.js";

/** What was compared, shown in the header. */
export interface DriftSources {
  /** Reference dataset reference or file. */
  readonly reference: string;
  /** Current file or `endpoint:NAME` with its window. */
  readonly current: string;
}

const CSS = `
svg.chart .bar-a { fill: none; stroke: #1a1a1a; stroke-width: 1.2; }
svg.chart .bar-b { fill: #1f5fa8; fill-opacity: 0.55; }
.verdict { font-size: 16px; font-weight: 600; padding: 8px 12px; border-radius: 6px; display: inline-block; margin: 8px 0; }
.verdict.drift { background: #fde8e8; color: #8a1111; }
.verdict.ok { background: #e6f4ea; color: #0f5a24; }
table.summary { border-collapse: collapse; width: 100%; margin-top: 12px; }
table.summary th, table.summary td { text-align: left; padding: 3px 8px; border-bottom: 1px solid var(--line); font-variant-numeric: tabular-nums; }
td.drifted { color: #8a1111; font-weight: 600; }
`;

const num = (x: number | null) =>
  x === null ? "–" : Number.isFinite(x) ? String(Number(x.toPrecision(6))) : String(x);
const pct = (x: number) => `${(x * 100).toFixed(1)}%`;

/** The report as a complete HTML document (no scripts, fonts or network references). */
export function driftHtml(report: DriftReport, sources: DriftSources): string {
  const verdict = report.datasetDrift
    ? `<div class="verdict drift">Dataset drift: ${report.numberOfDriftedColumns} of ${report.numberOfColumns} features drifted (${pct(report.shareOfDriftedColumns)} ≥ ${pct(report.driftShare)})</div>`
    : `<div class="verdict ok">No dataset drift: ${report.numberOfDriftedColumns} of ${report.numberOfColumns} features drifted (${pct(report.shareOfDriftedColumns)} &lt; ${pct(report.driftShare)})</div>`;
  const extra = [
    report.predictionDrift === null ? "" : `prediction drift: ${report.predictionDrift ? "yes" : "no"}`,
    report.targetDrift === null ? "" : `target drift: ${report.targetDrift ? "yes" : "no"}`,
  ].filter((s) => s !== "");
  const header =
    `<h1>Drift report</h1>` +
    `<p class="muted">reference ${escapeHtml(sources.reference)} (${report.referenceRows.toLocaleString("en-US")} rows) · current ${escapeHtml(sources.current)} (${report.currentRows.toLocaleString("en-US")} rows) · ${(report.durationMs / 1000).toFixed(2)} s</p>` +
    verdict +
    (extra.length > 0 ? `<p>${escapeHtml(extra.join(" · "))}</p>` : "") +
    notesBlock(report);
  const rows = report.columns
    .map(
      (c) =>
        `<tr><td><a href="#col-${escapeHtml(c.column)}">${escapeHtml(c.column)}</a></td><td>${c.role}</td><td>${c.kind}</td><td>${escapeHtml(c.method ?? "–")}</td><td>${num(c.score)}</td><td>${num(c.threshold)}</td><td class="${c.drifted ? "drifted" : ""}">${c.score === null ? "not tested" : c.drifted ? "drift" : "no"}</td><td>${pct(c.reference.missingShare)} / ${pct(c.current.missingShare)}</td><td>${c.newCategoryCount}</td></tr>`,
    )
    .join("");
  const table = `<table class="summary"><thead><tr><th>column</th><th>role</th><th>type</th><th>method</th><th>score</th><th>threshold</th><th>drifted</th><th>missing ref / cur</th><th>new categories</th></tr></thead><tbody>${rows}</tbody></table>`;
  const cards = report.columns.map(card).join("\n");
  return htmlDocument({
    title: `Drift report: ${sources.current}`,
    body: `${header}${table}<div class="grid">${cards}</div>`,
    css: CSS,
  });
}

function notesBlock(report: DriftReport): string {
  const notes = [
    ...report.skipped.map((s) => `${s.column}: skipped (${s.reason})`),
    report.onlyInReference.length > 0 ? `only in the reference: ${report.onlyInReference.join(", ")}` : "",
    report.onlyInCurrent.length > 0 ? `only in the current data: ${report.onlyInCurrent.join(", ")}` : "",
  ].filter((n) => n !== "");
  return notes.length === 0
    ? ""
    : `<div class="warnings"><ul>${notes.map((n) => `<li>${escapeHtml(n)}</li>`).join("")}</ul></div>`;
}

function card(c: ColumnDrift): string {
  const stats: [string, string][] = [
    ["method", c.methodName === null ? "–" : `${c.methodName}${c.defaultMethod ? " (default)" : ""}`],
    ["score / threshold", `${num(c.score)} / ${num(c.threshold)}`],
    ["drifted", c.score === null ? "not tested" : c.drifted ? "yes" : "no"],
    ["missing (reference / current)", `${pct(c.reference.missingShare)} / ${pct(c.current.missingShare)}`],
    ["distinct (reference / current)", `${c.reference.distinct} / ${c.current.distinct}`],
  ];
  if (c.statistic !== null) stats.push(["statistic", num(c.statistic)]);
  if (c.newCategoryCount > 0) {
    stats.push([
      "new categories",
      `${c.newCategoryCount}: ${c.newCategories
        .slice(0, 5)
        .map((n) => `${n.value} (${n.count})`)
        .join(", ")}`,
    ]);
  }
  const notes = c.notes.length === 0 ? "" : `<p class="muted">${escapeHtml(c.notes.join("; "))}</p>`;
  return `<section class="card" id="col-${escapeHtml(c.column)}"><h2>${escapeHtml(c.column)}<span class="badge">${escapeHtml(c.type)}</span>${c.drifted ? '<span class="badge">drift</span>' : ""}</h2>${statsTable(stats)}${notes}${chart(c)}</section>`;
}

function chart(c: ColumnDrift): string {
  const d = c.distribution;
  if (d === null) return "";
  const labels = d.kind === "numerical" ? d.edges.map(compactNumber) : d.categories;
  return overlaidBarsSvg(
    { labels, a: d.reference, b: d.current, names: ["reference", "current"] },
    { title: `Distribution of ${c.column}: reference vs current` },
  );
}
