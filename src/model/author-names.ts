/**
 * Which spellings of an author's name are one person on /authors/{name} (issue #17). Careful by
 * design: spellings merge when they differ only in case, diacritics or punctuation; an initials form
 * ("A. Vaswani") merges with a full form ("Ashish Vaswani") only when the surname matches, the
 * initials fit, and no other full name fits them ("Anna Vaswani" too): then nothing merges and the
 * page names the candidates instead of guessing.
 */

/** "Ashísh  K. Vaswani" → "ashish k vaswani": case, diacritics and punctuation dropped. */
export function nameKey(name: string): string {
  return name
    .normalize('NFKD')
    .replace(/\p{M}+/gu, '')
    .toLowerCase()
    .replace(/[^\p{L}\p{N}]+/gu, ' ')
    .trim();
}

/** The surname's key (the last word), or '' for a name without letters. */
export function surnameKey(name: string): string {
  const parts = nameKey(name).split(' ');
  return parts[parts.length - 1] ?? '';
}

function given(key: string): string[] {
  const parts = key.split(' ');
  return parts.slice(0, -1);
}

/** True when every given name is a single letter ("a j vaswani"). */
function isInitialsForm(key: string): boolean {
  const g = given(key);
  return g.length > 0 && g.every((t) => t.length === 1);
}

/** Same surname, same number of given names, each equal or an initial of the other. */
function fits(a: string, b: string): boolean {
  if (surnameKey(a) !== surnameKey(b)) return false;
  const ga = given(a);
  const gb = given(b);
  if (ga.length !== gb.length) return false;
  return ga.every((t, i) => {
    const u = gb[i]!;
    return t === u || (t.length === 1 && u.startsWith(t)) || (u.length === 1 && t.startsWith(u));
  });
}

export interface AuthorVariants {
  /** The requested name's key (what the page is about). */
  key: string;
  /** Every spelling taken as this person, full names first, then most frequent (the first names the page). */
  names: string[];
  /** Full names that fit an initials form but were not merged because more than one does. */
  ambiguous: string[];
}

/**
 * The spellings of `requested` among `candidates` (distinct spellings with the same surname, with how
 * many papers use each).
 *
 * @example
 * authorVariants('A. Vaswani', [{ name: 'Ashish Vaswani', papers: 3 }, { name: 'A. Vaswani', papers: 1 }])
 * // { key: 'a vaswani', names: ['Ashish Vaswani', 'A. Vaswani'], ambiguous: [] }
 */
export function authorVariants(
  requested: string,
  candidates: ReadonlyArray<{ name: string; papers: number }>,
): AuthorVariants {
  const key = nameKey(requested);
  const keys = new Map<string, number>();
  for (const c of candidates) {
    const k = nameKey(c.name);
    if (surnameKey(k) === surnameKey(key)) keys.set(k, (keys.get(k) ?? 0) + c.papers);
  }
  const fullKeys = [...keys.keys()].filter((k) => !isInitialsForm(k));
  /** The one full name an initials form stands for, or null when none or several fit. */
  const soleFull = (k: string): string | null => {
    const fit = fullKeys.filter((f) => fits(k, f));
    return fit.length === 1 ? fit[0]! : null;
  };
  const merged = new Set<string>([key]);
  let ambiguous: string[] = [];
  if (isInitialsForm(key)) {
    const full = fullKeys.filter((f) => fits(key, f));
    if (full.length === 1) merged.add(full[0]!);
    else ambiguous = full;
  }
  // The person's full name (the requested one, or the one its initials stand for): add the
  // initials forms that stand for it and for nobody else.
  const person = [...merged].find((k) => !isInitialsForm(k));
  if (person)
    for (const k of keys.keys()) if (isInitialsForm(k) && fits(k, person) && soleFull(k) === person) merged.add(k);
  const names = candidates
    .filter((c) => merged.has(nameKey(c.name)))
    // A full name before initials (it names the page), then the most used spelling.
    .sort(
      (a, b) =>
        Number(isInitialsForm(nameKey(a.name))) - Number(isInitialsForm(nameKey(b.name))) ||
        b.papers - a.papers ||
        a.name.localeCompare(b.name),
    )
    .map((c) => c.name);
  const byKey = new Map(candidates.map((c) => [nameKey(c.name), c.name]));
  return { key, names: [...new Set(names)], ambiguous: ambiguous.map((k) => byKey.get(k) ?? k) };
}

/**
 * The look-up key of a surname that every spelling of it shares: the letters that carry diacritics
 * in some language, and any non-ASCII letter, become `_`, so "muller" and "Müller" share "m_ll_r"
 * (so does "Miller": this is a prefilter, nameKey decides afterwards). `surnameSkeleton` takes a
 * surname's key (surnameKey); `nameSkeleton` a name as written: its last space-separated word,
 * lower-cased. The two agree for every spelling of one surname, so an index on the stored names'
 * skeletons (author_names, migration 0053) finds them all without scanning every author.
 *
 * @example
 * nameSkeleton('Jörg Müller') === surnameSkeleton(surnameKey('Muller')) // 'm_ll_r'
 */
export function surnameSkeleton(surname: string): string {
  return [...surname].map((ch) => (/[a-z0-9]/.test(ch) && !/[aeiouycnsz]/.test(ch) ? ch : '_')).join('');
}

export function nameSkeleton(name: string): string {
  const words = name.toLowerCase().split(' ');
  return surnameSkeleton(words[words.length - 1] ?? '');
}
