import { describe, expect, it } from 'vitest';
import { topoSort } from './topo-sort.js';

describe('topoSort', () => {
  it('puts dependencies first and keeps input order otherwise', () => {
    const deps: Record<string, string[]> = {
      votes: ['papers', 'users'],
      papers: ['organizations'],
      comments: ['comments', 'papers'],
    };
    expect(topoSort(['votes', 'comments', 'papers', 'users', 'organizations'], (t) => deps[t] ?? [])).toEqual([
      'users',
      'organizations',
      'papers',
      'votes',
      'comments',
    ]);
  });
  it('names a cycle', () => {
    expect(() => topoSort(['a', 'b'], (t) => (t === 'a' ? ['b'] : ['a']))).toThrow(/cycle among: a, b/);
  });
});
