/** ${...} interpolation, vars:, foreach:/do: and matrix: expansion, as DVC users write them. */
// biome-ignore-all lint/suspicious/noTemplateCurlyInString: keel.yaml text uses DVC's ${...} syntax on purpose.
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { commandCatalog } from "../../src/cli/pipeline.js";
import { buildProgram } from "../../src/cli/program.js";
import { parseKeyPath, parseTemplate, resolveString } from "../../src/pipeline/interpolation.js";
import { loadPipeline } from "../../src/pipeline/load-pipeline.js";
import { workspaceReader } from "../../src/pipeline/source-reader.js";
import type { Stage } from "../../src/pipeline/stage.js";
import { makePipelineProject, type PipelineProject } from "./project.js";

let p: PipelineProject;
beforeEach(() => {
  p = makePipelineProject("keel-interp");
  p.write(
    "params.yaml",
    "seed: 7\ntrain:\n  lr: 0.05\n  depth: 4\n  fast: true\n  slow: false\n  layers: [8, 4]\nmodels: [gbdt, rf]\nregions:\n  us: {rows: 10}\n  eu: {rows: 20}\n",
  );
});
afterEach(async () => {
  await p.close();
});

async function stages(yaml: string): Promise<Map<string, Stage>> {
  p.pipeline(yaml);
  const pipeline = await loadPipeline({
    reader: workspaceReader(p.root),
    catalog: commandCatalog(buildProgram()),
  });
  return new Map(pipeline.stages.map((s) => [s.name, s]));
}

const cmdOf = (s: Stage | undefined) => (s?.command.kind === "shell" ? s.command.cmd : null);
const paramsOf = (s: Stage | undefined) =>
  Object.fromEntries((s?.params ?? []).map((x) => [`${x.file}:${x.key}`, x.value]));

describe("templates", () => {
  it("parses names, indexes and escapes", () => {
    expect(parseKeyPath("train.layers[1]")).toEqual(["train", "layers", 1]);
    expect(parseKeyPath("models.0")).toEqual(["models", 0]);
    expect(parseTemplate("a \\${x} ${ y }")).toEqual([{ text: "a ${x} " }, { expr: "y" }]);
    const ctx = { values: { n: 3, m: { a: 1 } }, origins: new Map() };
    // A whole-string reference keeps its type; inside text it becomes text.
    expect(resolveString("${n}", ctx).value).toBe(3);
    expect(resolveString("n=${n}", ctx).value).toBe("n=3");
    expect(resolveString("${m}", ctx).value).toEqual({ a: 1 });
  });
});

describe("stages", () => {
  it("interpolates params into cmd, paths and with:, and tracks the params it used", async () => {
    const s = await stages(
      "stages:\n  train:\n    cmd: python train.py --lr ${train.lr} --seed ${seed} \\${HOME}\n    outs:\n      - models/model-${seed}.bin\n    params: [train.depth]\n",
    );
    const train = s.get("train");
    expect(cmdOf(train)).toBe("python train.py --lr 0.05 --seed 7 ${HOME}");
    expect(train?.outputs.map((o) => o.path)).toEqual(["models/model-7.bin"]);
    // Listed params first, then those the templates used (DVC tracks interpolated params too).
    expect(paramsOf(train)).toEqual({
      "params.yaml:train.depth": 4,
      "params.yaml:train.lr": 0.05,
      "params.yaml:seed": 7,
    });
  });

  it("unpacks a map into flags in cmd, as DVC does", async () => {
    const s = await stages("stages:\n  train:\n    cmd: python train.py ${train}\n");
    expect(cmdOf(s.get("train"))).toBe("python train.py --lr 0.05 --depth 4 --fast --layers 8 4");
    expect(paramsOf(s.get("train"))).toEqual({
      "params.yaml:train": { lr: 0.05, depth: 4, fast: true, slow: false, layers: [8, 4] },
    });
  });

  it("expands foreach over a list, a params list, a map and a list of maps", async () => {
    const s = await stages(
      [
        "stages:",
        "  fit:",
        "    foreach: ${models}",
        "    do:",
        "      cmd: fit ${item} ${train.lr}",
        "      outs:",
        "        - out/${item}.bin",
        "  region:",
        "    foreach: ${regions}",
        "    do:",
        "      cmd: load ${key} ${item.rows}",
        "  pair:",
        "    foreach:",
        "      - {a: 1, b: x}",
        "      - {a: 2, b: y}",
        "    do:",
        "      cmd: pair ${item.a}${item.b}",
        "",
      ].join("\n"),
    );
    expect([...s.keys()]).toEqual(["fit@gbdt", "fit@rf", "region@us", "region@eu", "pair@0", "pair@1"]);
    expect(cmdOf(s.get("fit@rf"))).toBe("fit rf 0.05");
    expect(s.get("fit@rf")?.outputs[0]?.path).toBe("out/rf.bin");
    expect(s.get("fit@rf")?.group).toBe("fit");
    expect(cmdOf(s.get("region@eu"))).toBe("load eu 20");
    expect(cmdOf(s.get("pair@1"))).toBe("pair 2y");
  });

  it("expands matrix: into every combination", async () => {
    const s = await stages(
      "stages:\n  cv:\n    matrix:\n      model: ${models}\n      fold: [1, 2]\n    cmd: cv ${item.model} ${item.fold} ${key}\n    outs:\n      - cv/${key}.json\n",
    );
    expect([...s.keys()]).toEqual(["cv@gbdt-1", "cv@gbdt-2", "cv@rf-1", "cv@rf-2"]);
    expect(cmdOf(s.get("cv@rf-2"))).toBe("cv rf 2 rf-2");
    expect(s.get("cv@rf-2")?.outputs[0]?.path).toBe("cv/rf-2.json");
  });

  it("reads vars: from inline maps and files (tracked as that file's params), and refuses redefinitions", async () => {
    p.write("config.yaml", "batch: 64\nunused: 1\n");
    const s = await stages(
      "vars:\n  - name: demo\n  - config.yaml:batch\nstages:\n  a:\n    cmd: run ${name} ${batch}\n",
    );
    expect(cmdOf(s.get("a"))).toBe("run demo 64");
    expect(paramsOf(s.get("a"))).toEqual({ "config.yaml:batch": 64 });
    await expect(stages("vars:\n  - seed: 1\nstages:\n  a:\n    cmd: echo\n")).rejects.toThrow(
      /vars\[0\] \(line 4\): variable 'seed' is already defined by params\.yaml; rename one of them/,
    );
  });

  it("resolves paths against wdir and types ${...} in with:", async () => {
    p.write("sub/params.yaml", "k: 1\n");
    p.write("data/raw.csv", "x\n");
    const s = await stages(
      "stages:\n  a:\n    wdir: sub\n    cmd: echo\n    deps: [../data/raw.csv]\n    outs: [out.txt]\n    params: [k]\n  split:\n    uses: data.split\n    with:\n      file: data/raw.csv\n      out: data/split\n      test: ${train.lr}\n      seed: ${seed}\n",
    );
    const a = s.get("a");
    expect(a?.wdir).toBe("sub");
    expect(a?.deps[0]?.path).toBe("data/raw.csv");
    expect(a?.outputs[0]?.path).toBe("sub/out.txt");
    expect(paramsOf(a)).toEqual({ "sub/params.yaml:k": 1 });
    const split = s.get("split");
    expect(split?.command.kind === "builtin" && split.command.argv).toEqual([
      "data",
      "split",
      "data/raw.csv",
      "--out",
      "data/split",
      "--test",
      "0.05",
      "--seed",
      "7",
    ]);
  });

  it("turns with: into the real flags of train, evaluate, data convert, search, monitor drift and ci gate", async () => {
    const s = await stages(
      [
        "stages:",
        "  train:",
        "    uses: train",
        "    with:",
        "      data: data/train.parquet",
        "      target: y",
        "      model: gbdt",
        "      cv: 5",
        "      param: {maxIter: 200, learningRate: '${train.lr}'}",
        "      role: {when: datetime}",
        "      run_name: nightly",
        "  evaluate:",
        "    uses: evaluate",
        "    with: {model_ref: 'models:/m@champion', data: data/test.parquet}",
        "  convert:",
        "    uses: data.convert",
        "    with: {in: a.csv, out: a.parquet, compare: false, compression: snappy}",
        "  search:",
        "    uses: search",
        "    with: {data: data/train.parquet, target: y}",
        "  drift:",
        "    uses: monitor.drift",
        "    with: {reference: data/train.parquet, current: data/new.parquet, html: reports/drift.html}",
        "  gate:",
        "    uses: ci.gate",
        "    with: {candidate: 'models:/m@challenger', data: data/test.parquet, metric: roc_auc, min_lift: 0.01}",
        "",
      ].join("\n"),
    );
    const argv = (name: string) => {
      const c = s.get(name)?.command;
      return c?.kind === "builtin" ? c.argv : null;
    };
    expect(argv("train")).toEqual([
      "train",
      "--data",
      "data/train.parquet",
      "--target",
      "y",
      "--model",
      "gbdt",
      "--cv",
      "5",
      "--param",
      "maxIter=200",
      "--param",
      "learningRate=0.05",
      "--role",
      "when=datetime",
      "--run-name",
      "nightly",
    ]);
    expect(argv("evaluate")).toEqual(["evaluate", "models:/m@champion", "--data", "data/test.parquet"]);
    expect(argv("convert")).toEqual([
      "data",
      "convert",
      "a.csv",
      "a.parquet",
      "--no-compare",
      "--compression",
      "snappy",
    ]);
    expect(argv("search")?.slice(0, 5)).toEqual(["search", "--data", "data/train.parquet", "--target", "y"]);
    expect(argv("drift")).toEqual([
      ...["monitor", "drift", "--reference", "data/train.parquet", "--current", "data/new.parquet"],
      ...["--html", "reports/drift.html"],
    ]);
    expect(argv("gate")).toEqual([
      ...["ci", "gate", "--candidate", "models:/m@challenger", "--data", "data/test.parquet"],
      ...["--metric", "roc_auc", "--min-lift", "0.01"],
    ]);
  });
});
