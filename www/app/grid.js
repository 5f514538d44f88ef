/* Jixiao page · grid: the indicator grid: rows, keyboard movement like a spreadsheet, paste from Excel/WPS.
 * One grid serves every indicator block: a project's (index ≥ 0, at
 * ['projects', index, 'indicators']) and the unit's own 部门（单位）整体支出绩效自评表 block
 * (index -1, at ['indicators']); its scores come from the matching part of the Summary. */
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

  var CHUNK = 100; // a long grid is drawn this many rows at a time, the page answering between
  var ASK_ROWS = 200; // a paste of more rows says first what it will do
  // The grid being drawn (its number), a cell to focus once drawn, what to say when drawn.
  var grid = { token: 0, drawing: false, focus: null, done: '' };

  /* The indicator grid. Cells carry data-row/data-col for keyboard movement and
   * paste; the 得分 column shows the user's typed score and the computed one. */

  /** Where a block's rows are in the unit: the unit's own (index -1) or a project's. */
  function blockPath(index) {
    return index < 0 ? ['indicators'] : ['projects', index, 'indicators'];
  }

  /** The rows of a block (null when that project is gone). */
  function rowsOf(index) {
    if (index >= 0 && !state.unit.projects[index]) return null;
    return getIn(state.unit, blockPath(index)) || null;
  }

  /** Whether a finding is about the block `index` (the unit's findings have no project). */
  function inBlock(f, index) {
    var at = f.projectIndex === null || f.projectIndex === undefined ? -1 : f.projectIndex;
    return at === index;
  }

  function level1Options() {
    return [['', '（请选择）']].concat(state.vocab.levels.map(function (l) { return [l[0], l[0]]; }));
  }

  function level2Names(level1) {
    var names = [];
    state.vocab.levels.forEach(function (l) {
      if (!level1 || l[0] === level1) names = names.concat(l[1]);
    });
    return names;
  }

  function level2Options(level1) {
    return [['', '（请选择）']].concat(level2Names(level1).map(function (n) { return [n, n]; }));
  }

  /** A cell whose text wraps: the cell mirrors the text (CSS ::after) and so grows with it. */
  function grow(td, area) {
    var update = function () { td.setAttribute('data-value', area.value); };
    td.classList.add('wrap');
    update();
    area.addEventListener('input', update);
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

  /** The grid: a long one is drawn CHUNK rows at a time, saying how far it is. */
  function indicatorGrid(ctx, index) {
    var table = h('table', { class: 'grid', 'data-testid': 'indicator-grid' });
    var list = rowsOf(index);
    var token = ++grid.token;
    var drawn = 0;
    var draw = function () {
      // A block of rows each: the browser skips the blocks off screen.
      var body = table.appendChild(h('tbody'));
      for (var end = Math.min(list.length, drawn + CHUNK); drawn < end; drawn++) {
        body.appendChild(indicatorRow(ctx, list[drawn], index, drawn));
      }
      grid.drawing = drawn < list.length;
      if (grid.drawing) setTimeout(more, 0);
    };
    var more = function () {
      if (token !== grid.token) return;
      if (!table.isConnected) {
        grid.drawing = false;
        return;
      }
      var from = J.views.updaterCount();
      draw();
      J.views.runViewUpdaters(from);
      J.shell.applyReadOnly();
      if (grid.drawing) J.shell.showStatus('正在显示指标：' + drawn + ' / ' + list.length + ' 行…');
      else {
        J.findings.mark(index);
        J.shell.showStatus(grid.done || '已显示全部 ' + list.length + ' 行指标。');
        grid.done = '';
      }
      if (grid.focus) focusCell(grid.focus[0], grid.focus[1]);
    };
    var head = h('tr');
    GRID_COLUMNS.forEach(function (col) {
      head.appendChild(h('th', { text: col.label, class: 'col-' + col.key }));
      if (col.key === 'typedScore') head.appendChild(h('th', { text: '计算得分', class: 'col-computed' }));
    });
    head.appendChild(h('th', { text: '', class: 'col-actions' }));
    draw();
    table.insertBefore(h('thead', null, head), table.firstChild);
    table.addEventListener('keydown', onGridKeydown);
    return [
      h('p', { class: 'note', text: 'Tab、Enter、方向键移动，最后一行按 Enter 添加一行；选择框按 Alt+↓ 打开；' +
        'Ctrl+Shift+Enter 在下方插入一行，Ctrl+Shift+Delete 删除本行（可撤销）。可从 Excel / WPS 复制多行粘贴，' +
        '合并单元格留空的一级、二级指标按上一行填入。定性指标在“得分”中填写档次内的分数。' }),
      h('div', { class: 'grid-wrap' }, table),
      h('div', { class: 'grid-actions' }, [
        button('+ 添加一行', function () { insertIndicator(index, rowsOf(index).length - 1); }, { 'data-testid': 'add-indicator' })
      ]),
      levelTotals(index)
    ];
  }

  function indicatorRow(ctx, ind, index, r) {
    var tr = h('tr', { 'data-testid': 'indicator-row', id: 'ind-' + r });
    GRID_COLUMNS.forEach(function (col, c) {
      var rel = 'indicators.' + r + '.' + col.key;
      var attrs = { 'data-row': r, 'data-col': c, 'aria-label': '第' + (r + 1) + '行 ' + col.label };
      var cell;
      if (col.kind === 'level1') {
        cell = ctx.input(rel, 'select', attrs, { options: level1Options(), rerender: true, afterSet: dropForeignLevel2 });
      } else if (col.kind === 'level2') {
        cell = ctx.input(rel, 'select', attrs, { options: level2Options(ind.level1) });
      } else {
        cell = ctx.input(rel, col.kind, attrs, { wrap: col.kind !== 'bool' });
      }
      var td = h('td', { class: 'col-' + col.key }, cell);
      if (cell.tagName === 'TEXTAREA') grow(td, cell);
      if (col.key === 'actual') td.appendChild(bandPicker(ctx, ind, index, r));
      tr.appendChild(td);
      if (col.key === 'typedScore') tr.appendChild(h('td', { class: 'col-computed' }, indicatorScore(index, r, tr, cell)));
    });
    // Row actions: with the mouse or their keys, outside the Tab path.
    tr.appendChild(h('td', { class: 'col-actions' }, [
      button('＋', function () { insertIndicator(index, r); },
        { class: 'small', tabindex: -1, 'aria-label': '插入', title: '在下方插入一行（Ctrl+Shift+Enter）' }),
      button('✕', function () { removeIndicator(index, r); },
        { class: 'small', tabindex: -1, 'aria-label': '删除', title: '删除本行（Ctrl+Shift+Delete，可撤销）' })
    ]));
    return tr;
  }

  /** A qualitative row's 完成程度 (达成 / 部分达成 / 未达成), chosen apart from the words
   *  of 实际完成值, which stay as the description (RULES.md §4). Shown for qualitative
   *  rows, and for a row whose words the core asks a band for. */
  function bandPicker(ctx, ind, index, r) {
    var options = [['', '完成程度…']].concat(state.vocab.bandChoices.map(function (b) { return [b, b]; }));
    var picker = ctx.input('indicators.' + r + '.band', 'select', {
      class: 'band', 'aria-label': '第' + (r + 1) + '行 完成程度', title: '定性指标的完成程度；实际完成值中的文字作为完成情况的描述保留'
    }, { options: options });
    J.views.onRedraw(function () {
      var s = J.page.blockSummary(index).indicators[r] || {};
      var asked = (state.summary ? state.summary.findings : []).some(function (f) {
        return f.code === 'qualitative_unknown' && inBlock(f, index) && f.row === r + 1;
      });
      picker.hidden = !(s.method === 'qualitative' || asked || ((rowsOf(index) || [])[r] || {}).band);
    });
    return picker;
  }

  /** The computed score of row r, with how it was reached as the tooltip; the row is
   *  marked by its method (定性 rows take the user's score). */
  function indicatorScore(index, r, tr, typedInput) {
    return J.views.computed(function () {
      var s = J.page.blockSummary(index).indicators[r] || {};
      var qualitative = s.method === 'qualitative';
      var method = 'method-' + (s.method || 'none');
      if (tr.className !== method) tr.className = method;
      typedInput.placeholder = qualitative ? '填写得分' : '';
      typedInput.title = qualitative
        ? '定性指标：在所选档次的分数范围内填写得分' + (s.band ? '（' + s.band + '）' : '')
        : '表上填报的得分，只用于核对';
      var shown = s.method === 'notApplicable' ? '不适用' : dash(s.score);
      return [shown, s.basis || ''];
    }, { 'data-testid': 'indicator-score' });
  }

  /** Subtotals by level, the total and the grade under the grid (from the Summary). The
   *  unit's form without an indicator block has no total: nothing is shown. */
  function levelTotals(index) {
    var block = h('div', { class: 'level-totals', 'data-testid': 'level-totals' });
    J.views.onRedraw(function () {
      var p = J.page.blockSummary(index);
      clear(block);
      block.hidden = index < 0 && !(rowsOf(index) || []).length;
      if (block.hidden) return;
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

  function insertIndicator(index, after, col) {
    var list = rowsOf(index);
    J.doc.commit();
    J.doc.splice(blockPath(index), after + 1, 0, [blankIndicator(list[after])]);
    J.page.structuralChange();
    focusCell(after + 1, col === undefined ? (list[after] ? 2 : 0) : col);
  }

  function removeIndicator(index, r, col) {
    var list = rowsOf(index);
    J.doc.commit();
    J.doc.splice(blockPath(index), r, 1);
    J.page.structuralChange();
    if (list.length) focusCell(Math.min(r, list.length - 1), col || 0);
    J.shell.showStatus('已删除第' + (r + 1) + '行（撤销：Ctrl+Z）。');
  }

  function gridCellOf(node) {
    if (!node || !node.getAttribute || !node.hasAttribute('data-col')) return null;
    return ui.view.contains(node) ? node : null;
  }

  function isText(node) {
    return node.tagName === 'TEXTAREA' || node.type === 'text';
  }

  /** Focuses a cell (its text selected, to type over as in Excel); one not drawn yet
   *  is focused once it is. */
  function focusCell(row, col) {
    var tr = document.getElementById('ind-' + row);
    var node = tr && tr.querySelector('[data-col="' + col + '"]');
    grid.focus = !node && grid.drawing ? [row, col] : null;
    if (!node) return false;
    node.focus();
    if (isText(node)) node.select();
    return true;
  }

  function caretAt(node, end) {
    var at = end ? node.value.length : 0;
    return !isText(node) || (node.selectionStart === at && node.selectionEnd === at);
  }

  /** Spreadsheet movement: Tab/Shift+Tab along the row and on to the next; Enter and
   *  ↑↓ by row (also on pickers, which Alt+↓ opens); Enter on the last row adds one;
   *  ←→ by cell at the edge of the text. Ctrl+Shift+Enter / Delete insert / delete a row. */
  function onGridKeydown(e) {
    var cell = gridCellOf(e.target);
    if (!cell || e.altKey || e.metaKey || e.isComposing || e.keyCode === 229) return;
    var row = Number(cell.getAttribute('data-row'));
    var col = Number(cell.getAttribute('data-col'));
    var last = GRID_COLUMNS.length - 1;
    var rows = rowsOf(state.selected).length;
    var target = null;
    if (e.ctrlKey) {
      if (!e.shiftKey || (e.key !== 'Enter' && e.key !== 'Delete')) return;
      e.preventDefault();
      if (e.key === 'Enter') insertIndicator(state.selected, row, col);
      else removeIndicator(state.selected, row, col);
      return;
    }
    if (e.key === 'Tab') {
      target = e.shiftKey ? (col ? [row, col - 1] : [row - 1, last]) : (col < last ? [row, col + 1] : [row + 1, 0]);
      if (target[0] < 0 || target[0] >= rows) return; // out of the grid as the browser does
    } else if (e.key === 'Enter') {
      if (!e.shiftKey && row === rows - 1) {
        e.preventDefault();
        insertIndicator(state.selected, row, col);
        return;
      }
      target = [row + (e.shiftKey ? -1 : 1), col];
    } else if (e.key === 'ArrowDown') target = [row + 1, col];
    else if (e.key === 'ArrowUp') target = [row - 1, col];
    else if (e.shiftKey) return; // Shift+←→ selects text
    else if (e.key === 'ArrowLeft' && caretAt(cell, false)) target = [row, col - 1];
    else if (e.key === 'ArrowRight' && caretAt(cell, true)) target = [row, col + 1];
    if (!target) return;
    e.preventDefault();
    focusCell(target[0], target[1]);
  }

  /* Paste. A block from a form whose 一级/二级 cells were merged has them blank below the
   * first row: they are filled from the row above. A long paste, or one whose first column
   * belongs to another column than the focused one, asks first. */

  /** Whether every non-blank cell of the block's first column is one of `known`. */
  function firstColumnIn(rows, known) {
    var any = false;
    var all = rows.every(function (cells) {
      var v = String(cells[0] || '').trim();
      if (v) any = true;
      return !v || known.indexOf(v) >= 0;
    });
    return any && all;
  }

  function askFirst(text, go, back) {
    if (grid.ask) grid.ask.remove();
    var done = function (yes) {
      box.remove();
      grid.ask = null;
      back();
      if (yes) go();
      else J.shell.showStatus('已取消粘贴。');
    };
    var box = h('div', { class: 'banner ask', role: 'alertdialog', 'data-testid': 'paste-confirm' }, [
      h('span', { text: text }),
      button('确定', function () { done(true); }, { class: 'primary', 'data-testid': 'paste-ok' }),
      button('取消', function () { done(false); }, { 'data-testid': 'paste-cancel' })
    ]);
    box.addEventListener('keydown', function (e) { if (e.key === 'Escape') done(false); });
    grid.ask = box;
    ui.banners.appendChild(box);
    box.querySelector('button').focus();
  }

  /** A rectangle pasted at (row, col): fills cells across columns, adds rows as
   *  needed, and is one undo step. */
  function pasteIntoGrid(index, row, col, rows) {
    var list = rowsOf(index);
    var problems = [];
    var filled = 0;
    var path = blockPath(index);
    J.doc.commit();
    var mark = J.doc.mark();
    var above = list[row - 1] || {};
    var added = [];
    rows.forEach(function (cells, i) {
      var r = row + i;
      var ind = list[r] || added[added.push(blankIndicator(added[added.length - 1] || list[list.length - 1])) - 1];
      var put = function (key, value) {
        if (r < list.length) J.doc.set(path.concat([r, key]), value);
        else ind[key] = value;
      };
      var given = cells.some(function (t) { return String(t).trim(); });
      cells.forEach(function (text, j) {
        var column = GRID_COLUMNS[col + j];
        if (!column) return;
        var value = pastedValue(column, text);
        // Merged 一级/二级: blank below the first row of the group.
        if (given && value.value === '' && column.kind.indexOf('level') === 0) {
          var from = column.key === 'level1' || ind.level1 === above.level1 ? above[column.key] : '';
          if (from) {
            value.value = from;
            filled++;
          }
        }
        if (value.ok) put(column.key, value.value);
        else problems.push('第' + (r + 1) + '行' + column.label + '“' + text + '”' + value.message);
      });
      above = ind;
    });
    if (added.length) J.doc.splice(path, list.length, 0, added);
    var error = J.page.tryEvaluate();
    if (error) {
      J.doc.rollbackTo(mark);
      J.page.evaluateNow();
      J.shell.showError('粘贴的内容无法计算（' + error + '），已撤回这次粘贴。');
      return;
    }
    // Drawn in the next task: a long paste does not hold the page for both.
    setTimeout(function () {
      J.page.structuralChange(true);
      focusCell(row, col);
      if (grid.drawing) grid.done = message;
      else J.shell.showStatus(message);
    }, 0);
    var message = '已粘贴 ' + rows.length + ' 行。' +
      (filled ? '合并单元格留空的一级/二级指标按上一行填入 ' + filled + ' 格。' : '') +
      (problems.length ? '未填入：' + problems.join('；') : '');
  }

  function pastedValue(column, text) {
    if (column.kind === 'bool') return { ok: true, value: parseBool(text) };
    if (column.kind === 'decimal') return figureText(String(text).trim());
    return { ok: true, value: String(text).trim() };
  }

  function onPaste(e) {
    var cell = gridCellOf(document.activeElement);
    var index = state.selected;
    if (!cell || !rowsOf(index)) return;
    var data = e.clipboardData || window.clipboardData;
    var text = data ? data.getData('text/plain') || data.getData('Text') : '';
    if (!text) return;
    var rows = parseTsv(text.replace(/\n+$/, ''));
    var single = rows.length === 1 && rows[0].length === 1;
    // One value into a text cell: the browser's own paste does it (and its undo).
    if (single && isText(cell) && !/[\r\n]/.test(rows[0][0])) return;
    e.preventDefault();
    var row = Number(cell.getAttribute('data-row'));
    var col = Number(cell.getAttribute('data-col'));
    var start = col && firstColumnIn(rows, state.vocab.levels.map(function (l) { return l[0]; })) ? 0
      : col !== 1 && firstColumnIn(rows, level2Names('')) ? 1 : col;
    var width = Math.max.apply(null, rows.map(function (r) { return r.length; }));
    var over = start + width - GRID_COLUMNS.length;
    var added = row + rows.length - rowsOf(index).length;
    var say = (start !== col ? '粘贴内容的第一列是' + GRID_COLUMNS[start].label + '，光标却在“' +
        GRID_COLUMNS[col].label + '”列：将从第' + (row + 1) + '行的“' + GRID_COLUMNS[start].label + '”列起粘贴。' : '') +
      (over > 0 ? '粘贴内容有 ' + width + ' 列，超出表格的 ' + over + ' 列不粘贴。' : '') +
      (rows.length > ASK_ROWS ? '将粘贴 ' + rows.length + ' 行' + (added > 0 ? '（新增 ' + added + ' 行）' : '') +
        '，表格分批显示，请稍候。' : '');
    var go = function () {
      if (index === state.selected && rowsOf(index)) pasteIntoGrid(index, row, start, rows);
    };
    if (!say) go();
    else askFirst(say + '是否继续？', go, function () { focusCell(row, col); });
  }


  J.grid = {
    indicatorGrid: indicatorGrid,
    onPaste: onPaste
  };
})(window.jixiaoApp = window.jixiaoApp || {});
