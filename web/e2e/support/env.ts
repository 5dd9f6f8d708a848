import path from "node:path";
import { fileURLToPath } from "node:url";

/**
 * Where the end-to-end run puts the platform. The ports differ from
 * `make run`'s (3001, 8000, 4222, 4000), so that the tests never meet a
 * developer's own platform; each can be moved with its variable.
 */
function port(name: string, fallback: number): number {
  const value = process.env[name];
  if (value === undefined || value === "") {
    return fallback;
  }
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1 || n > 65535) {
    throw new Error(`${name}=${value} is not a TCP port`);
  }
  return n;
}

export const ports = {
  admin: port("E2E_ADMIN_PORT", 3101),
  gateway: port("E2E_GATEWAY_PORT", 8101),
  nats: port("E2E_NATS_PORT", 4322),
  backend: port("E2E_BACKEND_PORT", 4101),
};

/** adminURL is the admin API and the dashboard: the tests' baseURL. */
export const adminURL = `http://127.0.0.1:${ports.admin}`;
/** gatewayURL is where the tests send API traffic. */
export const gatewayURL = `http://127.0.0.1:${ports.gateway}`;
/** backendURL is the sample backend, the app's upstream. */
export const backendURL = `http://127.0.0.1:${ports.backend}`;

/** webDir is the dashboard's folder, repoRoot the repository's. */
export const webDir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");
export const repoRoot = path.resolve(webDir, "..");

/** resultsDir holds what a run leaves behind: screenshots and logs. */
export const resultsDir = path.join(webDir, "test-results");
export const screenshotDir = path.join(resultsDir, "screenshots");
export const logDir = path.join(resultsDir, "logs");

/** chromium is Debian's browser (make chromium installs it): Playwright
 * never downloads one. */
export const chromium = process.env.E2E_CHROMIUM ?? "/usr/bin/chromium";

/** mailDirVar names the variable through which global setup tells the
 * tests where the mail catcher writes the messages it receives. */
export const mailDirVar = "E2E_MAIL_DIR";
