/**
 * Serving endpoints and their event history, for SQLite and PostgreSQL. Methods take the open
 * transaction first; rows become {@link Endpoint} / {@link EndpointEvent} entities here.
 */
import { sql } from "kysely";
import { alreadyExists, invalidParam, KeelError, notFound } from "../errors.js";
import { isUniqueViolation } from "./db-errors.js";
import type {
  Endpoint,
  EndpointEvent,
  EndpointEventType,
  NewEndpointEvent,
  TrafficPolicy,
} from "./endpoint-store.js";
import { ENDPOINT_EVENT_TYPES } from "./endpoint-store.js";
import type { EndpointEventRow, EndpointRow, Executor, SqlBackend } from "./schema.js";

/** Endpoint names: they appear in URLs (`/v2/models/{name}`) and folder names. */
export const ENDPOINT_NAME_PATTERN = /^[A-Za-z0-9][A-Za-z0-9._-]{0,127}$/;

/** An `endpoints` row as an entity. */
export function toEndpoint(row: EndpointRow): Endpoint {
  return {
    name: row.name,
    policy: JSON.parse(row.policy) as TrafficPolicy,
    revision: Number(row.revision),
    createdAt: Number(row.created_at),
    updatedAt: Number(row.updated_at),
  };
}

/** An `endpoint_events` row as an entity. */
export function toEndpointEvent(row: EndpointEventRow): EndpointEvent {
  return {
    endpoint: row.endpoint,
    seq: Number(row.seq),
    revision: Number(row.revision),
    time: Number(row.time),
    type: row.type as EndpointEventType,
    actor: row.actor,
    message: row.message,
    ...(row.details === null ? {} : { details: JSON.parse(row.details) as Record<string, unknown> }),
  };
}

function validateName(name: string): void {
  if (typeof name !== "string" || !ENDPOINT_NAME_PATTERN.test(name)) {
    throw invalidParam(
      `Invalid endpoint name '${name}': use 1-128 letters, digits, '.', '_' or '-', starting with a letter or digit.`,
    );
  }
}

function validateEvent(e: NewEndpointEvent): void {
  if (!(ENDPOINT_EVENT_TYPES as readonly string[]).includes(e.type)) {
    throw invalidParam(
      `Unknown endpoint event type '${e.type}'; use one of ${ENDPOINT_EVENT_TYPES.join(", ")}.`,
    );
  }
}

/** Endpoints and events. */
export class EndpointsRepository {
  readonly #backend: SqlBackend;

  constructor(backend: SqlBackend) {
    this.#backend = backend;
  }

  /** Inserts an endpoint at revision 1 with its first event. */
  async create(
    trx: Executor,
    name: string,
    policy: TrafficPolicy,
    event: NewEndpointEvent,
  ): Promise<Endpoint> {
    validateName(name);
    validateEvent(event);
    const now = Date.now();
    const row: EndpointRow = {
      name,
      policy: JSON.stringify(policy),
      revision: 1,
      created_at: now,
      updated_at: now,
    };
    try {
      await trx.insertInto("endpoints").values(row).execute();
    } catch (e) {
      if (isUniqueViolation(e)) {
        throw alreadyExists(
          `Endpoint '${name}' already exists; deploy a new version with keel endpoint deploy ${name} --model REF.`,
        );
      }
      throw e;
    }
    await this.#appendEvent(trx, name, 1, now, event);
    return toEndpoint(row);
  }

  /** One endpoint; RESOURCE_DOES_NOT_EXIST when absent. */
  async get(trx: Executor, name: string): Promise<Endpoint> {
    const row = await trx.selectFrom("endpoints").selectAll().where("name", "=", name).executeTakeFirst();
    if (row === undefined) {
      throw notFound(
        `Endpoint '${name}' not found; create it with keel endpoint create ${name} --model REF (keel endpoint list shows the existing ones).`,
      );
    }
    return toEndpoint(row);
  }

  /** Every endpoint, by name. */
  async list(trx: Executor): Promise<Endpoint[]> {
    const rows = await trx.selectFrom("endpoints").selectAll().orderBy("name").execute();
    return rows.map(toEndpoint);
  }

  /** Compare-and-set on the revision, then one event. */
  async update(
    trx: Executor,
    name: string,
    expectedRevision: number,
    policy: TrafficPolicy,
    event: NewEndpointEvent,
  ): Promise<Endpoint> {
    validateEvent(event);
    if (this.#backend === "postgresql") {
      // Serialise writers of one endpoint so the revision check and the event number hold.
      await sql`SELECT pg_advisory_xact_lock(hashtextextended(${`keel-endpoint:${name}`}, 0))`.execute(trx);
    }
    const current = await this.get(trx, name);
    if (current.revision !== expectedRevision) {
      throw new KeelError(
        "INVALID_STATE",
        `Endpoint '${name}' changed meanwhile (revision ${current.revision}, expected ${expectedRevision}); read it again and retry.`,
      );
    }
    const now = Date.now();
    const revision = current.revision + 1;
    await trx
      .updateTable("endpoints")
      .set({ policy: JSON.stringify(policy), revision, updated_at: now })
      .where("name", "=", name)
      .execute();
    await this.#appendEvent(trx, name, revision, now, event);
    return { ...current, policy, revision, updatedAt: now };
  }

  /** Events oldest first, optionally after a sequence number. */
  async events(trx: Executor, name: string, afterSeq = 0): Promise<EndpointEvent[]> {
    await this.get(trx, name);
    const rows = await trx
      .selectFrom("endpoint_events")
      .selectAll()
      .where("endpoint", "=", name)
      .where("seq", ">", afterSeq)
      .orderBy("seq")
      .execute();
    return rows.map(toEndpointEvent);
  }

  async #appendEvent(
    trx: Executor,
    name: string,
    revision: number,
    time: number,
    e: NewEndpointEvent,
  ): Promise<void> {
    const last = await trx
      .selectFrom("endpoint_events")
      .select((eb) => eb.fn.max("seq").as("seq"))
      .where("endpoint", "=", name)
      .executeTakeFirst();
    await trx
      .insertInto("endpoint_events")
      .values({
        endpoint: name,
        seq: Number(last?.seq ?? 0) + 1,
        revision,
        time,
        type: e.type,
        actor: e.actor,
        message: e.message,
        details: e.details === undefined ? null : JSON.stringify(e.details),
      })
      .execute();
  }
}
