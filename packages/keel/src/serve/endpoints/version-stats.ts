/**
 * Live figures per hosted version, kept by the endpoint server: requests, errors and inference
 * latency since start (status) and since the current window began (the canary controller's
 * decision window). Errors are failures that are the version's fault: a failover to the stable
 * version or a server-side failure; rejected inputs are counted apart.
 */
import type { InferenceErrorKind } from "../inference-service.js";

/** Figures of one version over a period. */
export interface VersionFigures {
  /** Requests the version was asked to answer (answered + failed). */
  readonly requests: number;
  /** Failures that are the version's fault (failover or server error). */
  readonly errors: number;
  /** Rejected inputs (4xx). */
  readonly clientErrors: number;
  /** errors / requests (0 without requests). */
  readonly errorRate: number;
  /** Median inference latency, ms (null without answers). */
  readonly p50Ms: number | null;
  /** 99th percentile inference latency, ms (null without answers). */
  readonly p99Ms: number | null;
}

// Latency samples kept per period: enough for a stable p99, bounded memory under any load.
const MAX_SAMPLES = 20_000;

class Period {
  requests = 0;
  errors = 0;
  clientErrors = 0;
  readonly #samples: number[] = [];
  #seen = 0;

  latency(ms: number): void {
    this.requests++;
    this.#seen++;
    if (this.#samples.length < MAX_SAMPLES) this.#samples.push(ms);
    else {
      // Reservoir sampling keeps a uniform sample of every latency seen.
      const j = Math.floor(Math.random() * this.#seen);
      if (j < MAX_SAMPLES) this.#samples[j] = ms;
    }
  }

  figures(): VersionFigures {
    const sorted = Float64Array.from(this.#samples).sort();
    const q = (p: number) =>
      sorted.length === 0 ? null : sorted[Math.min(sorted.length - 1, Math.ceil(p * sorted.length) - 1)]!;
    return {
      requests: this.requests,
      errors: this.errors,
      clientErrors: this.clientErrors,
      errorRate: this.requests === 0 ? 0 : this.errors / this.requests,
      p50Ms: q(0.5),
      p99Ms: q(0.99),
    };
  }
}

/** Figures of one version: since start and in the current window. */
export interface VersionStatsSnapshot {
  /** Since the server started hosting the version. */
  readonly total: VersionFigures;
  /** Since the current window began. */
  readonly window: VersionFigures;
  /** When the window began (epoch ms). */
  readonly windowStartedAt: number;
}

/** Figures of every version, keyed by `model:version`. */
export class EndpointStats {
  readonly #total = new Map<string, Period>();
  readonly #window = new Map<string, Period>();
  readonly #windowStart = new Map<string, number>();

  #periods(key: string): [Period, Period] {
    let t = this.#total.get(key);
    if (t === undefined) {
      t = new Period();
      this.#total.set(key, t);
    }
    let w = this.#window.get(key);
    if (w === undefined) {
      w = new Period();
      this.#window.set(key, w);
      this.#windowStart.set(key, Date.now());
    }
    return [t, w];
  }

  /** One answered prediction taking `seconds`. */
  answered(key: string, seconds: number): void {
    for (const p of this.#periods(key)) p.latency(seconds * 1000);
  }

  /** One failed prediction. */
  failed(key: string, kind: InferenceErrorKind): void {
    for (const p of this.#periods(key)) {
      p.requests++;
      if (kind === "client") p.clientErrors++;
      else p.errors++;
    }
  }

  /** Starts a new window for `key` (a new canary step). */
  resetWindow(key: string, now = Date.now()): void {
    this.#window.set(key, new Period());
    this.#windowStart.set(key, now);
  }

  /** Figures of `key`. */
  snapshot(key: string): VersionStatsSnapshot {
    const [t, w] = this.#periods(key);
    return { total: t.figures(), window: w.figures(), windowStartedAt: this.#windowStart.get(key)! };
  }

  /** Keys with figures. */
  keys(): string[] {
    return [...this.#total.keys()];
  }
}
