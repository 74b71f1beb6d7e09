/**
 * moto, the AWS API emulator, in server mode on loopback: one process per server, started and stopped by
 * the emulated-deploy tests themselves. Each server answers every AWS service on one port, for one
 * account (MOTO_ACCOUNT_ID), so the stacks' `allowed_account_ids` check passes through the real
 * `sts:GetCallerIdentity`, with AWS managed IAM policies loaded (the app role attaches one).
 *
 * The interpreter is `MOTO_PYTHON` or `python3`; a missing interpreter or moto fails with the install
 * hint, never skips.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { freePort, until, within } from './local-services';

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
  const probe = spawnSync(python, ['-c', 'import moto, moto.server, flask; print(moto.__version__)'], { encoding: 'utf8', timeout: 60_000 });
  if (probe.error || probe.status !== 0) {
    throw new Error(
      `The emulated deploy needs moto's server (the AWS API emulator) for "${python}", which could not load it ` +
        `(${probe.error?.message ?? probe.stderr.trim().split('\n').pop()}).\n` +
        `Install it with: ${MOTO_INSTALL_HINT} (Python 3.9+), or set MOTO_PYTHON to an interpreter that has it.`,
    );
  }
  version = probe.stdout.trim();
  return version;
}

export interface MotoServer {
  /** `http://127.0.0.1:<port>`: what AWS_ENDPOINT_URL and the backend endpoints point at. */
  readonly endpoint: string;
  /** The account every request is answered for. */
  readonly accountId: string;
  /** What the server printed (requests and moto's own tracebacks), for failure messages. */
  log(): string;
  /** Stops the server (SIGTERM, then SIGKILL); never throws. */
  stop(): Promise<void>;
}

const STARTUP_MS = 60_000;
const servers = new Set<ChildProcess>();
// A test run that dies before its afterAll must not leave a server behind.
process.once('exit', () => servers.forEach((s) => s.kill('SIGKILL')));

/** Starts a moto server for `accountId` on a free loopback port and waits until it answers. */
export async function startMoto(accountId: string): Promise<MotoServer> {
  motoVersion();
  const port = await freePort();
  const endpoint = `http://127.0.0.1:${port}`;
  const server = spawn(motoPython(), ['-m', 'moto.server', '-H', '127.0.0.1', '-p', String(port)], {
    env: { ...process.env, MOTO_ACCOUNT_ID: accountId, MOTO_IAM_LOAD_MANAGED_POLICIES: 'true', PYTHONUNBUFFERED: '1' },
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
      await within(10_000, 'moto stop', exited).catch(() => server.kill('SIGKILL'));
    }
    servers.delete(server);
  };
  try {
    await until(STARTUP_MS, `moto on port ${port}`, async () => {
      if (server.exitCode !== null) throw new Error(`moto exited with ${server.exitCode}`);
      return fetch(`${endpoint}/moto-api/`).then(
        (r) => r.ok,
        () => false,
      );
    }, 200);
  } catch (error) {
    await stop();
    throw new Error(`${(error as Error).message}; moto log:\n${log.slice(-4000)}`);
  }
  return { endpoint, accountId, log: () => log, stop };
}
