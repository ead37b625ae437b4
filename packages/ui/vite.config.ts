/**
 * Builds the UI into `packages/keel/dist/ui`: the built UI ships inside the keel package and
 * `keel server` serves it. Bundles get content hashes (cached forever); nothing loads from
 * another host (no CDN fonts or scripts: the system font stack is used).
 */
import { fileURLToPath } from "node:url";
import { defineConfig } from "vite";

export default defineConfig({
  root: fileURLToPath(new URL(".", import.meta.url)),
  base: "/",
  oxc: { jsx: { runtime: "automatic", importSource: "react" } },
  build: {
    outDir: fileURLToPath(new URL("../keel/dist/ui", import.meta.url)),
    emptyOutDir: true,
    assetsDir: "assets",
    // Large charts library: keep it in its own long-cached chunk.
    chunkSizeWarningLimit: 1500,
    sourcemap: false,
  },
});
