import { randomUUID } from "node:crypto";
import { createReadStream, createWriteStream } from "node:fs";
import { mkdir, readdir, rename, rm, stat } from "node:fs/promises";
import { basename, dirname, join, resolve } from "node:path";
import { pipeline as pipe, Readable, Transform } from "node:stream";
import { pipeline } from "node:stream/promises";
import type { ReadableStream as WebReadableStream } from "node:stream/web";
import type { ArtifactStore, FileInfo } from "../../artifacts/artifact-store.js";
import { joinArtifactPath, normalizeArtifactPath } from "../../artifacts/safe-path.js";
import { invalidParam, isKeelError, notFound } from "../../errors.js";
import { type FetchBody, RestClient } from "./rest-client.js";
import type { RestClientConfig } from "./rest-client-config.js";

/** Prefix of MLflow's artifact proxy on a tracking server (`mlflow server --serve-artifacts`). */
export const MLFLOW_ARTIFACTS_PREFIX = "/api/2.0/mlflow-artifacts/artifacts";

/** One entry of the proxy's listing, as MLflow sends it. */
interface WireFileInfo {
  path?: string;
  is_dir?: boolean;
  file_size?: number | string;
}

/**
 * An {@link ArtifactStore} rooted at an `mlflow-artifacts:` URI: every read and write goes
 * through the tracking server's artifact proxy (`PUT|GET|DELETE /api/2.0/mlflow-artifacts/
 * artifacts/<path>`, listing with `?path=`), so a remote client needs no access to the storage
 * behind the server. Paths are checked with `normalizeArtifactPath` before they leave.
 *
 * @example
 * const store = openProxyArtifactStore("mlflow-artifacts:/1/abc/artifacts", "http://127.0.0.1:5000");
 * await store.put("notes.txt", Buffer.from("hi"));
 * await store.list(); // [{ path: "notes.txt", isDir: false, fileSize: 2 }]
 */
export class ProxyArtifactStore implements ArtifactStore {
  /** `mlflow-artifacts:/<root>`, as the server hands it out. */
  readonly rootUri: string;
  readonly #client: RestClient;
  /** Root inside the proxy, clean and `/`-separated (`''` for the proxy's root). */
  readonly #root: string;

  /** @param root - path inside the proxy, e.g. `1/<run id>/artifacts`. */
  constructor(client: RestClient, root: string) {
    this.#client = client;
    this.#root = normalizeArtifactPath(root);
    this.rootUri = `mlflow-artifacts:/${this.#root}`;
  }

  /** `PUT` the bytes; a Buffer is retried on transient failures, a caller's stream is sent once. */
  async put(path: string, body: Buffer | Uint8Array | Readable): Promise<number> {
    const rel = this.#file(path);
    if (body instanceof Readable) {
      let bytes = 0;
      const counted = new Transform({
        transform(chunk: Buffer, _enc, done) {
          bytes += chunk.length;
          done(null, chunk);
        },
      });
      // A failing source destroys `counted`, which fails the upload; the error surfaces there.
      pipe(body, counted, () => {});
      await this.#upload(rel, () => toWebBody(counted), false);
      return bytes;
    }
    await this.#upload(rel, () => body, true);
    return body.byteLength;
  }

  /**
   * Upload a local file or folder as MLflow's `log_artifact` / `log_artifacts` do: a file lands
   * at `destPath/<its name>`, a folder's contents under `destPath`. Files are streamed from disk
   * and re-opened on a retry.
   */
  async putLocal(localPath: string, destPath: string): Promise<void> {
    const dest = normalizeArtifactPath(destPath);
    const src = resolve(localPath);
    const st = await stat(src).catch(() => null);
    if (st === null)
      throw notFound(`Local path ${JSON.stringify(src)} does not exist; check the path to upload.`);
    if (!st.isDirectory()) {
      await this.#upload(
        this.#file(joinArtifactPath(dest, basename(src))),
        () => toWebBody(createReadStream(src)),
        true,
      );
      return;
    }
    for (const entry of await readdir(src, { withFileTypes: true })) {
      const child = join(src, entry.name);
      const childDest = joinArtifactPath(dest, normalizeArtifactPath(entry.name));
      const childStat = await stat(child).catch(() => null);
      if (childStat?.isDirectory()) await this.putLocal(child, childDest);
      else if (childStat?.isFile()) await this.putLocal(child, dest);
    }
  }

  /** A stream of the artifact's bytes; RESOURCE_DOES_NOT_EXIST when absent. */
  async get(path: string): Promise<Readable> {
    const rel = this.#file(path);
    const res = await this.#client.send("GET", this.#url(rel), { idempotent: true });
    if (res.body === null) return Readable.from([]);
    return Readable.fromWeb(res.body as WebReadableStream<Uint8Array>);
  }

  /** Size and kind of one entry (from its parent's listing: the proxy has no stat), or null. */
  async stat(path: string): Promise<FileInfo | null> {
    const rel = normalizeArtifactPath(path);
    if (rel === "") return { path: "", isDir: true };
    const parent = rel.includes("/") ? rel.slice(0, rel.lastIndexOf("/")) : "";
    return (await this.list(parent)).find((f) => f.path === rel) ?? null;
  }

  /** Direct children of a folder, sorted, with paths relative to this store's root. */
  async list(path = ""): Promise<FileInfo[]> {
    const rel = normalizeArtifactPath(path);
    const full = joinArtifactPath(this.#root, rel);
    const res = await this.#client.send("GET", `${this.#client.baseUrl}${MLFLOW_ARTIFACTS_PREFIX}`, {
      idempotent: true,
      query: full === "" ? {} : { path: full },
    });
    const body = (await res.json()) as { files?: WireFileInfo[] };
    // MLflow's proxy answers with base names; keep only the last segment to accept full paths too.
    const infos = (body.files ?? []).map((f): FileInfo => {
      const name = (f.path ?? "").split("/").pop() ?? "";
      const child = joinArtifactPath(rel, name);
      return f.is_dir
        ? { path: child, isDir: true }
        : { path: child, isDir: false, fileSize: Number(f.file_size ?? 0) };
    });
    return infos.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
  }

  /** Copy a file to the file `localDest`, or a folder's contents into the folder `localDest`. */
  async download(path: string, localDest: string): Promise<void> {
    const info = await this.stat(path);
    if (info === null)
      throw notFound(
        `Artifact ${JSON.stringify(normalizeArtifactPath(path))} does not exist in ${this.rootUri}.`,
      );
    const dest = resolve(localDest);
    if (info.isDir) {
      await mkdir(dest, { recursive: true });
      const prefix = info.path === "" ? 0 : info.path.length + 1;
      for (const child of await this.list(info.path))
        await this.download(child.path, join(dest, child.path.slice(prefix)));
      return;
    }
    // Temp file beside the destination, then rename: a reader never sees half a file.
    await mkdir(dirname(dest), { recursive: true });
    const tmp = `${dest}.keel-${randomUUID()}.tmp`;
    try {
      await pipeline(await this.get(info.path), createWriteStream(tmp));
      await rename(tmp, dest);
    } catch (e) {
      await rm(tmp, { force: true });
      throw e;
    }
  }

  /** Delete a file or folder through the proxy; no error when absent. */
  async delete(path: string): Promise<void> {
    const rel = normalizeArtifactPath(path);
    try {
      const res = await this.#client.send("DELETE", this.#url(rel), { idempotent: true });
      await res.body?.cancel(); // an unread body would keep the connection busy
    } catch (e) {
      if (isKeelError(e) && e.code === "RESOURCE_DOES_NOT_EXIST") return;
      throw e;
    }
  }

  /** PUT one file. */
  async #upload(rel: string, body: () => FetchBody, replayable: boolean): Promise<void> {
    const res = await this.#client.send("PUT", this.#url(rel), {
      idempotent: true,
      body,
      streaming: true,
      replayable,
      headers: { "Content-Type": "application/octet-stream" },
    });
    await res.body?.cancel();
  }

  /** A clean file path (not the root). */
  #file(path: string): string {
    const rel = normalizeArtifactPath(path);
    if (rel === "")
      throw invalidParam(`Artifact path ${JSON.stringify(path)} is the root folder; give a file path.`);
    return rel;
  }

  /** The proxy URL of `rel`, each segment percent-encoded. */
  #url(rel: string): string {
    const full = joinArtifactPath(this.#root, rel);
    return `${this.#client.baseUrl}${MLFLOW_ARTIFACTS_PREFIX}/${full.split("/").map(encodeURIComponent).join("/")}`;
  }
}

/** A Node stream as a fetch body. */
function toWebBody(stream: Readable): FetchBody {
  return Readable.toWeb(stream) as unknown as FetchBody;
}

/**
 * The proxy store for an `mlflow-artifacts:` URI, resolved as MLflow's client does:
 * `mlflow-artifacts:/path` goes to the tracking server itself, `mlflow-artifacts://host:port/path`
 * to that host with the tracking URI's scheme.
 *
 * @param artifactUri - e.g. a run's `mlflow-artifacts:/1/<run id>/artifacts`.
 * @param trackingUri - the `http(s)://` tracking server.
 * @throws KeelError INVALID_PARAMETER_VALUE when the URI is not `mlflow-artifacts:`.
 */
export function openProxyArtifactStore(
  artifactUri: string,
  trackingUri: string,
  options: Omit<RestClientConfig, "baseUrl"> = {},
): ProxyArtifactStore {
  const match = /^mlflow-artifacts:(\/\/[^/]*)?(\/.*)?$/.exec(artifactUri);
  if (match === null) {
    throw invalidParam(
      `Artifact URI ${JSON.stringify(artifactUri)} is not an mlflow-artifacts: URI (mlflow-artifacts:/path).`,
    );
  }
  const authority = match[1]?.slice(2);
  const baseUrl = authority ? `${new URL(trackingUri).protocol}//${authority}` : trackingUri;
  const root = decodeURIComponent(match[2] ?? "/").replace(/^\/+/, "");
  return new ProxyArtifactStore(new RestClient({ ...options, baseUrl }), root);
}
