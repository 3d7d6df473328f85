import { Agent as HttpAgent, type ClientRequest } from 'node:http';
import { Agent as HttpsAgent } from 'node:https';
import { HttpProxyAgent } from 'http-proxy-agent';
import { HttpsProxyAgent } from 'https-proxy-agent';
import { proxyAuthorization, type ProxySettings, proxyFor } from './proxy.js';

// The node:http(s) agents the AWS SDK's request handler sends through (the SDK reads no proxy variable itself): each
// connection goes through the proxy that proxyFor() names for its host, or straight to the server. Loaded with import()
// only when a proxy or AWS_CA_BUNDLE is set, so a run without them loads none of this.

/** The SDK's own defaults for its agents (@smithy/node-http-handler): kept, so a proxy changes nothing else. */
const POOL = { keepAlive: true, maxSockets: 50 };

/**
 * The proxy's URL without its credentials, and the credentials as a header function: an agent keeps both as
 * properties, and a dump of the agent (util.inspect) shows a function's closure no more than DEBUG=* does
 * (src/core/no-debug.ts). NODE_DEBUG=http is Node's own dump of every request's headers, secrets or not.
 */
function split(proxy: URL): { url: URL; headers: () => Record<string, string> } {
  const { url, authorization } = proxyAuthorization(proxy);
  const header: Record<string, string> = authorization === undefined ? {} : { 'Proxy-Authorization': authorization };
  return { url, headers: () => ({ ...header }) };
}

/** What agent-base hands to connect(): the request's options. */
type ConnectOpts = Parameters<HttpsProxyAgent<string>['connect']>[1];

/** The agents for AWS requests: `ca` (AWS_CA_BUNDLE's certificates) replaces Node's trust store for the endpoint's TLS. */
export function awsAgents(settings: ProxySettings, ca: string | undefined): { httpAgent: HttpAgent; httpsAgent: HttpsAgent } {
  const tls = ca === undefined ? {} : { ca };
  const directHttps = new HttpsAgent({ ...POOL, ...tls });
  const directHttp = new HttpAgent(POOL);
  let httpsAgent: HttpsAgent = directHttps;
  if (settings.https) {
    /** CONNECT through the proxy (TLS end to end, verified with `ca`), or the direct agent for a host NO_PROXY names. */
    class Tunnel extends HttpsProxyAgent<string> {
      override async connect(req: ClientRequest, opts: ConnectOpts) {
        if (!proxyFor(settings, { protocol: 'https:', hostname: opts.host, port: opts.port })) return directHttps as never;
        // Any answer to CONNECT but 200 is the proxy's own, never the service's: https-proxy-agent would replay it to the
        // SDK as the service's response, TLS never begun (a proxy's `201` with a made-up body read as every document
        // INDEXED). It is a refusal by the proxy (faults.ts proxyRefusal), and no byte of it is read as an answer.
        let status: number | undefined;
        req.once('proxyConnect', (connect: { statusCode?: number }) => {
          status = connect.statusCode;
        });
        const socket = await super.connect(req, { ...opts, ...tls });
        if (status !== undefined && status !== 200) {
          socket.destroy();
          throw Object.assign(new Error(`the proxy answered CONNECT with HTTP ${status}`), { proxyStatus: status });
        }
        return socket;
      }
    }
    // The proxy's own TLS (an https:// proxy) is checked with Node's CAs: AWS_CA_BUNDLE is for the endpoint.
    const { url, headers } = split(settings.https.url);
    httpsAgent = new Tunnel(url, { ...POOL, headers }) as unknown as HttpsAgent;
  }
  let httpAgent: HttpAgent = directHttp;
  if (settings.http) {
    /** The request in absolute form to the proxy (as curl sends plain http), or the direct agent for a host NO_PROXY names. */
    class Forward extends HttpProxyAgent<string> {
      override addRequest(req: ClientRequest, opts: ConnectOpts): void {
        const host = (opts as { host?: string }).host;
        if (!proxyFor(settings, { protocol: 'http:', hostname: host, port: opts.port })) {
          (directHttp as unknown as { addRequest(r: ClientRequest, o: unknown): void }).addRequest(req, opts);
          return;
        }
        super.addRequest(req as Parameters<HttpProxyAgent<string>["addRequest"]>[0], opts);
      }
    }
    const { url, headers } = split(settings.http.url);
    httpAgent = new Forward(url, { ...POOL, headers }) as unknown as HttpAgent;
  }
  return { httpAgent, httpsAgent };
}
