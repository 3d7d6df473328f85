import { BlockList, isIP } from 'node:net';
import { UsageError } from './errors.js';
import { isLoopback } from './options.js';

// Which proxy a request goes through, from HTTPS_PROXY, HTTP_PROXY and NO_PROXY as curl reads them, for every service
// (README "Proxies and certificates"). One rule in one place, read from the injected environment (io.env): undici's
// EnvHttpProxyAgent and proxy-from-env each read process.env themselves, and each has its own reading of NO_PROXY
// (proxy-from-env matches a bare `example.com` only exactly; undici sends https through HTTP_PROXY when HTTPS_PROXY is
// unset), so the three services would not agree. Pure: no request is made here, nothing heavy is loaded.

/** The proxy one kind of URL goes through, as the environment names it. */
export interface Proxy {
  /** the proxy's URL, credentials included (never printed) */
  url: URL;
  /** the variable it came from, as set (`https_proxy` or `HTTPS_PROXY`), for messages */
  variable: string;
  /** host:port of the proxy, for messages (never the credentials) */
  host: string;
}

/** The proxies of a run: one per scheme, and the hosts that bypass them. */
export interface ProxySettings {
  http?: Proxy;
  https?: Proxy;
  noProxy: NoProxy;
}

/** NO_PROXY, parsed. */
interface NoProxy {
  all: boolean;
  entries: Array<{ host: string; port: number }>;
  cidr: BlockList;
}

/** A variable's value, lower-case name first (as curl and proxy-from-env read them); an empty value is unset. */
function read(env: Record<string, string | undefined>, name: string): { variable: string; value: string } | undefined {
  for (const variable of [name.toLowerCase(), name.toUpperCase()]) {
    const value = env[variable]?.trim();
    if (value) return { variable, value };
  }
  return undefined;
}

/** A proxy value as a URL's text: one without a scheme is an http proxy, as curl reads it (`proxy.corp:3128`). */
const withScheme = (value: string): string => (/^[a-z][a-z0-9+.-]*:\/\//i.test(value) ? value : `http://${value}`);

/** The user name and password of a proxy URL, decoded (parseProxy has checked they decode), or undefined if it has none. */
function proxyCredentials(url: URL): { user: string; password: string } | undefined {
  if (!url.username && !url.password) return undefined;
  return { user: decodeURIComponent(url.username), password: decodeURIComponent(url.password) };
}

/**
 * A proxy URL without its credentials, and the `Proxy-Authorization` value they make (Basic), if any: what an agent is
 * given, so that no agent keeps the password in the URL it holds (a dump of the agent, an error naming its proxy).
 */
export function proxyAuthorization(proxy: URL): { url: URL; authorization?: string } {
  const url = new URL(proxy.href);
  const credentials = proxyCredentials(url);
  url.username = '';
  url.password = '';
  if (credentials === undefined) return { url };
  return { url, authorization: `Basic ${Buffer.from(`${credentials.user}:${credentials.password}`).toString('base64')}` };
}

/** A proxy URL, or a UsageError naming the variable; the message never repeats the value (it may hold a password). */
function parseProxy(variable: string, value: string): Proxy {
  let url: URL;
  try {
    url = new URL(withScheme(value));
  } catch {
    throw new UsageError(`${variable}: not a proxy URL (expected http://[user:password@]host:port)`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new UsageError(`${variable}: '${url.protocol}' proxies are not supported (use an http:// or https:// proxy)`);
  }
  if (!url.hostname) throw new UsageError(`${variable}: the proxy URL has no host`);
  // undici's ProxyAgent refuses a proxy URL with a path, a query or a fragment ('invalid url') at the first request:
  // that was exit 70 mid-run. A proxy is a host and a port; a `/` alone is allowed.
  if (url.pathname !== '/' || url.search || url.hash) {
    throw new UsageError(`${variable}: the proxy URL has a path, a query or a fragment (expected http://[user:password@]host:port)`);
  }
  // The agents send the credentials decoded: a `%` that starts no escape would throw there, mid-run.
  try {
    proxyCredentials(url);
  } catch {
    throw new UsageError(`${variable}: the proxy URL's user name or password holds a malformed %-escape (write a % as %25)`);
  }
  const port = url.port || (url.protocol === 'https:' ? '443' : '80');
  return { url, variable, host: `${url.hostname}:${port}` };
}

/** NO_PROXY as curl reads it: names separated by commas or spaces; `*` alone is every host. */
function parseNoProxy(value: string | undefined): NoProxy {
  const out: NoProxy = { all: false, entries: [], cidr: new BlockList() };
  for (const raw of (value ?? '').toLowerCase().split(/[\s,]+/)) {
    if (!raw) continue;
    if (raw === '*') {
      out.all = true;
      continue;
    }
    // 10.0.0.0/8, fd00::/8: an address range (curl 7.86 and later)
    const range = /^(.+)\/(\d{1,3})$/.exec(raw);
    if (range) {
      const family = isIP(range[1]!.replace(/^\[|\]$/g, ''));
      const bits = Number(range[2]);
      if (family && bits <= (family === 4 ? 32 : 128)) out.cidr.addSubnet(range[1]!.replace(/^\[|\]$/g, ''), bits, family === 4 ? 'ipv4' : 'ipv6');
      continue;
    }
    // host:port, [v6]:port, a bare IPv6 address (curl wants them without brackets), or a name
    const withPort = /^(\[[^\]]+\]|[^:]+):(\d+)$/.exec(raw);
    const host = (withPort ? withPort[1]! : raw).replace(/^\[|\]$/g, '').replace(/^\*?\./, '');
    if (host) out.entries.push({ host, port: withPort ? Number(withPort[2]) : 0 });
  }
  return out;
}

/**
 * The proxies the environment names, for the schemes a run uses (a bad value of a variable the run would use is bad
 * input, exit 2, before any request; a variable for another scheme is not read).
 */
export function proxySettings(env: Record<string, string | undefined>, schemes: ReadonlyArray<'http' | 'https'>): ProxySettings {
  const out: ProxySettings = { noProxy: parseNoProxy(read(env, 'no_proxy')?.value) };
  for (const scheme of schemes) {
    const found = read(env, `${scheme}_proxy`);
    if (found) out[scheme] = parseProxy(found.variable, found.value);
  }
  return out;
}

/** Whether NO_PROXY lets a host reach its server directly: the name itself or a subdomain of it, at any or that port. */
function bypassed(noProxy: NoProxy, hostname: string, port: number): boolean {
  if (noProxy.all) return true;
  const host = hostname.replace(/^\[|\]$/g, '').replace(/\.$/, '').toLowerCase();
  const family = isIP(host);
  if (family && noProxy.cidr.check(host, family === 4 ? 'ipv4' : 'ipv6')) return true;
  return noProxy.entries.some((e) => (e.port === 0 || e.port === port) && (host === e.host || (!family && host.endsWith(`.${e.host}`))));
}

/** The proxy a request to this URL goes through, or undefined: straight to the server. */
export function proxyFor(settings: ProxySettings, url: { protocol?: string; hostname?: string; port?: number | string }): Proxy | undefined {
  const secure = url.protocol === 'https:';
  const proxy = secure ? settings.https : url.protocol === 'http:' ? settings.http : undefined;
  if (!proxy || !url.hostname) return undefined;
  const port = Number(url.port) || (secure ? 443 : 80);
  return bypassed(settings.noProxy, url.hostname, port) ? undefined : proxy;
}

/**
 * A credential over plain http goes to loopback only (CONTRACT "Credentials and endpoints"): through a proxy, the
 * request travels to the proxy in the clear, so that proxy must be on loopback too. An https endpoint through any
 * proxy is a CONNECT tunnel, TLS end to end.
 */
export function checkPlainHttpProxy(endpoint: URL, settings: ProxySettings, what: string): void {
  if (endpoint.protocol !== 'http:') return;
  const proxy = proxyFor(settings, endpoint);
  if (proxy && !isLoopback(proxy.url.hostname)) {
    throw new UsageError(
      `${proxy.variable}: refusing to send ${what} over plain http through the proxy ${proxy.host} (http:// endpoints get credentials only on loopback: add ${endpoint.hostname} to NO_PROXY)`,
    );
  }
}

/**
 * What the proxy URLs hold that must never be shown, by what it is (for the run's warning about a secret too short to
 * scrub): each user name and password, plain and percent-encoded, `user:password`, and the Basic token they make.
 */
export function proxySecrets(env: Record<string, string | undefined>): Array<[string, string[]]> {
  const out: Array<[string, string[]]> = [];
  for (const name of ['http_proxy', 'HTTP_PROXY', 'https_proxy', 'HTTPS_PROXY']) {
    // trimmed, as read() reads it for the run: an untrimmed value would be no URL here, and its password no secret
    const value = env[name]?.trim();
    if (!value) continue;
    try {
      const url = new URL(withScheme(value));
      const credentials = proxyCredentials(url);
      if (!credentials) continue;
      const { user, password } = credentials;
      out.push([`the proxy user name of ${name}`, [url.username, user].filter(Boolean)]);
      const pair = `${user}:${password}`;
      out.push([`the proxy password of ${name}`, [url.password, password, `${url.username}:${url.password}`, pair, Buffer.from(pair).toString('base64')].filter(Boolean)]);
    } catch {
      // not a URL: the command says so (exit 2); its text is never printed
    }
  }
  return out.filter(([, values]) => values.length > 0);
}

/** The environment without its proxy variables (either case): for requests that only ever go to this process's own loopback server. */
export function withoutProxies(env: Record<string, string | undefined>): Record<string, string | undefined> {
  return Object.fromEntries(Object.entries(env).filter(([name]) => !['http_proxy', 'https_proxy', 'no_proxy'].includes(name.toLowerCase())));
}

/**
 * The message of a connection on which no TLS was spoken (ERR_SSL_WRONG_VERSION_NUMBER), `host` already cleaned for
 * display. Through an https:// proxy the first TLS is the proxy's own: a plain http proxy given as https:// fails just
 * so, so the proxy is named first (by host and variable, never its credentials); through an http:// proxy only the
 * endpoint speaks TLS.
 */
export function noTlsMessage(host: string, proxy?: { host: string; variable: string; url?: URL }): string {
  const p = proxy && `the proxy ${cleanHost(proxy.host)} (${proxy.variable})`;
  if (p && proxy.url?.protocol === 'https:') {
    return `${p} or ${host} behind it does not speak TLS: is it a plain http proxy? Then write http:// in ${proxy.variable}`;
  }
  return `${host} does not speak TLS on that port (an http:// server behind an https:// URL?)${p ? `, reached through ${p}` : ''}`;
}

/** A proxy's host:port as a message shows it: it came from the environment, so nothing in it may start a new line. */
const cleanHost = (host: string): string => host.replace(/[^\x21-\x7e]/g, '?');
