/**
 * The one error type for what a request, a command or a job refuses, and why, in words fit for the
 * person who asked. Services, handlers and the route table throw it; the web layer maps its code
 * once to a status, the error page and the JSON shape `{ error, parameter?, url? }` (http/respond.ts).
 * Anything else that escapes is a bug: a 500 whose details go to the log only.
 *
 * @example
 * throw new AppError('invalid', 'Password: at least 10 characters.', { parameter: 'password' });
 * throw new AppError('rate_limited', 'Too many votes; try again in 30 s.', { retryAfterSeconds: 30 });
 */
export type AppErrorCode =
  | 'invalid'
  | 'unauthenticated'
  | 'forbidden'
  | 'not_found'
  | 'conflict'
  | 'too_large'
  | 'rate_limited'
  | 'unavailable';

interface AppErrorExtra {
  /** The query, path, body or form field at fault. */
  parameter?: string;
  /** Seconds until trying again makes sense (rate limits, a busy database). */
  retryAfterSeconds?: number;
  /** Where the existing thing is (a conflict: the paper already submitted). */
  link?: string;
  /** Where the person may go next, e.g. the nearest day that has papers. */
  links?: Array<{ href: string; label: string }>;
}

export class AppError extends Error {
  constructor(
    readonly code: AppErrorCode,
    message: string,
    readonly extra: AppErrorExtra = {},
  ) {
    super(message);
    this.name = 'AppError';
  }
}

export const badRequest = (message: string, parameter?: string, links?: AppErrorExtra['links']) =>
  new AppError('invalid', message, { parameter, links });
export const notFound = (message: string, links?: AppErrorExtra['links']) =>
  new AppError('not_found', message, { links });
