/** The `keel data` versioning commands as a user runs them (separate processes, compiled package). */
import { copyFileSync, mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { keelData, makeProject, setRemote, type TestProject, WEATHER_CSV } from "./project.js";

let p: TestProject;
beforeAll(async () => {
  p = await makeProject();
  copyFileSync(WEATHER_CSV, p.path("data/weather.csv"));
});
afterAll(async () => {
  await p.close();
});

describe("keel data (versioning)", () => {
  it("add prints NAME@VERSION, --json gives the record", () => {
    const r = keelData(p.root, ["add", "data/weather.csv"]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(
      /^weather@1 {2}data\/weather\.csv {2}\(47\.1 KiB, 1 file\) {2}-> data\/weather\.csv\.keel\n$/,
    );
    writeFileSync(p.path("data/weather.csv"), `${readFileSync(WEATHER_CSV, "utf8")}2016-01-01,0,1,0,1,sun\n`);
    const json = keelData(p.root, ["add", "data/weather.csv", "--json", "--description", "one more day"]);
    expect(json.code, json.stderr).toBe(0);
    expect(JSON.parse(json.stdout)).toEqual([
      expect.objectContaining({ name: "weather", version: 2, created: true }),
    ]);
  });

  it("add works from a sub-folder with paths relative to it, and names folders", () => {
    mkdirSync(p.path("data/set"));
    writeFileSync(p.path("data/set/a.txt"), "a");
    const r = keelData(p.path("data"), ["add", "set", "--name", "my-set", "--json"]);
    expect(r.code, r.stderr).toBe(0);
    expect(JSON.parse(r.stdout)[0]).toMatchObject({
      name: "my-set",
      path: "data/set",
      isdir: true,
      nfiles: 1,
    });
  });

  it("status, versions and checkout", () => {
    const status = keelData(p.root, ["status", "--json"]);
    expect(status.code, status.stderr).toBe(0);
    expect(
      JSON.parse(status.stdout).entries.map((e: { path: string; state: string }) => [e.path, e.state]),
    ).toEqual([
      ["data/set", "clean"],
      ["data/weather.csv", "clean"],
    ]);
    const versions = keelData(p.root, ["versions", "weather", "--json"]);
    expect(
      JSON.parse(versions.stdout).map((v: { version: number; description?: string }) => [
        v.version,
        v.description ?? null,
      ]),
    ).toEqual([
      [1, null],
      [2, "one more day"],
    ]);
    expect(keelData(p.root, ["versions", "weather"]).stdout).toMatch(/VERSION {2}DIGEST/);
    const co = keelData(p.root, ["checkout", "data/weather.csv", "--version", "1"]);
    expect(co.code, co.stderr).toBe(0);
    expect(co.stdout).toMatch(/^weather@1 {2}data\/weather\.csv: 1 restored/);
    expect(readFileSync(p.path("data/weather.csv")).equals(readFileSync(WEATHER_CSV))).toBe(true);
  });

  it("exits with the error's code and a message that names the problem", () => {
    const missing = keelData(p.root, ["add", "data/nope.csv"]);
    expect(missing.code).toBe(4);
    expect(missing.stderr).toMatch(/^error: Data path 'data\/nope\.csv' does not exist/);
    const badRef = keelData(p.root, ["checkout", "weather@x"]);
    expect(badRef.code).toBe(2);
    expect(badRef.stderr).toMatch(/Invalid dataset reference 'weather@x'/);
    const unknown = keelData(p.root, ["diff", "weather@1", "weather@99"]);
    expect(unknown.code).toBe(4);
    expect(unknown.stderr).toMatch(/weather@99 not found/);
    const badVersion = keelData(p.root, ["checkout", "data/weather.csv", "--version", "0"]);
    expect(badVersion.code).not.toBe(0);
    expect(badVersion.stderr).toMatch(/--version must be an integer >= 1/);
    writeFileSync(p.path("data/broken.csv.keel"), "name: [unclosed\n");
    const corrupted = keelData(p.root, ["checkout", "data/broken.csv"]);
    expect(corrupted.code).toBe(3);
    expect(corrupted.stderr).toMatch(/Pointer file .*data\/broken\.csv\.keel is corrupted/);
    rmSync(p.path("data/broken.csv.keel"));
    const noRemote = keelData(p.root, ["push"]);
    expect(noRemote.code).toBe(4);
    expect(noRemote.stderr).toMatch(/No data remote configured/);
  });

  it("push and pull through the CLI", () => {
    setRemote(p, "default", p.path("../remote"));
    const push = keelData(p.root, ["push", "data/weather.csv", "data/set"]);
    expect(push.code, push.stderr).toBe(0);
    expect(push.stdout).toMatch(/^pushed 3 object\(s\), .* to default/);
    const pull = keelData(p.root, ["pull", "--json"]);
    expect(pull.code, pull.stderr).toBe(0);
    expect(JSON.parse(pull.stdout)).toMatchObject({ transferred: 0 });
  });

  it("every command documents itself with examples", () => {
    for (const cmd of [
      "add",
      "status",
      "checkout",
      "versions",
      "usage",
      "diff",
      "push",
      "pull",
      "verify",
      "gc",
    ]) {
      const help = keelData(p.root, [cmd, "--help"]);
      expect(help.code, cmd).toBe(0);
      expect(help.stdout, cmd).toMatch(/Examples:\n {2}\$ keel data /);
    }
  });
});
