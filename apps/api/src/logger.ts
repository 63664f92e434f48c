import { pino, type Logger, type DestinationStream } from 'pino';

/**
 * The second line only. The request log is built from an allow-list (apps/api/src/http/request-log.ts)
 * and carries no headers or URLs; these paths blank secrets that other lines might still hold by
 * name, wherever they appear.
 */
export const REDACT_PATHS = [
  'req.headers.authorization',
  'req.headers.cookie',
  'req.headers["mycoi-signature"]',
  'req.headers["x-mycoi-signature"]',
  'res.headers["set-cookie"]',
  'headers.authorization',
  'headers.cookie',
  'headers["mycoi-signature"]',
];

const SECRET_KEYS = [
  'password',
  'client_secret',
  'clientSecret',
  'secret',
  'access_token',
  'refresh_token',
  'id_token',
  'token',
  'code',
  'state',
  'signature',
  'authorization',
  'cookie',
];
// pino's `*` matches exactly one level, so list the keys at the top and one and two levels deep.
for (const key of SECRET_KEYS) REDACT_PATHS.push(key, `*.${key}`, `*.*.${key}`);

// OAuth codes, signed states and tokens inside a URL or a message: the value after the `=` goes.
const URL_SECRET = /([?&](?:code|state|access_token|refresh_token|token|client_secret)=)[^&\s"']+/gi;

/**
 * Values known to be secret (decrypted credentials, issued tokens) are scrubbed from every line
 * whatever key or depth they appear under: path-based redaction cannot see inside messages.
 */
const knownSecrets = new Set<string>();
export function registerSecret(value: string | undefined | null): void {
  if (value && value.length >= 8) knownSecrets.add(value);
}
export function scrubSecrets(line: string): string {
  let out = line.replace(URL_SECRET, '$1[redacted]');
  for (const v of knownSecrets) if (out.includes(v)) out = out.split(v).join('[redacted]');
  return out;
}

export interface LoggerOptions {
  level: string;
  /** human-readable lines (pino-pretty); the default is pretty when stdout is a terminal */
  pretty?: boolean;
  destination?: DestinationStream;
}

/** JSON lines for machines; pino-pretty when a person is watching a terminal. */
export function createLogger(options: LoggerOptions): Logger {
  const base = {
    level: options.level,
    redact: { paths: REDACT_PATHS, censor: '[redacted]' },
    hooks: { streamWrite: scrubSecrets },
  };
  if (options.destination) return pino(base, options.destination);
  if (options.pretty ?? process.stdout.isTTY === true) {
    return pino({ ...base, transport: { target: 'pino-pretty', options: { translateTime: 'SYS:HH:MM:ss', ignore: 'pid,hostname' } } });
  }
  return pino(base);
}

/**
 * A plain line for a person starting the demo (e.g. the ops sign-in), printed as is rather than
 * inside a JSON log line where nobody would spot it.
 */
export function printNotice(text: string, out: { write(s: string): unknown } = process.stdout): void {
  out.write(`\n  ${text}\n\n`);
}
