#!/usr/bin/env node
import { reportError } from "./command-kit.js";
import { buildProgram } from "./program.js";

buildProgram()
  .parseAsync(process.argv)
  .catch((e: unknown) => {
    process.exitCode = reportError(e);
  });
