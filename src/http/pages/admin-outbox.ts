import { html } from '../../lib/html-template.js';
import { MAIL_OFF_WHERE, OUTBOX_PATH, readOutbox } from '../../services/mail-delivery.js';
import { type Handler, handler } from '../route.js';
import { adminPage } from '../ui/admin-views.js';
import { PAGE_SIZE, PageParams, pageNumber, pager } from '../ui/components.js';

/**
 * GET /admin/outbox — the mail kept while mail is off (no SMTP_URL): confirmation and reset links
 * people are waiting for, newest first, so an admin can pass them on. Admins only (route table).
 */
export const outboxPage: Handler = handler({ query: PageParams }, async (c) => {
  const pageNo = pageNumber(c.query.page);
  const { items, total } = await readOutbox(c.app, c.actor, PAGE_SIZE, (pageNo - 1) * PAGE_SIZE);
  const state = c.app.mailer
    ? 'Mail is on (SMTP_URL is set): new mail is sent, and nothing new is kept here.'
    : MAIL_OFF_WHERE;
  const body = html`<h1>Kept mail</h1>
<p>${state}</p>
<p class="muted">${total} kept ${total === 1 ? 'message' : 'messages'}.</p>
${
  items.length === 0
    ? html`<p class="empty">Nothing kept.</p>`
    : html`<ol class="outbox">${items.map(
        (m) => html`<li class="outbox-mail" id="mail-${m.id}">
  <p><strong>${m.subject}</strong> · to <code>${m.to_address}</code> · ${m.purpose} · <time datetime="${m.created_at}">${m.created_at.slice(0, 16).replace('T', ' ')} UTC</time></p>
  <pre class="outbox-body">${m.body_text}</pre>
</li>`,
      )}</ol>`
}
${pager(OUTBOX_PATH, c.query, pageNo, total)}`;
  return adminPage(c, OUTBOX_PATH, 'Kept mail', body);
});
