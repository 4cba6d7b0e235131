import type { ResultFact } from '../../facts/fact.js';
import type { OrgRef, PaperCard } from '../../store/listing-store.js';

/**
 * Papers in the shape of Hugging Face's papers API (field names and nesting as huggingface.co
 * returns them; see ../shared/data/README.md, hf-daily), so a client written for it works here by
 * changing the host. Fields paperboy does not know are left out, as Hugging Face leaves out fields
 * it lacks (older items have no organization or submitter).
 *
 * The two meanings of `publishedAt`:
 * - `item.publishedAt` — as Hugging Face recorded it for an imported daily entry (it lags the day
 *   the paper was featured); else when the paper was featured here, or, for a paper never
 *   featured, when it was published;
 * - `item.paper.publishedAt` — when arXiv published the paper.
 */
interface HfOrganization {
  _id: string;
  name: string;
  fullname: string;
  avatar?: string;
}

interface HfUser {
  _id: string;
  name?: string;
  user?: string;
  fullname: string;
  avatarUrl: string | null;
  type: 'user';
}

interface HfPaper {
  id: string;
  authors: Array<{ _id: string; name: string; hidden: boolean }>;
  publishedAt: string | null;
  submittedOnDailyAt?: string;
  submittedOnDailyBy?: HfUser;
  title: string;
  summary: string;
  upvotes: number;
  discussionId: string;
  githubRepo?: string;
  githubStars?: number;
  projectPage?: string;
  organization?: HfOrganization;
  ai_summary?: string;
  ai_keywords?: string[];
  withdrawnAt?: string;
  /** paperboy's addition: the abstract's result facts (src/facts/fact.ts), [] when none. */
  facts: ResultFact[];
}

interface HfDailyItem {
  paper: HfPaper;
  publishedAt: string | null;
  title: string;
  summary: string;
  thumbnail: string | null;
  mediaUrls: string[];
  numComments: number;
  submittedBy?: HfUser;
  organization?: HfOrganization;
  submitterOrganization?: HfOrganization;
  isAuthorParticipating: boolean;
}

/**
 * Every timestamp the API returns, in the one form Hugging Face's clients parse: huggingface_hub's
 * `parse_datetime` (src/huggingface_hub/utils/_datetime.py) is `strptime(s, "%Y-%m-%dT%H:%M:%S.%fZ")`
 * and fails on anything else (no fraction, an offset, a bare date). Stored values are ISO already;
 * this makes the contract hold whatever a source left (a bare day becomes its midnight UTC).
 *
 * @example
 * hfTime('2025-06-10')                 // '2025-06-10T00:00:00.000Z'
 * hfTime('2025-06-10T08:00:00+02:00')  // '2025-06-10T06:00:00.000Z'
 * hfTime('soon')                       // null
 */
export function hfTime(s: string | null | undefined): string | null {
  if (!s) return null;
  const t = Date.parse(/^\d{4}-\d{2}-\d{2}$/.test(s) ? `${s}T00:00:00.000Z` : s);
  return Number.isNaN(t) ? null : new Date(t).toISOString();
}

function hfOrg(o: OrgRef): HfOrganization {
  return { _id: o.name, name: o.name, fullname: o.fullname ?? o.name, ...(o.avatarUrl ? { avatar: o.avatarUrl } : {}) };
}

function featuredAt(card: PaperCard): string | null {
  if (!card.daily) return null;
  return hfTime(card.daily.submittedAt) ?? hfTime(card.daily.day);
}

function submitter(card: PaperCard): HfUser | undefined {
  const d = card.daily;
  if (!d?.submittedBy) return undefined;
  return {
    _id: d.submittedBy,
    fullname: d.submitterFullname ?? d.submittedBy,
    avatarUrl: d.submitterAvatarUrl,
    type: 'user',
  };
}

export function toHfPaper(card: PaperCard): HfPaper {
  const by = submitter(card);
  const featured = featuredAt(card);
  // paperboy keeps no withdrawal time: the last update is when arXiv said so (a timestamp, never '').
  const withdrawnAt = card.withdrawn ? (hfTime(card.updatedAt) ?? hfTime(card.publishedAt) ?? featured) : null;
  return {
    id: card.arxivId,
    // Author ids are stable per paper and position; Hugging Face's are opaque too.
    // Values imported from Hugging Face come back exactly as recorded (issue #14).
    authors: (card.hfRecorded?.authors ?? card.authors).map((name, i) => ({
      _id: `${card.arxivId}:${i}`,
      name,
      hidden: false,
    })),
    publishedAt: hfTime(card.publishedAt),
    ...(featured ? { submittedOnDailyAt: featured } : {}),
    ...(by ? { submittedOnDailyBy: { ...by, user: by._id } } : {}),
    title: card.hfRecorded?.title ?? card.title,
    summary: card.hfRecorded?.summary ?? card.abstract,
    upvotes: card.upvotes,
    discussionId: card.daily?.discussionId ?? card.arxivId,
    ...(card.githubRepo ? { githubRepo: card.githubRepo } : {}),
    ...(card.githubStars !== null ? { githubStars: card.githubStars } : {}),
    ...(card.projectPage ? { projectPage: card.projectPage } : {}),
    ...(card.organization ? { organization: hfOrg(card.organization) } : {}),
    ...(card.aiSummary ? { ai_summary: card.aiSummary } : {}),
    ...(card.aiKeywords ? { ai_keywords: card.aiKeywords } : {}),
    ...(withdrawnAt ? { withdrawnAt } : {}),
    facts: card.facts,
  };
}

export function toHfDailyItem(card: PaperCard): HfDailyItem {
  const by = submitter(card);
  return {
    paper: toHfPaper(card),
    // As Hugging Face recorded it (issue #14; hfTime returns a time already in the clients' one form
    // unchanged, which recorded ones are), else when it was featured.
    publishedAt: hfTime(card.daily?.hfPublishedAt) ?? featuredAt(card) ?? hfTime(card.publishedAt),
    title: card.daily?.hfTitle ?? card.hfRecorded?.title ?? card.title,
    summary: card.daily?.hfSummary ?? card.hfRecorded?.summary ?? card.abstract,
    thumbnail: card.daily?.thumbnailUrl ?? null,
    mediaUrls: card.daily?.mediaUrls ?? [],
    numComments: card.commentCount,
    ...(by ? { submittedBy: { ...by, name: by._id } } : {}),
    ...(card.organization ? { organization: hfOrg(card.organization) } : {}),
    ...(card.daily?.submitterOrganization ? { submitterOrganization: hfOrg(card.daily.submitterOrganization) } : {}),
    isAuthorParticipating: card.daily?.isAuthorParticipating ?? false,
  };
}
