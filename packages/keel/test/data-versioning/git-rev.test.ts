/** keel data checkout --rev: the pointer as committed at a git revision. */
import { execFileSync } from "node:child_process";
import { readFileSync, writeFileSync } from "node:fs";
import { afterEach, beforeEach, expect, it } from "vitest";
import { addData } from "../../src/data/versioning/add-data.js";
import { checkoutData } from "../../src/data/versioning/checkout-data.js";
import { parsePointer } from "../../src/data/versioning/pointer-file.js";
import { keelData, makeProject, type TestProject } from "./project.js";

let p: TestProject;
const git = (...args: string[]) =>
  execFileSync("git", ["-c", "user.name=Test", "-c", "user.email=t@example.com", ...args], {
    cwd: p.root,
    encoding: "utf8",
  });

beforeEach(async () => {
  p = await makeProject();
  git("init", "-q", "-b", "main");
});
afterEach(async () => {
  await p.close();
});

it("restores the data recorded by the pointer at an older commit", async () => {
  const file = p.path("data/labels.csv");
  writeFileSync(file, "id,label\n1,cat\n");
  const v1 = await addData(p.ws, p.store, file);
  git("add", "-A");
  git("commit", "-q", "-m", "v1");
  // The data itself is gitignored; only the pointer is committed.
  expect(git("ls-files")).toMatch(/data\/labels\.csv\.keel/);
  expect(git("ls-files")).not.toMatch(/data\/labels\.csv\n/);
  const first = git("rev-parse", "HEAD").trim();

  writeFileSync(file, "id,label\n1,cat\n2,dog\n");
  await addData(p.ws, p.store, file);
  // A version remembers the commit checked out when it was recorded (none before the first one).
  expect((await p.store.getDatasetVersion("labels", 1)).gitCommit).toBeUndefined();
  expect((await p.store.getDatasetVersion("labels", 2)).gitCommit).toBe(first);
  git("commit", "-q", "-am", "v2");

  const r = await checkoutData(p.ws, null, file, { rev: "HEAD~1" });
  expect(r).toMatchObject({ version: 1, digest: v1.digest, restored: 1 });
  expect(readFileSync(file, "utf8")).toBe("id,label\n1,cat\n");
  expect(parsePointer(readFileSync(`${file}.keel`, "utf8"), "x").version).toBe(1);

  const cli = keelData(p.root, ["checkout", "data/labels.csv", "--rev", "main", "--json"]);
  expect(cli.code, cli.stderr).toBe(0);
  expect(JSON.parse(cli.stdout)).toMatchObject({ version: 2, restored: 1 });
  expect(readFileSync(file, "utf8")).toBe("id,label\n1,cat\n2,dog\n");

  await expect(checkoutData(p.ws, null, file, { rev: "no-such-branch" })).rejects.toThrow(
    /Cannot read data\/labels\.csv\.keel at git revision 'no-such-branch'/,
  );
  await expect(checkoutData(p.ws, null, file, { rev: "--output=/tmp/x" })).rejects.toThrow(
    /Invalid git revision/,
  );
  await expect(checkoutData(p.ws, null, file, { rev: "HEAD", version: 1 })).rejects.toThrow(
    /either --version or --rev/,
  );
});
