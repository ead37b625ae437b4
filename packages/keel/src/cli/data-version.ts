import type { Command } from "commander";
import { addData } from "../data/versioning/add-data.js";
import { type CheckoutResult, checkoutData } from "../data/versioning/checkout-data.js";
import { type DataDiff, diffVersions } from "../data/versioning/data-diff.js";
import { dataStatus, type StatusEntry } from "../data/versioning/data-status.js";
import { parseDatasetRef, parseVersionRef, resolveVersion } from "../data/versioning/dataset-ref.js";
import { gcCache } from "../data/versioning/gc-cache.js";
import { verifyCache } from "../data/versioning/verify-cache.js";
import { CorruptedObjectError } from "../data/versioning/versioning-errors.js";
import { type Workspace, workspaceAt } from "../data/versioning/workspace.js";
import { invalidParam } from "../errors.js";
import {
  checkoutEverything,
  checkoutOutputsAt,
  type OutputsCheckoutReport,
} from "../pipeline/checkout-outputs.js";
import { type PipelineTransferResult, transferData } from "../pipeline/transfer-outputs.js";
import { formatBytes } from "../report/format-numbers.js";
import type { DatasetStore } from "../store/dataset-store.js";
import { action, examples, intOption } from "./command-kit.js";
import { type StoreOptions, withContext, withStoreOptions } from "./context.js";
import { formatTime, printFields, printJson, printTable } from "./output.js";
import { terminalProgress } from "./progress.js";

/**
 * `keel data add|status|checkout|versions|usage|diff|push|pull|verify|gc`: content-addressed data
 * versioning, added to the `keel data` group.
 */
export function registerDataVersionCommands(data: Command): void {
  // `checkout --version N` must reach the subcommand: without positional options the root
  // program would take `--version` as its own (print Keel's version) wherever it appears.
  data.parent?.enablePositionalOptions();
  registerAdd(data);
  registerStatus(data);
  registerCheckout(data);
  registerVersions(data);
  registerUsage(data);
  registerDiff(data);
  registerTransfer(data, "push");
  registerTransfer(data, "pull");
  registerVerify(data);
  registerGc(data);
}

interface JsonOption {
  json?: boolean;
}

/**
 * Like `action`, but a corrupted cache object exits 1 ("the check ran and failed"), as verify
 * does, rather than with the INVALID_STATE code.
 */
function dataAction<A extends unknown[]>(fn: (...args: A) => Promise<void>): (...args: A) => Promise<void> {
  return action(async (...args: A) => {
    try {
      await fn(...args);
    } catch (e) {
      if (!(e instanceof CorruptedObjectError)) throw e;
      process.stderr.write(`error: ${e.message}\n`);
      process.exitCode = 1;
    }
  });
}

function short(digest: string): string {
  return digest.slice(0, 12);
}

function registerAdd(data: Command): void {
  const cmd = withStoreOptions(
    data
      .command("add <paths...>")
      .description(
        "version files or folders: copy them into the cache, write PATH.keel pointers, gitignore the data",
      )
      .option(
        "--name <name>",
        "dataset name (default: the pointer's name, else the file name without extension)",
      )
      .option("--description <text>", "description stored with a new version")
      .option("--json", "print the versions as JSON"),
  );
  examples(
    cmd,
    "keel data add data/seattle-weather.csv",
    "keel data add data/images --name images",
    "keel data add data/train.parquet data/test.parquet --json",
  );
  cmd.action(
    dataAction(
      async (paths: string[], opts: StoreOptions & JsonOption & { name?: string; description?: string }) => {
        if (opts.name !== undefined && paths.length > 1) {
          throw invalidParam("--name applies to one path; add the paths one at a time to name each.");
        }
        const ws = workspaceAt();
        await withContext(opts, async ({ store }) => {
          const results = [];
          for (const p of paths) {
            const r = await addData(ws, store, p, {
              name: opts.name,
              description: opts.description,
              progress: terminalProgress("bytes"),
            });
            for (const w of r.warnings) process.stderr.write(`warning: ${r.path}: ${w}\n`);
            results.push(r);
          }
          if (opts.json) return printJson(results);
          for (const r of results) {
            const what = `${formatBytes(r.size)}, ${r.nfiles} file${r.nfiles === 1 ? "" : "s"}`;
            const note = r.created ? "" : " (unchanged)";
            process.stdout.write(`${r.name}@${r.version}  ${r.path}  (${what})  -> ${r.pointer}${note}\n`);
          }
        });
      },
    ),
  );
}

function registerStatus(data: Command): void {
  const cmd = data
    .command("status [paths...]")
    .description(
      "which tracked data is modified, missing, or not in the cache (reads only files whose stat changed)",
    )
    .option("--json", "print the report as JSON");
  examples(cmd, "keel data status", "keel data status data/images --json");
  cmd.action(
    dataAction(async (paths: string[], opts: JsonOption) => {
      const report = await dataStatus(workspaceAt(), paths);
      if (opts.json) return printJson(report);
      printTable(
        report.entries,
        [
          { header: "PATH", value: (e: StatusEntry) => e.path, maxWidth: 60 },
          { header: "STATE", value: (e) => e.state },
          { header: "CACHE", value: (e) => (e.inCache ? "ok" : "not-in-cache") },
          { header: "VERSION", value: (e) => (e.name === null ? undefined : `${e.name}@${e.version}`) },
        ],
        "No tracked data: add some with `keel data add PATH`.",
      );
      for (const e of report.entries) {
        const lines = [
          ...e.untracked.map((p) => `  untracked: ${e.path}/${p}`),
          ...e.changed.map((p) => `  changed:   ${e.path}/${p}`),
          ...e.deleted.map((p) => `  deleted:   ${e.path}/${p}`),
          ...(e.error ? [`  ${e.error}`] : []),
        ];
        if (lines.length > 0) process.stdout.write(`${e.pointer}:\n${lines.slice(0, 20).join("\n")}\n`);
        if (lines.length > 20) process.stdout.write(`  ... and ${lines.length - 20} more\n`);
      }
    }),
  );
}

/** Run `fn` with the store only when it is needed (opening it costs a migration check). */
async function maybeWithStore<T>(
  needed: boolean,
  opts: StoreOptions,
  fn: (store: DatasetStore | null) => Promise<T>,
): Promise<T> {
  return needed ? withContext(opts, ({ store }) => fn(store)) : fn(null);
}

function registerCheckout(data: Command): void {
  const cmd = withStoreOptions(
    data
      .command("checkout [path]")
      .description(
        "restore exactly the recorded bytes of PATH (or NAME@N), verified against the cache; no PATH: every pointer and the pipeline outputs in keel.lock",
      )
      .option("--version <n>", "restore version N of the pointer's dataset", intOption("--version", 1))
      .option("--rev <gitrev>", "restore what PATH.keel recorded at this git revision")
      .option("--force", "overwrite workspace changes that are not saved in the cache")
      .option("--json", "print the result as JSON"),
  );
  examples(
    cmd,
    "keel data checkout data/seattle-weather.csv",
    "keel data checkout data/seattle-weather.csv --version 1",
    "keel data checkout data/seattle-weather.csv --rev HEAD~1",
    "keel data checkout weather@2",
    "git checkout HEAD~1 -- keel.lock && keel data checkout",
  );
  cmd.action(
    dataAction(
      async (
        spec: string | undefined,
        opts: StoreOptions & JsonOption & { version?: number; rev?: string; force?: boolean },
      ) => {
        const ws = workspaceAt();
        // Pipeline outputs recorded in keel.lock (no pointer files) are restored like DVC's checkout.
        const pipelineOnly = { force: opts.force, progress: terminalProgress("bytes") };
        const outputs =
          spec === undefined
            ? await checkoutEverything(ws, pipelineOnly)
            : opts.version === undefined && opts.rev === undefined
              ? await checkoutOutputsAt(ws, spec, pipelineOnly)
              : null;
        if (outputs !== null) return printOutputsCheckout(outputs, opts.json === true);
        if (spec === undefined) throw invalidParam("--version and --rev need a PATH.");
        const needsStore = opts.version !== undefined || spec.includes("@");
        const r = await maybeWithStore(needsStore, opts, (store) =>
          checkoutData(ws, store, spec, {
            version: opts.version,
            rev: opts.rev,
            force: opts.force,
            progress: terminalProgress("bytes"),
          }),
        );
        if (opts.json) return printJson(r);
        const how = Object.entries(r.methods)
          .map(([m, n]) => `${n} by ${m}`)
          .join(", ");
        process.stdout.write(
          `${r.name}@${r.version}  ${r.path}: ${r.restored} restored${how ? ` (${how})` : ""}, ${r.unchanged} unchanged, ${r.removed} removed\n`,
        );
      },
    ),
  );
}

/** Print what checking out pipeline outputs (and, without a path, every pointer) did. */
function printOutputsCheckout(
  r: OutputsCheckoutReport & { pointers?: readonly CheckoutResult[] },
  json: boolean,
): void {
  if (json) printJson(r);
  else {
    for (const p of r.pointers ?? [])
      process.stdout.write(`${p.name}@${p.version}  ${p.path}: ${p.restored} restored\n`);
    for (const o of r.outputs)
      process.stdout.write(
        `${o.path} (stage ${o.stage}): ${o.restored} restored, ${o.unchanged} unchanged, ${o.removed} removed\n`,
      );
  }
  if (r.notInCache.length > 0) {
    process.stderr.write(
      `error: not in the local cache: ${r.notInCache.join(", ")}; recreate them with keel run\n`,
    );
    process.exitCode = 1;
  }
}

function registerVersions(data: Command): void {
  const cmd = withStoreOptions(
    data
      .command("versions <name>")
      .description("every recorded version of a dataset")
      .option("--json", "print JSON"),
  );
  examples(cmd, "keel data versions seattle-weather", "keel data versions images --json");
  cmd.action(
    dataAction(async (name: string, opts: StoreOptions & JsonOption) => {
      await withContext(opts, async ({ store }) => {
        const versions = await store.listDatasetVersions(name);
        if (opts.json) return printJson(versions);
        printTable(
          versions,
          [
            { header: "VERSION", value: (v) => v.version, align: "right" },
            { header: "DIGEST", value: (v) => short(v.digest) },
            { header: "SIZE", value: (v) => formatBytes(v.size), align: "right" },
            { header: "FILES", value: (v) => v.fileCount, align: "right" },
            { header: "PATH", value: (v) => v.path, maxWidth: 50 },
            { header: "GIT", value: (v) => v.gitCommit?.slice(0, 8) },
            { header: "CREATED", value: (v) => formatTime(v.createdAt) },
            { header: "DESCRIPTION", value: (v) => v.description, maxWidth: 40 },
          ],
          `No versions of '${name}': record one with \`keel data add PATH --name ${name}\`.`,
        );
      });
    }),
  );
}

function registerUsage(data: Command): void {
  const cmd = withStoreOptions(
    data
      .command("usage <ref>")
      .description("lineage: the runs that used NAME@N as an input, and the model versions they produced")
      .option("--json", "print JSON"),
  );
  examples(cmd, "keel data usage seattle-weather@2", "keel data usage seattle-weather@latest --json");
  cmd.action(
    dataAction(async (ref: string, opts: StoreOptions & JsonOption) => {
      await withContext(opts, async ({ store }) => {
        const v = await resolveVersion(store, parseVersionRef(ref));
        const usage = await store.findDatasetUsage(v.name, v.version);
        if (opts.json) return printJson({ name: v.name, version: v.version, ...usage });
        process.stdout.write(`${v.name}@${v.version} was used by ${usage.runs.length} run(s):\n`);
        printTable(usage.runs, [
          { header: "RUN", value: (r) => r.runId },
          { header: "NAME", value: (r) => r.runName, maxWidth: 40 },
          { header: "STATUS", value: (r) => r.status },
          { header: "STARTED", value: (r) => formatTime(r.startTime) },
        ]);
        process.stdout.write(`\nmodel versions made by those runs: ${usage.modelVersions.length}\n`);
        if (usage.modelVersions.length > 0) {
          printTable(usage.modelVersions, [
            { header: "MODEL", value: (m) => m.name },
            { header: "VERSION", value: (m) => m.version, align: "right" },
            { header: "RUN", value: (m) => m.runId },
          ]);
        }
      });
    }),
  );
}

function registerDiff(data: Command): void {
  const cmd = withStoreOptions(
    data
      .command("diff <a> <b>")
      .description(
        "compare two versions: files added/removed/changed, or for tables schema, rows and column statistics",
      )
      .option("--key <column>", "match table rows by this unique key column (default: compare whole rows)")
      .option("--json", "print JSON"),
  );
  examples(
    cmd,
    "keel data diff seattle-weather@1 seattle-weather@2",
    "keel data diff seattle-weather@1 seattle-weather@latest --key date",
    "keel data diff images@1 images@2 --json",
  );
  cmd.action(
    dataAction(async (a: string, b: string, opts: StoreOptions & JsonOption & { key?: string }) => {
      const ws = workspaceAt();
      await withContext(opts, async ({ store }) => {
        const diff = await diffVersions(ws, store, a, b, { key: opts.key });
        if (opts.json) return printJson(diff);
        printDiff(diff);
      });
    }),
  );
}

function printDiff(d: DataDiff): void {
  const side = (s: DataDiff["a"]) =>
    `${s.name}@${s.version} (${short(s.digest)}, ${formatBytes(s.size)}, ${s.path})`;
  process.stdout.write(`a: ${side(d.a)}\nb: ${side(d.b)}\n`);
  if (d.identical) {
    process.stdout.write("identical content\n");
    return;
  }
  if (d.files !== undefined) {
    const f = d.files;
    process.stdout.write(
      `files: +${f.added.length} added, -${f.removed.length} removed, ~${f.changed.length} changed, ${f.unchanged} unchanged\n`,
    );
    for (const p of f.added.slice(0, 20)) process.stdout.write(`  + ${p}\n`);
    for (const p of f.removed.slice(0, 20)) process.stdout.write(`  - ${p}\n`);
    for (const p of f.changed.slice(0, 20)) process.stdout.write(`  ~ ${p}\n`);
    return;
  }
  const t = d.table;
  if (t === undefined) {
    process.stdout.write("content differs (not a table Keel reads)\n");
    return;
  }
  process.stdout.write(`rows: ${t.rows.a} -> ${t.rows.b} (${signed(t.rows.delta)})\n`);
  for (const c of t.schema.added) process.stdout.write(`column added: ${c.name} ${c.type}\n`);
  for (const c of t.schema.removed) process.stdout.write(`column removed: ${c.name} ${c.type}\n`);
  for (const c of t.schema.retyped) process.stdout.write(`column retyped: ${c.name} ${c.from} -> ${c.to}\n`);
  const r = t.rowChanges;
  if (r.by === "key") {
    process.stdout.write(
      `rows by key ${r.key}: +${r.added} added, -${r.removed} removed, ~${r.changed} changed, ${r.unchanged} unchanged\n`,
    );
    if (r.examples.changed.length > 0)
      process.stdout.write(`  changed keys: ${r.examples.changed.map(String).join(", ")}\n`);
  } else {
    process.stdout.write(
      `rows (whole-row comparison): +${r.added} added, -${r.removed} removed, ${r.unchanged} unchanged\n`,
    );
  }
  const changed = t.columns.filter((c) => c.nullShare.delta || c.distinct.delta || c.mean.delta);
  if (changed.length > 0) {
    process.stdout.write("\n");
    printTable(changed, [
      { header: "COLUMN", value: (c) => c.name },
      { header: "NULL SHARE", value: (c) => `${pct(c.nullShare.a)} -> ${pct(c.nullShare.b)}` },
      { header: "DISTINCT", value: (c) => `${c.distinct.a ?? "-"} -> ${c.distinct.b ?? "-"}` },
      {
        header: "MEAN",
        value: (c) =>
          c.mean.a === null && c.mean.b === null ? undefined : `${num(c.mean.a)} -> ${num(c.mean.b)}`,
      },
    ]);
  }
}

function signed(n: number | null): string {
  return n === null ? "-" : n >= 0 ? `+${n}` : String(n);
}

function pct(x: number | null): string {
  return x === null ? "-" : `${(x * 100).toFixed(1)}%`;
}

function num(x: number | null): string {
  return x === null ? "-" : String(Number(x.toPrecision(6)));
}

function registerTransfer(data: Command, kind: "push" | "pull"): void {
  const push = kind === "push";
  const cmd = withStoreOptions(
    data
      .command(`${kind} [targets...]`)
      .description(
        push
          ? "send the cached data of tracked paths and pipeline outputs (keel.lock), or of versions NAME@N, to a remote (only missing objects; verified on arrival)"
          : "fetch the data of tracked paths and pipeline outputs (keel.lock) from a remote (only missing objects; verified on arrival), then check it out; NAME@N fetches that version without checking it out",
      )
      .option("--remote <name>", "remote from keel.yaml `remotes:` (default: `default`, or the only one)")
      .option("--json", "print JSON"),
  );
  examples(
    cmd,
    `keel data ${kind}`,
    `keel data ${kind} data/seattle-weather.csv --remote nas`,
    `keel data ${kind} models/model.json   # a pipeline output recorded in keel.lock`,
    `keel data ${kind} seattle-weather@1${push ? "" : "   # then: keel data checkout data/seattle-weather.csv --version 1"}`,
  );
  cmd.action(
    dataAction(async (targets: string[], opts: StoreOptions & JsonOption & { remote?: string }) => {
      const ws = workspaceAt();
      const options = { remote: opts.remote, paths: targets, progress: terminalProgress("bytes") };
      // NAME@N targets are resolved in the metadata store; plain paths need none.
      const needsStore = targets.some((t) => parseDatasetRef(t).kind === "version");
      const result = await maybeWithStore(needsStore, opts, (store) =>
        transferData(kind, ws, store, options),
      );
      reportTransfer(kind, result, opts.json === true);
    }),
  );
}

function reportTransfer(kind: "push" | "pull", r: PipelineTransferResult, json: boolean): void {
  for (const w of r.warnings) process.stderr.write(`warning: ${w}\n`);
  if (r.missing.length > 0) {
    const where = kind === "push" ? "the local cache" : `remote '${r.remote}'`;
    process.stderr.write(
      `error: ${r.missing.length} object(s) are not in ${where}: ${r.missing.slice(0, 5).join(", ")}\n`,
    );
    process.exitCode = 1;
  }
  if (json) {
    printJson(r);
    return;
  }
  process.stdout.write(
    `${kind === "push" ? "pushed" : "pulled"} ${r.transferred} object(s), ${formatBytes(r.bytes)} ${kind === "push" ? "to" : "from"} ${r.remote} (${r.url}); ${r.alreadyThere} already there\n`,
  );
  for (const c of r.checkedOut) {
    if (c.restored > 0 || c.removed > 0)
      process.stdout.write(`  ${c.name}@${c.version}  ${c.path}: ${c.restored} restored\n`);
  }
  for (const o of r.outputs) {
    if (o.restored > 0 || o.removed > 0)
      process.stdout.write(`  ${o.path} (stage ${o.stage}): ${o.restored} restored\n`);
  }
  if (kind === "pull" && r.missing.length === 0) {
    for (const v of r.versions) {
      process.stdout.write(
        `  ${v.name}@${v.version}  ${v.path}: in the cache; restore it with keel data checkout ${v.name}@${v.version}\n`,
      );
    }
  }
}

function registerVerify(data: Command): void {
  const cmd = data
    .command("verify")
    .description("re-hash every cache object and list corrupted ones (exit 1 when any)")
    .option("--json", "print JSON");
  examples(cmd, "keel data verify", "keel data verify --json");
  cmd.action(
    dataAction(async (opts: JsonOption) => {
      const report = await verifyCache(workspaceAt(), terminalProgress("bytes"));
      if (report.corrupted.length > 0) process.exitCode = 1;
      if (opts.json) return printJson(report);
      process.stdout.write(
        `checked ${report.checked} object(s), ${formatBytes(report.bytes)}: ${report.corrupted.length} corrupted\n`,
      );
      for (const c of report.corrupted) process.stdout.write(`  corrupted: ${c.path} (${c.reason})\n`);
      if (report.corrupted.length > 0) {
        process.stdout.write(
          "Delete the corrupted objects, then keel data pull (or keel data add the data again).\n",
        );
      }
    }),
  );
}

function registerGc(data: Command): void {
  const cmd = withStoreOptions(
    data
      .command("gc")
      .description(
        "remove cache objects no pointer, dataset version or keel.lock entry refers to (dry run unless --force)",
      )
      .option("--force", "really delete")
      .option("--json", "print JSON"),
  );
  examples(cmd, "keel data gc", "keel data gc --force");
  cmd.action(
    dataAction(async (opts: StoreOptions & JsonOption & { force?: boolean }) => {
      const ws: Workspace = workspaceAt();
      await withContext(opts, async ({ store }) => {
        const report = await gcCache(ws, store, { force: opts.force });
        if (opts.json) return printJson(report);
        const verb = report.dryRun ? "would remove" : "removed";
        printFields({
          [verb]: `${report.removed.length} object(s), ${formatBytes(report.removedBytes)}`,
          kept: `${report.kept} object(s), ${formatBytes(report.keptBytes)}`,
          "stale temp files": report.staleTemps,
          references: `${report.references.pointers} pointer(s), ${report.references.versions} version(s), ${report.references.lockDigests} keel.lock digest(s)`,
        });
        for (const o of report.removed.slice(0, 50))
          process.stdout.write(`  ${o.key}  ${formatBytes(o.size)}\n`);
        if (report.dryRun && report.removed.length > 0)
          process.stdout.write("Run keel data gc --force to delete them.\n");
      });
    }),
  );
}
