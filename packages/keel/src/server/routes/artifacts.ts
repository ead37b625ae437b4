/** MLflow's artifacts/list RPC: list a run's artifacts through the server's artifact store. */
import { z } from "zod";
import { normalizeArtifactPath } from "../../artifacts/safe-path.js";
import { servedArtifactPath } from "../artifact-uri.js";
import { defineRoute, type Route } from "../route.js";
import { pageToken, requiredString } from "../schemas.js";
import { toWireFileInfo } from "../wire.js";

/** The last `/`-separated segment of a path. */
export function baseName(path: string): string {
  return path.slice(path.lastIndexOf("/") + 1);
}

/** Artifact listing routes. */
export const ARTIFACT_ROUTES: Route[] = [
  defineRoute({
    rpc: "listArtifacts",
    method: "GET",
    path: "/artifacts/list",
    summary: "List a run's artifacts under an optional path (paths are run-relative).",
    request: z.object({
      run_id: requiredString,
      path: z.string().optional(),
      page_token: pageToken.optional(),
    }),
    handler: async (req, { store, artifacts }) => {
      const relative = normalizeArtifactPath(req.path ?? "");
      const run = await store.getRun(req.run_id);
      const root = run.info.artifactUri;
      const where = servedArtifactPath(root, artifacts.rootUri, relative, `Run '${req.run_id}'`);
      const entries = await artifacts.list(where);
      const files = entries.map((f) => {
        const name = baseName(f.path);
        return toWireFileInfo(f, relative ? `${relative}/${name}` : name);
      });
      return { root_uri: root, files };
    },
  }),
];
