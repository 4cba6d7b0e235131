import type { App } from '../app.js';
import { AppError } from '../lib/app-error.js';
import { type Actor, isAdmin, isModerator } from '../model/actor.js';
import { findPaperById, setPaperOrganization } from '../store/community-paper-store.js';
import {
  insertOrganization,
  listMembers,
  memberRole,
  type OrgRole,
  removeMember,
  upsertMember,
} from '../store/org-member-store.js';
import { findOrganization } from '../store/organization-store.js';
import { findUserByUsername } from '../store/user-store.js';
import { requireWriter } from './accounts.js';

const ORG_NAME = /^[A-Za-z0-9][A-Za-z0-9_.-]{1,63}$/;

/** Create an organisation (curators and admins); the creator becomes its admin. */
export async function createOrganization(app: App, actor: Actor, input: { name: string; fullname?: string }) {
  const me = requireWriter(actor);
  if (!isModerator(me)) throw new AppError('forbidden', 'Curators and admins create organisations.');
  if (!ORG_NAME.test(input.name))
    throw new AppError('invalid', 'Name: 2–64 letters, digits, ".", "-" or "_".', { parameter: 'name' });
  if (await findOrganization(app.db, input.name)) throw new AppError('conflict', 'That organisation exists.');
  const at = app.clock.now().toISOString();
  const org = await insertOrganization(app.db, {
    name: input.name,
    fullname: input.fullname?.trim().slice(0, 200) || null,
    at,
  });
  if (me.via !== 'cli') await upsertMember(app.db, { organizationId: org.id, userId: me.id, role: 'admin', at });
  return org;
}

async function orgByName(app: App, name: string) {
  const org = await findOrganization(app.db, name);
  if (!org) throw new AppError('not_found', `No organisation named ${name}.`);
  return org;
}

/** May the actor manage this organisation's members? Its admins, and site admins. */
async function canManage(app: App, actor: Actor, orgId: number): Promise<boolean> {
  if (isAdmin(actor)) return true;
  return actor.kind === 'user' && (await memberRole(app.db, orgId, actor.id)) === 'admin';
}

export async function addMember(
  app: App,
  actor: Actor,
  orgName: string,
  username: string,
  role: OrgRole,
): Promise<void> {
  requireWriter(actor);
  const org = await orgByName(app, orgName);
  if (!(await canManage(app, actor, org.id)))
    throw new AppError('forbidden', "Only the organisation's admins manage members.");
  if (role !== 'admin' && role !== 'member')
    throw new AppError('invalid', 'Role: admin or member.', { parameter: 'role' });
  const user = await findUserByUsername(app.db, username);
  if (!user) throw new AppError('not_found', `No user named ${username}.`);
  await upsertMember(app.db, { organizationId: org.id, userId: user.id, role, at: app.clock.now().toISOString() });
}

export async function removeOrgMember(app: App, actor: Actor, orgName: string, username: string): Promise<void> {
  requireWriter(actor);
  const org = await orgByName(app, orgName);
  const user = await findUserByUsername(app.db, username);
  if (!user) throw new AppError('not_found', `No user named ${username}.`);
  const self = actor.kind === 'user' && actor.id === user.id;
  if (!self && !(await canManage(app, actor, org.id)))
    throw new AppError('forbidden', "Only the organisation's admins manage members.");
  await removeMember(app.db, org.id, user.id);
}

/** Link a paper to an organisation: its members, or curators and admins. */
export async function linkPaper(app: App, actor: Actor, orgName: string, paperId: number): Promise<void> {
  const me = requireWriter(actor);
  const org = await orgByName(app, orgName);
  if (!isModerator(me) && !(await memberRole(app.db, org.id, me.id)))
    throw new AppError('forbidden', 'Only members of the organisation or curators link papers to it.');
  if (!(await findPaperById(app.db, paperId))) throw new AppError('not_found', 'No such paper.');
  await setPaperOrganization(app.db, paperId, org.id);
  app.contentVersion.everythingChanged();
}

export async function organizationPage(app: App, name: string) {
  const org = await orgByName(app, name);
  return { org, members: await listMembers(app.db, org.id) };
}
