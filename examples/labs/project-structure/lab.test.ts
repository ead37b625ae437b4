import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { makeTempDir } from "../../../packages/keel/test/support/temp-dir.js";
// @ts-expect-error: the lab is plain JavaScript run by learners with `npm run lab`
import { runLab } from "./lab.mjs";

describe("lab: project structure", () => {
  const t = makeTempDir("lab-structure");
  afterAll(() => t.cleanup());

  it("scaffolds, keeps .keel out of git, refuses to overwrite, and creates the store on first run", async () => {
    const r = await runLab({ dir: join(t.dir, "p") });
    expect(r.created).toEqual(
      expect.arrayContaining(["keel.yaml", "params.yaml", ".gitignore", "README.md"]),
    );
    expect(r.gitView).toEqual({
      ".keel/keel.db": true,
      "keel.yaml": false,
      "params.yaml": false,
      "data/README.md": false,
    });
    expect(r.reinitExit).toBe(3);
    expect(r.reinitMessage).toMatch(/--force/);
    expect(r.storeExists).toBe(true);
  });
});
