/**
 * What the `keel endpoint` commands do, as a library: create, deploy, promote, roll back (each
 * one read + pure policy change + compare-and-set write), list, and status (policy, traffic
 * split, live figures published by the running server, feedback accuracy, canary progress,
 * events).
 */
import type { ModelSource } from "../../learn/train/fetch-model-package.js";
import type { Endpoint, EndpointEvent, EndpointStore, EndpointVersion } from "../../store/endpoint-store.js";
import { type PublishedStats, readStatsFile } from "./endpoint-stats-file.js";
import { resolveEndpointVersion } from "./endpoint-versions.js";
import { accuracyByVersion, type VersionAccuracy } from "./feedback-accuracy.js";
import {
  candidatePercent,
  type DeployOptions,
  deployChange,
  initialPolicy,
  type PolicyChange,
  promoteChange,
  rollbackChange,
  versionKey,
} from "./traffic-policy.js";
import type { VersionStatsSnapshot } from "./version-stats.js";

/** A store that keeps endpoints and resolves model references. */
export type EndpointSource = ModelSource & { readonly store: EndpointStore };

/** Creates `name` serving `ref` (resolved to a concrete version). */
export async function createEndpoint(
  source: EndpointSource,
  name: string,
  ref: string,
  actor: string,
): Promise<Endpoint> {
  const stable = await resolveEndpointVersion(source, ref);
  const { policy, event } = initialPolicy(stable, actor);
  return source.store.createEndpoint(name, policy, event);
}

async function change(
  store: EndpointStore,
  name: string,
  make: (ep: Endpoint) => PolicyChange,
): Promise<Endpoint> {
  const ep = await store.getEndpoint(name);
  const c = make(ep);
  return store.updateEndpoint(name, ep.revision, c.policy, c.event);
}

/** Starts rolling out `ref` on `name` with `options`' strategy. */
export async function deployToEndpoint(
  source: EndpointSource,
  name: string,
  ref: string,
  options: DeployOptions,
  actor: string,
): Promise<Endpoint> {
  const candidate = await resolveEndpointVersion(source, ref);
  return change(source.store, name, (ep) => deployChange(ep.policy, candidate, options, actor));
}

/** Promotes the candidate of `name`. */
export function promoteEndpoint(store: EndpointStore, name: string, actor: string): Promise<Endpoint> {
  return change(store, name, (ep) => promoteChange(ep.policy, actor));
}

/** Rolls `name` back (drops the candidate, or switches back to the previous stable). */
export function rollbackEndpoint(
  store: EndpointStore,
  name: string,
  actor: string,
  reason?: string,
): Promise<Endpoint> {
  return change(store, name, (ep) => rollbackChange(ep.policy, actor, reason));
}

/** One version's line in a status report. */
export interface VersionStatus {
  /** The version. */
  readonly version: EndpointVersion;
  /** stable, candidate or previous. */
  readonly role: "stable" | "candidate" | "previous";
  /** Percent of answered traffic (shadow candidates: 0, they get copies). */
  readonly trafficPercent: number;
  /** Live figures published by the running server, when one runs. */
  readonly live?: VersionStatsSnapshot | undefined;
  /** Feedback outcomes of its returned answers. */
  readonly feedback?: VersionAccuracy | undefined;
  /** Feedback outcomes of its shadow answers. */
  readonly shadowFeedback?: VersionAccuracy | undefined;
}

/** `keel endpoint status`. */
export interface EndpointStatus {
  /** The endpoint as stored. */
  readonly endpoint: Endpoint;
  /** Versions with their roles, split and figures. */
  readonly versions: readonly VersionStatus[];
  /** Canary progress, during a canary rollout. */
  readonly canary?:
    | {
        readonly step: number;
        readonly steps: readonly number[];
        readonly percent: number;
        readonly stepStartedAt: number;
      }
    | undefined;
  /** The running server's publication (url, pid, applied revision), when there is one. */
  readonly server?: Omit<PublishedStats, "versions"> | undefined;
  /** Every event, oldest first. */
  readonly events: readonly EndpointEvent[];
}

/** Gathers the status of `name`; `logDir` is the endpoint's prediction log folder. */
export async function endpointStatus(
  store: EndpointStore,
  name: string,
  logDir: string,
): Promise<EndpointStatus> {
  const [endpoint, events, published, accuracy] = await Promise.all([
    store.getEndpoint(name),
    store.listEndpointEvents(name),
    readStatsFile(logDir),
    accuracyByVersion(logDir, name),
  ]);
  const p = endpoint.policy;
  const pct = candidatePercent(p);
  const roles: [EndpointVersion | undefined, VersionStatus["role"], number][] = [
    [p.stable, "stable", 100 - pct],
    [p.candidate, "candidate", pct],
    [p.previous, "previous", 0],
  ];
  const versions: VersionStatus[] = [];
  for (const [v, role, trafficPercent] of roles) {
    if (v === undefined || versions.some((x) => versionKey(x.version) === versionKey(v))) continue;
    const of = (shadow: boolean) =>
      accuracy.find((a) => a.model === v.model && a.version === v.version && a.shadow === shadow);
    versions.push({
      version: v,
      role,
      trafficPercent,
      live: published?.versions[versionKey(v)],
      feedback: of(false),
      shadowFeedback: of(true),
    });
  }
  const canary =
    p.strategy === "canary" && p.canary
      ? { step: p.canaryStep ?? 0, steps: p.canary.steps, percent: pct, stepStartedAt: p.stepStartedAt ?? 0 }
      : undefined;
  let server: EndpointStatus["server"];
  if (published) {
    const { versions: _v, ...rest } = published;
    server = rest;
  }
  return { endpoint, versions, canary, server, events };
}
