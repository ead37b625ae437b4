import { existsSync } from "node:fs";
import { fileURLToPath, pathToFileURL } from "node:url";
import { KeelError } from "../../errors.js";

/**
 * URL of the compiled JavaScript module `file` (e.g. "forest-worker.js") next to the module at
 * `here` (an `import.meta.url`). Worker threads need JavaScript: when Keel runs from its
 * TypeScript sources (Vitest), the sibling is looked up in the compiled `dist/` tree instead,
 * which `npm run build` produces.
 */
export function workerModuleUrl(here: string, file: string): string {
  const beside = new URL(`./${file}`, here);
  if (existsSync(fileURLToPath(beside))) return beside.href;
  const path = fileURLToPath(beside);
  const compiled = path.replace(/([/\\])src([/\\])(?!.*[/\\]src[/\\])/, "$1dist$2");
  if (compiled !== path && existsSync(compiled)) return pathToFileURL(compiled).href;
  throw new KeelError(
    "INTERNAL_ERROR",
    `Worker module ${file} not found beside ${fileURLToPath(here)} nor in dist/: run \`npm run build\` (or use nJobs: 1)`,
  );
}
