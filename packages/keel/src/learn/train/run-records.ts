/**
 * What train, baseline and evaluate runs record beyond params and metrics: dataset inputs
 * (resolved to dataset versions when the file is tracked) and classification tables.
 */
import { stat } from "node:fs/promises";
import { basename, extname, resolve } from "node:path";
import { datasetInputFromRef } from "../../data/versioning/dataset-input.js";
import { hashFile } from "../../data/versioning/hash-file.js";
import { isKeelError } from "../../errors.js";
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
  const dataset = await describeDataset(tracker, ref, cwd);
  await run.logInput(dataset, context);
  return dataset;
}

/**
 * The dataset for `ref` (a data path or NAME@N) as a run input would record it; a file outside the project (which the versioning workspace refuses) is
 * still recorded, by name, absolute path and content digest, so lineage never silently drops it.
 */
export async function describeDataset(tracker: Tracker, ref: string, cwd?: string): Promise<Dataset> {
  try {
    return await datasetInputFromRef(tracker.store, ref, cwd === undefined ? {} : { cwd });
  } catch (e) {
    const path = resolve(cwd ?? process.cwd(), ref);
    const isFile = (await stat(path).catch(() => null))?.isFile() === true;
    if (!(isKeelError(e) && e.code === "INVALID_PARAMETER_VALUE" && isFile)) throw e;
    const { sha256 } = await hashFile(path);
    return { name: basename(path, extname(path)), digest: sha256, sourceType: "local", source: path };
  }
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
