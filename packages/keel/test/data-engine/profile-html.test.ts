import { describe, expect, it } from "vitest";
import { profileHtml } from "../../src/data/profile/profile-html.js";
import { profileTable } from "../../src/data/profile/profile-table.js";
import { escapeHtml } from "../../src/report/html-document.js";
import { barChartSvg, histogramSvg } from "../../src/report/svg-charts.js";
import { PENGUINS, WEATHER, withSession } from "./fixtures.js";

describe("the HTML profile report", () => {
  it.each([
    ["seattle-weather.csv", WEATHER],
    ["penguins.json", PENGUINS],
  ])("%s: one self-contained page with one card and one chart per column", async (_label, path) => {
    const profile = await withSession(async (s) => profileTable(s, await s.relationFrom(path)));
    const html = profileHtml(profile, { path, bytes: 1234 });

    // Self-contained: no scripts, no external src/href, no @import or url() in CSS.
    expect(html).not.toMatch(/<script/i);
    expect(html).not.toMatch(/(src|href)\s*=\s*["']?\s*(https?:)?\/\//i);
    expect(html).not.toMatch(/https?:\/\//i);
    expect(html).not.toMatch(/@import|url\(/i);
    expect(html.startsWith("<!doctype html>")).toBe(true);

    const cards = html.split('<section class="card"').slice(1);
    expect(cards).toHaveLength(profile.columnCount);
    for (const [i, card] of cards.entries()) {
      const column = profile.columns[i]!;
      expect(card).toContain(`<h2>${escapeHtml(column.name)}`);
      expect(card.match(/<svg class="chart"/g)).toHaveLength(1);
      // Histogram columns draw one bar per bin; categorical columns one bar per top value.
      const bars = (card.match(/<rect class="bar"/g) ?? []).length;
      expect(bars).toBe(column.histogram?.bins.length ?? column.topCategories?.length ?? 0);
    }
    for (const w of profile.warnings) expect(html).toContain(escapeHtml(w.message));
  });

  it("escapes column names and values", () => {
    const svg = barChartSvg([{ label: "<b>&'\"", value: 3 }], { title: "<script>" });
    expect(svg).not.toContain("<b>");
    expect(svg).not.toContain("<script>");
    expect(svg).toContain("&lt;b&gt;&amp;&#39;&quot;");
    expect(histogramSvg([], { title: "empty" })).toContain("no values");
  });
});
