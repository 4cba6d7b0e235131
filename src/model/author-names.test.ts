import { describe, expect, it } from 'vitest';
import { authorVariants, nameKey, nameSkeleton, surnameKey, surnameSkeleton } from './author-names.js';

const c = (...xs: Array<[string, number]>) => xs.map(([name, papers]) => ({ name, papers }));

describe('author name variants', () => {
  it('merges case, diacritics and punctuation', () => {
    expect(nameKey('José  García-Pérez')).toBe('jose garcia perez');
    const v = authorVariants('jose garcia', c(['José García', 3], ['JOSE GARCIA', 1], ['Josefa García', 2]));
    expect(v.names).toEqual(['José García', 'JOSE GARCIA']);
  });
  it('merges initials with the one full name they fit, both ways', () => {
    const cands = c(['Ashish Vaswani', 5], ['A. Vaswani', 2], ['Niki Vaswani', 1]);
    expect(authorVariants('A. Vaswani', cands).names).toEqual(['Ashish Vaswani', 'A. Vaswani']);
    expect(authorVariants('Ashish Vaswani', cands).names).toEqual(['Ashish Vaswani', 'A. Vaswani']);
    expect(authorVariants('Niki Vaswani', cands).names).toEqual(['Niki Vaswani']);
  });
  it('never merges initials when two full names fit them, and names both', () => {
    const cands = c(['Anna Smith', 4], ['Adam Smith', 3], ['A. Smith', 2]);
    const v = authorVariants('A. Smith', cands);
    expect(v.names).toEqual(['A. Smith']);
    expect(v.ambiguous.sort()).toEqual(['Adam Smith', 'Anna Smith']);
    expect(authorVariants('Anna Smith', cands).names).toEqual(['Anna Smith']);
  });
  it('keeps a middle initial and a different number of given names apart', () => {
    const cands = c(['Ada Lovelace', 2], ['Ada K. Lovelace', 1], ['A. K. Lovelace', 1]);
    expect(authorVariants('Ada Lovelace', cands).names).toEqual(['Ada Lovelace']);
    expect(authorVariants('A. K. Lovelace', cands).names).toEqual(['Ada K. Lovelace', 'A. K. Lovelace']);
  });
  it('finds accented surnames by one skeleton', () => {
    const key = surnameSkeleton(surnameKey('Muller'));
    expect(key).toBe('m_ll_r');
    expect(nameSkeleton('Jörg Müller')).toBe(key);
    expect(nameSkeleton('Jörg Miller')).toBe(key); // a prefilter; nameKey decides
    expect(nameSkeleton('Jörg Mueller')).not.toBe(key);
    expect(nameSkeleton('Müller')).toBe(key);
    expect(nameSkeleton('Jörg Müller Smith')).not.toBe(key);
  });
});
