import { escapeHtml } from '../../../lib/html.js';

/**
 * A plain, self-contained shell for the subscription pages (reached from mail, often on a phone):
 * no scripts, every form works without JavaScript. Kept separate from the site layout so these pages
 * render even when the rest of the site is down for maintenance.
 */
export function subscriptionShell(title: string, body: string): string {
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">
<meta name="robots" content="noindex"><title>${escapeHtml(title)} · paperboy</title>
<style>
body{margin:0;background:#f3f4f6;color:#111827;font:16px/1.55 -apple-system,BlinkMacSystemFont,"Segoe UI",Roboto,Helvetica,Arial,sans-serif}
main{max-width:560px;margin:40px auto;background:#fff;border:1px solid #e5e7eb;border-radius:10px;padding:28px}
h1{font-size:22px;margin:0 0 12px} a{color:#1d4ed8} .muted{color:#6b7280;font-size:14px}
label{display:block;font-weight:600;margin:14px 0 4px} input,select,textarea{font:inherit;width:100%;box-sizing:border-box;padding:8px;border:1px solid #d1d5db;border-radius:6px}
.inline label{display:inline;font-weight:normal;margin-right:14px} .inline input{width:auto}
button{font:inherit;font-weight:600;margin-top:18px;padding:10px 18px;border:0;border-radius:6px;background:#111827;color:#fff;cursor:pointer}
.errors{background:#fef2f2;border:1px solid #fecaca;color:#991b1b;padding:10px 14px;border-radius:6px}
.ok{background:#ecfdf5;border:1px solid #a7f3d0;color:#065f46;padding:10px 14px;border-radius:6px}
</style></head>
<body><main>
${body}
<p class="muted" style="margin-top:24px"><a href="/">paperboy</a></p>
</main></body></html>
`;
}

/** A page that only says something (subscribed, confirmed, bad link…). */
export function messagePage(title: string, paragraphs: string[]): string {
  return subscriptionShell(title, `<h1>${escapeHtml(title)}</h1>\n${paragraphs.map((p) => `<p>${p}</p>`).join('\n')}`);
}
