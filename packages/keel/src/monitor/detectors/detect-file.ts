import { invalidParam } from "../../errors.js";
import { type Detections, recordUpdate } from "./detect-all.js";
import type { DriftDetector } from "./drift-detector.js";
import { detectorInfo } from "./registry.js";
import { readStreamColumn, type StreamFileOptions } from "./stream-file.js";

/** What `keel monitor detect` reports: the detector, its full params, and where it fired. */
export interface FileDetections extends Detections {
  /** Detector name. */
  detector: string;
  /** Parameters used, defaults filled in. */
  params: Record<string, unknown>;
}

/**
 * Run detector `type` with `params` over one column of a stream file and collect the 0-based
 * indices of warnings and drifts. Binary detectors (DDM, EDDM, HDDM_A) take 0/1 errors (1 = error);
 * any other value is an error naming its line.
 */
export async function detectFile(
  type: string,
  params: Record<string, unknown>,
  path: string,
  options: StreamFileOptions = {},
): Promise<FileDetections> {
  const info = detectorInfo(type);
  // Binary detectors get booleans and numeric ones numbers (checked below), so one signature serves both.
  const detector = info.create(params) as DriftDetector<number | boolean>;
  const out: FileDetections = {
    detector: info.type,
    params: detector.getParams() as Record<string, unknown>,
    n: 0,
    warnings: [],
    drifts: [],
  };
  for await (const { value, line, column } of readStreamColumn(path, options)) {
    if (info.binary && value !== 0 && value !== 1) {
      throw invalidParam(
        `${path} line ${line}: ${info.type} takes 0/1 errors (1 = wrong prediction), but column '${column}' holds ${value}`,
      );
    }
    recordUpdate(detector.update(info.binary ? value === 1 : value), out);
  }
  return out;
}
