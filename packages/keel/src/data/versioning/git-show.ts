/** Reading a file as it was at a git revision (`--rev` of `keel data checkout`). */
import { execFile } from "node:child_process";
import { promisify } from "node:util";
import { invalidParam, KeelError, notFound } from "../../errors.js";

const run = promisify(execFile);

/** Git revisions we pass on: no option-looking text, no whitespace or control characters. */
const SAFE_REV = /^[^-\s\0][^\s\0]*$/;

/**
 * The text of root-relative `rel` at `rev` (`git show REV:./rel`, run in `root`).
 * @throws KeelError RESOURCE_DOES_NOT_EXIST when git is missing, `root` is not in a repository,
 *   or the revision or path is unknown there; INVALID_PARAMETER_VALUE for a malformed revision.
 */
export async function readAtRevision(root: string, rev: string, rel: string): Promise<string> {
  if (!SAFE_REV.test(rev))
    throw invalidParam(`Invalid git revision '${rev}': give a commit, branch or tag such as HEAD~1.`);
  try {
    const { stdout } = await run("git", ["show", `${rev}:./${rel}`], {
      cwd: root,
      encoding: "utf8",
      maxBuffer: 16 * 1024 * 1024,
      timeout: 30_000,
    });
    return stdout;
  } catch (e) {
    const err = e as NodeJS.ErrnoException & { stderr?: string };
    if (err.code === "ENOENT")
      throw new KeelError("RESOURCE_DOES_NOT_EXIST", "git is not installed; --rev needs git on the PATH.");
    const reason = (err.stderr ?? err.message).trim().split("\n")[0];
    throw notFound(`Cannot read ${rel} at git revision '${rev}': ${reason}`);
  }
}
