import { type ChildProcess, spawn } from "node:child_process";
import { createWriteStream, readFileSync } from "node:fs";
import net from "node:net";

/** Service is a program the harness started, with its output in a log file. */
export type Service = {
  name: string;
  log: string;
  child: ChildProcess;
  /** exited settles when the program has exited, for whatever reason. */
  exited: Promise<void>;
};

const running = new Set<Service>();

// Whatever way the runner's process ends, it takes its services along: the
// global teardown stops them gracefully, and this catches the rest.
process.on("exit", () => {
  for (const service of running) {
    service.child.kill("SIGKILL");
  }
});

/** start runs a program with env as its whole environment, its output
 * appended to log. */
export function start(name: string, command: string, args: string[], env: NodeJS.ProcessEnv, log: string, cwd?: string): Service {
  const out = createWriteStream(log, { flags: "a" });
  const child = spawn(command, args, { env, cwd, stdio: ["ignore", "pipe", "pipe"] });
  child.stdout?.pipe(out);
  child.stderr?.pipe(out);
  const exited = new Promise<void>((resolve) => {
    child.once("exit", () => resolve());
    child.once("error", (err) => {
      out.write(`${name}: ${err.message}\n`);
      resolve();
    });
  });
  const service: Service = { name, log, child, exited };
  running.add(service);
  void exited.then(() => running.delete(service));
  return service;
}

/** stop asks a service to end (SIGTERM), and kills it if it has not within
 * graceMs. */
export async function stop(service: Service, graceMs = 20_000): Promise<void> {
  if (service.child.exitCode !== null || service.child.signalCode !== null) {
    return;
  }
  service.child.kill("SIGTERM");
  const timer = setTimeout(() => service.child.kill("SIGKILL"), graceMs);
  await service.exited;
  clearTimeout(timer);
}

/** waitFor polls url until it answers 200, for at most timeoutMs. It throws,
 * with the end of the service's log, if the service exits first or the time
 * runs out. */
export async function waitFor(service: Service, url: string, timeoutMs = 60_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let last = "no answer";
  for (;;) {
    if (service.child.exitCode !== null || service.child.signalCode !== null) {
      throw new Error(`${service.name} exited (${service.child.exitCode ?? service.child.signalCode}) before ${url} answered\n${tail(service.log)}`);
    }
    try {
      const res = await fetch(url, { signal: AbortSignal.timeout(2_000) });
      if (res.status === 200) {
        return;
      }
      last = `status ${res.status}: ${await res.text()}`;
    } catch (err) {
      last = err instanceof Error ? err.message : String(err);
    }
    if (Date.now() > deadline) {
      throw new Error(`${service.name}: ${url} did not answer 200 within ${timeoutMs} ms (last: ${last})\n${tail(service.log)}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

/** tail returns the last lines of a log file. */
export function tail(file: string, lines = 30): string {
  try {
    const text = readFileSync(file, "utf8").trimEnd().split("\n");
    return `--- the end of ${file}:\n${text.slice(-lines).join("\n")}`;
  } catch {
    return `(no log at ${file})`;
  }
}

/** checkFree throws if something already listens on 127.0.0.1:port. */
export async function checkFree(name: string, port: number, variable: string): Promise<void> {
  await new Promise<void>((resolve, reject) => {
    const server = net.createServer();
    server.once("error", () =>
      reject(new Error(`port ${port} on 127.0.0.1 (${name}) is taken: stop what uses it, or set ${variable} to another port`)),
    );
    server.listen(port, "127.0.0.1", () => server.close(() => resolve()));
  });
}
