/**
 * Links mentioned in an abstract or comment: the GitHub repository and a project page.
 *
 * @example
 * extractLinks('Code: https://github.com/foo/bar. Project page: https://foo.github.io/bar/')
 * // { githubRepo: 'https://github.com/foo/bar', projectPage: 'https://foo.github.io/bar/' }
 */
interface ExtractedLinks {
  githubRepo: string | null;
  projectPage: string | null;
}

const URL_RE = /\bhttps?:\/\/[^\s<>"'{}|\\^`\]]+/gi;
const GITHUB_REPO_RE = /^https?:\/\/(?:www\.)?github\.com\/([A-Za-z0-9-]+)\/([A-Za-z0-9._-]+)/i;
// Hosts that are never a paper's project page: code hosts, arXiv itself, DOIs, licences.
const NOT_PROJECT_HOSTS =
  /(^|\.)(github\.com|gitlab\.com|arxiv\.org|doi\.org|creativecommons\.org|huggingface\.co|zenodo\.org|bitbucket\.org|youtube\.com|youtu\.be|twitter\.com|x\.com)$/i;
// Trailing punctuation is sentence punctuation, not part of the link.
const TRAILING_PUNCT = /[.,;:)\]}>!?'"]+$/;

function cleanUrl(raw: string): string {
  let url = raw.replace(TRAILING_PUNCT, '');
  // LaTeX line breaks in arXiv text can glue the next word on; a URL never contains "\".
  url = url.split('\\')[0];
  return url;
}

export function normaliseGithubRepo(url: string): string | null {
  const m = GITHUB_REPO_RE.exec(url);
  if (!m) return null;
  const repo = m[2].replace(/\.git$/i, '').replace(TRAILING_PUNCT, '');
  if (!repo || repo === '.' || repo === '..') return null;
  return `https://github.com/${m[1]}/${repo}`;
}

export function extractLinks(...texts: Array<string | null | undefined>): ExtractedLinks {
  let githubRepo: string | null = null;
  let projectPage: string | null = null;
  for (const text of texts) {
    if (!text) continue;
    // arXiv hard-wraps text; a URL broken at a line end is rejoined only when the break is inside it.
    const flat = text.replace(/-\n\s*/g, '-');
    for (const raw of flat.match(URL_RE) ?? []) {
      const url = cleanUrl(raw);
      if (!githubRepo) {
        const repo = normaliseGithubRepo(url);
        if (repo) {
          githubRepo = repo;
          continue;
        }
      }
      if (!projectPage) {
        try {
          const u = new URL(url);
          if (!NOT_PROJECT_HOSTS.test(u.hostname)) projectPage = u.toString();
        } catch {
          // not a URL after cleaning: ignore it
        }
      }
    }
  }
  return { githubRepo, projectPage };
}
