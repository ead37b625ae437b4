// bench/data: runs convert.mjs (CSV -> Parquet vs DuckDB), hash.mjs (hashing vs sha256sum) and
// status.mjs (`data status` on 10,000 files), each in its own process, in that order, when the
// file exists; each prints its own table.
import { spawnSync } from "node:child_process";
import { existsSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const here = dirname(fileURLToPath(import.meta.url));
const parts = ["convert.mjs", "hash.mjs", "status.mjs"].filter((f) => existsSync(join(here, f)));
let failed = 0;
for (const part of parts) {
  console.log(`\n== bench/data/${part} ==`);
  const r = spawnSync(process.execPath, [join(here, part), ...process.argv.slice(2)], { stdio: "inherit" });
  if (r.status !== 0) {
    console.error(`bench/data/${part} exited with ${r.status ?? r.signal}`);
    failed++;
  }
}
process.exitCode = failed > 0 ? 1 : 0;
