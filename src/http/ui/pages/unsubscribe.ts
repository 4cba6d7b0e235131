import { escapeHtml } from '../../../lib/html.js';
import { messagePage, subscriptionShell } from './subscription-shell.js';

/**
 * GET /unsubscribe shows a button rather than unsubscribing at once: mail scanners and link
 * previewers fetch links in mail, and must not unsubscribe anyone. Mail clients use the one-click
 * POST (RFC 8058) instead.
 */
export function unsubscribeConfirmPage(email: string, token: string): string {
  return subscriptionShell(
    'Unsubscribe',
    `<h1>Unsubscribe</h1>
<p>Stop sending the paperboy digest to <strong>${escapeHtml(email)}</strong>?</p>
<form method="post" action="/unsubscribe"><input type="hidden" name="token" value="${escapeHtml(token)}"><button type="submit">Unsubscribe</button></form>`,
  );
}

export function unsubscribedPage(email: string): string {
  return messagePage('You are unsubscribed', [
    `No more digests will be sent to <strong>${escapeHtml(email)}</strong>.`,
    '<span class="muted">Changed your mind? Subscribe again from any page.</span>',
  ]);
}
