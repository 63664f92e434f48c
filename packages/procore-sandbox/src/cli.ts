import { readFileSync } from 'node:fs';
import { createProcoreSandbox, type ProcoreSandboxOptions } from './index';

// `npm run sandbox:procore -- [--port 4010] [--host 127.0.0.1] [--seed demo|empty|<fixture.json>]`
//   `[--generate '{"vendors":2000}'] [--lenient]`
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

const sb = await createProcoreSandbox({ port, host: arg('host'), seed, strict: !process.argv.includes('--lenient') });
const lines = [
  `Procore sandbox listening on ${sb.url}`,
  `  OAuth (login host):  ${sb.url}/oauth/token   consent: ${sb.url}/oauth/authorize`,
  `  REST (API host):     ${sb.url}/rest/v1.0/…   admin: ${sb.url}/_sandbox/state`,
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
