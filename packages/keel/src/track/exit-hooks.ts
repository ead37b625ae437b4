/**
 * Process-exit hooks shared by every open Tracker: one set of listeners per process, however
 * many trackers exist, removed again when the last tracker closes (so a test runner or a
 * long-lived service does not collect listeners, and SIGINT keeps its default meaning when no
 * tracker is open).
 */

/** Why the process is ending. */
export type ExitReason = "beforeExit" | "SIGINT" | "SIGTERM";

/** Something with work to finish before the process ends (a Tracker). */
export interface ExitParticipant {
  /** True while there is work left (buffered metrics, open runs). */
  hasPendingWork(): boolean;
  /** Finish that work. Must not reject, and must leave no pending work behind, even on failure. */
  finish(reason: ExitReason): Promise<void>;
}

/** Longest wait for participants after a signal before it is raised again anyway. */
const SIGNAL_GRACE_MS = 10_000;

const SIGNALS = ["SIGINT", "SIGTERM"] as const;

const participants = new Set<ExitParticipant>();
let installed = false;

/** Take part in the exit hooks (listeners are installed on the first call). */
export function registerExitParticipant(p: ExitParticipant): void {
  participants.add(p);
  if (!installed) {
    installed = true;
    process.on("beforeExit", onBeforeExit);
    for (const s of SIGNALS) process.on(s, onSignal);
  }
}

/** Leave the exit hooks (listeners are removed with the last participant). */
export function unregisterExitParticipant(p: ExitParticipant): void {
  participants.delete(p);
  if (participants.size === 0) uninstall();
}

/** Remove every listener this module added. */
function uninstall(): void {
  if (!installed) return;
  installed = false;
  process.off("beforeExit", onBeforeExit);
  for (const s of SIGNALS) process.off(s, onSignal);
}

/**
 * The event loop is empty. Starting async work keeps the process alive; Node emits beforeExit
 * again when it is done, and by then no participant has work left, so the process exits.
 */
function onBeforeExit(): void {
  const busy = [...participants].filter((p) => p.hasPendingWork());
  if (busy.length === 0) return;
  void Promise.all(busy.map((p) => p.finish("beforeExit").catch(() => {})));
}

/**
 * SIGINT / SIGTERM: let participants flush and mark their runs KILLED, then raise the signal
 * again without our listener, so the process ends the way it would have without Keel (or the
 * application's own listeners run). A second signal meanwhile takes the default path at once.
 */
function onSignal(signal: NodeJS.Signals): void {
  for (const s of SIGNALS) process.off(s, onSignal);
  const reason: ExitReason = signal === "SIGINT" ? "SIGINT" : "SIGTERM";
  const work = Promise.all([...participants].map((p) => p.finish(reason).catch(() => {})));
  const grace = new Promise<void>((resolve) => setTimeout(resolve, SIGNAL_GRACE_MS).unref());
  void Promise.race([work, grace]).then(() => {
    process.kill(process.pid, signal);
  });
}
