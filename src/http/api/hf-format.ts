import type { OrgRef, PaperCard } from '../../store/listing-store.js';

/**
 * Papers in the shape of Hugging Face's papers API (field names and nesting as huggingface.co
 * returns them; see ../shared/data/README.md, hf-daily), so a client written for it works here by
 * changing the host. Fields paperboy does not know are left out, as Hugging Face leaves out fields
 * it lacks (older items have no organization or submitter).
 *
 * The two meanings of `publishedAt`:
 * - `item.publishedAt` — when the paper was featured on Daily Papers (its daily entry), or, for a
 *   paper never featured, when it was published;
 * - `item.paper.publishedAt` — when arXiv published the paper.
 */
export interface HfOrganization {
  _id: string;
  name: string;
  fullname: string;
  avatar?: string;
}

export interface HfUser {
  _id: string;
  name?: string;
  user?: string;
  fullname: string;
  avatarUrl: string | null;
  type: 'user';
}

export interface HfPaper {
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
}

export interface HfDailyItem {
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

function hfOrg(o: OrgRef): HfOrganization {
  return { _id: o.name, name: o.name, fullname: o.fullname ?? o.name, ...(o.avatarUrl ? { avatar: o.avatarUrl } : {}) };
}

function featuredAt(card: PaperCard): string | null {
  if (!card.daily) return null;
  return card.daily.submittedAt ?? `${card.daily.day}T00:00:00.000Z`;
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
  return {
    id: card.arxivId,
    // Author ids are stable per paper and position; Hugging Face's are opaque too.
    authors: card.authors.map((name, i) => ({ _id: `${card.arxivId}:${i}`, name, hidden: false })),
    publishedAt: card.publishedAt,
    ...(featured ? { submittedOnDailyAt: featured } : {}),
    ...(by ? { submittedOnDailyBy: { ...by, user: by._id } } : {}),
    title: card.title,
    summary: card.abstract,
    upvotes: card.upvotes,
    discussionId: card.daily?.discussionId ?? card.arxivId,
    ...(card.githubRepo ? { githubRepo: card.githubRepo } : {}),
    ...(card.githubStars !== null ? { githubStars: card.githubStars } : {}),
    ...(card.projectPage ? { projectPage: card.projectPage } : {}),
    ...(card.organization ? { organization: hfOrg(card.organization) } : {}),
    ...(card.aiSummary ? { ai_summary: card.aiSummary } : {}),
    ...(card.aiKeywords ? { ai_keywords: card.aiKeywords } : {}),
    ...(card.withdrawn ? { withdrawnAt: card.updatedAt ?? card.publishedAt ?? '' } : {}),
  };
}

export function toHfDailyItem(card: PaperCard): HfDailyItem {
  const by = submitter(card);
  return {
    paper: toHfPaper(card),
    publishedAt: featuredAt(card) ?? card.publishedAt,
    title: card.title,
    summary: card.abstract,
    thumbnail: card.daily?.thumbnailUrl ?? null,
    mediaUrls: card.daily?.mediaUrls ?? [],
    numComments: card.commentCount,
    ...(by ? { submittedBy: { ...by, name: by._id } } : {}),
    ...(card.organization ? { organization: hfOrg(card.organization) } : {}),
    ...(card.daily?.submitterOrganization ? { submitterOrganization: hfOrg(card.daily.submitterOrganization) } : {}),
    isAuthorParticipating: card.daily?.isAuthorParticipating ?? false,
  };
}
