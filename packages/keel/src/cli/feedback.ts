import type { Command } from "commander";
import { invalidParam } from "../errors.js";
import { action, examples, intOption } from "./command-kit.js";
import { printJson } from "./output.js";

interface FeedbackFlags {
  requestId?: string;
  label?: string;
  row: number;
  file?: string;
  logPredictions?: string;
  json?: boolean;
}

/**
 * `keel endpoint feedback NAME`: the true label of a served prediction, joined to it by request
 * id in the prediction log — the CLI twin of `POST /v2/models/{name}/feedback`. One label with
 * `--request-id/--label`, or many from a CSV/Parquet file with `request_id` and `label` columns
 * (and optionally `row`).
 */
export function registerFeedbackCommand(group: Command): void {
  const cmd = group
    .command("feedback")
    .argument("<name>", "endpoint or served model name (its prediction log gets the label)")
    .option("--request-id <id>", "the request id the prediction answered with")
    .option("--label <value>", "the true label (or value, for regression)")
    .option("--row <n>", "row within a multi-row request", intOption("--row", 0), 0)
    .option("--file <path>", "many labels: a CSV/Parquet/JSON file with request_id, label[, row] columns")
    .option("--log-predictions <dir>", "the prediction log folder (default .keel/predictions/<name>)")
    .option("--json", "print what was recorded as JSON")
    .description("record ground-truth labels for served predictions (joined by request id for monitoring)");
  examples(
    cmd,
    "keel endpoint feedback flights --request-id 5f0c... --label 1",
    "keel endpoint feedback flights --file labels.csv --json",
  );
  cmd.action(
    action(async (name: string, opts: FeedbackFlags) => {
      const single = opts.requestId !== undefined || opts.label !== undefined;
      if (single === (opts.file !== undefined)) {
        throw invalidParam(
          "Give either --request-id and --label, or --file with request_id and label columns",
        );
      }
      if (single && (opts.requestId === undefined || opts.label === undefined)) {
        throw invalidParam("--request-id and --label go together");
      }
      const { recordFeedback } = await import("../serve/prediction-log/feedback-log.js");
      const { defaultPredictionLogDir } = await import("../serve/start-model-server.js");
      const dir = opts.logPredictions ?? defaultPredictionLogDir(name);
      const labels = single
        ? [{ requestId: opts.requestId!, label: typedLabel(opts.label!), row: opts.row }]
        : await labelsFromFile(opts.file!);
      // Checked before anything is appended, so a bad row leaves the log as it was.
      for (const l of labels) {
        if (l.requestId === "") throw invalidParam(`${opts.file ?? "--request-id"}: a request_id is empty`);
      }
      const recorded = [];
      for (const l of labels) recorded.push(await recordFeedback(dir, l.requestId, l.label, { row: l.row }));
      if (opts.json) printJson({ dir, recorded });
      else process.stdout.write(`Recorded ${recorded.length} label(s) in ${dir}\n`);
    }),
  );
}

/** Numbers and booleans as typed values, so they compare equal to the model's outputs. */
function typedLabel(raw: string): string | number | boolean {
  if (raw === "true" || raw === "false") return raw === "true";
  const n = Number(raw);
  return raw.trim() !== "" && Number.isFinite(n) ? n : raw;
}

async function labelsFromFile(
  path: string,
): Promise<{ requestId: string; label: string | number | boolean; row: number }[]> {
  const { DataSession } = await import("../data/engine/duckdb-session.js");
  const table = await DataSession.use(async (s) => {
    const rel = await s.relationFrom(path);
    return s.queryColumns(`SELECT * FROM ${rel}`);
  });
  const col = (n: string) => table.columns.find((c) => c.name === n);
  const ids = col("request_id");
  const labels = col("label");
  if (!ids || !labels) {
    throw invalidParam(
      `${path} needs request_id and label columns; it has ${table.columns.map((c) => c.name).join(", ")}`,
    );
  }
  const rows = col("row");
  const out = [];
  for (let i = 0; i < table.rowCount; i++) {
    const raw = labels.values[i];
    if (raw === null || raw === undefined || (typeof raw === "number" && Number.isNaN(raw))) {
      throw invalidParam(`${path}: row ${i + 1} has no label`);
    }
    const label = labels.kind === "boolean" ? raw === 1 : raw;
    const row = rows ? Number(rows.values[i]) : 0;
    if (!Number.isInteger(row) || row < 0) throw invalidParam(`${path}: row ${i + 1} has a bad row index`);
    out.push({ requestId: String(ids.values[i] ?? ""), label, row });
  }
  return out;
}
