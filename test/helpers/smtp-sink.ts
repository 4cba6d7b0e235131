import { SMTPServer, type SMTPServerAddress, type SMTPServerSession } from 'smtp-server';

/**
 * A real SMTP server (npm smtp-server) on a free port, in-process, that keeps what it receives.
 * Its replies can be scripted: per recipient (e.g. 550 for one address) and per message (e.g. 451
 * for the first N), to exercise retries and suppression.
 */
export interface ReceivedMail {
  to: string[];
  headers: Record<string, string>;
  raw: string;
}

export interface SinkBehaviour {
  /** Reply to RCPT TO; return a code ≥ 400 to refuse. */
  rcpt?: (address: string) => { code: number; message: string } | null;
  /** Reply after DATA; return a code ≥ 400 to refuse the message. */
  data?: (to: string[]) => { code: number; message: string } | null;
  /** Keep only headers (bench-sized runs). */
  headersOnly?: boolean;
  /** Extra time before accepting each message, ms. */
  delayMs?: number;
}

export interface SmtpSink {
  url: string;
  port: number;
  mails: ReceivedMail[];
  /** Replies ≥ 400 the sink gave (all kinds). */
  refusals: number;
  behaviour: SinkBehaviour;
  close(): Promise<void>;
}

function smtpError(code: number, message: string): Error {
  const e = new Error(message) as Error & { responseCode: number };
  e.responseCode = code;
  return e;
}

function parseHeaders(raw: string): Record<string, string> {
  const end = raw.search(/\r?\n\r?\n/);
  const head = (end < 0 ? raw : raw.slice(0, end)).replace(/\r?\n[ \t]+/g, ' ');
  const out: Record<string, string> = {};
  for (const line of head.split(/\r?\n/)) {
    const i = line.indexOf(':');
    if (i > 0) out[line.slice(0, i).trim().toLowerCase()] = line.slice(i + 1).trim();
  }
  return out;
}

export async function startSmtpSink(behaviour: SinkBehaviour = {}): Promise<SmtpSink> {
  const mails: ReceivedMail[] = [];
  const sink: SmtpSink = { url: '', port: 0, mails, refusals: 0, behaviour, close: async () => {} };
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS', 'AUTH'],
    logger: false,
    size: 10 * 1024 * 1024,
    onRcptTo(address: SMTPServerAddress, _session: SMTPServerSession, cb: (err?: Error | null) => void) {
      const r = sink.behaviour.rcpt?.(address.address);
      if (r) {
        sink.refusals++;
        return cb(smtpError(r.code, r.message));
      }
      cb();
    },
    onData(stream, session, cb) {
      const chunks: Buffer[] = [];
      stream.on('data', (c: Buffer) => chunks.push(c));
      stream.on('end', () => {
        const to = session.envelope.rcptTo.map((a) => a.address);
        const r = sink.behaviour.data?.(to);
        if (r) {
          sink.refusals++;
          return cb(smtpError(r.code, r.message));
        }
        const raw = Buffer.concat(chunks).toString('utf8');
        const accept = () => {
          mails.push({ to, headers: parseHeaders(raw), raw: sink.behaviour.headersOnly ? '' : raw });
          cb(null);
        };
        if (sink.behaviour.delayMs) setTimeout(accept, sink.behaviour.delayMs);
        else accept();
      });
    },
  });
  // A client killed mid-session resets its connection: expected in crash tests, not a failure.
  server.on('error', () => {});
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  const port = (server.server.address() as { port: number }).port;
  sink.port = port;
  sink.url = `smtp://127.0.0.1:${port}`;
  sink.close = () => new Promise<void>((resolve) => server.close(() => resolve()));
  return sink;
}

function decodeQuotedPrintable(s: string): string {
  const bytes: number[] = [];
  const src = s.replace(/=\r?\n/g, '');
  for (let i = 0; i < src.length; i++) {
    if (src[i] === '=' && /^[0-9A-F]{2}$/i.test(src.slice(i + 1, i + 3))) {
      bytes.push(parseInt(src.slice(i + 1, i + 3), 16));
      i += 2;
    } else bytes.push(...Buffer.from(src[i], 'utf8'));
  }
  return Buffer.from(bytes).toString('utf8');
}

/** The decoded text/plain and text/html parts of a (multipart/alternative) mail. */
export function mailParts(raw: string): { text: string; html: string } {
  const out = { text: '', html: '' };
  const boundary = /boundary="?([^";\r\n]+)"?/i.exec(raw)?.[1];
  const parts = boundary ? raw.split(`--${boundary}`).slice(1, -1) : [raw];
  for (const part of parts) {
    const h = parseHeaders(part.replace(/^\r?\n/, ''));
    const bodyStart = part.search(/\r?\n\r?\n/);
    let body = part.slice(bodyStart).replace(/^\r?\n\r?\n/, '');
    const enc = (h['content-transfer-encoding'] ?? '').toLowerCase();
    if (enc === 'quoted-printable') body = decodeQuotedPrintable(body);
    else if (enc === 'base64') body = Buffer.from(body.replace(/\s+/g, ''), 'base64').toString('utf8');
    const type = (h['content-type'] ?? '').toLowerCase();
    if (type.startsWith('text/plain')) out.text = body;
    else if (type.startsWith('text/html')) out.html = body;
  }
  return out;
}

/** The URL inside a List-Unsubscribe header. */
export function listUnsubscribeUrl(mail: ReceivedMail): string {
  const m = /<(https?:[^>]+)>/.exec(mail.headers['list-unsubscribe'] ?? '');
  if (!m) throw new Error('no List-Unsubscribe URL');
  return m[1];
}
