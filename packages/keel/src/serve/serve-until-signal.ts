/** Runs a server until SIGTERM or SIGINT, then shuts it down gracefully. */

/** Something that can be closed gracefully. */
export interface Closable {
  close(): Promise<void>;
}

/**
 * Resolves after the first SIGTERM/SIGINT has closed `server` (stop accepting, drain in-flight
 * requests, flush the prediction log). A second signal while draining exits at once with 130.
 */
export function serveUntilSignal(server: Closable, onStopping?: () => void): Promise<void> {
  return new Promise<void>((done, fail) => {
    let stopping = false;
    const stop = () => {
      if (stopping) process.exit(130);
      stopping = true;
      onStopping?.();
      server.close().then(() => {
        process.off("SIGINT", stop);
        process.off("SIGTERM", stop);
        done();
      }, fail);
    };
    process.on("SIGINT", stop);
    process.on("SIGTERM", stop);
  });
}
