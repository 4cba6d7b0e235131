import { html } from '../../../lib/html-template.js';
import type { Preferences } from '../../../model/subscription.js';
import { subscriptionShell } from './subscription-shell.js';

let zones: string[] | null = null;
function timeZones(): string[] {
  zones ??= ['UTC', ...Intl.supportedValuesOf('timeZone').filter((z) => z !== 'UTC')];
  return zones;
}

/** The preferences form, reached from a mail's link (token) or from account settings. */
export function preferencesPage(opts: {
  email: string;
  status: string;
  prefs: Preferences;
  action: string;
  errors?: string[];
  saved?: boolean;
  unsubscribeUrl?: string;
}): string {
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
  return subscriptionShell(
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
