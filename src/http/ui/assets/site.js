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
    var q = document.getElementById('site-q');
    if (q) { e.preventDefault(); q.focus(); }
  });
});
