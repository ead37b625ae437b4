/**
 * A pipeline stage after loading: interpolated, expanded from `foreach`/`matrix`, paths made
 * root-relative, param values read. Stages are plain readonly data (STYLE §10); what happens
 * to them lives in pure functions elsewhere (`changed`, the DAG, the runner).
 */
import { shellLine } from "./builtin-steps.js";
import type { OutputKind } from "./spec-keys.js";
import type { YamlPath } from "./yaml-source.js";

/** A dependency: a file or folder the stage reads. */
export interface Dep {
  /** Root-relative, `/`-separated. */
  readonly path: string;
  /** Where keel.yaml lists it (for messages). */
  readonly at: YamlPath;
}

/** A file or folder the stage writes: an out, a metrics file or a plots file. */
export interface Output {
  /** Root-relative, `/`-separated. */
  readonly path: string;
  readonly kind: OutputKind;
  /** Whether it is saved to the data cache (and can be restored from it). */
  readonly cache: boolean;
  /** Kept in place while the stage runs instead of deleted first (DVC's `persist`). */
  readonly persist: boolean;
  readonly at: YamlPath;
}

/** One param a stage reads, with its value now. */
export interface StageParam {
  /** Root-relative params file. */
  readonly file: string;
  /** Dotted key (`train.lr`). */
  readonly key: string;
  /** Its value in the file (a scalar, or a map/list when the key names a section). */
  readonly value: unknown;
}

/** What a stage runs. */
export type StageCommand =
  /** Shell commands run with /bin/sh in the stage's wdir, one after the other. */
  | { readonly kind: "shell"; readonly cmd: string | readonly string[] }
  /** The keel CLI itself (`uses:`). */
  | {
      readonly kind: "builtin";
      readonly uses: string;
      /** Arguments after `keel`. */
      readonly argv: readonly string[];
      /** Metrics file that receives the command's `--json` output, or null. */
      readonly stdoutTo: string | null;
    };

/** A stage, ready to be hashed and run. */
export interface Stage {
  /** Unique name; generated stages are `group@item`. */
  readonly name: string;
  /** The `foreach`/`matrix` stage it was generated from, else null. */
  readonly group: string | null;
  readonly desc: string | null;
  readonly command: StageCommand;
  /** Root-relative folder commands run in (`.` for the root). */
  readonly wdir: string;
  readonly deps: readonly Dep[];
  readonly params: readonly StageParam[];
  /** Outs, then metrics, then plots. */
  readonly outputs: readonly Output[];
  /** Run every time (DVC's `always_changed`). */
  readonly alwaysChanged: boolean;
  /** Never run nor checked for changes: its outputs are used as they are (DVC's `frozen`). */
  readonly frozen: boolean;
  /** Where the definition is in keel.yaml. */
  readonly at: YamlPath;
}

/**
 * The command as keel.lock records it and as its hash compares: the shell text (a string or the
 * list), or `keel <args>` for built-ins (never the path of the node binary, which differs per machine).
 */
export function commandText(command: StageCommand): string | string[] {
  if (command.kind === "shell") return typeof command.cmd === "string" ? command.cmd : [...command.cmd];
  return `keel ${shellLine(command.argv)}`;
}
