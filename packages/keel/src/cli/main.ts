#!/usr/bin/env node
import { CommanderError } from "commander";
import { reportError } from "./command-kit.js";
import { buildProgram } from "./program.js";

// `keel runs list | head`: a closed pipe ends the command quietly, as with any Unix tool.
process.stdout.on("error", (e: NodeJS.ErrnoException) => {
  if (e.code === "EPIPE") process.exit(0);
  throw e;
});

buildProgram()
  .parseAsync(process.argv)
  .catch((e: unknown) => {
    if (e instanceof CommanderError) {
      // Commander already printed the message (or the help); only the exit code is ours.
      process.exitCode = e.exitCode === 0 ? 0 : 2;
      return;
    }
    process.exitCode = reportError(e);
  });
