import { describe, expect, it } from 'vitest';
import { DEFAULT_PREFERENCES, formatTopics, normaliseEmail, parseTopics, validatePreferences } from './subscription.js';

describe('subscription preferences', () => {
  it('parses topics: categories, org: and keyword: prefixes, bare words as keywords', () => {
    expect(parseTopics('cs.CL; org:Google ;diffusion models; hep-th;keyword:cs.LG;; ORG: meta')).toEqual({
      categories: ['cs.CL', 'hep-th'],
      keywords: ['diffusion models', 'cs.LG'],
      organizations: ['Google', 'meta'],
    });
    const t = parseTopics('cs.CL; org:Google; keyword:RLHF');
    expect(parseTopics(formatTopics(t))).toEqual(t);
  });
  it('validates preferences and names the bad field', () => {
    expect(validatePreferences({ ...DEFAULT_PREFERENCES, sendHour: '7' })).toMatchObject({
      ok: true,
      value: { sendHour: 7 },
    });
    const bad = validatePreferences({
      ...DEFAULT_PREFERENCES,
      sendHour: 24,
      timeZone: 'Nowhere/City',
      frequency: 'hourly',
      paperCount: 0,
    });
    expect(bad.ok).toBe(false);
    if (!bad.ok) {
      expect(bad.errors.join('\n')).toMatch(/sendHour/);
      expect(bad.errors.join('\n')).toMatch(/timeZone: unknown time zone/);
      expect(bad.errors.join('\n')).toMatch(/frequency/);
      expect(bad.errors.join('\n')).toMatch(/paperCount/);
    }
  });
  it('normalises addresses and refuses non-addresses', () => {
    expect(normaliseEmail('  Ada@Example.ORG ')).toBe('ada@example.org');
    for (const bad of ['', 'ada', 'ada@', '<script>@x.y', 'a b@c.d', 42, null]) expect(normaliseEmail(bad)).toBeNull();
  });
});
