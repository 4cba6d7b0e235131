import { html, type SafeHtml } from '../lib/html-template.js';

/**
 * The shell every paperboy mail shares: table layout and inline styles only, because mail clients
 * (Outlook, Gmail) ignore <style> blocks, flexbox and external CSS; no images and no scripts, so
 * nothing is fetched from a remote server when the mail is opened.
 */
export const FONT = "-apple-system,BlinkMacSystemFont,'Segoe UI',Roboto,Helvetica,Arial,sans-serif";
export const COLORS = {
  page: '#f3f4f6',
  card: '#ffffff',
  border: '#e5e7eb',
  text: '#111827',
  muted: '#6b7280',
  body: '#374151',
  accent: '#b45309',
  link: '#1d4ed8',
};

export function mailHtml(opts: { title: string; preheader: string; body: SafeHtml; footer: SafeHtml }): string {
  return html`<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1"><meta name="color-scheme" content="light"><title>${opts.title}</title></head>
<body style="margin:0;padding:0;background:${COLORS.page};">
<div style="display:none;max-height:0;overflow:hidden;opacity:0;color:${COLORS.page};">${opts.preheader}</div>
<table role="presentation" width="100%" cellpadding="0" cellspacing="0" border="0" style="background:${COLORS.page};"><tr><td align="center" style="padding:24px 12px;">
<table role="presentation" width="600" cellpadding="0" cellspacing="0" border="0" style="width:100%;max-width:600px;background:${COLORS.card};border:1px solid ${COLORS.border};border-radius:10px;border-collapse:separate;">
${opts.body}
</table>
<table role="presentation" width="600" cellpadding="0" cellspacing="0" border="0" style="width:100%;max-width:600px;"><tr><td style="padding:16px 28px;font-family:${FONT};font-size:12px;line-height:1.6;color:${COLORS.muted};text-align:center;">${opts.footer}</td></tr></table>
</td></tr></table>
</body></html>
`.value;
}

export function headerRow(kicker: string, heading: string, sub: string): SafeHtml {
  return html`<tr><td style="padding:24px 28px 12px;font-family:${FONT};">
<div style="font-size:12px;font-weight:700;letter-spacing:0.08em;text-transform:uppercase;color:${COLORS.accent};">${kicker}</div>
<h1 style="margin:6px 0 4px;font-size:22px;line-height:1.3;font-weight:700;color:${COLORS.text};">${heading}</h1>
<div style="font-size:14px;color:${COLORS.muted};">${sub}</div>
</td></tr>`;
}

export function buttonHtml(href: string, label: string): SafeHtml {
  return html`<a href="${href}" style="display:inline-block;padding:10px 18px;background:${COLORS.text};color:#ffffff;border-radius:6px;font-family:${FONT};font-size:14px;font-weight:600;text-decoration:none;">${label}</a>`;
}

/** A plain-text mail's HTML part: the same words, escaped, with links clickable and line breaks kept. */
export function textAsHtml(text: string): string {
  const lines = text
    .split('\n')
    .map(
      (line, i) =>
        html`${i > 0 ? html`<br>` : ''}${line
          .split(/(https?:\/\/[^\s<]+)/)
          .map((part, j) => (j % 2 === 1 ? html`<a href="${part}">${part}</a>` : part))}`,
    );
  return html`<p>${lines}</p>`.value;
}
