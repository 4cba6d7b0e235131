import { addDays } from './dates.js';

/**
 * The demo community paperboy generates on first start (issue #13): invented users, organisations,
 * Daily Papers lists, votes and comments over the real demo arXiv papers. Pure and seeded: the same
 * papers and seed give the same community on every machine, and nothing here is copied from any
 * other site — names, organisations and comment texts are made up below.
 */

/** The seed of the demo community: change it and every demo list, vote and comment changes. */
export const DEMO_SEED = 20_260_610;
/** Demo users; each votes on some papers. Enough that top papers reach a few dozen upvotes. */
const DEMO_USER_COUNT = 48;
/** Papers featured on each demo day (drawn between the two, inclusive). */
export const FEATURED_PER_DAY_MIN = 10;
export const FEATURED_PER_DAY_MAX = 16;
/** The most upvotes a featured paper gets; most get far fewer (a cube of a uniform draw). */
const MAX_DEMO_UPVOTES = 40;
/** Upvotes every featured paper gets at least (the submitter's own). */
const MIN_DEMO_UPVOTES = 1;
/** Votes arrive over this many hours after the paper is featured. */
const VOTE_SPREAD_HOURS = 60;
/** Papers per day that get a short discussion, and the comments of one discussion. */
const DISCUSSED_PER_DAY = 2;
const MAX_COMMENTS_PER_DISCUSSION = 3;
/** Share of featured papers credited to one of the demo organisations (by their category). */
const ORGANISATION_SHARE = 0.6;
/** The email domain of demo users: `.invalid` is reserved (RFC 2606), so no mail can reach it. */
const DEMO_EMAIL_DOMAIN = 'demo.invalid';

export interface DemoOrganisation {
  name: string;
  fullname: string;
  /** arXiv category prefixes whose papers this organisation may be credited with. */
  areas: string[];
}

/** Invented research groups for the demo (no real organisation is named). */
export const DEMO_ORGANISATIONS: readonly DemoOrganisation[] = [
  { name: 'lumen-vision-lab', fullname: 'Lumen Vision Lab', areas: ['cs.CV', 'cs.GR', 'eess.IV'] },
  { name: 'quill-language-group', fullname: 'Quill Language Group', areas: ['cs.CL', 'cs.IR'] },
  { name: 'atlas-robotics', fullname: 'Atlas Robotics Institute', areas: ['cs.RO', 'cs.SY', 'eess.SY'] },
  { name: 'kestrel-learning', fullname: 'Kestrel Learning Systems', areas: ['cs.LG', 'stat.ML', 'cs.NE'] },
  { name: 'orchid-ai', fullname: 'Orchid AI Research', areas: ['cs.AI', 'cs.MA', 'cs.HC'] },
  { name: 'harbor-health-ai', fullname: 'Harbor Health AI', areas: ['q-bio', 'eess.SP', 'physics.med-ph'] },
  { name: 'basalt-systems', fullname: 'Basalt Systems Group', areas: ['cs.DC', 'cs.CR', 'cs.SE', 'cs.AR'] },
  { name: 'meridian-theory', fullname: 'Meridian Theory Lab', areas: ['cs.DS', 'cs.IT', 'math', 'cs.GT'] },
];

const FIRST_NAMES = [
  'Ada',
  'Bram',
  'Chiara',
  'Dmitri',
  'Esi',
  'Farid',
  'Greta',
  'Hiro',
  'Ines',
  'Jonas',
  'Kaveh',
  'Lena',
  'Mira',
  'Nuno',
  'Oona',
  'Pavel',
  'Quinn',
  'Rosa',
  'Sami',
  'Tove',
  'Uma',
  'Viktor',
  'Wen',
  'Yara',
];
const LAST_NAMES = [
  'Abara',
  'Brandt',
  'Castell',
  'Dahl',
  'Eze',
  'Fontaine',
  'Gallo',
  'Halvorsen',
  'Ishikawa',
  'Jaramillo',
  'Kovacs',
  'Lindqvist',
  'Moreau',
  'Nakamura',
  'Okafor',
  'Pereira',
  'Quist',
  'Rahimi',
  'Sato',
  'Tamm',
];

/** Comment texts, made up for the demo; `{area}` is the paper's field in words. */
const COMMENTS = [
  'Clear write-up. Is the code going to be released?',
  'The main table would be more convincing with error bars over a few seeds.',
  'How does this scale? The experiments stop at a fairly small size.',
  'Nice to see every component ablated separately.',
  'Would this carry over to other {area} problems than the benchmarks shown?',
  'The related-work section misses a couple of close baselines, but the idea is neat.',
  'Read it this morning: the method section is unusually easy to follow.',
  'Curious about the compute budget behind these results.',
];
const REPLIES = [
  'Same question here.',
  'Agreed; the appendix answers part of it.',
  'The authors mention it in the limitations, briefly.',
  'Seconded. A small-scale replication would help too.',
];

const AREA_WORDS: Record<string, string> = {
  'cs.CV': 'vision',
  'cs.CL': 'language',
  'cs.LG': 'learning',
  'cs.AI': 'AI',
  'cs.RO': 'robotics',
  'cs.CR': 'security',
  'stat.ML': 'learning',
};

export interface DemoCandidate {
  paperId: number;
  /** The listing day the paper first appeared on (YYYY-MM-DD). */
  day: string;
  primaryCategory: string | null;
}

export interface DemoUser {
  username: string;
  fullname: string;
  email: string;
  /** ISO time the account was made: a week before the first demo day. */
  createdAt: string;
}

export interface DemoEntry {
  paperId: number;
  day: string;
  position: number;
  submittedBy: string;
  submitterFullname: string;
  submittedAt: string;
  organisation: string | null;
}

export interface DemoVote {
  username: string;
  paperId: number;
  at: string;
}

export interface DemoComment {
  username: string;
  paperId: number;
  at: string;
  body: string;
  /** Index into the plan's comments of the comment this one answers, or null. */
  replyTo: number | null;
}

export interface DemoPlan {
  users: DemoUser[];
  organisations: readonly DemoOrganisation[];
  entries: DemoEntry[];
  votes: DemoVote[];
  comments: DemoComment[];
}

const HOUR_MS = 3_600_000;
/** Demo accounts are this many days older than the first demo day. */
const ACCOUNT_AGE_DAYS = 7;
/** Featured papers are submitted between 06:00 and 14:00 UTC of their day. */
const SUBMIT_FIRST_HOUR = 6;
const SUBMIT_HOURS = 8;

function pick<T>(rnd: () => number, xs: readonly T[]): T {
  return xs[Math.floor(rnd() * xs.length)];
}

/** k distinct items of xs (k ≤ xs.length), by a partial Fisher–Yates shuffle of a copy. */
function sample<T>(rnd: () => number, xs: readonly T[], k: number): T[] {
  const a = [...xs];
  const n = Math.min(k, a.length);
  for (let i = 0; i < n; i++) {
    const j = i + Math.floor(rnd() * (a.length - i));
    [a[i], a[j]] = [a[j], a[i]];
  }
  return a.slice(0, n);
}

/** The demo organisation credited with papers of a category, if one covers it. */
function organisationFor(category: string | null): DemoOrganisation | null {
  if (!category) return null;
  const prefix = category.split('.')[0];
  return (
    DEMO_ORGANISATIONS.find((o) => o.areas.includes(category)) ??
    DEMO_ORGANISATIONS.find((o) => o.areas.includes(prefix)) ??
    null
  );
}

function atHour(day: string, hours: number): string {
  return new Date(new Date(`${day}T00:00:00.000Z`).getTime() + hours * HOUR_MS).toISOString();
}

/**
 * The whole demo community for these candidate papers, from `rnd` (a seededRandom). Every day that
 * has candidates gets a featured list; every featured paper gets its submitter's vote and more,
 * most a few and some dozens; a few papers a day get a short discussion.
 *
 * @example
 * const plan = planDemoCommunity(candidates, seededRandom(DEMO_SEED));
 * plan.entries.filter((e) => e.day === '2026-06-10').length // between 10 and 16
 */
export function planDemoCommunity(candidates: readonly DemoCandidate[], rnd: () => number): DemoPlan {
  const days = [...new Set(candidates.map((c) => c.day))].sort();
  const firstDay = days[0] ?? '2026-01-01';
  const names = new Set<string>();
  const users: DemoUser[] = [];
  while (users.length < DEMO_USER_COUNT) {
    const first = pick(rnd, FIRST_NAMES);
    const last = pick(rnd, LAST_NAMES);
    const username = `${first}-${last}`.toLowerCase();
    if (names.has(username)) continue;
    names.add(username);
    users.push({
      username,
      fullname: `${first} ${last}`,
      email: `${username}@${DEMO_EMAIL_DOMAIN}`,
      createdAt: `${addDays(firstDay, -ACCOUNT_AGE_DAYS)}T09:00:00.000Z`,
    });
  }

  const entries: DemoEntry[] = [];
  const votes: DemoVote[] = [];
  const comments: DemoComment[] = [];
  for (const day of days) {
    const pool = candidates.filter((c) => c.day === day);
    const want = FEATURED_PER_DAY_MIN + Math.floor(rnd() * (FEATURED_PER_DAY_MAX - FEATURED_PER_DAY_MIN + 1));
    const featured = sample(rnd, pool, want);
    featured.forEach((c, position) => {
      const submitter = pick(rnd, users);
      const org = rnd() < ORGANISATION_SHARE ? organisationFor(c.primaryCategory) : null;
      const submittedAt = atHour(day, SUBMIT_FIRST_HOUR + rnd() * SUBMIT_HOURS);
      entries.push({
        paperId: c.paperId,
        day,
        position,
        submittedBy: submitter.username,
        submitterFullname: submitter.fullname,
        submittedAt,
        organisation: org?.name ?? null,
      });
      const count = Math.max(MIN_DEMO_UPVOTES, Math.round(MAX_DEMO_UPVOTES * rnd() ** 3));
      const voters = [
        submitter,
        ...sample(
          rnd,
          users.filter((u) => u !== submitter),
          count - 1,
        ),
      ];
      const start = new Date(submittedAt).getTime();
      for (const v of voters)
        votes.push({
          username: v.username,
          paperId: c.paperId,
          at: new Date(start + rnd() * VOTE_SPREAD_HOURS * HOUR_MS).toISOString(),
        });
    });
    for (const c of sample(rnd, featured, DISCUSSED_PER_DAY)) {
      const n = 1 + Math.floor(rnd() * MAX_COMMENTS_PER_DISCUSSION);
      const area = AREA_WORDS[c.primaryCategory ?? ''] ?? 'related';
      let at = new Date(`${day}T12:00:00.000Z`).getTime();
      for (let i = 0; i < n; i++) {
        at += (1 + rnd() * 6) * HOUR_MS;
        const reply = i > 0 && rnd() < 0.5;
        comments.push({
          username: pick(rnd, users).username,
          paperId: c.paperId,
          at: new Date(at).toISOString(),
          body: reply ? pick(rnd, REPLIES) : pick(rnd, COMMENTS).replace('{area}', area),
          replyTo: reply ? comments.length - 1 : null,
        });
      }
    }
  }
  return { users, organisations: DEMO_ORGANISATIONS, entries, votes, comments };
}

/**
 * When the submission window ends: now, unless the newest paper the site holds is older than the
 * window (a demo, or a site loaded from an old archive and not fed since). Then the window counts
 * back from that newest paper, so the site's own recent papers can still be submitted; a live site,
 * whose newest paper is days old at most, is unchanged.
 *
 * @example
 * submissionWindowEnd(new Date('2026-11-29'), '2026-07-01T00:00:00Z', 14) // 2026-07-01
 * submissionWindowEnd(new Date('2026-11-29'), '2026-11-28T00:00:00Z', 14) // 2026-11-29 (now)
 */
export function submissionWindowEnd(now: Date, newestPublished: string | null, maxAgeDays: number): Date {
  if (!newestPublished) return now;
  const newest = new Date(newestPublished);
  if (Number.isNaN(newest.getTime())) return now;
  return now.getTime() - newest.getTime() > maxAgeDays * 24 * HOUR_MS ? newest : now;
}
