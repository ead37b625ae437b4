/**
 * A parsed YAML file that remembers where each value came from, so errors can say
 * `keel.yaml: stages.train.deps[1] (line 12): ...` (DVC names the file and key; the line helps more).
 */
import { isMap, isNode, isScalar, isSeq, LineCounter, parseDocument } from "yaml";
import { PipelineSpecError } from "./pipeline-errors.js";

/** A key path into a YAML value: map keys and sequence indexes. */
export type YamlPath = readonly (string | number)[];

/** A YAML file's plain value plus line lookup. */
export interface YamlSource {
  /** The file name used in messages. */
  readonly file: string;
  /** The file's value as plain data (maps, arrays, scalars); null for an empty file. */
  readonly value: unknown;
  /** 1-based line of the value at `path` (or of its nearest existing parent); null when unknown. */
  lineOf(path: YamlPath): number | null;
  /** A {@link PipelineSpecError} for the value at `path`. */
  error(path: YamlPath, problem: string): PipelineSpecError;
}

/** `stages.train.deps[1]`. */
export function formatPath(path: YamlPath): string {
  let out = "";
  for (const part of path) {
    if (typeof part === "number") out += `[${part}]`;
    else out += out === "" ? part : `.${part}`;
  }
  return out;
}

/**
 * Parse YAML text (JSON is YAML too).
 * @throws PipelineSpecError naming the file and line of a syntax error.
 */
export function parseYamlSource(file: string, text: string): YamlSource {
  const counter = new LineCounter();
  const doc = parseDocument(text, { lineCounter: counter, prettyErrors: false, uniqueKeys: true });
  const first = doc.errors[0];
  if (first !== undefined) {
    const line = first.linePos?.[0]?.line ?? null;
    throw new PipelineSpecError(
      file,
      "",
      null,
      `not valid YAML${line === null ? "" : ` at line ${line}`}: ${first.message.split("\n")[0]}`,
    );
  }
  const lineOf = (path: YamlPath): number | null => {
    for (let n = path.length; n >= 0; n--) {
      const node = n === 0 ? doc.contents : keyOrNode(doc.getIn(path.slice(0, n - 1), true), path[n - 1]);
      if (isNode(node) && node.range) return counter.linePos(node.range[0]).line;
    }
    return null;
  };
  return {
    file,
    value: doc.toJS({ maxAliasCount: 100 }) ?? null,
    lineOf,
    error: (path, problem) => new PipelineSpecError(file, formatPath(path), lineOf(path), problem),
  };
}

/** A map entry's key node (its line is the entry's), or a sequence item; undefined when absent. */
function keyOrNode(parent: unknown, part: string | number | undefined): unknown {
  if (isMap(parent)) {
    const pair = parent.items.find(
      (i) => (isScalar(i.key) ? String(i.key.value) : String(i.key)) === String(part),
    );
    return pair?.key;
  }
  if (isSeq(parent) && typeof part === "number") return parent.items[part];
  return undefined;
}
