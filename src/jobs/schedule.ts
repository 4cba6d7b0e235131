import type { Config } from '../config/config.js';
import { MINUTES_PER_DAY } from '../model/schedule-slot.js';

/**
 * Recurring jobs, as data. Each entry runs once per slot across all workers: a worker entering a
 * slot enqueues `{type, payload}` with the unique key `name@slot-start`, so several workers (or a
 * restart) cannot double-run it. A slot that passed with no worker running is not caught up,
 * except the current one, which runs when a worker starts.
 *
 * Slots: `intervalMinutes` long, starting `offsetMinutes` after midnight UTC (see slotStart):
 * `{ intervalMinutes: MINUTES_PER_DAY, offsetMinutes: 6 * 60 }` is daily at 06:00 UTC.
 */
export interface ScheduledJob {
  /** Unique name; part of each slot's job key. */
  name: string;
  intervalMinutes: number;
  offsetMinutes?: number;
  /** A handler type from handlers/index.ts. */
  type: string;
  payload: unknown;
  /** When the entry applies (default: always); e.g. only when a feature is configured. */
  enabled?: (config: Readonly<Config>) => boolean;
  /** The payload when it depends on the configuration (instead of `payload`). */
  payloadFrom?: (config: Readonly<Config>) => unknown;
}

/** Finished jobs kept for the admin page before prune-jobs deletes them. */
const KEEP_FINISHED_JOBS_DAYS = 14;
/** A site that never harvested looks this far back on its first harvest. */
const FIRST_HARVEST_DAYS = 2;
/** Expired sessions and tokens are deleted this often (a run is one delete per table, cheap). */
const CLEANUP_INTERVAL_MINUTES = 60;
/** New or changed abstracts get their result facts within this long (the import only marks them). */
const EXTRACT_FACTS_MINUTES = 5;
/** Digests leave within this long after each subscriber's chosen hour. */
const DIGEST_CHECK_MINUTES = 15;
/** New papers get their first figure within this long; at 3 s a request, a run of 100 takes about 10 minutes. */
const FETCH_PICTURES_MINUTES = 30;
/** Papers without categories get them from arXiv within this long (one API request a run). */
const FILL_CATEGORIES_MINUTES = 60;
/** Papers (and organisations) looked at per run. */
const FETCH_PICTURES_LIMIT = 100;

export const schedule: ScheduledJob[] = [
  // Daily at 05:00 UTC, after arXiv's nightly announcement; only with HARVEST_OAI set (the
  // embedded default needs no network).
  {
    name: 'harvest-oai',
    intervalMinutes: MINUTES_PER_DAY,
    offsetMinutes: 5 * 60,
    type: 'harvest-oai',
    payload: { firstRunDays: FIRST_HARVEST_DAYS },
    enabled: (c) => c.harvestOaiSet !== null,
    payloadFrom: (c) => ({ set: c.harvestOaiSet ?? undefined, firstRunDays: FIRST_HARVEST_DAYS }),
  },
  // Daily at 03:30 UTC, a quiet hour for most sites.
  {
    name: 'prune-jobs',
    intervalMinutes: MINUTES_PER_DAY,
    offsetMinutes: 3 * 60 + 30,
    type: 'prune-jobs',
    payload: { keepDays: KEEP_FINISHED_JOBS_DAYS },
  },
  // Hourly at :40: expired sessions, spent one-time tokens, ended rate-limit windows.
  {
    name: 'cleanup-expired',
    intervalMinutes: CLEANUP_INTERVAL_MINUTES,
    offsetMinutes: 40,
    type: 'cleanup-expired',
    payload: {},
  },
  // Daily at 02:30 UTC, before the harvest and the digests: a backup into BACKUP_DIR, keeping BACKUP_KEEP.
  {
    name: 'backup',
    intervalMinutes: MINUTES_PER_DAY,
    offsetMinutes: 2 * 60 + 30,
    type: 'backup',
    payload: {},
    enabled: (c) => c.backupDir !== null,
  },
  // Every 15 minutes: email digests due by each subscriber's hour and time zone (exactly once per period).
  {
    name: 'send-digests',
    intervalMinutes: DIGEST_CHECK_MINUTES,
    type: 'send-digests',
    payload: { periods: ['daily', 'weekly'] },
  },
  // Every 5 minutes: result facts of papers imported or changed since (a no-op when none are).
  {
    name: 'extract-facts',
    intervalMinutes: EXTRACT_FACTS_MINUTES,
    type: 'extract-facts',
    payload: {},
  },
  // Every 30 minutes: first figures and organisation avatars not fetched yet; off without a network.
  {
    name: 'fetch-pictures',
    intervalMinutes: FETCH_PICTURES_MINUTES,
    type: 'fetch-pictures',
    payload: { limit: FETCH_PICTURES_LIMIT },
    enabled: (c) => c.figureSource !== null,
  },
  // Hourly: categories for papers that arrived without them (Hugging Face's list has none), one
  // arXiv API request a run; off without a network (ARXIV_LOOKUP=off).
  {
    name: 'fill-categories',
    intervalMinutes: FILL_CATEGORIES_MINUTES,
    type: 'fill-categories',
    payload: {},
    enabled: (c) => c.arxivLookup,
  },
];
