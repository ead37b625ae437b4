import type { Command } from "commander";
import { notFound } from "../errors.js";
import type { Experiment } from "../store/entities.js";
import type { MetadataStore } from "../store/metadata-store.js";
import { action, examples, intOption } from "./command-kit.js";
import { type StoreOptions, withContext, withStoreOptions } from "./context.js";
import { formatTime, printJson, printTable } from "./output.js";

/** `keel experiments list|create|delete|restore`. */
export function registerExperimentsCommands(program: Command): void {
  const group = program.command("experiments").description("create, list and delete experiments");
  examples(group, "keel experiments list", "keel experiments create flights-delay");

  const list = withStoreOptions(
    group
      .command("list")
      .description("list experiments with their run counts")
      .option("--all", "include deleted experiments")
      .option("--max <n>", "at most this many", intOption("--max", 1), 1000)
      .option("--json", "print JSON instead of a table"),
  );
  examples(list, "keel experiments list", "keel experiments list --json");
  list.action(
    action(async (opts: StoreOptions & { all?: boolean; max: number; json?: boolean }) => {
      await withContext(opts, async ({ store }) => {
        const page = await store.searchExperiments({
          viewType: opts.all ? "ALL" : "ACTIVE_ONLY",
          maxResults: opts.max,
        });
        const counts = await Promise.all(page.items.map((e) => countRuns(store, e)));
        const rows = page.items.map((e, i) => ({ ...e, runCount: counts[i]! }));
        if (opts.json) return printJson(rows);
        printTable(
          rows,
          [
            { header: "ID", value: (r) => r.experimentId, align: "right" },
            { header: "NAME", value: (r) => r.name, maxWidth: 40 },
            { header: "RUNS", value: (r) => r.runCount, align: "right" },
            { header: "STAGE", value: (r) => r.lifecycleStage },
            { header: "CREATED", value: (r) => formatTime(r.creationTime) },
            { header: "ARTIFACTS", value: (r) => r.artifactLocation, maxWidth: 60 },
          ],
          "No experiments yet: create one with `keel experiments create NAME` or run `npm run demo`.",
        );
      });
    }),
  );

  const create = withStoreOptions(
    group
      .command("create <name>")
      .description("create an experiment")
      .option("--artifact-location <uri>", "where its runs' artifacts go")
      .option("--json", "print the new experiment as JSON"),
  );
  examples(create, "keel experiments create flights-delay");
  create.action(
    action(async (name: string, opts: StoreOptions & { artifactLocation?: string; json?: boolean }) => {
      await withContext(opts, async ({ store }) => {
        const id = await store.createExperiment(name, opts.artifactLocation);
        if (opts.json) return printJson(await store.getExperiment(id));
        process.stdout.write(`Created experiment '${name}' with id ${id}\n`);
      });
    }),
  );

  const del = withStoreOptions(
    group
      .command("delete <nameOrId>")
      .description("soft-delete an experiment and its runs (restore with `keel experiments restore`)"),
  );
  examples(del, "keel experiments delete flights-delay");
  del.action(
    action(async (nameOrId: string, opts: StoreOptions) => {
      await withContext(opts, async ({ store }) => {
        const exp = await findExperiment(store, nameOrId);
        await store.deleteExperiment(exp.experimentId);
        process.stdout.write(`Deleted experiment '${exp.name}' (id ${exp.experimentId})\n`);
      });
    }),
  );

  const restore = withStoreOptions(
    group.command("restore <nameOrId>").description("restore a deleted experiment"),
  );
  examples(restore, "keel experiments restore flights-delay");
  restore.action(
    action(async (nameOrId: string, opts: StoreOptions) => {
      await withContext(opts, async ({ store }) => {
        const exp = await findExperiment(store, nameOrId);
        await store.restoreExperiment(exp.experimentId);
        process.stdout.write(`Restored experiment '${exp.name}' (id ${exp.experimentId})\n`);
      });
    }),
  );
}

/** An experiment by name, else by id (names win: ids are numbers, names rarely are). */
export async function findExperiment(store: MetadataStore, nameOrId: string): Promise<Experiment> {
  const byName = await store.getExperimentByName(nameOrId);
  if (byName) return byName;
  if (/^\d+$/.test(nameOrId)) return store.getExperiment(nameOrId);
  throw notFound(`No experiment named '${nameOrId}' (see \`keel experiments list\`)`);
}

async function countRuns(store: MetadataStore, exp: Experiment): Promise<number> {
  // Counting through search keeps the CLI on the store interface (works remotely too).
  let n = 0;
  let token: string | undefined;
  do {
    const page = await store.searchRuns({
      experimentIds: [exp.experimentId],
      maxResults: 50_000,
      pageToken: token,
    });
    n += page.items.length;
    token = page.nextPageToken;
  } while (token);
  return n;
}
