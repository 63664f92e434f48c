// npm run bench:scale — the job system with hundreds of tenants (issue 15). See bench/scale-run.ts.
// The two-instance phase needs one PostgreSQL 15 both instances share: without DATABASE_URL this
// starts a throwaway cluster (scripts/with-postgres.sh, on a free port so it does not collide
// with a test run's cluster) and runs the bench inside it.
import { spawn } from 'node:child_process';
import { createServer } from 'node:net';
import { fileURLToPath } from 'node:url';

if (process.env.DATABASE_URL) {
  await import('./scale-run');
} else {
  const port = await new Promise<number>((resolve) => {
    const s = createServer().listen(0, '127.0.0.1', () => {
      const a = s.address();
      s.close(() => resolve(typeof a === 'object' && a ? a.port : 55433));
    });
  });
  const root = fileURLToPath(new URL('..', import.meta.url));
  const child = spawn(
    'bash',
    ['scripts/with-postgres.sh', process.execPath, '--import', 'tsx', 'bench/scale-run.ts', ...process.argv.slice(2)],
    { cwd: root, stdio: 'inherit', env: { ...process.env, PGPORT_TEST: String(port) } },
  );
  child.on('exit', (code, signal) => process.exit(code ?? (signal ? 1 : 0)));
}
