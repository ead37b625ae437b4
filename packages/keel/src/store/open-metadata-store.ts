/**
 * `openMetadataStore(uri)`: the one entry point that turns a tracking URI into a store. A scheme ->
 * factory map; each factory loads its backend lazily (`await import()`), so embedded SQLite users
 * never load pg and vice versa.
 *
 * Accepted URIs:
 * - a plain path (`.keel/keel.db`, `/abs/keel.db`) or `:memory:` → SQLite;
 * - `sqlite:///abs/path.db` (absolute) or `sqlite:relative/path.db` → SQLite;
 * - `postgresql://user:pass@host:port/db` or `postgres://...` → PostgreSQL.
 */
import { dirname, resolve } from "node:path";
import { pathToFileURL } from "node:url";
import { invalidParam } from "../errors.js";
import type { MetadataStore } from "./metadata-store.js";

/** Options for {@link openMetadataStore}. */
export interface OpenMetadataStoreOptions {
  /**
   * Artifact root for experiments created without an artifact location (experiment N gets
   * `<root>/N`). Default: for SQLite, `file://` + the `artifacts` folder beside the database file;
   * for PostgreSQL, `file://` + `<cwd>/.keel/artifacts`.
   */
  defaultArtifactRoot?: string | undefined;
  /** Bearer token for an http(s) store (a `keel server`); default env `KEEL_TRACKING_TOKEN`. */
  token?: string | undefined;
}

/** Opens a store for a URI whose scheme it is registered under. */
type StoreFactory = (uri: string, options: OpenMetadataStoreOptions) => Promise<MetadataStore>;

/** Path of a SQLite URI or plain path, resolved against the working directory. */
function sqlitePath(uri: string): string {
  let path = uri;
  if (/^sqlite:/i.test(path)) {
    path = path.slice("sqlite:".length);
    // sqlite:///abs -> /abs ; sqlite:////abs -> /abs ; sqlite:rel -> rel
    if (path.startsWith("//")) path = `/${path.replace(/^\/+/, "")}`;
  }
  if (path === "")
    throw invalidParam(`The SQLite URI '${uri}' has no path; write e.g. sqlite:///abs/keel.db.`);
  return path === ":memory:" ? path : resolve(path);
}

const openSqlite: StoreFactory = async (uri, options) => {
  const path = sqlitePath(uri);
  const [{ openSqliteStoreDatabase }, { KyselyMetadataStore }] = await Promise.all([
    import("./sqlite-connection.js"),
    import("./kysely-metadata-store.js"),
  ]);
  const root =
    options.defaultArtifactRoot ??
    pathToFileURL(path === ":memory:" ? resolve(".keel", "artifacts") : resolve(dirname(path), "artifacts"))
      .href;
  const { db, exclusive } = openSqliteStoreDatabase(path);
  return KyselyMetadataStore.open(db, { backend: "sqlite", defaultArtifactRoot: root }, exclusive);
};

const openPostgres: StoreFactory = async (uri, options) => {
  const [{ openPostgresDatabase }, { KyselyMetadataStore }] = await Promise.all([
    import("./postgres-connection.js"),
    import("./kysely-metadata-store.js"),
  ]);
  const root = options.defaultArtifactRoot ?? pathToFileURL(resolve(".keel", "artifacts")).href;
  return KyselyMetadataStore.open(openPostgresDatabase(uri), {
    backend: "postgresql",
    defaultArtifactRoot: root,
  });
};

const openRest: StoreFactory = async (uri, options) => {
  const { openRestMetadataStore } = await import("./rest/rest-metadata-store.js");
  return openRestMetadataStore(uri, { token: options.token });
};

/** Store factories by URI scheme (lower case, without the colon). */
const FACTORIES: Readonly<Record<string, StoreFactory>> = {
  sqlite: openSqlite,
  postgresql: openPostgres,
  postgres: openPostgres,
  http: openRest,
  https: openRest,
};

// Two or more characters before the colon, so a Windows drive letter is a path, not a scheme.
const SCHEME = /^([a-zA-Z][a-zA-Z0-9+.-]+):/;

/**
 * Open the metadata store a tracking URI names; migrations run on open. Unknown schemes raise
 * INVALID_PARAMETER_VALUE listing the accepted ones.
 */
export async function openMetadataStore(
  uri: string,
  options: OpenMetadataStoreOptions = {},
): Promise<MetadataStore> {
  if (typeof uri !== "string" || uri.trim() === "") {
    throw invalidParam(
      "The tracking URI is empty: pass a file path, sqlite:///path, or postgresql://host/db.",
    );
  }
  const scheme = SCHEME.exec(uri)?.[1]?.toLowerCase();
  if (scheme === undefined) return openSqlite(uri, options);
  const factory = Object.hasOwn(FACTORIES, scheme) ? FACTORIES[scheme] : undefined;
  if (!factory) {
    const accepted = [...Object.keys(FACTORIES).map((s) => `${s}://`), "a plain file path"].join(", ");
    throw invalidParam(`Unsupported tracking URI scheme '${scheme}' in '${uri}'. Accepted: ${accepted}.`);
  }
  return factory(uri, options);
}
