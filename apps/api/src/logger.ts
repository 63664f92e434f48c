import { pino, type Logger, type DestinationStream } from 'pino';

/** Paths pino blanks out wherever they appear; secrets must never reach a log line. */
export const REDACT_PATHS = [
  'req.headers.authorization',
  'req.headers.cookie',
  'req.headers["x-mycoi-signature"]',
  'res.headers["set-cookie"]',
  '*.password',
  '*.client_secret',
  '*.clientSecret',
  '*.secret',
  '*.access_token',
  '*.refresh_token',
  '*.token',
  '*.code',
];

const SECRET_KEYS = ['password', 'client_secret', 'clientSecret', 'secret', 'access_token', 'refresh_token', 'token', 'code'];
// pino's `*` matches exactly one level, so list the keys one and two levels deep.
for (const key of SECRET_KEYS) REDACT_PATHS.push(`*.*.${key}`);

/**
 * Values known to be secret (decrypted credentials, issued tokens) are scrubbed from every line
 * whatever key or depth they appear under: path-based redaction cannot see inside messages.
 */
const knownSecrets = new Set<string>();
export function registerSecret(value: string | undefined | null): void {
  if (value && value.length >= 8) knownSecrets.add(value);
}
export function scrubSecrets(line: string): string {
  let out = line;
  for (const v of knownSecrets) if (out.includes(v)) out = out.split(v).join('[redacted]');
  return out;
}

export interface LoggerOptions {
  level: string;
  pretty?: boolean;
  destination?: DestinationStream;
}

export function createLogger(options: LoggerOptions): Logger {
  const base = {
    level: options.level,
    redact: { paths: REDACT_PATHS, censor: '[redacted]' },
    hooks: { streamWrite: scrubSecrets },
  };
  if (options.destination) return pino(base, options.destination);
  if (options.pretty) {
    return pino({ ...base, transport: { target: 'pino-pretty', options: { translateTime: 'SYS:HH:MM:ss', ignore: 'pid,hostname' } } });
  }
  return pino(base);
}
