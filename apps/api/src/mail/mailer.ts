import nodemailer from 'nodemailer';
import type pg from 'pg';

export interface MailMessage {
  to: string | string[];
  subject: string;
  text: string;
  html?: string;
}

/** One way to send mail for the whole service (activation requests, digests…). */
export interface Mailer {
  readonly kind: 'smtp' | 'outbox';
  send(msg: MailMessage): Promise<void>;
  close(): void;
}

export interface MailerOptions {
  /** smtp:// or smtps:// URL; without it mail goes to the database outbox (demo). */
  smtpUrl?: string;
  from: string;
  /** Needed for the outbox; the console lists it at GET /api/ops/outbox. */
  pool: pg.Pool;
}

const list = (to: string | string[]) => (Array.isArray(to) ? to : [to]);

export function createMailer(opts: MailerOptions): Mailer {
  if (opts.smtpUrl) {
    const transport = nodemailer.createTransport(opts.smtpUrl);
    return {
      kind: 'smtp',
      async send(msg) {
        await transport.sendMail({
          from: opts.from,
          to: list(msg.to),
          subject: msg.subject,
          text: msg.text,
          ...(msg.html ? { html: msg.html } : {}),
        });
      },
      close: () => transport.close(),
    };
  }
  return {
    kind: 'outbox',
    async send(msg) {
      await opts.pool.query('insert into mail_outbox (to_addrs, subject, body_text, body_html) values ($1::jsonb, $2, $3, $4)', [
        JSON.stringify(list(msg.to)),
        msg.subject,
        msg.text,
        msg.html ?? null,
      ]);
    },
    close: () => undefined,
  };
}

export async function listOutbox(
  pool: pg.Pool,
  limit = 100,
): Promise<{ id: number; at: string; to: string[]; subject: string; text: string }[]> {
  const { rows } = await pool.query<{ id: number; created_at: Date; to_addrs: string[]; subject: string; body_text: string }>(
    'select id, created_at, to_addrs, subject, body_text from mail_outbox order by id desc limit $1',
    [limit],
  );
  return rows.map((r) => ({ id: Number(r.id), at: r.created_at.toISOString(), to: r.to_addrs, subject: r.subject, text: r.body_text }));
}
