/**
 * moto, the AWS API emulator, in server mode on loopback: one process per server, started and stopped by
 * whoever needs it (the offline plans of `npm run check` and the tests, the emulated deploy). Each server
 * answers every AWS service on one port for one account (MOTO_ACCOUNT_ID), and ships AWS's public SSM
 * parameters (the Amazon Linux AMIs), so a stack that reads its AMI when the deploy is planned plans offline.
 *
 * The interpreter is `MOTO_PYTHON` or `python3`; a missing interpreter or moto fails with the install hint,
 * never skips.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { freePort } from './net';

/** How users get moto (PyPI): its server needs the `server` extra (Flask). */
export const MOTO_INSTALL_HINT = "pip install 'moto[server]'";

/** The Python interpreter that runs moto. */
export function motoPython(): string {
  return process.env.MOTO_PYTHON ?? 'python3';
}

let version: string | undefined;

/** moto's version; throws with the install hint when the interpreter or moto's server is missing. */
export function motoVersion(): string {
  if (version !== undefined) return version;
  const python = motoPython();
  const probe = spawnSync(python, ['-c', 'import moto, moto.server, flask; print(moto.__version__)'], {
    encoding: 'utf8',
    timeout: 60_000,
  });
  if (probe.error || probe.status !== 0) {
    throw new Error(
      `moto's server (the AWS API emulator) is needed here, but "${python}" could not load it ` +
        `(${probe.error?.message ?? probe.stderr.trim().split('\n').pop()}).\n` +
        `Install it with: ${MOTO_INSTALL_HINT} (Python 3.9+), or set MOTO_PYTHON to an interpreter that has it.`,
    );
  }
  version = probe.stdout.trim();
  return version;
}

export interface MotoServer {
  /** `http://127.0.0.1:<port>`: what endpoint settings point at. */
  readonly endpoint: string;
  /** The account every request is answered for. */
  readonly accountId: string;
  /** What the server printed (requests and moto's own tracebacks), for failure messages. */
  log(): string;
  /** Stops the server (SIGTERM, then SIGKILL); never throws. */
  stop(): Promise<void>;
}

/** moto imports every service at start: tens of seconds on a busy two-core machine. */
const STARTUP_MS = 120_000;
const servers = new Set<ChildProcess>();
// A process that dies before stopping its servers must not leave them behind.
process.once('exit', () => servers.forEach((s) => s.kill('SIGKILL')));

/** Starts a moto server for `accountId` on a free loopback port and waits until it answers. */
export async function startMoto(accountId = '123456789012', extraEnv: Record<string, string> = {}): Promise<MotoServer> {
  motoVersion();
  const port = await freePort();
  const endpoint = `http://127.0.0.1:${port}`;
  const server = spawn(motoPython(), ['-m', 'moto.server', '-H', '127.0.0.1', '-p', String(port)], {
    env: { ...process.env, MOTO_ACCOUNT_ID: accountId, PYTHONUNBUFFERED: '1', ...extraEnv },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  servers.add(server);
  let log = '';
  const keep = (chunk: Buffer) => {
    log += chunk.toString();
    // Request lines pile up; keep the tail, where a failure's traceback is.
    if (log.length > 4_000_000) log = log.slice(-2_000_000);
  };
  server.stdout?.on('data', keep);
  server.stderr?.on('data', keep);
  const exited = new Promise<void>((resolve) => server.once('exit', () => resolve()));
  const stop = async () => {
    if (server.exitCode === null && server.signalCode === null) {
      server.kill('SIGTERM');
      const timer = setTimeout(() => server.kill('SIGKILL'), 10_000);
      await exited;
      clearTimeout(timer);
    }
    servers.delete(server);
  };
  const deadline = Date.now() + STARTUP_MS;
  for (;;) {
    if (server.exitCode !== null) {
      await stop();
      throw new Error(`moto exited with ${server.exitCode} before answering; its log:\n${log.slice(-4000)}`);
    }
    const ready = await fetch(`${endpoint}/moto-api/`).then(
      (r) => r.ok,
      () => false,
    );
    if (ready) break;
    if (Date.now() > deadline) {
      await stop();
      throw new Error(`moto on ${endpoint} did not answer within ${STARTUP_MS / 1000} s; its log:\n${log.slice(-4000)}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  return { endpoint, accountId, log: () => log, stop };
}
