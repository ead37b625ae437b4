#!/usr/bin/env node
// `npm run lab -- NAME [--dir DIR]`: runs examples/labs/NAME/lab.mjs (see each lab's README.md).
import { existsSync, readdirSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const here = dirname(fileURLToPath(import.meta.url));
const labs = readdirSync(here, { withFileTypes: true })
  .filter((d) => d.isDirectory() && existsSync(join(here, d.name, "lab.mjs")))
  .map((d) => d.name)
  .sort();
const [name, ...args] = process.argv.slice(2);
if (!name || !labs.includes(name)) {
  console.error(
    `usage: npm run lab -- NAME [--dir DIR]\nlabs: ${labs.join(", ")}\nexample: npm run lab -- experiment-tracking`,
  );
  process.exit(name ? 2 : 0);
}
const { runLab } = await import(join(here, name, "lab.mjs"));
const dirFlag = args.indexOf("--dir");
const result = await runLab({
  dir: dirFlag >= 0 ? args[dirFlag + 1] : join("labs-output", name),
  log: console.log,
});
console.log(`\nLab '${name}' done. ${result.lookAt ?? ""}`);
