import { hostname, userInfo } from "node:os";
import { dirname, resolve } from "node:path";
import type { Tag } from "../store/entities.js";
import { readGitInfo } from "./git-info.js";

/** Tag names the tracker sets on every run (MLflow's where MLflow has one). */
export const SYSTEM_TAGS = Object.freeze({
  user: "mlflow.user",
  sourceName: "mlflow.source.name",
  sourceType: "mlflow.source.type",
  gitCommit: "mlflow.source.git.commit",
  gitBranch: "mlflow.source.git.branch",
  /** Process id of the process that started the run, for {@link Tracker.failStaleRuns}. */
  pid: "keel.pid",
  /** Host name of that process. */
  host: "keel.host",
  /** Why `failStaleRuns` marked a run FAILED. */
  staleReason: "keel.staleReason",
});

/** The user running this process: the OS account, else `$USER`, else "unknown". */
export function currentUser(): string {
  try {
    return userInfo().username;
  } catch {
    return process.env.USER ?? process.env.USERNAME ?? "unknown";
  }
}

/**
 * The tags MLflow's client records about where a run comes from, plus Keel's `keel.pid` and
 * `keel.host`: user, source (the entry script, type LOCAL) and, inside a git repository, the
 * commit and branch (read from the script's repository, else the working directory's).
 *
 * @example
 * await systemTags(); // [{ key: "mlflow.user", value: "ada" }, { key: "mlflow.source.type", value: "LOCAL" }, ...]
 */
export async function systemTags(): Promise<Tag[]> {
  const script = process.argv[1] ? resolve(process.argv[1]) : undefined;
  const tags: Tag[] = [
    { key: SYSTEM_TAGS.user, value: currentUser() },
    { key: SYSTEM_TAGS.sourceName, value: script ?? process.argv0 },
    { key: SYSTEM_TAGS.sourceType, value: "LOCAL" },
    { key: SYSTEM_TAGS.pid, value: String(process.pid) },
    { key: SYSTEM_TAGS.host, value: hostname() },
  ];
  const git = (script ? await readGitInfo(dirname(script)) : null) ?? (await readGitInfo(process.cwd()));
  if (git !== null) {
    tags.push({ key: SYSTEM_TAGS.gitCommit, value: git.commit });
    if (git.branch !== undefined) tags.push({ key: SYSTEM_TAGS.gitBranch, value: git.branch });
  }
  return tags;
}
