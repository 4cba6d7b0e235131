import { describe, expect, it } from 'vitest';
import { extractLinks, normaliseGithubRepo } from './links.js';

describe('extractLinks', () => {
  it('finds a GitHub repository and a project page', () => {
    expect(
      extractLinks('Code is at https://github.com/foo/bar-baz. See https://foo.github.io/proj/ for videos.'),
    ).toEqual({ githubRepo: 'https://github.com/foo/bar-baz', projectPage: 'https://foo.github.io/proj/' });
  });
  it('reads the comment as well as the abstract, first hit wins', () => {
    expect(extractLinks('no links here', 'Accepted at CVPR. Code: https://github.com/a/b.git)')).toEqual({
      githubRepo: 'https://github.com/a/b',
      projectPage: null,
    });
  });
  it('ignores arXiv, DOI and licence links as project pages', () => {
    expect(extractLinks('see https://arxiv.org/abs/2501.01234 and https://doi.org/10.1/x')).toEqual({
      githubRepo: null,
      projectPage: null,
    });
  });
  it('normalises repository URLs to owner/name', () => {
    expect(normaliseGithubRepo('https://github.com/Owner/Repo/tree/main/src')).toBe('https://github.com/Owner/Repo');
    expect(normaliseGithubRepo('https://github.com/owner')).toBeNull();
  });
});
