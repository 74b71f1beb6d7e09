/**
 * No credential in the WAF logs: every logging configuration of every stack (the shipped config and variants of
 * its edge settings) keeps out the request headers that carry credentials, and the query string (tokens in links,
 * `?api_key=`). WAF logs every request header unless told otherwise, and the WAF API can redact only single
 * headers, the query string, the URI path and the method (WAFv2 API, `LoggingConfiguration.RedactedFields`):
 * cookies are redacted as the `cookie` header that carries them all.
 */
import { single } from './support/config';
import { synth, type StackJson } from './support/synth';

/** Headers that carry credentials in the requests our stacks serve, written here independently of the modules. */
const CREDENTIAL_HEADERS = ['authorization', 'proxy-authorization', 'cookie', 'x-api-key'];

const configs = {
  shipped: undefined,
  'prod with the API kept off the edge': single('prod', {
    edge: { api: false },
    frontends: single('prod').environments[0].frontends!.map(({ apiPath: _apiPath, ...f }) => f),
  }),
  'prod without front-ends': single('prod', { frontends: [] }),
};

const stacks = Object.entries(configs).flatMap(([variant, config]) =>
  Object.entries(synth(config).stacks).map(([name, stack]) => ({ name: `${variant}: ${name}`, stack })),
);

/** Every web ACL of a stack, and the logging configurations that refer to each. */
function loggingOf(stack: StackJson) {
  const configs = Object.entries(stack.resource.aws_wafv2_web_acl_logging_configuration ?? {});
  return Object.keys(stack.resource.aws_wafv2_web_acl ?? {}).map((acl) => ({
    acl,
    logging: configs.filter(([, c]) => c.resource_arn === `\${aws_wafv2_web_acl.${acl}.arn}`),
  }));
}

it('the configs scanned have web ACLs at the load balancer and at the edge', () => {
  const acls = stacks.flatMap(({ stack }) => Object.values(stack.resource.aws_wafv2_web_acl ?? {}));
  expect(acls.some((a) => a.scope === 'REGIONAL')).toBe(true);
  expect(acls.some((a) => a.scope === 'CLOUDFRONT')).toBe(true);
});

describe.each(stacks.filter(({ stack }) => loggingOf(stack).length > 0))('$name', ({ stack }) => {
  it.each(loggingOf(stack))('$acl logs once, with every credential-bearing header and the query string redacted', ({ logging }) => {
    expect(logging).toHaveLength(1);
    const [[, config]] = logging;
    const redacted: Record<string, any>[] = config.redacted_fields ?? [];
    const headers = redacted.filter((f) => f.single_header).map((f) => f.single_header.name);
    for (const header of CREDENTIAL_HEADERS) expect(headers).toContain(header);
    // The provider wants single_header names in lower case; WAF compares them without case.
    for (const header of headers) expect(header).toBe(header.toLowerCase());
    expect(redacted).toContainEqual({ query_string: {} });
    // One destination: the encrypted log group.
    expect(config.log_destination_configs).toEqual([expect.stringMatching(/^\$\{aws_cloudwatch_log_group\.[\w]+\.arn\}$/)]);
  });
});

it('every logging configuration of every stack is one of those checked: none is left out', () => {
  const all = stacks.flatMap(({ stack }) => Object.keys(stack.resource.aws_wafv2_web_acl_logging_configuration ?? {}));
  const checked = stacks.flatMap(({ stack }) => loggingOf(stack).flatMap(({ logging }) => logging.map(([name]) => name)));
  expect(checked.sort()).toEqual(all.sort());
});
