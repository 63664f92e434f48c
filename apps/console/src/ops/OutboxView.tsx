import { Button, Spinner } from '@procore/core-react';
import { Outbox } from '@mycoi/contracts';
import { api } from '../api';
import { useResource } from '../useResource';
import { ErrorNotice } from '../ui/ErrorNotice';
import { Section } from '../ui/Section';
import { when } from '../ui/format';

/** The demo mailbox: mail the service "sent" when no SMTP server is configured. */
export function OutboxView() {
  const box = useResource('outbox', () => api('GET', '/api/ops/outbox', Outbox));
  const messages = box.data?.messages ?? [];
  return (
    <Section
      id="outbox"
      title="Outbox (emails sent)"
      actions={
        <Button variant="tertiary" onClick={() => void box.reload()}>
          Refresh
        </Button>
      }
    >
      <ErrorNotice error={box.error} />
      {box.loading && !box.data ? (
        <Spinner label="Loading mail…" loading />
      ) : messages.length === 0 ? (
        <p>No emails sent yet.</p>
      ) : (
        <ul className="console-checks" aria-label="Emails sent">
          {messages.map((m) => (
            <li key={m.id}>
              <div className="console-row">
                <strong>{m.subject}</strong>
                <span className="console-hint">
                  to {m.to.join(', ')} · {when(m.at)}
                </span>
              </div>
              <pre className="console-mail">{m.text}</pre>
            </li>
          ))}
        </ul>
      )}
    </Section>
  );
}
