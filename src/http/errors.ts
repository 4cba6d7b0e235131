/**
 * An error a request caused, with the status and a message for the person (or client) who sent it.
 * Pages render it as an error page, the API as `{ error, parameter }`. Anything else is a 500
 * whose details go to the log only.
 */
export class HttpError extends Error {
  constructor(
    readonly status: 400 | 404,
    message: string,
    /** The query or path parameter at fault, when one is. */
    readonly parameter?: string,
    /** Where the person may go next, e.g. the nearest day that has papers. */
    readonly links: Array<{ href: string; label: string }> = [],
  ) {
    super(message);
    this.name = 'HttpError';
  }
}

export const badRequest = (message: string, parameter?: string, links?: Array<{ href: string; label: string }>) =>
  new HttpError(400, message, parameter, links);
export const notFound = (message: string, links?: Array<{ href: string; label: string }>) =>
  new HttpError(404, message, undefined, links);
