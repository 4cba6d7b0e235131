import { describe, expect, it } from 'vitest';
import { asciiHtml, composeMime } from './mime.js';

const base = {
  from: 'paperboy <no-reply@example.org>',
  to: 'ada@example.org',
  messageId: '<1@example.org>',
  date: new Date('2026-06-16T08:00:00Z'),
};

describe('composeMime', () => {
  it('builds text + 7-bit HTML alternatives with CRLF lines, encoded non-ASCII headers and extra headers', () => {
    const m = composeMime({
      ...base,
      subject: 'Papers — Tue',
      text: 'Zoë · 3 authors\nline two',
      html: '<p>Zoë</p>\n<p>ok</p>',
      headers: { 'List-Unsubscribe-Post': 'List-Unsubscribe=One-Click' },
    });
    expect(m).toMatch(
      /^From: paperboy <no-reply@example\.org>\r\nTo: ada@example\.org\r\nSubject: Papers =\?UTF-8\?Q\?=E2=80=94\?= Tue\r\nDate: Tue, 16 Jun 2026 08:00:00 \+0000\r\n/,
    );
    expect(m).toContain('List-Unsubscribe-Post: List-Unsubscribe=One-Click\r\n');
    expect(m).toContain('Content-Transfer-Encoding: 7bit\r\n\r\n<p>Zo&#235;</p>\r\n<p>ok</p>');
    expect(m).toContain('Content-Transfer-Encoding: quoted-printable\r\n\r\nZo=C3=AB =C2=B7 3 authors\r\nline two');
    expect(m.replace(/\r\n/g, '')).not.toMatch(/\n|\r/);
    expect(m).not.toMatch(/[^\x00-\x7f]/);
    const boundary = /boundary="([^"]+)"/.exec(m)![1];
    expect(m.split(`--${boundary}`)).toHaveLength(4);
  });
  it('falls back to quoted-printable for HTML with a line too long for SMTP', () => {
    const m = composeMime({ ...base, subject: 'x', text: 't', html: `<p>${'a'.repeat(1200)}</p>` });
    expect(m).toMatch(/text\/html; charset=utf-8\r\nContent-Transfer-Encoding: quoted-printable/);
    for (const line of m.split('\r\n')) expect(line.length).toBeLessThanOrEqual(998);
  });
  it('sends plain text alone when there is no HTML', () => {
    const m = composeMime({ ...base, subject: 'x', text: 'hello' });
    expect(m).not.toContain('multipart');
    expect(m).toMatch(
      /Content-Type: text\/plain; charset=utf-8\r\nContent-Transfer-Encoding: quoted-printable\r\n\r\nhello\r\n$/,
    );
  });
  it('writes astral characters as one entity', () => {
    expect(asciiHtml('a😀b')).toBe('a&#128512;b');
  });
});
