/** `startServer`: listens, warns when exposed without a token, and closes everything on close(). */
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it, vi } from "vitest";
import { isLoopback, startServer } from "../../src/server/start-server.js";

describe("startServer", () => {
  const dirs: string[] = [];
  afterEach(async () => {
    vi.restoreAllMocks();
    await Promise.all(dirs.splice(0).map((d) => rm(d, { recursive: true, force: true })));
  });

  async function start(host: string, token: string) {
    const dir = await mkdtemp(join(tmpdir(), "keel-start-"));
    dirs.push(dir);
    const written: string[] = [];
    vi.spyOn(process.stderr, "write").mockImplementation((chunk: string | Uint8Array) => {
      written.push(String(chunk));
      return true;
    });
    const server = await startServer({
      host,
      port: 0,
      backendStoreUri: join(dir, "keel.db"),
      artifactsDestination: join(dir, "artifacts"),
      token,
      logger: false,
    });
    vi.restoreAllMocks();
    return { server, stderr: written.join("") };
  }

  it("warns on stderr when it binds beyond loopback without a token", async () => {
    const open = await start("0.0.0.0", "");
    try {
      expect(open.stderr).toContain("without a token");
      expect(open.stderr).toContain("KEEL_SERVER_TOKEN");
      const res = await fetch(`http://127.0.0.1:${open.server.port}/health`);
      expect(res.status).toBe(200);
    } finally {
      await open.server.close();
    }
    const guarded = await start("0.0.0.0", "secret");
    await guarded.server.close();
    expect(guarded.stderr).toBe("");
    const local = await start("127.0.0.1", "");
    expect(local.stderr).toBe("");
    expect(local.server.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    await local.server.close();
    await expect(fetch(`${local.server.url}/health`)).rejects.toThrow();
  });

  it("knows loopback addresses", () => {
    expect(["127.0.0.1", "127.1.2.3", "::1", "localhost"].every(isLoopback)).toBe(true);
    expect(["0.0.0.0", "::", "192.168.1.10"].some(isLoopback)).toBe(false);
  });
});
