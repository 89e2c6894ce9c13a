// The staff pages' one script. A form marked data-confirm asks before an irreversible step,
// saying what cannot be undone; a form that changes something is sent once (the server also
// refuses a second submit of the same form, by its one-time token).
document.addEventListener('submit', function (event) {
  var form = event.target;
  if ((form.getAttribute('method') || 'get').toLowerCase() !== 'post') return;
  var question = form.getAttribute('data-confirm');
  if (question && !window.confirm(question)) {
    event.preventDefault();
    return;
  }
  if (form.getAttribute('data-sent')) {
    event.preventDefault();
    return;
  }
  form.setAttribute('data-sent', '1');
});
// Back to a page kept in the browser's cache: its forms may be sent again (with new care).
window.addEventListener('pageshow', function () {
  document.querySelectorAll('form[data-sent]').forEach(function (form) {
    form.removeAttribute('data-sent');
  });
});
// A document's print button.
document.addEventListener('click', function (event) {
  if (event.target && event.target.id === 'print-document') window.print();
});
// A job's page (long work: a large import): its progress bar follows the job until it ends,
// then the page is loaded again to show what it came to. Without script the page refreshes.
(function () {
  var job = document.getElementById('job');
  if (!job || job.getAttribute('data-state') !== 'running') return;
  var en = document.documentElement.lang === 'en';
  var half = function (pair) {
    var i = pair.indexOf(' ');
    return i < 0 ? pair : en ? pair.slice(i + 1) : pair.slice(0, i);
  };
  var remaining = function (s) {
    if (s === null || s === undefined) return '';
    var text = s < 60 ? Math.max(1, s) + (en ? ' s' : ' 秒') : Math.ceil(s / 60) + (en ? ' min' : ' 分钟');
    return (en ? 'remaining about ' : '预计还需 约 ') + text;
  };
  var set = function (id, text) {
    var el = document.getElementById(id);
    if (el) el.textContent = text;
  };
  var poll = function () {
    fetch('/api/v1/jobs/' + job.getAttribute('data-job'), { credentials: 'same-origin' })
      .then(function (r) { return r.ok ? r.json() : null; })
      .then(function (j) {
        if (!j) return setTimeout(poll, 3000);
        if (j.state !== 'running') return window.location.reload();
        var bar = document.getElementById('job-bar');
        if (bar && j.total > 0) {
          bar.max = j.total;
          bar.value = Math.min(j.done, j.total);
          set('job-percent', Math.floor((100 * Math.min(j.done, j.total)) / j.total) + '%');
          set('job-done', j.done + ' / ' + j.total);
        } else if (bar) {
          bar.removeAttribute('value');
          set('job-percent', '');
          set('job-done', '');
        }
        set('job-phase', half(j.phase));
        set('job-remaining', remaining(j.remaining_seconds));
        setTimeout(poll, 1000);
      })
      .catch(function () { setTimeout(poll, 3000); });
  };
  setTimeout(poll, 1000);
})();
