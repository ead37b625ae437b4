/** keel.lock: a stable, sorted text that round-trips, and a distinct error when it is damaged. */
import { expect, it } from "vitest";
import { formatLock, type LockedStage, type Lockfile, parseLock } from "../../src/pipeline/lockfile.js";
import { LockfileCorruptedError } from "../../src/pipeline/pipeline-errors.js";

const A = "a".repeat(64);
const B = "b".repeat(64);

const lock: Lockfile = new Map<string, LockedStage>([
  [
    "train",
    {
      cmd: ["python train.py", "echo done"],
      wdir: "src",
      deps: [
        {
          path: "z.csv",
          hash: { algo: "sha256", value: A },
          meta: { size: 3, nfiles: 1, isdir: false },
          cache: true,
        },
        {
          path: "a.csv",
          hash: { algo: "sha256", value: B },
          meta: { size: 9, nfiles: 2, isdir: true },
          cache: true,
        },
      ],
      params: { "other.yaml": { k: 1 }, "params.yaml": { "train.lr": 0.1, seed: 0 }, "empty.yaml": {} },
      outs: [
        {
          path: "m.json",
          hash: { algo: "sha256", value: A },
          meta: { size: 3, nfiles: 1, isdir: false },
          cache: false,
        },
      ],
    },
  ],
  ["prepare", { cmd: "make data", wdir: ".", deps: [], params: {}, outs: [] }],
]);

it("writes stages, paths and keys sorted, params.yaml first, empty values dropped, and reads it back", () => {
  const text = formatLock(lock);
  expect(text.split("\n").slice(1).join("\n")).toBe(`schema: "1.0"
stages:
  prepare:
    cmd: make data
  train:
    cmd:
      - python train.py
      - echo done
    wdir: src
    deps:
      - path: a.csv
        hash: sha256
        sha256: ${B}
        size: 9
        nfiles: 2
        isdir: true
      - path: z.csv
        hash: sha256
        sha256: ${A}
        size: 3
    params:
      params.yaml:
        seed: 0
        train.lr: 0.1
      other.yaml:
        k: 1
    outs:
      - path: m.json
        hash: sha256
        sha256: ${A}
        size: 3
        cache: false
`);
  const back = parseLock(text);
  expect(formatLock(back)).toBe(text);
  expect(back.get("train")?.outs[0]?.cache).toBe(false);
  expect(back.get("train")?.deps[0]?.meta).toEqual({ size: 9, nfiles: 2, isdir: true });
});

it("raises LockfileCorruptedError naming the field, not a user format error", () => {
  expect(() =>
    parseLock(
      "schema: '1.0'\nstages:\n  a:\n    cmd: x\n    outs:\n      - path: m\n        hash: sha256\n        sha256: nope\n        size: 1\n",
    ),
  ).toThrow(LockfileCorruptedError);
  expect(() =>
    parseLock(
      "schema: '1.0'\nstages:\n  a:\n    cmd: x\n    outs:\n      - path: m\n        hash: sha256\n        sha256: nope\n        size: 1\n",
    ),
  ).toThrow(
    /Lock file keel\.lock is corrupted: field stages\.a\.outs\.0\.sha256: 64 lowercase hex digits\. Restore it from git/,
  );
  expect(() => parseLock("schema: '9'\n")).toThrow(/field schema/);
  expect(() => parseLock("stages: [\n")).toThrow(/not valid YAML/);
  expect(parseLock("")).toEqual(new Map());
});
