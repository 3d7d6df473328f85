import { ServiceError } from './errors.js';
import { noTlsMessage } from './proxy.js';
import { sanitize } from './sanitize.js';

/**
 * The one rule for what a failed request means, for both clients (README "Failure modes", CONTRACT.md "Faults"):
 * - transient: retried with backoff within --timeout (and asked again next round with --wait);
 * - permanent: no request of this run can succeed, so the run ends at once with one run-level error;
 * - document: that request's documents are in error, not asked again (the service answered, and the answer stands);
 * - other: in error for now, not retried at once, asked again next round with --wait (an answer that could not be read).
 */
export type FaultKind = 'transient' | 'throttled' | 'permanent' | 'document' | 'other';

/** The ServiceError options each kind stands for. */
export function faultOpts(kind: FaultKind): ServiceError['opts'] {
  switch (kind) {
    case 'throttled':
      return { transient: true, throttled: true, askAgain: true };
    case 'transient':
      return { transient: true, askAgain: true };
    case 'permanent':
      return { permanent: true, askAgain: false };
    case 'document':
      return { askAgain: false };
    case 'other':
      return { askAgain: true };
  }
}

/** AWS error names (the `__type` of an answer, or the SDK's error name) that mean "slow down". */
const AWS_THROTTLING = new Set([
  'ThrottlingException',
  'Throttling',
  'ThrottledException',
  'TooManyRequestsException',
  'RequestLimitExceeded',
  'RequestThrottled',
  'RequestThrottledException',
  'SlowDown',
  'ProvisionedThroughputExceededException',
  'BandwidthLimitExceeded',
  'PriorRequestNotComplete',
  // Bedrock Agent: "the number of requests exceeds the service quota; resubmit your request later" (HTTP 402)
  'ServiceQuotaExceededException',
]);

/** AWS error names of a service or transport fault that a retry may mend. */
const AWS_TRANSIENT = new Set([
  'InternalServerException',
  'InternalServerError',
  'InternalFailure',
  'InternalError',
  'ServiceUnavailable',
  'ServiceUnavailableException',
  'RequestTimeout',
  'RequestTimeoutException',
  'TimeoutError',
]);

/** AWS error names that no retry can mend: credentials, authorisation, an unknown index, a request the service refuses. */
const AWS_PERMANENT = new Set([
  // credentials and signatures
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
  // authorisation
  'AccessDeniedException',
  'AccessDenied',
  'NotAuthorized',
  'OptInRequired',
  // an index that does not exist, a request the service refuses
  'ResourceNotFoundException',
  'ValidationException',
  'ValidationError',
  'SerializationException',
  'UnknownOperationException',
  'InvalidAction',
]);

/** The kind of an AWS error name; undefined for a name this table does not know. */
export function awsNameKind(name: string): FaultKind | undefined {
  if (AWS_THROTTLING.has(name)) return 'throttled';
  if (AWS_TRANSIENT.has(name)) return 'transient';
  if (AWS_PERMANENT.has(name)) return 'permanent';
  return undefined;
}

/**
 * The kind of an HTTP status whose answer names no error the client knows (a gateway page, a body that is not JSON):
 * 429 slows down; 408 and every 5xx are retried, whatever the body; 400, 401 and 403 no retry can mend. A 404 is the
 * caller's to decide (an unknown batch or a wrong endpoint is permanent, one missing document is that document's).
 */
export function statusKind(status: number): FaultKind | undefined {
  if (status === 429) return 'throttled';
  if (status === 408 || (status >= 500 && status <= 599)) return 'transient';
  // 407: a proxy on the way wants credentials; the same request gets the same answer.
  if (status === 400 || status === 401 || status === 403 || status === 407) return 'permanent';
  return undefined;
}

/**
 * Errno and undici codes of a connection that failed or broke: retried. EAI_AGAIN is a resolver that did not answer
 * this time; a name that does not exist is ENOTFOUND, below.
 */
const NETWORK_TRANSIENT = new Set([
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
]);

/**
 * Every certificate verification code Node gives (OpenSSL's X509_V_ERR_* names, as node's crypto layer spells them),
 * and Node's own host name check. A certificate does not mend itself between two retries.
 */
export const TLS_CERT_CODES: ReadonlySet<string> = new Set([
  'UNABLE_TO_GET_ISSUER_CERT',
  'UNABLE_TO_GET_CRL',
  'UNABLE_TO_DECRYPT_CERT_SIGNATURE',
  'UNABLE_TO_DECRYPT_CRL_SIGNATURE',
  'UNABLE_TO_DECODE_ISSUER_PUBLIC_KEY',
  'CERT_SIGNATURE_FAILURE',
  'CRL_SIGNATURE_FAILURE',
  'CERT_NOT_YET_VALID',
  'CERT_HAS_EXPIRED',
  'CRL_NOT_YET_VALID',
  'CRL_HAS_EXPIRED',
  'ERROR_IN_CERT_NOT_BEFORE_FIELD',
  'ERROR_IN_CERT_NOT_AFTER_FIELD',
  'ERROR_IN_CRL_LAST_UPDATE_FIELD',
  'ERROR_IN_CRL_NEXT_UPDATE_FIELD',
  'OUT_OF_MEM',
  'DEPTH_ZERO_SELF_SIGNED_CERT',
  'SELF_SIGNED_CERT_IN_CHAIN',
  'UNABLE_TO_GET_ISSUER_CERT_LOCALLY',
  'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
  'CERT_CHAIN_TOO_LONG',
  'CERT_REVOKED',
  'INVALID_CA',
  'PATH_LENGTH_EXCEEDED',
  'INVALID_PURPOSE',
  'CERT_UNTRUSTED',
  'CERT_REJECTED',
  'HOSTNAME_MISMATCH',
  'ERR_TLS_CERT_ALTNAME_INVALID',
]);

/** The code of a connection fault: on the error, or on its cause (undici's and fetch's wrappers), a few levels deep. */
export function networkCode(err: unknown): string | undefined {
  let e: unknown = err;
  for (let depth = 0; depth < 4 && typeof e === 'object' && e !== null; depth++) {
    const code = (e as { code?: unknown }).code;
    if (typeof code === 'string' && (NETWORK_TRANSIENT.has(code) || code === 'ENOTFOUND' || TLS_CERT_CODES.has(code) || code === 'ERR_SSL_WRONG_VERSION_NUMBER')) {
      return code;
    }
    // node:https (the AWS SDK's handler) says EPROTO with OpenSSL's text where undici names the TLS error.
    if (code === 'EPROTO') {
      const message = (e as { message?: unknown }).message;
      return typeof message === 'string' && /wrong version number/i.test(message) ? 'ERR_SSL_WRONG_VERSION_NUMBER' : 'EPROTO';
    }
    e = (e as { cause?: unknown }).cause;
  }
  return undefined;
}

/**
 * A request that got no HTTP answer, as a ServiceError with a message of ours (never an SDK's): transient or permanent
 * by its code. Undefined when the error carries no connection code this table knows.
 */
export function networkFault(err: unknown, host: string, proxy?: { host: string; variable: string; url?: URL }): ServiceError | undefined {
  const code = networkCode(err);
  if (code === undefined) return undefined;
  // Through a proxy, every connection this process makes is to the proxy: a connection that fails is the proxy's.
  if (proxy && PROXY_CONNECT_CODES.has(code)) return proxyConnectFault(code, proxy);
  const h = sanitize(host);
  if (code === 'ENOTFOUND') return new ServiceError(code, `the host name ${h.replace(/:\d+$/, '')} does not resolve (check the endpoint)`, faultOpts('permanent'));
  if (TLS_CERT_CODES.has(code)) {
    return new ServiceError(code, `the TLS certificate of ${h} was refused: ${detail(err, code)}`, faultOpts('permanent'));
  }
  if (code === 'ERR_SSL_WRONG_VERSION_NUMBER') {
    return new ServiceError(code, noTlsMessage(h, proxy), faultOpts('permanent'));
  }
  if (code === 'EPROTO') return new ServiceError(code, `the TLS handshake with ${h} failed`, faultOpts('permanent'));
  const what: Record<string, string> = {
    ECONNREFUSED: `connection refused by ${h}`,
    ECONNRESET: `the connection to ${h} was reset`,
    EPIPE: `the connection to ${h} was closed while sending`,
    ETIMEDOUT: `the connection to ${h} timed out`,
    EAI_AGAIN: `the host name of ${h} could not be looked up just now (DNS did not answer)`,
    UND_ERR_SOCKET: `the connection to ${h} closed before the answer was complete`,
    UND_ERR_CONNECT_TIMEOUT: `no connection to ${h} in time`,
    UND_ERR_HEADERS_TIMEOUT: `no answer from ${h} in time`,
    UND_ERR_BODY_TIMEOUT: `the answer from ${h} stalled`,
    UND_ERR_RES_CONTENT_LENGTH_MISMATCH: `the answer from ${h} was shorter or longer than it announced`,
  };
  return new ServiceError(code, Object.hasOwn(what, code) ? what[code]! : `the connection to ${h} failed (${code})`, faultOpts('transient'));
}

/** Codes of a connection that could not be made (rather than one that broke): through a proxy, the proxy's. */
const PROXY_CONNECT_CODES: ReadonlySet<string> = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'ETIMEDOUT', 'EHOSTUNREACH', 'ENETUNREACH', 'ENETDOWN', 'EHOSTDOWN', 'UND_ERR_CONNECT_TIMEOUT']);

/** A connection to the proxy that could not be made: named by the proxy's host and variable, never its credentials. */
function proxyConnectFault(code: string, proxy: { host: string; variable: string }): ServiceError {
  const p = `the proxy ${sanitize(proxy.host)} (${proxy.variable})`;
  if (code === 'ENOTFOUND') return new ServiceError(code, `the host name of ${p} does not resolve (check ${proxy.variable})`, faultOpts('permanent'));
  const what = code === 'ECONNREFUSED' ? `connection refused by ${p}` : code === 'EAI_AGAIN' ? `the host name of ${p} could not be looked up just now` : `no connection to ${p} (${code})`;
  return new ServiceError(code, what, faultOpts('transient'));
}

/**
 * A proxy's refusal to pass a request on (its own HTTP answer, not the service's): 407 is credentials the proxy wants
 * (permanent: a retry sends the same), 403 a proxy policy, 5xx the proxy failing to reach the service (retried).
 */
export function proxyRefusal(status: number, proxy: { host: string; variable: string; url: URL }): ServiceError {
  const p = `the proxy ${sanitize(proxy.host)} (${proxy.variable})`;
  if (status === 407) {
    const hint = proxy.url.username || proxy.url.password ? `refused the user name and password in ${proxy.variable}` : `asks for a user name and password: put them in ${proxy.variable} (http://user:password@host:port)`;
    return new ServiceError('ProxyAuthenticationRequired', `${p} ${hint} (HTTP 407)`, { ...faultOpts('permanent'), httpStatus: 407 });
  }
  const kind = statusKind(status) ?? 'other';
  return new ServiceError(`ProxyHTTP${status}`, `${p} answered HTTP ${status} instead of passing the request on`, { ...faultOpts(kind), httpStatus: status });
}

/**
 * What Node 24 appends to a certificate error's message (`self-signed certificate; if the root CA is installed
 * locally, try running Node.js with --use-system-ca`): advice about a command line the user of docstatus does not type,
 * and absent on Node 20 and 22. Dropped, so the message is the same on every Node.
 */
const NODE_CA_HINT = /;\s*if the root CA is installed locally, try running Node\.js with\s+--use-system-ca\s*$/;

/** The error's own message (sanitised, one line, without Node's --use-system-ca hint), else its code. */
function detail(err: unknown, code: string): string {
  for (let e: unknown = err, depth = 0; depth < 4 && typeof e === 'object' && e !== null; depth++, e = (e as { cause?: unknown }).cause) {
    if ((e as { code?: unknown }).code === code && typeof (e as { message?: unknown }).message === 'string') {
      return excerpt((e as { message: string }).message.replace(NODE_CA_HINT, '')) || code;
    }
  }
  return code;
}

/**
 * An HTTP answer that names no error the client knows (a gateway's HTML page, "Service Unavailable" in plain text), as
 * `HTTP 503 from HOST: Service Unavailable`: the first line of the body, sanitised and shortened.
 */
export function httpFault(status: number, host: string, body: string | undefined, kind: FaultKind, extra: ServiceError['opts'] = {}): ServiceError {
  const first = body === undefined ? '' : excerpt(body);
  const message = `HTTP ${status} from ${sanitize(host)}${first ? `: ${first}` : ''}`;
  return new ServiceError(`HTTP${status}`, message, { ...faultOpts(kind), httpStatus: status, ...extra });
}

/** The longest excerpt of a body an error message carries. */
const EXCERPT_CHARS = 120;

/** The first non-empty line of a body for a message: an HTML page's title or text, no control characters, shortened. */
export function excerpt(text: string): string {
  let t = text.slice(0, 16 * 1024);
  if (/^\s*</.test(t)) {
    const title = /<title[^>]*>([^<]*)</i.exec(t);
    t = title ? title[1]! : t.replace(/<[^>]*>/g, '\n');
  }
  const line = t
    .split(/\r?\n/)
    .map((l) => sanitize(l).replace(/\s+/g, ' ').trim())
    .find((l) => l !== '');
  if (!line) return '';
  return line.length > EXCERPT_CHARS ? `${line.slice(0, EXCERPT_CHARS - 1)}…` : line;
}
