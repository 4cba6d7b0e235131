import type { App } from '../app.js';
import type { PaperRow } from '../db/schema.js';
import { hoursBetween, type TrendingBreakdown, type TrendingInput, trendingScore } from '../model/trending.js';
import { paperListedAt } from '../store/community-paper-store.js';

export interface TrendingWhy {
  input: TrendingInput;
  breakdown: TrendingBreakdown;
  listedAt: string | null;
}

/** Why a paper is trending: the inputs of the public formula and each term of its score. */
export async function trendingWhy(
  app: App,
  paper: Pick<PaperRow, 'id' | 'upvotes' | 'author_upvotes' | 'comment_count' | 'github_repo'>,
  asOf?: Date,
): Promise<TrendingWhy> {
  const listedAt = await paperListedAt(app.db, paper.id);
  const input: TrendingInput = {
    upvotes: paper.upvotes,
    authorUpvotes: paper.author_upvotes,
    comments: paper.comment_count,
    hasCode: Boolean(paper.github_repo),
    ageHours: listedAt ? hoursBetween(listedAt, asOf ?? app.clock.now()) : Number.POSITIVE_INFINITY,
  };
  return { input, breakdown: trendingScore(input), listedAt };
}
