import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { DataSession } from "../../src/data/engine/duckdb-session.js";
import { readFeedbackLog } from "../../src/serve/prediction-log/read-prediction-log.js";
import { runKeelInProcess as keel } from "../support/in-process-cli.js";
import { makeTempDir } from "../support/temp-dir.js";

describe("keel endpoint feedback", () => {
  const t = makeTempDir("keel-feedback");
  afterAll(() => t.cleanup());
  const dir = join(t.dir, "predictions", "flights");

  it("appends one label or a file of labels that monitoring reads back by request id", async () => {
    const one = await keel([
      ...["endpoint", "feedback", "flights", "--request-id", "req-1", "--label", "1"],
      ...["--log-predictions", dir, "--json"],
    ]);
    expect(one.code, one.stderr).toBe(0);
    expect(JSON.parse(one.stdout).recorded[0]).toMatchObject({ request_id: "req-1", row: 0, label: 1 });

    const csv = join(t.dir, "labels.csv");
    writeFileSync(csv, "request_id,label,row\nreq-2,0,0\nreq-3,1,2\n");
    const many = await keel(["endpoint", "feedback", "flights", "--file", csv, "--log-predictions", dir]);
    expect(many.code, many.stderr).toBe(0);
    expect(many.stdout).toContain("Recorded 2 label(s)");

    const rel = await readFeedbackLog(dir);
    const rows = await DataSession.use(async (s) =>
      s.queryColumns(
        `SELECT request_id, "row", CAST(label AS VARCHAR) AS label FROM (${rel.sql}) ORDER BY request_id`,
      ),
    );
    expect(rows.columns.find((c) => c.name === "request_id")!.values).toEqual(["req-1", "req-2", "req-3"]);
    expect(Array.from(rows.columns.find((c) => c.name === "row")!.values as ArrayLike<number>)).toEqual([
      0, 0, 2,
    ]);
    expect(rows.columns.find((c) => c.name === "label")!.values).toEqual(["1", "0", "1"]);
  });

  it("rejects bad input and leaves the log as it was", async () => {
    const before = readFileSync(join(dir, "feedback.jsonl"), "utf8");
    const bad = join(t.dir, "bad.csv");
    writeFileSync(bad, "request_id,label\nreq-9,1\nreq-10,\n");
    const cases: [string[], RegExp][] = [
      [["--request-id", "x"], /--request-id and --label go together/],
      [[], /Give either --request-id and --label, or --file/],
      [["--request-id", "x", "--label", "1", "--file", bad], /Give either/],
      [["--file", bad], /row 2 has no label/],
      [["--file", join(t.dir, "none.csv")], /none\.csv/],
    ];
    for (const [args, message] of cases) {
      const r = await keel(["endpoint", "feedback", "flights", ...args, "--log-predictions", dir]);
      expect(r.code, args.join(" ")).not.toBe(0);
      expect(r.stderr).toMatch(message);
    }
    expect(readFileSync(join(dir, "feedback.jsonl"), "utf8")).toBe(before);
  });
});
