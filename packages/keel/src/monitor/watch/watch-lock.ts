/**
 * One watcher per endpoint: two would feed the same feedback to the detectors twice and race on
 * the episode. A lock file holding the owner's pid, created exclusively; a lock whose process is
 * gone is taken over.
 */
import { open, readFile, rm } from "node:fs/promises";
import { join } from "node:path";
import { KeelError } from "../../errors.js";

const LOCK_FILE = "watch.lock";

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === "EPERM";
  }
}

/**
 * Takes the watch lock of the folder `dir`; resolves to its release function.
 * @throws KeelError INVALID_STATE when a live process holds it (naming the pid).
 */
export async function acquireWatchLock(dir: string, endpoint: string): Promise<() => Promise<void>> {
  const file = join(dir, LOCK_FILE);
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      const handle = await open(file, "wx");
      await handle.writeFile(String(process.pid));
      await handle.close();
      return () => rm(file, { force: true });
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== "EEXIST") throw e;
      const pid = Number((await readFile(file, "utf8").catch(() => "")).trim());
      if (Number.isInteger(pid) && pid > 0 && alive(pid)) {
        throw new KeelError(
          "INVALID_STATE",
          `Endpoint '${endpoint}' is already watched by process ${pid} (lock ${file}); stop it first, or delete the lock if that process is not a watcher`,
        );
      }
      await rm(file, { force: true }); // stale: its process is gone
    }
  }
  throw new KeelError("INVALID_STATE", `Could not take the watch lock ${file}; try again`);
}
