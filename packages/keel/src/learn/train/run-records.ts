/**
 * What train, baseline and evaluate runs record beyond params and metrics: dataset inputs
 * (resolved to dataset versions when the file is tracked) and classification tables.
 */
import { datasetInputFromRef } from "../../data/versioning/dataset-input.js";
import type { Dataset } from "../../store/entities.js";
import type { ActiveRun, Tracker } from "../../track/index.js";
import type { ProbaMatrix } from "../core/proba-matrix.js";
import { calibrationCsv, calibrationTable, confusionCsv, confusionTable } from "./report-tables.js";

/** Logs `ref` (a data path or NAME@N) as an input of `run` with `context`; returns the dataset logged. */
export async function logDataset(
  tracker: Tracker,
  run: ActiveRun,
  ref: string,
  context: "train" | "test" | "eval",
  cwd?: string,
): Promise<Dataset> {
  const dataset = await datasetInputFromRef(tracker.store, ref, cwd === undefined ? {} : { cwd });
  await run.logInput(dataset, context);
  return dataset;
}

/** Logs `confusion_matrix.json` and `confusion_matrix.csv` (true × predicted counts). */
export async function logConfusion(
  run: ActiveRun,
  yTrue: Int32Array,
  yPred: Int32Array,
  labels: readonly string[],
): Promise<void> {
  const table = confusionTable(yTrue, yPred, labels);
  await run.logDict(table, "confusion_matrix.json");
  await run.logText(confusionCsv(table), "confusion_matrix.csv");
}

/** Logs `calibration.json` / `calibration.csv` and the `ece` metric; returns the table. */
export async function logCalibration(
  run: ActiveRun,
  yTrue: Int32Array,
  proba: ProbaMatrix,
  labels: readonly string[],
  metricPrefix = "",
): Promise<ReturnType<typeof calibrationTable>> {
  const cal = calibrationTable(yTrue, proba, labels);
  await run.logDict(cal, "calibration.json");
  await run.logText(calibrationCsv(cal), "calibration.csv");
  run.logMetric(`${metricPrefix}ece`, cal.ece);
  return cal;
}

/** Runs `fn` in `run`, ending it FINISHED on success and FAILED (then rethrowing) on error. */
export async function inRun<T>(run: ActiveRun, fn: () => Promise<T>): Promise<T> {
  try {
    const out = await fn();
    await run.end("FINISHED");
    return out;
  } catch (e) {
    if (!run.ended) await run.end("FAILED").catch(() => {});
    throw e;
  }
}
