import { type Actor, isAdmin, isModerator } from '../model/actor.js';
import { findPaperById, setPaperOrganization } from '../store/community-paper-store.js';
import {
  insertOrganization,
  listMembers,
  memberRole,
  type OrgRole,
  organizationsOf,
  removeMember,
  upsertMember,
} from '../store/org-member-store.js';
import { findOrganization } from '../store/organization-store.js';
import { findUserByUsername } from '../store/user-store.js';
import { requireWriter } from './accounts.js';
import type { ServiceContext } from './context.js';
import { ServiceError } from './errors.js';

const ORG_NAME = /^[A-Za-z0-9][A-Za-z0-9_.-]{1,63}$/;

/** Create an organisation (curators and admins); the creator becomes its admin. */
export async function createOrganization(
  ctx: ServiceContext,
  actor: Actor,
  input: { name: string; fullname?: string },
) {
  const me = requireWriter(actor);
  if (!isModerator(me)) throw new ServiceError('forbidden', 'Curators and admins create organisations.');
  if (!ORG_NAME.test(input.name))
    throw new ServiceError('invalid', 'Name: 2–64 letters, digits, ".", "-" or "_".', { field: 'name' });
  if (await findOrganization(ctx.db, input.name)) throw new ServiceError('conflict', 'That organisation exists.');
  const at = ctx.now().toISOString();
  const org = await insertOrganization(ctx.db, {
    name: input.name,
    fullname: input.fullname?.trim().slice(0, 200) || null,
    at,
  });
  if (me.via !== 'cli') await upsertMember(ctx.db, { organizationId: org.id, userId: me.id, role: 'admin', at });
  return org;
}

async function orgByName(ctx: ServiceContext, name: string) {
  const org = await findOrganization(ctx.db, name);
  if (!org) throw new ServiceError('not_found', `No organisation named ${name}.`);
  return org;
}

/** May the actor manage this organisation's members? Its admins, and site admins. */
async function canManage(ctx: ServiceContext, actor: Actor, orgId: number): Promise<boolean> {
  if (isAdmin(actor)) return true;
  return actor.kind === 'user' && (await memberRole(ctx.db, orgId, actor.id)) === 'admin';
}

export async function addMember(
  ctx: ServiceContext,
  actor: Actor,
  orgName: string,
  username: string,
  role: OrgRole,
): Promise<void> {
  requireWriter(actor);
  const org = await orgByName(ctx, orgName);
  if (!(await canManage(ctx, actor, org.id)))
    throw new ServiceError('forbidden', "Only the organisation's admins manage members.");
  if (role !== 'admin' && role !== 'member')
    throw new ServiceError('invalid', 'Role: admin or member.', { field: 'role' });
  const user = await findUserByUsername(ctx.db, username);
  if (!user) throw new ServiceError('not_found', `No user named ${username}.`);
  await upsertMember(ctx.db, { organizationId: org.id, userId: user.id, role, at: ctx.now().toISOString() });
}

export async function removeOrgMember(
  ctx: ServiceContext,
  actor: Actor,
  orgName: string,
  username: string,
): Promise<void> {
  requireWriter(actor);
  const org = await orgByName(ctx, orgName);
  const user = await findUserByUsername(ctx.db, username);
  if (!user) throw new ServiceError('not_found', `No user named ${username}.`);
  const self = actor.kind === 'user' && actor.id === user.id;
  if (!self && !(await canManage(ctx, actor, org.id)))
    throw new ServiceError('forbidden', "Only the organisation's admins manage members.");
  await removeMember(ctx.db, org.id, user.id);
}

/** Link a paper to an organisation: its members, or curators and admins. */
export async function linkPaper(ctx: ServiceContext, actor: Actor, orgName: string, paperId: number): Promise<void> {
  const me = requireWriter(actor);
  const org = await orgByName(ctx, orgName);
  if (!isModerator(me) && !(await memberRole(ctx.db, org.id, me.id)))
    throw new ServiceError('forbidden', 'Only members of the organisation or curators link papers to it.');
  if (!(await findPaperById(ctx.db, paperId))) throw new ServiceError('not_found', 'No such paper.');
  await setPaperOrganization(ctx.db, paperId, org.id);
}

export async function organizationPage(ctx: ServiceContext, name: string) {
  const org = await orgByName(ctx, name);
  return { org, members: await listMembers(ctx.db, org.id) };
}

export async function myOrganizations(ctx: ServiceContext, userId: number) {
  return organizationsOf(ctx.db, userId);
}
