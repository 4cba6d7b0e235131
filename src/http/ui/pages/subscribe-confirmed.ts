import { html } from '../../../lib/html-template.js';
import { messagePage } from './subscription-shell.js';

export function subscribeConfirmedPage(email: string, preferencesUrl: string): string {
  return messagePage('You are subscribed', [
    html`Trending papers will arrive at <strong>${email}</strong> every weekday morning.`,
    html`<a href="${preferencesUrl}">Choose topics, weekly instead of daily, or how many papers</a>.`,
  ]);
}

export function invalidLinkPage(): string {
  return messagePage('This link does not work', [
    'It may be incomplete (some mail programs cut long links) or expired. Confirmation links last a week: subscribe again to get a fresh one.',
  ]);
}
