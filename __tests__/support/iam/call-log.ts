/**
 * Reads the AWS calls Terraform made from its JSON log (`TF_LOG=JSON TF_LOG_CORE=DEBUG
 * TF_LOG_PROVIDER=DEBUG TF_LOG_PATH=<file>`, one file per terraform process). The provider's HTTP
 * middleware (hashicorp/aws-sdk-go-base `logging/tf_logger.go`) writes one `HTTP Request Sent` entry per
 * attempt and one `HTTP Response Received` entry per answer; the S3 backend logs the same way under
 * `@module` `backend-s3`, and both log their STS GetCallerIdentity under `<module>.aws-base`.
 *
 * Pairing: a response names no invocation id, so it is matched to the oldest open request with the same
 * module, Terraform request id (`tf_req_id`, the backend's `tf_backend.req_id`), service and operation. An
 * attempt that failed before any answer (a dropped connection) has no response of its own: the next
 * attempt repeats its `amz-sdk-invocation-id`, which closes it as `retried`.
 *
 * Terraform core splits a provider log line longer than 64 KiB (a request with a large one-line body) into
 * 65,536-character pieces, each logged as a raw `@message` of the provider's module; they are joined back
 * (logEntries). Nothing is dropped silently: pieces that do not join are returned as `unreadable`, a
 * response with no open request (its request entry lost, research/iam-simulate.md B) in
 * `orphanResponses`, and a line that is not JSON, or an HTTP entry of an unknown module, throws with its
 * file and line.
 */
import { readFileSync } from 'node:fs';

/** Which client made the call: the AWS provider, or Terraform's S3 state backend. */
export type CallModule = 'aws' | 'backend-s3';

/** The answer to a request, as logged (the body is cut at 4 KiB by the logger). */
export interface RecordedResponse {
  readonly status: number;
  readonly body: string;
  readonly line: number;
}

/** One HTTP attempt Terraform made to AWS, with its response when one was logged. */
export interface RecordedCall {
  readonly module: CallModule;
  /** `@module` as logged: `aws`, `aws.aws-base`, `backend-s3`, `backend-s3.aws-base`. */
  readonly logModule: string;
  /** SDK service id (`rpc.service`): `EC2`, `S3`, `Elastic Load Balancing v2`, `CloudWatch Logs`… */
  readonly service: string;
  /** SDK operation (`rpc.method`): `CreateVpc`, `ListObjectsV2`… */
  readonly operation: string;
  /** The client's region (`aws.region`); global services log it too, AWS sees us-east-1 (see requests.ts). */
  readonly region: string;
  /** `tf_resource_type` (or `tf_data_source_type`) of the provider call; undefined for the backend. */
  readonly resourceType?: string;
  /**
   * `tf_rpc` (`ApplyResourceChange`, `PlanResourceChange`, `ReadResource`, `ReadDataSource`,
   * `ConfigureProvider`), or the backend's `tf_backend.operation` (`Lock`, `Put`…).
   */
  readonly tfRpc?: string;
  /** `tf_req_id` / `tf_backend.req_id`: calls of one Terraform RPC share it. */
  readonly requestId?: string;
  /** `amz-sdk-invocation-id`: shared by the attempts of one SDK call. */
  readonly invocationId?: string;
  /** Attempt number of the SDK call (`amz-sdk-request: attempt=N`). */
  readonly attempt: number;
  readonly method: string;
  readonly url: string;
  /** Request headers as logged (`http.request.header.x_amz_target` → `x_amz_target`), authorization left out. */
  readonly headers: Readonly<Record<string, string>>;
  /** Request body as logged, without the trailing newline and truncation marker; S3 object bodies are `[Redacted: …]`. */
  readonly body: string;
  /**
   * The logger cut the body (`[truncated...]`). It reads line by line and keeps the whole first line, so a
   * one-line body (every query, JSON and XML body Terraform sends) is still complete.
   */
  readonly bodyTruncated: boolean;
  /** `aws.s3.bucket` / `aws.s3.key` of S3 calls. */
  readonly s3?: { readonly bucket?: string; readonly key?: string };
  readonly response?: RecordedResponse;
  /** No response, and a later attempt of the same SDK call followed (the attempt failed in transport). */
  readonly retried: boolean;
  readonly file: string;
  readonly line: number;
  readonly timestamp: string;
}

/** A response whose request entry is missing from the log. */
export interface OrphanResponse {
  readonly module: CallModule;
  readonly logModule: string;
  readonly service: string;
  readonly operation: string;
  readonly region: string;
  readonly resourceType?: string;
  readonly tfRpc?: string;
  readonly requestId?: string;
  readonly status: number;
  readonly body: string;
  readonly file: string;
  readonly line: number;
  readonly timestamp: string;
}

/** Log text that should have held an entry and could not be read (never dropped silently). */
export interface UnreadableEntry {
  readonly file: string;
  readonly line: number;
  readonly reason: string;
}

/** Everything a log says about AWS calls. */
export interface CallLog {
  readonly calls: readonly RecordedCall[];
  /** Responses no request entry precedes: their request (and its parameters) is unknown. */
  readonly orphanResponses: readonly OrphanResponse[];
  /** Pieces of a split provider line that did not join into an entry (a request may be among them). */
  readonly unreadable: readonly UnreadableEntry[];
}

const REQUEST = 'HTTP Request Sent';
const RESPONSE = 'HTTP Response Received';

/** Reads one Terraform JSON log file. */
export function readCallLog(path: string): CallLog {
  return parseCallLog(readFileSync(path, 'utf8'), path);
}

/** Reads several log files (one per terraform process) into one list, file by file. */
export function readCallLogs(paths: readonly string[]): CallLog {
  const logs = paths.map(readCallLog);
  return {
    calls: logs.flatMap((l) => l.calls),
    orphanResponses: logs.flatMap((l) => l.orphanResponses),
    unreadable: logs.flatMap((l) => l.unreadable),
  };
}

/** Parses the text of one Terraform JSON log; `file` names it in messages. */
export function parseCallLog(text: string, file = '<log>'): CallLog {
  const calls: { -readonly [K in keyof RecordedCall]: RecordedCall[K] }[] = [];
  const orphanResponses: OrphanResponse[] = [];
  /** Open requests (index into `calls`) by module, Terraform request id, service and operation. */
  const open = new Map<string, number[]>();
  const { entries, unreadable } = logEntries(text, file);
  for (const { entry, line } of entries) {
    const message = entry['@message'];
    if (message !== REQUEST && message !== RESPONSE) continue;
    const logModule = String(entry['@module'] ?? '');
    const module = moduleOf(logModule, file, line);
    const requestId = entry.tf_req_id ?? entry['tf_backend.req_id'];
    const service = String(entry['rpc.service'] ?? '');
    const operation = String(entry['rpc.method'] ?? '');
    if (!service || !operation) throw new Error(`${file}:${line}: ${message} without rpc.service/rpc.method`);
    const key = [logModule, requestId ?? '', service, operation].join('\u0000');
    const common = {
      module,
      logModule,
      service,
      operation,
      region: String(entry['aws.region'] ?? ''),
      resourceType: entry.tf_resource_type ?? entry.tf_data_source_type,
      tfRpc: entry.tf_rpc ?? entry['tf_backend.operation'],
      requestId,
      file,
      line,
      timestamp: String(entry['@timestamp'] ?? entry.timestamp ?? ''),
    };
    if (message === REQUEST) {
      const headers = headersOf(entry);
      const invocationId = headers.amz_sdk_invocation_id;
      const pending = open.get(key) ?? [];
      if (invocationId !== undefined) {
        // An earlier attempt of the same SDK call that is still open got no answer: it was retried.
        for (const index of pending.filter((n) => calls[n].invocationId === invocationId)) calls[index].retried = true;
        open.set(
          key,
          pending.filter((n) => calls[n].invocationId !== invocationId),
        );
      }
      const { body, truncated } = cleanBody(String(entry['http.request.body'] ?? ''));
      const bucket = entry['aws.s3.bucket'];
      const s3Key = entry['aws.s3.key'];
      calls.push({
        ...common,
        invocationId,
        attempt: Number(/attempt=(\d+)/.exec(headers.amz_sdk_request ?? '')?.[1] ?? 1),
        method: String(entry['http.method'] ?? ''),
        url: String(entry['http.url'] ?? ''),
        headers,
        body,
        bodyTruncated: truncated,
        s3: bucket === undefined && s3Key === undefined ? undefined : { bucket, key: s3Key },
        response: undefined,
        retried: false,
      });
      open.set(key, [...(open.get(key) ?? []), calls.length - 1]);
    } else {
      const pending = open.get(key) ?? [];
      const response = { status: Number(entry['http.status_code'] ?? 0), body: String(entry['http.response.body'] ?? ''), line };
      const index = pending.shift();
      if (index === undefined) orphanResponses.push({ ...common, status: response.status, body: response.body });
      else calls[index].response = response;
      open.set(key, pending);
    }
  }
  return { calls, orphanResponses, unreadable };
}

/** Raw provider output longer than this comes as several core log entries (bufio.Scanner's 64 KiB token). */
const CHUNK = 65536;

/**
 * The JSON entries of a log, with the provider lines Terraform split reassembled. Terraform core reads a
 * provider's stderr line by line with a 64 KiB buffer: a longer line (a request with a large one-line body,
 * a Lambda zip sent inline) arrives as several `provider.<name>` entries whose `@message` is the raw text
 * of one 65,536-character piece. The pieces are joined back into the provider's own entry (found at the
 * first piece's line); a run of pieces that does not make an entry is returned as unreadable.
 */
function logEntries(
  text: string,
  file: string,
): { entries: { entry: Record<string, any>; line: number }[]; unreadable: UnreadableEntry[] } {
  const entries: { entry: Record<string, any>; line: number }[] = [];
  const unreadable: UnreadableEntry[] = [];
  const pieces = new Map<string, { text: string; line: number }>();
  const lines = text.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const raw = lines[i];
    if (raw.trim() === '') continue;
    let entry: Record<string, any>;
    try {
      entry = JSON.parse(raw) as Record<string, any>;
    } catch {
      throw new Error(`${file}:${i + 1}: not a JSON log line (run Terraform with TF_LOG=JSON): ${raw.slice(0, 120)}`);
    }
    const module = String(entry['@module'] ?? '');
    const message = entry['@message'];
    const pending = pieces.get(module);
    if (
      module.startsWith('provider.') &&
      typeof message === 'string' &&
      (pending !== undefined || (message.startsWith('{"@') && message.length >= CHUNK))
    ) {
      const joined = { text: (pending?.text ?? '') + message, line: pending?.line ?? i + 1 };
      if (message.length >= CHUNK) {
        pieces.set(module, joined);
        continue;
      }
      pieces.delete(module);
      try {
        entries.push({ entry: JSON.parse(joined.text) as Record<string, any>, line: joined.line });
      } catch {
        unreadable.push({
          file,
          line: joined.line,
          reason: `provider output split into pieces (lines ${joined.line}-${i + 1}) does not join into a JSON entry`,
        });
      }
      continue;
    }
    entries.push({ entry, line: i + 1 });
  }
  for (const [, p] of pieces) unreadable.push({ file, line: p.line, reason: 'provider output split into pieces ends with the log' });
  return { entries, unreadable };
}

/** One line naming a call for messages: `EC2 CreateVpc (aws_vpc, ApplyResourceChange) at file:line`. */
export function describeCall(
  call: Pick<RecordedCall, 'service' | 'operation' | 'resourceType' | 'tfRpc' | 'file' | 'line' | 'module'>,
): string {
  const what = call.resourceType ?? (call.module === 'backend-s3' ? 'S3 backend' : 'provider');
  return `${call.service} ${call.operation} (${what}${call.tfRpc ? `, ${call.tfRpc}` : ''}) at ${call.file}:${call.line}`;
}

function moduleOf(logModule: string, file: string, line: number): CallModule {
  if (logModule === 'aws' || logModule.startsWith('aws.')) return 'aws';
  if (logModule === 'backend-s3' || logModule.startsWith('backend-s3.')) return 'backend-s3';
  throw new Error(`${file}:${line}: HTTP entry of an unknown @module ${JSON.stringify(logModule)} (expected aws or backend-s3)`);
}

function headersOf(entry: Record<string, any>): Record<string, string> {
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(entry)) {
    if (!name.startsWith('http.request.header.')) continue;
    const header = name.slice('http.request.header.'.length);
    if (header === 'authorization') continue;
    headers[header] = Array.isArray(value) ? value.join(', ') : String(value);
  }
  return headers;
}

/** The body without the logger's trailing newline and `[truncated...]` marker. */
function cleanBody(logged: string): { body: string; truncated: boolean } {
  const marker = '\n[truncated...]';
  const truncated = logged.endsWith(marker);
  const body = truncated ? logged.slice(0, -marker.length) : logged;
  return { body: body.endsWith('\n') ? body.slice(0, -1) : body, truncated };
}
