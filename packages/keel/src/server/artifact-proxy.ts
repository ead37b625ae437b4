/**
 * MLflow's artifact proxy (`mlflow server --serve-artifacts`): upload, download, list and delete
 * under `/api/2.0/mlflow-artifacts/artifacts`, plus `/get-artifact` (a run's artifact) and
 * `/model-versions/get-artifact`. Bodies stream in and out: nothing is buffered whole.
 */
import { pipeline, type Readable, Transform } from "node:stream";
import type { FastifyReply, FastifyRequest } from "fastify";
import { z } from "zod";
import type { ArtifactStore } from "../artifacts/artifact-store.js";
import { normalizeArtifactPath } from "../artifacts/safe-path.js";
import { invalidParam, notFound } from "../errors.js";
import type { MetadataStore } from "../store/metadata-store.js";
import { servedArtifactPath } from "./artifact-uri.js";
import { guessMimeType } from "./mime-type.js";
import { parseRequest } from "./request-parsing.js";
import type { RawRoute } from "./route.js";
import { baseName } from "./routes/artifacts.js";
import { requiredString } from "./schemas.js";
import { toWireFileInfo } from "./wire.js";

/** The proxy's prefixes, as MLflow registers them. */
const PROXY_PREFIXES = ["/api/2.0/mlflow-artifacts/artifacts", "/ajax-api/2.0/mlflow-artifacts/artifacts"];

/** The error Fastify raises for oversized bodies, so the one error handler words it. */
function bodyTooLarge(): Error {
  return Object.assign(new Error("request body too large"), {
    code: "FST_ERR_CTP_BODY_TOO_LARGE",
    statusCode: 413,
  });
}

/** Pass `source` through, failing with 413 once more than `limit` bytes went by. */
function capped(source: Readable, limit: number): Readable {
  let seen = 0;
  const counter = new Transform({
    transform(chunk: Buffer, _enc, done) {
      seen += chunk.length;
      done(seen > limit ? bodyTooLarge() : null, chunk);
    },
  });
  return pipeline(source, counter, () => {});
}

/** The artifact path in the URL (after the prefix), checked so it cannot leave the store. */
function pathParam(request: FastifyRequest): string {
  return normalizeArtifactPath((request.params as Record<string, string>)["*"] ?? "");
}

/** Stream one artifact file as an attachment, as MLflow does (never rendered inline). */
async function sendArtifact(
  artifacts: ArtifactStore,
  path: string,
  reply: FastifyReply,
): Promise<FastifyReply> {
  const info = path === "" ? null : await artifacts.stat(path);
  if (!info) throw notFound(`Artifact '${path}' does not exist in the artifact store.`);
  if (info.isDir) {
    throw invalidParam(`Artifact '${path}' is a folder; list it with GET ${PROXY_PREFIXES[0]}?path=${path}.`);
  }
  const name = baseName(path);
  reply
    .header("Content-Type", guessMimeType(path))
    .header("Content-Disposition", `attachment; filename*=UTF-8''${encodeURIComponent(name)}`)
    .header("X-Content-Type-Options", "nosniff");
  if (info.fileSize !== undefined) reply.header("Content-Length", info.fileSize);
  return reply.send(await artifacts.get(path));
}

const listQuery = z.object({ path: z.string().optional() });
const runArtifactQuery = z.object({ run_id: requiredString, path: requiredString });
const versionArtifactQuery = z.object({
  name: requiredString,
  version: requiredString,
  path: requiredString,
});

/**
 * The proxy's route table.
 * @param maxUploadBytes - largest accepted upload (`Content-Type` may be anything: MLflow
 *   clients send the file's guessed type).
 */
export function artifactProxyRoutes(
  stores: { store: MetadataStore; artifacts: ArtifactStore },
  maxUploadBytes: number,
): RawRoute[] {
  const { store, artifacts } = stores;
  const perPrefix = PROXY_PREFIXES.flatMap((prefix): RawRoute[] => [
    {
      rpc: "uploadArtifact",
      method: "PUT",
      url: `${prefix}/*`,
      summary: `Upload one artifact file (raw bytes, at most ${maxUploadBytes} bytes).`,
      produces: "application/json",
      bytesIn: true,
      handler: async (request) => {
        const path = pathParam(request);
        if (path === "") throw invalidParam(`Give a file path after ${prefix}/ to upload to.`);
        const announced = Number(request.headers["content-length"]);
        if (Number.isFinite(announced) && announced > maxUploadBytes) throw bodyTooLarge();
        const body = request.body as Readable | undefined;
        await artifacts.put(path, body ? capped(body, maxUploadBytes) : Buffer.alloc(0));
        return {};
      },
    },
    {
      rpc: "downloadArtifact",
      method: "GET",
      url: `${prefix}/*`,
      summary: "Download one artifact file (streamed, as an attachment).",
      produces: "application/octet-stream",
      handler: async (request, reply) => sendArtifact(artifacts, pathParam(request), reply),
    },
    {
      rpc: "deleteArtifact",
      method: "DELETE",
      url: `${prefix}/*`,
      summary: "Delete an artifact file or folder.",
      produces: "application/json",
      handler: async (request) => {
        const path = pathParam(request);
        if (path === "")
          throw invalidParam("Refusing to delete the artifact store root; give a path below it.");
        await artifacts.delete(path);
        return {};
      },
    },
    {
      rpc: "listArtifactsMlflowArtifacts",
      method: "GET",
      url: prefix,
      summary: "List the direct children of a folder (`path`, default the root); paths are base names.",
      query: listQuery,
      produces: "application/json",
      handler: async (request) => {
        const { path } = parseRequest(listQuery, request.query, "query");
        const entries = await artifacts.list(normalizeArtifactPath(path ?? ""));
        return { files: entries.map((f) => toWireFileInfo(f, baseName(f.path))) };
      },
    },
  ]);
  return [
    ...perPrefix,
    {
      rpc: "getRunArtifact",
      method: "GET",
      url: "/get-artifact",
      summary: "Download a file from a run's artifacts (`run_id`, run-relative `path`).",
      query: runArtifactQuery,
      produces: "application/octet-stream",
      handler: async (request, reply) => {
        const q = parseRequest(runArtifactQuery, request.query, "query");
        const relative = normalizeArtifactPath(q.path);
        const run = await store.getRun(q.run_id);
        const owner = `Run '${q.run_id}'`;
        return sendArtifact(
          artifacts,
          servedArtifactPath(run.info.artifactUri, artifacts.rootUri, relative, owner),
          reply,
        );
      },
    },
    {
      rpc: "getModelVersionArtifact",
      method: "GET",
      url: "/model-versions/get-artifact",
      summary: "Download a file of a model version (`name`, `version`, `path` below its source).",
      query: versionArtifactQuery,
      produces: "application/octet-stream",
      handler: async (request, reply) => {
        const q = parseRequest(versionArtifactQuery, request.query, "query");
        const relative = normalizeArtifactPath(q.path);
        const mv = await store.getModelVersion(q.name, q.version);
        const owner = `Model '${q.name}' version ${q.version}`;
        return sendArtifact(
          artifacts,
          servedArtifactPath(mv.source, artifacts.rootUri, relative, owner),
          reply,
        );
      },
    },
  ];
}
