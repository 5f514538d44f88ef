/* Jixiao page · list: the left column: the unit roll-up, the rules, the project list and its structural edits. */
(function (J) {
  'use strict';

  var U = J.util;
  var state = J.state;
  var ui = J.ui;
  var appendAll = U.appendAll, button = U.button, clear = U.clear, copy = U.copy, dash = U.dash, gradeClass = U.gradeClass, h = U.h;
  var activateOnEnter = U.activateOnEnter, setClass = U.setClass, setText = U.setText;

  function renderRollup() {
    var u = state.summary ? state.summary.unit : null;
    clear(ui.rollup);
    if (!u) return;
    var grades = u.grades || {};
    var gradeList = h('div', { class: 'grade-counts' });
    state.vocab.grades.forEach(function (g) {
      gradeList.appendChild(h('span', { class: 'grade-count ' + gradeClass(g) }, [
        g + ' ',
        h('b', { 'data-testid': 'grade-count-' + g, text: String(grades[g] || 0) })
      ]));
    });
    var source = u.fundsSource === 'unit' ? '按部门整体表' : '按各项目合计';
    appendAll(ui.rollup, [
      h('h2', { text: '单位整体' }),
      h('div', { class: 'figure' }, ['预算 ', h('b', { 'data-testid': 'unit-budget', text: dash(u.budget) }), ' 万元']),
      h('div', { class: 'figure' }, ['执行 ', h('b', { text: dash(u.executed) }), ' 万元']),
      h('div', { class: 'figure', title: source }, [
        '执行率 ', h('b', { 'data-testid': 'unit-rate', text: u.ratePercent ? u.ratePercent + '%' : '—' })
      ]),
      unitTotal(u),
      h('div', { class: 'figure small', text: '项目 ' + u.projects + ' 个，已评 ' + u.evaluated + ' 个' }),
      gradeList,
      rulesPicker()
    ]);
  }

  /** The unit form's own 总分 and 等级, when it has an indicator block (附表2). */
  function unitTotal(u) {
    if (!(state.unit.indicators || []).length) return null;
    return h('div', {
      class: 'figure', title: ['部门整体支出绩效自评表的总分（预算执行率与部门整体绩效指标）', u.totalBasis, u.cap].filter(Boolean).join('；')
    }, [
      '总分 ', h('b', { 'data-testid': 'unit-total', text: dash(u.total) }),
      ' 等级 ', h('b', { 'data-testid': 'unit-grade', class: gradeClass(u.grade), text: dash(u.grade) })
    ]);
  }

  function rulesPicker() {
    var select = h('select', {
      'data-testid': 'rules',
      title: '计分规则',
      onchange: function () {
        // The unit keeps its rules (saved with it, undoable); the core reads them. ''
        // is the rules of the unit's 表样; 'default' is said only where they differ.
        J.doc.set(['rules'], select.value === 'default' && !ownRules ? '' : select.value);
        J.page.afterEdit(true);
      }
    });
    // The unit's 表样 brings rules of its own (湖北: 预算执行率 20): scored by them.
    var scoredBy = state.summary ? state.summary.rules : 'default';
    var ownRules = !state.unit.rules && state.vocab.presets.every(function (p) { return p[0] !== scoredBy; });
    if (ownRules) {
      var label = '按表样的规则（' + J.layouts.describe(state.unit.profile) + '）';
      select.appendChild(h('option', { value: '', text: label, title: label }));
    }
    state.vocab.presets.forEach(function (preset) {
      select.appendChild(h('option', { value: preset[0], text: preset[1], title: preset[1] }));
    });
    select.value = ownRules ? '' : state.unit.rules || 'default';
    return h('label', { class: 'rules' }, ['计分规则', select]);
  }

  /** The project list. Rows are built when the number of projects changes and
   *  otherwise updated in place (an edit changes a total or a grade, not the list):
   *  rebuilding 1,000 rows on every keystroke was most of an edit's drawing time. */
  function renderProjectList() {
    var projects = state.unit.projects;
    if (!ui.projectRows || ui.projectRows.length !== projects.length || !ui.projectList.firstChild) {
      buildProjectList(projects.length);
    }
    setClass(ui.projectList.firstChild, 'unit-row' + (state.selected === -1 ? ' selected' : ''));
    // The unit form's own 总分 and 等级, as a project's, when it has an indicator block.
    var own = (state.unit.indicators || []).length > 0;
    var u = J.page.blockSummary(-1);
    setText(ui.unitRow.total, own ? dash(u.total) : '');
    setText(ui.unitRow.grade, own ? dash(u.grade) : '');
    setClass(ui.unitRow.grade, 'grade ' + (own ? gradeClass(u.grade) : ''));
    projects.forEach(function (project, index) {
      var row = ui.projectRows[index];
      var s = J.page.projectSummary(index);
      setClass(row.li, 'project-row' + (state.selected === index ? ' selected' : ''));
      if (row.li.title !== (project.name || '')) row.li.title = project.name || '';
      setText(row.name, project.name && project.name.trim() ? project.name : '（未命名项目）');
      setText(row.total, dash(s.total));
      var how = s.totalBasis || '';
      if (row.total.title !== how) row.total.title = how; // a rescaled total says how
      setText(row.grade, dash(s.grade));
      setClass(row.grade, 'grade ' + gradeClass(s.grade));
    });
    renderProjectButtons();
  }

  function buildProjectList(count) {
    clear(ui.projectList);
    ui.unitRow = {
      total: h('span', { class: 'total', 'data-testid': 'unit-row-total' }),
      grade: h('span', { class: 'grade', 'data-testid': 'unit-row-grade' })
    };
    ui.projectList.appendChild(h('li', {
      class: 'unit-row', tabindex: 0, 'data-testid': 'unit-row', title: '单位信息、资金、部门整体绩效指标与图表',
      onclick: function () { select(-1); },
      onkeydown: activateOnEnter
    }, [h('span', { class: 'name', text: '单位整体' }), ui.unitRow.total, ui.unitRow.grade]));
    ui.projectRows = [];
    for (var i = 0; i < count; i++) {
      var row = {
        name: h('span', { class: 'name' }),
        total: h('span', { class: 'total', 'data-testid': 'project-total' }),
        grade: h('span', { class: 'grade', 'data-testid': 'project-grade' })
      };
      row.li = h('li', {
        class: 'project-row', tabindex: 0, 'data-testid': 'project-row', 'data-index': i,
        onclick: selectOnClick(i),
        onkeydown: activateOnEnter
      }, [h('span', { class: 'idx', text: String(i + 1) }), row.name, row.total, row.grade]);
      ui.projectList.appendChild(row.li);
      ui.projectRows.push(row);
    }
  }

  function selectOnClick(index) {
    return function () { select(index); };
  }

  function renderProjectButtons() {
    clear(ui.projectButtons);
    var i = state.selected;
    var n = state.unit.projects.length;
    var none = i < 0;
    appendAll(ui.projectButtons, [
      button('+ 新增项目', addProject, { 'data-testid': 'add-project', class: 'primary' }),
      button('上移', function () { moveProject(-1); }, { disabled: none || i === 0, 'data-testid': 'project-up' }),
      button('下移', function () { moveProject(1); }, { disabled: none || i === n - 1, 'data-testid': 'project-down' }),
      button('复制', duplicateProject, { disabled: none, 'data-testid': 'project-duplicate' }),
      button('删除', removeProject, { disabled: none, 'data-testid': 'project-remove' })
    ]);
  }

  function select(index) {
    if (J.engine.dead) return;
    J.doc.commit(); // typing in another project is another step
    state.selected = index; // the tab stays, to compare projects tab by tab
    renderProjectList();
    J.views.renderView();
  }

  function blankProject() {
    return J.core.blankUnit().projects[0];
  }

  /* Structural edits of the project list: each is one step of the history (the edit
   * being typed is closed first), and the selection follows the project. */

  function addProject() {
    J.doc.commit();
    var n = state.unit.projects.length;
    J.doc.splice(['projects'], n, 0, [blankProject()]);
    state.selected = n;
    state.tab = 'basic';
    J.page.structuralChange();
    J.views.focusField('name');
  }

  function removeProject() {
    var i = state.selected;
    if (i < 0 || i >= state.unit.projects.length) return;
    J.doc.commit();
    var name = state.unit.projects[i].name || '未命名项目';
    J.doc.splice(['projects'], i, 1);
    // The next project takes its place; after the last, the one before; after the
    // only one, the unit's view.
    state.selected = Math.min(i, state.unit.projects.length - 1);
    J.page.structuralChange();
    J.shell.showStatus('已删除项目“' + name + '”，可点“撤销”恢复。');
  }

  function moveProject(step) {
    var i = state.selected;
    var j = i + step;
    var list = state.unit.projects;
    if (i < 0 || j < 0 || j >= list.length) return;
    J.doc.commit();
    var moved = list[i];
    J.doc.splice(['projects'], i, 1);
    J.doc.splice(['projects'], j, 0, [moved]);
    state.selected = j;
    J.page.structuralChange();
  }

  function duplicateProject() {
    var i = state.selected;
    if (i < 0 || i >= state.unit.projects.length) return;
    J.doc.commit();
    var twin = copy(state.unit.projects[i]);
    twin.name = (twin.name || '') + '（副本）';
    J.doc.splice(['projects'], i + 1, 0, [twin]);
    state.selected = i + 1;
    J.page.structuralChange();
  }

  J.list = {
    renderRollup: renderRollup,
    renderProjectList: renderProjectList,
    select: select
  };
})(window.jixiaoApp = window.jixiaoApp || {});
