import type { ServiceContext } from '../deps';
import { DEMO_OPS_EMAIL, DEMO_OPS_PASSWORD, seedDemoOpsUser } from '../auth/ops-users';
import { createMailer, type Mailer } from '../mail/mailer';
import { verifyEncryptionKeys } from '../secrets/keycheck';
import { printNotice } from '../logger';

/**
 * Tenant-side boot, called from startServices: the encryption key check (a wrong key stops the
 * boot here, with a message naming the key id), the mailer, and in the demo the ops account.
 */
export async function startTenantServices(ctx: ServiceContext): Promise<{ mailer: Mailer }> {
  const keys = await verifyEncryptionKeys(ctx.db.pool, ctx.config.encryption);
  if (keys.endedSessions > 0) {
    ctx.logger.warn(
      `${keys.endedSessions} side-panel session(s)/grant(s) used an encryption key no longer configured: ended (their users sign in again)`,
    );
  }
  const mailer = createMailer({ smtpUrl: ctx.config.SMTP_URL, from: ctx.config.MAIL_FROM, pool: ctx.db.pool });
  ctx.lifecycle.onStop('mailer', () => mailer.close());
  if (ctx.config.mode === 'demo') {
    const created = await seedDemoOpsUser(ctx.db.pool);
    // A plain line a person sees at start, not buried in JSON (the demo password is public).
    printNotice(`Ops console demo sign-in${created ? ' (account created)' : ''}: ${DEMO_OPS_EMAIL} / ${DEMO_OPS_PASSWORD}`);
  }
  if (mailer.kind === 'outbox') ctx.logger.info('no SMTP_URL: mail is kept in the outbox (console → Outbox)');
  return { mailer };
}
