/** Contract: experiments. */
import { describe, expect, it } from "vitest";
import { allPages, expectKeelError, type OpenStore, useStore } from "./contract-support.js";

/** Experiment tests for any MetadataStore. */
export function defineExperimentContract(openStore: OpenStore): void {
  describe("experiments", () => {
    const store = useStore(openStore);

    it("has MLflow's Default experiment with id 0 after migration", async () => {
      const exp = await store().getExperiment("0");
      expect(exp).toMatchObject({ experimentId: "0", name: "Default", lifecycleStage: "active", tags: [] });
      expect(exp.artifactLocation).toMatch(/\/0$/);
      expect((await store().getExperimentByName("Default"))?.experimentId).toBe("0");
    });

    it("creates experiments with integer string ids, tags and a default artifact location", async () => {
      const id = await store().createExperiment("exp-a", undefined, [{ key: "team", value: "ml" }]);
      expect(id).toMatch(/^[1-9]\d*$/);
      const exp = await store().getExperiment(id);
      const defaultExp = await store().getExperiment("0");
      expect(exp).toMatchObject({ experimentId: id, name: "exp-a", lifecycleStage: "active" });
      expect(exp.tags).toEqual([{ key: "team", value: "ml" }]);
      expect(exp.artifactLocation).toBe(defaultExp.artifactLocation.replace(/0$/, id));
      expect(exp.creationTime).toBeGreaterThan(0);
      expect(exp.lastUpdateTime).toBe(exp.creationTime);
      expect(await store().getExperimentByName("exp-a")).toEqual(exp);
      expect(await store().getExperimentByName("nope")).toBeNull();
      const second = await store().createExperiment("exp-b", "s3://bucket/place");
      expect(Number(second)).toBeGreaterThan(Number(id));
      expect((await store().getExperiment(second)).artifactLocation).toBe("s3://bucket/place");
    });

    it("rejects duplicate and empty names and unknown ids with MLflow's codes", async () => {
      await store().createExperiment("dup");
      await expectKeelError(store().createExperiment("dup"), "RESOURCE_ALREADY_EXISTS", "dup");
      await expectKeelError(store().createExperiment(""), "INVALID_PARAMETER_VALUE");
      await expectKeelError(store().getExperiment("424242"), "RESOURCE_DOES_NOT_EXIST", "424242");
      await expectKeelError(store().getExperiment("not-a-number"), "RESOURCE_DOES_NOT_EXIST");
      await expectKeelError(store().renameExperiment("424242", "x"), "RESOURCE_DOES_NOT_EXIST");
      await expectKeelError(
        store().setExperimentTag("424242", { key: "a", value: "b" }),
        "RESOURCE_DOES_NOT_EXIST",
      );
      await expectKeelError(store().deleteExperiment("424242"), "RESOURCE_DOES_NOT_EXIST");
    });

    it("renames active experiments only, and never onto a taken name", async () => {
      const id = await store().createExperiment("old-name");
      await store().createExperiment("taken");
      await store().renameExperiment(id, "new-name");
      expect((await store().getExperiment(id)).name).toBe("new-name");
      expect(await store().getExperimentByName("old-name")).toBeNull();
      await expectKeelError(store().renameExperiment(id, "taken"), "RESOURCE_ALREADY_EXISTS");
      await store().deleteExperiment(id);
      await expectKeelError(store().renameExperiment(id, "other"), "INVALID_STATE");
    });

    it("overwrites tags and refuses tags on deleted experiments", async () => {
      const id = await store().createExperiment("tagged");
      await store().setExperimentTag(id, { key: "k", value: "1" });
      await store().setExperimentTag(id, { key: "k", value: "2" });
      await store().setExperimentTag(id, { key: "j", value: "3" });
      expect((await store().getExperiment(id)).tags).toEqual([
        { key: "j", value: "3" },
        { key: "k", value: "2" },
      ]);
      await expectKeelError(
        store().setExperimentTag(id, { key: "x".repeat(251), value: "v" }),
        "INVALID_PARAMETER_VALUE",
      );
      await store().deleteExperiment(id);
      await expectKeelError(
        store().setExperimentTag(id, { key: "k", value: "3" }),
        "INVALID_PARAMETER_VALUE",
        "active",
      );
    });

    it("soft-deletes and restores an experiment together with its runs", async () => {
      const id = await store().createExperiment("lifecycle");
      const run = await store().createRun({ experimentId: id });
      await store().deleteExperiment(id);
      expect((await store().getExperiment(id)).lifecycleStage).toBe("deleted");
      expect((await store().getRun(run.info.runId)).info.lifecycleStage).toBe("deleted");
      await expectKeelError(store().deleteExperiment(id), "RESOURCE_DOES_NOT_EXIST");
      await expectKeelError(store().createRun({ experimentId: id }), "INVALID_PARAMETER_VALUE", "active");
      await store().restoreExperiment(id);
      expect((await store().getExperiment(id)).lifecycleStage).toBe("active");
      expect((await store().getRun(run.info.runId)).info.lifecycleStage).toBe("active");
      await expectKeelError(store().restoreExperiment(id), "RESOURCE_DOES_NOT_EXIST");
      await expectKeelError(store().deleteExperiment("0"), "INVALID_PARAMETER_VALUE", "default experiment");
    });

    it("searches experiments by view type, filter and order, page by page", async () => {
      const ids: string[] = [];
      for (const name of ["e-c", "e-a", "e-d", "e-b", "other"])
        ids.push(await store().createExperiment(name));
      await store().setExperimentTag(ids[0]!, { key: "stage", value: "prod" });
      await store().setExperimentTag(ids[2]!, { key: "stage", value: "dev" });
      await store().deleteExperiment(ids[4]!);

      const active = await store().searchExperiments();
      expect(active.items.map((e) => e.name).sort()).toEqual(["Default", "e-a", "e-b", "e-c", "e-d"]);
      const deleted = await store().searchExperiments({ viewType: "DELETED_ONLY" });
      expect(deleted.items.map((e) => e.name)).toEqual(["other"]);
      expect((await store().searchExperiments({ viewType: "ALL" })).items).toHaveLength(6);

      const byName = await allPages((pageToken) =>
        store().searchExperiments({
          filter: "name LIKE 'e-%'",
          orderBy: ["name DESC"],
          maxResults: 3,
          pageToken,
        }),
      );
      expect(byName.items.map((e) => e.name)).toEqual(["e-d", "e-c", "e-b", "e-a"]);
      expect(byName.pages).toBe(2);

      const tagged = await store().searchExperiments({ filter: "tags.stage = 'prod'" });
      expect(tagged.items.map((e) => e.name)).toEqual(["e-c"]);
      const caseSensitive = await store().searchExperiments({ filter: "name LIKE 'E-%'" });
      expect(caseSensitive.items).toEqual([]);
      const insensitive = await store().searchExperiments({ filter: "name ILIKE 'E-A'" });
      expect(insensitive.items.map((e) => e.name)).toEqual(["e-a"]);

      // Default order: creation_time DESC, then experiment_id ASC.
      const all = (await store().searchExperiments()).items;
      const expected = [...all].sort(
        (a, b) => b.creationTime - a.creationTime || Number(a.experimentId) - Number(b.experimentId),
      );
      expect(all.map((e) => e.experimentId)).toEqual(expected.map((e) => e.experimentId));

      await expectKeelError(store().searchExperiments({ maxResults: 0 }), "INVALID_PARAMETER_VALUE");
      await expectKeelError(store().searchExperiments({ filter: "name >" }), "INVALID_PARAMETER_VALUE");
    });
  });
}
