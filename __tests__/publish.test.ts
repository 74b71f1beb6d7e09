/**
 * `npm run publish` against local servers: s3rver for S3, moto for CloudFront and STS (loopback only). The
 * real command (node scripts/app.mjs scripts/publish.ts) publishes a build twice and the test reads what it
 * left: every file with its Content-Type and Cache-Control, the stale file of the first build gone only after
 * the second is up, and an invalidation of the entry page on the front-end's distribution.
 */
import { execFile } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { CloudFrontClient, CreateDistributionCommand, GetInvalidationCommand, ListInvalidationsCommand } from '@aws-sdk/client-cloudfront';
import { HeadObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { platform } from '../config/environments';
import { validateConfig } from '../config/validate';
import { IMMUTABLE, REVALIDATE, SHORT, cacheControlFor, contentTypeFor, plannedUploads, resolveTarget } from '../publish';
import { startMoto, type MotoServer } from '../harness/moto';
import { TEST_ACCESS_KEY, TEST_SECRET_KEY, startS3, type S3Service } from './support/local-services';

// Each test runs the real command (a node process, the SDK loading): more than Jest's default 5 s on a busy machine.
jest.setTimeout(120_000);

const config = validateConfig(platform);
/** The first environment with a front-end, and that front-end (the test follows the config). */
const env = config.environments.find((e) => e.frontends.length > 0)!;
const frontend = env.frontends[0];
const { bucket } = resolveTarget(config, { environment: env.name, frontend: frontend.name, dir: '.' });
const root = join(__dirname, '..');

let s3: S3Service;
let moto: MotoServer;
let work: string;
let distributionId: string;
const credentials = { accessKeyId: TEST_ACCESS_KEY, secretAccessKey: TEST_SECRET_KEY };

function build(name: string, files: Record<string, string>): string {
  const dir = join(work, name);
  for (const [file, content] of Object.entries(files)) {
    mkdirSync(dirname(join(dir, file)), { recursive: true });
    writeFileSync(join(dir, file), content);
  }
  return dir;
}

/** The real command, asynchronously: s3rver runs in this process and must go on answering meanwhile. */
function runPublish(...args: string[]): Promise<{ status: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      ['scripts/app.mjs', 'scripts/publish.ts', ...args],
      { cwd: root, encoding: 'utf8', timeout: 120_000, env: publishEnv() },
      (error, stdout, stderr) => resolve({ status: error ? (typeof error.code === 'number' ? error.code : null) : 0, stdout, stderr }),
    );
  });
}

function publishEnv(): NodeJS.ProcessEnv {
  return {
    ...process.env,
    AWS_ACCESS_KEY_ID: TEST_ACCESS_KEY,
    AWS_SECRET_ACCESS_KEY: TEST_SECRET_KEY,
    AWS_ENDPOINT_URL_S3: s3.endpoint,
    AWS_ENDPOINT_URL_CLOUDFRONT: moto.endpoint,
    AWS_ENDPOINT_URL_STS: moto.endpoint,
    AWS_EC2_METADATA_DISABLED: 'true',
    // The SDK's notice that its 2027 releases need Node 22 (README, upgrade notes); not this test's subject.
    AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
    AWS_PROFILE: '',
  };
}

beforeAll(async () => {
  work = mkdtempSync(join(tmpdir(), 'publish-'));
  [s3, moto] = await Promise.all([startS3([bucket]), startMoto(env.accountId)]);
  // The distribution the stack would have made: its origin is the front-end's bucket.
  const cloudFront = new CloudFrontClient({ region: 'us-east-1', endpoint: moto.endpoint, credentials });
  const created = await cloudFront.send(
    new CreateDistributionCommand({
      DistributionConfig: {
        CallerReference: 'publish-test',
        Comment: 'publish test',
        Enabled: true,
        Origins: {
          Quantity: 1,
          Items: [{ Id: 'files', DomainName: `${bucket}.s3.${env.region}.amazonaws.com`, S3OriginConfig: { OriginAccessIdentity: '' } }],
        },
        DefaultCacheBehavior: {
          TargetOriginId: 'files',
          ViewerProtocolPolicy: 'redirect-to-https',
          CachePolicyId: '658327ea-f89d-4fab-a63d-7e88639e58f6',
        },
      },
    }),
  );
  distributionId = created.Distribution!.Id!;
}, 90_000);

afterAll(async () => {
  await Promise.all([s3?.stop(), moto?.stop()]);
  rmSync(work, { recursive: true, force: true });
}, 30_000);

describe('what each file is stored with', () => {
  it.each([
    ['index.html', 'text/html; charset=utf-8', REVALIDATE],
    ['main-7QWRT2PX.js', 'text/javascript; charset=utf-8', IMMUTABLE],
    ['styles-5INURTSO.css', 'text/css; charset=utf-8', IMMUTABLE],
    ['media/logo-ABCD1234.png', 'image/png', IMMUTABLE],
    ['main.3f2a9c1b7d5e8a60.js', 'text/javascript; charset=utf-8', IMMUTABLE],
    ['favicon.ico', 'image/vnd.microsoft.icon', SHORT],
    ['assets/config.json', 'application/json; charset=utf-8', REVALIDATE],
    ['bootstrap.component.js', 'text/javascript; charset=utf-8', SHORT],
    ['fonts/inter-V8KLA2Q1.woff2', 'font/woff2', IMMUTABLE],
    ['LICENSE-NOTES', 'application/octet-stream', SHORT],
  ])('%s: %s, %s', (key, type, cache) => {
    expect(contentTypeFor(key)).toBe(type);
    expect(cacheControlFor(key)).toBe(cache);
  });

  it('uploads the entry pages last, index.html the very last', () => {
    const dir = build('order', {
      'index.html': '<html></html>',
      'about.html': 'a',
      'main-7QWRT2PX.js': 'x',
      'z-last-alphabetically.css': 'y',
    });
    expect(plannedUploads(dir).map((u) => u.key)).toEqual(['main-7QWRT2PX.js', 'z-last-alphabetically.css', 'about.html', 'index.html']);
  });
});

describe(`npm run publish -- ${env.name} ${frontend.name} <dir>`, () => {
  const head = (key: string) =>
    new S3Client({ region: env.region, endpoint: s3.endpoint, forcePathStyle: true, credentials }).send(
      new HeadObjectCommand({ Bucket: bucket, Key: key }),
    );

  it('publishes a build, then replaces it: new files up, stale ones deleted after, the entry page invalidated', async () => {
    const first = build('first', {
      'index.html': '<script src="main-AAAA1111.js"></script>',
      'main-AAAA1111.js': 'one',
      'favicon.ico': 'ico',
    });
    const one = await runPublish(env.name, frontend.name, first);
    expect({ code: one.status, stderr: one.stderr }).toEqual({ code: 0, stderr: '' });
    expect(s3.keys(bucket)).toEqual(['favicon.ico', 'index.html', 'main-AAAA1111.js']);

    const second = build('second', {
      'index.html': '<script src="main-BBBB2222.js"></script>',
      'main-BBBB2222.js': 'two',
      'favicon.ico': 'ico',
      'media/logo-CCCC3333.svg': '<svg/>',
    });
    const two = await runPublish(env.name, frontend.name, second);
    expect({ code: two.status, stderr: two.stderr }).toEqual({ code: 0, stderr: '' });
    expect(two.stdout).toContain(`publish: uploaded 4 files to s3://${bucket}`);
    expect(two.stdout).toContain('publish: deleted 1 files the new build no longer has');
    expect(s3.keys(bucket)).toEqual(['favicon.ico', 'index.html', 'main-BBBB2222.js', 'media/logo-CCCC3333.svg']);
    expect(s3.readObject(bucket, 'index.html')).toBe('<script src="main-BBBB2222.js"></script>');

    expect(await head('index.html')).toMatchObject({ ContentType: 'text/html; charset=utf-8', CacheControl: 'no-cache' });
    expect(await head('main-BBBB2222.js')).toMatchObject({ ContentType: 'text/javascript; charset=utf-8', CacheControl: IMMUTABLE });
    expect(await head('media/logo-CCCC3333.svg')).toMatchObject({ ContentType: 'image/svg+xml', CacheControl: IMMUTABLE });

    // One invalidation per publish, on the front-end's distribution, of the entry page.
    const cloudFront = new CloudFrontClient({ region: 'us-east-1', endpoint: moto.endpoint, credentials });
    const list = await cloudFront.send(new ListInvalidationsCommand({ DistributionId: distributionId }));
    expect(list.InvalidationList?.Quantity).toBe(2);
    for (const { Id } of list.InvalidationList?.Items ?? []) {
      const { Invalidation } = await cloudFront.send(new GetInvalidationCommand({ DistributionId: distributionId, Id }));
      expect(Invalidation?.InvalidationBatch?.Paths?.Items).toEqual(['/index.html', '/']);
    }
  }, 180_000);

  it('refuses an unknown front-end, naming the ones there are, and changes nothing', async () => {
    const run = await runPublish(env.name, 'nosuch', join(work, 'second'));
    expect(run.status).toBe(1);
    expect(run.stderr).toBe(
      `publish: environment "${env.name}" has no front-end "nosuch" (front-ends: ${env.frontends.map((f) => f.name).join(', ')})\n`,
    );
  });

  it('refuses a directory without index.html', async () => {
    const dir = build('no-index', { 'main-AAAA1111.js': 'x' });
    const run = await runPublish(env.name, frontend.name, dir);
    expect(run.status).toBe(1);
    expect(run.stderr).toBe(`publish: ${dir}: no index.html (the distribution's default root object); is this the build output?\n`);
  });

  it('refuses wrong arguments with the usage', async () => {
    const run = await runPublish(env.name, frontend.name);
    expect(run.status).toBe(2);
    expect(run.stderr).toBe(
      'publish: expected 3 arguments, got 2; usage: npm run publish -- <environment> <frontend> <build dir> [--distribution-id <id>]\n',
    );
  });
});
