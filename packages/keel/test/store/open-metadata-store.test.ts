/** openMetadataStore: URI schemes, folders, defaults, reopening, and the SQLite connection settings. */
import { existsSync } from "node:fs";
import { relative } from "node:path";
import { pathToFileURL } from "node:url";
import BetterSqlite3 from "better-sqlite3";
import { afterAll, describe, expect, it } from "vitest";
import { openMetadataStore } from "../../src/store/open-metadata-store.js";
import { makeTempDir } from "../support/temp-dir.js";
import { expectKeelError } from "./contract-support.js";

const temp = makeTempDir("keel-open-store");
afterAll(() => temp.cleanup());

describe("openMetadataStore", () => {
  it("opens a plain path as SQLite, creating parent folders, with artifacts beside the database", async () => {
    const path = `${temp.dir}/a/b/c/keel.db`;
    const store = await openMetadataStore(path);
    try {
      expect(store.kind).toBe("sqlite");
      expect(existsSync(path)).toBe(true);
      const defaultExp = await store.getExperiment("0");
      expect(defaultExp.artifactLocation).toBe(`${pathToFileURL(`${temp.dir}/a/b/c/artifacts`).href}/0`);
    } finally {
      await store.close();
    }
  });

  it("accepts sqlite:///absolute and sqlite:relative URIs", async () => {
    const absolute = await openMetadataStore(`sqlite://${temp.dir}/abs/keel.db`);
    await absolute.close();
    expect(existsSync(`${temp.dir}/abs/keel.db`)).toBe(true);
    const rel = relative(process.cwd(), `${temp.dir}/rel/keel.db`);
    const relativeStore = await openMetadataStore(`sqlite:${rel}`);
    await relativeStore.close();
    expect(existsSync(`${temp.dir}/rel/keel.db`)).toBe(true);
  });

  it("uses the given default artifact root for new experiments", async () => {
    const store = await openMetadataStore(`${temp.dir}/root/keel.db`, {
      defaultArtifactRoot: "mlflow-artifacts:/",
    });
    try {
      expect((await store.getExperiment("0")).artifactLocation).toBe("mlflow-artifacts:/0");
      const id = await store.createExperiment("e");
      expect((await store.getExperiment(id)).artifactLocation).toBe(`mlflow-artifacts:/${id}`);
      const local = await store.createExperiment("local", "relative/place");
      expect((await store.getExperiment(local)).artifactLocation).toBe(pathToFileURL("relative/place").href);
    } finally {
      await store.close();
    }
  });

  it("reopens an existing database with its data and a single Default experiment", async () => {
    const path = `${temp.dir}/reopen/keel.db`;
    const first = await openMetadataStore(path);
    const run = await first.createRun({ experimentId: "0", runName: "kept" });
    await first.close();
    const [second, third] = await Promise.all([openMetadataStore(path), openMetadataStore(path)]);
    try {
      expect((await second.getRun(run.info.runId)).info.runName).toBe("kept");
      expect((await third.searchExperiments({ viewType: "ALL" })).items.map((e) => e.name)).toEqual([
        "Default",
      ]);
    } finally {
      await second.close();
      await third.close();
    }
  });

  it("sets WAL mode on the database file", async () => {
    const path = `${temp.dir}/wal/keel.db`;
    const store = await openMetadataStore(path);
    await store.close();
    const raw = new BetterSqlite3(path, { readonly: true });
    try {
      expect(raw.pragma("journal_mode", { simple: true })).toBe("wal");
    } finally {
      raw.close();
    }
  });

  it("rejects unknown schemes, listing the accepted ones, and empty URIs", async () => {
    await expectKeelError(
      openMetadataStore("mysql://db/x"),
      "INVALID_PARAMETER_VALUE",
      "mysql",
      "sqlite://",
      "postgresql://",
    );
    await expectKeelError(openMetadataStore(""), "INVALID_PARAMETER_VALUE");
    await expectKeelError(openMetadataStore("sqlite:"), "INVALID_PARAMETER_VALUE");
  });

  it("reports an unreachable PostgreSQL server as TEMPORARILY_UNAVAILABLE", async () => {
    await expectKeelError(
      openMetadataStore("postgresql://nobody@127.0.0.1:1/none"),
      "TEMPORARILY_UNAVAILABLE",
      "ECONNREFUSED",
    );
  });
});
