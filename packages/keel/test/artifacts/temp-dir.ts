import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Readable } from "node:stream";
import { afterEach } from "vitest";

/** `make()` gives a fresh temp folder, removed after the current test. */
export function tempDirs(): { make: () => Promise<string> } {
  const made: string[] = [];
  afterEach(async () => {
    await Promise.all(made.splice(0).map((d) => rm(d, { recursive: true, force: true })));
  });
  return {
    make: async () => {
      const d = await mkdtemp(join(tmpdir(), "keel-artifacts-"));
      made.push(d);
      return d;
    },
  };
}

/** All bytes of a stream. */
export async function readAll(stream: Readable): Promise<Buffer> {
  return Buffer.concat((await stream.toArray()) as Buffer[]);
}
