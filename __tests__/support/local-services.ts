/**
 * Loopback stand-ins for the state backends, started and stopped by the remote-state tests themselves:
 * an S3-protocol server (s3rver), a DynamoDB-protocol server (dynalite) and a throwaway PostgreSQL
 * cluster (initdb + postgres). Each listens on 127.0.0.1 on a free port, starts within a bounded time or
 * fails with a clear message, and is stopped (and its files removed) by `stop()`, which never throws.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { chownSync, existsSync, mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { freePort } from '../../harness/net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import dynalite from 'dynalite';
import S3rver from 's3rver';

/** Rejects when `promise` has not settled within `ms`. */
export async function within<T>(ms: number, what: string, promise: Promise<T>): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what}: no result within ${ms} ms`)), ms);
  });
  try {
    return await Promise.race([promise, timeout]);
  } finally {
    clearTimeout(timer);
  }
}

/** Polls `probe` every `intervalMs` until it returns true; rejects after `ms`. */
export async function until(ms: number, what: string, probe: () => boolean | Promise<boolean>, intervalMs = 50): Promise<void> {
  const deadline = Date.now() + ms;
  for (;;) {
    if (await probe()) return;
    if (Date.now() > deadline) throw new Error(`${what}: not seen within ${ms} ms`);
    await new Promise((resolve) => setTimeout(resolve, intervalMs));
  }
}

export { freePort };

const STARTUP_MS = 30_000;

/** Credentials s3rver checks signatures against (its built-in account); dynalite accepts any. */
export const TEST_ACCESS_KEY = 'S3RVER';
export const TEST_SECRET_KEY = 'S3RVER';

export interface S3Service {
  readonly endpoint: string;
  /** Whether the object exists (read from s3rver's store on disk). */
  hasObject(bucket: string, key: string): boolean;
  /** The object's content, or undefined. */
  readObject(bucket: string, key: string): string | undefined;
  /** Every key of a bucket. */
  keys(bucket: string): string[];
  stop(): Promise<void>;
}

/** s3rver on a free loopback port with `buckets` created, storing under a fresh temp directory. */
export async function startS3(buckets: readonly string[]): Promise<S3Service> {
  const directory = mkdtempSync(join(tmpdir(), 's3rver-'));
  const server = new S3rver({
    address: '127.0.0.1',
    port: 0,
    silent: true,
    directory,
    configureBuckets: buckets.map((name) => ({ name })),
  });
  let address: AddressInfo;
  try {
    address = await within(STARTUP_MS, 's3rver start', server.run());
  } catch (error) {
    rmSync(directory, { recursive: true, force: true });
    throw error;
  }
  const objectPath = (bucket: string, key: string) => join(directory, bucket, `${key}._S3rver_object`);
  return {
    endpoint: `http://127.0.0.1:${address.port}`,
    hasObject: (bucket, key) => existsSync(objectPath(bucket, key)),
    readObject: (bucket, key) => (existsSync(objectPath(bucket, key)) ? readFileSync(objectPath(bucket, key), 'utf8') : undefined),
    keys: (bucket) =>
      (readdirSync(join(directory, bucket), { recursive: true }) as string[])
        .filter((f) => f.endsWith('._S3rver_object'))
        .map((f) => f.slice(0, -'._S3rver_object'.length))
        .sort(),
    stop: async () => {
      await within(10_000, 's3rver stop', server.close()).catch(() => undefined);
      rmSync(directory, { recursive: true, force: true });
    },
  };
}

export interface DynamoService {
  readonly endpoint: string;
  /** One DynamoDB API call (`GetItem`, `PutItem`, …); resolves with the parsed response, rejects on an error response. */
  call(operation: string, body: Record<string, unknown>): Promise<Record<string, any>>;
  /** The string attributes of the item whose `LockID` is `lockId`, or undefined. */
  lockItem(table: string, lockId: string): Promise<Record<string, string> | undefined>;
  /** Every `LockID` in the table. */
  lockIds(table: string): Promise<string[]>;
  stop(): Promise<void>;
}

/** dynalite (in memory) on a free loopback port, with a Terraform lock table (`LockID`) per name in `tables`. */
export async function startDynamo(tables: readonly string[]): Promise<DynamoService> {
  const server = dynalite({ createTableMs: 0, deleteTableMs: 0, updateTableMs: 0 });
  await within(
    STARTUP_MS,
    'dynalite start',
    new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(0, '127.0.0.1', () => resolve());
    }),
  );
  const endpoint = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const stop = () =>
    within(
      10_000,
      'dynalite stop',
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
    ).catch(() => undefined);

  const call = async (operation: string, body: Record<string, unknown>) => {
    const response = await within(
      10_000,
      `DynamoDB ${operation}`,
      fetch(endpoint, {
        method: 'POST',
        headers: {
          'Content-Type': 'application/x-amz-json-1.0',
          'X-Amz-Target': `DynamoDB_20120810.${operation}`,
          'X-Amz-Date': '20250101T000000Z',
          // dynalite checks the header's shape, not the signature.
          Authorization: `AWS4-HMAC-SHA256 Credential=${TEST_ACCESS_KEY}/20250101/eu-west-1/dynamodb/aws4_request, SignedHeaders=host;x-amz-date;x-amz-target, Signature=0`,
        },
        body: JSON.stringify(body),
      }),
    );
    const parsed = (await response.json()) as Record<string, any>;
    if (!response.ok) throw new Error(`DynamoDB ${operation} failed (${response.status}): ${JSON.stringify(parsed)}`);
    return parsed;
  };
  try {
    for (const TableName of tables) {
      await call('CreateTable', {
        TableName,
        AttributeDefinitions: [{ AttributeName: 'LockID', AttributeType: 'S' }],
        KeySchema: [{ AttributeName: 'LockID', KeyType: 'HASH' }],
        BillingMode: 'PAY_PER_REQUEST',
      });
      await until(
        10_000,
        `table ${TableName} active`,
        async () => (await call('DescribeTable', { TableName })).Table.TableStatus === 'ACTIVE',
      );
    }
  } catch (error) {
    await stop();
    throw error;
  }
  return {
    endpoint,
    call,
    lockItem: async (table, lockId) => {
      const { Item } = await call('GetItem', { TableName: table, Key: { LockID: { S: lockId } }, ConsistentRead: true });
      return Item ? Object.fromEntries(Object.entries(Item as Record<string, { S: string }>).map(([k, v]) => [k, v.S])) : undefined;
    },
    lockIds: async (table) => {
      const { Items } = await call('Scan', { TableName: table, ConsistentRead: true });
      return (Items as { LockID: { S: string } }[]).map((i) => i.LockID.S).sort();
    },
    stop,
  };
}

export interface PostgresService {
  /** For PG_CONN_STR (trust authentication on loopback, no password). */
  readonly connectionString: string;
  /** Runs `sql` with psql; resolves with its unaligned, tuples-only output. */
  query(sql: string): string;
  /**
   * Opens a psql session that runs `sql` and stays connected (holding, e.g., an advisory lock) until
   * the returned function is called.
   */
  holdSession(sql: string): Promise<() => Promise<void>>;
  stop(): Promise<void>;
}

/** initdb and postgres: PG_BIN_DIR, else the newest /usr/lib/postgresql/<v>/bin, else PATH. */
export function postgresBinDir(): string {
  const candidates = [
    process.env.PG_BIN_DIR,
    ...(existsSync('/usr/lib/postgresql')
      ? readdirSync('/usr/lib/postgresql')
          .filter((v) => /^\d+$/.test(v))
          .sort((a, b) => Number(b) - Number(a))
          .map((v) => `/usr/lib/postgresql/${v}/bin`)
      : []),
    ...(process.env.PATH ?? '').split(':'),
  ].filter((d): d is string => !!d);
  const dir = candidates.find((d) => ['initdb', 'postgres', 'psql'].every((b) => existsSync(join(d, b))));
  if (!dir) {
    throw new Error(
      'PostgreSQL server binaries (initdb, postgres, psql) were not found in PG_BIN_DIR, /usr/lib/postgresql/<version>/bin or PATH. ' +
        "Install Debian's PostgreSQL (apt-get install -y postgresql; scripts/ci-deps.sh does it) or set PG_BIN_DIR.",
    );
  }
  return dir;
}

/** PostgreSQL refuses to run as root: as root, run it as the `postgres` user (or `nobody`). */
function serverUser(): { uid: number; gid: number } | undefined {
  if (process.getuid?.() !== 0) return undefined;
  const passwd = readFileSync('/etc/passwd', 'utf8')
    .split('\n')
    .map((l) => l.split(':'));
  const entry = passwd.find((f) => f[0] === 'postgres') ?? passwd.find((f) => f[0] === 'nobody');
  if (!entry) throw new Error('running as root and no "postgres" or "nobody" user to run PostgreSQL as');
  return { uid: Number(entry[2]), gid: Number(entry[3]) };
}

const children = new Set<ChildProcess>();
// A test run that dies before its afterAll must not leave a server behind.
process.once('exit', () => children.forEach((c) => c.kill('SIGKILL')));

/** A fresh PostgreSQL cluster in a temp directory, listening on 127.0.0.1 only, fsync off (throwaway data). */
export async function startPostgres(): Promise<PostgresService> {
  const bin = postgresBinDir();
  const user = serverUser();
  const dir = mkdtempSync(join(tmpdir(), 'pg-'));
  if (user) chownSync(dir, user.uid, user.gid);
  const data = join(dir, 'data');
  const as = user ?? {};
  const init = spawnSync(
    join(bin, 'initdb'),
    ['-D', data, '-U', 'postgres', '-A', 'trust', '-E', 'UTF8', '--no-sync', '--no-instructions'],
    {
      ...as,
      encoding: 'utf8',
      timeout: 60_000,
    },
  );
  if (init.status !== 0) {
    rmSync(dir, { recursive: true, force: true });
    throw new Error(`initdb failed (${init.error?.message ?? `exit ${init.status}`}): ${init.stderr}`);
  }
  const port = await freePort();
  const server = spawn(
    join(bin, 'postgres'),
    ['-D', data, '-h', '127.0.0.1', '-p', String(port), '-k', dir, '-c', 'fsync=off', '-c', 'full_page_writes=off'],
    {
      ...as,
      stdio: ['ignore', 'ignore', 'pipe'],
    },
  );
  children.add(server);
  let log = '';
  server.stderr?.on('data', (chunk: Buffer) => (log += chunk.toString()));
  const exited = new Promise<void>((resolve) => server.once('exit', () => resolve()));

  const psqlArgs = ['-h', '127.0.0.1', '-p', String(port), '-U', 'postgres', '-d', 'postgres', '-X', '-q', '-At', '-v', 'ON_ERROR_STOP=1'];
  const query = (sql: string): string => {
    const run = spawnSync(join(bin, 'psql'), [...psqlArgs, '-c', sql], { encoding: 'utf8', timeout: 30_000 });
    if (run.status !== 0) throw new Error(`psql -c ${JSON.stringify(sql)} failed: ${run.error?.message ?? run.stderr}`);
    return run.stdout.trim();
  };
  const stop = async () => {
    server.kill('SIGINT'); // fast shutdown
    await within(10_000, 'postgres stop', exited).catch(() => server.kill('SIGKILL'));
    children.delete(server);
    rmSync(dir, { recursive: true, force: true });
  };
  try {
    await until(
      STARTUP_MS,
      `postgres on port ${port}`,
      () => {
        if (server.exitCode !== null) throw new Error(`postgres exited with ${server.exitCode}`);
        return spawnSync(join(bin, 'psql'), [...psqlArgs, '-c', 'select 1'], { timeout: 5_000 }).status === 0;
      },
      100,
    );
  } catch (error) {
    await stop();
    throw new Error(`${(error as Error).message}; postgres log:\n${log}`);
  }

  const holdSession = async (sql: string) => {
    const session = spawn(join(bin, 'psql'), psqlArgs, { stdio: ['pipe', 'pipe', 'pipe'] });
    children.add(session);
    let out = '';
    session.stdout.on('data', (chunk: Buffer) => (out += chunk.toString()));
    session.stderr.on('data', (chunk: Buffer) => (out += chunk.toString()));
    const ended = new Promise<void>((resolve) => session.once('exit', () => resolve()));
    session.stdin.write(`${sql};\n\\echo held\n`);
    await until(10_000, `psql session running ${sql} (output: ${out})`, () => out.includes('held'));
    return async () => {
      session.stdin.end();
      await within(10_000, 'psql session end', ended).catch(() => session.kill('SIGKILL'));
      children.delete(session);
    };
  };

  return { connectionString: `postgres://postgres@127.0.0.1:${port}/postgres?sslmode=disable`, query, holdSession, stop };
}
