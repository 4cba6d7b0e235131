import { z } from 'zod';
import { parsePythonLiteral } from '../../lib/python-literal.js';
import {
  abstractText,
  boundedList,
  boundedOptional,
  boundedText,
  collapseWhitespace,
  nonEmpty,
  stripControlChars,
  webUrl,
} from '../../lib/text.js';
import { parseArxivId } from '../../model/arxiv-id.js';
import { extractLinks } from '../../model/links.js';
import { checkPaperRecord, emptyRecord, PAPER_FIELD_LIMITS, type PaperRecord } from '../../model/paper.js';

/**
 * One item of Hugging Face's `/api/daily_papers?date=D`, as the API returned it over the years:
 * fields come and go (mid-2024 items have no submitter or organisation), so everything but the
 * paper's id is optional. Unknown fields are ignored.
 */
const Org = z.object({ name: z.string().min(1), fullname: z.string().nullish(), avatar: z.string().nullish() });
const User = z.object({
  name: z.string().nullish(),
  user: z.string().nullish(),
  fullname: z.string().nullish(),
  avatarUrl: z.string().nullish(),
});
const HfItem = z.object({
  paper: z.object({
    id: z.string({ error: 'paper.id is missing' }),
    authors: z.array(z.object({ name: z.string().nullish(), hidden: z.boolean().nullish() })).nullish(),
    publishedAt: z.string().nullish(),
    submittedOnDailyAt: z.string().nullish(),
    submittedOnDailyBy: User.nullish(),
    title: z.string().nullish(),
    summary: z.string().nullish(),
    upvotes: z.number().int().nonnegative().nullish(),
    discussionId: z.string().nullish(),
    githubRepo: z.string().nullish(),
    githubStars: z.number().int().nonnegative().nullish(),
    projectPage: z.string().nullish(),
    organization: Org.nullish(),
    ai_summary: z.string().nullish(),
    ai_keywords: z.array(z.string()).nullish(),
    withdrawnAt: z.string().nullish(),
    mediaUrls: z.array(z.string()).nullish(),
  }),
  title: z.string().nullish(),
  summary: z.string().nullish(),
  publishedAt: z.string().nullish(),
  thumbnail: z.string().nullish(),
  mediaUrl: z.string().nullish(),
  mediaUrls: z.array(z.string()).nullish(),
  numComments: z.number().int().nonnegative().nullish(),
  submittedBy: User.nullish(),
  organization: Org.nullish(),
  submitterOrganization: Org.nullish(),
  isAuthorParticipating: z.boolean().nullish(),
});

export interface HfOrg {
  name: string;
  fullname: string | null;
  avatarUrl: string | null;
}

/** What one Daily Papers item says: the paper, plus the day's entry. */
export interface HfDailyRecord {
  paper: PaperRecord;
  day: string;
  /** 1-based place in the day's file (the API's order). */
  position: number;
  organization: HfOrg | null;
  submitterOrganization: HfOrg | null;
  submittedBy: string | null;
  submitterFullname: string | null;
  submitterAvatarUrl: string | null;
  submittedAt: string | null;
  thumbnailUrl: string | null;
  mediaUrls: string[];
  upvotes: number | null;
  numComments: number;
  discussionId: string | null;
  isAuthorParticipating: boolean | null;
  /**
   * The title, summary and author names exactly as Hugging Face recorded them (paper.title etc.
   * hold the normalised text the pages and search use), and the item's outer publishedAt: the
   * HF-compatible API returns these unchanged (issue #14).
   */
  recorded: {
    title: string;
    summary: string;
    authors: string[];
    publishedAt: string | null;
    /** The item's outer title and summary, which may differ from the paper's (older items: absent). */
    itemTitle: string | null;
    itemSummary: string | null;
  };
}

const DAY_IN_NAME = /(\d{4}-\d{2}-\d{2})\.json$/;

export function hfDayFromFile(file: string): string | null {
  const day = DAY_IN_NAME.exec(file)?.[1] ?? null;
  return day && !Number.isNaN(Date.parse(day)) ? day : null;
}

function toIso(s: string | null | undefined): string | null {
  if (!s) return null;
  const t = Date.parse(s);
  return Number.isNaN(t) ? null : new Date(t).toISOString();
}

/** A link exactly as the source recorded it, when it is an http(s) address at all; else null. */
function recordedUrl(s: string | null | undefined): string | null {
  return s && /^https?:\/\/\S/i.test(s.trim()) ? s : null;
}

/** A Hugging Face user or organisation name, display name or discussion id, in characters. */
const MAX_HF_NAME_CHARS = 200;
/** Media links (thumbnails, videos) kept per item. */
const MAX_HF_MEDIA_URLS = 20;
const MAX_URL_CHARS = PAPER_FIELD_LIMITS.url;
/** A recorded title or summary may be this many times the normalised limit (hard wraps, indentation). */
const RECORDED_SLACK = 2;

/** A name-like field, within the limit and without control characters (else a FieldError). */
function name(s: string | null | undefined, field: string): string | null {
  return boundedOptional(nonEmpty(s), field, MAX_HF_NAME_CHARS);
}

function org(o: z.infer<typeof Org> | null | undefined, field: string): HfOrg | null {
  if (!o) return null;
  const orgName = name(o.name, `${field}.name`);
  return orgName
    ? {
        name: orgName,
        fullname: name(o.fullname, `${field}.fullname`),
        avatarUrl: webUrl(absolute(o.avatar), MAX_URL_CHARS),
      }
    : null;
}

/** HF serves avatars as site-relative paths (/avatars/….svg); store them absolute. */
const HF_BASE_URL = 'https://huggingface.co';
function absolute(url: string | null | undefined): string | null {
  const u = nonEmpty(url);
  if (!u) return null;
  return u.startsWith('/') ? `${HF_BASE_URL}${u}` : u;
}

/**
 * The top level of a day's file: normally the API's array; one day (2025-01-10) was saved wrapped
 * as `{status, date, count, data: [...]}`. Anything else is a file-level error.
 */
export function unwrapDay(doc: unknown, day: string): unknown[] {
  if (Array.isArray(doc)) return doc;
  if (doc && typeof doc === 'object' && Array.isArray((doc as { data?: unknown }).data)) {
    const w = doc as { date?: unknown; status?: unknown; data: unknown[] };
    if (typeof w.date === 'string' && w.date !== day)
      throw new Error(`wrapped file says date ${w.date}, its name says ${day}`);
    if (w.status !== undefined && w.status !== 'success')
      throw new Error(`wrapped file has status ${JSON.stringify(w.status)}`);
    return w.data;
  }
  throw new Error('expected a JSON array of items (or {status, date, count, data: [...]})');
}

/**
 * One item → a record. Some saved days hold each item as a Python repr string (single quotes,
 * True/False/None) rather than an object: those are read with a literal parser, never eval.
 * Throws with the reason when the item cannot be used.
 */
export function parseHfItem(raw: unknown, day: string, position: number): HfDailyRecord {
  let obj = raw;
  if (typeof raw === 'string') {
    try {
      obj = parsePythonLiteral(raw);
    } catch (err) {
      throw new Error(`item is a string but not a Python literal: ${(err as Error).message}`);
    }
  }
  if (!obj || typeof obj !== 'object' || Array.isArray(obj))
    throw new Error(`item is ${Array.isArray(obj) ? 'an array' : typeof obj}, not an object`);
  const r = HfItem.safeParse(obj);
  if (!r.success)
    throw new Error(
      `invalid Daily Papers item: ${r.error.issues.map((i) => `${i.path.join('.') || 'item'} ${i.message}`).join('; ')}`,
    );
  const v = r.data;
  const p = v.paper;
  const id = parseArxivId(p.id);
  if (!id) throw new Error(`paper.id is not an arXiv id: ${JSON.stringify(p.id).slice(0, 60)}`);
  const recordedTitle = stripControlChars(p.title ?? v.title ?? '');
  const recordedSummary = stripControlChars(p.summary ?? v.summary ?? '');
  const title = collapseWhitespace(recordedTitle);
  if (!title) throw new Error('paper has no title');
  const abstract = abstractText(recordedSummary);
  // Names kept in step with paper.authors (the same ones dropped), so positions agree.
  const recordedAuthors = (p.authors ?? [])
    .map((a) => stripControlChars(a.name ?? ''))
    .filter((n) => collapseWhitespace(n) !== '');
  const links = extractLinks(abstract);
  const paperOrg = org(p.organization, 'paper.organization') ?? org(v.organization, 'organization');
  const submitter = v.submittedBy ?? null;
  const inner = p.submittedOnDailyBy ?? null;
  const keywords = p.ai_keywords?.map(collapseWhitespace).filter(Boolean) ?? null;
  const paper: PaperRecord = checkPaperRecord({
    ...emptyRecord(id.id),
    title,
    abstract,
    authors: recordedAuthors.map(collapseWhitespace),
    // paper.publishedAt is the arXiv date; the outer publishedAt is not the featured day either.
    publishedAt: toIso(p.publishedAt),
    withdrawn: p.withdrawnAt ? true : null,
    // Hugging Face's own links are kept as recorded (a trailing slash, a /tree/main path): a client
    // comparing with huggingface.co must get the same string back. Only what is not a web address
    // falls back to the links found in the abstract.
    githubRepo: recordedUrl(p.githubRepo) ?? links.githubRepo,
    githubStars: p.githubStars ?? null,
    projectPage: recordedUrl(p.projectPage) ?? links.projectPage,
    aiSummary: nonEmpty(p.ai_summary),
    aiKeywords: keywords && keywords.length > 0 ? keywords : null,
    importedUpvotes: p.upvotes ?? null,
    organizationName: paperOrg?.name ?? null,
    observedAt: toIso(p.submittedOnDailyAt) ?? `${day}T00:00:00.000Z`,
  });
  const media = v.mediaUrls ?? p.mediaUrls ?? [];
  return {
    paper,
    day,
    position,
    organization: paperOrg,
    submitterOrganization: org(v.submitterOrganization, 'submitterOrganization'),
    submittedBy: name(submitter?.name, 'submittedBy.name') ?? name(inner?.user, 'submittedOnDailyBy.user'),
    submitterFullname:
      name(submitter?.fullname, 'submittedBy.fullname') ?? name(inner?.fullname, 'submittedOnDailyBy.fullname'),
    // Links that are not http(s) (javascript:, data:) are dropped: they would be shown as links.
    submitterAvatarUrl: webUrl(absolute(submitter?.avatarUrl ?? inner?.avatarUrl), MAX_URL_CHARS),
    submittedAt: toIso(p.submittedOnDailyAt),
    // Early items call the thumbnail mediaUrl; later ones call it thumbnail and use mediaUrls for videos.
    thumbnailUrl: webUrl(nonEmpty(v.thumbnail), MAX_URL_CHARS) ?? webUrl(nonEmpty(v.mediaUrl), MAX_URL_CHARS),
    mediaUrls: media
      .map((u) => webUrl(u, MAX_URL_CHARS))
      .filter((u): u is string => u !== null)
      .slice(0, MAX_HF_MEDIA_URLS),
    upvotes: p.upvotes ?? null,
    numComments: v.numComments ?? 0,
    discussionId: name(p.discussionId, 'paper.discussionId'),
    isAuthorParticipating: v.isAuthorParticipating ?? null,
    recorded: {
      // Bounded like the normalised text, with room for the whitespace normalisation removes.
      title: boundedText(recordedTitle, 'paper.title', RECORDED_SLACK * PAPER_FIELD_LIMITS.title),
      summary: boundedText(recordedSummary, 'paper.summary', RECORDED_SLACK * PAPER_FIELD_LIMITS.abstract),
      authors: boundedList(
        recordedAuthors,
        'paper.authors',
        PAPER_FIELD_LIMITS.authors,
        RECORDED_SLACK * PAPER_FIELD_LIMITS.author,
      ),
      publishedAt: boundedOptional(v.publishedAt ?? null, 'publishedAt', MAX_HF_NAME_CHARS),
      itemTitle: boundedOptional(v.title ?? null, 'title', RECORDED_SLACK * PAPER_FIELD_LIMITS.title),
      itemSummary: boundedOptional(v.summary ?? null, 'summary', RECORDED_SLACK * PAPER_FIELD_LIMITS.abstract),
    },
  };
}
