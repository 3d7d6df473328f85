import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import type { AddressInfo, Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** One request an ad-hoc server answered. */
export interface SeenRequest {
  method: string;
  url: string;
  headers: IncomingMessage['headers'];
  body: string;
  at: number;
}

/** A small loopback server a test scripts for behaviour the emulator does not have (hostile or broken answers). */
export interface AdHocServer {
  url: string;
  /** host:port, as error messages name it */
  host: string;
  requests: SeenRequest[];
  /** TCP connections accepted (a TLS handshake that fails still counts) */
  connections: number;
  close(): Promise<void>;
}

type Handler = (req: SeenRequest, res: ServerResponse, n: number) => void;

/** Starts a server on 127.0.0.1 (https when a key and certificate are given); close() ends every socket and timer. */
export async function adHocServer(handler: Handler, tls?: { key: string; cert: string }): Promise<AdHocServer> {
  const sockets = new Set<Socket>();
  const state = { connections: 0 };
  const requests: SeenRequest[] = [];
  const listener = async (req: IncomingMessage, res: ServerResponse) => {
    const parts: Buffer[] = [];
    for await (const part of req) parts.push(part as Buffer);
    const seen = { method: req.method ?? '', url: req.url ?? '', headers: req.headers, body: Buffer.concat(parts).toString('utf8'), at: Date.now() };
    requests.push(seen);
    handler(seen, res, requests.length);
  };
  const server = tls ? createHttpsServer(tls, listener) : createServer(listener);
  server.on('connection', (socket: Socket) => {
    state.connections++;
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  server.on('tlsClientError', () => {});
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `${tls ? 'https' : 'http'}://127.0.0.1:${port}`,
    host: `127.0.0.1:${port}`,
    requests,
    get connections() {
      return state.connections;
    },
    close: () =>
      new Promise<void>((resolve) => {
        for (const s of sockets) s.destroy();
        server.close(() => resolve());
      }),
  };
}

/**
 * Sends 200 headers, then one space a second, never ending (a body a JSON parser would accept if it ever ended).
 * The timer ends with the connection.
 */
export function trickle(contentType: string): (req: SeenRequest, res: ServerResponse) => void {
  return (_req, res) => {
    res.writeHead(200, { 'content-type': contentType });
    res.write(' ');
    const timer = setInterval(() => res.write(' '), 1000);
    res.on('close', () => clearInterval(timer));
  };
}

/** Streams `bytes` of a JSON string body, with or without a content-length, minding backpressure. */
export function huge(bytes: number, opts: { contentLength: boolean; contentType: string }): (req: SeenRequest, res: ServerResponse) => void {
  return (_req, res) => {
    res.writeHead(200, { 'content-type': opts.contentType, ...(opts.contentLength && { 'content-length': String(bytes) }) });
    const chunk = Buffer.alloc(1024 * 1024, 'x');
    let left = bytes;
    res.write('"');
    left--;
    const pump = () => {
      while (left > 0 && !res.destroyed) {
        const n = Math.min(left, chunk.length);
        left -= n;
        if (!res.write(n === chunk.length ? chunk : chunk.subarray(0, n))) return void res.once('drain', pump);
      }
      if (!res.destroyed) res.end();
    };
    pump();
  };
}

/** A self-signed certificate for 127.0.0.1 and localhost made with openssl, or the reason there is none. */
export function selfSignedCert(): { key: string; cert: string } | { skip: string } {
  const dir = mkdtempSync(join(tmpdir(), 'docstatus-tls-'));
  try {
    execFileSync(
      'openssl',
      ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-days', '1', '-subj', '/CN=localhost', '-addext', 'subjectAltName=DNS:localhost,IP:127.0.0.1', '-keyout', join(dir, 'key.pem'), '-out', join(dir, 'cert.pem')],
      { stdio: 'ignore' },
    );
  } catch (err) {
    return { skip: `openssl could not make a certificate (${(err as Error).message.split('\n')[0]})` };
  }
  return { key: readFileSync(join(dir, 'key.pem'), 'utf8'), cert: readFileSync(join(dir, 'cert.pem'), 'utf8') };
}

/** An AWS JSON 1.1 error answer, as Kendra shapes it. */
export function awsJsonError(res: ServerResponse, status: number, type: string, message: string): void {
  res.writeHead(status, { 'content-type': 'application/x-amz-json-1.1', 'x-amzn-requestid': 'test' });
  res.end(JSON.stringify({ __type: type, message }));
}
