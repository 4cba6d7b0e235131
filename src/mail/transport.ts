import nodemailer from 'nodemailer';
import type { Config } from '../config/config.js';

/**
 * Outgoing mail over SMTP (nodemailer). Absent, not broken: `createMailer` returns null when
 * SMTP_URL is unset, and callers decide what to do without mail.
 *
 * @example
 * const mailer = createMailer(config);
 * await mailer?.send({ to: 'ada@example.org', subject: 'Hello', text: 'Hi' });
 */
const SMTPS_PORT = 465;
const SMTP_SUBMISSION_PORT = 587;

export interface MailMessage {
  to: string;
  subject: string;
  text: string;
  html?: string;
  headers?: Record<string, string>;
}

export interface Mailer {
  /** The From address used for every message. */
  from: string;
  send(message: MailMessage): Promise<void>;
  close(): void;
}

export function createMailer(config: Pick<Config, 'smtpUrl' | 'baseUrl'>, opts: { from?: string } = {}): Mailer | null {
  if (!config.smtpUrl) return null;
  const url = new URL(config.smtpUrl);
  const secure = url.protocol === 'smtps:';
  // smtp:// upgrades with STARTTLS when the server offers it; ?tls=off skips that (a local relay
  // or the test server without a certificate).
  const transport = nodemailer.createTransport({
    host: url.hostname,
    port: url.port ? Number(url.port) : secure ? SMTPS_PORT : SMTP_SUBMISSION_PORT,
    secure,
    ignoreTLS: url.searchParams.get('tls') === 'off',
    auth: url.username ? { user: decodeURIComponent(url.username), pass: decodeURIComponent(url.password) } : undefined,
  });
  const from = opts.from ?? process.env.MAIL_FROM ?? `paperboy <no-reply@${new URL(config.baseUrl).hostname}>`;
  return {
    from,
    async send(m) {
      try {
        await transport.sendMail({ from, to: m.to, subject: m.subject, text: m.text, html: m.html, headers: m.headers });
      } catch (err) {
        throw new Error(`mail: cannot send "${m.subject}" to ${m.to}: ${(err as Error).message}`);
      }
    },
    close: () => transport.close(),
  };
}
