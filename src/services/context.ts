import type { Config } from '../config/config.js';
import type { Db } from '../db/open.js';
import type { Mailer } from '../mail/transport.js';
import type { PaperRecord } from '../model/paper.js';

/**
 * What community services need: the store, settings, mail (absent without SMTP_URL), a clock
 * (tests move it), and an optional arXiv look-up for submissions of papers not yet in the store.
 */
export interface ServiceContext {
  db: Db;
  config: Readonly<Config>;
  mailer: Mailer | null;
  now(): Date;
  /** Fetch one paper's metadata from arXiv; absent when the site runs offline. */
  fetchPaper?: (arxivId: string) => Promise<PaperRecord | null>;
  /** Where notices go when mail is off (e.g. a link the admin can pass on). */
  notice(message: string): void;
}

export function serviceContext(
  parts: Pick<ServiceContext, 'db' | 'config' | 'mailer'> & Partial<ServiceContext>,
): ServiceContext {
  return {
    now: () => new Date(),
    notice: (m) => console.warn(m),
    ...parts,
  };
}
