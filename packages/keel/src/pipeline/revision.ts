/**
 * What `metrics diff` and `params diff` compare: the workspace, a git revision (files read with
 * `git show REV:path`), or a tracked run (`run:<RUN_ID>`).
 */
import { invalidParam } from "../errors.js";

/** The word that names the working tree. */
export const WORKSPACE = "workspace";

/** Prefix of run references. */
export const RUN_PREFIX = "run:";

/** A version to read metrics and params from. */
export type Revision =
  | { readonly kind: "workspace" }
  | { readonly kind: "git"; readonly rev: string }
  | { readonly kind: "run"; readonly runId: string };

/** `workspace`, `run:<id>`, or anything else as a git revision. */
export function parseRevision(text: string): Revision {
  if (text === WORKSPACE) return { kind: "workspace" };
  if (text.startsWith(RUN_PREFIX)) {
    const runId = text.slice(RUN_PREFIX.length);
    if (!/^[A-Za-z0-9_-]+$/.test(runId))
      throw invalidParam(`'${text}' is not a run reference; write run:<RUN_ID> (see keel runs list)`);
    return { kind: "run", runId };
  }
  return { kind: "git", rev: text };
}

/** How a revision is shown in table headers. */
export function revisionLabel(r: Revision): string {
  return r.kind === "workspace" ? WORKSPACE : r.kind === "git" ? r.rev : `${RUN_PREFIX}${r.runId}`;
}

/**
 * The two revisions of `diff [A [B]]`, as DVC defaults them: nothing is HEAD vs the workspace,
 * one revision is that revision vs the workspace.
 */
export function diffRevisions(a: string | undefined, b: string | undefined): [Revision, Revision] {
  return [parseRevision(a ?? "HEAD"), parseRevision(b ?? WORKSPACE)];
}
