import { join } from "node:path";
import { expect, it } from "vitest";
import { trainModel } from "../../src/learn/train/train-model.js";
import { makeProject, penguinFiles } from "./helpers.js";

it("smoke", async () => {
  const p = await makeProject();
  try {
    const files = await penguinFiles(p.dir);
    const r = await trainModel({ data: files.train, test: files.test, target: "species", model: "logreg" }, { tracker: p.tracker, cwd: p.dir });
    console.log(JSON.stringify(r, null, 1));
    expect(r.modelUri).toBeTruthy();
  } finally {
    await p.close();
  }
}, 60000);
