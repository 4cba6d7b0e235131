import { html, type SafeHtml } from '../../lib/html-template.js';
import { sanitized } from '../../lib/markdown.js';
import { texHtml } from '../../lib/tex.js';
import { type Actor, HIDE_REASONS, isAdmin } from '../../model/actor.js';
import type { PaperCard } from '../../store/listing-store.js';
import type { LogEntry, QueueItem } from '../../store/moderation-store.js';
import type { Viewer } from '../viewer.js';
import { cardList, paperPath } from './card.js';
import { csrfField, select } from './forms.js';

/** Bodies of the community pages: submit, profiles, organisations' members, moderation, history. */

export function submitForm(csrf: string, value = ''): SafeHtml {
  return html`<h1>Submit a paper to today's Daily Papers</h1><form method="post" action="/submit" class="stack">${csrfField(csrf)}
<label>arXiv id or link <input name="arxivId" value="${value}" required placeholder="2501.01234 or https://arxiv.org/abs/2501.01234"></label>
<button type="submit">Submit</button></form>`;
}

export interface ProfileView {
  username: string;
  fullname: string | null;
  role: string;
  joined: string;
  self: boolean;
  submitted: Array<{ arxiv_id: string; title: string; day: string; upvotes: number }>;
  upvoted: Array<{ arxiv_id: string; title: string; upvotes: number }> | null;
  claimed: Array<{ arxiv_id: string; title: string; upvotes: number }>;
  organizations: Array<{ name: string; role: string }>;
}

function paperList(items: Array<{ arxiv_id: string; title: string; upvotes: number }>, empty: string): SafeHtml {
  if (items.length === 0) return html`<p>${empty}</p>`;
  return html`<ul>${items.map((p) => html`<li><a href="${paperPath(p.arxiv_id)}">${texHtml(p.title)}</a> · ▲ ${p.upvotes}</li>`)}</ul>`;
}

export function profileView(v: ProfileView, actor: Actor, csrf: string): SafeHtml {
  const admin =
    isAdmin(actor) && !v.self
      ? html`<section><h2>Admin</h2><form method="post" action="/admin/users/${v.username}/ban" class="inline">${csrfField(csrf)}${select('reason', 'Ban reason', HIDE_REASONS)}<button>Ban</button></form>
<form method="post" action="/admin/users/${v.username}/unban" class="inline">${csrfField(csrf)}<button>Unban</button></form>
<form method="post" action="/admin/users/${v.username}/role" class="inline">${csrfField(csrf)}${select('role', 'Role', ['user', 'curator', 'admin'])}<button>Set role</button></form></section>`
      : '';
  return html`<h1>${v.username}</h1><p>${v.fullname ? `${v.fullname} · ` : ''}${v.role} · joined ${v.joined.slice(0, 10)}</p>
${v.organizations.length ? html`<p>Member of ${v.organizations.map((o, i) => html`${i > 0 ? ', ' : ''}<a href="/orgs/${o.name}">${o.name}</a>`)}</p>` : ''}
<section><h2>Claimed papers</h2>${paperList(v.claimed, 'None yet.')}</section>
<section><h2>Submitted</h2>${paperList(v.submitted, 'Nothing submitted yet.')}</section>
<section><h2>Upvoted</h2>${v.upvoted === null ? html`<p>Private.</p>` : paperList(v.upvoted, 'No upvotes yet.')}</section>${admin}`;
}

export interface QueueRow extends QueueItem {
  /** A flagged comment's stored HTML, or a submission's paper title (text). */
  preview: { html: string } | { text: string };
  link: string | null;
}

export interface PendingClaim {
  id: number;
  username: string;
  arxiv_id: string;
  title: string;
  authors: string;
  author_position: number;
}

export function moderationQueueView(csrf: string, items: QueueRow[], claims: PendingClaim[]): SafeHtml {
  const rows = items.map(
    (
      q,
    ) => html`<tr><td>${q.targetType} ${q.targetId}</td><td>${q.flags}</td><td>${q.reasons.join(', ')}</td><td>${'html' in q.preview ? sanitized(q.preview.html) : q.preview.text}${q.link ? html` <a href="${q.link}">open</a>` : ''}</td>
<td><form method="post" action="/moderation/${q.targetType === 'comment' ? 'comments' : 'submissions'}/${q.targetId}/hide" class="inline">${csrfField(csrf)}${select('reason', 'Reason', HIDE_REASONS)}<button>Hide</button></form>
<form method="post" action="/moderation/flags/dismiss" class="inline">${csrfField(csrf)}<input type="hidden" name="target_type" value="${q.targetType}"><input type="hidden" name="target_id" value="${q.targetId}"><button>Dismiss</button></form></td></tr>`,
  );
  const claimRows = claims.map((c) => {
    const name = (JSON.parse(c.authors) as string[])[c.author_position] ?? '?';
    return html`<tr><td><a href="/users/${c.username}">${c.username}</a></td><td>${name}</td><td><a href="${paperPath(c.arxiv_id)}">${texHtml(c.title)}</a></td>
<td><form method="post" action="/admin/claims/${c.id}" class="inline">${csrfField(csrf)}<button name="decision" value="approve">Approve</button> <button name="decision" value="reject">Reject</button></form></td></tr>`;
  });
  return html`<h1>Moderation queue</h1>${
    items.length
      ? html`<div class="table-scroll"><table><thead><tr><th>Item</th><th>Flags</th><th>Reasons</th><th>Content</th><th></th></tr></thead><tbody>${rows}</tbody></table></div>`
      : html`<p class="empty">Nothing flagged. Flagged comments and submissions wait here for a curator.</p>`
  }
${claims.length ? html`<h2>Authorship claims</h2><table><tbody>${claimRows}</tbody></table>` : ''}<p><a href="/moderation/log">Public log</a></p>`;
}

export function moderationLogView(entries: LogEntry[]): SafeHtml {
  const rows = entries.map(
    (l) =>
      html`<tr><td><time>${l.createdAt.slice(0, 16).replace('T', ' ')}</time></td><td>${l.actor ? html`<a href="/users/${l.actor}">${l.actor}</a>` : 'system'}</td><td>${l.action}</td><td>${l.targetType} ${l.targetId}</td><td>${l.reason ?? ''}</td></tr>`,
  );
  return html`<h1>Moderation log</h1><p>Every moderator action, in public: who did what, and why.</p>
<table><thead><tr><th>when</th><th>who</th><th>action</th><th>target</th><th>reason</th></tr></thead><tbody>${entries.length ? rows : html`<tr><td colspan="5">Nothing yet.</td></tr>`}</tbody></table>`;
}

export function membersView(
  csrf: string,
  actor: Actor,
  v: { name: string; fullname: string | null; members: Array<{ username: string; role: string }>; canManage: boolean },
): SafeHtml {
  const members = v.members.map(
    (m) =>
      html`<li><a href="/users/${m.username}">${m.username}</a> (${m.role})${v.canManage ? html` <form method="post" action="/orgs/${v.name}/members/${m.username}/remove" class="inline">${csrfField(csrf)}<button>Remove</button></form>` : ''}</li>`,
  );
  const manage = v.canManage
    ? html`<form method="post" action="/orgs/${v.name}/members" class="inline">${csrfField(csrf)}<input name="username" required aria-label="Username" placeholder="username">${select('role', 'Role', ['member', 'admin'])}<button>Add member</button></form>`
    : '';
  const link =
    actor.kind === 'user'
      ? html`<form method="post" action="/orgs/${v.name}/papers" class="inline">${csrfField(csrf)}<input name="arxivId" required aria-label="arXiv id" placeholder="arXiv id"><button>Link a paper</button></form>`
      : '';
  return html`<h1>${v.fullname ?? v.name}</h1><p>@${v.name}</p><section><h2>Members</h2><ul>${v.members.length ? members : html`<li>No members yet.</li>`}</ul>${manage}</section>${link}`;
}

export function historyView(current: string, revisions: Array<{ body: string; created_at: string }>): SafeHtml {
  return html`<h1>Comment history</h1><h2>Now</h2><pre>${current}</pre>${revisions
    .slice()
    .reverse()
    .map((r) => html`<h2>Before ${r.created_at.slice(0, 16).replace('T', ' ')}</h2><pre>${r.body}</pre>`)}`;
}

/** Curators and admins create organisations; the creator becomes its admin. */
export function newOrganizationForm(csrf: string): SafeHtml {
  return html`<h1>New organisation</h1><form method="post" action="/orgs" class="stack">${csrfField(csrf)}
<label>Name (in its address) <input name="name" required pattern="[A-Za-z0-9][A-Za-z0-9_.-]{1,63}"></label>
<label>Full name <input name="fullname" maxlength="200"></label><button type="submit">Create</button></form>`;
}

/** The reading list: the papers a reader saved, newest first, as cards, with exports. */
export function savedView(cards: PaperCard[], viewer: Viewer, now: Date): SafeHtml {
  return html`<section class="list-head"><h1>Saved papers</h1><p class="subtitle">${cards.length} ${cards.length === 1 ? 'paper' : 'papers'} on your reading list · export as <a href="/saved.bib">BibTeX</a> or <a href="/saved.json">JSON</a></p></section>
${cards.length ? cardList(cards, viewer, now) : html`<p class="empty">Nothing saved yet. Press <strong>Save</strong> on a paper page to keep it here.</p>`}`;
}
