import { z } from 'zod';
import { isAdmin } from '../../model/actor.js';
import {
  addMember,
  createOrganization,
  linkPaper,
  organizationPage,
  removeOrgMember,
} from '../../services/organizations.js';
import { memberRole } from '../../store/org-member-store.js';
import { paperOr404 } from '../find-paper.js';
import { text } from '../params.js';
import { handler, redirect } from '../route.js';
import { paperPath } from '../ui/card.js';
import { membersView, newOrganizationForm } from '../ui/community-views.js';
import { communityPage } from '../ui/layout.js';

/** Organisations: creating one, its members, and linking papers to it. Its paper list is pages/org.ts. */

const membersPath = (name: string) => `/orgs/${encodeURIComponent(name)}/members`;

export const newOrganizationPage = handler({}, async (c) =>
  communityPage(c, 'New organisation', newOrganizationForm(c.csrf)),
);

export const create = handler({ body: z.object({ name: text(), fullname: text() }) }, async (c) => {
  const org = await createOrganization(c.app, c.actor, { name: c.body.name ?? '', fullname: c.body.fullname });
  return redirect(membersPath(org.name), 303);
});

export const membersPage = handler({}, async (c) => {
  const d = await organizationPage(c.app, c.params.name ?? '');
  const a = c.actor;
  const canManage = isAdmin(a) || (a.kind === 'user' && (await memberRole(c.app.db, d.org.id, a.id)) === 'admin');
  return communityPage(
    c,
    d.org.fullname ?? d.org.name,
    membersView(c.csrf, a, { name: d.org.name, fullname: d.org.fullname, members: d.members, canManage }),
  );
});

export const addMemberAction = handler({ body: z.object({ username: text(), role: text() }) }, async (c) => {
  const name = c.params.name ?? '';
  await addMember(c.app, c.actor, name, c.body.username ?? '', c.body.role === 'admin' ? 'admin' : 'member');
  return redirect(membersPath(name), 303);
});

export const removeMember = handler({}, async (c) => {
  const name = c.params.name ?? '';
  await removeOrgMember(c.app, c.actor, name, c.params.username ?? '');
  return redirect(membersPath(name), 303);
});

export const linkPaperAction = handler({ body: z.object({ arxivId: text() }) }, async (c) => {
  const p = await paperOr404(c.app, c.body.arxivId);
  await linkPaper(c.app, c.actor, c.params.name ?? '', p.id);
  return redirect(paperPath(p.arxiv_id), 303);
});
