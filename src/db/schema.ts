import type { Generated, Insertable, Selectable, Updateable } from 'kysely';

/**
 * Table types shared by SQLite and PostgreSQL. Portable column types only:
 * dates are ISO-8601 text (they sort as text on both), booleans are 0/1 integers,
 * lists are JSON text. This keeps one store codebase for both dialects.
 */
export interface PapersTable {
  id: Generated<number>;
  arxiv_id: string;
  version: number | null;
  title: string;
  abstract: string;
  /** JSON array of author names, in order (denormalised from paper_authors for fast cards). */
  authors: string;
  author_count: number;
  /** JSON array of categories, primary first. */
  categories: string;
  primary_category: string | null;
  comment: string | null;
  journal_ref: string | null;
  doi: string | null;
  license: string | null;
  /** First version's date (ISO). */
  published_at: string | null;
  /** Latest version's date (ISO). */
  updated_at: string | null;
  withdrawn: number;
  github_repo: string | null;
  github_stars: number | null;
  project_page: string | null;
  organization_id: number | null;
  ai_summary: string | null;
  /** JSON array of keywords. */
  ai_keywords: string | null;
  /** Upvotes carried in from imports (e.g. Hugging Face's count on the day). */
  imported_upvotes: number;
  /** Counter shown on cards: imported_upvotes plus local votes. */
  upvotes: number;
  comment_count: number;
  /** Comments counted by an import (Hugging Face numComments); comment_count = this + local comments. */
  imported_comment_count: Generated<number>;
  /** When the source last saw this metadata (see PaperRecord.observedAt). */
  metadata_as_of: string | null;
  /** Hash of the metadata fields, so a re-import can tell "unchanged" cheaply. */
  content_hash: string;
  first_seen_at: string;
  modified_at: string;
}

export interface PaperAuthorsTable {
  paper_id: number;
  position: number;
  name: string;
}

export interface OrganizationsTable {
  id: Generated<number>;
  name: string;
  fullname: string | null;
  avatar_url: string | null;
  created_at: string;
}

export interface DailyEntriesTable {
  id: Generated<number>;
  paper_id: number;
  /** The day the paper was featured, YYYY-MM-DD. */
  day: string;
  position: number;
  submitted_by: string | null;
  submitter_fullname: string | null;
  submitted_at: string | null;
  source: string;
  organization_id: number | null;
  created_at: string;
  /** Hugging Face extras (migration 0002); null when the source does not say. */
  submitter_avatar_url: string | null;
  thumbnail_url: string | null;
  /** JSON array of media URLs (videos, images) shown on the card. */
  media_urls: string | null;
  /** Upvotes as captured on the day (papers.imported_upvotes holds the latest). */
  upvotes: number | null;
  num_comments: Generated<number>;
  discussion_id: string | null;
  /** 0/1: an author takes part in the discussion; null when unknown. */
  is_author_participating: number | null;
  /** The submitter's own organisation (HF submitterOrganization), not the paper's. */
  submitter_organization_id: number | null;
}

export interface ListingEntriesTable {
  paper_id: number;
  /** The arXiv listing day, YYYY-MM-DD. */
  day: string;
  /** 1 when this is the paper's first listing day we know of, 0 for a repeat (cross-list, replacement). */
  first_appearance: number;
  primary_category: string | null;
}

export interface HarvestStateTable {
  source: string;
  /** Last datestamp fully harvested (YYYY-MM-DD). */
  datestamp: string | null;
  /** Resumption token of an unfinished run, so a crash resumes mid-list. */
  resumption_token: string | null;
  run_from: string | null;
  run_until: string | null;
  updated_at: string;
}

export interface PaperVectorsTable {
  paper_id: number;
  /** Name of the embedder that computed the vector; vectors of another model are ignored. */
  model: string;
  /** Float32 little-endian, base64. */
  vector: string;
  computed_at: string;
}

export interface SearchModelsTable {
  name: string;
  /** The trained model, serialised by its embedder (JSON text). */
  data: string;
  created_at: string;
}

export interface Database {
  papers: PapersTable;
  paper_authors: PaperAuthorsTable;
  organizations: OrganizationsTable;
  daily_entries: DailyEntriesTable;
  listing_entries: ListingEntriesTable;
  harvest_state: HarvestStateTable;
  paper_vectors: PaperVectorsTable;
  search_models: SearchModelsTable;
}

export type PaperRow = Selectable<PapersTable>;
export type NewPaperRow = Insertable<PapersTable>;
export type PaperUpdate = Updateable<PapersTable>;
export type OrganizationRow = Selectable<OrganizationsTable>;
export type DailyEntryRow = Selectable<DailyEntriesTable>;

// ---- community (migration 0020) ----
export type Role = 'user' | 'curator' | 'admin';

export interface UsersTable {
  id: Generated<number>;
  username: string;
  /** Lower-cased; unique. */
  email: string;
  fullname: string | null;
  /** `scrypt$logN$r$p$salt$hash`; null until a password is set (e.g. a CLI-created user awaiting a reset link). */
  password_hash: string | null;
  role: Role;
  email_verified: number;
  banned: number;
  upvotes_public: number;
  created_at: string;
}

export interface SessionsTable {
  /** SHA-256 of the cookie's token: a database leak does not leak sessions. */
  token_hash: string;
  user_id: number;
  created_at: string;
  expires_at: string;
}

export type OneTimePurpose = 'verify' | 'reset' | 'email';

export interface OneTimeTokensTable {
  token_hash: string;
  user_id: number;
  purpose: OneTimePurpose;
  new_email: string | null;
  created_at: string;
  expires_at: string;
  used_at: string | null;
}

export type TokenScope = 'read' | 'write';

export interface ApiTokensTable {
  id: Generated<number>;
  user_id: number;
  name: string;
  token_hash: string;
  scope: TokenScope;
  created_at: string;
  last_used_at: string | null;
  revoked_at: string | null;
}

export interface VotesTable {
  user_id: number;
  paper_id: number;
  by_author: number;
  created_at: string;
}

export interface SubmissionsTable {
  id: Generated<number>;
  paper_id: number;
  user_id: number;
  day: string;
  hidden: number;
  created_at: string;
}

export interface CommentsTable {
  id: Generated<number>;
  paper_id: number;
  user_id: number;
  parent_id: number | null;
  /** Markdown as written. */
  body: string;
  /** Rendered and sanitised once, at write time. */
  body_html: string;
  created_at: string;
  edited_at: string | null;
  deleted_at: string | null;
  hidden_reason: string | null;
  hidden_by: number | null;
  hidden_at: string | null;
}

export interface CommentRevisionsTable {
  id: Generated<number>;
  comment_id: number;
  /** The body before an edit. */
  body: string;
  created_at: string;
}

export interface FlagsTable {
  id: Generated<number>;
  target_type: 'comment' | 'submission';
  target_id: number;
  user_id: number;
  reason: string;
  created_at: string;
  resolved_at: string | null;
}

export interface ModerationLogTable {
  id: Generated<number>;
  actor_id: number | null;
  action: string;
  target_type: string;
  target_id: number;
  reason: string | null;
  created_at: string;
}

export interface OrganizationMembersTable {
  organization_id: number;
  user_id: number;
  role: 'admin' | 'member';
  created_at: string;
}

export interface AuthorshipClaimsTable {
  id: Generated<number>;
  paper_id: number;
  user_id: number;
  author_position: number;
  status: 'pending' | 'approved' | 'rejected';
  created_at: string;
  decided_by: number | null;
  decided_at: string | null;
}

export interface SavedPapersTable {
  user_id: number;
  paper_id: number;
  created_at: string;
}

export interface RateLimitHitsTable {
  name: string;
  subject: string;
  window_start: number;
  hits: number;
}

export interface Database {
  users: UsersTable;
  sessions: SessionsTable;
  one_time_tokens: OneTimeTokensTable;
  api_tokens: ApiTokensTable;
  votes: VotesTable;
  submissions: SubmissionsTable;
  comments: CommentsTable;
  comment_revisions: CommentRevisionsTable;
  flags: FlagsTable;
  moderation_log: ModerationLogTable;
  organization_members: OrganizationMembersTable;
  authorship_claims: AuthorshipClaimsTable;
  saved_papers: SavedPapersTable;
  rate_limit_hits: RateLimitHitsTable;
}

export type UserRow = Selectable<UsersTable>;
export type CommentRow = Selectable<CommentsTable>;

export interface PapersTable {
  /** Upvotes from the paper's claimed authors (a subset of the local votes in `upvotes`). */
  author_upvotes: Generated<number>;
}
