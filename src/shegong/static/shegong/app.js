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
