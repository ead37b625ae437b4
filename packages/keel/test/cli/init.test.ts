import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { makeTempDir } from "../support/temp-dir.js";
import { keel } from "./run-cli.js";

describe("keel init", () => {
  let cleanup = () => {};
  afterEach(() => cleanup());

  it("scaffolds the project layout", () => {
    const t = makeTempDir("keel-init");
    cleanup = t.cleanup;
    const r = keel(t.dir, ["init", "proj"]);
    expect(r.code, r.stderr).toBe(0);
    for (const f of [
      "keel.yaml",
      "params.yaml",
      ".gitignore",
      "README.md",
      "data/README.md",
      "src/README.md",
    ]) {
      expect(existsSync(join(t.dir, "proj", f)), f).toBe(true);
    }
    expect(readFileSync(join(t.dir, "proj", ".gitignore"), "utf8")).toMatch(/^\.keel\/$/m);
    expect(readFileSync(join(t.dir, "proj", "keel.yaml"), "utf8")).toMatch(/^project: proj$/m);
  });

  it("refuses to overwrite existing files unless --force, and writes nothing when refusing", () => {
    const t = makeTempDir("keel-init");
    cleanup = t.cleanup;
    writeFileSync(join(t.dir, "keel.yaml"), "project: mine\n");
    const refused = keel(t.dir, ["init", "."]);
    expect(refused.code).toBe(3);
    expect(refused.stderr).toMatch(/Refusing to overwrite existing files .*keel\.yaml.*--force/);
    expect(readFileSync(join(t.dir, "keel.yaml"), "utf8")).toBe("project: mine\n");
    expect(existsSync(join(t.dir, "params.yaml"))).toBe(false);

    const forced = keel(t.dir, ["init", ".", "--force", "--name", "flights"]);
    expect(forced.code, forced.stderr).toBe(0);
    expect(forced.stdout).toMatch(/overwritten\s+keel\.yaml/);
    expect(readFileSync(join(t.dir, "keel.yaml"), "utf8")).toMatch(/^project: flights$/m);
  });

  it("rejects a project name that is not a plain identifier", () => {
    const t = makeTempDir("keel-init");
    cleanup = t.cleanup;
    const r = keel(t.dir, ["init", "x", "--name", "../evil"]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/Invalid project name '\.\.\/evil'/);
  });
});
