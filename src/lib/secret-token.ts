import crypto from 'node:crypto';

/** Bytes of randomness in every session, one-time and API token (256 bits). */
const TOKEN_BYTES = 32;

/**
 * A fresh random token (URL-safe) with a prefix naming its kind, e.g. `pb_` for API tokens,
 * so a leaked token is recognisable by secret scanners.
 *
 * @example
 * const t = newToken('pb_'); const h = hashToken(t); // store h, hand out t
 */
export function newToken(prefix = ''): string {
  return prefix + crypto.randomBytes(TOKEN_BYTES).toString('base64url');
}

/** SHA-256 of a token: what the database stores. High-entropy tokens need no slow hash. */
export function hashToken(token: string): string {
  return crypto.createHash('sha256').update(token).digest('hex');
}

/** HMAC-SHA256 of a message under a key, base64url. */
export function hmac(key: string, message: string): string {
  return crypto.createHmac('sha256', key).update(message).digest('base64url');
}

/** Constant-time string comparison. */
export function safeEqual(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && crypto.timingSafeEqual(x, y);
}
