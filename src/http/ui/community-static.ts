/**
 * The community's small static files. Upvote and save buttons are plain POST forms that work
 * without JavaScript; this script, when it runs, sends them with fetch and updates the count in
 * place (the server answers JSON to `Accept: application/json`).
 */
export const COMMUNITY_JS = `'use strict';
document.addEventListener('submit', async (ev) => {
  const form = ev.target;
  if (!(form instanceof HTMLFormElement) || !form.matches('form[data-inplace]')) return;
  ev.preventDefault();
  const button = form.querySelector('button');
  if (button) button.disabled = true;
  try {
    const res = await fetch(form.action, { method: 'POST', body: new URLSearchParams(new FormData(form)), headers: { accept: 'application/json' }, credentials: 'same-origin' });
    if (res.status === 401) { location.href = '/login'; return; }
    const data = await res.json();
    if (!res.ok) { alertBox(form, data.error || 'Something went wrong.'); return; }
    const box = form.closest('[data-vote-box]');
    if (box && typeof data.upvotes === 'number') {
      box.querySelectorAll('[data-upvotes]').forEach((n) => { n.textContent = String(data.upvotes); });
      const up = form.querySelector('input[name=up]');
      if (up) up.value = data.voted ? '0' : '1';
      form.classList.toggle('voted', Boolean(data.voted));
      if (button) button.setAttribute('aria-pressed', data.voted ? 'true' : 'false');
    }
    if (typeof data.saved === 'boolean') {
      const s = form.querySelector('input[name=saved]');
      if (s) s.value = data.saved ? '0' : '1';
      if (button) button.textContent = data.saved ? 'Saved' : 'Save';
    }
  } catch (err) {
    alertBox(form, 'Network error; try again.');
  } finally {
    if (button) button.disabled = false;
  }
});
function alertBox(form, text) {
  let p = form.querySelector('.inline-error');
  if (!p) { p = document.createElement('span'); p.className = 'inline-error'; p.setAttribute('role', 'alert'); form.append(p); }
  p.textContent = text;
}
`;

export const COMMUNITY_CSS = `body{font:16px/1.5 system-ui,sans-serif;max-width:60rem;margin:0 auto;padding:0 1rem;color:#111}
header{display:flex;gap:1rem;align-items:center;padding:.75rem 0;border-bottom:1px solid #ddd}header nav{margin-left:auto}
.brand{font-weight:700;text-decoration:none}.inline{display:inline}form.stack{display:grid;gap:.5rem;max-width:28rem}
.flash{padding:.5rem .75rem;border-radius:4px}.flash.ok{background:#e8f5e9}.flash.error{background:#fdecea}
.comment{border-left:2px solid #ddd;padding-left:.75rem;margin:.75rem 0}.comment .meta{color:#555;font-size:.9em}
.vote{display:inline-flex;gap:.25rem;align-items:center}.vote.voted button{background:#ffe082}.inline-error{color:#b00020;margin-left:.5rem}
table{border-collapse:collapse}td,th{padding:.25rem .5rem;border-bottom:1px solid #eee;text-align:left}
footer{margin:2rem 0;color:#555}`;
