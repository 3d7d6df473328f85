import { lookup } from 'node:dns/promises';
import type { ServerResponse } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { systemClock } from '../../src/core/clock.js';
import { ServiceError } from '../../src/core/errors.js';
import { awsNameKind, excerpt, type FaultKind, networkFault, statusKind, TLS_CERT_CODES } from '../../src/core/faults.js';
import { Logger } from '../../src/app/logger.js';
import type { RoundContext } from '../../src/core/poll.js';
import { Scheduler } from '../../src/core/scheduler.js';
import { type AdHocServer, adHocServer, awsJsonError, huge, selfSignedCert } from '../ad-hoc-server.js';
import { INDEX, SECRETS } from '../helpers.js';

process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = 'true';
const { KendraSource } = await import('../../src/services/kendra/source.js');
const { TranslatorClient } = await import('../../src/services/translator/source.js');

/** What a ServiceError's options make of it, in the words of faults.ts. */
function kindOf(e: ServiceError): FaultKind {
  if (e.opts.permanent) return 'permanent';
  if (e.opts.throttled) return 'throttled';
  if (e.opts.transient) return 'transient';
  return e.opts.askAgain ? 'other' : 'document';
}
const quiet = new Logger({ write: () => true });

/** One request's fault, as the poll loop would get it from a client, with the number of requests counted as sent. */
async function caught(send: (ctx: RoundContext) => Promise<void>): Promise<{ error: ServiceError; sent: number }> {
  // one attempt: maxAttempts for faults, a deadline long past for throttles (they use up no attempt)
  const scheduler = new Scheduler({ concurrency: 1, clock: systemClock, maxAttempts: 1, requestTimeoutMs: 5000, deadline: 0 });
  const errors: unknown[] = [];
  const ctx: RoundContext = {
    pending: ['a'],
    startedAt: Date.now(),
    clock: systemClock,
    scheduler,
    signal: new AbortController().signal,
    report: (doc) => errors.push(new Error(`unexpected report ${JSON.stringify(doc)}`)),
    fail: (_id, err) => errors.push(err),
    fatal: (err) => errors.push(err),
    isKnown: () => true,
  };
  await send(ctx);
  expect(errors).toHaveLength(1);
  expect(errors[0]).toBeInstanceOf(ServiceError);
  return { error: errors[0] as ServiceError, sent: scheduler.requests };
}

const kendraFault = (endpointUrl: string, credentials: ConstructorParameters<typeof KendraSource>[0]['credentials'] = { accessKeyId: SECRETS.awsAccessKeyId, secretAccessKey: SECRETS.awsSecret }) => {
  const source = new KendraSource({ indexId: INDEX, ids: ['a'], attributes: new Map(), common: [], goal: 'indexed', wait: false, notFoundGraceMs: 0, region: 'us-east-1', endpointUrl, requestTimeoutMs: 5000, credentials, log: quiet });
  return caught((ctx) => source.round(ctx));
};
const azureFault = async (endpoint: string, documentId?: string) => {
  const client = new TranslatorClient({ endpoint: new URL(endpoint), apiVersion: 'v1.1', key: SECRETS.azureKey, requestTimeoutMs: 5000, log: quiet });
  try {
    return await caught(async (ctx) => {
      try {
        await client.get(client.url('B1', documentId === undefined ? undefined : { documentId }), ctx);
        ctx.report({ id: 'a', state: 'succeeded' });
      } catch (err) {
        ctx.fail('a', err);
      }
    });
  } finally {
    await client.close();
  }
};

type Reply = (res: ServerResponse) => void;
const text = (status: number, type: string, body: string, headers: Record<string, string> = {}): Reply => (res) => {
  res.writeHead(status, { 'content-type': type, ...headers });
  res.end(body);
};
const azureJson = (status: number, code: string, message: string, inner?: string): Reply =>
  text(status, 'application/json', JSON.stringify({ error: { code, message, ...(inner && { innerError: { code: inner, message: inner } }) } }));
const reset: Reply = (res) => res.socket?.destroy();

/** Every route of the server answers with the reply registered for its path. */
let server: AdHocServer;
let tlsServer: AdHocServer | undefined;
const routes = new Map<string, Reply>();
let route = 0;
const at = (reply: Reply) => {
  const path = `/r${++route}`;
  routes.set(path, reply);
  return `${server.url}${path}`;
};
beforeAll(async () => {
  server = await adHocServer((req, res) => {
    const path = `/${req.url.split('/')[1]}`;
    (routes.get(path.split('?')[0]!) ?? text(599, 'text/plain', 'no such route'))(res);
  });
  const tls = selfSignedCert();
  if (!('skip' in tls)) tlsServer = await adHocServer((_req, res) => awsJsonError(res, 500, 'InternalServerException', 'never reached'), tls);
});
afterAll(async () => {
  await server.close();
  await tlsServer?.close();
});

describe('the Kendra client, against real SDK errors: every name, status and errno it can produce', () => {
  const MiB = 1024 * 1024;
  const rows: Array<[string, Reply, string, FaultKind]> = [
    ['400 ThrottlingException', (res) => awsJsonError(res, 400, 'ThrottlingException', 'Rate exceeded'), 'ThrottlingException', 'throttled'],
    ['429 TooManyRequestsException', (res) => awsJsonError(res, 429, 'TooManyRequestsException', 'slow down'), 'TooManyRequestsException', 'throttled'],
    ['429 in plain text', text(429, 'text/plain', 'Too Many Requests'), 'HTTP429', 'throttled'],
    ['500 InternalServerException', (res) => awsJsonError(res, 500, 'InternalServerException', 'oops'), 'InternalServerException', 'transient'],
    ['503 ServiceUnavailableException', (res) => awsJsonError(res, 503, 'ServiceUnavailableException', 'busy'), 'ServiceUnavailableException', 'transient'],
    ['500 of a name no table knows', (res) => awsJsonError(res, 500, 'BrandNewException', 'new'), 'BrandNewException', 'transient'],
    ['503 text/plain', text(503, 'text/plain', 'Service Unavailable'), 'HTTP503', 'transient'],
    ['502 HTML', text(502, 'text/html', '<html><title>502 Bad Gateway</title></html>'), 'HTTP502', 'transient'],
    ['504 with no body', text(504, 'text/plain', ''), 'HTTP504', 'transient'],
    ['508, a 5xx of no list', text(508, 'text/plain', 'Loop Detected'), 'HTTP508', 'transient'],
    ['408 text', text(408, 'text/plain', 'Request Timeout'), 'HTTP408', 'transient'],
    ['400 AccessDeniedException', (res) => awsJsonError(res, 400, 'AccessDeniedException', 'denied'), 'AccessDeniedException', 'permanent'],
    ['400 UnrecognizedClientException', (res) => awsJsonError(res, 400, 'UnrecognizedClientException', 'bad token'), 'UnrecognizedClientException', 'permanent'],
    ['403 InvalidClientTokenId', (res) => awsJsonError(res, 403, 'InvalidClientTokenId', 'bad key'), 'InvalidClientTokenId', 'permanent'],
    ['400 InvalidSignatureException', (res) => awsJsonError(res, 400, 'InvalidSignatureException', 'bad signature'), 'InvalidSignatureException', 'permanent'],
    [
      '400 InvalidSignatureException from a server an hour ahead: the SDK corrected its clock, so a retry can pass',
      (res) => {
        res.writeHead(400, { 'content-type': 'application/x-amz-json-1.1', date: new Date(Date.now() + 3_600_000).toUTCString() });
        res.end(JSON.stringify({ __type: 'InvalidSignatureException', message: 'Signature expired' }));
      },
      'InvalidSignatureException',
      'transient',
    ],
    ['400 IncompleteSignatureException', (res) => awsJsonError(res, 400, 'IncompleteSignatureException', 'incomplete'), 'IncompleteSignatureException', 'permanent'],
    ['403 MissingAuthenticationTokenException', (res) => awsJsonError(res, 403, 'MissingAuthenticationTokenException', 'missing'), 'MissingAuthenticationTokenException', 'permanent'],
    ['400 ExpiredTokenException', (res) => awsJsonError(res, 400, 'ExpiredTokenException', 'expired'), 'ExpiredTokenException', 'permanent'],
    ['400 ResourceNotFoundException', (res) => awsJsonError(res, 400, 'ResourceNotFoundException', 'no index'), 'ResourceNotFoundException', 'permanent'],
    ['400 ValidationException', (res) => awsJsonError(res, 400, 'ValidationException', 'invalid'), 'ValidationException', 'permanent'],
    ['400 SerializationException', (res) => awsJsonError(res, 400, 'SerializationException', 'bad JSON'), 'SerializationException', 'permanent'],
    ['400 UnknownOperationException', (res) => awsJsonError(res, 400, 'UnknownOperationException', 'no such op'), 'UnknownOperationException', 'permanent'],
    ['400 ConflictException (asked again)', (res) => awsJsonError(res, 400, 'ConflictException', 'conflict'), 'ConflictException', 'other'],
    ['400 in plain text', text(400, 'text/plain', 'Bad Request'), 'HTTP400', 'permanent'],
    [
      'a ThrottlingException cut short: named by its x-amzn-ErrorType header',
      (res) => {
        res.writeHead(400, { 'content-type': 'application/x-amz-json-1.1', 'x-amzn-errortype': 'ThrottlingException:http://internal.amazon.com/' });
        res.end('{"__type":"ThrottlingExceptio');
      },
      'ThrottlingException',
      'throttled',
    ],
    ['401 in plain text', text(401, 'text/plain', 'Unauthorized'), 'HTTP401', 'permanent'],
    ['403 HTML', text(403, 'text/html', '<html><body>Forbidden</body></html>'), 'HTTP403', 'permanent'],
    ['404: the endpoint is not Kendra', text(404, 'text/plain', 'Not Found'), 'HTTP404', 'permanent'],
    ['418 with a JSON body of no error shape', text(418, 'application/x-amz-json-1.1', '{}'), 'HTTP418', 'other'],
    ['200 that is not JSON', text(200, 'application/x-amz-json-1.1', 'not json'), 'MalformedResponse', 'other'],
    ['a 65 MiB answer', (res) => huge(65 * MiB, { contentLength: false, contentType: 'application/x-amz-json-1.1' })({} as never, res), 'ResponseTooLarge', 'document'],
    ['a connection reset', reset, 'ECONNRESET', 'transient'],
  ];
  it.each(rows)('%s: %s, %s', async (_name, reply, code, kind) => {
    const { error, sent } = await kendraFault(at(reply));
    expect({ code: error.code, kind: kindOf(error) }).toEqual({ code, kind });
    expect(error.message).not.toMatch(/Deserialization|\$response|smithy|SyntaxError|Unexpected token/);
    expect(sent).toBe(1);
  });

  it('messages: the service text of a named error; the status, host and first body line of any other', async () => {
    expect((await kendraFault(at((res) => awsJsonError(res, 400, 'AccessDeniedException', 'User x is not authorized')))).error.message).toBe('User x is not authorized');
    expect((await kendraFault(at(text(503, 'text/plain', 'Service Unavailable\nsecond line')))).error.message).toBe(`HTTP 503 from ${server.host}: Service Unavailable`);
    expect((await kendraFault(at(text(200, 'application/x-amz-json-1.1', 'not json')))).error.message).toBe(`the answer to BatchGetDocumentStatus from ${server.host} could not be read (not JSON, or a field of the wrong type)`);
  });

  it('a throttling answer carries its Retry-After', async () => {
    const { error } = await kendraFault(at(text(400, 'application/x-amz-json-1.1', JSON.stringify({ __type: 'ThrottlingException', message: 'slow' }), { 'retry-after': '7' })));
    expect(error.opts).toMatchObject({ throttled: true, retryAfterMs: 7000 });
  });

  it('a refused connection is transient; no credentials are permanent with nothing sent', async () => {
    const closed = await adHocServer(() => {});
    await closed.close();
    const refused = await kendraFault(closed.url);
    expect({ code: refused.error.code, kind: kindOf(refused.error), message: refused.error.message }).toEqual({ code: 'ECONNREFUSED', kind: 'transient', message: `connection refused by ${closed.host}` });
    const noCredentials = await kendraFault(server.url, async () => {
      throw Object.assign(new Error('Could not load credentials from any providers'), { name: 'CredentialsProviderError' });
    });
    expect({ code: noCredentials.error.code, kind: kindOf(noCredentials.error), sent: noCredentials.sent }).toEqual({ code: 'CredentialsProviderError', kind: 'permanent', sent: 0 });
  });

  it('whatever endpoint reaches the client, a signature never goes over plain http but to loopback: nothing sent', async () => {
    const { error, sent } = await kendraFault('http://vm:8790');
    expect({ code: error.code, kind: kindOf(error), sent }).toEqual({ code: 'InsecureEndpoint', kind: 'permanent', sent: 0 });
  });

  it('ENOTFOUND and a refused certificate are permanent', async (t) => {
    const dns = await lookup('docstatus-test.invalid').then(
      () => 'resolved',
      (err: NodeJS.ErrnoException) => err.code,
    );
    if (dns === 'ENOTFOUND') expect(kindOf((await kendraFault('https://docstatus-test.invalid')).error)).toBe('permanent');
    if (!tlsServer) return t.skip('openssl is not available to make a certificate');
    const { error } = await kendraFault(tlsServer.url);
    expect({ code: error.code, kind: kindOf(error) }).toEqual({ code: 'DEPTH_ZERO_SELF_SIGNED_CERT', kind: 'permanent' });
  });
});

describe('the Azure client: every status and errno it can produce', () => {
  const rows: Array<[string, Reply, string | undefined, string, FaultKind]> = [
    ['401 JSON', azureJson(401, 'Unauthorized', 'Access denied', 'InvalidSubscriptionKey'), undefined, 'Unauthorized', 'permanent'],
    ['403 HTML', text(403, 'text/html', '<html>Forbidden</html>'), undefined, 'HTTP403', 'permanent'],
    ['400 JSON', azureJson(400, 'InvalidRequest', 'Bad filter'), undefined, 'InvalidRequest', 'permanent'],
    ['404 on the batch route', azureJson(404, 'ResourceNotFound', 'Batch id not found.'), undefined, 'ResourceNotFound', 'permanent'],
    ['404 HTML on the batch route', text(404, 'text/html', '<html>Not Found</html>'), undefined, 'HTTP404', 'permanent'],
    ['404 BatchNotFound on a document route', azureJson(404, 'ResourceNotFound', 'Batch id not found.', 'BatchNotFound'), 'a', 'ResourceNotFound', 'permanent'],
    ['404 DocumentNotFound', azureJson(404, 'ResourceNotFound', 'Document id not found.', 'DocumentNotFound'), 'a', 'ResourceNotFound', 'document'],
    ['404 with no body on a document route', text(404, 'text/plain', ''), 'a', 'HTTP404', 'document'],
    ['409 JSON', azureJson(409, 'Conflict', 'conflict'), undefined, 'Conflict', 'document'],
    ['408', text(408, 'text/plain', 'Request Timeout'), undefined, 'HTTP408', 'transient'],
    ['429 JSON', azureJson(429, 'TooManyRequests', 'slow down'), undefined, 'TooManyRequests', 'throttled'],
    ['429 plain text', text(429, 'text/plain', 'Too Many Requests'), undefined, 'HTTP429', 'throttled'],
    ...[500, 501, 502, 503, 504, 507, 520, 599].map((s): [string, Reply, undefined, string, FaultKind] => [`${s} HTML`, text(s, 'text/html', `<h1>${s}</h1>`), undefined, `HTTP${s}`, 'transient']),
    ['500 JSON', azureJson(500, 'InternalServerError', 'oops'), undefined, 'InternalServerError', 'transient'],
    ['503 plain text with x-ms-error-code', text(503, 'text/plain', 'busy', { 'x-ms-error-code': 'ServiceUnavailable' }), undefined, 'ServiceUnavailable', 'transient'],
    ['200 that is not JSON', text(200, 'application/json', '<html>maintenance</html>'), undefined, 'MalformedResponse', 'other'],
    ['a connection reset', reset, undefined, 'UND_ERR_SOCKET', 'transient'],
  ];
  it.each(rows)('%s: %s %s', async (_name, reply, documentId, code, kind) => {
    const { error, sent } = await azureFault(at(reply), documentId);
    expect({ code: error.code, kind: kindOf(error) }).toEqual({ code, kind });
    expect(sent).toBe(1);
  });

  it('a refused connection is transient, ENOTFOUND and a refused certificate permanent', async (t) => {
    const closed = await adHocServer(() => {});
    await closed.close();
    const refused = (await azureFault(closed.url)).error;
    expect({ code: refused.code, kind: kindOf(refused), message: refused.message }).toEqual({ code: 'ECONNREFUSED', kind: 'transient', message: `connection refused by ${closed.host}` });
    const dns = await lookup('docstatus-test.invalid').then(
      () => 'resolved',
      (err: NodeJS.ErrnoException) => err.code,
    );
    if (dns === 'ENOTFOUND') expect(kindOf((await azureFault('https://docstatus-test.invalid')).error)).toBe('permanent');
    if (!tlsServer) return t.skip('openssl is not available to make a certificate');
    const tls = (await azureFault(tlsServer.url)).error;
    expect({ code: tls.code, kind: kindOf(tls) }).toEqual({ code: 'DEPTH_ZERO_SELF_SIGNED_CERT', kind: 'permanent' });
  });
});

describe('faults.ts: the table itself', () => {
  it.each([
    ...[429].map((s) => [s, 'throttled'] as const),
    ...[408, 500, 501, 502, 503, 504, 505, 507, 511, 520, 599].map((s) => [s, 'transient'] as const),
    ...[400, 401, 403, 407].map((s) => [s, 'permanent'] as const),
    ...[200, 301, 404, 409, 410, 413, 418, 422, 600].map((s) => [s, undefined] as const),
  ])('HTTP %i is %s', (status, kind) => expect(statusKind(status)).toBe(kind));

  it.each([
    ...['ThrottlingException', 'Throttling', 'ThrottledException', 'TooManyRequestsException', 'RequestLimitExceeded', 'RequestThrottled', 'RequestThrottledException', 'SlowDown', 'ProvisionedThroughputExceededException', 'BandwidthLimitExceeded', 'PriorRequestNotComplete'].map((n) => [n, 'throttled'] as const),
    ...['InternalServerException', 'InternalServerError', 'InternalFailure', 'InternalError', 'ServiceUnavailable', 'ServiceUnavailableException', 'RequestTimeout', 'RequestTimeoutException', 'TimeoutError'].map((n) => [n, 'transient'] as const),
    ...[
      'CredentialsProviderError',
      'TokenProviderError',
      'UnrecognizedClientException',
      'InvalidClientTokenId',
      'InvalidSignatureException',
      'SignatureDoesNotMatch',
      'IncompleteSignature',
      'IncompleteSignatureException',
      'MissingAuthenticationToken',
      'MissingAuthenticationTokenException',
      'ExpiredToken',
      'ExpiredTokenException',
      'RequestExpired',
      'AuthFailure',
      'AccessDeniedException',
      'AccessDenied',
      'NotAuthorized',
      'OptInRequired',
      'ResourceNotFoundException',
      'ValidationException',
      'ValidationError',
      'SerializationException',
      'UnknownOperationException',
      'InvalidAction',
    ].map((n) => [n, 'permanent'] as const),
    ...['ConflictException', 'Unknown', 'Error', 'constructor', '__proto__', 'toString'].map((n) => [n, undefined] as const),
  ])('AWS error %s is %s', (name, kind) => expect(awsNameKind(name)).toBe(kind));

  const TRANSIENT_CODES = [
    'ECONNRESET',
    'ECONNREFUSED',
    'ECONNABORTED',
    'EPIPE',
    'ETIMEDOUT',
    'EAI_AGAIN',
    'EHOSTUNREACH',
    'ENETUNREACH',
    'ENETDOWN',
    'EHOSTDOWN',
    'UND_ERR_SOCKET',
    'UND_ERR_CLOSED',
    'UND_ERR_CONNECT_TIMEOUT',
    'UND_ERR_HEADERS_TIMEOUT',
    'UND_ERR_BODY_TIMEOUT',
    'UND_ERR_RES_CONTENT_LENGTH_MISMATCH',
  ];
  const PERMANENT_CODES = ['ENOTFOUND', 'ERR_SSL_WRONG_VERSION_NUMBER', ...TLS_CERT_CODES];
  // undici and fetch wrap errno errors: `TypeError: fetch failed` with the errno error as its cause, or deeper
  const shapes: Array<[string, (code: string) => unknown]> = [
    ['on the error', (code) => Object.assign(new Error(`x ${code}`), { code })],
    ['on its cause', (code) => new TypeError('fetch failed', { cause: Object.assign(new Error(`x ${code}`), { code }) })],
    ['two causes deep', (code) => new Error('outer', { cause: new TypeError('fetch failed', { cause: Object.assign(new Error(`x ${code}`), { code }) }) })],
  ];
  it.each([...TRANSIENT_CODES.map((c) => [c, 'transient'] as const), ...PERMANENT_CODES.map((c) => [c, 'permanent'] as const)].flatMap(([code, kind]) => shapes.map(([where, make]) => [code, where, kind, make] as const)))(
    '%s %s is %s',
    (code, _where, kind, make) => {
      const e = networkFault(make(code), 'host.example:443')!;
      expect({ code: e.code, kind: kindOf(e) }).toEqual({ code, kind });
    },
  );

  it('every certificate code Node can give is in the table, with the host in its message', () => {
    expect(TLS_CERT_CODES.size).toBe(29);
    for (const code of ['CERT_HAS_EXPIRED', 'DEPTH_ZERO_SELF_SIGNED_CERT', 'SELF_SIGNED_CERT_IN_CHAIN', 'UNABLE_TO_VERIFY_LEAF_SIGNATURE', 'UNABLE_TO_GET_ISSUER_CERT_LOCALLY', 'ERR_TLS_CERT_ALTNAME_INVALID']) {
      expect(TLS_CERT_CODES.has(code)).toBe(true);
    }
    expect(networkFault(Object.assign(new Error('certificate has expired'), { code: 'CERT_HAS_EXPIRED' }), 'kendra.example:443')!.message).toBe(
      'the TLS certificate of kendra.example:443 was refused: certificate has expired',
    );
    // Node 24's wording of the same refusal: its --use-system-ca advice is dropped, so every Node reads alike
    const node24 = 'self-signed certificate; if the root CA is installed locally, try running Node.js with --use-system-ca';
    expect(networkFault(Object.assign(new Error(node24), { code: 'DEPTH_ZERO_SELF_SIGNED_CERT' }), 'kendra.example:443')!.message).toBe(
      'the TLS certificate of kendra.example:443 was refused: self-signed certificate',
    );
    expect(networkFault(Object.assign(new Error('getaddrinfo ENOTFOUND nohost.invalid'), { code: 'ENOTFOUND' }), 'nohost.invalid:8443')!.message).toBe(
      'the host name nohost.invalid does not resolve (check the endpoint)',
    );
  });

  it('an error with no known code is not a network fault', () => {
    expect(networkFault(new Error('boom'), 'h')).toBeUndefined();
    expect(networkFault(Object.assign(new Error('x'), { code: 'ERR_SOMETHING' }), 'h')).toBeUndefined();
    expect(networkFault('a string', 'h')).toBeUndefined();
    expect(networkFault(null, 'h')).toBeUndefined();
  });

  it.each([
    ['Service Unavailable', 'Service Unavailable'],
    ['\n\n  Service   Unavailable  \r\nsecond', 'Service Unavailable'],
    ['<html><head><title>502 Bad Gateway</title></head><body>x</body></html>', '502 Bad Gateway'],
    ['<html><body>\n<h1>Gateway Timeout</h1>\n<p>more</p></body></html>', 'Gateway Timeout'],
    ['bad \u001b[31mred\u001b[0m\u0007 input', 'bad red input'],
    ['x'.repeat(200), `${'x'.repeat(119)}…`],
    ['', ''],
    ['   \n  ', ''],
  ])('excerpt(%j) is %j', (body, line) => expect(excerpt(body)).toBe(line));
});
