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
