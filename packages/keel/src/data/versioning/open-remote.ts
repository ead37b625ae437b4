/**
 * Choosing and opening a data remote from keel.yaml's `remotes:` map. URL schemes map to lazily
 * imported factories, so adding S3 is one entry here and one file.
 */
import { isAbsolute, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { invalidParam, KeelError, notFound } from "../../errors.js";
import type { KeelConfig } from "../../project/keel-config.js";
import type { Remote } from "./remote.js";

/** A remote chosen from the config. */
export interface NamedRemote {
  name: string;
  remote: Remote;
}

type RemoteFactory = (url: string, projectRoot: string) => Promise<Remote>;

/** URL scheme (without `:`) -> factory. Plain paths use `file`. */
const FACTORIES: Readonly<Record<string, RemoteFactory>> = Object.freeze({
  file: async (url, projectRoot) => {
    const { LocalFolderRemote } = await import("./local-folder-remote.js");
    const path = url.startsWith("file:") ? fileURLToPath(url) : url;
    return new LocalFolderRemote(url, isAbsolute(path) ? path : resolve(projectRoot, path));
  },
});

/**
 * The remote named `name`, else the one named `default`, else the only one.
 * @throws KeelError RESOURCE_DOES_NOT_EXIST when none fits (listing the configured names),
 *   NOT_IMPLEMENTED for schemes Keel cannot talk to yet.
 */
export async function openRemote(
  config: KeelConfig,
  projectRoot: string,
  name?: string,
): Promise<NamedRemote> {
  const remotes = config.remotes ?? {};
  const names = Object.keys(remotes);
  const chosen = name ?? (names.includes("default") ? "default" : names.length === 1 ? names[0] : undefined);
  if (chosen === undefined || remotes[chosen] === undefined) {
    const known = names.length === 0 ? "none are configured" : `configured: ${names.join(", ")}`;
    const hint = "add one to keel.yaml, e.g.\n  remotes:\n    default:\n      url: /mnt/shared/keel-remote";
    if (name !== undefined) throw notFound(`No data remote named '${name}' (${known}); ${hint}`);
    throw notFound(
      names.length > 1
        ? `Several data remotes are configured (${names.join(", ")}) and none is named 'default'; pass --remote NAME.`
        : `No data remote configured; ${hint}`,
    );
  }
  const url = remotes[chosen].url;
  // Two letters at least, so a Windows drive (`C:\data`) reads as a path.
  const scheme = /^([a-z][a-z0-9+.-]+):/i.exec(url)?.[1]?.toLowerCase() ?? "file";
  const factory = FACTORIES[scheme];
  if (factory === undefined) {
    if (scheme === "s3" || scheme === "gs" || scheme === "azure" || scheme === "http" || scheme === "https") {
      throw new KeelError(
        "NOT_IMPLEMENTED",
        `Remote '${chosen}' uses ${scheme}:// which is not supported yet; use a folder path or file:// URL.`,
      );
    }
    throw invalidParam(
      `Remote '${chosen}' has URL '${url}' with unknown scheme '${scheme}'; use a folder path or file:// URL.`,
    );
  }
  return { name: chosen, remote: await factory(url, projectRoot) };
}
