import { readFileSync } from "node:fs";

/** Keel's version, read from the package's own package.json. */
export const KEEL_VERSION: string = (
  JSON.parse(readFileSync(new URL("../package.json", import.meta.url), "utf8")) as { version: string }
).version;
