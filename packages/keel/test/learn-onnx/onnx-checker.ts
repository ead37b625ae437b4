/**
 * Test helper: runs the official `onnx.checker.check_model(model, full_check=True)` from Debian's
 * python3-onnx (1.12) on serialised model bytes. Debian's interpreter is called by absolute path
 * because the python3 on PATH may be a different installation without onnx.
 */
import { execFile } from "node:child_process";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";

const run = promisify(execFile);

const SCRIPT = `
import sys, onnx
for path in sys.argv[1:]:
    m = onnx.load(path)
    onnx.checker.check_model(m, full_check=True)
print("ok")
`;

/** Resolves when every model passes the checker; rejects with the checker's message otherwise. */
export async function checkOnnx(...models: Uint8Array[]): Promise<void> {
  const dir = await mkdtemp(join(tmpdir(), "keel-onnx-check-"));
  try {
    const paths: string[] = [];
    for (const [i, bytes] of models.entries()) {
      const p = join(dir, `m${i}.onnx`);
      await writeFile(p, bytes);
      paths.push(p);
    }
    const { stdout } = await run("/usr/bin/python3", ["-c", SCRIPT, ...paths], { timeout: 60_000 });
    if (stdout.trim() !== "ok") throw new Error(`onnx checker printed: ${stdout}`);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}
