/**
 * A BibTeX entry for an arXiv paper, in the form arXiv's own "Export BibTeX" gives.
 *
 * @example
 * bibtex({ arxivId: '2501.01234', title: 'Deep Nets', authors: ['Ada Lovelace'], publishedAt: '2025-01-03', primaryCategory: 'cs.LG' })
 * // @misc{lovelace2025deep, title={Deep Nets}, author={Ada Lovelace}, year={2025}, eprint={2501.01234}, …}
 */
interface BibtexInput {
  arxivId: string;
  title: string;
  authors: string[];
  publishedAt: string | null;
  primaryCategory: string | null;
}

function keyPart(s: string): string {
  return s
    .normalize('NFKD')
    .replace(/[^A-Za-z0-9]/g, '')
    .toLowerCase();
}

/** Braces must balance inside a BibTeX value; unbalanced ones are dropped. */
function value(s: string): string {
  let depth = 0;
  let out = '';
  for (const c of s.replace(/\s+/g, ' ').trim()) {
    if (c === '{') depth++;
    if (c === '}') {
      if (depth === 0) continue;
      depth--;
    }
    out += c;
  }
  return out + '}'.repeat(depth);
}

export function bibtex(p: BibtexInput): string {
  const year = p.publishedAt?.slice(0, 4) ?? (/^\d{4}\./.test(p.arxivId) ? `20${p.arxivId.slice(0, 2)}` : '');
  const last = p.authors[0]?.trim().split(/\s+/).pop() ?? 'anon';
  const word =
    p.title
      .split(/\s+/)
      .map(keyPart)
      .find((w) => w.length > 3) ?? 'paper';
  const key = `${keyPart(last) || 'anon'}${year}${word}`;
  const fields = [
    ['title', value(p.title)],
    ['author', p.authors.map(value).join(' and ')],
    ['year', year],
    ['eprint', p.arxivId],
    ['archivePrefix', 'arXiv'],
    ...(p.primaryCategory ? [['primaryClass', p.primaryCategory]] : []),
    ['url', `https://arxiv.org/abs/${p.arxivId}`],
  ];
  return `@misc{${key},\n${fields.map(([k, v]) => `      ${k}={${v}}`).join(',\n')}\n}`;
}
