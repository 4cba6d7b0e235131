/**
 * What a community service refuses, and why, in words fit for the user. The HTTP layer maps the
 * code to a status (401, 403, 404, 400, 409, 429); nothing else about the failure leaks.
 */
export type ServiceErrorCode = 'unauthenticated' | 'forbidden' | 'not_found' | 'invalid' | 'conflict' | 'rate_limited';

export class ServiceError extends Error {
  constructor(
    readonly code: ServiceErrorCode,
    message: string,
    readonly extra: { retryAfterSeconds?: number; link?: string; field?: string } = {},
  ) {
    super(message);
    this.name = 'ServiceError';
  }
}

export const HTTP_STATUS: Record<ServiceErrorCode, number> = {
  unauthenticated: 401,
  forbidden: 403,
  not_found: 404,
  invalid: 400,
  conflict: 409,
  rate_limited: 429,
};
