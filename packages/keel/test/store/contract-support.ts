/** Shared pieces of the metadata store contract suite. */
import { afterEach, beforeEach, expect } from "vitest";
import type { ErrorCode } from "../../src/errors.js";
import type { MetadataStore } from "../../src/store/metadata-store.js";

/** Opens a fresh, empty store (its own SQLite file or PostgreSQL database). */
export type OpenStore = () => Promise<MetadataStore>;

/** A fresh store per test, closed after it; call inside a describe block. */
export function useStore(openStore: OpenStore): () => MetadataStore {
  let store: MetadataStore | undefined;
  beforeEach(async () => {
    store = await openStore();
  });
  afterEach(async () => {
    await store?.close();
    store = undefined;
  });
  return () => {
    if (!store) throw new Error("store is only available inside a test");
    return store;
  };
}

/** Assert that `promise` rejects with a KeelError of `code` whose message contains every part. */
export async function expectKeelError(
  promise: Promise<unknown>,
  code: ErrorCode,
  ...messageParts: string[]
): Promise<void> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error, `expected a ${code} error`).toBeInstanceOf(Error);
  expect((error as { name: string }).name).toBe("KeelError");
  expect((error as { code: string }).code).toBe(code);
  for (const part of messageParts) expect((error as Error).message).toContain(part);
}

/** Collect every page of a paged search. */
export async function allPages<T>(
  fetch: (pageToken: string | undefined) => Promise<{ items: T[]; nextPageToken?: string | undefined }>,
): Promise<{ items: T[]; pages: number }> {
  const items: T[] = [];
  let token: string | undefined;
  let pages = 0;
  do {
    const page = await fetch(token);
    items.push(...page.items);
    token = page.nextPageToken;
    pages++;
    if (pages > 10_000) throw new Error("pagination does not terminate");
  } while (token);
  return { items, pages };
}
