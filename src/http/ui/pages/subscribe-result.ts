import { html } from '../../../lib/html-template.js';
import type { SubscribeResult } from '../../../services/subscriptions.js';
import { messagePage } from './subscription-shell.js';

/**
 * After POST /subscribe. The same words whether the address was new, pending or already subscribed,
 * so the form cannot be used to find out who reads the digest.
 */
export function subscribeResultPage(email: string, r: SubscribeResult): string {
  if (r.mailOff) {
    return messagePage('Subscriptions are not open yet', [
      'This site has not configured outgoing mail, so it cannot send the confirmation message. Please try again later.',
    ]);
  }
  return messagePage('Check your inbox', [
    html`If <strong>${email}</strong> is not subscribed yet, a confirmation mail is on its way. Click the link in it to start receiving trending papers.`,
    html`<span class="muted">Nothing will be sent until the address is confirmed. No mail? Look in the spam folder, or subscribe again in ten minutes.</span>`,
  ]);
}

export function subscribeErrorPage(message: string): string {
  return messagePage('That did not work', [message, html`<a href="/">Back to the papers</a> to try again.`]);
}
