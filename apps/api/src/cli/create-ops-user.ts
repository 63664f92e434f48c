// npm run ops:create-user -- --email ops@example.com --password '…'
// Creates a myCOI ops account, or resets its password when it exists (and re-enables it).
import { z } from 'zod';
import { upsertOpsUser } from '../auth/ops-users';
import { openCliDatabase, parseArgs } from './db';

const Args = z.object({
  email: z.email('--email must be an email address'),
  password: z.string().min(12, '--password must have at least 12 characters'),
});

const parsed = Args.safeParse(parseArgs(process.argv.slice(2)));
if (!parsed.success) {
  console.error(
    `Usage: npm run ops:create-user -- --email <email> --password <at least 12 characters>\n${parsed.error.issues.map((i) => `  - ${i.message}`).join('\n')}`,
  );
  process.exit(2);
}
try {
  const { db } = await openCliDatabase();
  try {
    const what = await upsertOpsUser(db.pool, parsed.data.email, parsed.data.password);
    console.log(`ops account ${parsed.data.email.toLowerCase()} ${what}`);
  } finally {
    await db.close();
  }
} catch (err) {
  console.error((err as Error).message);
  process.exit(1);
}
