import type { Generated, Insertable, Selectable } from 'kysely';

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
  /** Upvotes from the paper's claimed authors (a subset of the local votes in `upvotes`; migration 0020). */
  author_upvotes: Generated<number>;
  comment_count: number;
  /** Comments counted by an import (Hugging Face numComments); comment_count = this + local comments. */
  imported_comment_count: Generated<number>;
  /** When the source last saw this metadata (see PaperRecord.observedAt). */
  metadata_as_of: string | null;
  /** Hash of the metadata fields, so a re-import can tell "unchanged" cheaply. */
  content_hash: string;
  first_seen_at: string;
  modified_at: string;
  /** The extractor version that wrote the paper's facts; null when its abstract is new or changed (migration 0047). */
  facts_version: Generated<number | null>;
  /** The paper's result facts as a JSON array (ResultFact[]), for cards (migration 0048). */
  facts_json: Generated<string | null>;
  /** Title, summary and author names (JSON array) exactly as Hugging Face recorded them; null when not from there (migration 0049). */
  hf_title: Generated<string | null>;
  hf_summary: Generated<string | null>;
  hf_authors: Generated<string | null>;
  /** 1 when the paper's first figure is in cached_pictures (migration 0050); cards then show it. */
  has_figure: Generated<number>;
  /** When arXiv's API was last asked for this paper's categories, while it had none (migration 0051). */
  categories_asked_at: Generated<string | null>;
}

export interface PaperAuthorsTable {
  paper_id: number;
  position: number;
  name: string;
}

/** Each distinct author spelling once, with its surname's skeleton for look-ups (migration 0053). */
export interface AuthorNamesTable {
  name: string;
  /** model/author-names.ts nameSkeleton. */
  skeleton: string;
}

export interface OrganizationsTable {
  id: Generated<number>;
  name: string;
  fullname: string | null;
  avatar_url: string | null;
  created_at: string;
  /** 1 for an organisation invented for the demo community (migration 0045). */
  demo: Generated<number>;
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
  /** The item's outer publishedAt exactly as Hugging Face recorded it (migration 0049). */
  hf_published_at: Generated<string | null>;
  /** The item's outer title and summary as recorded; they may differ from the paper's (migration 0049). */
  hf_title: Generated<string | null>;
  hf_summary: Generated<string | null>;
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

export type JobState = 'queued' | 'running' | 'done' | 'failed' | 'dead';

export interface JobsTable {
  id: Generated<number>;
  /** Handler name, e.g. `import-file` (see src/jobs/handlers/index.ts). */
  type: string;
  /** JSON text, validated by the handler's zod schema at enqueue and at run. */
  payload: string;
  /**
   * queued → running → done. A failed attempt becomes `failed` with a later run_at (claimable
   * again then, like queued); after max_attempts it becomes `dead` (the dead-letter state,
   * retried only by hand: `paperboy jobs retry ID`).
   */
  state: JobState;
  attempts: number;
  max_attempts: number;
  /** Not before this time (ISO). */
  run_at: string;
  /** Worker id holding the lease while running. */
  locked_by: string | null;
  /** Lease end (ISO): past it, the job is queued again (its worker died). */
  locked_until: string | null;
  last_error: string | null;
  /** Unique when set: enqueueing the same key twice makes one job. */
  dedupe_key: string | null;
  /** JSON text a handler returned (e.g. an import summary). */
  result: string | null;
  created_at: string;
  updated_at: string;
  finished_at: string | null;
}

/** SQLite only (migration 0011); PostgreSQL keeps the same counter in a sequence. */
export interface ContentVersionTable {
  id: number;
  version: number;
}

export interface Database {
  papers: PapersTable;
  paper_authors: PaperAuthorsTable;
  author_names: AuthorNamesTable;
  organizations: OrganizationsTable;
  daily_entries: DailyEntriesTable;
  listing_entries: ListingEntriesTable;
  harvest_state: HarvestStateTable;
  paper_vectors: PaperVectorsTable;
  search_models: SearchModelsTable;
  jobs: JobsTable;
  content_version: ContentVersionTable;
  subscribers: SubscribersTable;
  digest_runs: DigestRunsTable;
  digest_outbox: DigestOutboxTable;
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
  reader_signals: ReaderSignalsTable;
  feed_tokens: FeedTokensTable;
  /** PostgreSQL only (migration 0041). */
  paper_search: PaperSearchTable;
  worker_heartbeats: WorkerHeartbeatsTable;
  audit_log: AuditLogTable;
  backup_runs: BackupRunsTable;
  import_runs: ImportRunsTable;
  mail_outbox: MailOutboxTable;
  paper_facts: PaperFactsTable;
  cached_pictures: CachedPicturesTable;
}

export type PaperRow = Selectable<PapersTable>;
export type NewPaperRow = Insertable<PapersTable>;
export type OrganizationRow = Selectable<OrganizationsTable>;
export type JobRow = Selectable<JobsTable>;

// --- email digests (migration 0030) ---

export type SubscriberStatus = 'pending' | 'active' | 'unsubscribed' | 'suppressed';
export type DigestFrequency = 'daily' | 'weekly';

export interface SubscribersTable {
  id: Generated<number>;
  /** Lower-cased address; unique. */
  email: string;
  status: SubscriberStatus;
  frequency: DigestFrequency;
  /** Local hour (0–23) after which the digest goes out, in time_zone. */
  send_hour: number;
  /** IANA time zone name, e.g. Europe/Paris. */
  time_zone: string;
  paper_count: number;
  /** JSON arrays of strings: arXiv categories, keywords, organisation names. */
  categories: string;
  keywords: string;
  organizations: string;
  min_upvotes: number;
  user_id: number | null;
  /** 'web' | 'import' | 'settings' */
  source: string;
  created_at: string;
  updated_at: string;
  confirmation_sent_at: string | null;
  confirmed_at: string | null;
  unsubscribed_at: string | null;
  suppressed_at: string | null;
  suppressed_reason: string | null;
}

export interface DigestRunsTable {
  id: Generated<number>;
  period: string;
  period_keys: string;
  worker: string;
  status: 'running' | 'finished' | 'failed';
  started_at: string;
  heartbeat_at: string;
  finished_at: string | null;
  enqueued: Generated<number>;
  empty: Generated<number>;
  sent: Generated<number>;
  deferred: Generated<number>;
  failed: Generated<number>;
  error: string | null;
}

export type OutboxStatus = 'pending' | 'sending' | 'sent' | 'empty' | 'failed' | 'cancelled';

export interface DigestOutboxTable {
  id: Generated<number>;
  subscriber_id: number;
  period_key: string;
  email: string;
  paper_ids: string;
  /** The "For you" section, JSON [{ id, why }], or null (migration 0052). */
  for_you: string | null;
  message_id: string;
  status: OutboxStatus;
  attempts: Generated<number>;
  claims: Generated<number>;
  next_attempt_at: string;
  lease_owner: string | null;
  lease_until: string | null;
  run_id: number | null;
  last_error: string | null;
  smtp_response: string | null;
  created_at: string;
  sent_at: string | null;
}

export type SubscriberRow = Selectable<SubscribersTable>;
export type OutboxRow = Selectable<DigestOutboxTable>;
export type DigestRunRow = Selectable<DigestRunsTable>;

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
  /** 1 for the generated demo community (migration 0045), removed by `paperboy demo remove`. */
  demo: Generated<number>;
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

export type UserRow = Selectable<UsersTable>;
export type CommentRow = Selectable<CommentsTable>;

// --- PostgreSQL full-text search (migration 0041; PostgreSQL only, SQLite has no such table) ---

/** One paper's weighted tsvector, kept by triggers on papers (title A, abstract B, author words C). */
export interface PaperSearchTable {
  paper_id: number;
  /** A tsvector: matched with @@ and ranked with ts_rank_cd in SQL, never read as a value. */
  document: string;
}

// --- operations (migration 0044) ---

/** One row per running job worker, rewritten every WORKER_HEARTBEAT_INTERVAL_MS; deleted when it stops. */
export interface WorkerHeartbeatsTable {
  worker_id: string;
  host: string;
  pid: number;
  started_at: string;
  beat_at: string;
}

/** Every admin-console action: who, what, on what, from where, and the request id of its log line. */
export interface AuditLogTable {
  id: Generated<number>;
  actor_id: number | null;
  actor_name: string;
  /** e.g. `job.retry`, `mail.resend`, `user.role`, `search.rebuild`. */
  action: string;
  /** e.g. `job:42`, `user:ada`, `outbox:7`. */
  target: string;
  /** JSON text: what else the action carried (a new role, a filter). */
  detail: string | null;
  ip: string | null;
  request_id: string | null;
  created_at: string;
}

type BackupStatus = 'running' | 'done' | 'failed';

export interface BackupRunsTable {
  id: Generated<number>;
  /** `cli` (paperboy backup) or `job` (the schedule). */
  trigger: string;
  file: string;
  status: BackupStatus;
  bytes: number | null;
  error: string | null;
  started_at: string;
  finished_at: string | null;
}

type ImportRunStatus = 'running' | 'done' | 'failed';

export interface ImportRunsTable {
  id: Generated<number>;
  /** The format or harvester: `kaggle`, `oai`, `hf-daily` … */
  source: string;
  /** `cli` or `job`. */
  via: string;
  status: ImportRunStatus;
  read: Generated<number>;
  inserted: Generated<number>;
  updated: Generated<number>;
  unchanged: Generated<number>;
  rejected: Generated<number>;
  /** JSON array of the first rejects: { place, reason }. */
  rejects: string | null;
  error: string | null;
  started_at: string;
  finished_at: string | null;
}

export type AuditRow = Selectable<AuditLogTable>;
export type BackupRunRow = Selectable<BackupRunsTable>;
export type ImportRunRow = Selectable<ImportRunsTable>;
/**
 * Mail kept on the site when SMTP_URL is unset (migration 0045): what a person waits for (a
 * confirmation or reset link), for an admin to read at /admin/outbox.
 */
export interface MailOutboxTable {
  id: Generated<number>;
  to_address: string;
  subject: string;
  body_text: string;
  /** What the mail is for: 'verify', 'reset', 'email', 'subscribe', … */
  purpose: string;
  created_at: string;
}
export type MailOutboxRow = Selectable<MailOutboxTable>;

// ---- "For you" (migration 0046) ----
/**
 * A reader's explicit signals beyond votes, saves and claims: follows, "not interested", seeds.
 * `value`: a paper's id as text (mute_paper, seed), an author key (model/… authorKey), an
 * organisation's name, a category, or a saved search's text.
 */
export type ReaderSignalKind =
  | 'follow_author'
  | 'follow_org'
  | 'follow_category'
  | 'follow_search'
  | 'mute_paper'
  | 'mute_author'
  | 'mute_topic'
  | 'seed';

export interface ReaderSignalsTable {
  user_id: number;
  kind: ReaderSignalKind;
  value: string;
  /** What the reader saw: an author's name as written, a paper's title, the search as typed. */
  label: string;
  created_at: string;
}

export interface FeedTokensTable {
  id: Generated<number>;
  user_id: number;
  /** SHA-256 of the token in the feed's address. */
  token_hash: string;
  created_at: string;
  revoked_at: string | null;
}

export type ReaderSignalRow = Selectable<ReaderSignalsTable>;

// --- result facts (migration 0047) ---

/** One result fact of a paper's abstract (src/facts/fact.ts), in the guideline's fields. */
export interface PaperFactsTable {
  paper_id: number;
  /** Order in the abstract, from 0. */
  position: number;
  kind: string;
  value: number;
  value_max: number | null;
  unit: string;
  span: string;
  metric: string | null;
  setting: string | null;
  baseline: string | null;
  /** Lower-cased metric and setting, for the filters (metric:"kv cache", setting:gpu). */
  metric_key: string | null;
  setting_key: string | null;
}

/**
 * A picture fetched once from elsewhere and served from this site (migration 0050): a paper's first
 * figure (owner_kind 'paper', owner_id papers.id) or an organisation's avatar ('org',
 * organizations.id). outcome 'found' has the bytes; 'none' (no picture there) and 'refused' (too
 * big, not an accepted image type) have none and are not asked again.
 */
export interface CachedPicturesTable {
  owner_kind: 'paper' | 'org';
  owner_id: number;
  source_url: string | null;
  content_type: string | null;
  bytes: Buffer | null;
  byte_count: Generated<number>;
  outcome: 'found' | 'none' | 'refused';
  fetched_at: string;
}
