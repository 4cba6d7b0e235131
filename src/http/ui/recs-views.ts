import type { ReaderSignalKind } from '../../db/schema.js';
import { html, type SafeHtml } from '../../lib/html-template.js';
import type { SignalList } from '../../services/recommendations.js';
import { csrfField } from './forms.js';

const KIND_LABEL: Record<ReaderSignalKind, string> = {
  follow_author: 'Following author',
  follow_org: 'Following organisation',
  follow_category: 'Following category',
  follow_search: 'Saved search',
  mute_paper: 'Not interested in paper',
  mute_author: 'Not interested in author',
  mute_topic: 'Not interested in topic',
  seed: 'More like',
};

const ADDABLE: Array<[ReaderSignalKind, string]> = [
  ['follow_author', 'Follow an author'],
  ['follow_org', 'Follow an organisation'],
  ['follow_category', 'Follow a category (e.g. cs.CL)'],
  ['follow_search', 'Save a search / keywords'],
  ['mute_author', 'Not interested in an author'],
  ['mute_topic', 'Not interested in a topic'],
];

/** The settings page of "For you": what the model reads, each explicit signal with a remove button. */
export function signalsView(
  s: SignalList,
  csrf: string,
  feed: { createdAt: string } | null,
  fresh?: { rss: string; atom: string },
): SafeHtml {
  return html`<h1>Your signals</h1>
<p>What <a href="/for-you">For you</a> learns from. It also reads your ${s.upvoted} upvotes, ${s.saved} <a href="/saved">saved papers</a> and ${s.authored} papers you wrote (approved claims): take an upvote or a save back on the paper to remove it.</p>
${
  s.signals.length === 0
    ? html`<p class="empty">No follows, mutes or seeds yet.</p>`
    : html`<ul class="signals">${s.signals.map(
        (x) => html`<li><span class="kind">${KIND_LABEL[x.kind]}</span> <span class="what">${x.label}</span>
<form method="post" action="/for-you/signals/remove" class="inline">${csrfField(csrf)}<input type="hidden" name="kind" value="${x.kind}"><input type="hidden" name="value" value="${x.value}"><button type="submit">Remove</button></form></li>`,
      )}</ul>`
}
<h2>Add</h2>
<form method="post" action="/for-you/signals" class="stack">${csrfField(csrf)}
<label>What <select name="kind">${ADDABLE.map(([k, label]) => html`<option value="${k}">${label}</option>`)}</select></label>
<label>Name, category or words <input name="value" required maxlength="200"></label>
<button type="submit">Add</button></form>
<h2>Private feed</h2>
${
  fresh
    ? html`<p class="flash ok">Your private feed — copy it now, it is not shown again:<br>RSS <code>${fresh.rss}</code><br>Atom <code>${fresh.atom}</code></p>`
    : feed
      ? html`<p>You have a private feed address, made ${feed.createdAt.slice(0, 10)}. Anyone with it sees your recommendations.</p>`
      : html`<p>An RSS/Atom address of your recommendations, for a feed reader. Keep it private.</p>`
}
<form method="post" action="/settings/for-you/feed" class="inline">${csrfField(csrf)}<button type="submit">${feed ? 'Make a new address (the old one stops working)' : 'Make a feed address'}</button></form>
${feed ? html` <form method="post" action="/settings/for-you/feed/revoke" class="inline">${csrfField(csrf)}<button type="submit">Revoke</button></form>` : ''}`;
}
