import { z } from 'zod';
import { AppError, badRequest } from '../lib/app-error.js';

/**
 * Query parameters, path parameters and form or JSON body fields, checked once by the server for
 * every route before its handler runs (routes.ts). Only the parameters a handler declares are read;
 * a declared one given twice (`?q=a&q=b`), holding a NUL character, or failing its schema is a 400
 * that names it: `{ "error": "Invalid parameter \"limit\": …", "parameter": "limit" }`.
 */
// biome-ignore lint/suspicious/noExplicitAny: a z.object of any field types
type AnyObject = z.ZodObject<any>;

function hasNul(s: string): boolean {
  return s.includes('\u0000');
}

/** Reject a path parameter holding a NUL (PostgreSQL refuses it in text; nothing legitimate has one). */
export function checkPathParams(params: Record<string, string>): void {
  for (const [k, v] of Object.entries(params))
    if (hasNul(v)) throw badRequest(`Invalid parameter "${k}": it contains a NUL character.`, k);
}

/**
 * The declared fields of `raw` (a parsed query string, form or JSON body), validated by `schema`.
 *
 * @example
 * readFields(z.object({ q: z.string().optional() }), { q: ['a', 'b'] }, 'query') // throws 400 naming "q"
 */
export function readFields<T extends AnyObject>(schema: T, raw: unknown, where: 'query' | 'form' | 'json'): z.infer<T> {
  const noun = where === 'query' ? 'parameter' : 'field';
  const source = raw && typeof raw === 'object' ? (raw as Record<string, unknown>) : {};
  const picked: Record<string, unknown> = {};
  for (const key of Object.keys(schema.shape)) {
    const v = source[key];
    if (v === undefined) continue;
    if (Array.isArray(v) && where !== 'json')
      throw badRequest(`Invalid ${noun} "${key}": give it once (it was given ${v.length} times).`, key);
    if (typeof v === 'string' && hasNul(v))
      throw badRequest(`Invalid ${noun} "${key}": it contains a NUL character.`, key);
    picked[key] = v;
  }
  const r = schema.safeParse(picked);
  if (r.success) return r.data;
  const issue = r.error.issues[0];
  const parameter = String(issue.path[0] ?? where);
  throw new AppError('invalid', `Invalid ${noun} "${parameter}": ${issue.message}`, {
    parameter,
  });
}

/** The cache key of a GET: its path and the declared query parameters that are set, in a fixed order. */
export function cacheKey(path: string, schema: AnyObject | undefined, query: unknown): string {
  if (!schema) return path;
  const source = (query ?? {}) as Record<string, unknown>;
  const parts: string[] = [];
  for (const key of Object.keys(schema.shape).sort()) {
    const v = source[key];
    if (typeof v === 'string' && v !== '') parts.push(`${encodeURIComponent(key)}=${encodeURIComponent(v)}`);
  }
  return parts.length > 0 ? `${path}?${parts.join('&')}` : path;
}

/** An optional text parameter. */
export const text = () => z.string().optional();

/** A whole number in a query string, within bounds, with a default. */
export function intParam(min: number, max: number, fallback: number) {
  return z
    .string()
    .optional()
    .transform((v, ctx) => {
      if (v === undefined || v === '') return fallback;
      if (!/^\d+$/.test(v) || Number(v) < min || Number(v) > max) {
        ctx.addIssue({ code: 'custom', message: `expected a whole number from ${min} to ${max}, got "${v}"` });
        return z.NEVER;
      }
      return Number(v);
    });
}

/** A numeric id from the path; anything else names nothing (-1, which no row has). */
export function idParam(v: string | undefined): number {
  return typeof v === 'string' && /^\d{1,9}$/.test(v) ? Number(v) : -1;
}
