/**
 * EndpointStore on SQLite and PostgreSQL (real databases): create, get, list, compare-and-set
 * updates by revision, the append-only event history, and the policy transitions written
 * through it.
 */
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { isKeelError } from "../../src/errors.js";
import {
  advanceChange,
  deployChange,
  initialPolicy,
  promoteChange,
  rollbackChange,
} from "../../src/serve/endpoints/traffic-policy.js";
import { type EndpointStore, hasEndpointStore } from "../../src/store/endpoint-store.js";
import type { MetadataStore } from "../../src/store/metadata-store.js";
import { openMetadataStore } from "../../src/store/open-metadata-store.js";
import { type PostgresHandle, startPostgres } from "../support/postgres.js";
import { makeTempDir } from "../support/temp-dir.js";

let postgres: PostgresHandle | undefined;
const temp = makeTempDir("keel-endpoint-store");
beforeAll(async () => {
  postgres = await startPostgres();
}, 120_000);
afterAll(async () => {
  await postgres?.stop();
  temp.cleanup();
}, 60_000);

let sqliteCount = 0;
const backends: [string, () => Promise<string>][] = [
  ["SQLite", async () => join(temp.dir, `s${sqliteCount++}.db`)],
  [
    "PostgreSQL",
    async () => {
      if (!postgres) throw new Error("PostgreSQL did not start; see the beforeAll error");
      return postgres.createDatabase();
    },
  ],
];

const v = (version: string) => ({ ref: `models:/flights/${version}`, model: "flights", version });

async function codeOf(p: Promise<unknown>): Promise<string> {
  try {
    await p;
    return "ok";
  } catch (e) {
    if (isKeelError(e)) return e.code;
    throw e;
  }
}

describe.each(backends)("EndpointStore on %s", (_name, freshDatabase) => {
  async function withStore(fn: (s: MetadataStore & EndpointStore) => Promise<void>): Promise<void> {
    const store = await openMetadataStore(await freshDatabase());
    try {
      if (!hasEndpointStore(store)) throw new Error("a Kysely store must keep endpoints");
      await fn(store);
    } finally {
      await store.close();
    }
  }

  it("creates, reads and lists endpoints; names are unique and validated", async () => {
    await withStore(async (store) => {
      const first = initialPolicy(v("1"), "ana");
      const ep = await store.createEndpoint("flights", first.policy, first.event);
      expect(ep).toMatchObject({ name: "flights", revision: 1, policy: { stable: v("1") } });
      expect(await store.getEndpoint("flights")).toEqual(ep);
      await store.createEndpoint("aaa", first.policy, first.event);
      expect((await store.listEndpoints()).map((e) => e.name)).toEqual(["aaa", "flights"]);
      expect(await codeOf(store.createEndpoint("flights", first.policy, first.event))).toBe(
        "RESOURCE_ALREADY_EXISTS",
      );
      expect(await codeOf(store.createEndpoint("bad/name", first.policy, first.event))).toBe(
        "INVALID_PARAMETER_VALUE",
      );
      expect(await codeOf(store.getEndpoint("nope"))).toBe("RESOURCE_DOES_NOT_EXIST");
    });
  });

  it("updates by compare-and-set on the revision and keeps every event in order", async () => {
    await withStore(async (store) => {
      const c = initialPolicy(v("1"), "ana");
      let ep = await store.createEndpoint("ep", c.policy, c.event);
      const canary = {
        steps: [10, 50, 100],
        intervalMs: 1000,
        maxErrorRate: 0.01,
        maxP99Ms: 50,
        minRequests: 5,
      };
      const d = deployChange(ep.policy, v("2"), { strategy: "canary", canary }, "ana", 1000);
      ep = await store.updateEndpoint("ep", 1, d.policy, d.event);
      expect(ep.revision).toBe(2);
      // A writer holding an old revision loses.
      const stale = promoteChange(ep.policy, "bob");
      expect(await codeOf(store.updateEndpoint("ep", 1, stale.policy, stale.event))).toBe("INVALID_STATE");
      const a = advanceChange(ep.policy, "canary-controller", { errorRate: 0, requests: 12 }, 2000);
      ep = await store.updateEndpoint("ep", 2, a.policy, a.event);
      const r = rollbackChange(ep.policy, "canary-controller", "Reason: p99 too high.", { p99Ms: 80 });
      ep = await store.updateEndpoint("ep", 3, r.policy, r.event);
      expect(ep.policy).toEqual({ stable: v("1") });
      expect(await store.getEndpoint("ep")).toMatchObject({ revision: 4, policy: { stable: v("1") } });

      const events = await store.listEndpointEvents("ep");
      expect(events.map((e) => [e.seq, e.revision, e.type, e.actor])).toEqual([
        [1, 1, "created", "ana"],
        [2, 2, "deployed", "ana"],
        [3, 3, "step_advanced", "canary-controller"],
        [4, 4, "rolled_back", "canary-controller"],
      ]);
      expect(events[2]!.details).toMatchObject({ step: 1, percent: 50, figures: { requests: 12 } });
      expect(events[3]!.details).toMatchObject({ figures: { p99Ms: 80 } });
      expect((await store.listEndpointEvents("ep", 2)).map((e) => e.seq)).toEqual([3, 4]);
    });
  });

  it("a fresh connection sees the stored configuration (what a restarted server reads)", async () => {
    const uri = await freshDatabase();
    const first = await openMetadataStore(uri);
    if (!hasEndpointStore(first)) throw new Error("no endpoint store");
    const c = initialPolicy(v("1"), "ana");
    const ep = await first.createEndpoint("ep", c.policy, c.event);
    const d = deployChange(
      ep.policy,
      v("2"),
      { strategy: "ab", ab: { split: 30, keyHeader: "X-User-Id" } },
      "ana",
    );
    await first.updateEndpoint("ep", 1, d.policy, d.event);
    await first.close();
    const second = await openMetadataStore(uri);
    try {
      if (!hasEndpointStore(second)) throw new Error("no endpoint store");
      expect((await second.getEndpoint("ep")).policy).toEqual({
        stable: v("1"),
        candidate: v("2"),
        strategy: "ab",
        ab: { split: 30, keyHeader: "x-user-id" },
      });
    } finally {
      await second.close();
    }
  });
});
