// bench/data/status.mjs: `keel data status` on 10,000 unchanged small files tracked by one
// pointer, end to end (a fresh `keel data status` process) and as a library call, beside
// `git status --porcelain` on the same files committed in a git repository, in one run, median
// of 3 after one warm-up each. Target: Keel < 1 s.
import { execFileSync, spawnSync } from "node:child_process";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { addData } from "../../packages/keel/dist/data/versioning/add-data.js";
import { dataStatus } from "../../packages/keel/dist/data/versioning/data-status.js";
import { hashCounters } from "../../packages/keel/dist/data/versioning/hash-file.js";
import { workspaceAt } from "../../packages/keel/dist/data/versioning/workspace.js";
import { openMetadataStore } from "../../packages/keel/dist/store/open-metadata-store.js";

const FILES = Number(process.env.BENCH_FILES ?? 10_000);
const REPS = Number(process.env.BENCH_REPS ?? 3);
const TARGET_MS = 1000;
const MAIN = fileURLToPath(new URL("../../packages/keel/dist/cli/main.js", import.meta.url));
const VERSION_CLI = fileURLToPath(new URL("../../packages/keel/dist/cli/data-version.js", import.meta.url));
const tmp = mkdtempSync(join(tmpdir(), "keel-bench-status-"));
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

/** 10,000 small files in 100 sub-folders of `dir`. */
function writeFiles(dir) {
  for (let i = 0; i < FILES; i++) {
    const sub = join(dir, `part-${String(i % 100).padStart(3, "0")}`);
    if (i < 100) mkdirSync(sub, { recursive: true });
    writeFileSync(join(sub, `row-${i}.json`), `{"id":${i},"value":${(i * 7919) % 1000}}\n`);
  }
}

function timedProcess(cmd, args, cwd) {
  const started = performance.now();
  const r = spawnSync(cmd, args, { cwd, encoding: "utf8", maxBuffer: 64 << 20 });
  const ms = performance.now() - started;
  if (r.status !== 0) throw new Error(`${cmd} ${args.join(" ")} exited ${r.status}: ${r.stderr}`);
  return { ms, stdout: r.stdout };
}

try {
  // Keel project: keel.yaml, the files, one pointer for the folder.
  const project = join(tmp, "project");
  mkdirSync(project);
  writeFileSync(join(project, "keel.yaml"), "project: bench\n");
  writeFiles(join(project, "data", "rows"));
  const ws = workspaceAt(project);
  const store = await openMetadataStore(join(ws.keelDir, "keel.db"));
  const addStarted = performance.now();
  const added = await addData(ws, store, "data/rows", { cwd: project });
  const addMs = performance.now() - addStarted;
  await store.close();

  // The same files committed in a git repository.
  const repo = join(tmp, "repo");
  mkdirSync(repo);
  writeFiles(join(repo, "rows"));
  const git = (...args) =>
    execFileSync("git", ["-c", "user.name=b", "-c", "user.email=b@b", ...args], { cwd: repo, stdio: "pipe" });
  git("init", "-q");
  git("add", "-A");
  git("commit", "-q", "-m", "rows");

  // `keel data status` as its own process: the real CLI when `data` is wired, else the same commands.
  const wired =
    spawnSync(process.execPath, [MAIN, "data", "status", "--help"], { encoding: "utf8" }).status === 0;
  const runner = join(tmp, "keel-data.mjs");
  writeFileSync(
    runner,
    `import { Command } from "commander";\nimport { registerDataVersionCommands } from ${JSON.stringify(VERSION_CLI)};\nconst p = new Command("keel");\nregisterDataVersionCommands(p.command("data"));\nawait p.parseAsync(["node", "keel", "data", ...process.argv.slice(2)]);\n`,
  );
  const keelCli = () => {
    const r = wired
      ? timedProcess(process.execPath, [MAIN, "data", "status", "--json"], project)
      : timedProcess(
          process.execPath,
          ["--import", "data:text/javascript,", runner, "status", "--json"],
          join(import.meta.dirname, "..", ".."),
        );
    return r;
  };

  const times = { cli: [], library: [], git: [] };
  let hashedInRuns = 0;
  // Warm-ups: page cache, git index refresh, Keel's first look after add.
  keelCli();
  await dataStatus(ws);
  timedProcess("git", ["status", "--porcelain"], repo);
  hashCounters.reset();
  for (let rep = 0; rep < REPS; rep++) {
    const cli = keelCli();
    const entry = JSON.parse(cli.stdout).entries[0];
    if (entry?.state !== "clean") throw new Error(`unexpected status: ${cli.stdout.slice(0, 300)}`);
    hashedInRuns += JSON.parse(cli.stdout).filesHashed;
    times.cli.push(cli.ms);
    const started = performance.now();
    const report = await dataStatus(ws);
    times.library.push(performance.now() - started);
    hashedInRuns += report.filesHashed;
    times.git.push(timedProcess("git", ["status", "--porcelain"], repo).ms);
  }
  const rows = [
    {
      what: `keel data status (${wired ? "keel CLI" : "CLI commands, own process"})`,
      "median ms": Math.round(median(times.cli)),
    },
    { what: "keel dataStatus() in-process", "median ms": Math.round(median(times.library)) },
    { what: "git status --porcelain (peer)", "median ms": Math.round(median(times.git)) },
  ];
  console.log(
    `status of ${FILES.toLocaleString("en")} unchanged small files tracked by one pointer, median of ${REPS}`,
  );
  console.table(rows);
  console.log(
    `files re-hashed during the timed runs: ${hashedInRuns} (add of ${added.nfiles} files took ${Math.round(addMs)} ms)`,
  );
  const keelMs = median(times.cli);
  console.log(
    `keel/git time ratio: ${(keelMs / median(times.git)).toFixed(2)}x; end-to-end ${Math.round(keelMs)} ms (target < ${TARGET_MS} ms) ${keelMs < TARGET_MS ? "PASS" : "FAIL"}`,
  );
  if (keelMs >= TARGET_MS || hashedInRuns > 0) process.exitCode = 1;
} finally {
  rmSync(tmp, { recursive: true, force: true });
}
