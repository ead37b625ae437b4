import type { Command } from "commander";
import { scaffoldProject } from "../project/scaffold.js";
import { action, examples } from "./command-kit.js";

/** `keel init [dir]`: scaffold a project. */
export function registerInitCommand(program: Command): void {
  const cmd = program
    .command("init [dir]")
    .description("scaffold a Keel project (keel.yaml, params.yaml, data/, src/, .gitignore, README)")
    .option("--name <name>", "project name (default: the folder's name)")
    .option("--force", "overwrite files that already exist");
  examples(cmd, "keel init my-project", "keel init . --name flights --force");
  cmd.action(
    action((dir: string | undefined, opts: { name?: string; force?: boolean }) => {
      const result = scaffoldProject(dir ?? ".", opts);
      for (const f of result.created) process.stdout.write(`  created      ${f}\n`);
      for (const f of result.overwritten) process.stdout.write(`  overwritten  ${f}\n`);
      process.stdout.write(
        `\nProject ready in ${result.root}\nNext: cd ${dir ?? "."} && keel experiments create my-first-experiment\n`,
      );
    }),
  );
}
