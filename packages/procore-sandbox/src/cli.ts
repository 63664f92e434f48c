import { readFileSync } from 'node:fs';
import { createProcoreSandbox, PROCORE_LIMITS, type ProcoreSandboxOptions } from './index';

// `npm run sandbox:procore -- [--port 4010] [--host 127.0.0.1] [--seed demo|empty|<fixture.json>]`
//   `[--generate '{"vendors":2000}'] [--lenient] [--hourly 3600] [--spike 25]` — Procore's documented
// rate limits apply unless raised here (--lenient relaxes the strict readings of UNCONFIRMED
// behaviours, never the rate limits).
function arg(name: string): string | undefined {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? process.argv[i + 1] : undefined;
}

const port = Number(arg('port') ?? 4010);
let seed: ProcoreSandboxOptions['seed'] = 'demo';
const seedArg = arg('seed');
if (seedArg === 'empty' || seedArg === 'demo') seed = seedArg;
else if (seedArg) seed = JSON.parse(readFileSync(seedArg, 'utf8')) as ProcoreSandboxOptions['seed'];
const gen = arg('generate');
if (gen) seed = JSON.parse(gen) as ProcoreSandboxOptions['seed'];

function positive(name: string): number | undefined {
  const raw = arg(name);
  if (raw === undefined) return undefined;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < 1) throw new Error(`--${name} must be a positive integer (got ${raw})`);
  return n;
}
const rateLimit = { hourly: positive('hourly') ?? PROCORE_LIMITS.hourly, spike10s: positive('spike') ?? PROCORE_LIMITS.spike10s };

const sb = await createProcoreSandbox({ port, host: arg('host'), seed, rateLimit, strict: !process.argv.includes('--lenient') });
const lines = [
  `Procore sandbox listening on ${sb.url}`,
  `  OAuth (login host):  ${sb.url}/oauth/token   consent: ${sb.url}/oauth/authorize`,
  `  REST (API host):     ${sb.url}/rest/v1.0/…   admin: ${sb.url}/_sandbox/state`,
  `  Rate limits per token: ${rateLimit.hourly} an hour, ${rateLimit.spike10s} per 10 s`,
  '',
  'Apps (client id / secret → installed in companies):',
  ...sb.seed.apps.map((a) => `  ${a.clientId} / ${a.clientSecret} → ${a.companyIds.join(', ') || '(none)'}`),
  '',
  'Companies:',
  ...sb.seed.companies.map((c) => `  ${c.id} ${c.name} (${c.projectIds.length} projects, ${c.vendorIds.length} vendors)`),
  '',
  'Users (login / password):',
  ...sb.seed.users.slice(0, 10).map((u) => `  ${u.login} / ${u.password} → companies ${u.companyIds.join(', ')}`),
];
console.log(lines.join('\n'));

const stop = () => void sb.close().then(() => process.exit(0));
process.on('SIGINT', stop);
process.on('SIGTERM', stop);
