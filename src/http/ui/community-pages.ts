import { escapeHtml as e } from '../../lib/html.js';
import { type Actor, HIDE_REASONS, isAdmin } from '../../model/actor.js';
import type { LogEntry, QueueItem } from '../../store/moderation-store.js';
import { csrfInput } from './community-layout.js';

export function submitPage(csrf: string, value = ''): string {
  return `<h1>Submit a paper to today's Daily Papers</h1><form method="post" action="/submit" class="stack">${csrfInput(csrf)}
<label>arXiv id or link <input name="arxivId" value="${e(value)}" required placeholder="2501.01234 or https://arxiv.org/abs/2501.01234"></label>
<button type="submit">Submit</button></form>`;
}

type ProfileView = {
  username: string;
  fullname: string | null;
  role: string;
  joined: string;
  self: boolean;
  submitted: Array<{ arxiv_id: string; title: string; day: string; upvotes: number }>;
  upvoted: Array<{ arxiv_id: string; title: string; upvotes: number }> | null;
  claimed: Array<{ arxiv_id: string; title: string; upvotes: number }>;
  organizations: Array<{ name: string; role: string }>;
};

function paperList(items: Array<{ arxiv_id: string; title: string; upvotes: number }>, empty: string): string {
  if (items.length === 0) return `<p>${e(empty)}</p>`;
  return `<ul>${items.map((p) => `<li><a href="/papers/${e(p.arxiv_id)}">${e(p.title)}</a> · ▲ ${p.upvotes}</li>`).join('')}</ul>`;
}

export function profilePage(v: ProfileView, actor: Actor, csrf: string): string {
  const admin =
    isAdmin(actor) && !v.self
      ? `<section><h2>Admin</h2><form method="post" action="/admin/users/${e(v.username)}/ban" class="inline">${csrfInput(csrf)}<select name="reason" aria-label="Ban reason">${HIDE_REASONS.map((r) => `<option>${r}</option>`).join('')}</select><button>Ban</button></form>
<form method="post" action="/admin/users/${e(v.username)}/unban" class="inline">${csrfInput(csrf)}<button>Unban</button></form>
<form method="post" action="/admin/users/${e(v.username)}/role" class="inline">${csrfInput(csrf)}<select name="role" aria-label="Role"><option>user</option><option>curator</option><option>admin</option></select><button>Set role</button></form></section>`
      : '';
  return `<h1>${e(v.username)}</h1><p>${v.fullname ? `${e(v.fullname)} · ` : ''}${e(v.role)} · joined ${e(v.joined.slice(0, 10))}</p>
${v.organizations.length ? `<p>Member of ${v.organizations.map((o) => `<a href="/orgs/${e(o.name)}">${e(o.name)}</a>`).join(', ')}</p>` : ''}
<section><h2>Claimed papers</h2>${paperList(v.claimed, 'None yet.')}</section>
<section><h2>Submitted</h2>${paperList(v.submitted, 'Nothing submitted yet.')}</section>
<section><h2>Upvoted</h2>${v.upvoted === null ? '<p>Private.</p>' : paperList(v.upvoted, 'No upvotes yet.')}</section>${admin}`;
}

export function moderationQueuePage(
  csrf: string,
  items: Array<QueueItem & { preview: string; link: string | null }>,
  claims: Array<{
    id: number;
    username: string;
    arxiv_id: string;
    title: string;
    authors: string;
    author_position: number;
  }>,
): string {
  const rows = items
    .map(
      (
        q,
      ) => `<tr><td>${q.targetType} ${q.targetId}</td><td>${q.flags}</td><td>${e(q.reasons.join(', '))}</td><td>${q.preview}${q.link ? ` <a href="${e(q.link)}">open</a>` : ''}</td>
<td><form method="post" action="/moderation/${q.targetType === 'comment' ? 'comments' : 'submissions'}/${q.targetId}/hide" class="inline">${csrfInput(csrf)}<select name="reason" aria-label="Reason">${HIDE_REASONS.map((r) => `<option>${r}</option>`).join('')}</select><button>Hide</button></form>
<form method="post" action="/moderation/flags/dismiss" class="inline">${csrfInput(csrf)}<input type="hidden" name="target_type" value="${q.targetType}"><input type="hidden" name="target_id" value="${q.targetId}"><button>Dismiss</button></form></td></tr>`,
    )
    .join('');
  const claimRows = claims
    .map((c) => {
      const name = (JSON.parse(c.authors) as string[])[c.author_position] ?? '?';
      return `<tr><td><a href="/users/${e(c.username)}">${e(c.username)}</a></td><td>${e(name)}</td><td><a href="/papers/${e(c.arxiv_id)}">${e(c.title)}</a></td>
<td><form method="post" action="/admin/claims/${c.id}" class="inline">${csrfInput(csrf)}<button name="decision" value="approve">Approve</button> <button name="decision" value="reject">Reject</button></form></td></tr>`;
    })
    .join('');
  return `<h1>Moderation queue</h1><table><thead><tr><th>item</th><th>flags</th><th>reasons</th><th>content</th><th></th></tr></thead><tbody>${rows || '<tr><td colspan="5">Nothing flagged.</td></tr>'}</tbody></table>
${claims.length ? `<h2>Authorship claims</h2><table><tbody>${claimRows}</tbody></table>` : ''}<p><a href="/moderation/log">Public log</a></p>`;
}

export function moderationLogPage(entries: LogEntry[]): string {
  const rows = entries
    .map(
      (l) =>
        `<tr><td><time>${e(l.createdAt.slice(0, 16).replace('T', ' '))}</time></td><td>${l.actor ? `<a href="/users/${e(l.actor)}">${e(l.actor)}</a>` : 'system'}</td><td>${e(l.action)}</td><td>${e(l.targetType)} ${l.targetId}</td><td>${e(l.reason ?? '')}</td></tr>`,
    )
    .join('');
  return `<h1>Moderation log</h1><p>Every moderator action, in public: who did what, and why.</p>
<table><thead><tr><th>when</th><th>who</th><th>action</th><th>target</th><th>reason</th></tr></thead><tbody>${rows || '<tr><td colspan="5">Nothing yet.</td></tr>'}</tbody></table>`;
}

export function organizationPage(
  csrf: string,
  actor: Actor,
  v: { name: string; fullname: string | null; members: Array<{ username: string; role: string }>; canManage: boolean },
): string {
  const members = v.members
    .map(
      (m) =>
        `<li><a href="/users/${e(m.username)}">${e(m.username)}</a> (${e(m.role)})${v.canManage ? ` <form method="post" action="/orgs/${e(v.name)}/members/${e(m.username)}/remove" class="inline">${csrfInput(csrf)}<button>Remove</button></form>` : ''}</li>`,
    )
    .join('');
  const manage = v.canManage
    ? `<form method="post" action="/orgs/${e(v.name)}/members" class="inline">${csrfInput(csrf)}<input name="username" required aria-label="Username" placeholder="username"><select name="role" aria-label="Role"><option>member</option><option>admin</option></select><button>Add member</button></form>`
    : '';
  const link =
    actor.kind === 'user'
      ? `<form method="post" action="/orgs/${e(v.name)}/papers" class="inline">${csrfInput(csrf)}<input name="arxivId" required aria-label="arXiv id" placeholder="arXiv id"><button>Link a paper</button></form>`
      : '';
  return `<h1>${e(v.fullname ?? v.name)}</h1><p>@${e(v.name)}</p><section><h2>Members</h2><ul>${members || '<li>No members yet.</li>'}</ul>${manage}</section>${link}`;
}

export function historyPage(current: string, revisions: Array<{ body: string; created_at: string }>): string {
  return `<h1>Comment history</h1><h2>Now</h2><pre>${e(current)}</pre>${revisions
    .slice()
    .reverse()
    .map((r) => `<h2>Before ${e(r.created_at.slice(0, 16).replace('T', ' '))}</h2><pre>${e(r.body)}</pre>`)
    .join('')}`;
}

/** Curators and admins create organisations; the creator becomes its admin. */
export function newOrganizationPage(csrf: string): string {
  return `<h1>New organisation</h1><form method="post" action="/orgs" class="stack">${csrfInput(csrf)}
<label>Name (in its address) <input name="name" required pattern="[A-Za-z0-9][A-Za-z0-9_.-]{1,63}"></label>
<label>Full name <input name="fullname" maxlength="200"></label><button type="submit">Create</button></form>`;
}
