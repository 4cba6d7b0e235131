import { describe, expect, it } from 'vitest';
import { type CandidatePaper, rankCandidates, selectForSubscriber } from './digest-select.js';

const base: CandidatePaper = {
  id: 0,
  arxivId: '',
  title: '',
  abstract: '',
  authorCount: 1,
  categories: ['cs.LG'],
  organization: null,
  organizationFullname: null,
  upvotes: 0,
  comments: 0,
  hasCode: false,
  enteredAt: '2026-06-15T00:00:00.000Z',
};
const papers: CandidatePaper[] = [
  { ...base, id: 1, arxivId: '2606.00001', title: 'Diffusion models for audio', upvotes: 30, categories: ['cs.SD'] },
  {
    ...base,
    id: 2,
    arxivId: '2606.00002',
    title: 'Transformers everywhere',
    upvotes: 50,
    categories: ['cs.CL'],
    organization: 'google',
    organizationFullname: 'Google',
  },
  {
    ...base,
    id: 3,
    arxivId: '2606.00003',
    title: 'Old but popular',
    upvotes: 500,
    enteredAt: '2026-06-01T00:00:00.000Z',
  },
  { ...base, id: 4, arxivId: '2606.00004', title: 'Quiet paper on diffusions', upvotes: 1, hasCode: true },
  { ...base, id: 5, arxivId: '2606.00005', title: 'Brand new', upvotes: 30, enteredAt: '2026-06-15T12:00:00.000Z' },
];
const none = { categories: [], keywords: [], organizations: [], minUpvotes: 0 };

describe('digest selection', () => {
  const ranked = rankCandidates(papers, '2026-06-16T00:00:00.000Z');
  it('ranks by trending score as of the period end and drops papers outside the window', () => {
    // 50 votes at 24h ≈ 31.5; 30 at 12h ≈ 23.8; 30 at 24h ≈ 18.9; (1+1) at 24h ≈ 1.26; 15 days old → 0.
    expect(ranked.map((p) => p.id)).toEqual([2, 5, 1, 4, 3]);
    expect(ranked[4]).toMatchObject({ score: 0, inWindow: false });
    expect(selectForSubscriber(ranked, { ...none, paperCount: 10 }).map((p) => p.id)).toEqual([2, 5, 1, 4]);
  });
  it('takes at most paperCount papers', () => {
    expect(selectForSubscriber(ranked, { ...none, paperCount: 2 }).map((p) => p.id)).toEqual([2, 5]);
  });
  it('matches any topic: category, organisation (name or full name, any case) or whole-word keyword', () => {
    expect(selectForSubscriber(ranked, { ...none, paperCount: 10, categories: ['cs.sd'] }).map((p) => p.id)).toEqual([
      1,
    ]);
    expect(
      selectForSubscriber(ranked, { ...none, paperCount: 10, organizations: ['GOOGLE'] }).map((p) => p.id),
    ).toEqual([2]);
    // "diffusion" matches "Diffusion" but not "diffusions".
    expect(selectForSubscriber(ranked, { ...none, paperCount: 10, keywords: ['diffusion'] }).map((p) => p.id)).toEqual([
      1,
    ]);
    expect(
      selectForSubscriber(ranked, { ...none, paperCount: 10, keywords: ['diffusion'], categories: ['cs.CL'] }).map(
        (p) => p.id,
      ),
    ).toEqual([2, 1]);
  });
  it('keeps papers without votes (ranked after voted ones) but never papers out of the window', () => {
    const quiet = rankCandidates(
      [
        { ...base, id: 7, arxivId: '2606.00007', upvotes: 0 },
        { ...base, id: 8, arxivId: '2606.00008', upvotes: 0 },
        { ...base, id: 9, arxivId: '2606.00009', upvotes: 0, enteredAt: '2026-05-01T00:00:00.000Z' },
      ],
      '2026-06-16T00:00:00.000Z',
    );
    expect(selectForSubscriber(quiet, { ...none, paperCount: 10 }).map((p) => p.id)).toEqual([8, 7]);
  });
  it('applies the minimum upvote count, and an empty selection stays empty', () => {
    expect(selectForSubscriber(ranked, { ...none, paperCount: 10, minUpvotes: 40 }).map((p) => p.id)).toEqual([2]);
    expect(selectForSubscriber(ranked, { ...none, paperCount: 10, minUpvotes: 1000 })).toEqual([]);
    expect(selectForSubscriber(ranked, { ...none, paperCount: 10, keywords: ['nothing-like-this'] })).toEqual([]);
  });
});
