import type { IncomingHttpHeaders } from 'node:http';
import type { Fault, Reply } from './scenario.js';

/** One request as a service's emulator sees it (the server has read the body and drawn its faults). */
export interface EmulatedRequest {
  method: string;
  url: URL;
  headers: IncomingHttpHeaders;
  body: string | undefined;
  faults: readonly Fault[];
  /** the emulator's own base URL as the client reached it (for nextLinks) */
  origin: string;
  /** what the request log keeps for tests: the document IDs it asked about, its parsed body */
  note(details: { ids?: string[]; input?: Record<string, unknown> }): void;
}

/** A service's part of the emulator: its routes and answers. The server routes each request to the first that matches. */
export interface ServiceEmulator {
  /** The operation (or route) a request is, when it is this service's; undefined otherwise. */
  match(method: string, url: URL, headers: IncomingHttpHeaders): string | undefined;
  /** The answer to one request of this service (faults that break the wire format are the server's). */
  handle(op: string, req: EmulatedRequest): Reply;
  /** the content type of its answers (default application/json) */
  readonly contentType?: string;
}

/** How a service folder's emulator.ts makes its part from the scenario's section for it. */
export type EmulatorFactory<S> = (scenario: S, clock: import('../core/clock.js').Clock) => ServiceEmulator;
