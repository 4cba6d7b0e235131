import type { TestDb } from './db.js';
import { featurePapers, listPapers, paper } from './site.js';

/** A hostile string: markup and script in every field a page shows. */
export const HOSTILE = `<script>window.__pwned=1</script><img src=x onerror="window.__pwned=2">`;

export interface Fixture {
  ids: Record<string, number>;
}

/**
 * Two listing days and two Daily Papers days:
 * - 2025-06-10: A (5 upvotes), B (20), D (5, code, org "meta"), H (hostile) listed; A, B, D featured in that order.
 * - 2025-06-11: E (org "apple") and F listed; E featured by "akhaliq".
 */
export async function seedFixture(db: TestDb): Promise<Fixture> {
  const day1 = await listPapers(db, '2025-06-10', [
    paper('2506.00001', { title: 'Alpha sparse attention', importedUpvotes: 5 }),
    paper('2506.00002', { title: 'Beta speculative decoding', importedUpvotes: 20, categories: ['cs.LG'] }),
    paper('2506.00004', {
      title: 'Delta with code',
      importedUpvotes: 5,
      githubRepo: 'https://github.com/meta/delta',
      organizationName: 'meta',
      abstract: 'Sparse kernels, with code. $\\alpha$-sparsity and \\emph{fast} decoding.',
    }),
    paper('2506.00005', {
      title: `Hostile ${HOSTILE}`,
      abstract: `Abstract ${HOSTILE}`,
      authors: [`Mallory ${HOSTILE}`],
      organizationName: `evil${HOSTILE}`,
    }),
  ]);
  const day2 = await listPapers(db, '2025-06-11', [
    paper('2506.00006', { title: 'Epsilon from Apple', publishedAt: '2025-06-11T00:00:00.000Z', importedUpvotes: 7 }),
    paper('2506.00007', { title: 'Zeta unfeatured', publishedAt: '2025-06-11T00:00:00.000Z', categories: ['stat.ML'] }),
  ]);
  await featurePapers(db, '2025-06-10', [day1[0], day1[1], day1[2]]);
  await featurePapers(db, '2025-06-11', [day2[0]], { submitter: 'akhaliq', org: { name: 'apple', fullname: 'Apple' } });
  return { ids: { A: day1[0], B: day1[1], D: day1[2], H: day1[3], E: day2[0], F: day2[1] } };
}
