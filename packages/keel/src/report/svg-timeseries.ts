/**
 * SVG charts over time for monitoring reports: lines (one per series) and a heatmap (rows ×
 * time steps). Inline, self-contained, with a `<title>` tooltip per point or cell.
 */
import { compactNumber } from "./format-numbers.js";
import { escapeHtml } from "./html-document.js";

/** One line of a {@link lineChartSvg}. */
export interface LineSeries {
  /** Legend name. */
  readonly name: string;
  /** Points in x order; null values break the line. */
  readonly points: readonly { readonly x: number; readonly y: number | null }[];
}

/** Options of {@link lineChartSvg}. */
export interface LineChartOptions {
  /** Accessible description (`<title>`, aria-label). */
  readonly title: string;
  /** Width in SVG units (default 720). */
  readonly width?: number;
  /** Fixed y range; default the data's range. */
  readonly yDomain?: readonly [number, number];
  /** A horizontal reference line (a threshold), drawn dashed. */
  readonly threshold?: number;
  /** Formats x values in tooltips and the axis (default: a number). */
  readonly formatX?: (x: number) => string;
  /** Formats y values (default {@link compactNumber}). */
  readonly formatY?: (y: number) => string;
}

/** Series colours with good contrast on white (and distinguishable in grey by their markers). */
export const SERIES_COLOURS = ["#1f5fa8", "#b3261e", "#1e7b34", "#7a3e9d", "#a15c00", "#00677f"] as const;

const r = (x: number) => String(Math.round(x * 10) / 10);

function frame(width: number, height: number, title: string, inner: string): string {
  const t = escapeHtml(title);
  return `<svg class="chart" viewBox="0 0 ${width} ${height}" role="img" aria-label="${t}"><title>${t}</title>${inner}</svg>`;
}

/** Lines over a shared x axis (time or check number), with a legend and point tooltips. */
export function lineChartSvg(series: readonly LineSeries[], options: LineChartOptions): string {
  const width = options.width ?? 720;
  const height = 220;
  const pad = { left: 48, right: 12, top: 24, bottom: 24 };
  const fx = options.formatX ?? ((x: number) => compactNumber(x));
  const fy = options.formatY ?? compactNumber;
  const pts = series.flatMap((s) => s.points.filter((p) => p.y !== null && Number.isFinite(p.y)));
  if (pts.length === 0) {
    return frame(
      width,
      60,
      options.title,
      `<text x="${width / 2}" y="30" text-anchor="middle">no values</text>`,
    );
  }
  const xs = pts.map((p) => p.x);
  const ys = pts.map((p) => p.y as number);
  if (options.threshold !== undefined) ys.push(options.threshold);
  let [y0, y1] = options.yDomain ?? [Math.min(...ys), Math.max(...ys)];
  if (y0 === y1) [y0, y1] = [y0 - 0.5, y1 + 0.5];
  let [x0, x1] = [Math.min(...xs), Math.max(...xs)];
  if (x0 === x1) [x0, x1] = [x0 - 1, x1 + 1];
  const plotW = width - pad.left - pad.right;
  const plotH = height - pad.top - pad.bottom;
  const X = (x: number) => pad.left + ((x - x0) / (x1 - x0)) * plotW;
  const Y = (y: number) => pad.top + plotH - ((y - y0) / (y1 - y0)) * plotH;
  const lines = series
    .map((s, i) => {
      const colour = SERIES_COLOURS[i % SERIES_COLOURS.length];
      let d = "";
      let pen = false;
      let dots = "";
      for (const p of s.points) {
        if (p.y === null || !Number.isFinite(p.y)) {
          pen = false;
          continue;
        }
        d += `${pen ? "L" : "M"}${r(X(p.x))},${r(Y(p.y))}`;
        pen = true;
        dots += `<circle cx="${r(X(p.x))}" cy="${r(Y(p.y))}" r="2.5" fill="${colour}"><title>${escapeHtml(`${s.name} at ${fx(p.x)}: ${fy(p.y)}`)}</title></circle>`;
      }
      return `<path d="${d}" fill="none" stroke="${colour}" stroke-width="1.6"/>${dots}`;
    })
    .join("");
  const legend = series
    .map((s, i) => {
      const x = pad.left + i * 140;
      return `<rect x="${x}" y="6" width="10" height="10" fill="${SERIES_COLOURS[i % SERIES_COLOURS.length]}"/><text x="${x + 14}" y="15">${escapeHtml(s.name.length > 20 ? `${s.name.slice(0, 19)}…` : s.name)}</text>`;
    })
    .join("");
  const threshold =
    options.threshold === undefined
      ? ""
      : `<line x1="${pad.left}" x2="${pad.left + plotW}" y1="${r(Y(options.threshold))}" y2="${r(Y(options.threshold))}" stroke="#4a4a4a" stroke-dasharray="4 3"><title>${escapeHtml(`threshold ${fy(options.threshold)}`)}</title></line>`;
  const axis =
    `<line class="axis" x1="${pad.left}" y1="${pad.top + plotH}" x2="${pad.left + plotW}" y2="${pad.top + plotH}"/>` +
    `<line class="axis" x1="${pad.left}" y1="${pad.top}" x2="${pad.left}" y2="${pad.top + plotH}"/>` +
    `<text x="${pad.left - 4}" y="${pad.top + 4}" text-anchor="end">${escapeHtml(fy(y1))}</text>` +
    `<text x="${pad.left - 4}" y="${pad.top + plotH}" text-anchor="end">${escapeHtml(fy(y0))}</text>` +
    `<text x="${pad.left}" y="${height - 6}">${escapeHtml(fx(x0))}</text>` +
    `<text x="${pad.left + plotW}" y="${height - 6}" text-anchor="end">${escapeHtml(fx(x1))}</text>`;
  return frame(width, height, options.title, axis + threshold + lines + legend);
}

/** A cell of a {@link heatmapSvg}. */
export interface HeatCell {
  /** Intensity in [0, 1] (e.g. score / threshold, capped); null for no value. */
  readonly value: number | null;
  /** Marked with a dot (e.g. drifted). */
  readonly flagged: boolean;
  /** Tooltip text. */
  readonly tip: string;
}

/** Options of {@link heatmapSvg}. */
export interface HeatmapOptions {
  /** Accessible description. */
  readonly title: string;
  /** Row labels (features). */
  readonly rows: readonly string[];
  /** Column labels (time steps), shown first and last. */
  readonly columns: readonly string[];
  /** Width in SVG units (default 720). */
  readonly width?: number;
}

/** Rows × columns of cells shaded white to dark red by value; flagged cells carry a dot. */
export function heatmapSvg(cells: readonly (readonly HeatCell[])[], options: HeatmapOptions): string {
  const width = options.width ?? 720;
  const labelW = 140;
  const rowH = 18;
  const height = options.rows.length * rowH + 34;
  const n = options.columns.length;
  if (n === 0 || options.rows.length === 0) {
    return frame(
      width,
      60,
      options.title,
      `<text x="${width / 2}" y="30" text-anchor="middle">no values</text>`,
    );
  }
  const cellW = (width - labelW - 8) / n;
  const shade = (v: number) => {
    const t = Math.max(0, Math.min(1, v));
    // White to #8a1111 in sRGB: light cells stay readable, dark ones are unmistakable.
    const c = (a: number, b: number) => Math.round(a + (b - a) * t);
    return `rgb(${c(255, 138)},${c(255, 17)},${c(255, 17)})`;
  };
  let inner = "";
  options.rows.forEach((label, i) => {
    const y = 4 + i * rowH;
    inner += `<text x="${labelW - 6}" y="${y + 12}" text-anchor="end">${escapeHtml(label.length > 20 ? `${label.slice(0, 19)}…` : label)}</text>`;
    (cells[i] ?? []).forEach((cell, j) => {
      const x = labelW + j * cellW;
      const fill = cell.value === null ? "#eceef1" : shade(cell.value);
      inner += `<rect x="${r(x)}" y="${y}" width="${r(Math.max(cellW - 1, 0.5))}" height="${rowH - 2}" fill="${fill}"><title>${escapeHtml(cell.tip)}</title></rect>`;
      if (cell.flagged)
        inner += `<circle cx="${r(x + cellW / 2)}" cy="${y + rowH / 2 - 1}" r="${Math.min(3, cellW / 3).toFixed(1)}" fill="#ffffff" stroke="#1a1a1a" stroke-width="0.8"/>`;
    });
  });
  const yAxis = options.rows.length * rowH + 4;
  inner +=
    `<text x="${labelW}" y="${yAxis + 14}">${escapeHtml(options.columns[0] ?? "")}</text>` +
    `<text x="${width - 8}" y="${yAxis + 14}" text-anchor="end">${escapeHtml(options.columns[n - 1] ?? "")}</text>`;
  return frame(width, height, options.title, inner);
}
