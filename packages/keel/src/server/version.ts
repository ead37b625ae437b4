/** Keel's version, read once from the package manifest (same relative place in src/ and dist/). */
import { readFileSync } from "node:fs";

/** The `version` of packages/keel/package.json. */
export const KEEL_VERSION: string = (
  JSON.parse(readFileSync(new URL("../../package.json", import.meta.url), "utf8")) as { version: string }
).version;
