import type { Role, TokenScope } from '../db/schema.js';

/**
 * Who is asking. Every community service takes one, so authorisation is decided in one place
 * (the service) whatever the door (page, API, CLI).
 *
 * @example
 * const a: Actor = { kind: 'user', id: 1, username: 'ada', role: 'user', emailVerified: true, banned: false, createdAt: '…', via: 'session' };
 * isModerator(a) // false
 */
export type Actor = AnonymousActor | UserActor;

export interface AnonymousActor {
  kind: 'anonymous';
}

export interface UserActor {
  kind: 'user';
  id: number;
  username: string;
  role: Role;
  emailVerified: boolean;
  banned: boolean;
  createdAt: string;
  /** How the request was authenticated: a browser session, or an API token of a scope. */
  via: 'session' | TokenScope | 'cli';
}

export const ANONYMOUS: AnonymousActor = Object.freeze({ kind: 'anonymous' });

export const ROLES: readonly Role[] = ['user', 'curator', 'admin'];

export function isModerator(a: Actor): boolean {
  return a.kind === 'user' && !a.banned && (a.role === 'curator' || a.role === 'admin');
}

export function isAdmin(a: Actor): boolean {
  return a.kind === 'user' && !a.banned && a.role === 'admin';
}

/** Can this actor change things (not a read-only token, not banned)? */
export function canWrite(a: Actor): a is UserActor {
  return a.kind === 'user' && !a.banned && a.via !== 'read';
}

const HOUR_MS = 3_600_000;

/** Accounts younger than `hours` are "new": no submitting or flagging (curators and admins never are). */
export function isNewAccount(a: UserActor, now: Date, hours: number): boolean {
  if (a.role !== 'user') return false;
  return now.getTime() - new Date(a.createdAt).getTime() < hours * HOUR_MS;
}

/** Reasons a moderator may give for hiding a comment (shown publicly in the log). */
export const HIDE_REASONS = ['spam', 'abuse', 'off-topic', 'resolved', 'low-quality'] as const;
export type HideReason = (typeof HIDE_REASONS)[number];

/** Reasons a user may give for flagging. */
export const FLAG_REASONS = ['spam', 'abuse', 'off-topic', 'low-quality'] as const;
export type FlagReason = (typeof FLAG_REASONS)[number];
