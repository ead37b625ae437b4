/**
 * Traffic policy transitions as pure functions: deploy (blue-green, canary, shadow, A/B),
 * advance a canary step, promote, roll back. Each returns the new policy and the event that
 * records it; the caller writes both with one compare-and-set on the endpoint's revision.
 */
import { invalidParam, KeelError } from "../../errors.js";
import type {
  AbParams,
  CanaryParams,
  EndpointVersion,
  NewEndpointEvent,
  RolloutStrategy,
  TrafficPolicy,
} from "../../store/endpoint-store.js";

/** How to roll out a new version. */
export type DeployOptions =
  | { readonly strategy: "blue-green" }
  | { readonly strategy: "canary"; readonly canary: CanaryParams }
  | { readonly strategy: "shadow" }
  | { readonly strategy: "ab"; readonly ab: AbParams };

/** A new policy with the event that explains it. */
export interface PolicyChange {
  /** The policy to store. */
  readonly policy: TrafficPolicy;
  /** The event to append. */
  readonly event: NewEndpointEvent;
}

/** `model:version`, the identity of a hosted version inside an endpoint. */
export function versionKey(v: Pick<EndpointVersion, "model" | "version">): string {
  return `${v.model}:${v.version}`;
}

/** `model version N` for messages. */
export function describeVersion(v: EndpointVersion): string {
  return `${v.model} version ${v.version}`;
}

/** Versions the policy routes to or keeps warm: stable, candidate, previous (deduplicated). */
export function policyVersions(policy: TrafficPolicy): EndpointVersion[] {
  const out = new Map<string, EndpointVersion>();
  for (const v of [policy.stable, policy.candidate, policy.previous]) {
    if (v !== undefined && !out.has(versionKey(v))) out.set(versionKey(v), v);
  }
  return [...out.values()];
}

/** Percent of primary traffic the candidate answers (shadow: 0, it only gets copies). */
export function candidatePercent(policy: TrafficPolicy): number {
  if (policy.candidate === undefined) return 0;
  if (policy.strategy === "canary") return policy.canary?.steps[policy.canaryStep ?? 0] ?? 0;
  if (policy.strategy === "ab") return policy.ab?.split ?? 0;
  return 0;
}

/** Checks canary parameters; the error names the flag and the fix. */
export function validateCanary(p: CanaryParams): CanaryParams {
  const steps = p.steps;
  if (steps.length === 0) throw invalidParam("--steps needs at least one percentage, e.g. 5,25,50,100");
  for (const [i, s] of steps.entries()) {
    if (!(Number.isFinite(s) && s > 0 && s <= 100) || (i > 0 && s <= steps[i - 1]!)) {
      throw invalidParam(
        `--steps must be increasing percentages in (0, 100], e.g. 5,25,50,100; got ${steps.join(",")}`,
      );
    }
  }
  if (!(p.intervalMs > 0)) throw invalidParam("--interval must be a positive duration, e.g. 2s or 5m");
  if (!(p.maxErrorRate >= 0 && p.maxErrorRate <= 1)) {
    throw invalidParam(`--max-error-rate must be between 0 and 1, got ${p.maxErrorRate}`);
  }
  if (!(p.maxP99Ms > 0)) throw invalidParam(`--max-p99-ms must be a positive number, got ${p.maxP99Ms}`);
  if (p.minAccuracyDelta !== undefined && !(p.minAccuracyDelta >= -1 && p.minAccuracyDelta <= 1)) {
    throw invalidParam(`--min-accuracy-delta must be between -1 and 1, got ${p.minAccuracyDelta}`);
  }
  if (!(Number.isInteger(p.minRequests) && p.minRequests >= 1)) {
    throw invalidParam(`--min-requests must be an integer >= 1, got ${p.minRequests}`);
  }
  return p;
}

/** Checks A/B parameters. */
export function validateAb(p: AbParams): AbParams {
  if (!(Number.isFinite(p.split) && p.split > 0 && p.split < 100)) {
    throw invalidParam(`--split must be a percentage strictly between 0 and 100, got ${p.split}`);
  }
  if (!/^[A-Za-z0-9!#$%&'*+.^_`|~-]+$/.test(p.keyHeader)) {
    throw invalidParam(`--key-header '${p.keyHeader}' is not a valid HTTP header name`);
  }
  return { split: p.split, keyHeader: p.keyHeader.toLowerCase() };
}

/** The first policy of a new endpoint. */
export function initialPolicy(stable: EndpointVersion, actor: string): PolicyChange {
  return {
    policy: { stable },
    event: {
      type: "created",
      actor,
      message: `Created with ${describeVersion(stable)} taking all traffic.`,
      details: { stable },
    },
  };
}

/** Starts rolling out `candidate`; blue-green switches at once (the old stable stays warm). */
export function deployChange(
  policy: TrafficPolicy,
  candidate: EndpointVersion,
  options: DeployOptions,
  actor: string,
  now = Date.now(),
): PolicyChange {
  if (policy.candidate !== undefined) {
    throw new KeelError(
      "INVALID_STATE",
      `A ${policy.strategy} rollout of ${describeVersion(policy.candidate)} is in progress; finish it with keel endpoint promote or keel endpoint rollback first.`,
    );
  }
  if (versionKey(candidate) === versionKey(policy.stable)) {
    throw new KeelError("INVALID_STATE", `${describeVersion(candidate)} already takes all traffic.`);
  }
  const base = { stable: policy.stable, previous: policy.previous };
  const details = { strategy: options.strategy, stable: policy.stable, candidate };
  switch (options.strategy) {
    case "blue-green":
      return {
        policy: { stable: candidate, previous: policy.stable },
        event: {
          type: "deployed",
          actor,
          message: `Blue/green: switched all traffic from ${describeVersion(policy.stable)} to ${describeVersion(candidate)}; the old version stays loaded for rollback.`,
          details,
        },
      };
    case "canary": {
      const canary = validateCanary(options.canary);
      return {
        policy: { ...base, candidate, strategy: "canary", canary, canaryStep: 0, stepStartedAt: now },
        event: {
          type: "deployed",
          actor,
          message: `Canary: ${describeVersion(candidate)} takes ${canary.steps[0]}% of traffic (steps ${canary.steps.join(", ")}, every ${canary.intervalMs} ms).`,
          details: { ...details, canary },
        },
      };
    }
    case "shadow":
      return {
        policy: { ...base, candidate, strategy: "shadow" },
        event: {
          type: "deployed",
          actor,
          message: `Shadow: ${describeVersion(candidate)} gets a copy of every request; ${describeVersion(policy.stable)} keeps answering.`,
          details,
        },
      };
    case "ab": {
      const ab = validateAb(options.ab);
      return {
        policy: { ...base, candidate, strategy: "ab", ab },
        event: {
          type: "deployed",
          actor,
          message: `A/B: ${describeVersion(candidate)} (arm B) takes ${ab.split}% of keys by header ${ab.keyHeader}; ${describeVersion(policy.stable)} is arm A.`,
          details: { ...details, ab },
        },
      };
    }
  }
}

/** The next canary step, or promotion when the next step is 100%. */
export function advanceChange(
  policy: TrafficPolicy,
  actor: string,
  figures: Readonly<Record<string, unknown>>,
  now = Date.now(),
): PolicyChange {
  const { candidate, canary } = requireRollout(policy, "canary");
  const next = (policy.canaryStep ?? 0) + 1;
  const percent = canary!.steps[next];
  if (percent === undefined || percent >= 100) return promoteChange(policy, actor, figures);
  return {
    policy: { ...policy, canaryStep: next, stepStartedAt: now },
    event: {
      type: "step_advanced",
      actor,
      message: `Canary: ${describeVersion(candidate)} advanced to ${percent}% of traffic.`,
      details: { step: next, percent, figures },
    },
  };
}

/** Makes the candidate the stable version; the old stable stays warm as `previous`. */
export function promoteChange(
  policy: TrafficPolicy,
  actor: string,
  figures?: Readonly<Record<string, unknown>>,
): PolicyChange {
  const { candidate } = requireRollout(policy);
  return {
    policy: { stable: candidate, previous: policy.stable },
    event: {
      type: "promoted",
      actor,
      message: `Promoted ${describeVersion(candidate)} (${policy.strategy}) to take all traffic; ${describeVersion(policy.stable)} stays loaded for rollback.`,
      details: {
        strategy: policy.strategy,
        stable: candidate,
        previous: policy.stable,
        ...(figures ? { figures } : {}),
      },
    },
  };
}

/**
 * Rolls back: during a rollout the candidate is dropped (the stable keeps all traffic); otherwise
 * the previous stable version takes all traffic back.
 */
export function rollbackChange(
  policy: TrafficPolicy,
  actor: string,
  reason?: string,
  figures?: Readonly<Record<string, unknown>>,
): PolicyChange {
  const why = reason ? ` ${reason}` : "";
  const extra = figures ? { figures } : {};
  if (policy.candidate !== undefined) {
    return {
      policy: { stable: policy.stable, previous: policy.previous },
      event: {
        type: "rolled_back",
        actor,
        message: `Rolled back the ${policy.strategy} rollout of ${describeVersion(policy.candidate)}; ${describeVersion(policy.stable)} takes all traffic.${why}`,
        details: { strategy: policy.strategy, candidate: policy.candidate, stable: policy.stable, ...extra },
      },
    };
  }
  if (policy.previous === undefined) {
    throw new KeelError(
      "INVALID_STATE",
      `Nothing to roll back: ${describeVersion(policy.stable)} is the only version this endpoint has served.`,
    );
  }
  return {
    policy: { stable: policy.previous, previous: policy.stable },
    event: {
      type: "rolled_back",
      actor,
      message: `Switched all traffic back from ${describeVersion(policy.stable)} to ${describeVersion(policy.previous)}.${why}`,
      details: { from: policy.stable, to: policy.previous, ...extra },
    },
  };
}

function requireRollout(
  policy: TrafficPolicy,
  strategy?: RolloutStrategy,
): { candidate: EndpointVersion; canary?: CanaryParams | undefined } {
  if (policy.candidate === undefined || (strategy !== undefined && policy.strategy !== strategy)) {
    throw new KeelError(
      "INVALID_STATE",
      `No ${strategy ?? ""}${strategy ? " " : ""}rollout is in progress; start one with keel endpoint deploy NAME --model REF --strategy canary|shadow|ab.`,
    );
  }
  return { candidate: policy.candidate, canary: policy.canary };
}
