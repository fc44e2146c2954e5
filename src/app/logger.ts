/** Structured JSON logs on stdout, one line per event. Never log tokens or passwords. */
import type { Config } from './config';

const LEVELS = { debug: 10, info: 20, warn: 30, error: 40 } as const;
type Level = keyof typeof LEVELS;

export interface Logger {
  debug(msg: string, fields?: Record<string, unknown>): void;
  info(msg: string, fields?: Record<string, unknown>): void;
  warn(msg: string, fields?: Record<string, unknown>): void;
  error(msg: string, fields?: Record<string, unknown>): void;
}

/** Values under these keys never reach a log line, whoever passes them (callers should not; this is the backstop). */
const SECRET_KEY = /passw(or)?d|token|secret|authorization|cookie|api[-_]?key/i;
const redact = (key: string, value: unknown) => (key !== '' && SECRET_KEY.test(key) && value != null ? '[redacted]' : value);

export function createLogger(level: Config['logLevel'], write: (line: string) => void = (l) => process.stdout.write(l + '\n')): Logger {
  const log = (l: Level) => (msg: string, fields: Record<string, unknown> = {}) => {
    if (LEVELS[l] < LEVELS[level]) return;
    write(JSON.stringify({ time: new Date().toISOString(), level: l, msg, ...fields }, redact));
  };
  return { debug: log('debug'), info: log('info'), warn: log('warn'), error: log('error') };
}
