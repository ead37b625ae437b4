import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { describe, expect, it } from "vitest";
import { LocalArtifactStore } from "../../src/artifacts/local-artifact-store.js";
import {
  ARTIFACT_URI_SCHEMES,
  artifactUriToStore,
  openArtifactStore,
  resolveArtifactUri,
  splitArtifactUri,
} from "../../src/artifacts/open-artifact-store.js";
import { readAll, tempDirs } from "./temp-dir.js";

const dirs = tempDirs();

describe("openArtifactStore", () => {
  it("opens a plain folder path and a file:// URI onto the same local store", async () => {
    const root = join(await dirs.make(), "données", "artifacts");
    const byPath = await openArtifactStore(root);
    expect(byPath).toBeInstanceOf(LocalArtifactStore);
    expect(byPath.rootUri).toBe(pathToFileURL(root).href);
    await byPath.put("x/y.txt", Buffer.from("same"));
    const byUri = await openArtifactStore(byPath.rootUri);
    expect((byUri as LocalArtifactStore).root).toBe(root);
    expect((await readAll(await byUri.get("x/y.txt"))).toString()).toBe("same");
  });

  it("resolves a relative folder path against the working directory", async () => {
    const store = (await openArtifactStore("some/rel/dir")) as LocalArtifactStore;
    expect(store.root).toBe(join(process.cwd(), "some/rel/dir"));
  });

  it("says S3 is not available yet", async () => {
    await expect(openArtifactStore("s3://bucket/prefix")).rejects.toMatchObject({
      code: "INVALID_PARAMETER_VALUE",
      message: expect.stringContaining("S3 artifact stores are not available yet"),
    });
  });

  it("lists the accepted schemes for an unknown one", async () => {
    expect(ARTIFACT_URI_SCHEMES).toEqual(["file", "s3"]);
    await expect(openArtifactStore("ftp://host/x")).rejects.toMatchObject({
      code: "INVALID_PARAMETER_VALUE",
      message: expect.stringMatching(/"ftp:".*a folder path, file:\/\/, s3:\/\//),
    });
  });

  it.each(["", "   ", "file://remote-host/x", "a\0b"])("rejects %j", async (uri) => {
    await expect(openArtifactStore(uri)).rejects.toMatchObject({ code: "INVALID_PARAMETER_VALUE" });
  });
});

describe("artifact URI helpers", () => {
  it("resolves a relative path under a root URI, safely", () => {
    expect(resolveArtifactUri("file:///srv/a/1/r1/artifacts", "model")).toBe(
      "file:///srv/a/1/r1/artifacts/model",
    );
    expect(resolveArtifactUri("file:///srv/a/", "m/ü x.json")).toBe("file:///srv/a/m/%C3%BC%20x.json");
    expect(resolveArtifactUri("/srv/a", "")).toBe("file:///srv/a");
    expect(resolveArtifactUri("s3://bucket/prefix/", "1/r1/artifacts")).toBe(
      "s3://bucket/prefix/1/r1/artifacts",
    );
    expect(() => resolveArtifactUri("file:///srv/a", "../b")).toThrow(/\.\./);
    expect(() => resolveArtifactUri("gs://b/x", "m")).toThrow(/unsupported scheme/);
  });

  it("splits a full artifact URI into a root and ''", () => {
    expect(splitArtifactUri("file:///abs/.keel/artifacts/1/r1/artifacts/")).toEqual({
      rootUri: "file:///abs/.keel/artifacts/1/r1/artifacts",
      path: "",
    });
    expect(splitArtifactUri("/abs/x")).toEqual({ rootUri: "file:///abs/x", path: "" });
  });

  it("opens the store behind a run's artifact URI", async () => {
    const runArtifacts = join(await dirs.make(), "1", "r1", "artifacts");
    const { store, path } = await artifactUriToStore(pathToFileURL(runArtifacts).href);
    expect(path).toBe("");
    await store.put("model/model.json", Buffer.from("{}"));
    expect(await store.list(path)).toEqual([{ path: "model", isDir: true }]);
  });
});
