import type { AuditRow, BackupRunRow, ImportRunRow, JobState, OutboxRow, SubscriberRow } from '../../db/schema.js';
import { html, type SafeHtml } from '../../lib/html-template.js';
import { ROLES } from '../../model/actor.js';
import type { JobView } from '../../services/jobs.js';
import type { Readiness } from '../../services/readiness.js';
import type { AdminUserRow } from '../../store/admin-store.js';
import type { HeartbeatRow } from '../../store/heartbeat-store.js';
import type { Ctx, Reply } from '../route.js';
import { csrfField, select } from './forms.js';
import { page } from './layout.js';

/**
 * A page of the admin console: the site's layout (without the digest sign-up, which is for
 * readers) with the console's navigation on top.
 */
export function adminPage(c: Ctx<unknown, unknown>, path: string, title: string, body: SafeHtml): Promise<Reply> {
  return page(c, {
    title,
    nav: 'none',
    subscribe: false,
    body: html`<div class="admin">${adminNav(path)}${body}</div>`,
  });
}

/** The admin console's own navigation, above every admin page. */
const SECTIONS = [
  ['/admin', 'Overview'],
  ['/admin/jobs', 'Jobs'],
  ['/admin/mail', 'Mail'],
  ['/admin/outbox', 'Kept mail'],
  ['/admin/imports', 'Imports'],
  ['/admin/search', 'Search'],
  ['/admin/users', 'Users'],
  ['/admin/audit', 'Audit log'],
  ['/moderation', 'Moderation queue'],
] as const;

function adminNav(current: string): SafeHtml {
  return html`<nav class="tabs admin-nav" aria-label="Admin">${SECTIONS.map(
    ([href, label]) => html`<a href="${href}"${href === current ? html` aria-current="page"` : ''}>${label}</a>`,
  )}</nav>`;
}

const when = (iso: string | null) =>
  iso ? html`<time datetime="${iso}">${iso.slice(0, 19).replace('T', ' ')}</time>` : '—';

function table(head: string[], rows: SafeHtml[], empty: string): SafeHtml {
  return html`<div class="table-scroll"><table class="admin-table"><thead><tr>${head.map((h) => html`<th>${h}</th>`)}</tr></thead><tbody>${
    rows.length ? rows : html`<tr><td colspan="${head.length}">${empty}</td></tr>`
  }</tbody></table></div>`;
}

export function overviewView(
  r: Readiness,
  counts: Record<JobState, number>,
  workers: HeartbeatRow[],
  backups: BackupRunRow[],
): SafeHtml {
  return html`<h1>Admin</h1>
<h2>Readiness: ${r.ready ? 'ready' : 'NOT READY'}</h2>
${table(
  ['check', 'status', 'detail'],
  Object.entries(r.checks).map(
    ([name, c]) =>
      html`<tr class="check-${c.status}"><td>${name}</td><td>${c.status}</td><td class="long">${c.detail}</td></tr>`,
  ),
  '',
)}
<h2>Jobs</h2>
<p>${Object.entries(counts).map(([state, n]) => html`<a class="badge" href="/admin/jobs?state=${state}">${state} ${n}</a> `)}</p>
<h2>Workers</h2>
${table(
  ['worker', 'started', 'last heartbeat'],
  workers.map((w) => html`<tr><td>${w.workerId}</td><td>${when(w.startedAt)}</td><td>${when(w.beatAt)}</td></tr>`),
  'No worker is running.',
)}
<h2>Backups</h2>
${table(
  ['started', 'by', 'status', 'file', 'bytes', 'error'],
  backups.map(
    (b) =>
      html`<tr><td>${when(b.started_at)}</td><td>${b.trigger}</td><td>${b.status}</td><td>${b.file}</td><td>${b.bytes ?? ''}</td><td class="long">${b.error ?? ''}</td></tr>`,
  ),
  'No backup taken yet: see paperboy backup.',
)}`;
}

export function jobsView(
  csrf: string,
  jobs: JobView[],
  counts: Record<JobState, number>,
  filter: { state?: string; type?: string },
  types: string[],
): SafeHtml {
  const rows = jobs.map(
    (j) => html`<tr>
<td>${j.id}</td><td>${j.type}</td><td class="state-${j.state}">${j.state}</td><td>${j.attempts}/${j.maxAttempts}</td><td>${when(j.runAt)}</td><td>${when(j.finishedAt)}</td>
<td><details><summary>payload${j.lastError ? ' · error' : ''}</summary><pre>${JSON.stringify(j.payload, null, 2)}</pre>${j.lastError ? html`<pre class="error">${j.lastError}</pre>` : ''}${j.result ? html`<pre>${JSON.stringify(j.result, null, 2)}</pre>` : ''}</details></td>
<td>${
      ['dead', 'failed', 'done'].includes(j.state)
        ? html`<form method="post" action="/admin/jobs/${j.id}/retry" class="inline">${csrfField(csrf)}<button>Retry</button></form>`
        : ''
    }${
      ['queued', 'failed'].includes(j.state)
        ? html` <form method="post" action="/admin/jobs/${j.id}/cancel" class="inline">${csrfField(csrf)}<button>Cancel</button></form>`
        : ''
    }</td></tr>`,
  );
  return html`<h1>Jobs</h1>
<form method="get" action="/admin/jobs" class="admin-filter">
<label>State ${select('state', 'State', Object.keys(counts), filter.state ?? '', 'any state')}</label>
<label>Type ${select('type', 'Type', types, filter.type ?? '', 'any type')}</label>
<button type="submit">Filter</button>
</form>
<p>${Object.entries(counts).map(([state, n]) => html`<a class="badge" href="/admin/jobs?state=${state}">${state} ${n}</a> `)}<a href="/admin/jobs?state=dead">Dead letters</a></p>
${table(['id', 'type', 'state', 'attempts', 'run at', 'finished', 'details', ''], rows, 'No jobs match.')}`;
}

export function mailView(
  csrf: string,
  m: { failed: OutboxRow[]; suppressed: SubscriberRow[]; mailOn: boolean },
): SafeHtml {
  return html`<h1>Mail</h1>
${m.mailOn ? '' : html`<p class="flash error">Mail is off: SMTP_URL is unset.</p>`}
<h2>Digest mails that failed</h2>
${table(
  ['id', 'to', 'period', 'attempts', 'error', ''],
  m.failed.map(
    (o) =>
      html`<tr><td>${o.id}</td><td>${o.email}</td><td>${o.period_key}</td><td>${o.attempts}</td><td class="long">${o.last_error ?? o.smtp_response ?? ''}</td>
<td><form method="post" action="/admin/mail/${o.id}/resend" class="inline">${csrfField(csrf)}<button>Resend</button></form></td></tr>`,
  ),
  'No failed digest mail.',
)}
<h2>Suppressed addresses</h2>
${table(
  ['address', 'since', 'reason'],
  m.suppressed.map(
    (s) =>
      html`<tr><td>${s.email}</td><td>${when(s.suppressed_at)}</td><td class="long">${s.suppressed_reason ?? ''}</td></tr>`,
  ),
  'No address is suppressed.',
)}`;
}

export function importsView(runs: ImportRunRow[]): SafeHtml {
  return html`<h1>Imports and harvests</h1>
${table(
  ['started', 'source', 'via', 'status', 'read', 'inserted', 'updated', 'unchanged', 'rejected', 'rejects / error'],
  runs.map((r) => {
    const rejects = r.rejects ? (JSON.parse(r.rejects) as Array<{ place: string; reason: string }>) : [];
    return html`<tr><td>${when(r.started_at)}</td><td>${r.source}</td><td>${r.via}</td><td>${r.status}</td><td>${r.read}</td><td>${r.inserted}</td><td>${r.updated}</td><td>${r.unchanged}</td><td>${r.rejected}</td>
<td>${r.error ? html`<pre class="error">${r.error}</pre>` : ''}${
      rejects.length
        ? html`<details><summary>${rejects.length} reject(s)</summary><ul>${rejects.map((x) => html`<li><code>${x.place}</code> ${x.reason}</li>`)}</ul></details>`
        : ''
    }</td></tr>`;
  }),
  'No import or harvest has run yet.',
)}`;
}

export function searchView(
  csrf: string,
  s: {
    loadedAt: Date | null;
    building: boolean;
    lastError: string | null;
    keywordSearch: string;
    info: Record<string, number | string> | null;
    now: Date;
  },
): SafeHtml {
  const age = s.loadedAt ? Math.round((s.now.getTime() - s.loadedAt.getTime()) / 1000) : null;
  return html`<h1>Search index</h1>
<dl class="admin-facts">
<dt>Keyword ranking</dt><dd>${s.keywordSearch}</dd>
<dt>State</dt><dd>${s.loadedAt ? html`loaded ${age} s ago` : s.building ? 'building…' : 'not loaded (built on the first search)'}</dd>
${s.lastError ? html`<dt>Last error</dt><dd>${s.lastError}</dd>` : ''}
${s.info ? Object.entries(s.info).map(([k, v]) => html`<dt>${k}</dt><dd>${v}</dd>`) : ''}
</dl>
<form method="post" action="/admin/search/rebuild">${csrfField(csrf)}<button>Rebuild the index</button></form>
<p>Rebuilding retrains the embeddings and re-reads every paper: minutes on a large site. Searches keep working meanwhile.</p>`;
}

export function usersView(csrf: string, users: AdminUserRow[], q: string): SafeHtml {
  return html`<h1>Users and roles</h1>
<form method="get" action="/admin/users" class="admin-filter"><label>Find <input type="search" name="q" value="${q}"></label><button>Find</button></form>
${table(
  ['user', 'email', 'role', 'state', 'joined'],
  users.map(
    (u) => html`<tr><td><a href="/users/${u.username}">${u.username}</a></td><td>${u.email}</td>
<td><form method="post" action="/admin/users/${u.username}/role" class="inline">${csrfField(csrf)}${select('role', `Role of ${u.username}`, ROLES, u.role)}<button>Set</button></form></td>
<td>${u.banned ? 'banned' : u.email_verified ? 'active' : 'unverified'}</td><td>${when(u.created_at)}</td></tr>`,
  ),
  'No user matches.',
)}`;
}

export function auditView(rows: AuditRow[]): SafeHtml {
  return html`<h1>Audit log</h1><p>Every action taken in the admin console: who, what, from where, and the request id to find it in the log.</p>
${table(
  ['when', 'who', 'action', 'target', 'detail', 'from', 'request'],
  rows.map(
    (a) =>
      html`<tr><td>${when(a.created_at)}</td><td>${a.actor_name}</td><td>${a.action}</td><td>${a.target}</td><td class="long">${a.detail ?? ''}</td><td>${a.ip ?? ''}</td><td><code>${a.request_id ?? ''}</code></td></tr>`,
  ),
  'Nothing yet.',
)}`;
}
