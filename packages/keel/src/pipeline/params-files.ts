/**
 * Params files (params.yaml and the files stages name in `params:` or `vars:`): read once per
 * load through a {@link SourceReader}, looked up by dotted key. YAML and JSON, as DVC reads them.
 */

import { walk } from "./interpolation.js";
import type { SourceReader } from "./source-reader.js";
import { parseYamlSource, type YamlSource } from "./yaml-source.js";

/** Extensions a params file may have. */
const PARAMS_EXTENSIONS = /\.(ya?ml|json)$/i;

/** Params files of one version of the project, each read at most once. */
export class ParamsFiles {
  readonly #reader: SourceReader;
  readonly #files = new Map<string, Promise<YamlSource | null>>();

  constructor(reader: SourceReader) {
    this.#reader = reader;
  }

  /**
   * The parsed file, or null when it does not exist.
   * @throws PipelineSpecError for bad YAML; Error (message only) for an unsupported extension.
   */
  load(rel: string): Promise<YamlSource | null> {
    let loaded = this.#files.get(rel);
    if (loaded === undefined) {
      loaded = this.#read(rel);
      this.#files.set(rel, loaded);
    }
    return loaded;
  }

  async #read(rel: string): Promise<YamlSource | null> {
    if (!PARAMS_EXTENSIONS.test(rel)) {
      throw new Error(`params file '${rel}' must be YAML (.yaml, .yml) or JSON (.json)`);
    }
    const text = await this.#reader.read(rel);
    return text === null ? null : parseYamlSource(rel, text);
  }
}

/** Look a dotted key up in a params value: `train.lr`, `models.0`. */
export function paramValue(root: unknown, key: string): { found: boolean; value: unknown } {
  const parts = key.split(".").map((p) => (/^\d+$/.test(p) ? Number(p) : p));
  const r = walk(root, parts);
  return { found: r.found, value: r.value };
}

/** Every top-level key of a params file, sorted (a stage listing `{file.yaml: }` tracks all of them). */
export function topLevelKeys(root: unknown): string[] {
  return root !== null && typeof root === "object" && !Array.isArray(root) ? Object.keys(root).sort() : [];
}

/** Leaves of a params value as dotted keys (`train.lr`), for `params diff`. */
export function flattenParams(
  value: unknown,
  prefix = "",
  out: Map<string, unknown> = new Map(),
): Map<string, unknown> {
  if (value !== null && typeof value === "object" && !Array.isArray(value) && Object.keys(value).length > 0) {
    for (const [k, v] of Object.entries(value)) flattenParams(v, prefix === "" ? k : `${prefix}.${k}`, out);
  } else if (prefix !== "") {
    out.set(prefix, value);
  }
  return out;
}
