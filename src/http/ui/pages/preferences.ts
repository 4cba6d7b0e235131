import { escapeHtml } from '../../../lib/html.js';
import type { Preferences } from '../../../model/subscription.js';
import { subscriptionShell } from './subscription-shell.js';

let zones: string[] | null = null;
function timeZones(): string[] {
  zones ??= ['UTC', ...Intl.supportedValuesOf('timeZone').filter((z) => z !== 'UTC')];
  return zones;
}

/** The preferences form, reached from a mail's link (token) or from account settings. */
export function preferencesPage(opts: { email: string; status: string; prefs: Preferences; action: string; errors?: string[]; saved?: boolean; unsubscribeUrl?: string }): string {
  const p = opts.prefs;
  const hours = Array.from({ length: 24 }, (_, h) => `<option value="${h}"${h === p.sendHour ? ' selected' : ''}>${String(h).padStart(2, '0')}:00</option>`).join('');
  const zoneOptions = timeZones()
    .map((z) => `<option${z === p.timeZone ? ' selected' : ''}>${escapeHtml(z)}</option>`)
    .join('');
  const list = (xs: string[]) => escapeHtml(xs.join(', '));
  const notice = opts.errors?.length
    ? `<div class="errors"><strong>Not saved:</strong><ul>${opts.errors.map((e) => `<li>${escapeHtml(e)}</li>`).join('')}</ul></div>`
    : opts.saved
      ? '<div class="ok">Saved. The next digest follows these preferences.</div>'
      : '';
  const inactive = opts.status !== 'active' ? `<p class="muted">This address is currently <strong>${escapeHtml(opts.status)}</strong>: no digest is sent to it.</p>` : '';
  return subscriptionShell(
    'Digest preferences',
    `<h1>Digest preferences</h1>
<p class="muted">For ${escapeHtml(opts.email)}</p>
${inactive}${notice}
<form method="post" action="${escapeHtml(opts.action)}">
<label>How often</label>
<div class="inline"><label><input type="radio" name="frequency" value="daily"${p.frequency === 'daily' ? ' checked' : ''}> Every weekday</label>
<label><input type="radio" name="frequency" value="weekly"${p.frequency === 'weekly' ? ' checked' : ''}> Weekly (Mondays)</label></div>
<label for="send_hour">At</label><select id="send_hour" name="send_hour">${hours}</select>
<label for="time_zone">Time zone</label><select id="time_zone" name="time_zone">${zoneOptions}</select>
<label for="paper_count">Papers per digest</label><input id="paper_count" name="paper_count" type="number" min="1" max="50" value="${p.paperCount}">
<label for="min_upvotes">Only papers with at least this many upvotes</label><input id="min_upvotes" name="min_upvotes" type="number" min="0" value="${p.minUpvotes}">
<p class="muted">Topics are optional; with none you get the top trending papers. A paper that matches any topic qualifies.</p>
<label for="categories">arXiv categories (comma-separated, e.g. cs.CL, cs.LG)</label><input id="categories" name="categories" value="${list(p.categories)}">
<label for="keywords">Keywords (comma-separated)</label><input id="keywords" name="keywords" value="${list(p.keywords)}">
<label for="organizations">Organisations (comma-separated, e.g. google, meta)</label><input id="organizations" name="organizations" value="${list(p.organizations)}">
<button type="submit">Save preferences</button>
</form>
${opts.unsubscribeUrl ? `<p class="muted" style="margin-top:20px"><a href="${escapeHtml(opts.unsubscribeUrl)}">Unsubscribe</a></p>` : ''}`,
  );
}
