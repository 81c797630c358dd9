import type { Logger } from '../../src/logging/logger.js';

export interface LogLine {
  level: 'info' | 'warn' | 'error';
  fields: object;
  message: string;
}

/** A logger that keeps what it is told, for tests that assert a failure was reported. */
export class RecordingLogger implements Logger {
  readonly lines: LogLine[] = [];

  info = (fields: object, message: string): void => {
    this.lines.push({ level: 'info', fields, message });
  };

  warn = (fields: object, message: string): void => {
    this.lines.push({ level: 'warn', fields, message });
  };

  error = (fields: object, message: string): void => {
    this.lines.push({ level: 'error', fields, message });
  };
}
