/** Contract: registered models, versions, stages, tags, aliases and alias history. */
import { describe, expect, it } from "vitest";
import type { MetadataStore } from "../../src/store/metadata-store.js";
import { allPages, expectKeelError, type OpenStore, useStore } from "./contract-support.js";

async function modelWithVersions(store: MetadataStore, name: string, versions: number): Promise<void> {
  await store.createRegisteredModel(name);
  for (let i = 1; i <= versions; i++) {
    await store.createModelVersion({ name, source: `file:///models/${name}/${i}`, runId: `run${i}` });
  }
}

/** Registry tests for any MetadataStore. */
export function defineRegistryContract(openStore: OpenStore): void {
  describe("model registry", () => {
    const store = useStore(openStore);

    it("creates registered models with tags and description; names are unique", async () => {
      const model = await store().createRegisteredModel(
        "churn",
        [{ key: "owner", value: "ana" }],
        "predicts churn",
      );
      expect(model).toMatchObject({
        name: "churn",
        description: "predicts churn",
        latestVersions: [],
        tags: [{ key: "owner", value: "ana" }],
        aliases: [],
      });
      expect(model.creationTimestamp).toBeGreaterThan(0);
      expect(await store().getRegisteredModel("churn")).toEqual(model);
      await expectKeelError(store().createRegisteredModel("churn"), "RESOURCE_ALREADY_EXISTS", "churn");
      await expectKeelError(store().createRegisteredModel(""), "INVALID_PARAMETER_VALUE");
      await expectKeelError(store().getRegisteredModel("nope"), "RESOURCE_DOES_NOT_EXIST", "nope");
      const updated = await store().updateRegisteredModel("churn", "better");
      expect(updated.description).toBe("better");
      expect(updated.lastUpdatedTimestamp).toBeGreaterThanOrEqual(model.lastUpdatedTimestamp);
    });

    it("numbers versions 1, 2, 3 atomically, also under concurrent creates", async () => {
      await store().createRegisteredModel("m");
      const v1 = await store().createModelVersion({
        name: "m",
        source: "file:///m/1",
        runId: "abc",
        runLink: "http://x",
        description: "first",
        userId: "ana",
        tags: [{ key: "k", value: "v" }],
      });
      expect(v1).toMatchObject({
        name: "m",
        version: "1",
        currentStage: "None",
        status: "READY",
        source: "file:///m/1",
        runId: "abc",
        runLink: "http://x",
        description: "first",
        userId: "ana",
        tags: [{ key: "k", value: "v" }],
        aliases: [],
      });
      const concurrent = await Promise.all(
        Array.from({ length: 8 }, (_, i) =>
          store().createModelVersion({ name: "m", source: `file:///m/c${i}` }),
        ),
      );
      expect(concurrent.map((v) => Number(v.version)).sort((a, b) => a - b)).toEqual([
        2, 3, 4, 5, 6, 7, 8, 9,
      ]);
      await expectKeelError(
        store().createModelVersion({ name: "absent", source: "file:///x" }),
        "RESOURCE_DOES_NOT_EXIST",
        "absent",
      );
      expect(await store().getModelVersion("m", "1")).toEqual(v1);
      await expectKeelError(store().getModelVersion("m", "99"), "RESOURCE_DOES_NOT_EXIST", "99");
      await expectKeelError(store().getModelVersion("m", "one"), "INVALID_PARAMETER_VALUE", "one");
      expect((await store().updateModelVersion("m", "1", "new text")).description).toBe("new text");
    });

    it("transitions stages, archives existing versions and reports latest versions per stage", async () => {
      await modelWithVersions(store(), "staged", 4);
      await store().transitionModelVersionStage("staged", "1", "production", false);
      await store().transitionModelVersionStage("staged", "2", "Staging", false);
      const v3 = await store().transitionModelVersionStage("staged", "3", "Production", true);
      expect(v3.currentStage).toBe("Production");
      expect((await store().getModelVersion("staged", "1")).currentStage).toBe("Archived");
      expect((await store().getModelVersion("staged", "2")).currentStage).toBe("Staging");

      const latest = await store().getLatestVersions("staged");
      expect(latest.map((v) => [v.version, v.currentStage])).toEqual([
        ["1", "Archived"],
        ["2", "Staging"],
        ["3", "Production"],
        ["4", "None"],
      ]);
      const prod = await store().getLatestVersions("staged", ["production"]);
      expect(prod.map((v) => v.version)).toEqual(["3"]);
      const model = await store().getRegisteredModel("staged");
      expect(model.latestVersions.map((v) => v.version).sort()).toEqual(["1", "2", "3", "4"]);
      await expectKeelError(
        store().transitionModelVersionStage("staged", "4", "Shipped", false),
        "INVALID_PARAMETER_VALUE",
        "Shipped",
      );
      await expectKeelError(
        store().transitionModelVersionStage("staged", "4", "Archived", true),
        "INVALID_PARAMETER_VALUE",
      );
      await expectKeelError(store().getLatestVersions("staged", ["Shipped"]), "INVALID_PARAMETER_VALUE");
      await expectKeelError(store().getLatestVersions("ghost"), "RESOURCE_DOES_NOT_EXIST");
    });

    it("moves aliases atomically and keeps their history", async () => {
      await modelWithVersions(store(), "aliased", 3);
      await store().setRegisteredModelAlias("aliased", "champion", "1", "ana");
      expect((await store().getModelVersionByAlias("aliased", "champion")).version).toBe("1");
      await store().setRegisteredModelAlias("aliased", "champion", "2", "bob");
      await store().setRegisteredModelAlias("aliased", "champion", "2", "bob");
      await store().setRegisteredModelAlias("aliased", "challenger", "3");
      const v2 = await store().getModelVersionByAlias("aliased", "champion");
      expect(v2).toMatchObject({ version: "2", aliases: ["champion"] });
      expect((await store().getModelVersion("aliased", "1")).aliases).toEqual([]);
      expect((await store().getRegisteredModel("aliased")).aliases).toEqual([
        { alias: "challenger", version: "3" },
        { alias: "champion", version: "2" },
      ]);

      await store().deleteRegisteredModelAlias("aliased", "champion", "carl");
      await store().deleteRegisteredModelAlias("aliased", "champion", "carl");
      await expectKeelError(
        store().getModelVersionByAlias("aliased", "champion"),
        "RESOURCE_DOES_NOT_EXIST",
        "champion",
      );

      const history = await store().getAliasHistory("aliased", "champion");
      expect(history.map((e) => [e.fromVersion, e.toVersion, e.userId])).toEqual([
        [null, "1", "ana"],
        ["1", "2", "bob"],
        ["2", null, "carl"],
      ]);
      expect(history.every((e) => e.name === "aliased" && e.alias === "champion" && e.timestamp > 0)).toBe(
        true,
      );
      expect(await store().getAliasHistory("aliased")).toHaveLength(4);

      await expectKeelError(store().setRegisteredModelAlias("aliased", "x", "9"), "RESOURCE_DOES_NOT_EXIST");
      await expectKeelError(
        store().setRegisteredModelAlias("aliased", "latest", "1"),
        "INVALID_PARAMETER_VALUE",
        "latest",
      );
      await expectKeelError(
        store().setRegisteredModelAlias("aliased", "v2", "1"),
        "INVALID_PARAMETER_VALUE",
        "reserved",
      );
      await expectKeelError(store().setRegisteredModelAlias("ghost", "a", "1"), "RESOURCE_DOES_NOT_EXIST");
      await expectKeelError(store().getAliasHistory("ghost"), "RESOURCE_DOES_NOT_EXIST");
    });

    it("deletes versions without reusing their numbers and drops their aliases", async () => {
      await modelWithVersions(store(), "pruned", 2);
      await store().setRegisteredModelAlias("pruned", "champion", "2");
      await store().deleteModelVersion("pruned", "2");
      await expectKeelError(store().getModelVersion("pruned", "2"), "RESOURCE_DOES_NOT_EXIST");
      await expectKeelError(store().deleteModelVersion("pruned", "2"), "RESOURCE_DOES_NOT_EXIST");
      expect((await store().getRegisteredModel("pruned")).aliases).toEqual([]);
      expect((await store().getAliasHistory("pruned")).map((e) => [e.fromVersion, e.toVersion])).toEqual([
        [null, "2"],
        ["2", null],
      ]);
      const v3 = await store().createModelVersion({ name: "pruned", source: "file:///p/3" });
      expect(v3.version).toBe("3");
      const versions = await store().searchModelVersions({ filter: "name = 'pruned'" });
      expect(versions.items.map((v) => v.version)).toEqual(["3", "1"]);
    });

    it("renames a model with its versions, tags, aliases and history", async () => {
      await modelWithVersions(store(), "before", 2);
      await store().setRegisteredModelTag("before", { key: "team", value: "ml" });
      await store().setModelVersionTag("before", "1", { key: "ok", value: "yes" });
      await store().setRegisteredModelAlias("before", "champion", "1");
      await store().createRegisteredModel("taken");
      await expectKeelError(store().renameRegisteredModel("before", "taken"), "RESOURCE_ALREADY_EXISTS");
      const renamed = await store().renameRegisteredModel("before", "after");
      expect(renamed).toMatchObject({
        name: "after",
        tags: [{ key: "team", value: "ml" }],
        aliases: [{ alias: "champion", version: "1" }],
      });
      expect(renamed.latestVersions.map((v) => [v.name, v.version])).toEqual([["after", "2"]]);
      expect(await store().getModelVersion("after", "1")).toMatchObject({
        name: "after",
        tags: [{ key: "ok", value: "yes" }],
        aliases: ["champion"],
      });
      expect(await store().getAliasHistory("after")).toHaveLength(1);
      await expectKeelError(store().getRegisteredModel("before"), "RESOURCE_DOES_NOT_EXIST");
      expect((await store().createModelVersion({ name: "after", source: "file:///a/3" })).version).toBe("3");
    });

    it("sets and deletes model and version tags", async () => {
      await modelWithVersions(store(), "tags", 1);
      await store().setRegisteredModelTag("tags", { key: "a", value: "1" });
      await store().setRegisteredModelTag("tags", { key: "a", value: "2" });
      await store().setModelVersionTag("tags", "1", { key: "b", value: "3" });
      expect((await store().getRegisteredModel("tags")).tags).toEqual([{ key: "a", value: "2" }]);
      expect((await store().getModelVersion("tags", "1")).tags).toEqual([{ key: "b", value: "3" }]);
      await store().deleteRegisteredModelTag("tags", "a");
      await store().deleteModelVersionTag("tags", "1", "b");
      await store().deleteModelVersionTag("tags", "1", "never-set");
      expect((await store().getRegisteredModel("tags")).tags).toEqual([]);
      expect((await store().getModelVersion("tags", "1")).tags).toEqual([]);
      await expectKeelError(
        store().setRegisteredModelTag("ghost", { key: "a", value: "1" }),
        "RESOURCE_DOES_NOT_EXIST",
      );
      await expectKeelError(
        store().setModelVersionTag("tags", "7", { key: "a", value: "1" }),
        "RESOURCE_DOES_NOT_EXIST",
      );
      await expectKeelError(
        store().setModelVersionTag("tags", "1", { key: "a", value: "x".repeat(5001) }),
        "INVALID_PARAMETER_VALUE",
      );
    });

    it("searches registered models and versions with filters, order and pages", async () => {
      for (const name of ["fraud-b", "fraud-a", "Fraud-c", "churn"])
        await modelWithVersions(store(), name, 2);
      await store().setRegisteredModelTag("fraud-a", { key: "env", value: "prod" });
      await store().setModelVersionTag("churn", "2", { key: "validated", value: "true" });

      const models = await allPages((pageToken) =>
        store().searchRegisteredModels({ maxResults: 3, pageToken }),
      );
      expect(models.items.map((m) => m.name)).toEqual(["Fraud-c", "churn", "fraud-a", "fraud-b"]);
      expect(models.pages).toBe(2);
      const like = await store().searchRegisteredModels({
        filter: "name LIKE 'fraud%'",
        orderBy: ["name DESC"],
      });
      expect(like.items.map((m) => m.name)).toEqual(["fraud-b", "fraud-a"]);
      const ilike = await store().searchRegisteredModels({ filter: "name ILIKE 'fraud%'" });
      expect(ilike.items.map((m) => m.name)).toEqual(["Fraud-c", "fraud-a", "fraud-b"]);
      const tagged = await store().searchRegisteredModels({ filter: "tags.env = 'prod'" });
      expect(tagged.items.map((m) => m.name)).toEqual(["fraud-a"]);
      expect(tagged.items[0]!.latestVersions.map((v) => v.version)).toEqual(["2"]);

      const versions = await store().searchModelVersions({
        filter: "name = 'fraud-a' and version_number >= 1",
        orderBy: ["version_number ASC"],
      });
      expect(versions.items.map((v) => v.version)).toEqual(["1", "2"]);
      const byRun = await store().searchModelVersions({
        filter: "run_id IN ('run2')",
        orderBy: ["name ASC"],
      });
      expect(byRun.items.map((v) => `${v.name}/${v.version}`)).toEqual([
        "Fraud-c/2",
        "churn/2",
        "fraud-a/2",
        "fraud-b/2",
      ]);
      const validated = await store().searchModelVersions({ filter: "tags.validated = 'true'" });
      expect(validated.items.map((v) => `${v.name}/${v.version}`)).toEqual(["churn/2"]);
      const paged = await allPages((pageToken) =>
        store().searchModelVersions({
          orderBy: ["name ASC", "version_number DESC"],
          maxResults: 3,
          pageToken,
        }),
      );
      expect(paged.items).toHaveLength(8);
      expect(paged.items[0]).toMatchObject({ name: "Fraud-c", version: "2" });
      await expectKeelError(
        store().searchModelVersions({ filter: "stage = 'x'" }),
        "INVALID_PARAMETER_VALUE",
      );
    });

    it("deletes a registered model with everything it owns", async () => {
      await modelWithVersions(store(), "doomed", 2);
      await store().setRegisteredModelAlias("doomed", "champion", "1");
      await store().deleteRegisteredModel("doomed");
      await expectKeelError(store().getRegisteredModel("doomed"), "RESOURCE_DOES_NOT_EXIST");
      await expectKeelError(store().getModelVersion("doomed", "1"), "RESOURCE_DOES_NOT_EXIST");
      await expectKeelError(store().getAliasHistory("doomed"), "RESOURCE_DOES_NOT_EXIST");
      await expectKeelError(store().deleteRegisteredModel("doomed"), "RESOURCE_DOES_NOT_EXIST");
      // The name is free again and numbering restarts with a new model.
      await modelWithVersions(store(), "doomed", 1);
      expect((await store().getModelVersion("doomed", "1")).source).toBe("file:///models/doomed/1");
    });
  });
}
