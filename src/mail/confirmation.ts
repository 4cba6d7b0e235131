import { html } from '../lib/html-template.js';
import type { BuiltMail } from './digest.js';
import { buttonHtml, COLORS, FONT, headerRow, mailHtml } from './layout.js';

/**
 * The double opt-in mail: one link that confirms the subscription. Nobody receives a digest before
 * clicking it, so a stranger typing someone's address into the form sends them this mail only.
 */
export function buildConfirmationMail(opts: { confirmUrl: string; baseUrl: string }): BuiltMail {
  const subject = 'Confirm your paperboy subscription';
  const site = opts.baseUrl.replace(/^https?:\/\//, '');
  const body = html`${headerRow('paperboy', 'Confirm your subscription', `Trending papers from ${site}, in your inbox`)}
<tr><td style="padding:8px 28px 28px;font-family:${FONT};font-size:14px;line-height:1.6;color:${COLORS.body};">
<p style="margin:0 0 16px;">Someone (we hope you) asked to receive the trending papers of ${site} by email. Confirm with one click:</p>
<p style="margin:0 0 16px;">${buttonHtml(opts.confirmUrl, 'Confirm subscription')}</p>
<p style="margin:0;color:${COLORS.muted};font-size:13px;">If you did not ask for this, ignore this mail: nothing will be sent to you.</p>
</td></tr>`;
  const htmlPart = mailHtml({
    title: subject,
    preheader: 'One click to start receiving trending papers.',
    body,
    footer: html`${site}`,
  });
  const text = `${subject}\n\nSomeone (we hope you) asked to receive the trending papers of ${site} by email.\nConfirm with this link:\n\n${opts.confirmUrl}\n\nIf you did not ask for this, ignore this mail: nothing will be sent to you.\n`;
  return { subject, html: htmlPart, text };
}
