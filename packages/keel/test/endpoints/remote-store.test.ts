/**
 * Endpoints through a `keel server` (a team's shared tracking server): the store calls go over
 * Keel's REST API, `keel endpoint` works with an http tracking URI, an endpoint server polling
 * the remote store applies a deploy live, and hostile policies are refused with the store intact.
 */
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createEndpoint, deployToEndpoint } from "../../src/serve/endpoints/endpoint-admin.js";
import type { RunningEndpointServer } from "../../src/serve/endpoints/endpoint-server.js";
import { type RunningServer, startServer } from "../../src/server/start-server.js";
import { RestMetadataStore } from "../../src/store/rest/rest-metadata-store.js";
import { runKeelInProcess as keel } from "../support/in-process-cli.js";
import { type EndpointFixture, endpointFixture, serveEndpoint, startLoad, waitFor } from "./helpers.js";

let fx: EndpointFixture;
let server: RunningServer;
let rest: RestMetadataStore;
let serving: RunningEndpointServer | undefined;

beforeAll(async () => {
  fx = await endpointFixture();
  // The server shares the fixture's SQLite store (and so its registered flights versions).
  server = await startServer({
    host: "127.0.0.1",
    port: 0,
    backendStoreUri: fx.project.trackingUri,
    artifactsDestination: join(fx.project.dir, ".keel", "artifacts"),
    token: "",
    logger: false,
  });
  rest = new RestMetadataStore({ baseUrl: server.url });
}, 60_000);

afterAll(async () => {
  await serving?.close();
  await server?.close();
  await fx?.project.close();
});

describe("endpoints on a remote keel server", () => {
  it("create, deploy and serve through the REST store: the switch is applied live, no request fails", async () => {
    const source = { store: rest, trackingUri: server.url };
    const created = await createEndpoint(source, "remote", "models:/flights/1", "tester");
    expect(created.revision).toBe(1);
    // The server's own store sees what the client wrote.
    expect((await fx.source.store.getEndpoint("remote")).policy.stable.version).toBe("1");

    serving = await serveEndpoint(fx, "remote", { source });
    const load = startLoad(serving.url, "remote", { clients: 4 });
    await waitFor("traffic on v1", () => load.sent() > 30);
    const deployed = await deployToEndpoint(
      source,
      "remote",
      "models:/flights/2",
      { strategy: "blue-green" },
      "tester",
    );
    await waitFor("the switch", () => serving?.revision === deployed.revision);
    const atSwitch = load.sent();
    await waitFor("traffic on v2", () => load.sent() > atSwitch + 30);
    load.stop();
    const result = await load.done;
    expect(result.failures).toEqual([]);
    expect(Object.keys(result.byVersion).sort()).toEqual(["1", "2"]);

    const events = await rest.listEndpointEvents("remote");
    expect(events.map((e) => e.type)).toEqual(["created", "deployed"]);
    expect(await rest.listEndpointEvents("remote", 1)).toHaveLength(1);
    // A stale revision is refused as by a local store.
    await expect(
      rest.updateEndpoint("remote", 1, deployed.policy, { type: "promoted", actor: "t", message: "late" }),
    ).rejects.toMatchObject({ code: "INVALID_STATE" });
  }, 60_000);

  it("keel endpoint works with an http tracking URI", async () => {
    const list = await keel(["endpoint", "list", "--tracking-uri", server.url, "--json"]);
    expect(list.code, list.stderr).toBe(0);
    expect((JSON.parse(list.stdout) as { name: string }[]).map((e) => e.name)).toContain("remote");
    const created = await keel([
      "endpoint",
      "create",
      "cli-remote",
      "--model",
      "models:/flights/1",
      "--tracking-uri",
      server.url,
    ]);
    expect(created.code, created.stderr).toBe(0);
    const rolledBack = await keel(["endpoint", "rollback", "cli-remote", "--tracking-uri", server.url]);
    expect(rolledBack.code).not.toBe(0); // nothing to roll back to: the usual refusal, from the server
    expect(rolledBack.stderr).toMatch(/Nothing to roll back/);
    expect((await fx.source.store.getEndpoint("cli-remote")).revision).toBe(1);
  }, 60_000);

  it("refuses malformed and hostile policies with a 400 naming the problem; nothing is stored", async () => {
    const post = (body: unknown) =>
      fetch(`${server.url}/api/2.0/keel/endpoints/create`, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify(body),
      });
    const stable = { ref: "models:/flights/1", model: "flights", version: "1" };
    const event = { type: "created", actor: "x", message: "m" };
    const cases: [unknown, RegExp][] = [
      [{ name: "bad1", policy: { stable, extra: 1 }, event }, /extra/],
      [{ name: "bad2", policy: { stable: { ...stable, ref: "" } }, event }, /ref/],
      [{ name: "bad3", policy: { stable: { ...stable, model: "m".repeat(300) } }, event }, /model/],
      [
        {
          name: "bad4",
          policy: {
            stable,
            candidate: stable,
            strategy: "canary",
            canary: { steps: [50, 10], intervalMs: 1000, maxErrorRate: 0.1, maxP99Ms: 50, minRequests: 5 },
          },
          event,
        },
        /--steps must be increasing percentages/,
      ],
      [
        { name: "bad5", policy: { stable, ab: { split: 50, keyHeader: "bad header" } }, event },
        /not a valid HTTP header/,
      ],
      [{ name: "bad6", policy: { stable }, event: { ...event, type: "exploded" } }, /type/],
    ];
    for (const [body, message] of cases) {
      const res = await post(body);
      expect(res.status, JSON.stringify(body)).toBe(400);
      expect(((await res.json()) as { message: string }).message).toMatch(message);
    }
    const names = (await rest.listEndpoints()).map((e) => e.name);
    for (const n of ["bad1", "bad2", "bad3", "bad4", "bad5", "bad6"]) expect(names).not.toContain(n);
  });
});
