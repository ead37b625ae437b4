/**
 * Ground-truth labels for logged predictions, appended to `feedback.jsonl` beside the prediction
 * segments and joined on request id and row by monitoring ({@link readPredictionsWithFeedback}).
 */
import { appendFile, mkdir } from "node:fs/promises";
import { join } from "node:path";
import { invalidParam } from "../../errors.js";
import { FEEDBACK_FILE, type FeedbackRecord, logTime } from "./log-schema.js";

/** Options of {@link recordFeedback}. */
export interface FeedbackOptions {
  /** Row within the request (default 0). */
  readonly row?: number;
  /** When the label was observed (default now). */
  readonly time?: Date | number;
}

/**
 * Appends the true `label` of request `requestId` to the feedback log in `dir`. One `write` per
 * record on an O_APPEND file, so server workers and CLI calls can append concurrently.
 */
export async function recordFeedback(
  dir: string,
  requestId: string,
  label: string | number | boolean,
  options: FeedbackOptions = {},
): Promise<FeedbackRecord> {
  if (typeof requestId !== "string" || requestId === "") {
    throw invalidParam("Feedback needs the request id the prediction answered with (request_id)");
  }
  if (
    !["string", "number", "boolean"].includes(typeof label) ||
    (typeof label === "number" && !Number.isFinite(label))
  ) {
    throw invalidParam("Feedback needs a label: a string, a finite number or a boolean");
  }
  const row = options.row ?? 0;
  if (!Number.isInteger(row) || row < 0)
    throw invalidParam(`Feedback row must be an integer >= 0, got ${row}`);
  const t =
    options.time === undefined
      ? Date.now()
      : options.time instanceof Date
        ? options.time.getTime()
        : options.time;
  const record: FeedbackRecord = { request_id: requestId, row, label, time: logTime(t) };
  await mkdir(dir, { recursive: true });
  await appendFile(join(dir, FEEDBACK_FILE), `${JSON.stringify(record)}\n`);
  return record;
}
