import { html } from '../../../lib/html-template.js';
import { messagePage, subscriptionShell } from './subscription-shell.js';

/**
 * GET /unsubscribe shows a button rather than unsubscribing at once: mail scanners and link
 * previewers fetch links in mail, and must not unsubscribe anyone. Mail clients use the one-click
 * POST (RFC 8058) instead.
 */
export function unsubscribeConfirmPage(email: string, token: string): string {
  return subscriptionShell(
    'Unsubscribe',
    html`<h1>Unsubscribe</h1>
<p>Stop sending the paperboy digest to <strong>${email}</strong>?</p>
<form method="post" action="/unsubscribe"><input type="hidden" name="token" value="${token}"><button type="submit">Unsubscribe</button></form>`,
  );
}

export function unsubscribedPage(email: string): string {
  return messagePage('You are unsubscribed', [
    html`No more digests will be sent to <strong>${email}</strong>.`,
    html`<span class="muted">Changed your mind? Subscribe again with the form above.</span>`,
  ]);
}
