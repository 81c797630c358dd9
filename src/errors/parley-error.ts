import { errorCodes, type ErrorCode } from './error-codes.js';
import type { UnsequencedFrame } from '../protocol/index.js';

/** The one error type: a stable code, a message for people, and what it maps to on each wire. */
export class ParleyError extends Error {
  readonly code: ErrorCode;
  readonly status: number;
  readonly recoverable: boolean;
  /** For `rate_limited` and `quota_exceeded`: whole seconds until trying again can succeed. */
  readonly retryAfterSeconds: number | undefined;

  constructor(code: ErrorCode, message: string, options?: { cause?: unknown; retryAfterSeconds?: number }) {
    super(message, options);
    this.name = 'ParleyError';
    this.code = code;
    this.status = errorCodes[code].status;
    this.recoverable = errorCodes[code].recoverable;
    this.retryAfterSeconds = options?.retryAfterSeconds;
  }

  toFrame(id?: string): Extract<UnsequencedFrame, { type: 'error' }> {
    return {
      type: 'error',
      code: this.code,
      message: this.message,
      recoverable: this.recoverable,
      ...(this.retryAfterSeconds === undefined ? {} : { retry_after_s: this.retryAfterSeconds }),
      ...(id === undefined ? {} : { id }),
    };
  }

  /** RFC 9457 problem details, the body of every HTTP error. */
  toProblem(instance?: string) {
    return {
      type: `about:blank#${this.code}`,
      title: this.code,
      status: this.status,
      detail: this.message,
      code: this.code,
      ...(this.retryAfterSeconds === undefined ? {} : { retry_after_s: this.retryAfterSeconds }),
      ...(instance === undefined ? {} : { instance }),
    };
  }
}

export function isParleyError(error: unknown): error is ParleyError {
  return error instanceof ParleyError;
}

/** Anything thrown becomes a ParleyError; unknown failures become `internal`. */
export function toParleyError(error: unknown, fallback: ErrorCode = 'internal'): ParleyError {
  if (error instanceof ParleyError) return error;
  const message = error instanceof Error ? error.message : String(error);
  return new ParleyError(fallback, message, { cause: error });
}
