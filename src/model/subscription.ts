import { z } from 'zod';
import { isTimeZone } from './digest-period.js';
import { DEFAULT_PAPER_COUNT, MAX_PAPER_COUNT } from './digest-select.js';

/**
 * Subscription preferences and their one text form ("topics"), pure.
 * Topics are written as one list separated by ";" — `cs.CL; org:google; keyword:diffusion` — the
 * same in the CSV import/export and the preferences form. A bare word is an arXiv category when it
 * looks like one (has a dot, or is a dot-less archive like hep-th), else a keyword.
 *
 * @example
 * parseTopics('cs.CL; org:Google; diffusion models')
 * // { categories: ['cs.CL'], organizations: ['Google'], keywords: ['diffusion models'] }
 */
const DEFAULT_SEND_HOUR = 8;
const DEFAULT_TIME_ZONE = 'UTC';
const MAX_TOPICS = 30;
const MAX_TOPIC_CHARS = 80;
const MAX_MIN_UPVOTES = 100_000;
const MAX_EMAIL_CHARS = 254;

const CATEGORY_RE = /^[a-z][a-z-]*\.[A-Za-z][A-Za-z-]*$/;
const DOTLESS_ARCHIVES = new Set([
  'hep-th',
  'hep-ph',
  'hep-ex',
  'hep-lat',
  'gr-qc',
  'quant-ph',
  'nucl-th',
  'nucl-ex',
  'math-ph',
  'astro-ph',
  'cond-mat',
  'nlin',
  'q-bio',
  'q-fin',
  'stat',
  'econ',
  'eess',
]);

interface Topics {
  categories: string[];
  keywords: string[];
  organizations: string[];
}

export interface Preferences extends Topics {
  frequency: 'daily' | 'weekly';
  sendHour: number;
  timeZone: string;
  paperCount: number;
  minUpvotes: number;
}

export const DEFAULT_PREFERENCES: Readonly<Preferences> = Object.freeze({
  frequency: 'daily',
  sendHour: DEFAULT_SEND_HOUR,
  timeZone: DEFAULT_TIME_ZONE,
  paperCount: DEFAULT_PAPER_COUNT,
  minUpvotes: 0,
  categories: [],
  keywords: [],
  organizations: [],
});

export function parseTopics(text: string): Topics {
  const out: Topics = { categories: [], keywords: [], organizations: [] };
  for (const raw of text.split(/[;|\n]/)) {
    const t = raw.replace(/\s+/g, ' ').trim();
    if (!t) continue;
    const m = /^(org|organization|organisation|keyword|kw|cat|category):\s*(.+)$/i.exec(t);
    const kind = m ? m[1].toLowerCase() : null;
    const value = (m ? m[2] : t).trim();
    if (!value) continue;
    if (kind === 'org' || kind === 'organization' || kind === 'organisation') out.organizations.push(value);
    else if (kind === 'keyword' || kind === 'kw') out.keywords.push(value);
    else if (kind === 'cat' || kind === 'category' || CATEGORY_RE.test(value) || DOTLESS_ARCHIVES.has(value))
      out.categories.push(value);
    else out.keywords.push(value);
  }
  const uniq = (xs: string[]) => [...new Map(xs.map((x) => [x.toLowerCase(), x])).values()];
  return { categories: uniq(out.categories), keywords: uniq(out.keywords), organizations: uniq(out.organizations) };
}

export function formatTopics(t: Topics): string {
  return [...t.categories, ...t.organizations.map((o) => `org:${o}`), ...t.keywords.map((k) => `keyword:${k}`)].join(
    '; ',
  );
}

const topicList = z
  .array(z.string().trim().min(1).max(MAX_TOPIC_CHARS, `a topic is at most ${MAX_TOPIC_CHARS} characters`))
  .max(MAX_TOPICS, `at most ${MAX_TOPICS} topics of each kind`);

const PreferencesSchema = z.object({
  frequency: z.enum(['daily', 'weekly'], { message: 'frequency must be daily or weekly' }),
  sendHour: z.coerce.number().int().min(0, 'hour must be 0–23').max(23, 'hour must be 0–23'),
  timeZone: z.string().trim().refine(isTimeZone, 'unknown time zone (use an IANA name such as Europe/Paris)'),
  paperCount: z.coerce
    .number()
    .int()
    .min(1, 'at least 1 paper')
    .max(MAX_PAPER_COUNT, `at most ${MAX_PAPER_COUNT} papers`),
  minUpvotes: z.coerce.number().int().min(0, 'minimum upvotes cannot be negative').max(MAX_MIN_UPVOTES),
  categories: topicList,
  keywords: topicList,
  organizations: topicList,
});

/** Validate preferences from a form or a file; errors name the field. */
export function validatePreferences(
  input: unknown,
): { ok: true; value: Preferences } | { ok: false; errors: string[] } {
  const r = PreferencesSchema.safeParse(input);
  if (r.success) return { ok: true, value: r.data };
  return { ok: false, errors: r.error.issues.map((i) => `${i.path.join('.') || 'preferences'}: ${i.message}`) };
}

const EmailSchema = z.email().max(MAX_EMAIL_CHARS);

/** Lower-cased, trimmed address, or null when it is not one. */
export function normaliseEmail(raw: unknown): string | null {
  if (typeof raw !== 'string') return null;
  const e = raw.trim().toLowerCase();
  return EmailSchema.safeParse(e).success ? e : null;
}
