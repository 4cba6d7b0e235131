import type { App } from '../app.js';
import { AppError } from '../lib/app-error.js';
import { renderMarkdown } from '../lib/markdown.js';
import { type Actor, HIDE_REASONS, type HideReason, isModerator } from '../model/actor.js';
import {
  type CommentView,
  commentRevisions,
  editComment,
  findComment,
  insertComment,
  listComments,
  setCommentState,
} from '../store/comment-store.js';
import { findPaperById } from '../store/community-paper-store.js';
import { insertLogEntry, resolveFlags } from '../store/moderation-store.js';
import { requireWriter } from './accounts.js';

/** Longest comment accepted, in characters of Markdown. */
export const MAX_COMMENT_CHARS = 10_000;
/** Replies deeper than this attach to the deepest allowed level (threads stay readable). */
const MAX_THREAD_DEPTH = 8;

function validBody(raw: unknown): string {
  const body = String(raw ?? '')
    .replace(/\r\n/g, '\n')
    .trim();
  if (body === '') throw new AppError('invalid', 'Comment: write something.', { parameter: 'comment' });
  if (body.length > MAX_COMMENT_CHARS)
    throw new AppError('invalid', `Comment: at most ${MAX_COMMENT_CHARS} characters.`, { parameter: 'comment' });
  return body;
}

interface PostedComment {
  id: number;
  paperId: number;
  parentId: number | null;
  html: string;
  createdAt: string;
}

/**
 * Post a comment or a reply. Markdown is rendered and sanitised once, at write time.
 *
 * @example
 * await postComment(app, actor, { paperId: 7, body: 'Nice **result**' })
 */
export async function postComment(
  app: App,
  actor: Actor,
  input: { paperId: number; parentId?: number | null; body: string },
): Promise<PostedComment> {
  const me = requireWriter(actor);
  const body = validBody(input.body);
  const paper = await findPaperById(app.db, input.paperId);
  if (!paper) throw new AppError('not_found', 'No such paper.');
  let parentId: number | null = null;
  if (input.parentId !== undefined && input.parentId !== null) {
    const parent = await findComment(app.db, input.parentId);
    if (!parent || parent.paper_id !== paper.id) throw new AppError('not_found', 'No such comment to reply to.');
    if (parent.deleted_at || parent.hidden_at) throw new AppError('forbidden', 'That comment is closed to replies.');
    parentId = parent.id;
  }
  const row = await insertComment(app.db, {
    paperId: paper.id,
    userId: me.id,
    parentId,
    body,
    bodyHtml: renderMarkdown(body),
    at: app.clock.now().toISOString(),
  });
  app.contentVersion.paperChanged(paper.id);
  return { id: row.id, paperId: row.paper_id, parentId: row.parent_id, html: row.body_html, createdAt: row.created_at };
}

async function ownComment(app: App, actor: Actor, id: number) {
  const me = requireWriter(actor);
  const c = await findComment(app.db, id);
  if (!c || c.deleted_at) throw new AppError('not_found', 'No such comment.');
  return { me, c };
}

/** Edit your own comment; the previous text is kept in its history. */
export async function editMyComment(app: App, actor: Actor, id: number, rawBody: string): Promise<void> {
  const { me, c } = await ownComment(app, actor, id);
  if (c.user_id !== me.id) throw new AppError('forbidden', 'You can edit only your own comments.');
  if (c.hidden_at) throw new AppError('forbidden', 'A hidden comment cannot be edited.');
  const body = validBody(rawBody);
  if (body === c.body) return;
  await editComment(app.db, id, body, renderMarkdown(body), app.clock.now().toISOString());
  app.contentVersion.paperChanged(c.paper_id);
}

/** Delete a comment: its author, or a moderator (logged). Replies stay, under a placeholder. */
export async function deleteComment(app: App, actor: Actor, id: number): Promise<void> {
  const { me, c } = await ownComment(app, actor, id);
  const mine = c.user_id === me.id;
  if (!mine && !isModerator(me)) throw new AppError('forbidden', 'You can delete only your own comments.');
  const at = app.clock.now().toISOString();
  await setCommentState(app.db, id, { deleted_at: at });
  app.contentVersion.paperChanged(c.paper_id);
  if (!mine)
    await insertLogEntry(app.db, {
      actorId: me.id,
      action: 'delete-comment',
      targetType: 'comment',
      targetId: id,
      reason: null,
      at,
    });
}

/** A moderator hides a comment with a public reason; the moderation log records it. */
export async function hideComment(app: App, actor: Actor, id: number, reason: string): Promise<void> {
  const me = requireWriter(actor);
  if (!isModerator(me)) throw new AppError('forbidden', 'Only curators and admins can hide comments.');
  if (!HIDE_REASONS.includes(reason as HideReason))
    throw new AppError('invalid', `Reason: one of ${HIDE_REASONS.join(', ')}.`, { parameter: 'reason' });
  const c = await findComment(app.db, id);
  if (!c) throw new AppError('not_found', 'No such comment.');
  const at = app.clock.now().toISOString();
  if (c.hidden_at === null)
    await setCommentState(app.db, id, { hidden_at: at, hidden_reason: reason, hidden_by: me.id });
  app.contentVersion.paperChanged(c.paper_id);
  await resolveFlags(app.db, 'comment', id, at);
  await insertLogEntry(app.db, {
    actorId: me.id,
    action: 'hide-comment',
    targetType: 'comment',
    targetId: id,
    reason,
    at,
  });
}

export async function unhideComment(app: App, actor: Actor, id: number): Promise<void> {
  const me = requireWriter(actor);
  if (!isModerator(me)) throw new AppError('forbidden', 'Only curators and admins can unhide comments.');
  const c = await findComment(app.db, id);
  if (!c || c.hidden_at === null) throw new AppError('not_found', 'No such hidden comment.');
  const at = app.clock.now().toISOString();
  await setCommentState(app.db, id, { hidden_at: null, hidden_reason: null, hidden_by: null });
  app.contentVersion.paperChanged(c.paper_id);
  await insertLogEntry(app.db, {
    actorId: me.id,
    action: 'unhide-comment',
    targetType: 'comment',
    targetId: id,
    reason: null,
    at,
  });
}

export interface ThreadNode {
  id: number;
  parentId: number | null;
  author: string | null;
  /** Sanitised HTML, or null when the reader may not see it (deleted, hidden). */
  html: string | null;
  /** Markdown source, for the author's edit form. */
  source: string | null;
  state: 'visible' | 'deleted' | 'hidden';
  hiddenReason: string | null;
  createdAt: string;
  edited: boolean;
  mine: boolean;
  children: ThreadNode[];
}

/**
 * A paper's comments as a tree. Deleted and hidden comments keep their place when they have
 * replies (as a placeholder) and vanish when they have none; moderators still see hidden text.
 */
export async function commentThread(app: App, actor: Actor, paperId: number): Promise<ThreadNode[]> {
  const rows = await listComments(app.db, paperId);
  return buildThread(rows, actor);
}

function buildThread(rows: CommentView[], actor: Actor): ThreadNode[] {
  const mod = isModerator(actor);
  const me = actor.kind === 'user' ? actor.id : -1;
  const nodes = new Map<number, ThreadNode>();
  const depth = new Map<number, number>();
  for (const r of rows) {
    const state: ThreadNode['state'] = r.deleted_at ? 'deleted' : r.hidden_at || r.user_banned ? 'hidden' : 'visible';
    const showText = state === 'visible' || (state === 'hidden' && mod);
    nodes.set(r.id, {
      id: r.id,
      parentId: r.parent_id,
      author: state === 'deleted' ? null : r.username,
      html: showText ? r.body_html : null,
      source: r.user_id === me && state === 'visible' ? r.body : null,
      state,
      hiddenReason: r.hidden_reason ?? (r.user_banned ? 'banned' : null),
      createdAt: r.created_at,
      edited: r.edited_at !== null,
      mine: r.user_id === me,
      children: [],
    });
  }
  const roots: ThreadNode[] = [];
  for (const r of rows) {
    const n = nodes.get(r.id)!;
    let parent = r.parent_id !== null ? nodes.get(r.parent_id) : undefined;
    const d = parent ? (depth.get(parent.id) ?? 0) + 1 : 0;
    // Too deep: attach to the ancestor at the maximum depth.
    while (parent && (depth.get(parent.id) ?? 0) >= MAX_THREAD_DEPTH)
      parent = parent.parentId !== null ? nodes.get(parent.parentId) : undefined;
    depth.set(n.id, Math.min(d, MAX_THREAD_DEPTH));
    (parent ? parent.children : roots).push(n);
  }
  const prune = (list: ThreadNode[]): ThreadNode[] =>
    list.filter((n) => {
      n.children = prune(n.children);
      return n.state === 'visible' || n.children.length > 0 || (mod && n.state === 'hidden');
    });
  return prune(roots);
}

export async function commentHistory(app: App, actor: Actor, id: number) {
  const c = await findComment(app.db, id);
  if (!c || c.deleted_at || (c.hidden_at && !isModerator(actor))) throw new AppError('not_found', 'No such comment.');
  return { current: c.body, revisions: await commentRevisions(app.db, id) };
}

export async function findCommentForApi(app: App, id: number) {
  return findComment(app.db, id);
}

/** One comment as the API shows it: text only while visible, a marked placeholder otherwise. */
export interface ApiComment {
  id: number;
  paperId: number;
  parentId: number | null;
  /** The author's user name; null once deleted. */
  author: string | null;
  state: 'visible' | 'deleted' | 'hidden';
  /** Why a hidden comment is hidden (a moderation reason, or `banned`); null otherwise. */
  hiddenReason: string | null;
  /** Markdown as written and its sanitised HTML; both null unless visible. */
  markdown: string | null;
  html: string | null;
  createdAt: string;
  editedAt: string | null;
  replies: ApiComment[];
}

interface ApiThreads {
  /** Top-level threads of the page asked for, each with its whole reply tree. */
  threads: ApiComment[];
  /** Top-level threads in all (what pages count). */
  threadCount: number;
}

function apiComment(r: CommentView): ApiComment {
  const state: ApiComment['state'] = r.deleted_at ? 'deleted' : r.hidden_at || r.user_banned ? 'hidden' : 'visible';
  const visible = state === 'visible';
  return {
    id: r.id,
    paperId: r.paper_id,
    parentId: r.parent_id,
    author: state === 'deleted' ? null : r.username,
    state,
    hiddenReason: state === 'hidden' ? (r.hidden_reason ?? (r.user_banned ? 'banned' : null)) : null,
    markdown: visible ? r.body : null,
    html: visible ? r.body_html : null,
    createdAt: r.created_at,
    editedAt: r.edited_at,
    replies: [],
  };
}

/**
 * A paper's comments for the API, threaded and paged by top-level thread (oldest first). Unlike
 * the page, the answer is the same for every reader (so it can be cached and shared): hidden
 * comments are always listed, marked, and never with their text, moderators included; deleted ones
 * stay as placeholders while they have replies. Replies deeper than MAX_THREAD_DEPTH attach to the
 * deepest allowed level, as on the page.
 *
 * @example
 * const { threads, threadCount } = await apiCommentThreads(app, paperId, { offset: 0, limit: 20 });
 */
export async function apiCommentThreads(
  app: App,
  paperId: number,
  page: { offset: number; limit: number },
): Promise<ApiThreads> {
  const rows = await listComments(app.db, paperId);
  const nodes = new Map<number, ApiComment>();
  const depth = new Map<number, number>();
  for (const r of rows) nodes.set(r.id, apiComment(r));
  const roots: ApiComment[] = [];
  for (const r of rows) {
    const n = nodes.get(r.id)!;
    let parent = r.parent_id !== null ? nodes.get(r.parent_id) : undefined;
    while (parent && (depth.get(parent.id) ?? 0) >= MAX_THREAD_DEPTH)
      parent = parent.parentId !== null ? nodes.get(parent.parentId) : undefined;
    depth.set(n.id, parent ? (depth.get(parent.id) ?? 0) + 1 : 0);
    (parent ? parent.replies : roots).push(n);
  }
  const prune = (list: ApiComment[]): ApiComment[] =>
    list.filter((n) => {
      n.replies = prune(n.replies);
      return n.state !== 'deleted' || n.replies.length > 0;
    });
  const all = prune(roots);
  return { threads: all.slice(page.offset, page.offset + page.limit), threadCount: all.length };
}

/** One comment as the API shows it (no replies), or null when there is none with that id. */
export async function apiCommentById(app: App, id: number): Promise<ApiComment | null> {
  const c = await findComment(app.db, id);
  if (!c) return null;
  const row = (await listComments(app.db, c.paper_id)).find((r) => r.id === id);
  return row ? apiComment(row) : null;
}
