// paperboy — progressive enhancement only: every page works without this file.
'use strict';
document.addEventListener('DOMContentLoaded', function () {
  // Copy buttons (BibTeX): shown only where the clipboard is available.
  document.querySelectorAll('button[data-copy]').forEach(function (button) {
    var target = document.getElementById(button.getAttribute('data-copy'));
    if (!target || !navigator.clipboard) return;
    button.hidden = false;
    button.addEventListener('click', function () {
      navigator.clipboard.writeText(target.textContent || '').then(function () {
        button.textContent = 'Copied';
        setTimeout(function () { button.textContent = 'Copy BibTeX'; }, 1500);
      });
    });
  });
  // The date picker and category filter go as soon as a value is chosen.
  var day = document.getElementById('pick-day');
  if (day) day.addEventListener('change', function () { if (day.value) day.form.submit(); });
  document.querySelectorAll('select[data-autosubmit]').forEach(function (select) {
    select.addEventListener('change', function () { select.form.submit(); });
  });
  // Keyboard: "/" focuses the search box (unless typing already).
  document.addEventListener('keydown', function (e) {
    var t = e.target;
    if (e.key !== '/' || e.ctrlKey || e.metaKey || e.altKey) return;
    if (t && (t.tagName === 'INPUT' || t.tagName === 'TEXTAREA' || t.tagName === 'SELECT' || t.isContentEditable)) return;
    var q = document.getElementById('site-q') || document.getElementById('q');
    if (q) { e.preventDefault(); q.focus(); }
  });
});

// Community: upvote and save buttons are plain POST forms (they work without this file); with it,
// they are sent with fetch and the count updates in place (the server answers JSON to Accept: application/json).
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
