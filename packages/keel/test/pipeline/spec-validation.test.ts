/** keel.yaml stage validation: every mistake is refused with the file, the key, the line and the fix. */
// biome-ignore-all lint/suspicious/noTemplateCurlyInString: keel.yaml text uses DVC's ${...} syntax on purpose.
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { commandCatalog } from "../../src/cli/pipeline.js";
import { buildProgram } from "../../src/cli/program.js";
import { BUILTIN_STEPS } from "../../src/pipeline/builtin-steps.js";
import { openPipeline } from "../../src/pipeline/open-pipeline.js";
import { PipelineSpecError } from "../../src/pipeline/pipeline-errors.js";
import { makePipelineProject, type PipelineProject } from "./project.js";

let p: PipelineProject;
const catalog = commandCatalog(buildProgram());

beforeEach(() => {
  p = makePipelineProject("keel-spec");
  p.write("data/raw.csv", "x\n1\n");
});
afterEach(async () => {
  await p.close();
});

/** The error opening the pipeline raises. */
async function problem(yaml: string): Promise<PipelineSpecError> {
  p.pipeline(yaml);
  const e = await openPipeline(p.ws(), { catalog }).then(
    () => null,
    (err: unknown) => err,
  );
  expect(e).toBeInstanceOf(PipelineSpecError);
  return e as PipelineSpecError;
}

describe("stage shape", () => {
  it("names an unknown key, its stage, its line and the allowed keys", async () => {
    const e = await problem("stages:\n  prepare:\n    cmd: echo hi\n    dep: [data/raw.csv]\n");
    expect(e.message).toBe(
      "keel.yaml: stages.prepare.dep (line 6): unknown key 'dep' in stage 'prepare'; allowed: cmd, uses, with, wdir, deps, params, outs, metrics, plots, desc, always_changed, frozen",
    );
    expect(e.code).toBe("INVALID_PARAMETER_VALUE");
  });

  it("frozen and persist must be true or false; unknown output options are named", async () => {
    expect((await problem("stages:\n  a:\n    cmd: echo\n    frozen: yes please\n")).message).toMatch(
      /stages\.a\.frozen \(line 6\): frozen must be true or false/,
    );
    expect(
      (await problem("stages:\n  a:\n    cmd: echo\n    outs:\n      - ckpt.bin: {persist: 1}\n")).message,
    ).toMatch(/stages\.a\.outs\[0\]\.ckpt\.bin\.persist \(line \d+\): persist must be true or false/);
    expect(
      (await problem("stages:\n  a:\n    cmd: echo\n    outs:\n      - ckpt.bin: {keep: true}\n")).message,
    ).toMatch(/unknown option 'keep' of 'ckpt\.bin'; allowed: cache, persist/);
  });

  it("wants exactly one of cmd and uses", async () => {
    expect((await problem("stages:\n  a:\n    deps: [data/raw.csv]\n")).message).toMatch(
      /stages\.a \(line 4\): stage 'a' needs cmd: \(a shell command\) or uses: \(a built-in keel step\)/,
    );
    expect((await problem("stages:\n  a:\n    cmd: echo\n    uses: train\n")).message).toMatch(
      /stage 'a' has both cmd: and uses:; keep one/,
    );
  });

  it("lists the built-in steps for an unknown uses:, and the real flags for an unknown with: key", async () => {
    const e = await problem("stages:\n  a:\n    uses: data.shuffle\n");
    expect(e.message).toContain("stages.a.uses (line 5): unknown built-in step 'data.shuffle'; use one of ");
    for (const name of Object.keys(BUILTIN_STEPS)) expect(e.message).toContain(name);
    const f = await problem(
      "stages:\n  a:\n    uses: data.split\n    with:\n      file: data/raw.csv\n      out: data/split\n      tset: 0.3\n",
    );
    expect(f.message).toMatch(
      /stages\.a\.with\.tset \(line 9\): unknown key 'tset' for uses: data\.split \(keel data split\); valid keys: file, out, strategy, target, by, test, valid, seed/,
    );
    const g = await problem("stages:\n  a:\n    uses: data.split\n    with:\n      file: data/raw.csv\n");
    expect(g.message).toMatch(/uses: data\.split needs 'out' in with:/);
  });

  it("rejects paths outside the project or inside .keel", async () => {
    expect((await problem("stages:\n  a:\n    cmd: echo\n    outs: [../x]\n")).message).toMatch(
      /stages\.a\.outs\[0\] \(line 6\): '\.\.\/x' is outside the project/,
    );
    expect((await problem("stages:\n  a:\n    cmd: echo\n    deps: [.keel/keel.db]\n")).message).toMatch(
      /inside \.keel\//,
    );
    expect((await problem("stages:\n  a:\n    cmd: echo\n    outs: [/tmp/x]\n")).message).toMatch(
      /is absolute/,
    );
  });
});

describe("graph", () => {
  it("prints the cycle", async () => {
    const e = await problem(
      "stages:\n  a:\n    cmd: echo\n    deps: [c.txt]\n    outs: [a.txt]\n  b:\n    cmd: echo\n    deps: [a.txt]\n    outs: [b.txt]\n  c:\n    cmd: echo\n    deps: [b.txt]\n    outs: [c.txt]\n",
    );
    expect(e.message).toMatch(/the stages form a cycle: a -> b -> c -> a/);
  });

  it("refuses two stages writing the same output, and an output inside another", async () => {
    const same = await problem(
      "stages:\n  a:\n    cmd: echo\n    outs: [m.bin]\n  b:\n    cmd: echo\n    metrics: [m.bin]\n",
    );
    expect(same.message).toMatch(
      /stages\.b\.metrics\[0\] \(line 9\): output 'm\.bin' is also written by stage 'a' \(stages\.a\.outs\[0\]\)/,
    );
    const nested = await problem(
      "stages:\n  a:\n    cmd: echo\n    outs: [data/out]\n  b:\n    cmd: echo\n    outs: [data/out/part.txt]\n",
    );
    expect(nested.message).toMatch(/output 'data\/out\/part\.txt' overlaps 'data\/out' of stage 'a'/);
    const self = await problem("stages:\n  a:\n    cmd: echo\n    deps: [x.txt]\n    outs: [x.txt]\n");
    expect(self.message).toMatch(/dep 'x\.txt' is also an output of the same stage/);
  });

  it("refuses a dep that neither exists nor is written by a stage, and says how to fix a tracked one", async () => {
    const e = await problem("stages:\n  a:\n    cmd: echo\n    deps: [data/missing.csv]\n");
    expect(e.message).toBe(
      "keel.yaml: stages.a.deps[0] (line 6): dep 'data/missing.csv' of stage 'a' does not exist and no stage writes it; create it, fix the path, or add the stage that makes it",
    );
    p.write("data/big.parquet.keel", "name: big\n");
    const t = await problem("stages:\n  a:\n    cmd: echo\n    deps: [data/big.parquet]\n");
    expect(t.message).toMatch(
      /is tracked \(data\/big\.parquet\.keel\) but not in the workspace; run keel data checkout data\/big\.parquet/,
    );
  });

  it("refuses an output that keel data add also tracks, and a wdir that is not a folder", async () => {
    p.write("model.bin.keel", "name: m\n");
    expect((await problem("stages:\n  a:\n    cmd: echo\n    outs: [model.bin]\n")).message).toMatch(
      /stages\.a\.outs\[0\] \(line 6\): output 'model\.bin' is also tracked by model\.bin\.keel \(keel data add\)/,
    );
    expect((await problem("stages:\n  a:\n    cmd: echo\n    wdir: src/nope\n")).message).toMatch(
      /stages\.a\.wdir \(line 6\): wdir 'src\/nope' of stage 'a' is not a folder of the project/,
    );
  });
});

describe("params and interpolation", () => {
  it("names an unknown param key with the file's keys", async () => {
    const e = await problem("stages:\n  a:\n    cmd: echo\n    params: [trian.lr]\n");
    expect(e.message).toBe(
      "keel.yaml: stages.a.params[0] (line 6): unknown param 'trian.lr': params.yaml has no such key (top-level keys: seed, split, train)",
    );
    const f = await problem("stages:\n  a:\n    cmd: echo\n    params:\n      - other.yaml: [x]\n");
    expect(f.message).toMatch(/params file 'other\.yaml' does not exist/);
  });

  it("names an unknown variable, an unterminated ${ and a map spliced into text", async () => {
    expect((await problem("stages:\n  a:\n    cmd: echo ${trian.lr}\n")).message).toMatch(
      /stages\.a\.cmd \(line 5\): unknown variable 'trian\.lr' \(known: seed, split, train\)/,
    );
    expect((await problem("stages:\n  a:\n    cmd: echo ${train.rate}\n")).message).toMatch(
      /'train\.rate': 'train\.rate' is not defined/,
    );
    expect((await problem("stages:\n  a:\n    cmd: echo ${train\n")).message).toMatch(/unterminated '\$\{'/);
    expect((await problem("stages:\n  a:\n    cmd: echo\n    outs:\n      - x-${train}\n")).message).toMatch(
      /'\$\{train\}' is a map; only strings, numbers and booleans can be joined into text/,
    );
  });

  it("names a bad foreach and a do without foreach", async () => {
    expect((await problem("stages:\n  a:\n    foreach: [x, y]\n    cmd: echo\n")).message).toMatch(
      /a foreach stage has only foreach: and do:; move 'cmd' into do:/,
    );
    expect((await problem("stages:\n  a:\n    do:\n      cmd: echo\n")).message).toMatch(
      /do: needs foreach:/,
    );
    expect((await problem("stages:\n  a:\n    foreach: [a/b]\n    do:\n      cmd: echo\n")).message).toMatch(
      /item 'a\/b' cannot be part of a stage name/,
    );
    expect((await problem("stages:\n  a@b:\n    cmd: echo\n")).message).toMatch(/invalid stage name 'a@b'/);
  });

  it("reports bad YAML with its line", () => {
    p.pipeline("stages:\n  a:\n    cmd: [echo\n");
    expect(() => p.ws()).toThrow(/keel\.yaml: not valid YAML: .* at line 6/);
  });
});
