/**
 * The router of an endpoint: several hosted versions behind one name, and a routing table that
 * is replaced as a whole (one assignment, so every request sees either the old or the new table,
 * never a mix). Canary and A/B requests routed to the candidate carry the stable version as
 * fallback; shadow requests go to the stable version with a copy to the candidate.
 */
import { notFound } from "../../errors.js";
import type { AbParams, RolloutStrategy } from "../../store/endpoint-store.js";
import type { RouteDecision, RouteRequest, Router } from "../router.js";
import type { ServedModel } from "../served-model.js";
import { stickyBucket } from "./sticky-hash.js";

/** What the router routes by; built from a traffic policy and the loaded versions. */
export interface RoutingTable {
  /** Endpoint name clients address. */
  readonly endpoint: string;
  /** The version answering by default. */
  readonly stable: ServedModel;
  /** The version being rolled out, if any. */
  readonly candidate?: ServedModel | undefined;
  /** Strategy of the candidate. */
  readonly strategy?: RolloutStrategy | undefined;
  /** Canary: percent of requests the candidate answers. */
  readonly candidatePercent: number;
  /** A/B split and key header. */
  readonly ab?: AbParams | undefined;
  /** Every loaded version (also the previous stable, for pinned requests and rollback). */
  readonly hosted: readonly ServedModel[];
}

/** Which arm an A/B request is in. */
export type AbArm = "A" | "B";

/**
 * A/B arm of a request: sticky by the key header's value (the same key always gets the same arm),
 * random per request when the header is absent.
 */
export function abArm(ab: AbParams, headers: RouteRequest["headers"], random = Math.random): AbArm {
  const raw = headers[ab.keyHeader];
  const key = Array.isArray(raw) ? raw[0] : raw;
  const bucket = key === undefined || key === "" ? random() * 100 : stickyBucket(key);
  return bucket < ab.split ? "B" : "A";
}

/** {@link Router} over a swappable {@link RoutingTable}. */
export class EndpointRouter implements Router {
  #table: RoutingTable;

  constructor(table: RoutingTable) {
    this.#table = table;
  }

  /** The endpoint's name (what `/invocations` requests are logged under). */
  get name(): string {
    return this.#table.endpoint;
  }

  /** The current table. */
  get table(): RoutingTable {
    return this.#table;
  }

  /** Replaces the table atomically; requests already routed keep their versions. */
  swap(table: RoutingTable): void {
    this.#table = table;
  }

  route(request: RouteRequest): RouteDecision {
    const t = this.#table;
    if (request.modelName !== undefined && request.modelName !== t.endpoint) {
      throw notFound(
        `Model '${request.modelName}' is not served here; this server serves endpoint '${t.endpoint}'.`,
      );
    }
    if (request.version !== undefined) {
      const pinned = t.hosted.find(
        (m) => m.version === request.version || `${m.name}:${m.version}` === request.version,
      );
      if (pinned === undefined) {
        throw notFound(
          `Endpoint '${t.endpoint}' hosts no version '${request.version}'; hosted: ${t.hosted.map((m) => `${m.name}:${m.version}`).join(", ")}.`,
        );
      }
      return { primary: pinned, shadows: [] };
    }
    const candidate = t.candidate;
    if (candidate === undefined) return { primary: t.stable, shadows: [] };
    switch (t.strategy) {
      case "shadow":
        return { primary: t.stable, shadows: [candidate] };
      case "canary":
        return Math.random() * 100 < t.candidatePercent
          ? { primary: candidate, shadows: [], fallback: t.stable }
          : { primary: t.stable, shadows: [] };
      case "ab":
        return t.ab !== undefined && abArm(t.ab, request.headers) === "B"
          ? { primary: candidate, shadows: [], fallback: t.stable }
          : { primary: t.stable, shadows: [] };
      default:
        return { primary: t.stable, shadows: [] };
    }
  }

  versionsOf(name: string): readonly ServedModel[] {
    const t = this.#table;
    return name === t.endpoint || t.hosted.some((m) => m.name === name) ? t.hosted : [];
  }

  all(): readonly ServedModel[] {
    return this.#table.hosted;
  }
}
