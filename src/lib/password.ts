import crypto from 'node:crypto';
import { promisify } from 'node:util';

/**
 * Password hashing with Node's built-in scrypt (memory-hard, no extra dependency).
 * The cost parameters are stored in the hash, so raising the cost later keeps old hashes valid.
 *
 * @example
 * const h = await hashPassword('correct horse battery', 15);
 * await verifyPassword('correct horse battery', h) // true
 */
const scrypt = promisify(crypto.scrypt) as (
  pw: string,
  salt: Buffer,
  keylen: number,
  opts: crypto.ScryptOptions,
) => Promise<Buffer>;
/** Block size and parallelism recommended for interactive logins (RFC 7914). */
const SCRYPT_R = 8;
const SCRYPT_P = 1;
const SALT_BYTES = 16;
const KEY_BYTES = 32;
/** Upper bound on a password's length: hashing a megabyte would be a cheap denial of service. */
export const PASSWORD_MAX_CHARS = 1024;

function maxmem(logN: number, r: number): number {
  // scrypt needs 128 × N × r bytes; leave headroom for Node's bookkeeping.
  return 256 * 2 ** logN * r;
}

export async function hashPassword(password: string, logN: number): Promise<string> {
  const salt = crypto.randomBytes(SALT_BYTES);
  const key = await scrypt(password, salt, KEY_BYTES, {
    N: 2 ** logN,
    r: SCRYPT_R,
    p: SCRYPT_P,
    maxmem: maxmem(logN, SCRYPT_R),
  });
  return `scrypt$${logN}$${SCRYPT_R}$${SCRYPT_P}$${salt.toString('base64url')}$${key.toString('base64url')}`;
}

export async function verifyPassword(password: string, stored: string | null): Promise<boolean> {
  if (!stored) return false;
  const parts = stored.split('$');
  if (parts.length !== 6 || parts[0] !== 'scrypt') return false;
  const [logN, r, p] = parts.slice(1, 4).map(Number);
  const salt = Buffer.from(parts[4], 'base64url');
  const expected = Buffer.from(parts[5], 'base64url');
  const key = await scrypt(password, salt, expected.length, { N: 2 ** logN, r, p, maxmem: maxmem(logN, r) });
  return crypto.timingSafeEqual(key, expected);
}

/** Burn the same time as a real check, so "no such user" and "wrong password" look alike. */
export async function fakePasswordCheck(logN: number): Promise<void> {
  await scrypt('x', Buffer.alloc(SALT_BYTES), KEY_BYTES, {
    N: 2 ** logN,
    r: SCRYPT_R,
    p: SCRYPT_P,
    maxmem: maxmem(logN, SCRYPT_R),
  });
}
