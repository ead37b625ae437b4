/**
 * `uses:` stages: built-in steps that run the keel CLI itself in a child process, with `with:`
 * turned into that command's real arguments and flags. The flags are not copied here: they are
 * read from the command tree through a {@link CommandCatalog} (the CLI passes one built from
 * commander), so a `with:` key is checked against exactly what `keel <command> --help` lists.
 */

/** A positional argument of a CLI command. */
export interface CliArgumentShape {
  /** Its name in the usage line (`file`, `model-ref`). */
  readonly name: string;
  readonly required: boolean;
  readonly variadic: boolean;
}

/** An option of a CLI command. */
export interface CliOptionShape {
  /** The long flag, `--out` (or `--no-compare` for a negatable one). */
  readonly flag: string;
  /** Whether it takes a value (`--out <dir>`) or is a switch (`--force`). */
  readonly takesValue: boolean;
  /** True for `--no-x` switches: `x: false` in `with:` turns them on. */
  readonly negate: boolean;
  /** True when it may be given several times (`--param a=1 --param b=2`). */
  readonly repeatable: boolean;
  /** True when the command cannot run without it (`--out` of `data split`). */
  readonly mandatory: boolean;
}

/** What a built-in step needs to know about one `keel` command. */
export interface CliCommandShape {
  readonly args: readonly CliArgumentShape[];
  readonly options: readonly CliOptionShape[];
}

/** The keel command tree, by command path (`["data", "split"]`); undefined when absent. */
export type CommandCatalog = (path: readonly string[]) => CliCommandShape | undefined;

/** Built-in step name -> the keel command it runs. */
export const BUILTIN_STEPS: Readonly<Record<string, readonly string[]>> = Object.freeze({
  "data.split": ["data", "split"],
  "data.validate": ["data", "validate"],
  "data.convert": ["data", "convert"],
  "data.profile": ["data", "profile"],
  "data.add": ["data", "add"],
  train: ["train"],
  evaluate: ["evaluate"],
  baseline: ["baseline"],
  search: ["search"],
  register: ["models", "register"],
  export: ["models", "export"],
  predict: ["predict"],
  "ci.gate": ["ci", "gate"],
  "monitor.drift": ["monitor", "drift"],
});

/** Flags the pipeline sets itself: `--json` (metrics capture) and the store. */
const MANAGED = new Set(["json", "tracking-uri"]);

/** Why `with:` could not become arguments (the loader adds file, stage and line). */
export class BuiltinArgsError extends Error {
  /** The `with:` key at fault, when one is. */
  readonly key: string | undefined;

  constructor(message: string, key?: string) {
    super(message);
    this.name = "BuiltinArgsError";
    this.key = key;
  }
}

/** A built-in step resolved to arguments. */
export interface BuiltinInvocation {
  /** Arguments after `keel`: command path, positionals, flags. */
  readonly argv: readonly string[];
  /** Whether the command has `--json` (its stdout can fill a metrics file). */
  readonly hasJson: boolean;
}

/** `model_ref`, `runName`, `run-name` -> `model-ref`, `run-name`. */
export function kebab(key: string): string {
  return key
    .replace(/([a-z0-9])([A-Z])/g, "$1-$2")
    .replace(/_/g, "-")
    .toLowerCase();
}

/**
 * Turn `uses: NAME` + `with: {...}` into keel CLI arguments.
 *
 * Keys name positional arguments (`file`, `in`, `out`, `model_ref`) or long flags without dashes
 * (`out`, `test`, `run_name`); snake_case and camelCase work too. Values: strings and numbers
 * as they are; `true` adds a switch, `false` leaves it out (or adds `--no-x` for a negatable
 * `x`); lists repeat a repeatable flag and are comma-joined otherwise (`models: [gbdt, rf]` ->
 * `--models gbdt,rf`); maps become repeated `key=value` (`param: {maxIter: 200}` -> `--param maxIter=200`).
 *
 * @throws BuiltinArgsError for an unknown step, an unknown key (the message lists the valid ones),
 *   a missing required argument, or a value of the wrong kind.
 */
export function builtinInvocation(
  uses: string,
  withArgs: Record<string, unknown>,
  catalog: CommandCatalog,
): BuiltinInvocation {
  const path = BUILTIN_STEPS[uses];
  if (path === undefined) {
    throw new BuiltinArgsError(
      `unknown built-in step '${uses}'; use one of ${Object.keys(BUILTIN_STEPS).join(", ")}, or cmd: for any shell command`,
    );
  }
  const shape = catalog(path);
  if (shape === undefined) {
    throw new BuiltinArgsError(
      `uses: ${uses} runs \`keel ${path.join(" ")}\`, which this build of keel does not have; update keel or use cmd:`,
    );
  }
  const positionals: string[][] = shape.args.map(() => []);
  const flags: string[] = [];
  for (const [rawKey, value] of Object.entries(withArgs)) {
    const key = kebab(rawKey);
    if (MANAGED.has(key)) {
      throw new BuiltinArgsError(
        `'${rawKey}' is set by keel run itself (--json when the stage lists a metrics file; the store of keel run); remove it`,
        rawKey,
      );
    }
    const argIndex = shape.args.findIndex((a) => a.name === key);
    if (argIndex >= 0) {
      positionals[argIndex] = argumentValues(shape.args[argIndex] as CliArgumentShape, rawKey, value);
      continue;
    }
    const option = findOption(shape, key, value);
    if (option === undefined) {
      const valid = [
        ...shape.args.map((a) => a.name),
        ...shape.options.map((o) => o.flag.replace(/^--(no-)?/, "")).filter((n) => !MANAGED.has(n)),
      ];
      throw new BuiltinArgsError(
        `unknown key '${rawKey}' for uses: ${uses} (keel ${path.join(" ")}); valid keys: ${[...new Set(valid)].join(", ")}`,
        rawKey,
      );
    }
    flags.push(...optionArgs(option, rawKey, value));
  }
  const given = new Set(flags);
  for (const o of shape.options) {
    if (o.mandatory && !given.has(o.flag) && !MANAGED.has(o.flag.slice(2))) {
      throw new BuiltinArgsError(
        `uses: ${uses} needs '${o.flag.slice(2)}' in with: (keel ${path.join(" ")} ${o.flag} is required)`,
      );
    }
  }
  shape.args.forEach((a, i) => {
    if (a.required && positionals[i]?.length === 0) {
      throw new BuiltinArgsError(
        `uses: ${uses} needs '${a.name}' in with: (keel ${path.join(" ")} <${a.name}>)`,
      );
    }
  });
  return {
    argv: [...path, ...positionals.flat(), ...flags],
    hasJson: shape.options.some((o) => o.flag === "--json"),
  };
}

/** The option a key names: `out` -> `--out`; `compare` or `no-compare` -> `--no-compare`. */
function findOption(shape: CliCommandShape, key: string, value: unknown): CliOptionShape | undefined {
  const exact = shape.options.find((o) => o.flag === `--${key}`);
  if (exact !== undefined) return exact;
  // `compare: false` means `--no-compare`; `compare: true` matches it too (and adds nothing).
  return shape.options.find((o) => o.negate && o.flag === `--no-${key}` && typeof value === "boolean");
}

function scalarText(value: unknown, rawKey: string): string {
  if (typeof value === "string") return value;
  if (typeof value === "number" || typeof value === "bigint") return String(value);
  if (typeof value === "boolean") return String(value);
  throw new BuiltinArgsError(
    `'${rawKey}' must be a string or number here, got ${value === null ? "null" : Array.isArray(value) ? "a list" : typeof value}`,
    rawKey,
  );
}

function argumentValues(arg: CliArgumentShape, rawKey: string, value: unknown): string[] {
  if (Array.isArray(value)) {
    if (!arg.variadic) throw new BuiltinArgsError(`'${rawKey}' takes one value, got a list`, rawKey);
    return value.map((v) => scalarText(v, rawKey));
  }
  return [scalarText(value, rawKey)];
}

function optionArgs(option: CliOptionShape, rawKey: string, value: unknown): string[] {
  if (value === null || value === undefined) return [];
  if (!option.takesValue) {
    if (typeof value !== "boolean")
      throw new BuiltinArgsError(`'${rawKey}' is a switch (${option.flag}); give true or false`, rawKey);
    // `--no-x`: `x: false` or `no-x: true` turn it on.
    const on = option.negate && !kebab(rawKey).startsWith("no-") ? !value : value;
    return on ? [option.flag] : [];
  }
  if (Array.isArray(value)) {
    const items = value.map((v) => scalarText(v, rawKey));
    return option.repeatable ? items.flatMap((v) => [option.flag, v]) : [option.flag, items.join(",")];
  }
  if (typeof value === "object") {
    if (!option.repeatable)
      throw new BuiltinArgsError(`'${rawKey}' (${option.flag}) takes one value, not a map`, rawKey);
    return Object.entries(value as Record<string, unknown>).flatMap(([k, v]) => [
      option.flag,
      `${k}=${scalarText(v, rawKey)}`,
    ]);
  }
  return [option.flag, scalarText(value, rawKey)];
}

/** Arguments as one readable shell line (`keel data split data/raw.csv --out 'my dir'`). */
export function shellLine(argv: readonly string[]): string {
  return argv
    .map((a) => (/^[A-Za-z0-9_@%+=:,./-]+$/.test(a) ? a : `'${a.replace(/'/g, `'\\''`)}'`))
    .join(" ");
}
