/**
 * What Parley's modules need from a logger, handed to them by whoever builds them: Fastify's
 * `app.log` (pino) satisfies it, and a test can pass one that records the calls. The message
 * is fixed text; what varies (ids, the error as `err`) goes in the fields.
 */
export interface Logger {
  info(fields: object, message: string): void;
  warn(fields: object, message: string): void;
  error(fields: object, message: string): void;
}

/** For a module that only reports the failures it recovers from. */
export type WarningLogger = Pick<Logger, 'warn'>;
