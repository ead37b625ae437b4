/**
 * A real, throwaway PostgreSQL cluster for tests: initdb in a temp folder, started on a free port
 * on 127.0.0.1 with its socket in that folder, stopped and removed by `stop()`.
 *
 * Sessions and CI run as root, and initdb refuses root: the folder is chowned to the `postgres`
 * user and the binaries run through `runuser -u postgres`. Not as root, they run directly.
 */
import { execFile } from "node:child_process";
import { existsSync, readdirSync } from "node:fs";
import { chown, mkdir, mkdtemp, readFile, rm } from "node:fs/promises";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { delimiter, join } from "node:path";
import { promisify } from "node:util";
import pg from "pg";

const run = promisify(execFile);

/** A running cluster. */
export interface PostgresHandle {
  /** `postgresql://postgres@127.0.0.1:PORT/postgres`. */
  uri: string;
  /** Create an empty database and return its URI (one per test keeps tests independent). */
  createDatabase(): Promise<string>;
  /** Stop the server (fast shutdown) and delete its folder. */
  stop(): Promise<void>;
}

/** Folders that may hold initdb and pg_ctl: PATH, /usr/local/bin, /usr/lib/postgresql/<newest>/bin. */
function candidateBinDirs(): string[] {
  const dirs = (process.env.PATH ?? "").split(delimiter).filter(Boolean);
  dirs.push("/usr/local/bin");
  const versioned = "/usr/lib/postgresql";
  if (existsSync(versioned)) {
    const versions = readdirSync(versioned).sort((a, b) => Number(b) - Number(a));
    dirs.push(...versions.map((v) => join(versioned, v, "bin")));
  }
  return dirs;
}

function findBinDir(): string {
  const dir = candidateBinDirs().find((d) => existsSync(join(d, "initdb")) && existsSync(join(d, "pg_ctl")));
  if (!dir) {
    throw new Error(
      "PostgreSQL binaries (initdb, pg_ctl) were not found on PATH, in /usr/local/bin or in /usr/lib/postgresql/*/bin. " +
        "Install PostgreSQL 15 (e.g. `apt-get install -y postgresql`) to run the PostgreSQL store tests.",
    );
  }
  return dir;
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const address = server.address();
      server.close(() =>
        typeof address === "object" && address ? resolve(address.port) : reject(new Error("no port")),
      );
    });
  });
}

async function postgresIds(): Promise<{ uid: number; gid: number }> {
  const [uid, gid] = await Promise.all([run("id", ["-u", "postgres"]), run("id", ["-g", "postgres"])]);
  return { uid: Number(uid.stdout.trim()), gid: Number(gid.stdout.trim()) };
}

/** Start a fresh PostgreSQL cluster; rejects with a clear message when the binaries are missing. */
export async function startPostgres(): Promise<PostgresHandle> {
  const binDir = findBinDir();
  const asRoot = process.getuid?.() === 0;
  const root = await mkdtemp(join(tmpdir(), "keel-pg-"));
  const dataDir = join(root, "data");
  const logFile = join(root, "server.log");
  await mkdir(dataDir);
  if (asRoot) {
    const { uid, gid } = await postgresIds();
    await chown(root, uid, gid);
    await chown(dataDir, uid, gid);
  }
  const exec = (bin: string, args: string[]) =>
    asRoot
      ? run("runuser", ["-u", "postgres", "--", join(binDir, bin), ...args], { timeout: 120_000 })
      : run(join(binDir, bin), args, { timeout: 120_000 });

  const port = await freePort();
  try {
    await exec("initdb", ["-D", dataDir, "-A", "trust", "-U", "postgres", "-E", "UTF8", "--no-sync"]);
    const serverOptions = `-p ${port} -k ${root} -c listen_addresses=127.0.0.1 -c fsync=off -c full_page_writes=off`;
    await exec("pg_ctl", ["-D", dataDir, "-o", serverOptions, "-l", logFile, "-w", "-t", "60", "start"]);
  } catch (e) {
    const log = await readFile(logFile, "utf8").catch(() => "");
    await rm(root, { recursive: true, force: true });
    throw new Error(`Could not start PostgreSQL: ${(e as Error).message}\n${log}`);
  }

  const uri = `postgresql://postgres@127.0.0.1:${port}/postgres`;
  let databases = 0;
  return {
    uri,
    async createDatabase() {
      const name = `keel_test_${process.pid}_${++databases}`;
      const client = new pg.Client({ connectionString: uri });
      await client.connect();
      try {
        await client.query(`CREATE DATABASE ${name}`);
      } finally {
        await client.end();
      }
      return `postgresql://postgres@127.0.0.1:${port}/${name}`;
    },
    async stop() {
      try {
        await exec("pg_ctl", ["-D", dataDir, "-m", "fast", "-w", "stop"]);
      } finally {
        await rm(root, { recursive: true, force: true });
      }
    },
  };
}
