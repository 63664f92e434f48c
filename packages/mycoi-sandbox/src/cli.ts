import { parseArgs } from 'node:util';
import { createMycoiSandbox } from './sandbox';

// `npm run sandbox:mycoi -- [--port 4020] [--host 127.0.0.1] [--large] [--latency 0]`. Prints the base URL and the
// seeded credentials (sandbox-only demo values, never real secrets).
const { values } = parseArgs({
  options: {
    port: { type: 'string', default: '4020' },
    host: { type: 'string', default: '127.0.0.1' },
    large: { type: 'boolean', default: false },
    latency: { type: 'string', default: '0' },
  },
});
const sb = await createMycoiSandbox({
  port: Number(values.port),
  host: values.host,
  latencyMs: Number(values.latency),
  seed: values.large ? { generate: {} } : 'demo',
});
const lines = [
  `myCOI sandbox listening on ${sb.url}`,
  '',
  'Accounts (OAuth client credentials, POST /oauth/token):',
  ...sb.seed.accounts.map(
    (a) =>
      `  ${a.id.padEnd(12)} ${a.name.padEnd(16)} client_id=${a.clientId} client_secret=${a.clientSecret} (${a.vendorIds.length} vendors, ${a.assignmentIds.length} assignments)`,
  ),
  '',
  'Users (POST /v1/auth/login):',
  ...sb.seed.users.map((u) => `  ${u.email.padEnd(18)} password=${u.password} account=${u.accountId} role=${u.role}`),
  '',
  `Admin: ${sb.url}/_sandbox/state · POST ${sb.url}/_sandbox/compliance/vendors/<id> {"status":"finalized_non_compliant"}`,
];
console.log(lines.join('\n'));
const stop = () => {
  void sb.close().then(() => process.exit(0));
};
process.on('SIGINT', stop);
process.on('SIGTERM', stop);
