import { compactNumber } from "./format-numbers.js";
import { escapeHtml } from "./html-document.js";

/** A bar of a {@link barChartSvg}. */
export interface Bar {
  /** Category label. */
  readonly label: string;
  /** Bar length (>= 0). */
  readonly value: number;
}

/** A bin of a {@link histogramSvg}. */
export interface Bin {
  /** Lower edge. */
  readonly start: number;
  /** Upper edge. */
  readonly end: number;
  /** Height. */
  readonly count: number;
}

/** Common chart options. */
export interface ChartOptions {
  /** Accessible description (the SVG's `<title>` and aria-label). */
  readonly title: string;
  /** Width in SVG units (the chart scales to its container). */
  readonly width?: number;
  /** Formats axis and tooltip numbers. */
  readonly format?: (x: number) => string;
}

const DEFAULT_WIDTH = 400;

function svg(width: number, height: number, title: string, inner: string): string {
  const t = escapeHtml(title);
  return `<svg class="chart" viewBox="0 0 ${width} ${height}" role="img" aria-label="${t}"><title>${t}</title>${inner}</svg>`;
}

/**
 * Vertical bars over contiguous bins (a histogram), with the first and last edge labelled and
 * a tooltip (`<title>`) per bar.
 */
export function histogramSvg(bins: readonly Bin[], options: ChartOptions): string {
  const width = options.width ?? DEFAULT_WIDTH;
  const height = 160;
  const fmt = options.format ?? compactNumber;
  const pad = { left: 44, right: 8, top: 8, bottom: 22 };
  const plotW = width - pad.left - pad.right;
  const plotH = height - pad.top - pad.bottom;
  if (bins.length === 0) return emptyChart(width, height, options.title);
  const maxCount = Math.max(1, ...bins.map((b) => b.count));
  const barW = plotW / bins.length;
  const bars = bins
    .map((b, i) => {
      const h = (b.count / maxCount) * plotH;
      const x = pad.left + i * barW;
      const y = pad.top + plotH - h;
      const tip = escapeHtml(`${fmt(b.start)} – ${fmt(b.end)}: ${b.count}`);
      return `<rect class="bar" x="${r(x + 0.5)}" y="${r(y)}" width="${r(Math.max(barW - 1, 0.5))}" height="${r(h)}"><title>${tip}</title></rect>`;
    })
    .join("");
  const first = bins[0] as Bin;
  const last = bins[bins.length - 1] as Bin;
  const axis =
    `<line class="axis" x1="${pad.left}" y1="${pad.top + plotH}" x2="${pad.left + plotW}" y2="${pad.top + plotH}"/>` +
    `<text x="${pad.left}" y="${height - 6}">${escapeHtml(fmt(first.start))}</text>` +
    `<text x="${pad.left + plotW}" y="${height - 6}" text-anchor="end">${escapeHtml(fmt(last.end))}</text>` +
    `<text x="${pad.left - 4}" y="${pad.top + 10}" text-anchor="end">${escapeHtml(compactNumber(maxCount))}</text>` +
    `<text x="${pad.left - 4}" y="${pad.top + plotH}" text-anchor="end">0</text>`;
  return svg(width, height, options.title, bars + axis);
}

/** Horizontal bars with their labels and values (top categories, feature scores...). */
export function barChartSvg(bars: readonly Bar[], options: ChartOptions): string {
  const width = options.width ?? DEFAULT_WIDTH;
  const rowH = 18;
  const height = Math.max(40, bars.length * rowH + 8);
  if (bars.length === 0) return emptyChart(width, 60, options.title);
  const fmt = options.format ?? compactNumber;
  const labelW = 130;
  const valueW = 48;
  const plotW = width - labelW - valueW;
  const max = Math.max(1e-12, ...bars.map((b) => b.value));
  const rows = bars
    .map((b, i) => {
      const y = 4 + i * rowH;
      const w = (b.value / max) * plotW;
      const label = b.label.length > 20 ? `${b.label.slice(0, 19)}…` : b.label;
      return (
        `<text x="${labelW - 6}" y="${y + 12}" text-anchor="end">${escapeHtml(label)}</text>` +
        `<rect class="bar" x="${labelW}" y="${y + 2}" width="${r(Math.max(w, 0.5))}" height="${rowH - 5}"><title>${escapeHtml(`${b.label}: ${fmt(b.value)}`)}</title></rect>` +
        `<text x="${r(labelW + w + 4)}" y="${y + 12}">${escapeHtml(fmt(b.value))}</text>`
      );
    })
    .join("");
  return svg(width, height, options.title, rows);
}

function emptyChart(width: number, height: number, title: string): string {
  return svg(
    width,
    height,
    title,
    `<text x="${width / 2}" y="${height / 2}" text-anchor="middle">no values</text>`,
  );
}

function r(x: number): string {
  return String(Math.round(x * 10) / 10);
}

/** Two series over the same bins or categories (reference vs current), as shares. */
export interface PairedSeries {
  /** Labels under the chart: bin edges (n + 1 numbers) or category names (n). */
  readonly labels: readonly string[];
  /** First series (drawn as outlined bars). */
  readonly a: readonly number[];
  /** Second series (drawn as filled, translucent bars). */
  readonly b: readonly number[];
  /** Legend names of the two series. */
  readonly names: readonly [string, string];
}

/**
 * Two overlaid histograms (or category bars) on one axis: series `a` outlined (class `bar-a`),
 * series `b` filled translucent (class `bar-b`), a tooltip per bar and a legend. Values are shares.
 */
export function overlaidBarsSvg(series: PairedSeries, options: ChartOptions): string {
  const width = options.width ?? DEFAULT_WIDTH;
  const height = 180;
  const n = series.a.length;
  if (n === 0) return emptyChart(width, height, options.title);
  const pad = { left: 44, right: 8, top: 22, bottom: 22 };
  const plotW = width - pad.left - pad.right;
  const plotH = height - pad.top - pad.bottom;
  const max = Math.max(1e-12, ...series.a, ...series.b);
  const barW = plotW / n;
  const pct = (x: number) => `${(x * 100).toFixed(1)}%`;
  const edges = series.labels.length === n + 1;
  const bar = (v: number, i: number, cls: string, name: string) => {
    const h = (v / max) * plotH;
    const label = edges ? `${series.labels[i]} – ${series.labels[i + 1]}` : (series.labels[i] ?? "");
    return `<rect class="${cls}" x="${r(pad.left + i * barW + 0.5)}" y="${r(pad.top + plotH - h)}" width="${r(Math.max(barW - 1, 0.5))}" height="${r(h)}"><title>${escapeHtml(`${name} ${label}: ${pct(v)}`)}</title></rect>`;
  };
  const bars =
    series.a.map((v, i) => bar(v, i, "bar-a", series.names[0])).join("") +
    series.b.map((v, i) => bar(v, i, "bar-b", series.names[1])).join("");
  const first = series.labels[0] ?? "";
  const last = series.labels[series.labels.length - 1] ?? "";
  const axis =
    `<line class="axis" x1="${pad.left}" y1="${pad.top + plotH}" x2="${pad.left + plotW}" y2="${pad.top + plotH}"/>` +
    `<text x="${pad.left}" y="${height - 6}">${escapeHtml(first.length > 24 ? `${first.slice(0, 23)}…` : first)}</text>` +
    `<text x="${pad.left + plotW}" y="${height - 6}" text-anchor="end">${escapeHtml(last.length > 24 ? `${last.slice(0, 23)}…` : last)}</text>` +
    `<text x="${pad.left - 4}" y="${pad.top + 10}" text-anchor="end">${escapeHtml(pct(max))}</text>` +
    `<text x="${pad.left - 4}" y="${pad.top + plotH}" text-anchor="end">0</text>` +
    `<rect class="bar-a" x="${pad.left}" y="4" width="10" height="10"/><text x="${pad.left + 14}" y="13">${escapeHtml(series.names[0])}</text>` +
    `<rect class="bar-b" x="${pad.left + 110}" y="4" width="10" height="10"/><text x="${pad.left + 124}" y="13">${escapeHtml(series.names[1])}</text>`;
  return svg(width, height, options.title, bars + axis);
}
