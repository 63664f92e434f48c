// npm run ops:disable-user -- --email ops@example.com [--delete true]
// Disables (or deletes) a myCOI ops account; its console sessions end at once.
// `npm run ops:create-user` with the same email re-enables it with a new password.
import { z } from 'zod';
import { disableOpsUser } from '../auth/ops-users';
import { openCliDatabase, parseArgs } from './db';

const Args = z.object({
  email: z.email('--email must be an email address'),
  delete: z.enum(['true', 'false']).optional(),
});

const parsed = Args.safeParse(parseArgs(process.argv.slice(2)));
if (!parsed.success) {
  console.error(
    `Usage: npm run ops:disable-user -- --email <email> [--delete true]\n${parsed.error.issues.map((i) => `  - ${i.message}`).join('\n')}`,
  );
  process.exit(2);
}
try {
  const { db } = await openCliDatabase();
  try {
    const remove = parsed.data.delete === 'true';
    const r = await disableOpsUser(db.pool, parsed.data.email, { delete: remove });
    if (!r.found) {
      console.error(`no ops account ${parsed.data.email.toLowerCase()}`);
      process.exitCode = 1;
    } else {
      console.log(`ops account ${parsed.data.email.toLowerCase()} ${remove ? 'deleted' : 'disabled'}; ${r.endedSessions} session(s) ended`);
    }
  } finally {
    await db.close();
  }
} catch (err) {
  console.error((err as Error).message);
  process.exit(1);
}
