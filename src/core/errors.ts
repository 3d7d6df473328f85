import { EXIT } from './exit-codes.js';
import { sanitize } from './sanitize.js';

/** Bad usage or bad input: exit 2, nothing sent. The message names the flag or the input line. */
export class UsageError extends Error {
  override readonly name = 'UsageError';
  readonly exitCode = EXIT.usage;
}

/** A request that failed: the service's code and message, and whether asking again may help. */
export class ServiceError extends Error {
  override readonly name = 'ServiceError';
  constructor(
    readonly code: string,
    message: string,
    readonly opts: {
      /** retry the same request at once (throttling, 5xx, connection faults) */
      transient?: boolean;
      /** the service asked us to slow down */
      throttled?: boolean;
      /** the service's Retry-After, in ms */
      retryAfterMs?: number;
      /** ask again next round with --wait (false for auth, not-found, validation) */
      askAgain?: boolean;
      /** no request of this run can succeed (credentials, unknown index or batch, a host that does not exist): the run
       * ends at once with a run-level error */
      permanent?: boolean;
      httpStatus?: number;
    } = {},
  ) {
    super(message);
  }
}

/** Whatever a request threw, as a ServiceError: one the client did not classify is asked about again with --wait. */
export function toServiceError(err: unknown): ServiceError {
  if (err instanceof ServiceError) return err;
  return new ServiceError('Error', sanitize(describeError(err)) || 'the request failed', { askAgain: true });
}

/** One line for stderr, whatever was thrown. */
export function describeError(err: unknown): string {
  if (err instanceof Error) return err.message;
  return String(err);
}
