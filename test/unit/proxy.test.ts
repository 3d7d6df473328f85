import { describe, expect, it } from 'vitest';
import { UsageError } from '../../src/core/errors.js';
import { checkPlainHttpProxy, proxyAuthorization, proxyFor, proxySecrets, proxySettings } from '../../src/core/proxy.js';

// core/proxy.ts: which proxy a URL goes through, as curl reads HTTPS_PROXY, HTTP_PROXY and NO_PROXY.

const via = (env: Record<string, string>, url: string) => {
  const u = new URL(url);
  return proxyFor(proxySettings(env, ['http', 'https']), u)?.url.href;
};

describe('which variable a URL reads', () => {
  it.each([
    ['https uses HTTPS_PROXY', { HTTPS_PROXY: 'http://p:1' }, 'https://kendra.us-east-1.amazonaws.com', 'http://p:1/'],
    ['https never falls back to HTTP_PROXY', { HTTP_PROXY: 'http://p:1' }, 'https://kendra.us-east-1.amazonaws.com', undefined],
    ['http uses HTTP_PROXY', { HTTP_PROXY: 'http://p:1' }, 'http://127.0.0.1:8790', 'http://p:1/'],
    ['http never uses HTTPS_PROXY', { HTTPS_PROXY: 'http://p:1' }, 'http://127.0.0.1:8790', undefined],
    ['lower case wins when both are set', { https_proxy: 'http://lower:1', HTTPS_PROXY: 'http://upper:1' }, 'https://x.example', 'http://lower:1/'],
    ['an empty lower-case variable counts as unset', { https_proxy: '', HTTPS_PROXY: 'http://upper:1' }, 'https://x.example', 'http://upper:1/'],
    ['a value without a scheme is an http proxy', { HTTPS_PROXY: 'proxy.corp:3128' }, 'https://x.example', 'http://proxy.corp:3128/'],
    ['an https proxy', { HTTPS_PROXY: 'https://proxy.corp' }, 'https://x.example', 'https://proxy.corp/'],
    ['loopback is not bypassed unless NO_PROXY says so', { HTTP_PROXY: 'http://p:1' }, 'http://localhost:8790', 'http://p:1/'],
  ])('%s', (_what, env, url, expected) => expect(via(env, url)).toBe(expected));

  it('names the variable as set, and the proxy by host:port (the default port of its scheme when none is given)', () => {
    const s = proxySettings({ https_proxy: 'http://u:pw@proxy.corp', HTTP_PROXY: 'https://[::1]' }, ['http', 'https']);
    expect([s.https?.variable, s.https?.host, s.http?.variable, s.http?.host]).toEqual(['https_proxy', 'proxy.corp:80', 'HTTP_PROXY', '[::1]:443']);
  });

  it('reads only the schemes a run uses: a bad HTTP_PROXY does not stop an https-only run', () => {
    expect(() => proxySettings({ HTTP_PROXY: 'http://[bad' }, ['https'])).not.toThrow();
    expect(() => proxySettings({ HTTP_PROXY: 'http://[bad' }, ['http'])).toThrow(UsageError);
  });
});

describe('NO_PROXY, as curl reads it', () => {
  const env = (noProxy: string) => ({ HTTPS_PROXY: 'http://p:1', HTTP_PROXY: 'http://p:1', NO_PROXY: noProxy });
  it.each([
    ['*', 'https://anything.example', true],
    ['amazonaws.com', 'https://kendra.us-east-1.amazonaws.com', true],
    ['amazonaws.com', 'https://amazonaws.com', true],
    ['.amazonaws.com', 'https://kendra.us-east-1.amazonaws.com', true],
    ['*.amazonaws.com', 'https://bedrock-agent.eu-west-1.amazonaws.com', true],
    ['amazonaws.com', 'https://notamazonaws.com', false],
    ['ample.com', 'https://www.example.com', false],
    ['example.com:8443', 'https://example.com:8443', true],
    ['example.com:8443', 'https://example.com', false],
    ['a.example, b.example c.example', 'https://c.example', true],
    ['EXAMPLE.com', 'https://www.Example.COM', true],
    ['127.0.0.1', 'http://127.0.0.1:8790', true],
    ['0.0.1', 'http://127.0.0.1:8790', false],
    ['127.0.0.0/8', 'http://127.0.0.2:8790', true],
    ['10.0.0.0/8', 'http://127.0.0.1:8790', false],
    ['::1', 'http://[::1]:8790', true],
    ['[::1]:8790', 'http://[::1]:8790', true],
    ['fd00::/8', 'https://[fd12::1]', true],
    ['localhost', 'http://127.0.0.1:8790', false],
    ['', 'https://x.example', false],
  ])('NO_PROXY=%j for %s: bypassed %s', (noProxy, url, bypassed) => expect(via(env(noProxy), url) === undefined).toBe(bypassed));

  it('lower-case no_proxy wins over NO_PROXY', () => {
    expect(via({ HTTPS_PROXY: 'http://p:1', no_proxy: 'a.example', NO_PROXY: '*' }, 'https://b.example')).toBe('http://p:1/');
  });
});

describe('bad values: one line naming the variable, never the value', () => {
  it.each([
    ['http://user:s3cretpassword@[bad', 'HTTPS_PROXY: not a proxy URL (expected http://[user:password@]host:port)'],
    ['socks5://user:s3cretpassword@p:1080', "HTTPS_PROXY: 'socks5:' proxies are not supported (use an http:// or https:// proxy)"],
    ['ftp://p', "HTTPS_PROXY: 'ftp:' proxies are not supported (use an http:// or https:// proxy)"],
    ['http://us%E0er:s3cretpassword@p:1', "HTTPS_PROXY: the proxy URL's user name or password holds a malformed %-escape (write a % as %25)"],
    // accepted, then undici's 'invalid url' at the first request: exit 70
    ...['http://p:1/x', 'http://user:s3cretpassword@p:1/path', 'http://p:1?x=1', 'http://p:1/#f', 'p:1/x'].map((value) => [
      value,
      'HTTPS_PROXY: the proxy URL has a path, a query or a fragment (expected http://[user:password@]host:port)',
    ]),
  ])('%s', (value, message) => {
    expect(() => proxySettings({ HTTPS_PROXY: value }, ['https'])).toThrow(new UsageError(message));
  });
});

describe('plain http with a credential through a proxy', () => {
  const check = (env: Record<string, string>, endpoint: string) => () => checkPlainHttpProxy(new URL(endpoint), proxySettings(env, ['http', 'https']), 'a key');
  it('is refused through a proxy off loopback, allowed through one on loopback, or direct by NO_PROXY', () => {
    expect(check({ HTTP_PROXY: 'http://proxy.corp:3128' }, 'http://127.0.0.1:8790')).toThrow(
      'HTTP_PROXY: refusing to send a key over plain http through the proxy proxy.corp:3128 (http:// endpoints get credentials only on loopback: add 127.0.0.1 to NO_PROXY)',
    );
    expect(check({ HTTP_PROXY: 'http://127.0.0.1:3128' }, 'http://127.0.0.1:8790')).not.toThrow();
    expect(check({ HTTP_PROXY: 'http://proxy.corp:3128', NO_PROXY: 'localhost,127.0.0.1' }, 'http://127.0.0.1:8790')).not.toThrow();
    // https through any proxy is a CONNECT tunnel
    expect(check({ HTTPS_PROXY: 'http://proxy.corp:3128' }, 'https://x.cognitiveservices.azure.com')).not.toThrow();
  });
});

describe('proxySecrets: what runtime.ts keeps out of every output', () => {
  it('the user name and the password plain and percent-encoded, user:password, and the Basic token; nothing for a URL without them', () => {
    const out = proxySecrets({ HTTPS_PROXY: 'http://m%65:pa%40ss-word-123@p:1', HTTP_PROXY: 'http://p:1', https_proxy: 'not a url at all' });
    expect(out).toEqual([
      ['the proxy user name of HTTPS_PROXY', ['m%65', 'me']],
      ['the proxy password of HTTPS_PROXY', ['pa%40ss-word-123', 'pa@ss-word-123', 'm%65:pa%40ss-word-123', 'me:pa@ss-word-123', Buffer.from('me:pa@ss-word-123').toString('base64')]],
    ]);
  });

  it('a value with white space around it, as the run reads it (trimmed): its credentials are still secrets', () => {
    const env = { HTTPS_PROXY: ' \thttp://alice:longpassword1@proxy.corp:3128\n' };
    // the run uses this proxy, with these credentials...
    expect(proxySettings(env, ['https']).https?.url.password).toBe('longpassword1');
    // ...so they are kept out of every output (before: the untrimmed value was no URL, and the list was empty)
    expect(proxySecrets(env)).toEqual([
      ['the proxy user name of HTTPS_PROXY', ['alice', 'alice']],
      ['the proxy password of HTTPS_PROXY', ['longpassword1', 'longpassword1', 'alice:longpassword1', 'alice:longpassword1', Buffer.from('alice:longpassword1').toString('base64')]],
    ]);
  });
});

describe('proxyAuthorization: what the agents are given (Azure\'s undici ProxyAgent and the AWS agents alike)', () => {
  it('the URL without its credentials, and their Basic token, decoded first', () => {
    const { url, authorization } = proxyAuthorization(new URL('http://me:pa%40ss-word-123@proxy.corp:3128'));
    expect(url.href).toBe('http://proxy.corp:3128/');
    expect(authorization).toBe(`Basic ${Buffer.from('me:pa@ss-word-123').toString('base64')}`);
    expect(proxyAuthorization(new URL('http://proxy.corp:3128'))).toEqual({ url: new URL('http://proxy.corp:3128') });
  });
});

