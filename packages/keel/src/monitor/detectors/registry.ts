import { invalidParam } from "../../errors.js";
import { Adwin } from "./adwin.js";
import { Ddm } from "./ddm.js";
import type { DetectorSnapshot, DriftDetector } from "./drift-detector.js";
import { Eddm } from "./eddm.js";
import { HddmA } from "./hddm-a.js";
import { Kswin } from "./kswin.js";
import { PageHinkley } from "./page-hinkley.js";

/** What the registry knows about one detector type. */
export interface DetectorInfo {
  /** Name as the CLI and snapshots spell it. */
  type: DetectorType;
  /** Binary detectors take `true` (error) / `false` (correct); the others any number. */
  binary: boolean;
  /** Whether it signals a warning zone. */
  warnings: boolean;
  /** Default parameters. */
  defaults: Readonly<Record<string, unknown>>;
  /** A detector of this type from (partial, validated) params. */
  create(params: Record<string, unknown>): AnyDetector;
  /** A detector continuing from a snapshot of this type. */
  restore(snapshot: DetectorSnapshot): AnyDetector;
}

/** The detector types Keel implements, as the CLI names them. */
export const DETECTOR_TYPES = ["adwin", "ddm", "eddm", "page-hinkley", "kswin", "hddm-a"] as const;

/** One of {@link DETECTOR_TYPES}. */
export type DetectorType = (typeof DETECTOR_TYPES)[number];

/** A detector of any type: numeric ones take numbers, binary ones booleans. */
export type AnyDetector = DriftDetector<number> | DriftDetector<boolean>;

const INFO: Record<DetectorType, DetectorInfo> = {
  adwin: info(Adwin, false, false),
  ddm: info(Ddm, true, true),
  eddm: info(Eddm, true, true),
  "page-hinkley": info(PageHinkley, false, false),
  kswin: info(Kswin, false, false),
  "hddm-a": info(HddmA, true, true),
};

function info<P extends object>(
  ctor: {
    type: string;
    defaults: Readonly<P>;
    new (params?: Partial<P>): AnyDetector;
    fromJSON(s: DetectorSnapshot): AnyDetector;
  },
  binary: boolean,
  warnings: boolean,
): DetectorInfo {
  return {
    type: ctor.type as DetectorType,
    binary,
    warnings,
    defaults: ctor.defaults as Readonly<Record<string, unknown>>,
    create: (params) => new ctor(params as Partial<P>),
    restore: (snapshot) => ctor.fromJSON(snapshot),
  };
}

/** Registry entry for `type`; an unknown type is an error listing the known ones. */
export function detectorInfo(type: string): DetectorInfo {
  const found = (INFO as Record<string, DetectorInfo>)[type];
  if (!found) {
    throw invalidParam(`Unknown detector '${type}'. Known detectors: ${DETECTOR_TYPES.join(", ")}`);
  }
  return found;
}

/** A detector of `type` with River's defaults overridden by `params` (validated). */
export function createDetector(type: string, params: Record<string, unknown> = {}): AnyDetector {
  return detectorInfo(type).create(params);
}

/** A detector continuing exactly where the one that wrote `snapshot` (its `toJSON()`) stopped. */
export function restoreDetector(snapshot: DetectorSnapshot): AnyDetector {
  if (!snapshot || typeof snapshot !== "object" || snapshot.version !== 1) {
    throw invalidParam("Not a detector snapshot: expected {type, version: 1, params, state}");
  }
  return detectorInfo(snapshot.type).restore(snapshot);
}
