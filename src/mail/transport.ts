import { randomBytes } from 'node:crypto';
import nodemailer, { type Transporter } from 'nodemailer';
import addressparser from 'nodemailer/lib/addressparser';
import type { Config } from '../config/config.js';
import { composeMime } from './mime.js';

/**
 * SMTP through nodemailer, pooled: a few long-lived connections carry many messages, which is what
 * makes 100,000 digests a matter of minutes. Absent, not broken, when SMTP_URL is unset:
 * `createMailer` returns null and callers say that mail is off.
 *
 * @example
 * const mailer = createMailer(config);
 * if (mailer) await mailer.send({ to: 'a@example.org', subject: 'Hi', text: 'Hello', html: '<p>Hello</p>' });
 */
/** Parallel SMTP connections per process; most providers throttle above ~10. */
const SMTP_POOL_CONNECTIONS = 5;
/** Messages per connection before it is recycled (bounds damage from a connection gone odd). */
const SMTP_MESSAGES_PER_CONNECTION = 1000;
/** Connect, greeting and idle-socket limits, in ms; all far below the outbox lease (see digests). */
const SMTP_CONNECTION_TIMEOUT_MS = 10_000;
const SMTP_GREETING_TIMEOUT_MS = 10_000;
const SMTP_SOCKET_TIMEOUT_MS = 30_000;

export interface OutgoingMail {
  to: string;
  subject: string;
  text: string;
  /** Optional: without it the mail is plain text only. */
  html?: string;
  /** Full Message-ID including the angle brackets; stable per outbox row. */
  messageId?: string;
  headers?: Record<string, string>;
}

export interface SentMail {
  messageId: string;
  /** The server's final reply, e.g. "250 OK: queued as …". */
  response: string;
}

export interface Mailer {
  from: string;
  send(mail: OutgoingMail): Promise<SentMail>;
  /** Connect and say hello (and log in) without sending: is the server reachable? (/readyz) */
  verify?(): Promise<void>;
  close(): void;
}

interface MailerOptions {
  pool?: boolean;
  maxConnections?: number;
  /** Overrides config.mailFrom. */
  from?: string;
}

/** The bare address of "Name <addr>" (the SMTP envelope sender). */
function envelopeAddress(from: string): string {
  const first = addressparser(from)[0] as { address?: string } | undefined;
  return first?.address || from;
}

function newMessageId(from: string): string {
  return `<${randomBytes(12).toString('hex')}@${envelopeAddress(from).split('@')[1] ?? 'paperboy.local'}>`;
}

/** The message's bytes as sent (and as `paperboy digest preview` writes them). */
export function renderMail(from: string, mail: OutgoingMail, date = new Date()): string {
  return composeMime({
    from,
    to: mail.to,
    subject: mail.subject,
    text: mail.text,
    html: mail.html,
    messageId: mail.messageId ?? newMessageId(from),
    date,
    headers: mail.headers,
  });
}

function wrap(transporter: Transporter, from: string): Mailer {
  const sender = envelopeAddress(from);
  return {
    from,
    async send(mail) {
      const messageId = mail.messageId ?? newMessageId(from);
      const raw = renderMail(from, { ...mail, messageId });
      try {
        const info = await transporter.sendMail({ envelope: { from: sender, to: [mail.to] }, raw });
        return { messageId, response: String(info.response ?? '') };
      } catch (err) {
        // Say what failed, and keep the server's reply code: callers tell 4xx from 5xx by it.
        const e = err as Error & { responseCode?: number; response?: string };
        const wrapped = new Error(
          `mail: cannot send "${mail.subject}" to ${mail.to}: ${e.response || e.message}`,
        ) as Error & { responseCode?: number; response?: string };
        wrapped.responseCode = e.responseCode;
        wrapped.response = e.response;
        throw wrapped;
      }
    },
    async verify() {
      await transporter.verify();
    },
    close: () => transporter.close(),
  };
}

export function createMailer(
  config: Pick<Config, 'smtpUrl'> & Partial<Pick<Config, 'mailFrom' | 'baseUrl'>>,
  opts: MailerOptions = {},
): Mailer | null {
  if (!config.smtpUrl) return null;
  const pool = opts.pool ?? true;
  // smtp:// upgrades with STARTTLS when the server offers it; ?tls=off skips that (a local relay,
  // or a test server without a certificate).
  const url = new URL(config.smtpUrl);
  const ignoreTLS = url.searchParams.get('tls') === 'off';
  url.searchParams.delete('tls');
  const from =
    opts.from ?? config.mailFrom ?? `paperboy <no-reply@${new URL(config.baseUrl ?? 'http://localhost').hostname}>`;
  const transporter = nodemailer.createTransport({
    url: url.toString(),
    ignoreTLS,
    pool,
    maxConnections: opts.maxConnections ?? SMTP_POOL_CONNECTIONS,
    maxMessages: SMTP_MESSAGES_PER_CONNECTION,
    connectionTimeout: SMTP_CONNECTION_TIMEOUT_MS,
    greetingTimeout: SMTP_GREETING_TIMEOUT_MS,
    socketTimeout: SMTP_SOCKET_TIMEOUT_MS,
  } as Parameters<typeof nodemailer.createTransport>[0]);
  return wrap(transporter, from);
}

type SmtpFailure = 'temporary' | 'permanent';

/**
 * Classify a send error. 5xx replies are permanent (the address or message is refused: retrying
 * will not help); 4xx replies and every connection-level error (refused, reset, timeout) are
 * temporary. An unknown error counts as temporary: retrying is the safe side of a suppression.
 */
export function classifySmtpError(err: unknown): { kind: SmtpFailure; code: number | null; message: string } {
  const e = err as { responseCode?: number; response?: string; message?: string };
  const code = typeof e?.responseCode === 'number' ? e.responseCode : null;
  const message = String(e?.response || e?.message || err).slice(0, 500);
  return { kind: code !== null && code >= 500 && code < 600 ? 'permanent' : 'temporary', code, message };
}
