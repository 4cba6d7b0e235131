import { createMailer, type Mailer } from '../mail/transport.js';
import type { App } from './app.js';

/**
 * One pooled mailer per App (per process), made on first use; null when SMTP_URL is unset.
 * Call closeMailer before exiting so pooled SMTP connections do not hold the process open.
 */
const mailers = new WeakMap<App, Mailer | null>();

export function getMailer(app: App): Mailer | null {
  if (!mailers.has(app)) mailers.set(app, createMailer(app.config));
  return mailers.get(app) ?? null;
}

export function closeMailer(app: App): void {
  mailers.get(app)?.close();
  mailers.delete(app);
}
