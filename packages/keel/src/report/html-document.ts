/**
 * Self-contained HTML pages: one file, inline CSS, inline SVG, no scripts, fonts or network
 * references, so a report opens offline and can be attached to a run as a single artifact.
 */

const ESCAPES: Readonly<Record<string, string>> = {
  "&": "&amp;",
  "<": "&lt;",
  ">": "&gt;",
  '"': "&quot;",
  "'": "&#39;",
};

/** `text` with the five HTML-special characters escaped (safe in elements and quoted attributes). */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (ch) => ESCAPES[ch] ?? ch);
}

/** The base stylesheet: system fonts, dark-on-light text well above WCAG AA contrast. */
export const BASE_CSS = `
:root { --fg: #1a1a1a; --muted: #4a4a4a; --bg: #ffffff; --card: #f6f7f9; --line: #d0d4da; --accent: #1f5fa8; --warn-bg: #fff4e5; --warn-fg: #7a3e00; }
* { box-sizing: border-box; }
body { margin: 0; padding: 24px; font: 14px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; color: var(--fg); background: var(--bg); }
h1 { font-size: 22px; margin: 0 0 4px; }
h2 { font-size: 16px; margin: 0 0 8px; word-break: break-word; }
.muted { color: var(--muted); }
.grid { display: grid; grid-template-columns: repeat(auto-fill, minmax(420px, 1fr)); gap: 16px; margin-top: 16px; }
.card { background: var(--card); border: 1px solid var(--line); border-radius: 8px; padding: 14px; }
table.stats { border-collapse: collapse; width: 100%; margin-bottom: 10px; }
table.stats th, table.stats td { text-align: left; padding: 2px 6px; border-bottom: 1px solid var(--line); font-variant-numeric: tabular-nums; }
table.stats th { color: var(--muted); font-weight: 600; width: 40%; }
.warnings { background: var(--warn-bg); color: var(--warn-fg); border-radius: 6px; padding: 8px 12px; margin: 8px 0; }
.warnings ul { margin: 0; padding-left: 18px; }
.badge { display: inline-block; padding: 0 6px; border-radius: 4px; background: #e3e8ef; color: var(--fg); font-size: 12px; margin-left: 6px; }
svg.chart { display: block; width: 100%; height: auto; }
svg.chart text { font: 11px system-ui, sans-serif; fill: var(--fg); }
svg.chart .bar { fill: var(--accent); }
svg.chart .axis { stroke: var(--muted); stroke-width: 1; }
`;

/** Options of {@link htmlDocument}. */
export interface HtmlDocumentOptions {
  /** Page title (escaped). */
  readonly title: string;
  /** Body HTML (already escaped by the caller). */
  readonly body: string;
  /** Extra CSS appended to {@link BASE_CSS}. */
  readonly css?: string;
}

/** A complete HTML5 document as one string. */
export function htmlDocument(options: HtmlDocumentOptions): string {
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(options.title)}</title>
<style>${BASE_CSS}${options.css ?? ""}</style>
</head>
<body>
${options.body}
</body>
</html>
`;
}

/** A two-column key/value table; values are escaped. */
export function statsTable(rows: readonly (readonly [string, string])[]): string {
  const body = rows.map(([k, v]) => `<tr><th>${escapeHtml(k)}</th><td>${escapeHtml(v)}</td></tr>`).join("");
  return `<table class="stats"><tbody>${body}</tbody></table>`;
}
