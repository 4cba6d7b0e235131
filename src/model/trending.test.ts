import { describe, expect, it } from 'vitest';
import { HALF_LIFE_HOURS, hoursBetween, trendingScore, WINDOW_DAYS } from './trending.js';

describe('trendingScore', () => {
  it('matches the documented example exactly', () => {
    expect(trendingScore({ upvotes: 10, authorUpvotes: 0, comments: 2, hasCode: true, ageHours: 36 })).toEqual({
      votes: 10,
      comments: 1,
      code: 1,
      decay: 0.5,
      score: 6,
    });
  });
  it('halves every half-life', () => {
    const s0 = trendingScore({ upvotes: 8, authorUpvotes: 0, comments: 0, hasCode: false, ageHours: 0 }).score;
    const s2 = trendingScore({
      upvotes: 8,
      authorUpvotes: 0,
      comments: 0,
      hasCode: false,
      ageHours: 2 * HALF_LIFE_HOURS,
    }).score;
    expect(s0).toBe(8);
    expect(s2).toBe(2);
  });
  it('counts author votes at half weight', () => {
    expect(trendingScore({ upvotes: 10, authorUpvotes: 4, comments: 0, hasCode: false, ageHours: 0 }).votes).toBe(8);
  });
  it('is zero outside the window and never negative', () => {
    expect(
      trendingScore({ upvotes: 1000, authorUpvotes: 0, comments: 9, hasCode: true, ageHours: WINDOW_DAYS * 24 + 1 })
        .score,
    ).toBe(0);
    expect(trendingScore({ upvotes: -5, authorUpvotes: 0, comments: -1, hasCode: false, ageHours: -3 }).score).toBe(0);
  });
  it('measures hours', () => {
    expect(hoursBetween('2025-01-01T00:00:00Z', '2025-01-02T12:00:00Z')).toBe(36);
  });
});
