// Page behaviour without inline script (the Content-Security-Policy allows none):
// a <select data-submit-on-change> submits its form; a form or button with data-confirm
// asks first.
(function () {
  'use strict';
  document.addEventListener('change', function (event) {
    var el = event.target;
    if (el.matches && el.matches('select[data-submit-on-change]') && el.form) {
      el.form.submit();
    }
  });
  document.addEventListener('submit', function (event) {
    var form = event.target;
    var button = event.submitter;
    var question = (button && button.getAttribute('data-confirm')) ||
      form.getAttribute('data-confirm');
    if (question && !window.confirm(question)) {
      event.preventDefault();
    }
  });
})();
// Tables shown as cards on phones (.table-cards, app.css): a cell without a data-label
// takes its column's header text.
(function () {
  'use strict';
  function label(table) {
    var heads = Array.prototype.map.call(table.querySelectorAll('thead th'), function (th) {
      return th.textContent.trim();
    });
    table.querySelectorAll('tbody tr').forEach(function (tr) {
      Array.prototype.forEach.call(tr.children, function (td, i) {
        if (!td.hasAttribute('data-label') && heads[i]) td.setAttribute('data-label', heads[i]);
      });
    });
  }
  function all() { document.querySelectorAll('table.table-cards').forEach(label); }
  if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', all);
  else all();
  document.addEventListener('htmx:afterSwap', all);
})();
