/**
 * Publishing a built front-end (`npm run publish -- <env> <frontend> <dir>`): every file of the build goes to
 * the front-end's bucket with its Content-Type and a Cache-Control that suits it, the entry page last, then
 * the files the new build no longer has are deleted, and CloudFront is told to drop its copy of the entry page.
 * A visitor therefore never gets an entry page that names files not yet uploaded, nor loses a file an open
 * page still asks for before the new build is complete.
 *
 * AWS SDK v3 clients, credentials from the standard chain; endpoints from the SDK's own `AWS_ENDPOINT_URL_*`
 * variables (the tests point them at local servers). The caller's account must be the environment's, as the
 * stacks' provider requires.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, posix, relative, sep } from 'node:path';
import {
  CloudFrontClient,
  CreateInvalidationCommand,
  GetDistributionConfigCommand,
  paginateListDistributions,
} from '@aws-sdk/client-cloudfront';
import { DeleteObjectsCommand, paginateListObjectsV2, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { GetCallerIdentityCommand, STSClient } from '@aws-sdk/client-sts';
import { contentType } from 'mime-types';
import { CLOUDFRONT_REGION } from '../config/catalog';
import type { EnvironmentConfig, FrontendConfig, PlatformConfig } from '../config/types';
import { names, prefixOf } from '../naming';

/** Thrown for anything the user can fix (unknown names, a missing build, another account); the message says what. */
export class PublishError extends Error {
  override readonly name = 'PublishError';
}

/** Cache-Control of files whose name carries a content hash: they never change under that name. */
export const IMMUTABLE = 'public, max-age=31536000, immutable';
/** Cache-Control of entry pages and configuration files: revalidate every time. */
export const REVALIDATE = 'no-cache';
/** Cache-Control of any other file (icons, unhashed images): an hour. */
export const SHORT = 'public, max-age=3600';

/**
 * A content hash before the extension, as Angular (`main-7QWRT2PX.js`, `media/logo-ABCD1234.png`), Vite and
 * webpack (`main.3f2a9c1b7d5e8a60.js`) write it: 8 or more letters and digits with at least one digit.
 */
const HASHED = /[.-](?=[A-Za-z0-9]*\d)[A-Za-z0-9]{8,}\.[A-Za-z0-9]+$/;
/** Files a browser must always fetch fresh. */
const ALWAYS_FRESH = /\.(html?|json|webmanifest|txt|xml)$/i;

/** The Cache-Control header of the file at `key`. */
export function cacheControlFor(key: string): string {
  const file = posix.basename(key);
  if (ALWAYS_FRESH.test(file)) return REVALIDATE;
  return HASHED.test(file) ? IMMUTABLE : SHORT;
}

/** The Content-Type of the file at `key` (with a charset for text), or a generic binary type. */
export function contentTypeFor(key: string): string {
  return contentType(posix.basename(key)) || 'application/octet-stream';
}

/** One file of the build and how it is stored. */
export interface Upload {
  readonly key: string;
  readonly path: string;
  readonly contentType: string;
  readonly cacheControl: string;
}

/** Every file under `dir` as an upload, entry pages (`*.html`) after everything else, `index.html` last. */
export function plannedUploads(dir: string): Upload[] {
  const files = (readdirSync(dir, { recursive: true }) as string[]).filter((f) => statSync(join(dir, f)).isFile());
  const uploads = files.map((f) => {
    const key = relative(dir, join(dir, f)).split(sep).join('/');
    return { key, path: join(dir, f), contentType: contentTypeFor(key), cacheControl: cacheControlFor(key) };
  });
  const rank = (u: Upload) => (u.key === 'index.html' ? 2 : /\.html?$/i.test(u.key) ? 1 : 0);
  return uploads.sort((a, b) => rank(a) - rank(b) || (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
}

export interface PublishRequest {
  readonly environment: string;
  readonly frontend: string;
  /** The built app, e.g. `dist/site/browser`. */
  readonly dir: string;
  /** The distribution to invalidate. @default - the one whose origin is the front-end's bucket */
  readonly distributionId?: string;
}

export interface PublishResult {
  readonly bucket: string;
  readonly distributionId: string;
  readonly uploaded: readonly Upload[];
  readonly deleted: readonly string[];
  readonly invalidationId: string;
  readonly invalidatedPaths: readonly string[];
}

/** Paths invalidated after a publish: the entry page, under its name and as the default root object. */
export const INVALIDATED_PATHS = ['/index.html', '/'];

/** The SDK clients a publish uses (made from the environment by default). */
export interface PublishClients {
  readonly s3: S3Client;
  readonly cloudFront: CloudFrontClient;
  readonly sts: STSClient;
}

export function defaultClients(env: EnvironmentConfig): PublishClients {
  return {
    s3: new S3Client({ region: env.region }),
    cloudFront: new CloudFrontClient({ region: CLOUDFRONT_REGION }),
    sts: new STSClient({ region: env.region }),
  };
}

/** The environment and front-end a request names, or a PublishError listing the ones there are. */
export function resolveTarget(
  config: PlatformConfig,
  request: PublishRequest,
): { env: EnvironmentConfig; frontend: FrontendConfig; bucket: string } {
  const env = config.environments.find((e) => e.name === request.environment);
  if (!env)
    throw new PublishError(
      `no environment "${request.environment}" in the config (environments: ${config.environments.map((e) => e.name).join(', ')})`,
    );
  const frontend = env.frontends.find((f) => f.name === request.frontend);
  if (!frontend) {
    const known = env.frontends.map((f) => f.name);
    throw new PublishError(
      `environment "${env.name}" has no front-end "${request.frontend}" (${known.length > 0 ? `front-ends: ${known.join(', ')}` : 'it has none: add one under frontends'})`,
    );
  }
  return { env, frontend, bucket: names.frontendBucket(prefixOf(config.project, env.name), frontend.name, env.accountId, env.region) };
}

/** The id of the distribution whose origin is `bucket` (its regional domain name). */
async function distributionOf(cloudFront: CloudFrontClient, bucket: string, region: string): Promise<string> {
  const origin = `${bucket}.s3.${region}.amazonaws.com`;
  for await (const page of paginateListDistributions({ client: cloudFront }, {})) {
    for (const d of page.DistributionList?.Items ?? []) {
      // A summary lists the origins; one that does not (an emulator's) is read in full.
      const origins =
        d.Origins?.Items ??
        (await cloudFront.send(new GetDistributionConfigCommand({ Id: d.Id }))).DistributionConfig?.Origins?.Items ??
        [];
      if (d.Id && origins.some((o) => o.DomainName === origin)) return d.Id;
    }
  }
  throw new PublishError(`no CloudFront distribution has the origin ${origin}: deploy the stack first (or pass --distribution-id)`);
}

/** Runs `work` on every item, at most `limit` at a time. */
async function eachLimited<T>(items: readonly T[], limit: number, work: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(limit, items.length) }, async () => {
      while (next < items.length) await work(items[next++]);
    }),
  );
}

/** Publishes the build in `request.dir` to its front-end (see the module comment for the order of things). */
export async function publish(
  config: PlatformConfig,
  request: PublishRequest,
  clients?: PublishClients,
  log: (line: string) => void = () => undefined,
): Promise<PublishResult> {
  const { env, bucket } = resolveTarget(config, request);
  let isDirectory = false;
  try {
    isDirectory = statSync(request.dir).isDirectory();
  } catch {
    // reported below
  }
  if (!isDirectory) throw new PublishError(`${request.dir}: not a directory (give the build output, e.g. dist/<app>/browser)`);
  const uploads = plannedUploads(request.dir);
  if (!uploads.some((u) => u.key === 'index.html'))
    throw new PublishError(`${request.dir}: no index.html (the distribution's default root object); is this the build output?`);
  const { s3, cloudFront, sts } = clients ?? defaultClients(env);

  const caller = await sts.send(new GetCallerIdentityCommand({}));
  if (caller.Account !== env.accountId) {
    throw new PublishError(
      `the credentials are for account ${caller.Account}, environment "${env.name}" is in ${env.accountId}: use the credentials of that account`,
    );
  }
  const distributionId = request.distributionId ?? (await distributionOf(cloudFront, bucket, env.region));

  const before = new Set<string>();
  for await (const page of paginateListObjectsV2({ client: s3 }, { Bucket: bucket }))
    for (const o of page.Contents ?? []) if (o.Key) before.add(o.Key);

  // Everything but the entry pages first (in parallel), then the entry pages, index.html last.
  const assets = uploads.filter((u) => !/\.html?$/i.test(u.key));
  const put = (u: Upload) =>
    s3
      .send(
        new PutObjectCommand({
          Bucket: bucket,
          Key: u.key,
          Body: readFileSync(u.path),
          ContentType: u.contentType,
          CacheControl: u.cacheControl,
        }),
      )
      .then(() => undefined);
  await eachLimited(assets, 8, put);
  for (const u of uploads.filter((x) => /\.html?$/i.test(x.key))) await put(u);
  log(`uploaded ${uploads.length} files to s3://${bucket}`);

  const keep = new Set(uploads.map((u) => u.key));
  const stale = [...before].filter((k) => !keep.has(k)).sort();
  for (let i = 0; i < stale.length; i += 1000) {
    const batch = stale.slice(i, i + 1000);
    const result = await s3.send(
      new DeleteObjectsCommand({ Bucket: bucket, Delete: { Objects: batch.map((Key) => ({ Key })), Quiet: true } }),
    );
    if ((result.Errors ?? []).length > 0)
      throw new PublishError(`could not delete ${result.Errors!.map((e) => `${e.Key} (${e.Code})`).join(', ')}`);
  }
  if (stale.length > 0) log(`deleted ${stale.length} files the new build no longer has`);

  const invalidation = await cloudFront.send(
    new CreateInvalidationCommand({
      DistributionId: distributionId,
      InvalidationBatch: {
        CallerReference: `publish-${request.frontend}-${Date.now()}`,
        Paths: { Quantity: INVALIDATED_PATHS.length, Items: [...INVALIDATED_PATHS] },
      },
    }),
  );
  const invalidationId = invalidation.Invalidation?.Id ?? '';
  log(`invalidated ${INVALIDATED_PATHS.join(' and ')} on distribution ${distributionId} (${invalidationId})`);
  return { bucket, distributionId, uploaded: uploads, deleted: stale, invalidationId, invalidatedPaths: INVALIDATED_PATHS };
}
