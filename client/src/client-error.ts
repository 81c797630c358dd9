import type { ErrorCode, ErrorFrame } from './frames.js';

/**
 * The client's own code: the client was closed while a turn waited. Every other code is the
 * server's (docs/protocol.md#errors); a newer server may send codes this release does not name.
 */
export type ParleyErrorCode = ErrorCode | 'client_closed' | (string & {});

/** The one error the client throws and reports. Branch on `code`, never on `message`. */
export class ParleyClientError extends Error {
  readonly code: ParleyErrorCode;
  /** False: trying the same thing again fails the same way until something changes. */
  readonly recoverable: boolean;
  /** `rate_limited`, `quota_exceeded`: whole seconds until trying again can succeed. */
  readonly retryAfterSeconds: number | undefined;
  /** The server's `error` frame, when the error came from one. */
  readonly frame: ErrorFrame | undefined;

  constructor(code: ParleyErrorCode, message: string, options: { recoverable?: boolean; retryAfterSeconds?: number; frame?: ErrorFrame } = {}) {
    super(message);
    this.name = 'ParleyClientError';
    this.code = code;
    this.recoverable = options.recoverable ?? true;
    this.retryAfterSeconds = options.retryAfterSeconds;
    this.frame = options.frame;
  }

  static fromFrame(frame: ErrorFrame): ParleyClientError {
    return new ParleyClientError(frame.code, frame.message, {
      recoverable: frame.recoverable,
      ...(frame.retry_after_s === undefined ? {} : { retryAfterSeconds: frame.retry_after_s }),
      frame,
    });
  }
}
