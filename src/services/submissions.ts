import type { App } from '../app.js';
import { AppError } from '../lib/app-error.js';
import { type Actor, isModerator, isNewAccount } from '../model/actor.js';
import { normaliseArxivId } from '../model/arxiv-id.js';
import { submissionWindowEnd } from '../model/demo-community.js';
import { findPaperByArxivId, newestPublishedAt, upsertPapers } from '../store/paper-store.js';
import { countSubmissionsOn, insertSubmission } from '../store/submission-store.js';
import { findUserById } from '../store/user-store.js';
import { requireWriter } from './accounts.js';

const DAY_MS = 86_400_000;

interface SubmitResult {
  arxivId: string;
  paperId: number;
  day: string;
  link: string;
}

/**
 * One paper from arXiv for someone waiting. The look-up fails in seconds when arXiv cannot be
 * reached (app.ts, INTERACTIVE_LOOKUP); the person is told what to do, the log tells the admin.
 */
async function lookUpOnArxiv(app: App, arxivId: string) {
  if (!app.arxivLookup) return null;
  return app.arxivLookup(arxivId).catch((err) => {
    app.log.warn(
      { arxivId, err: (err as Error).message },
      'arXiv look-up failed; on a site with no network set ARXIV_LOOKUP=off',
    );
    throw new AppError(
      'unavailable',
      `arXiv could not be reached to look up ${arxivId} (${(err as Error).message}). Try again in a few minutes, or submit a paper already on this site (search for it first). Site admins: on a site with no network, set ARXIV_LOOKUP=off (see the README's configuration table).`,
      { parameter: 'arxivId' },
    );
  });
}

/** The paper's page, where a duplicate submission points. */
function paperPath(arxivId: string): string {
  return `/papers/${arxivId}`;
}

/**
 * Submit a paper to today's Daily Papers (UTC day) by any accepted form of arXiv id.
 * Rules (configuration, see README): a verified address; not a new account; first published within
 * SUBMIT_MAX_AGE_DAYS; at most SUBMIT_DAILY_LIMIT a day — curators and admins are exempt from the
 * last two. A paper already featured is refused with a link to its entry.
 */
export async function submitPaper(app: App, actor: Actor, input: string): Promise<SubmitResult> {
  const me = requireWriter(actor);
  const rules = app.config.community;
  const arxivId = normaliseArxivId(String(input ?? ''));
  if (!arxivId)
    throw new AppError(
      'invalid',
      `"${String(input ?? '').slice(0, 80)}" is not an arXiv id (try 2501.01234 or an arxiv.org link).`,
      { parameter: 'arxivId' },
    );
  const curator = isModerator(me);
  if (rules.submitRequireVerified && !me.emailVerified)
    throw new AppError('forbidden', 'Confirm your email address before submitting.');
  const now = app.clock.now();
  if (!curator && isNewAccount(me, now, rules.newAccountHours)) {
    throw new AppError('forbidden', `New accounts can submit after ${rules.newAccountHours} hours.`);
  }
  const day = now.toISOString().slice(0, 10);
  if (
    !curator &&
    rules.submitDailyLimit >= 0 &&
    (await countSubmissionsOn(app.db, me.id, day)) >= rules.submitDailyLimit
  ) {
    throw new AppError('forbidden', `You have reached today's limit of ${rules.submitDailyLimit} submissions.`);
  }
  let paper = await findPaperByArxivId(app.db, arxivId);
  if (!paper && app.arxivLookup) {
    const record = await lookUpOnArxiv(app, arxivId);
    if (record) {
      await upsertPapers(app.db, [record]);
      app.contentVersion.everythingChanged();
      paper = await findPaperByArxivId(app.db, arxivId);
    }
  }
  if (!paper)
    throw new AppError(
      'not_found',
      `arXiv ${arxivId} is not known here${app.arxivLookup ? ' or on arXiv' : ' (this site does not look papers up on arXiv: ARXIV_LOOKUP=off)'}.`,
      {
        parameter: 'arxivId',
      },
    );
  const published = paper.published_at ?? paper.first_seen_at;
  // A site whose newest paper is older than the window (the demo, an archive not fed since) counts
  // the window back from that paper, so its own recent papers can be submitted (README, Submitting).
  const windowEnd = submissionWindowEnd(now, await newestPublishedAt(app.db), rules.submitMaxAgeDays);
  if (windowEnd.getTime() - new Date(published).getTime() > rules.submitMaxAgeDays * DAY_MS) {
    const since = new Date(windowEnd.getTime() - rules.submitMaxAgeDays * DAY_MS).toISOString().slice(0, 10);
    throw new AppError(
      'forbidden',
      `Only papers first published within the last ${rules.submitMaxAgeDays} days${windowEnd === now ? '' : ` of this site's newest paper (since ${since})`} can be submitted (${arxivId} was published ${published.slice(0, 10)}).`,
    );
  }
  const user = await findUserById(app.db, me.id);
  const out = await insertSubmission(app.db, {
    paperId: paper.id,
    userId: me.id,
    username: me.username,
    fullname: user?.fullname ?? null,
    day,
    at: now.toISOString(),
  });
  const link = paperPath(arxivId);
  // A new entry on today's list changes what lists hold, not only this paper's counts.
  if (out.status !== 'duplicate') app.contentVersion.everythingChanged();
  if (out.status === 'duplicate')
    throw new AppError('conflict', `arXiv ${arxivId} is already on Daily Papers (${out.day}).`, { link });
  return { arxivId, paperId: paper.id, day, link };
}

/**
 * Bring a paper from arXiv onto this site without putting it on a list (the API's
 * POST /api/papers/index). Known papers are left as they are.
 */
export async function indexPaperFromArxiv(
  app: App,
  actor: Actor,
  raw: string,
): Promise<{ arxivId: string; indexed: boolean }> {
  requireWriter(actor);
  const arxivId = normaliseArxivId(raw);
  if (!arxivId) throw new AppError('invalid', `"${raw.slice(0, 80)}" is not an arXiv id.`, { parameter: 'arxivId' });
  if (await findPaperByArxivId(app.db, arxivId)) return { arxivId, indexed: false };
  const record = app.arxivLookup ? await lookUpOnArxiv(app, arxivId) : null;
  if (!record)
    throw new AppError(
      'not_found',
      `arXiv ${arxivId} is not known here${app.arxivLookup ? ' or on arXiv' : ' and this site has no arXiv look-up'}.`,
    );
  await upsertPapers(app.db, [record]);
  app.contentVersion.everythingChanged();
  return { arxivId, indexed: true };
}
