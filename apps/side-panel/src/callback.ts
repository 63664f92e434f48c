import { initialize } from '@procore/procore-iframe-helpers';

/**
 * The last page of the Procore sign-in popup, on the panel's own origin (so the helper's default
 * target origin — this origin — reaches the iframe that opened us). The API put the outcome in the
 * URL fragment: a one-time grant on success, an error code and message otherwise.
 */
const params = new URLSearchParams(window.location.hash.slice(1));
history.replaceState(null, '', window.location.pathname); // drop the grant from the address bar
const ctx = initialize();
const grant = params.get('grant');
const text = document.getElementById('message');
if (grant) {
  ctx.authentication.notifySuccess({ grant, name: params.get('name') ?? '' });
  if (text) text.textContent = 'Signed in. You can close this window.';
} else {
  const error = params.get('error') ?? 'procore_sign_in_failed';
  const message = params.get('message') ?? 'Procore sign-in did not complete';
  ctx.authentication.notifyFailure({ error, message });
  if (text) text.textContent = message;
}
