import { KeelError } from "../../errors.js";

/** Turn a permission failure on `path` into a KeelError naming it; other errors pass through. */
export function explainFsError(e: unknown, path: string): unknown {
  const code = (e as NodeJS.ErrnoException | undefined)?.code;
  if (code === "EACCES" || code === "EPERM") {
    return new KeelError("PERMISSION_DENIED", `${path} is not readable (${code}); check its permissions.`, {
      cause: e,
    });
  }
  return e;
}
