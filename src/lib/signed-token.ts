import { createHmac, timingSafeEqual } from 'node:crypto';

/**
 * HMAC-signed tokens for links in mail (confirm, unsubscribe, preferences). A token names a subject
 * (e.g. a subscriber id) and when it was issued; its signature also covers a purpose and a binding
 * (e.g. the email address) that are NOT in the token: the verifier supplies them from its own data.
 * So a token cannot be forged without the key, cannot serve another purpose, and stops working for
 * a subject whose binding changed (another address).
 *
 * @example
 * const t = signToken(key, 'unsubscribe', 42, 'a@example.org', new Date());
 * parseToken(t)?.subject // 42
 * verifyToken(key, 'unsubscribe', t, 'a@example.org') // true
 * verifyToken(key, 'preferences', t, 'a@example.org') // false
 */
/** 128-bit truncated HMAC-SHA256: far beyond guessing, and short enough for a link. */
const SIGNATURE_BYTES = 16;
const TOKEN_RE = /^(\d{1,12})\.(\d{1,12})\.([A-Za-z0-9_-]{16,64})$/;

interface ParsedToken {
  subject: number;
  /** Unix seconds. */
  issuedAt: number;
  signature: string;
}

function sign(key: string, purpose: string, subject: number, binding: string, issuedAt: number): string {
  return createHmac('sha256', key)
    .update(`paperboy-token-v1\n${purpose}\n${subject}\n${binding}\n${issuedAt}`)
    .digest()
    .subarray(0, SIGNATURE_BYTES)
    .toString('base64url');
}

export function signToken(key: string, purpose: string, subject: number, binding: string, issued: Date): string {
  const issuedAt = Math.floor(issued.getTime() / 1000);
  return `${subject}.${issuedAt}.${sign(key, purpose, subject, binding, issuedAt)}`;
}

/** Split a token without trusting it; null when it is malformed. */
export function parseToken(token: unknown): ParsedToken | null {
  if (typeof token !== 'string') return null;
  const m = TOKEN_RE.exec(token.trim());
  if (!m) return null;
  return { subject: Number(m[1]), issuedAt: Number(m[2]), signature: m[3] };
}

/** Constant-time check of signature, purpose and binding; optionally of age. */
export function verifyToken(
  key: string,
  purpose: string,
  token: unknown,
  binding: string,
  opts: { maxAgeSeconds?: number; now?: Date } = {},
): boolean {
  const p = parseToken(token);
  if (!p) return false;
  const expected = Buffer.from(sign(key, purpose, p.subject, binding, p.issuedAt));
  const given = Buffer.from(p.signature);
  if (expected.length !== given.length || !timingSafeEqual(expected, given)) return false;
  if (opts.maxAgeSeconds !== undefined) {
    const now = Math.floor((opts.now ?? new Date()).getTime() / 1000);
    if (now - p.issuedAt > opts.maxAgeSeconds || p.issuedAt - now > 300) return false;
  }
  return true;
}
