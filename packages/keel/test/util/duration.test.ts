import { describe, expect, it } from "vitest";
import { parseDuration, parsePointInTime } from "../../src/util/duration.js";

describe("parseDuration", () => {
  it("reads single and compound units", () => {
    expect(parseDuration("500ms")).toBe(500);
    expect(parseDuration("30s")).toBe(30_000);
    expect(parseDuration("10m")).toBe(600_000);
    expect(parseDuration("1h30m")).toBe(5_400_000);
    expect(parseDuration("1.5h")).toBe(5_400_000);
    expect(parseDuration("7d")).toBe(604_800_000);
  });
  it("names the option and the accepted form on bad input", () => {
    for (const bad of ["", "10", "h", "10 m", "1h-", "-5m", "10min"]) {
      expect(() => parseDuration(bad, "--every")).toThrow(/--every '.*' is not a duration: use e\.g\. 500ms/);
    }
  });
});

describe("parsePointInTime", () => {
  const now = Date.parse("2026-06-01T12:00:00Z");
  it("reads a duration ago or an ISO time, and passes undefined through", () => {
    expect(parsePointInTime("--since", "24h", now)).toBe(now - 86_400_000);
    expect(parsePointInTime("--since", "1h30m", now)).toBe(now - 5_400_000);
    expect(parsePointInTime("--from", "2026-05-01T00:00:00Z", now)).toBe(Date.parse("2026-05-01T00:00:00Z"));
    expect(parsePointInTime("--from", undefined, now)).toBeUndefined();
  });
  it("names the option when the text is neither", () => {
    expect(() => parsePointInTime("--until", "yesterday", now)).toThrow(
      /--until 'yesterday' is neither a duration/,
    );
  });
});
