import { readFile, stat } from "node:fs/promises";
import { dirname, join, resolve } from "node:path";

/** The checked-out commit, and the branch when HEAD is on one. */
export interface GitInfo {
  commit: string;
  branch?: string | undefined;
}

const SHA = /^[0-9a-f]{40}(?:[0-9a-f]{24})?$/;

/**
 * Read the commit checked out around `start` from `.git` files, without spawning git: walk up
 * to the folder holding `.git` (a folder, or a file `gitdir: ...` for worktrees and
 * submodules), read HEAD, then the branch's loose ref or `packed-refs`. Null outside a
 * repository, on an unborn branch, or when the files are not in a form this understands.
 *
 * @example
 * await readGitInfo(process.cwd()); // { commit: "3f2a...", branch: "main" }
 */
export async function readGitInfo(start: string): Promise<GitInfo | null> {
  const gitDir = await findGitDir(resolve(start));
  if (gitDir === null) return null;
  const head = (await readText(join(gitDir, "HEAD")))?.trim();
  if (head === undefined) return null;
  if (SHA.test(head)) return { commit: head };
  const ref = /^ref:\s*(refs\/\S+)$/.exec(head)?.[1];
  if (ref === undefined) return null;
  const commonDir = await readCommonDir(gitDir);
  const commit = await resolveRef(ref, [gitDir, commonDir]);
  if (commit === null) return null;
  return { commit, branch: ref.startsWith("refs/heads/") ? ref.slice("refs/heads/".length) : undefined };
}

/** The git folder of the repository containing `dir`, or null. */
async function findGitDir(dir: string): Promise<string | null> {
  for (let current = dir; ; current = dirname(current)) {
    const dotGit = join(current, ".git");
    const st = await stat(dotGit).catch(() => null);
    if (st?.isDirectory()) return dotGit;
    if (st?.isFile()) {
      const pointer = /^gitdir:\s*(.+)$/m.exec((await readText(dotGit)) ?? "")?.[1]?.trim();
      return pointer === undefined ? null : resolve(current, pointer);
    }
    if (dirname(current) === current) return null;
  }
}

/** Worktrees keep shared refs in the folder named by `commondir`. */
async function readCommonDir(gitDir: string): Promise<string> {
  const common = (await readText(join(gitDir, "commondir")))?.trim();
  return common ? resolve(gitDir, common) : gitDir;
}

/** A ref's commit from a loose ref file or `packed-refs`, or null. */
async function resolveRef(ref: string, dirs: string[]): Promise<string | null> {
  for (const dir of dirs) {
    const loose = (await readText(join(dir, ...ref.split("/"))))?.trim();
    if (loose !== undefined && SHA.test(loose)) return loose;
  }
  for (const dir of dirs) {
    const packed = await readText(join(dir, "packed-refs"));
    for (const line of packed?.split("\n") ?? []) {
      const [sha, name] = line.trim().split(" ");
      if (name === ref && sha !== undefined && SHA.test(sha)) return sha;
    }
  }
  return null;
}

/** A file's text, or undefined when it cannot be read. */
async function readText(path: string): Promise<string | undefined> {
  try {
    return await readFile(path, "utf8");
  } catch {
    return undefined;
  }
}
