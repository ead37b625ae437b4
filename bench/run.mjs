#!/usr/bin/env node
// `npm run bench -- NAME [args]`: runs bench/NAME/index.mjs against the compiled packages.
import { existsSync, readdirSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const here = dirname(fileURLToPath(import.meta.url));
const names = readdirSync(here, { withFileTypes: true })
  .filter((d) => d.isDirectory() && existsSync(join(here, d.name, "index.mjs")))
  .map((d) => d.name);
const [name, ...args] = process.argv.slice(2);
if (!name || name === "--help" || !names.includes(name)) {
  console.error(
    `usage: npm run bench -- NAME [args]\nbenchmarks: ${names.join(", ")}\nexample: npm run bench -- tracking`,
  );
  process.exit(name && name !== "--help" ? 2 : 0);
}
if (!existsSync(join(here, "..", "packages", "keel", "dist", "index.js"))) {
  console.error("packages/keel is not built: run `npm run build` first");
  process.exit(2);
}
process.argv = [process.argv[0], join(here, name, "index.mjs"), ...args];
await import(join(here, name, "index.mjs"));
