import { describe, expect, it } from 'vitest';
import { emptyRecord, looksWithdrawn, mergePaper, paperHash, sameContent } from './paper.js';

const base = {
  ...emptyRecord('2501.01234'),
  version: 1,
  title: 'First title',
  abstract: 'First abstract',
  authors: ['A. One', 'B. Two'],
  categories: ['cs.CL', 'cs.AI'],
  publishedAt: '2025-01-02T00:00:00.000Z',
};

describe('mergePaper', () => {
  it('is idempotent: merging the same record twice gives the same hash', () => {
    const once = mergePaper(null, base);
    const twice = mergePaper(once, base);
    expect(paperHash(twice)).toBe(paperHash(once));
  });
  it('lets a newer version update the metadata', () => {
    const v1 = mergePaper(null, base);
    const v2 = mergePaper(v1, { ...base, version: 2, title: 'Second title', updatedAt: '2025-02-01T00:00:00.000Z' });
    expect(v2.title).toBe('Second title');
    expect(v2.version).toBe(2);
    expect(v2.publishedAt).toBe('2025-01-02T00:00:00.000Z');
    expect(v2.updatedAt).toBe('2025-02-01T00:00:00.000Z');
  });
  it('never lets an older version overwrite a newer one', () => {
    const v2 = mergePaper(null, { ...base, version: 2, title: 'Second title' });
    const again = mergePaper(v2, base);
    expect(again.title).toBe('Second title');
    expect(again.version).toBe(2);
  });
  it('keeps what a poorer source does not say', () => {
    const full = mergePaper(null, base);
    const hf = mergePaper(full, {
      ...emptyRecord('2501.01234'),
      title: 'First title',
      githubRepo: 'https://github.com/a/b',
      importedUpvotes: 12,
    });
    expect(hf.categories).toEqual(['cs.CL', 'cs.AI']);
    expect(hf.authors).toEqual(['A. One', 'B. Two']);
    expect(hf.githubRepo).toBe('https://github.com/a/b');
    expect(hf.importedUpvotes).toBe(12);
    expect(hf.version).toBe(1);
  });
  it('keeps the earliest publication date', () => {
    const a = mergePaper(null, { ...base, publishedAt: '2025-01-05' });
    expect(mergePaper(a, { ...base, publishedAt: '2025-01-03' }).publishedAt).toBe('2025-01-03');
    expect(mergePaper(a, { ...base, publishedAt: '2025-01-09' }).publishedAt).toBe('2025-01-05');
  });
});

describe('looksWithdrawn', () => {
  it.each([
    ['This paper has been withdrawn by the author due to an error', true],
    ['Withdrawn: duplicate of 2501.00001', true],
    ['Accepted at ICML 2025', false],
    [null, false],
  ])('%s → %s', (c, want) => expect(looksWithdrawn(c as string | null)).toBe(want));
});

describe('mergePaper without versions', () => {
  it('lets the later sighting win, in either order', () => {
    const early = { ...base, version: null, title: 'Early', observedAt: '2025-01-02' };
    const late = { ...base, version: null, title: 'Late', observedAt: '2025-01-09' };
    const a = mergePaper(mergePaper(null, early), late);
    const b = mergePaper(mergePaper(null, late), early);
    expect(a.title).toBe('Late');
    expect(b.title).toBe('Late');
    expect(paperHash(a)).toBe(paperHash(b));
  });
});

describe('mergePaper with two records of the same day', () => {
  it('ends in the same state in either order, and a re-import changes nothing', () => {
    // Real case (2506.01591 on 2025-06-03): the listing carries the paper twice, once with one more category.
    const one = { ...base, version: null, categories: ['cs.GR', 'cs.CR'], observedAt: '2025-06-03' };
    const two = { ...base, version: null, categories: ['cs.GR', 'cs.CR', 'eess.AS'], observedAt: '2025-06-03' };
    const a = mergePaper(mergePaper(null, one), two);
    const b = mergePaper(mergePaper(null, two), one);
    expect(a).toEqual(b);
    expect(paperHash(mergePaper(mergePaper(a, one), two))).toBe(paperHash(a));
    expect(paperHash(mergePaper(a, one))).toBe(paperHash(a));
  });
});

describe('sameContent', () => {
  it('sees a change in every field the hash covers, and ignores asOf', () => {
    const a = mergePaper(null, { ...base, aiKeywords: ['x'], organizationName: 'apple', githubStars: 3 });
    expect(sameContent(a, { ...a, asOf: 'later' })).toBe(true);
    // Every key of the state (so a field added later is covered too) except asOf.
    for (const key of Object.keys(a).filter((k) => k !== 'asOf') as Array<keyof typeof a>) {
      const v = a[key];
      const changed = Array.isArray(v)
        ? [...v, 'extra']
        : typeof v === 'number'
          ? v + 1
          : typeof v === 'boolean'
            ? !v
            : `${v}!`;
      const b = { ...a, [key]: changed };
      expect(sameContent(a, b), key).toBe(false);
      expect(paperHash(b), key).not.toBe(paperHash(a));
    }
  });
});
