/* Jixiao page · findings: the right column: the findings (核对), each a link to its field. */
(function (J) {
  'use strict';

  var U = J.util;
  var state = J.state;
  var ui = J.ui;
  var clear = U.clear, copy = U.copy, cssEscape = U.cssEscape, h = U.h;

  var SEVERITIES = [
    { key: 'error', label: '错误', mark: '●' },
    { key: 'warning', label: '提示', mark: '▲' },
    { key: 'notice', label: '说明', mark: '■' }
  ];

  function allFindings() {
    var computedFindings = state.summary ? state.summary.findings : [];
    return J.doc.importFindings.map(function (f) {
      var g = copy(f);
      g.imported = true;
      return g;
    }).concat(computedFindings);
  }

  /** The findings panel, rebuilt only when the findings changed (most edits leave
   *  them as they were). */
  function renderFindings() {
    var findings = allFindings();
    var signature = findings.map(function (f) {
      return [f.severity, f.code, f.imported ? 1 : 0, f.projectIndex, f.row, f.field, f.message].join('\u0001');
    }).join('\u0002');
    if (signature === ui.findingsSignature && ui.findings.firstChild) return;
    ui.findingsSignature = signature;
    ui.findingsHead.textContent = '核对（' + findings.length + '）';
    clear(ui.findings);
    if (!findings.length) {
      ui.findings.appendChild(h('p', { class: 'note', text: '未发现问题。' }));
      return;
    }
    SEVERITIES.forEach(function (sev) {
      var group = findings.filter(function (f) { return f.severity === sev.key; });
      if (!group.length) return;
      var list = h('ul', { class: 'finding-list' });
      group.forEach(function (f) {
        list.appendChild(h('li', null, h('button', {
          type: 'button', class: 'finding ' + sev.key, 'data-testid': 'finding', 'data-code': f.code,
          onclick: function () { gotoFinding(f); }
        }, [
          f.imported ? h('span', { class: 'tag', text: '导入' }) : null,
          f.message
        ])));
      });
      ui.findings.appendChild(h('section', { class: 'finding-group ' + sev.key, 'data-severity': sev.key }, [
        h('h3', null, [h('span', { class: 'mark', text: sev.mark }), ' ' + sev.label + '（' + group.length + '）']),
        list
      ]));
    });
  }

  function tabForField(field, row) {
    if (!field) return row ? 'indicators' : 'basic';
    var head = field.split('.')[0];
    if (head === 'indicators') return 'indicators';
    if (head === 'funds' || head === 'executionWeight') return 'funds';
    if (head === 'goal' || head === 'deviation') return 'text';
    return 'basic';
  }

  /** Selects the project and tab of a finding and focuses its field. */
  function gotoFinding(f) {
    var index = f.projectIndex;
    var hasProject = index !== null && index !== undefined && index < state.unit.projects.length;
    state.selected = hasProject ? index : -1;
    if (hasProject) state.tab = tabForField(f.field, f.row);
    J.list.renderProjectList();
    J.views.renderView();
    var node = f.field ? J.views.focusField(f.field) : null;
    if (!node && f.row) node = J.views.focusField('indicators.' + (f.row - 1) + '.name');
    if (node) flash(node);
  }

  function flash(node) {
    node.classList.add('flash');
    setTimeout(function () { node.classList.remove('flash'); }, 1600);
  }

  /** Marks the fields that findings point to in the current view (a project's, or the
   *  unit's for index -1), each with its message on hover; a figure the core could not
   *  read is marked as not counted. */
  function markFindingsInView(index) {
    J.views.onRedraw(function () { mark(index); });
  }

  function mark(index) {
    var marked = ui.view.querySelectorAll('.has-error, .has-warning, .not-counted');
    Array.prototype.forEach.call(marked, function (node) {
      node.classList.remove('has-error', 'has-warning', 'not-counted');
      node.removeAttribute('title');
    });
    (state.summary ? state.summary.findings : []).forEach(function (f) {
      var at = f.projectIndex === null || f.projectIndex === undefined ? -1 : f.projectIndex;
      if (at !== index || !f.field || f.severity === 'notice') return;
      // A grid field is looked for in its row only: 10,000 rows are marked in time.
      var row = /^indicators\.(\d+)\./.exec(f.field);
      var scope = row ? document.getElementById('ind-' + row[1]) : ui.view;
      var node = scope && scope.querySelector('[data-field="' + cssEscape(f.field) + '"]');
      if (!node) return;
      node.classList.add(f.severity === 'error' ? 'has-error' : 'has-warning');
      if (f.code === 'unreadable_figure') node.classList.add('not-counted');
      node.title = node.title ? node.title + '\n' + f.message : f.message;
    });
  }


  /** The errors 核对 lists now (the core's, and the import's). */
  function errors() {
    return allFindings().filter(function (f) { return f.severity === 'error'; });
  }

  /** “核对中还有 N 项错误” for a printed or exported report, or '' when there are none. */
  function errorsNote(what) {
    var n = errors().length;
    return n ? '核对中还有 ' + n + ' 项错误，' + what + '中相关的数字可能不对；请在核对栏中逐项改正。' : '';
  }

  J.findings = {
    SEVERITIES: SEVERITIES,
    errors: errors,
    errorsNote: errorsNote,
    gotoFinding: gotoFinding,
    renderFindings: renderFindings,
    markFindingsInView: markFindingsInView,
    mark: mark
  };
})(window.jixiaoApp = window.jixiaoApp || {});
