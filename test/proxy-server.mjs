// A real HTTP proxy for the proxy tests (TooTallNate's `proxy`, the one https-proxy-agent is tested with), run as its
// own process: `node test/proxy-server.mjs [USER:PASSWORD]`. It listens on 127.0.0.1, port 0, prints
// `listening PORT`, then one line per request it is asked to pass on: `CONNECT host:port` for a tunnel,
// `GET http://host:port/path` for a forwarded request, each with ` 407` when it refused it for want of credentials.
import { createServer } from 'node:http';
import { createProxy } from 'proxy';

const credentials = process.argv[2];
const expected = credentials === undefined ? undefined : `Basic ${Buffer.from(credentials).toString('base64')}`;
const server = createProxy(createServer());
const say = (line) => process.stdout.write(`${line}\n`);
server.authenticate = (req) => {
  const ok = expected === undefined || req.headers['proxy-authorization'] === expected;
  say(`${req.method} ${req.url}${ok ? '' : ' 407'}`);
  return ok;
};
server.listen(0, '127.0.0.1', () => say(`listening ${server.address().port}`));
for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => process.exit(0));
