/* Jixiao page · snapshot: the screen as it is, written into a saved copy (files.js) so
 * that the file shows its figures the moment it is opened, before the core has been
 * unpacked and started. The page then draws the same view from the same data with the
 * same code (main.js restores the saved view) and replaces it.
 *
 * The copy is inert until then (template.js marks it, check.js drops it when the data
 * is not what it was drawn from): nothing in it can be clicked, focused or typed into,
 * so nothing typed early is lost. */
(function (J) {
  'use strict';

  var U = J.util;
  var state = J.state;
  var ui = J.ui;
  var MAX_LENGTH = 400000; // characters of HTML: about 1,000 projects' list and checks

  /** The screen's HTML for a copy that opens at the view on screen (J.doc.viewState), or '' when the screen is not
   *  the editing view that copy will open to (the preview, the review, a panel, a
   *  read-only tab, a stopped core) — the copy then starts with the boot message.
   *  example: whether the copy opens as the example (its banner shows). */
  function take(example) {
    var app = U.byId('app');
    if (!app || !ui.body || J.engine.dead || J.doc.readOnly || state.preview || ui.panel ||
        app.classList.contains('reviewing') || app.classList.contains('snapshot')) return '';
    var below = markBelow(ui.body);
    var copy = app.cloneNode(true);
    below.forEach(function (node) { node.removeAttribute('data-below'); });
    copyValues(app, copy);
    Array.prototype.forEach.call(copy.querySelectorAll('[data-below]'), function (node) {
      node.parentNode.removeChild(node);
    });
    asOpened(copy, example);
    lean(copy);
    var html = copy.innerHTML;
    // Text typed into a field is in an attribute, where "<" stays as typed: a copy that
    // could end its block early is not written (template.js would refuse it). Nor is
    // the screen of a very large unit: parsing it would take longer than starting.
    return /<\/(script|style)|<!-{2}/i.test(html) || html.length > MAX_LENGTH ? '' : html;
  }

  /** Marks (data-below) what lies wholly below the window in the three columns: left
   *  out of the copy, which is then the screen as first seen (a long list, the form's
   *  lower sections, further checks appear when the page starts). */
  function markBelow(root) {
    var marked = [];
    var bottom = window.innerHeight;
    (function walk(node, depth) {
      Array.prototype.forEach.call(node.children, function (child) {
        if (child.getBoundingClientRect().top > bottom) {
          child.setAttribute('data-below', '');
          marked.push(child);
        } else if (depth < 4) {
          walk(child, depth + 1);
        }
      });
    })(root, 0);
    return marked;
  }

  /** What a field holds lives in its properties; a copy keeps only attributes. */
  function copyValues(from, to) {
    var live = from.querySelectorAll('input, textarea, select');
    var copied = to.querySelectorAll('input, textarea, select');
    Array.prototype.forEach.call(copied, function (node, i) {
      var field = live[i];
      if (node.tagName === 'TEXTAREA') {
        node.textContent = field.value;
      } else if (node.tagName === 'SELECT') {
        Array.prototype.forEach.call(node.options, function (option, k) {
          if (k === field.selectedIndex) option.setAttribute('selected', '');
          else option.removeAttribute('selected');
        });
      } else if (field.type === 'checkbox' || field.type === 'radio') {
        if (field.checked) node.setAttribute('checked', '');
        else node.removeAttribute('checked');
      } else if (field.type !== 'file') {
        node.setAttribute('value', field.value);
      }
    });
  }

  /** The screen as the copy will open: saved (no 未保存 mark), no history to undo, no
   *  banner or message of this session, the check column unfolded. */
  function asOpened(copy, example) {
    var each = function (selector, fn) {
      Array.prototype.forEach.call(copy.querySelectorAll(selector), fn);
    };
    each('.banners > .banner', function (node) {
      if (!(example && node.classList.contains('example'))) node.setAttribute('hidden', '');
    });
    each('.ask, .drop-hint', function (node) { node.parentNode.removeChild(node); });
    each('.dirty', function (node) { node.setAttribute('hidden', ''); });
    each('[data-testid="undo"], [data-testid="redo"]', function (node) { node.setAttribute('disabled', ''); });
    each('.status', function (node) {
      node.classList.remove('shown');
      node.textContent = '';
    });
    each('.preview, .review', U.clear);
    each('.body.folded', function (node) { node.classList.remove('folded'); });
    each('[data-testid="findings-toggle"]', function (node) {
      node.textContent = '收起 »';
      node.setAttribute('aria-expanded', 'true');
    });
  }

  /** Only what is seen: no test ids, paths, tooltips or accessibility names (the page
   *  replaces the copy within a moment; a test never finds the copy for the page), a
   *  list shows its chosen option only. The copy is `inert` (template.js; main.js does
   *  the same for cores that do not know the attribute). */
  function lean(copy) {
    var nodes = copy.querySelectorAll('*');
    Array.prototype.forEach.call(nodes, function (node) {
      for (var i = node.attributes.length - 1; i >= 0; i--) {
        var name = node.attributes[i].name;
        // data-value stays: a wrapping cell shows its text through it (CSS attr()).
        if (/^(data-(?!value$)|aria-)|^(title|role)$/.test(name)) node.removeAttribute(name);
      }
      if (node.tagName === 'BUTTON') node.removeAttribute('type');
      // What is hidden, a list's other options, the chart's tooltips: never seen there.
      if (node.hasAttribute('hidden') || (node.tagName === 'OPTION' && !node.hasAttribute('selected')) ||
          node.tagName === 'title') {
        if (node.parentNode) node.parentNode.removeChild(node);
      }
    });
  }

  /** The view saved with a copy, if it still fits the unit: { selected, tab } or null. */
  function savedView(saved, unit) {
    if (!saved || typeof saved !== 'object') return null;
    var selected = saved.selected;
    if (typeof selected !== 'number' || selected % 1 || selected < -1 || selected >= unit.projects.length) return null;
    return { selected: selected, tab: J.views.TAB_KEYS.indexOf(saved.tab) >= 0 ? saved.tab : 'basic' };
  }

  /** Cores before Chromium 102 ignore `inert`: the saved screen's fields and buttons
   *  are kept from the focus (the mouse is, by the style sheet). */
  function keepFocusOut() {
    var app = U.byId('app');
    if ('inert' in app || !app.classList.contains('snapshot')) return;
    var nodes = app.querySelectorAll('input, textarea, select, button, a');
    Array.prototype.forEach.call(nodes, function (node) { node.tabIndex = -1; });
  }

  J.snapshot = { take: take, savedView: savedView, keepFocusOut: keepFocusOut };
})(window.jixiaoApp = window.jixiaoApp || {});
