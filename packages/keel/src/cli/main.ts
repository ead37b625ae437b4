#!/usr/bin/env node
import { exitCodeOf } from "./command-kit.js";
import { buildProgram } from "./program.js";

// `keel runs list | head`: a closed pipe ends the command quietly, as with any Unix tool.
process.stdout.on("error", (e: NodeJS.ErrnoException) => {
  if (e.code === "EPIPE") process.exit(0);
  throw e;
});

buildProgram()
  .parseAsync(process.argv)
  .catch((e: unknown) => {
    process.exitCode = exitCodeOf(e);
  });
