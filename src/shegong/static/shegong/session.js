// Sessions that do not lose work (issue 10 item 6), without inline script (the CSP allows
// none). Everything comes from <body data-…> attributes, strings translated in base.html:
//
// * Idle warning: the server logs a session out after data-session-seconds without a
//   request. data-session-warn seconds before that, a bar counts down with a "stay logged
//   in" button (a request to data-keepalive-url refreshes the session). Tabs share the time
//   of the last request through localStorage, so a busy tab keeps a quiet one's clock right.
//   When time is up the page goes to the login page (next = this page).
// * Drafts: what is typed into a POST form is kept in localStorage under the user and the
//   path, and put back when the form is shown again empty (after logging in again). Never
//   kept: passwords, hidden and file inputs, anything marked data-sensitive (or inside an
//   element so marked), and names that look like ID numbers, phones, codes or accounts.
//   A form marked data-no-draft is left alone. A successful submit clears the draft.
(function () {
  'use strict';
  var body = document.body;
  var data = body.dataset;
  var SUBMITTED = 'shegong:submitted';
  if (!data.user) {
    // Logged out (the login page): a form submitted just before did not go through, so its
    // draft stays for the next login.
    try { sessionStorage.removeItem(SUBMITTED); } catch (e) { /* no storage */ }
    return;
  }

  var store = null;
  try { store = window.localStorage; store.getItem('x'); } catch (e) { store = null; }

  // --- idle warning ---------------------------------------------------------------------
  var total = parseInt(data.sessionSeconds || '0', 10);
  var warnFor = parseInt(data.sessionWarn || '60', 10);
  var activityKey = 'shegong:activity:' + data.user;
  var bar = null;
  var timer = null;

  function lastActivity() {
    var own = parseInt(body.getAttribute('data-loaded-at') || '0', 10);
    var shared = store ? parseInt(store.getItem(activityKey) || '0', 10) : 0;
    return Math.max(own, shared);
  }

  function noteActivity() {
    var now = Date.now();
    body.setAttribute('data-loaded-at', String(now));
    if (store) { store.setItem(activityKey, String(now)); }
  }

  function showBar(left) {
    if (!bar) {
      bar = document.createElement('div');
      bar.id = 'idle-warning';
      bar.className = 'alert alert-warning shadow d-flex flex-wrap align-items-center gap-2 m-0';
      bar.setAttribute('role', 'alertdialog');
      bar.setAttribute('aria-live', 'assertive');
      bar.style.cssText = 'position:fixed;left:.5rem;right:.5rem;bottom:.5rem;z-index:1090;';
      var text = document.createElement('span');
      text.className = 'me-auto';
      text.id = 'idle-warning-text';
      var button = document.createElement('button');
      button.type = 'button';
      button.className = 'btn btn-primary btn-sm';
      button.id = 'idle-stay';
      button.textContent = data.tStay;
      button.addEventListener('click', stay);
      bar.appendChild(text);
      bar.appendChild(button);
      body.appendChild(bar);
    }
    bar.querySelector('#idle-warning-text').textContent =
      data.tWarning.replace('%(seconds)s', String(left));
  }

  function hideBar() {
    if (bar) { bar.remove(); bar = null; }
  }

  function stay() {
    fetch(data.keepaliveUrl, { credentials: 'same-origin', headers: { Accept: 'application/json' } })
      .then(function (response) {
        if (response.ok && !response.redirected) {
          noteActivity();
          hideBar();
        } else {
          expired();
        }
      })
      .catch(function () { /* offline: keep counting, the button stays */ });
  }

  function expired() {
    clearInterval(timer);
    saveAll();
    var next = window.location.pathname + window.location.search;
    window.location.assign(data.loginUrl + '?next=' + encodeURIComponent(next));
  }

  function tick() {
    var left = Math.round((lastActivity() + total * 1000 - Date.now()) / 1000);
    if (left <= 0) {
      expired();
    } else if (left <= warnFor) {
      showBar(left);
    } else {
      hideBar();
    }
  }

  if (total > 0) {
    noteActivity();
    timer = setInterval(tick, 1000);
  }

  // --- drafts -----------------------------------------------------------------------------
  var SENSITIVE_NAME = /(id_?number|id_?card|phone|mobile|tel|password|passwd|otp|token|code|bank|account_no|health|disab)/i;
  var MAX_AGE = 7 * 24 * 3600 * 1000; // a week-old draft is dropped, not restored
  var prefix = 'shegong:draft:' + data.user + ':' + window.location.pathname + ':';

  function draftForms() {
    return Array.prototype.filter.call(document.querySelectorAll('form'), function (form) {
      return (form.method || '').toLowerCase() === 'post' && !form.hasAttribute('data-no-draft') &&
        !form.closest('nav');
    });
  }

  function keyOf(form, index) {
    return prefix + (form.id || form.getAttribute('action') || String(index));
  }

  function kept(el) {
    if (!el.name || el.disabled) { return false; }
    var type = (el.type || '').toLowerCase();
    if (['password', 'hidden', 'file', 'submit', 'button', 'reset', 'image'].indexOf(type) >= 0) {
      return false;
    }
    if (el.closest('[data-sensitive]') || SENSITIVE_NAME.test(el.name)) { return false; }
    return /^(INPUT|TEXTAREA|SELECT)$/.test(el.tagName);
  }

  function changed(el) {
    var type = (el.type || '').toLowerCase();
    if (type === 'checkbox' || type === 'radio') { return el.checked !== el.defaultChecked; }
    if (el.tagName === 'SELECT') {
      return Array.prototype.some.call(el.options, function (o) { return o.selected !== o.defaultSelected; });
    }
    return el.value !== el.defaultValue;
  }

  // Only what the user changed is kept (a default the page chose, such as the only village,
  // is never overwritten by a draft's empty value).
  function read(form) {
    var names = {};
    Array.prototype.forEach.call(form.elements, function (el) {
      if (kept(el) && changed(el)) { names[el.name] = true; }
    });
    var values = {};
    var any = false;
    Array.prototype.forEach.call(form.elements, function (el) {
      if (!kept(el) || !names[el.name]) { return; }
      var type = (el.type || '').toLowerCase();
      var list = values[el.name] || (values[el.name] = []);
      any = true;
      if (type === 'checkbox' || type === 'radio') {
        if (el.checked) { list.push(el.value); }
      } else if (el.tagName === 'SELECT') {
        Array.prototype.forEach.call(el.selectedOptions, function (o) { list.push(o.value); });
      } else {
        list.push(el.value);
      }
    });
    return any ? values : null;
  }

  function save(form, index) {
    if (!store) { return; }
    var values = read(form);
    var key = keyOf(form, index);
    if (values) {
      store.setItem(key, JSON.stringify({ saved: Date.now(), values: values }));
    } else {
      store.removeItem(key);
    }
  }

  function saveAll() {
    draftForms().forEach(save);
  }

  function isEmpty(form) {
    return !Array.prototype.some.call(form.elements, function (el) {
      return kept(el) && (el.tagName === 'TEXTAREA' || (el.tagName === 'INPUT' &&
        ['text', 'search', 'email', 'url', 'number', ''].indexOf((el.type || '').toLowerCase()) >= 0)) &&
        el.value.trim() && el.value !== el.defaultValue;
    });
  }

  function restore(form, index) {
    var raw = store && store.getItem(keyOf(form, index));
    if (!raw || form.querySelector('.is-invalid')) { return; }
    var draft;
    try { draft = JSON.parse(raw); } catch (e) { return; }
    if (!draft.values || Date.now() - draft.saved > MAX_AGE) {
      store.removeItem(keyOf(form, index));
      return;
    }
    if (!isEmpty(form)) { return; }
    var seen = {};
    Array.prototype.forEach.call(form.elements, function (el) {
      if (!kept(el) || !(el.name in draft.values)) { return; }
      var values = draft.values[el.name];
      var type = (el.type || '').toLowerCase();
      if (type === 'checkbox' || type === 'radio') {
        el.checked = values.indexOf(el.value) >= 0;
      } else if (el.tagName === 'SELECT') {
        Array.prototype.forEach.call(el.options, function (o) { o.selected = values.indexOf(o.value) >= 0; });
      } else {
        var i = seen[el.name] || 0;
        if (i < values.length) { el.value = values[i]; }
        seen[el.name] = i + 1;
      }
      el.dispatchEvent(new Event('change', { bubbles: true }));
    });
    var note = document.createElement('div');
    note.className = 'alert alert-info d-flex flex-wrap align-items-center gap-2 py-2 draft-restored';
    var text = document.createElement('span');
    text.className = 'me-auto';
    text.textContent = data.tRestored;
    var discard = document.createElement('button');
    discard.type = 'button';
    discard.className = 'btn btn-sm btn-outline-secondary';
    discard.textContent = data.tDiscard;
    discard.addEventListener('click', function () {
      store.removeItem(keyOf(form, index));
      form.reset();
      note.remove();
    });
    note.appendChild(text);
    note.appendChild(discard);
    form.parentNode.insertBefore(note, form);
  }

  if (store) {
    // The last submit: kept while the form came back with errors or the login page stands
    // in its way (the session ran out), cleared once the answer was another page.
    var submitted = window.sessionStorage ? sessionStorage.getItem(SUBMITTED) : null;
    if (submitted) {
      var parts = JSON.parse(submitted);
      var samePage = parts.path === window.location.pathname;
      var failed = samePage && document.querySelector('.is-invalid, .invalid-feedback, .alert-danger');
      if (!failed) {
        store.removeItem(parts.key);
      }
      sessionStorage.removeItem(SUBMITTED);
    }
    draftForms().forEach(function (form, index) {
      restore(form, index);
      var pending = null;
      form.addEventListener('input', function () {
        clearTimeout(pending);
        pending = setTimeout(function () { save(form, index); }, 400);
      });
      form.addEventListener('change', function () { save(form, index); });
      form.addEventListener('submit', function () {
        save(form, index);
        if (window.sessionStorage) {
          sessionStorage.setItem(SUBMITTED, JSON.stringify({
            key: keyOf(form, index), path: window.location.pathname
          }));
        }
      });
    });
  }
})();
