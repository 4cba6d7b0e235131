/**
 * BibTeX entries for arXiv papers, in the form arXiv's own "Export BibTeX" gives
 * (@misc with eprint, archivePrefix and primaryClass).
 *
 * @example
 * toBibtex({ arxivId: '2501.01234', title: 'A', authors: ['Ada Lovelace'], publishedAt: '2025-01-02', primaryCategory: 'cs.CL' })
 * // '@misc{lovelace2025a,\n  title = {A},\n  author = {Ada Lovelace},\n  year = {2025},\n  eprint = {2501.01234}, …'
 */
export interface BibPaper {
  arxivId: string;
  title: string;
  authors: string[];
  publishedAt: string | null;
  primaryCategory: string | null;
}

/** Braces must balance inside a BibTeX field; unbalanced ones (rare, from LaTeX titles) are escaped. */
function field(s: string): string {
  const flat = s.replace(/\s+/g, ' ').trim();
  let depth = 0;
  for (const ch of flat) {
    if (ch === '{') depth += 1;
    else if (ch === '}') depth -= 1;
    if (depth < 0) break;
  }
  return depth === 0 ? flat : flat.replace(/[{}]/g, (c) => `\\${c}`);
}

function citeKey(p: BibPaper): string {
  const last = (p.authors[0] ?? 'anon').trim().split(/\s+/).pop() ?? 'anon';
  const word = p.title.toLowerCase().match(/[a-z]{3,}/)?.[0] ?? 'paper';
  const year = p.publishedAt?.slice(0, 4) ?? '';
  return `${last.normalize('NFKD').replace(/[^A-Za-z]/g, '').toLowerCase() || 'anon'}${year}${word}`;
}

export function toBibtex(p: BibPaper): string {
  const lines = [
    `@misc{${citeKey(p)},`,
    `  title = {${field(p.title)}},`,
    `  author = {${p.authors.map(field).join(' and ')}},`,
    ...(p.publishedAt ? [`  year = {${p.publishedAt.slice(0, 4)}},`] : []),
    `  eprint = {${p.arxivId}},`,
    `  archivePrefix = {arXiv},`,
    ...(p.primaryCategory ? [`  primaryClass = {${p.primaryCategory}},`] : []),
    `  url = {https://arxiv.org/abs/${p.arxivId}}`,
    '}',
  ];
  return lines.join('\n');
}
