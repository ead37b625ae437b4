import type { z } from "zod";
import { invalidParam } from "../../errors.js";
import { parseParams } from "../../learn/core/params.js";
import type { DetectorSnapshot } from "./drift-detector.js";

/**
 * What every detector shares: frozen, validated params (defaults filled in), the drift and
 * warning flags River keeps in its base class, and the snapshot envelope. Subclasses keep their
 * statistics in `#private` fields and implement `saveState`/`loadState`.
 */
export abstract class DetectorBase<P extends object> {
  /** Validated parameters, defaults filled in. */
  readonly params: Readonly<P>;
  /** Set by the last update; the next update resets the detector first (River's auto-reset). */
  protected drift = false;
  /** Warning flag, for detectors that have a warning zone. */
  protected warning = false;

  protected constructor(
    readonly type: string,
    displayName: string,
    schema: z.ZodType<P>,
    defaults: P,
    params: Partial<P>,
  ) {
    this.params = Object.freeze(parseParams(displayName, schema, { ...defaults, ...params }));
  }

  /** True when the last update signalled a drift. */
  get driftDetected(): boolean {
    return this.drift;
  }

  /** Parameters with defaults filled in (a copy). */
  getParams(): P {
    return { ...this.params };
  }

  /** Forget the stream seen so far; parameters stay. */
  reset(): this {
    this.drift = false;
    this.warning = false;
    this.clearState();
    return this;
  }

  /** Type, params and complete state, as plain JSON. */
  toJSON(): DetectorSnapshot {
    return {
      type: this.type,
      version: 1,
      params: { ...this.params } as Record<string, unknown>,
      state: { drift: this.drift, warning: this.warning, ...this.saveState() },
    };
  }

  /** Load the state half of a snapshot written by `toJSON()` of the same type. */
  protected restore(snapshot: DetectorSnapshot): this {
    snapshotParams(snapshot, this.type);
    const state = snapshot.state ?? {};
    this.drift = state.drift === true;
    this.warning = state.warning === true;
    this.loadState(state);
    return this;
  }

  /** Reset the statistics (the flags are handled here). */
  protected abstract clearState(): void;
  /** The statistics as JSON-safe values (numbers through `encodeNumber`). */
  protected abstract saveState(): Record<string, unknown>;
  /** Load statistics written by `saveState`. */
  protected abstract loadState(state: Record<string, unknown>): void;
}

/** The params of a snapshot that must be of detector `type` (checked before anything is built from it). */
export function snapshotParams(snapshot: DetectorSnapshot, type: string): Record<string, unknown> {
  if (snapshot?.type !== type) {
    throw invalidParam(`detector snapshot is of type '${snapshot?.type}', not '${type}'`);
  }
  return snapshot.params ?? {};
}
