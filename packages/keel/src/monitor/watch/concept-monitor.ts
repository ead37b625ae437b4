/**
 * Feeding labelled outcomes to one concept-drift detector per model version, continuing from
 * the saved detector state, and deciding whether concept drift is active (with hysteresis).
 */
import { invalidParam } from "../../errors.js";
import { hasWarnings } from "../detectors/drift-detector.js";
import { type AnyDetector, createDetector, detectorInfo, restoreDetector } from "../detectors/registry.js";
import type { LabelledOutcome } from "./labelled-stream.js";
import type { VersionDetectorState } from "./watch-state.js";

/** Which detector watches each version's stream. */
export interface DetectorChoice {
  /** Detector for classifiers' 0/1 errors (default `ddm`). */
  readonly classification: string;
  /** Detector for regressors' absolute errors (default `page-hinkley`). */
  readonly regression: string;
  /** Parameters of the chosen detector (default River's). */
  readonly params?: Readonly<Record<string, unknown>>;
  /**
   * Values a version's detector must take after its last drift or warning before that version's
   * concept drift counts as over (default {@link DEFAULT_RECOVERY}).
   */
  readonly recovery?: number;
}

/** Default of {@link DetectorChoice.recovery}. */
export const DEFAULT_RECOVERY = 500;

/** What one version's detector saw during one check. */
export interface VersionConcept {
  /** Version label. */
  readonly version: string;
  /** Detector type. */
  readonly detector: string;
  /** Values fed in this check. */
  readonly fed: number;
  /** Values fed since the watch began. */
  readonly total: number;
  /** Stream indices of drifts fired in this check. */
  readonly drifts: readonly number[];
  /** Values of this check that were in the warning zone. */
  readonly warnings: number;
  /** Whether this version's concept drift is active after the check (hysteresis applied). */
  readonly active: boolean;
}

/** Whether a version's last alarm is recent enough to keep its concept drift active. */
function isActive(s: VersionDetectorState, recovery: number): boolean {
  return s.lastDrift >= 0 && s.lastAlarm >= s.lastDrift && s.n - 1 - s.lastAlarm < recovery;
}

/**
 * Feeds `outcomes` (prediction-time order) to each version's detector in `states` (updated in
 * place; versions seen for the first time get a new detector) and returns what each saw.
 * Versions without new outcomes are reported too, so their active concept drift is kept.
 * @throws KeelError INVALID_PARAMETER_VALUE for a binary detector on a regressor's errors.
 */
export function feedDetectors(
  states: Record<string, VersionDetectorState>,
  outcomes: readonly LabelledOutcome[],
  choice: DetectorChoice,
): VersionConcept[] {
  const recovery = choice.recovery ?? DEFAULT_RECOVERY;
  const live = new Map<string, { detector: AnyDetector; binary: boolean }>();
  const fedNow = new Map<string, { fed: number; drifts: number[]; warnings: number }>();
  for (const o of outcomes) {
    let entry = live.get(o.version);
    let state = states[o.version];
    if (entry === undefined) {
      let detector: AnyDetector;
      if (state === undefined) {
        const type = o.wrong === null ? choice.regression : choice.classification;
        if (o.wrong === null && detectorInfo(type).binary) {
          throw invalidParam(
            `Detector '${type}' takes 0/1 errors, but version ${o.version} is a regressor: use --detector adwin, page-hinkley or kswin`,
          );
        }
        detector = createDetector(type, { ...(choice.params ?? {}) });
        state = { snapshot: detector.toJSON(), n: 0, drifts: [], lastAlarm: -1, lastDrift: -1 };
        states[o.version] = state;
      } else detector = restoreDetector(state.snapshot);
      entry = { detector, binary: detectorInfo(state.snapshot.type).binary };
      live.set(o.version, entry);
    }
    const { detector, binary } = entry;
    const s = state as VersionDetectorState;
    const now = fedNow.get(o.version) ?? { fed: 0, drifts: [], warnings: 0 };
    fedNow.set(o.version, now);
    // Binary detectors take "wrong?"; numeric ones the absolute error (0/1 for classifiers).
    if (binary) (detector as { update(x: boolean): unknown }).update(o.wrong === true);
    else (detector as { update(x: number): unknown }).update(o.absError ?? (o.wrong ? 1 : 0));
    const index = s.n++;
    now.fed++;
    if (hasWarnings<unknown>(detector) && detector.warningDetected) {
      now.warnings++;
      s.lastAlarm = index;
    }
    if (detector.driftDetected) {
      now.drifts.push(index);
      s.drifts.push(index);
      s.lastDrift = index;
      s.lastAlarm = index;
    }
  }
  for (const [version, { detector }] of live)
    (states[version] as VersionDetectorState).snapshot = detector.toJSON();
  return Object.entries(states)
    .sort(([a], [b]) => a.localeCompare(b, "en", { numeric: true }))
    .map(([version, s]) => {
      const now = fedNow.get(version) ?? { fed: 0, drifts: [], warnings: 0 };
      return {
        version,
        detector: s.snapshot.type,
        fed: now.fed,
        total: s.n,
        drifts: now.drifts,
        warnings: now.warnings,
        active: isActive(s, recovery),
      };
    });
}
