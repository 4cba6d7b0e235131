/**
 * Trending, in the open: a paper's score is its activity, decayed by age.
 *
 *   score = (votes + COMMENT_WEIGHT × comments + CODE_BONUS × hasCode) × 0.5 ^ (ageHours / HALF_LIFE_HOURS)
 *
 * - votes: upvotes; votes by the paper's own (claimed) authors count AUTHOR_VOTE_WEIGHT each.
 * - comments and a known code repository are minor terms, so discussion and released code lift a
 *   paper a little but cannot outrun votes.
 * - ageHours runs from the moment the paper entered the list (featured on Daily Papers, or first
 *   published when it never was); every HALF_LIFE_HOURS the score halves.
 * - Papers older than WINDOW_DAYS are not trending at all (score 0), whatever their votes.
 *
 * @example
 * trendingScore({ upvotes: 10, authorUpvotes: 0, comments: 2, hasCode: true, ageHours: 36 })
 * // { votes: 10, comments: 1, code: 1, decay: 0.5, score: 6 }
 */
export const HALF_LIFE_HOURS = 36;
export const WINDOW_DAYS = 7;
export const COMMENT_WEIGHT = 0.5;
export const CODE_BONUS = 1;
export const AUTHOR_VOTE_WEIGHT = 0.5;
const HOURS_PER_DAY = 24;

export interface TrendingInput {
  /** All upvotes, including the authors' own. */
  upvotes: number;
  /** Upvotes from the paper's claimed authors (a subset of upvotes). */
  authorUpvotes: number;
  comments: number;
  hasCode: boolean;
  /** Hours since the paper entered the list; negative ages (clock skew) count as 0. */
  ageHours: number;
}

export interface TrendingBreakdown {
  votes: number;
  comments: number;
  code: number;
  decay: number;
  score: number;
}

export function trendingScore(p: TrendingInput): TrendingBreakdown {
  const age = Math.max(0, p.ageHours);
  const authorVotes = Math.min(Math.max(0, p.authorUpvotes), Math.max(0, p.upvotes));
  const votes = Math.max(0, p.upvotes) - authorVotes + AUTHOR_VOTE_WEIGHT * authorVotes;
  const comments = COMMENT_WEIGHT * Math.max(0, p.comments);
  const code = p.hasCode ? CODE_BONUS : 0;
  const decay = age > WINDOW_DAYS * HOURS_PER_DAY ? 0 : 0.5 ** (age / HALF_LIFE_HOURS);
  return { votes, comments, code, decay, score: (votes + comments + code) * decay };
}

/** Hours between two instants (ISO strings or dates). */
export function hoursBetween(from: string | Date, to: string | Date): number {
  return (new Date(to).getTime() - new Date(from).getTime()) / 3_600_000;
}
