import type { AddressInfo } from 'node:net';
import { SMTPServer } from 'smtp-server';
import { simpleParser, type ParsedMail } from 'mailparser';

export interface Mailbox {
  /** `smtp://127.0.0.1:<port>` — what SMTP_URL / createMailer should point at. */
  url: string;
  /** Every message received so far, parsed. */
  mails: ParsedMail[];
  close(): Promise<void>;
}

/** A real SMTP server on a loopback port that keeps what it receives, for tests that read mail. */
export async function startMailbox(): Promise<Mailbox> {
  const mails: ParsedMail[] = [];
  const smtp = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS'],
    onData(stream, _session, cb) {
      simpleParser(stream).then((m) => (mails.push(m), cb()), cb);
    },
  });
  await new Promise<void>((r) => smtp.listen(0, '127.0.0.1', () => r()));
  const port = (smtp.server.address() as AddressInfo).port;
  return {
    url: `smtp://127.0.0.1:${port}`,
    mails,
    close: () => new Promise<void>((r) => smtp.close(() => r())),
  };
}
