import type { Command } from "commander";
import { invalidParam } from "../errors.js";
import { getLineage } from "../registry/lineage.js";
import { parseModelRef, resolveModelRef } from "../registry/model-ref.js";
import { registerModel } from "../registry/register-model.js";
import type { ModelVersion, Tag } from "../store/entities.js";
import type { MetadataStore } from "../store/metadata-store.js";
import { currentUser } from "../track/system-tags.js";
import { action, collect, examples, intOption } from "./command-kit.js";
import { type StoreOptions, withContext, withStoreOptions } from "./context.js";
import { registerModelExchangeCommands } from "./models-onnx.js";
import { formatTime, printFields, printJson, printTable } from "./output.js";

/** `keel models list|show|register|alias set|alias delete|alias history`. */
export function registerModelsCommands(program: Command): void {
  const group = program.command("models").description("the model registry: versions, aliases, lineage");
  examples(
    group,
    "keel models list",
    "keel models register flights-delay runs:/<run id>/model --alias challenger",
    "keel models alias set flights-delay champion 3",
  );

  const list = withStoreOptions(
    group
      .command("list")
      .description("registered models with their latest version and aliases")
      .option("-f, --filter <expr>", "e.g. \"name LIKE 'flights%'\"")
      .option("--max <n>", "at most this many", intOption("--max", 1), 100)
      .option("--json", "print JSON"),
  );
  examples(list, "keel models list", `keel models list --filter "name LIKE 'flight%'" --json`);
  list.action(
    action(async (opts: StoreOptions & { filter?: string; max: number; json?: boolean }) => {
      await withContext(opts, async ({ store }) => {
        const page = await store.searchRegisteredModels({ filter: opts.filter, maxResults: opts.max });
        if (opts.json) return printJson(page.items);
        printTable(
          page.items,
          [
            { header: "NAME", value: (m) => m.name, maxWidth: 40 },
            {
              header: "LATEST",
              value: (m) => Math.max(0, ...m.latestVersions.map((v) => Number(v.version))) || undefined,
              align: "right",
            },
            { header: "ALIASES", value: (m) => m.aliases.map((a) => `${a.alias}=v${a.version}`).join(", ") },
            { header: "UPDATED", value: (m) => formatTime(m.lastUpdatedTimestamp) },
            { header: "DESCRIPTION", value: (m) => m.description, maxWidth: 40 },
          ],
          "No registered models yet: `keel models register NAME runs:/<run id>/model`.",
        );
      });
    }),
  );

  const show = withStoreOptions(
    group
      .command("show <ref>")
      .description("a model's versions, or one version with its lineage (run and datasets)")
      .option("--json", "print JSON"),
  );
  examples(show, "keel models show flights-delay", "keel models show models:/flights-delay@champion");
  show.action(
    action(async (ref: string, opts: StoreOptions & { json?: boolean }) => {
      await withContext(opts, async ({ store }) => {
        if (!ref.startsWith("models:/")) {
          const model = await store.getRegisteredModel(ref);
          const versions = await allVersions(store, ref);
          if (opts.json) return printJson({ ...model, versions });
          printFields({
            name: model.name,
            description: model.description,
            created: formatTime(model.creationTimestamp),
            aliases: model.aliases.map((a) => `${a.alias}=v${a.version}`).join(", "),
          });
          process.stdout.write("\n");
          printTable(versions, versionColumns);
          return;
        }
        const resolved = await resolveModelRef(store, parseModelRef(ref));
        const mv = resolved.modelVersion!;
        const lineage = await getLineage(store, mv.name, mv.version);
        if (opts.json) return printJson(lineage);
        printFields({
          model: mv.name,
          version: mv.version,
          aliases: mv.aliases.join(", "),
          status: mv.status,
          source: mv.source,
          run: mv.runId,
          created: formatTime(mv.creationTimestamp),
          description: mv.description,
        });
        if (lineage.run) {
          process.stdout.write("\nLineage: dataset versions that made this model\n");
          printTable(lineage.datasets, [
            { header: "DATASET", value: (d) => d.dataset.name },
            { header: "VERSION", value: (d) => d.dataset.version },
            { header: "DIGEST", value: (d) => d.dataset.digest.slice(0, 16) },
            { header: "CONTEXT", value: (d) => d.tags.find((t) => t.key === "mlflow.data.context")?.value },
            { header: "SOURCE", value: (d) => d.dataset.source, maxWidth: 60 },
          ]);
        }
      });
    }),
  );

  const register = withStoreOptions(
    group
      .command("register <name> <from>")
      .description("create a new version from runs:/<id>/path, models:/..., or a local folder")
      .option("--alias <alias>", "point this alias at the new version (e.g. challenger)")
      .option("-d, --description <text>", "version description")
      .option("-t, --tag <key=value>", "version tag (repeatable)", collect)
      .option("--json", "print the new version as JSON"),
  );
  examples(
    register,
    "keel models register flights-delay runs:/3f2a9c1e0b7d4e5f8a6b2c3d4e5f6a7b/model --alias challenger",
    "keel models register seattle-weather ./exported-model",
  );
  register.action(
    action(
      async (
        name: string,
        from: string,
        opts: StoreOptions & { alias?: string; description?: string; tag?: string[]; json?: boolean },
      ) => {
        await withContext(opts, async ({ store, artifacts }) => {
          const mv = await registerModel(store, artifacts, {
            name,
            from,
            alias: opts.alias,
            description: opts.description,
            tags: parseTags(opts.tag),
          });
          if (opts.json) return printJson(mv);
          process.stdout.write(
            `Registered ${name} version ${mv.version}${opts.alias ? ` (@${opts.alias})` : ""}: models:/${name}/${mv.version}\n`,
          );
        });
      },
    ),
  );

  registerModelExchangeCommands(group);

  const alias = group.command("alias").description("move, remove and audit aliases (champion, challenger)");
  const set = withStoreOptions(
    alias.command("set <name> <alias> <version>").description("point an alias at a version"),
  );
  examples(set, "keel models alias set flights-delay champion 3");
  set.action(
    action(async (name: string, aliasName: string, version: string, opts: StoreOptions) => {
      await withContext(opts, async ({ store }) => {
        const before = await store.getRegisteredModel(name);
        const previous = before.aliases.find((a) => a.alias === aliasName)?.version;
        await store.setRegisteredModelAlias(name, aliasName, version, currentUser());
        process.stdout.write(`${name}@${aliasName}: ${previous ? `v${previous} -> ` : ""}v${version}\n`);
      });
    }),
  );
  const del = withStoreOptions(alias.command("delete <name> <alias>").description("remove an alias"));
  examples(del, "keel models alias delete flights-delay challenger");
  del.action(
    action(async (name: string, aliasName: string, opts: StoreOptions) => {
      await withContext(opts, async ({ store }) => {
        await store.deleteRegisteredModelAlias(name, aliasName, currentUser());
        process.stdout.write(`Removed ${name}@${aliasName}\n`);
      });
    }),
  );
  const history = withStoreOptions(
    alias
      .command("history <name> [alias]")
      .description("every recorded alias move, oldest first")
      .option("--json", "print JSON"),
  );
  examples(history, "keel models alias history flights-delay champion");
  history.action(
    action(async (name: string, aliasName: string | undefined, opts: StoreOptions & { json?: boolean }) => {
      await withContext(opts, async ({ store }) => {
        const events = await store.getAliasHistory(name, aliasName);
        if (opts.json) return printJson(events);
        printTable(events, [
          { header: "TIME", value: (e) => formatTime(e.timestamp) },
          { header: "ALIAS", value: (e) => e.alias },
          { header: "FROM", value: (e) => (e.fromVersion ? `v${e.fromVersion}` : "-") },
          { header: "TO", value: (e) => (e.toVersion ? `v${e.toVersion}` : "(removed)") },
          { header: "USER", value: (e) => e.userId },
        ]);
      });
    }),
  );
}

const versionColumns = [
  { header: "VERSION", value: (v: ModelVersion) => v.version, align: "right" as const },
  { header: "ALIASES", value: (v: ModelVersion) => v.aliases.join(", ") },
  { header: "STATUS", value: (v: ModelVersion) => v.status },
  { header: "RUN", value: (v: ModelVersion) => v.runId },
  { header: "CREATED", value: (v: ModelVersion) => formatTime(v.creationTimestamp) },
  { header: "SOURCE", value: (v: ModelVersion) => v.source, maxWidth: 60 },
];

async function allVersions(store: MetadataStore, name: string): Promise<ModelVersion[]> {
  const page = await store.searchModelVersions({
    filter: `name = '${name.replace(/'/g, "\\'")}'`,
    orderBy: ["version_number DESC"],
    maxResults: 10_000,
  });
  return page.items;
}

/** Parse repeated `key=value` options into tags, naming a malformed one. */
export function parseTags(pairs: string[] | undefined): Tag[] {
  return (pairs ?? []).map((p) => {
    const eq = p.indexOf("=");
    if (eq <= 0) throw invalidParam(`Tag '${p}' must look like key=value`);
    return { key: p.slice(0, eq), value: p.slice(eq + 1) };
  });
}
