/** Where long operations report progress (the CLI draws a bar on a TTY; tests pass nothing). */
export interface ProgressSink {
  /** A phase begins: `total` bytes to process, `label` such as "hashing" or "pushing". */
  start(total: number, label: string): void;
  /** `bytes` more were processed. */
  advance(bytes: number): void;
  /** The phase ended (successfully or not). */
  stop(): void;
}

/** Run `work` as one progress phase, always stopping it. */
export async function withProgress<T>(
  sink: ProgressSink | undefined,
  total: number,
  label: string,
  work: (advance: ((bytes: number) => void) | undefined) => Promise<T>,
): Promise<T> {
  if (sink === undefined || total === 0) return work(undefined);
  sink.start(total, label);
  try {
    return await work((bytes) => sink.advance(bytes));
  } finally {
    sink.stop();
  }
}
