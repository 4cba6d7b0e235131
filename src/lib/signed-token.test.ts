import { describe, expect, it } from 'vitest';
import { parseToken, signToken, verifyToken } from './signed-token.js';

const key = 'k'.repeat(40);
const t0 = new Date('2026-06-16T08:00:00Z');

describe('signed tokens', () => {
  const t = signToken(key, 'unsubscribe', 42, 'a@example.org', t0);
  it('verifies for the same key, purpose and binding only', () => {
    expect(parseToken(t)?.subject).toBe(42);
    expect(verifyToken(key, 'unsubscribe', t, 'a@example.org')).toBe(true);
    expect(verifyToken(key, 'preferences', t, 'a@example.org')).toBe(false);
    expect(verifyToken(key, 'unsubscribe', t, 'b@example.org')).toBe(false);
    expect(verifyToken('x'.repeat(40), 'unsubscribe', t, 'a@example.org')).toBe(false);
  });
  it('rejects tampering: another subject with the same signature, a flipped signature, junk', () => {
    const [, issued, sig] = t.split('.');
    expect(verifyToken(key, 'unsubscribe', `43.${issued}.${sig}`, 'a@example.org')).toBe(false);
    const flipped = t.slice(0, -1) + (t.endsWith('A') ? 'B' : 'A');
    expect(verifyToken(key, 'unsubscribe', flipped, 'a@example.org')).toBe(false);
    for (const junk of ['', 'abc', '1.2', null, 5, '1.2.!!!!!!!!!!!!!!!!!!!!'])
      expect(verifyToken(key, 'unsubscribe', junk, 'a@example.org')).toBe(false);
  });
  it('expires when a maximum age is asked for', () => {
    expect(
      verifyToken(key, 'unsubscribe', t, 'a@example.org', {
        maxAgeSeconds: 3600,
        now: new Date('2026-06-16T08:59:00Z'),
      }),
    ).toBe(true);
    expect(
      verifyToken(key, 'unsubscribe', t, 'a@example.org', {
        maxAgeSeconds: 3600,
        now: new Date('2026-06-16T09:01:00Z'),
      }),
    ).toBe(false);
  });
});
