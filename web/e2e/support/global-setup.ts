import { execFile } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import {
  adminURL,
  backendURL,
  chromium,
  gatewayURL,
  logDir,
  mailDirVar,
  ports,
  repoRoot,
  screenshotDir,
  webDir,
} from "./env";
import { checkFree, type Service, start, stop, waitFor } from "./process";
import { type MailCatcher, startMailCatcher } from "./smtp";

const run = promisify(execFile);

/**
 * globalSetup starts the real platform for the browser tests, and returns
 * the teardown that stops it, which Playwright runs after the tests, passed
 * or failed. If a step fails, what was started is stopped before the error
 * is reported.
 *
 * The platform is bin/aegis server with its embedded NATS and its own data
 * directory under a temporary folder, a new PostgreSQL database on the
 * local cluster (deploy/local/postgres.sh), the mail catcher (smtp.ts) and
 * the sample backend as the apps' upstream, each on 127.0.0.1 only, on
 * ports that `make run` does not use.
 */
export default async function globalSetup(): Promise<() => Promise<void>> {
  const cleanups: Array<[string, () => Promise<void>]> = [];
  const teardown = async () => {
    const problems: string[] = [];
    for (const [name, cleanup] of cleanups.reverse()) {
      try {
        await cleanup();
      } catch (err) {
        problems.push(`${name}: ${err instanceof Error ? err.message : String(err)}`);
      }
    }
    if (problems.length > 0) {
      throw new Error(`e2e teardown: ${problems.join("; ")}`);
    }
  };
  try {
    await setUp(cleanups);
  } catch (err) {
    await teardown().catch((cleanupErr: unknown) => console.error(cleanupErr));
    throw err;
  }
  return teardown;
}

async function setUp(cleanups: Array<[string, () => Promise<void>]>) {
  const began = Date.now();
  const aegis = path.join(repoRoot, "bin/aegis");
  const dist = path.join(webDir, "dist/index.html");
  for (const [file, how] of [
    [aegis, "make build"],
    [dist, "make web"],
    [chromium, "make chromium"],
  ] as const) {
    if (!existsSync(file)) {
      throw new Error(`${file} is missing: run ${how} first (npm run e2e does)`);
    }
  }
  await checkFree("admin API", ports.admin, "E2E_ADMIN_PORT");
  await checkFree("gateway", ports.gateway, "E2E_GATEWAY_PORT");
  await checkFree("NATS", ports.nats, "E2E_NATS_PORT");
  await checkFree("sample backend", ports.backend, "E2E_BACKEND_PORT");

  rmSync(screenshotDir, { recursive: true, force: true });
  rmSync(logDir, { recursive: true, force: true });
  mkdirSync(screenshotDir, { recursive: true });
  mkdirSync(logDir, { recursive: true });

  const tmp = mkdtempSync(path.join(tmpdir(), "aegis-e2e-"));
  cleanups.push(["remove the temporary folder", async () => rmSync(tmp, { recursive: true, force: true })]);
  const mailDir = path.join(tmp, "mail");
  mkdirSync(mailDir);

  const mail: MailCatcher = await startMailCatcher(mailDir);
  cleanups.push(["stop the mail catcher", () => mail.close()]);
  process.env[mailDirVar] = mailDir;

  const databaseURL = await createDatabase(cleanups);

  const backendBin = path.join(tmp, "sample-backend");
  await run("go", ["build", "-o", backendBin, "./examples/sample-backend"], { cwd: repoRoot, timeout: 300_000 });
  const backend = start("sample backend", backendBin, ["-addr", `127.0.0.1:${ports.backend}`], baseEnv(), path.join(logDir, "sample-backend.log"));
  cleanups.push(["stop the sample backend", () => stop(backend)]);
  await waitFor(backend, `${backendURL}/health`);

  const server: Service = start(
    "aegis server",
    aegis,
    ["server"],
    {
      ...baseEnv(),
      AEGIS_DATA_DIR: path.join(tmp, "data"),
      DATABASE_URL: databaseURL,
      AEGIS_NATS_ADDR: `127.0.0.1:${ports.nats}`,
      AEGIS_ADMIN_ADDR: `127.0.0.1:${ports.admin}`,
      AEGIS_GATEWAY_ADDR: `127.0.0.1:${ports.gateway}`,
      AEGIS_PUBLIC_URL: adminURL,
      AEGIS_WEB_DIR: path.join(webDir, "dist"),
      AEGIS_NODE_ID: "e2e",
      AEGIS_SHUTDOWN_TIMEOUT: "10s",
      SMTP_URL: `smtp://127.0.0.1:${mail.port}?tls=none`,
    },
    path.join(logDir, "aegis.log"),
    repoRoot,
  );
  cleanups.push(["stop aegis server", () => stop(server)]);
  await waitFor(server, `${adminURL}/ready`);
  await waitFor(server, `${gatewayURL}/_aegis/ready`);

  console.log(
    `e2e: platform ready in ${((Date.now() - began) / 1000).toFixed(1)} s: dashboard ${adminURL}, gateway ${gatewayURL}, ` +
      `sample backend ${backendURL}, mail catcher 127.0.0.1:${mail.port}; logs in ${path.relative(webDir, logDir)}/`,
  );
}

/** baseEnv is the runner's environment without the platform's settings, so
 * that a developer's DATABASE_URL or AEGIS_* never reaches the test server. */
function baseEnv(): NodeJS.ProcessEnv {
  const env = { ...process.env };
  for (const name of Object.keys(env)) {
    if (name.startsWith("AEGIS_") || ["DATABASE_URL", "NATS_URL", "SMTP_URL", "JWT_SECRET"].includes(name)) {
      delete env[name];
    }
  }
  return env;
}

/** createDatabase creates a database for this run on the local PostgreSQL
 * (the server deploy/local/postgres.sh url names) and returns its URL. The
 * cleanup it registers drops it; databases that earlier runs left behind,
 * whose process is gone, are dropped first. */
async function createDatabase(cleanups: Array<[string, () => Promise<void>]>): Promise<string> {
  const { stdout } = await run(path.join(repoRoot, "deploy/local/postgres.sh"), ["url"], { cwd: repoRoot });
  const admin = stdout.trim();
  const psql = findPsql();
  const sql = (statement: string) =>
    run(psql, ["-X", "-q", "-At", "-v", "ON_ERROR_STOP=1", "-d", admin, "-c", statement], { timeout: 60_000 });

  const { stdout: names } = await sql("SELECT datname FROM pg_database WHERE datname LIKE 'aegis\\_e2e\\_%'");
  for (const name of names.split("\n").filter(Boolean)) {
    const pid = Number(/^aegis_e2e_(\d+)_/.exec(name)?.[1]);
    if (pid && !alive(pid)) {
      await sql(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
    }
  }

  const name = `aegis_e2e_${process.pid}_${Date.now()}`;
  await sql(`CREATE DATABASE "${name}"`);
  cleanups.push(["drop the database", async () => void (await sql(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`))]);
  const url = new URL(admin);
  url.pathname = `/${name}`;
  return url.toString();
}

/** findPsql returns psql from PATH's usual place, else the newest
 * PostgreSQL's own. */
function findPsql(): string {
  if (existsSync("/usr/bin/psql")) {
    return "/usr/bin/psql";
  }
  const versions = existsSync("/usr/lib/postgresql")
    ? readdirSync("/usr/lib/postgresql").sort((a, b) => Number(b) - Number(a))
    : [];
  for (const version of versions) {
    const candidate = `/usr/lib/postgresql/${version}/bin/psql`;
    if (existsSync(candidate)) {
      return candidate;
    }
  }
  return "psql";
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}
