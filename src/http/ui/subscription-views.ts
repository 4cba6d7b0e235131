import { type HtmlValue, html, type SafeHtml } from '../../lib/html-template.js';
import type { Preferences } from '../../model/subscription.js';
import { MAIL_OFF_WHERE } from '../../services/mail-delivery.js';
import type { SubscribeResult } from '../../services/subscriptions.js';

/**
 * The subscription pages (reached from mail, often on a phone): one narrow panel in the site's
 * layout. No script is needed; every form is a plain POST. Each returns a title and a body.
 */
export interface View {
  title: string;
  body: SafeHtml;
}

function panel(title: string, inner: SafeHtml): View {
  return { title, body: html`<section class="subscription-page">${inner}</section>` };
}

/** A page that only says something (subscribed, confirmed, bad link…). */
function message(title: string, paragraphs: HtmlValue[]): View {
  return panel(
    title,
    html`<h1>${title}</h1>
${paragraphs.map((p) => html`<p>${p}</p>`)}`,
  );
}

/**
 * After POST /subscribe. The same words whether the address was new, pending or already subscribed,
 * so the form cannot be used to find out who reads the digest.
 */
export function subscribeResult(email: string, r: SubscribeResult): View {
  if (r.mailOff) {
    return message('Confirm your subscription', [
      html`If <strong>${email}</strong> is not subscribed yet, a confirmation link was made for it. Nothing will be sent until the address is confirmed.`,
      MAIL_OFF_WHERE,
    ]);
  }
  return message('Check your inbox', [
    html`If <strong>${email}</strong> is not subscribed yet, a confirmation mail is on its way. Click the link in it to start receiving trending papers.`,
    html`<span class="muted">Nothing will be sent until the address is confirmed. No mail? Look in the spam folder, or subscribe again in ten minutes.</span>`,
  ]);
}

export function subscribeFailed(text: string): View {
  return message('That did not work', [text, html`<a href="/">Back to the papers</a> to try again.`]);
}

export function subscribeConfirmed(email: string, preferencesUrl: string): View {
  return message('You are subscribed', [
    html`Trending papers will arrive at <strong>${email}</strong> every weekday morning.`,
    html`<a href="${preferencesUrl}">Choose topics, weekly instead of daily, or how many papers</a>.`,
  ]);
}

export function invalidLink(): View {
  return message('This link does not work', [
    'It may be incomplete (some mail programs cut long links) or expired. Confirmation links last a week: subscribe again to get a fresh one.',
  ]);
}

/**
 * GET /unsubscribe shows a button rather than unsubscribing at once: mail scanners and link
 * previewers fetch links in mail, and must not unsubscribe anyone. Mail clients use the one-click
 * POST (RFC 8058) instead.
 */
export function unsubscribeConfirm(email: string, token: string): View {
  return panel(
    'Unsubscribe',
    html`<h1>Unsubscribe</h1>
<p>Stop sending the paperboy digest to <strong>${email}</strong>?</p>
<form method="post" action="/unsubscribe"><input type="hidden" name="token" value="${token}"><button type="submit">Unsubscribe</button></form>`,
  );
}

export function unsubscribed(email: string): View {
  return message('You are unsubscribed', [
    html`No more digests will be sent to <strong>${email}</strong>.`,
    html`<span class="muted">Changed your mind? Subscribe again with the form above.</span>`,
  ]);
}

let zones: string[] | null = null;
function timeZones(): string[] {
  zones ??= ['UTC', ...Intl.supportedValuesOf('timeZone').filter((z) => z !== 'UTC')];
  return zones;
}

/** The preferences form, reached from a mail's link (token) or from account settings. */
export function preferencesForm(opts: {
  email: string;
  status: string;
  prefs: Preferences;
  action: string;
  errors?: string[];
  saved?: boolean;
  unsubscribeUrl?: string;
}): View {
  const p = opts.prefs;
  const hours = Array.from(
    { length: 24 },
    (_, h) =>
      html`<option value="${h}"${h === p.sendHour ? html` selected` : ''}>${String(h).padStart(2, '0')}:00</option>`,
  );
  const zoneOptions = timeZones().map((z) => html`<option${z === p.timeZone ? html` selected` : ''}>${z}</option>`);
  const notice = opts.errors?.length
    ? html`<div class="notice error" role="alert"><strong>Not saved:</strong><ul>${opts.errors.map((e) => html`<li>${e}</li>`)}</ul></div>`
    : opts.saved
      ? html`<div class="notice ok" role="status">Saved. The next digest follows these preferences.</div>`
      : '';
  const inactive =
    opts.status !== 'active'
      ? html`<p class="muted">This address is currently <strong>${opts.status}</strong>: no digest is sent to it.</p>`
      : '';
  return panel(
    'Digest preferences',
    html`<h1>Digest preferences</h1>
<p class="muted">For ${opts.email}</p>
${inactive}${notice}
<form class="prefs-form" method="post" action="${opts.action}">
<fieldset><legend>How often</legend>
<label><input type="radio" name="frequency" value="daily"${p.frequency === 'daily' ? html` checked` : ''}> Every weekday</label>
<label><input type="radio" name="frequency" value="weekly"${p.frequency === 'weekly' ? html` checked` : ''}> Weekly (Mondays)</label></fieldset>
<div class="field"><label for="send_hour">At</label><select id="send_hour" name="send_hour">${hours}</select></div>
<div class="field"><label for="time_zone">Time zone</label><select id="time_zone" name="time_zone">${zoneOptions}</select></div>
<div class="field"><label for="paper_count">Papers per digest</label><input id="paper_count" name="paper_count" type="number" min="1" max="50" value="${p.paperCount}"></div>
<div class="field"><label for="min_upvotes">Only papers with at least this many upvotes</label><input id="min_upvotes" name="min_upvotes" type="number" min="0" value="${p.minUpvotes}"></div>
<p class="muted">Topics are optional; with none you get the top trending papers. A paper that matches any topic qualifies.</p>
<div class="field wide"><label for="categories">arXiv categories (comma-separated, e.g. cs.CL, cs.LG)</label><input id="categories" name="categories" value="${p.categories.join(', ')}"></div>
<div class="field wide"><label for="keywords">Keywords (comma-separated)</label><input id="keywords" name="keywords" value="${p.keywords.join(', ')}"></div>
<div class="field wide"><label for="organizations">Organisations (comma-separated, e.g. google, meta)</label><input id="organizations" name="organizations" value="${p.organizations.join(', ')}"></div>
<button type="submit">Save preferences</button>
</form>
${opts.unsubscribeUrl ? html`<p class="muted"><a href="${opts.unsubscribeUrl}">Unsubscribe</a></p>` : ''}`,
  );
}
