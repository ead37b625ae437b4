import type { Command } from "commander";
import { describe, expect, it } from "vitest";
import { buildProgram } from "../../src/cli/program.js";
import { runKeelInProcess } from "../support/in-process-cli.js";

/** Every command path of the real tree that does something (leaves), e.g. ["models", "alias", "set"]. */
function leafCommands(cmd: Command, path: string[] = []): string[][] {
  const subs = cmd.commands.filter((c) => c.name() !== "help");
  if (subs.length === 0) return [path];
  return subs.flatMap((c) => leafCommands(c, [...path, c.name()]));
}

describe("keel --help", () => {
  const leaves = leafCommands(buildProgram());

  it("walks a real command tree", () => {
    expect(leaves.length).toBeGreaterThan(40);
    for (const expected of [["train"], ["search"], ["ci", "gate"], ["models", "alias", "set"]]) {
      expect(leaves).toContainEqual(expected);
    }
  });

  it("has --help with at least one example on every command", async () => {
    const missing: string[] = [];
    for (const path of leaves) {
      const r = await runKeelInProcess([...path, "--help"]);
      expect(r.code, path.join(" ")).toBe(0);
      if (!/Examples:\n\s+\$ keel /.test(r.stdout)) missing.push(path.join(" "));
    }
    expect(missing, `commands without examples in --help: ${missing.join(", ")}`).toEqual([]);
  });
});
