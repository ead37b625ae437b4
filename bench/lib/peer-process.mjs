// A long-lived Python peer speaking JSON lines: one request, one reply (an `error` key throws).
import { spawn } from "node:child_process";
import { createInterface } from "node:readline";
import { PYTHON } from "../learn/tasks.mjs";

/** The peer script `script` run by apt's python (scikit-learn 1.2), with `env` added to ours. */
export class PeerProcess {
  constructor(script, env = {}) {
    this.proc = spawn(PYTHON, [script], {
      stdio: ["pipe", "pipe", "inherit"],
      env: { ...process.env, ...env },
    });
    this.lines = createInterface({ input: this.proc.stdout })[Symbol.asyncIterator]();
  }

  /** Sends `msg` and waits for its reply. */
  async send(msg) {
    this.proc.stdin.write(`${JSON.stringify(msg)}\n`);
    const { value, done } = await this.lines.next();
    if (done) throw new Error("peer process ended");
    const reply = JSON.parse(value);
    if (reply.error) throw new Error(`peer: ${reply.error}`);
    return reply;
  }

  /** Ends the peer (it exits when stdin closes). */
  close() {
    this.proc.stdin.end();
  }
}
