/** Online concept-drift detectors with River's semantics and defaults, serializable state. */
export { Adwin, type AdwinParams } from "./adwin.js";
export { Ddm, type DdmParams } from "./ddm.js";
export { type Detections, detectAll, recordUpdate, warningZones } from "./detect-all.js";
export { detectFile, type FileDetections } from "./detect-file.js";
export {
  type DetectorSnapshot,
  type DriftAndWarningDetector,
  type DriftDetector,
  hasWarnings,
} from "./drift-detector.js";
export { Eddm, type EddmParams } from "./eddm.js";
export { HddmA, type HddmAParams } from "./hddm-a.js";
export { Kswin, type KswinParams } from "./kswin.js";
export { PAGE_HINKLEY_MODES, PageHinkley, type PageHinkleyParams } from "./page-hinkley.js";
export { PythonRandom, type PythonRandomState } from "./python-random.js";
export {
  type AnyDetector,
  createDetector,
  DETECTOR_TYPES,
  type DetectorInfo,
  type DetectorType,
  detectorInfo,
  restoreDetector,
} from "./registry.js";
export { readStreamColumn, type StreamFileOptions, type StreamValue } from "./stream-file.js";
