// Searchable selects (Tom Select): a <select data-search-url> holds only its chosen options;
// typing asks the scoped choices endpoint (?q=…, at most 20 answers, with "more" when the
// list was cut) and shows what it returns as is — the server matches names, pinyin
// initials and places, so nothing is filtered again here. Texts come from data- attributes
// the server translated.
//
// A group of checkboxes with data-depends-on="<id of a select>" shows only the boxes whose
// data-parent matches that select's value (service items of the chosen field); hidden
// boxes are unticked. The server still checks the pair.
(function () {
  'use strict';

  function escapeHtml(text) {
    var div = document.createElement('div');
    div.textContent = text == null ? '' : String(text);
    return div.innerHTML;
  }

  function searchSelect(el) {
    if (el.tomselect || typeof window.TomSelect === 'undefined') return;
    var url = el.getAttribute('data-search-url');
    var params = el.getAttribute('data-search-params') || '';
    var more = false;
    var options = {
      valueField: 'id',
      labelField: 'text',
      searchField: [],
      maxOptions: 50,
      loadThrottle: 250,
      placeholder: el.getAttribute('data-placeholder') || '',
      hidePlaceholder: true, // once something is chosen, the hint gives way
      closeAfterSelect: !el.multiple,
      // The server has matched already: every option it sent is shown, in its order.
      score: function () { return function () { return 1; }; },
      load: function (query, callback) {
        var self = this;
        var sep = params ? '&' : '';
        fetch(url + '?' + params + sep + 'q=' + encodeURIComponent(query), {
          credentials: 'same-origin',
          headers: { Accept: 'application/json' }
        }).then(function (response) {
          return response.ok ? response.json() : { results: [], more: false };
        }).then(function (data) {
          more = !!data.more;
          self.clearOptions(); // keeps the chosen ones; forgets the last query's answers
          callback(data.results);
        }).catch(function () { callback(); });
      },
      render: {
        option: function (item) {
          return '<div>' + escapeHtml(item.text) + '</div>';
        },
        item: function (item) {
          return '<div>' + escapeHtml(item.text) + '</div>';
        },
        no_results: function () {
          return '<div class="no-results">' + escapeHtml(el.getAttribute('data-no-results')) + '</div>';
        },
        loading: function () {
          return '<div class="py-2 px-3 text-muted small">' + escapeHtml(el.getAttribute('data-loading')) + '</div>';
        },
        not_loading: function () { return ''; },
        dropdown_footer: function () {
          return more ? '<div class="py-1 px-3 text-muted small border-top">' +
            escapeHtml(el.getAttribute('data-more')) + '</div>' : '';
        }
      }
    };
    if (el.multiple) {
      options.plugins = ['remove_button'];
    }
    new window.TomSelect(el, options);
  }

  function dependentChoices(group) {
    var select = document.getElementById(group.getAttribute('data-depends-on'));
    if (!select || group.hasAttribute('data-depends-ready')) return;
    group.setAttribute('data-depends-ready', '');
    function apply() {
      var value = select.value;
      var shown = 0;
      group.querySelectorAll('[data-parent]').forEach(function (box) {
        var match = value !== '' && box.getAttribute('data-parent') === value;
        var wrapper = box.closest('.form-check') || box;
        wrapper.hidden = !match;
        if (!match) {
          var input = box.matches('input') ? box : box.querySelector('input');
          if (input) input.checked = false;
        } else {
          shown += 1;
        }
      });
      var hint = group.querySelector('[data-choose-first]');
      if (hint) hint.hidden = shown > 0;
    }
    select.addEventListener('change', apply);
    apply();
  }

  function init(root) {
    root.querySelectorAll('select[data-search-url]').forEach(searchSelect);
    root.querySelectorAll('[data-depends-on]').forEach(dependentChoices);
  }

  if (document.readyState === 'loading') {
    document.addEventListener('DOMContentLoaded', function () { init(document); });
  } else {
    init(document);
  }
  // Forms htmx swaps in get theirs too.
  document.addEventListener('htmx:load', function (event) { init(event.target); });
})();
