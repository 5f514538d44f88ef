/* Jixiao page · grid: the indicator grid: rows, keyboard movement like a spreadsheet, paste from Excel/WPS. */
(function (J) {
  'use strict';

  var U = J.util;
  var state = J.state;
  var ui = J.ui;
  var button = U.button, clear = U.clear, dash = U.dash, getIn = U.getIn, gradeClass = U.gradeClass, h = U.h;
  var parseBool = J.parse.parseBool, figureText = J.parse.figureText, parseTsv = J.parse.parseTsv;

  /** Editable columns of the indicator grid, in the order of the official form, which
   *  is also the order of rows copied from Excel/WPS. */
  var GRID_COLUMNS = [
    { key: 'level1', label: '一级指标', kind: 'level1' },
    { key: 'level2', label: '二级指标', kind: 'level2' },
    { key: 'name', label: '三级指标', kind: 'text' },
    { key: 'target', label: '年度指标值', kind: 'text' },
    { key: 'actual', label: '实际完成值', kind: 'text' },
    { key: 'weight', label: '分值', kind: 'decimal' },
    { key: 'typedScore', label: '得分', kind: 'decimal' },
    { key: 'reason', label: '偏差原因分析及改进措施', kind: 'text' },
    { key: 'notApplicable', label: '不适用', kind: 'bool' }
  ];

  /* The indicator grid. Cells carry data-row/data-col for keyboard movement and
   * paste; the 得分 column shows the user's typed score and the computed one. */

  function level1Options() {
    return [['', '（请选择）']].concat(state.vocab.levels.map(function (l) { return [l[0], l[0]]; }));
  }

  function level2Options(level1) {
    var names = [];
    state.vocab.levels.forEach(function (l) {
      if (!level1 || l[0] === level1) names = names.concat(l[1]);
    });
    return [['', '（请选择）']].concat(names.map(function (n) { return [n, n]; }));
  }

  /** Narrow grid cells cut long text: the whole of it shows on hover. */
  function showFullText(input) {
    var update = function () { input.title = input.value; };
    update();
    input.addEventListener('input', update);
  }

  /** After 一级 changes: a 二级 that does not belong under the new 一级 is cleared. */
  function dropForeignLevel2(path) {
    var row = getIn(state.unit, path.slice(0, -1));
    var allowed = level2Options(row.level1).map(function (o) { return o[0]; });
    if (row.level1 && allowed.indexOf(row.level2) < 0) J.doc.set(path.slice(0, -1).concat(['level2']), '');
  }

  function blankIndicator(like) {
    return {
      level1: like ? like.level1 : '', level2: like ? like.level2 : '', name: '', target: '',
      actual: '', unit: '', weight: null, typedScore: null, reason: '',
      notApplicable: false, deduction: null, deductionReason: ''
    };
  }

  function indicatorGrid(ctx, project, index) {
    var body = h('tbody');
    project.indicators.forEach(function (ind, r) {
      body.appendChild(indicatorRow(ctx, ind, index, r));
    });
    var head = h('tr');
    GRID_COLUMNS.forEach(function (col) {
      head.appendChild(h('th', { text: col.label, class: 'col-' + col.key }));
      if (col.key === 'typedScore') head.appendChild(h('th', { text: '计算得分', class: 'col-computed' }));
    });
    head.appendChild(h('th', { text: '', class: 'col-actions' }));
    var table = h('table', { class: 'grid', 'data-testid': 'indicator-grid' }, [h('thead', null, head), body]);
    table.addEventListener('keydown', onGridKeydown);
    return [
      h('p', { class: 'note', text: '可从 Excel / WPS 复制多行（一级指标至偏差原因各列）后在任一格中粘贴；Enter 下移，方向键移动。定性指标在“得分”中填写档次内的分数。' }),
      h('div', { class: 'grid-wrap' }, table),
      h('div', { class: 'grid-actions' }, [
        button('+ 添加一行', function () { insertIndicator(index, project.indicators.length - 1); }, { 'data-testid': 'add-indicator' })
      ]),
      levelTotals(index)
    ];
  }

  function indicatorRow(ctx, ind, index, r) {
    var tr = h('tr', { 'data-testid': 'indicator-row' });
    GRID_COLUMNS.forEach(function (col, c) {
      var rel = 'indicators.' + r + '.' + col.key;
      var attrs = { 'data-row': r, 'data-col': c, 'aria-label': '第' + (r + 1) + '行 ' + col.label };
      var cell;
      if (col.kind === 'level1') {
        cell = ctx.input(rel, 'select', attrs, { options: level1Options(), rerender: true, afterSet: dropForeignLevel2 });
      } else if (col.kind === 'level2') {
        cell = ctx.input(rel, 'select', attrs, { options: level2Options(ind.level1) });
      } else {
        cell = ctx.input(rel, col.kind, attrs);
        if (col.kind === 'text') showFullText(cell);
      }
      tr.appendChild(h('td', { class: 'col-' + col.key }, cell));
      if (col.key === 'typedScore') tr.appendChild(h('td', { class: 'col-computed' }, indicatorScore(index, r, tr, cell)));
    });
    tr.appendChild(h('td', { class: 'col-actions' }, [
      button('插入', function () { insertIndicator(index, r); }, { class: 'small', title: '在下方插入一行' }),
      button('删除', function () { removeIndicator(index, r); }, { class: 'small', title: '删除本行' })
    ]));
    return tr;
  }

  /** The computed score of row r, with how it was reached as the tooltip; the row is
   *  marked by its method (定性 rows take the user's score). */
  function indicatorScore(index, r, tr, typedInput) {
    return J.views.computed(function () {
      var s = J.page.projectSummary(index).indicators[r] || {};
      var qualitative = s.method === 'qualitative';
      tr.className = 'method-' + (s.method || 'none');
      typedInput.placeholder = qualitative ? '填写得分' : '';
      typedInput.title = qualitative
        ? '定性指标：在所选档次的分数范围内填写得分' + (s.band ? '（' + s.band + '）' : '')
        : '表上填报的得分，只用于核对';
      var shown = s.method === 'notApplicable' ? '不适用' : dash(s.score);
      return [shown, s.basis || ''];
    }, { 'data-testid': 'indicator-score' });
  }

  /** Subtotals by level, the total and the grade under the grid (from the Summary). */
  function levelTotals(index) {
    var block = h('div', { class: 'level-totals', 'data-testid': 'level-totals' });
    J.views.onRedraw(function () {
      var p = J.page.projectSummary(index);
      clear(block);
      block.appendChild(h('span', { class: 'level', title: p.executionBasis || '' }, [
        '预算执行率 ', h('b', { 'data-testid': 'level-subtotal', 'data-level': '预算执行率', text: dash(p.executionScore) })
      ]));
      p.levels.forEach(function (l) {
        block.appendChild(h('span', { class: 'level' }, [
          l.name + ' ', h('b', { 'data-testid': 'level-subtotal', 'data-level': l.name, text: dash(l.score) }), ' / ' + l.weight
        ]));
      });
      block.appendChild(h('span', { class: 'level total', title: [p.totalBasis, p.cap].filter(Boolean).join('；') }, [
        '总分 ', h('b', { 'data-testid': 'grid-total', text: dash(p.total) }),
        '  等级 ', h('b', { 'data-testid': 'grid-grade', class: gradeClass(p.grade), text: dash(p.grade) })
      ]));
    });
    return block;
  }

  function insertIndicator(index, after) {
    var list = state.unit.projects[index].indicators;
    J.doc.commit();
    J.doc.splice(['projects', index, 'indicators'], after + 1, 0, [blankIndicator(list[after])]);
    J.page.structuralChange();
    focusCell(after + 1, list[after] ? 2 : 0);
  }

  function removeIndicator(index, r) {
    var list = state.unit.projects[index].indicators;
    J.doc.commit();
    J.doc.splice(['projects', index, 'indicators'], r, 1);
    J.page.structuralChange();
    if (list.length) focusCell(Math.min(r, list.length - 1), 0);
  }

  function gridCellOf(node) {
    if (!node || !node.getAttribute || !node.hasAttribute('data-col')) return null;
    return ui.view.contains(node) ? node : null;
  }

  function focusCell(row, col) {
    var node = ui.view.querySelector('[data-row="' + row + '"][data-col="' + col + '"]');
    if (!node) return false;
    node.focus();
    if (node.select && node.type === 'text') node.select();
    return true;
  }

  function caretAtStart(node) {
    return node.type !== 'text' || (node.selectionStart === 0 && node.selectionEnd === 0);
  }

  function caretAtEnd(node) {
    return node.type !== 'text' ||
      (node.selectionStart === node.value.length && node.selectionEnd === node.value.length);
  }

  /** Spreadsheet movement: Enter/Shift+Enter and ↑↓ move by row (also on pickers,
   *  which open with Alt+↓ or the mouse); ←→ move by cell at the edge of the text. */
  function onGridKeydown(e) {
    var cell = gridCellOf(e.target);
    if (!cell || e.ctrlKey || e.altKey || e.metaKey || e.isComposing || e.keyCode === 229) return;
    var row = Number(cell.getAttribute('data-row'));
    var col = Number(cell.getAttribute('data-col'));
    var target = null;
    if (e.key === 'Enter') target = [row + (e.shiftKey ? -1 : 1), col];
    else if (e.key === 'ArrowDown') target = [row + 1, col];
    else if (e.key === 'ArrowUp') target = [row - 1, col];
    else if (e.key === 'ArrowLeft' && caretAtStart(cell)) target = [row, col - 1];
    else if (e.key === 'ArrowRight' && caretAtEnd(cell)) target = [row, col + 1];
    if (!target) return;
    e.preventDefault();
    focusCell(target[0], target[1]);
  }

  /** A rectangle pasted at (row, col): fills cells across columns, adds rows as
   *  needed, and is one undo step. */
  function pasteIntoGrid(row, col, rows) {
    var index = state.selected;
    var list = state.unit.projects[index].indicators;
    var problems = [];
    var path = ['projects', index, 'indicators'];
    J.doc.commit();
    var mark = J.doc.mark();
    rows.forEach(function (cells, i) {
      var r = row + i;
      while (list.length <= r) J.doc.splice(path, list.length, 0, [blankIndicator(list[list.length - 1])]);
      cells.forEach(function (text, j) {
        var column = GRID_COLUMNS[col + j];
        if (!column) return;
        var value = pastedValue(column, text);
        if (value.ok) J.doc.set(path.concat([r, column.key]), value.value);
        else problems.push('第' + (r + 1) + '行' + column.label + '“' + text + '”' + value.message);
      });
    });
    var error = J.page.tryEvaluate();
    if (error) {
      J.doc.rollbackTo(mark);
      J.page.evaluateNow();
      J.shell.showError('粘贴的内容无法计算（' + error + '），已撤回这次粘贴。');
      return;
    }
    J.page.structuralChange();
    focusCell(row, col);
    J.shell.showStatus('已粘贴 ' + rows.length + ' 行。' + (problems.length ? '未填入：' + problems.join('；') : ''));
  }

  function pastedValue(column, text) {
    if (column.kind === 'bool') return { ok: true, value: parseBool(text) };
    if (column.kind === 'decimal') return figureText(String(text).trim());
    return { ok: true, value: String(text).trim() };
  }

  function onPaste(e) {
    var cell = gridCellOf(document.activeElement);
    if (!cell || state.selected < 0) return;
    var data = e.clipboardData || window.clipboardData;
    var text = data ? data.getData('text/plain') || data.getData('Text') : '';
    if (!text) return;
    var rows = parseTsv(text.replace(/\n+$/, ''));
    var single = rows.length === 1 && rows[0].length === 1;
    // One value into a text cell: the browser's own paste does it (and its undo).
    if (single && cell.type === 'text') return;
    e.preventDefault();
    pasteIntoGrid(Number(cell.getAttribute('data-row')), Number(cell.getAttribute('data-col')), rows);
  }


  J.grid = {
    indicatorGrid: indicatorGrid,
    onPaste: onPaste
  };
})(window.jixiaoApp = window.jixiaoApp || {});
