/** readGitInfo on real .git layouts written to temp folders: loose refs, packed refs, detached, worktrees. */
import { mkdir, rm, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { readGitInfo } from "../../src/track/git-info.js";
import { tempDir } from "./helpers.js";

const A = "a".repeat(40);
const B = "b".repeat(40);

describe("readGitInfo", () => {
  let dir: string;
  beforeEach(async () => {
    dir = await tempDir("keel-git-");
  });
  afterEach(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  /** Write `files` (relative path -> text) under `root`. */
  async function write(root: string, files: Record<string, string>): Promise<void> {
    for (const [path, text] of Object.entries(files)) {
      await mkdir(join(root, path, ".."), { recursive: true });
      await writeFile(join(root, path), text);
    }
  }

  it("reads a branch's loose ref from a subfolder of the checkout", async () => {
    await write(dir, { ".git/HEAD": "ref: refs/heads/main\n", ".git/refs/heads/main": `${A}\n` });
    await mkdir(join(dir, "src", "deep"), { recursive: true });
    expect(await readGitInfo(join(dir, "src", "deep"))).toEqual({ commit: A, branch: "main" });
  });

  it("falls back to packed-refs", async () => {
    await write(dir, {
      ".git/HEAD": "ref: refs/heads/feature/x\n",
      ".git/packed-refs": `# pack-refs with: peeled fully-peeled sorted\n${B} refs/heads/feature/x\n${A} refs/heads/main\n`,
    });
    expect(await readGitInfo(dir)).toEqual({ commit: B, branch: "feature/x" });
  });

  it("reads a detached HEAD", async () => {
    await write(dir, { ".git/HEAD": `${A}\n` });
    expect(await readGitInfo(dir)).toEqual({ commit: A });
  });

  it("follows a worktree's gitdir file and commondir", async () => {
    await write(dir, {
      "main/.git/refs/heads/topic": `${B}\n`,
      "main/.git/worktrees/wt/HEAD": "ref: refs/heads/topic\n",
      "main/.git/worktrees/wt/commondir": "../..\n",
      "wt/.git": `gitdir: ${join(dir, "main/.git/worktrees/wt")}\n`,
    });
    expect(await readGitInfo(join(dir, "wt"))).toEqual({ commit: B, branch: "topic" });
  });

  it("is null on an unborn branch and outside a repository", async () => {
    await write(dir, { "repo/.git/HEAD": "ref: refs/heads/main\n" });
    expect(await readGitInfo(join(dir, "repo"))).toBeNull();
    await mkdir(join(dir, "plain"));
    // A temp folder normally has no repository above it; if it had one, the answer would be a commit.
    const outside = await readGitInfo(join(dir, "plain"));
    expect(outside === null || /^[0-9a-f]{40}$/.test(outside.commit)).toBe(true);
  });
});
