import type { Response } from 'express';
import type { App } from '../state/types';

const esc = (s: string) => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

function page(title: string, body: string): string {
  return `<!doctype html><html><head><meta charset="utf-8"><title>${esc(title)}</title>
<style>body{font-family:system-ui,sans-serif;max-width:420px;margin:48px auto;color:#222}
label{display:block;margin:12px 0 4px}input{width:100%;padding:8px;box-sizing:border-box}
button{margin-top:16px;padding:8px 16px}.err{color:#b00}.muted{color:#666;font-size:13px}</style></head>
<body><h1>Procore (sandbox)</h1>${body}</body></html>`;
}

/** Sign-in + consent in one form; POSTs back to /oauth/authorize. */
export function consentPage(
  res: Response,
  a: { app: App; redirectUri: string; state: string; message: string | null },
  status = 200,
): void {
  const hidden = (n: string, v: string) => `<input type="hidden" name="${n}" value="${esc(v)}">`;
  res
    .status(status)
    .type('html')
    .send(
      page(
        'Authorize application',
        `<p><strong>${esc(a.app.name)}</strong> would like to access your Procore account.</p>
${a.message ? `<p class="err" role="alert">${esc(a.message)}</p>` : ''}
<form method="post" action="/oauth/authorize">
${hidden('client_id', a.app.clientId)}${hidden('redirect_uri', a.redirectUri)}${hidden('state', a.state)}${hidden('response_type', 'code')}
<label for="login">Email</label><input id="login" name="login" type="email" autocomplete="username">
<label for="password">Password</label><input id="password" name="password" type="password" autocomplete="current-password">
<button type="submit" name="decision" value="approve">Authorize</button>
<button type="submit" name="decision" value="deny">Deny</button>
</form><p class="muted">Demo users: pat@acme.test, sam@acme.test, olga@other.test (password: password)</p>`,
      ),
    );
}

export function errorPage(res: Response, status: number, message: string): void {
  res
    .status(status)
    .type('html')
    .send(page('Authorization error', `<p class="err" role="alert">${esc(message)}</p>`));
}

export function oobPage(res: Response, code: string): void {
  res.type('html').send(page('Authorization code', `<p>Your authorization code:</p><pre id="code">${esc(code)}</pre>`));
}
