/**
 * arXiv identifiers in every form people paste, normalised to one canonical id without version.
 *
 * @example
 * parseArxivId('https://arxiv.org/pdf/2501.01234v2.pdf') // { id: '2501.01234', version: 2 }
 * parseArxivId('arXiv:hep-th/9504118')                    // { id: 'hep-th/9504118', version: null }
 * parseArxivId('abc')                                     // null
 */
interface ArxivId {
  /** Canonical id without version: `2501.01234` or `hep-th/9504118`. */
  id: string;
  /** Version number when the input named one (`v2` → 2), else null. */
  version: number | null;
}

// New style (April 2007 on): YYMM.NNNN (to 2014) or YYMM.NNNNN (2015 on).
const NEW_STYLE = /^(\d{2})(\d{2})\.(\d{4,5})(?:v(\d+))?$/;
// Old style: archive(.subject-class)?/YYMMNNN, e.g. hep-th/9504118, math.GT/0309136.
const OLD_STYLE = /^([a-z]+(?:-[a-z]+)*)(?:\.([A-Za-z]{2}))?\/(\d{7})(?:v(\d+))?$/;
const URL_PREFIX = /^(?:https?:\/\/)?(?:www\.|export\.)?arxiv\.org\/(?:abs|pdf|html)\//i;
const MAX_INPUT_CHARS = 200;

export function parseArxivId(input: string): ArxivId | null {
  if (typeof input !== 'string' || input.length > MAX_INPUT_CHARS) return null;
  let s = input.trim();
  s = s.replace(URL_PREFIX, '');
  s = s.replace(/^arxiv:\s*/i, '');
  s = s
    .replace(/[?#].*$/, '')
    .replace(/\/+$/, '')
    .replace(/\.pdf$/i, '');
  const n = NEW_STYLE.exec(s);
  if (n) {
    const month = Number(n[2]);
    if (month < 1 || month > 12) return null;
    // Five-digit numbers started in 1501; four-digit ones ended in 1412.
    const yymm = Number(n[1] + n[2]);
    if (n[3].length === 5 && yymm < 1501) return null;
    if (n[3].length === 4 && yymm >= 1501) return null;
    return { id: `${n[1]}${n[2]}.${n[3]}`, version: n[4] ? Number(n[4]) : null };
  }
  const o = OLD_STYLE.exec(s);
  if (o) {
    const archive = o[1].toLowerCase();
    // The subject class is dropped: arXiv serves math.GT/0309136 as math/0309136.
    return { id: `${archive}/${o[3]}`, version: o[4] ? Number(o[4]) : null };
  }
  return null;
}

/** The canonical id, or null when the input is not an arXiv identifier. */
export function normaliseArxivId(input: string): string | null {
  return parseArxivId(input)?.id ?? null;
}

export function arxivAbsUrl(id: string): string {
  return `https://arxiv.org/abs/${id}`;
}

export function arxivPdfUrl(id: string): string {
  return `https://arxiv.org/pdf/${id}`;
}
