import { z } from 'zod';
import { badRequest } from '../errors.js';

/**
 * Validate an API query string with a zod schema; the first problem becomes a 400 whose JSON
 * names the parameter: `{ "error": "…", "parameter": "date" }`.
 */
export function parseParams<T extends z.ZodTypeAny>(schema: T, query: unknown): z.infer<T> {
  const r = schema.safeParse(query ?? {});
  if (r.success) return r.data;
  const issue = r.error.issues[0];
  const parameter = String(issue.path[0] ?? 'query');
  throw badRequest(`Invalid parameter "${parameter}": ${issue.message}`, parameter);
}

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
