/** The mlflow-artifacts proxy client against a real server, checked against the files the server wrote. */
import { mkdir, readdir, readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { Readable } from "node:stream";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { RunningServer } from "../../src/server/start-server.js";
import {
  openProxyArtifactStore,
  type ProxyArtifactStore,
} from "../../src/store/rest/proxy-artifact-store.js";
import { openRunArtifactStore } from "../../src/track/run-artifacts.js";
import { keelErrorOf, startTestServer, streamText, TOKEN, tempDir } from "./helpers.js";

let dir: string;
let server: RunningServer;
let store: ProxyArtifactStore;
const ROOT = "7/run1/artifacts";

beforeAll(async () => {
  dir = await tempDir();
  server = await startTestServer(dir);
  store = openProxyArtifactStore(`mlflow-artifacts:/${ROOT}`, server.url, { token: TOKEN });
});

afterAll(async () => {
  await server.close();
});

describe("ProxyArtifactStore", () => {
  it("writes through the proxy into the server's artifact folder", async () => {
    expect(store.rootUri).toBe(`mlflow-artifacts:/${ROOT}`);
    expect(await store.put("a.txt", Buffer.from("hello"))).toBe(5);
    expect(await store.put("dir/b.bin", Readable.from([Buffer.from([1, 2]), Buffer.from([3])]))).toBe(3);
    expect(await readFile(join(dir, "server-artifacts", ROOT, "a.txt"), "utf8")).toBe("hello");
    expect([...(await readFile(join(dir, "server-artifacts", ROOT, "dir", "b.bin")))]).toEqual([1, 2, 3]);
    expect(await streamText(await store.get("a.txt"))).toBe("hello");
  });

  it("lists, stats and downloads like the local store", async () => {
    await store.put("tree/x.txt", Buffer.from("x"));
    await store.put("tree/sub/y.txt", Buffer.from("yy"));
    expect(await store.list("tree")).toEqual([
      { path: "tree/sub", isDir: true },
      { path: "tree/x.txt", isDir: false, fileSize: 1 },
    ]);
    expect(await store.stat("tree/sub/y.txt")).toEqual({ path: "tree/sub/y.txt", isDir: false, fileSize: 2 });
    expect(await store.stat("tree")).toEqual({ path: "tree", isDir: true });
    expect(await store.stat("")).toEqual({ path: "", isDir: true });
    expect(await store.stat("missing.txt")).toBeNull();
    expect(await store.list("nothing-here")).toEqual([]);

    const out = join(dir, "download");
    await store.download("tree", out);
    expect((await readdir(out)).sort()).toEqual(["sub", "x.txt"]);
    expect(await readFile(join(out, "sub", "y.txt"), "utf8")).toBe("yy");
    await store.download("tree/x.txt", join(dir, "single.txt"));
    expect(await readFile(join(dir, "single.txt"), "utf8")).toBe("x");
  });

  it("uploads local files and folders as MLflow's log_artifact(s) do", async () => {
    const local = join(dir, "local");
    await mkdir(join(local, "m", "n"), { recursive: true });
    await writeFile(join(local, "m", "one.txt"), "1");
    await writeFile(join(local, "m", "n", "two.txt"), "2");
    await store.putLocal(join(local, "m", "one.txt"), "files");
    await store.putLocal(join(local, "m"), "folder");
    expect(await streamText(await store.get("files/one.txt"))).toBe("1");
    expect(await streamText(await store.get("folder/n/two.txt"))).toBe("2");
    expect((await keelErrorOf(store.putLocal(join(local, "nope"), ""))).code).toBe("RESOURCE_DOES_NOT_EXIST");
  });

  it("deletes files and folders, and ignores missing ones", async () => {
    await store.put("del/a.txt", Buffer.from("a"));
    await store.put("del/b/c.txt", Buffer.from("c"));
    await store.delete("del/a.txt");
    expect(await store.stat("del/a.txt")).toBeNull();
    await store.delete("del");
    expect(await store.stat("del")).toBeNull();
    await store.delete("never-there");
  });

  it("refuses paths that leave the root, and reports missing files", async () => {
    expect((await keelErrorOf(store.put("../escape.txt", Buffer.from("x")))).code).toBe(
      "INVALID_PARAMETER_VALUE",
    );
    expect((await keelErrorOf(store.put("", Buffer.from("x")))).code).toBe("INVALID_PARAMETER_VALUE");
    expect((await keelErrorOf(store.get("missing.txt"))).code).toBe("RESOURCE_DOES_NOT_EXIST");
  });

  it("resolves mlflow-artifacts:// URIs with a host, and needs an http tracking URI", async () => {
    await store.put("a.txt", Buffer.from("hello"));
    const host = new URL(server.url).host;
    const withHost = openProxyArtifactStore(`mlflow-artifacts://${host}/${ROOT}`, "http://unused.invalid:1", {
      token: TOKEN,
    });
    expect(await streamText(await withHost.get("a.txt"))).toBe("hello");
    expect(
      (await keelErrorOf(openRunArtifactStore(`mlflow-artifacts:/${ROOT}`, join(dir, "k.db")))).code,
    ).toBe("INVALID_PARAMETER_VALUE");
  });
});
