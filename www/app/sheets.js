/* Jixiao page · sheets: a form of the report cut into landscape A4 page boxes. */
(function (J) {
  'use strict';

  var h = J.util.h, clear = J.util.clear;

  /* Chromium before 131 has no @page margin boxes: to number the forms' pages as the
   * narrative's (“— n —”), each form is cut here into page boxes of one landscape A4
   * page each, by measuring. A page ends between rows only; a section's head row (the
   * indicator header, 任务名称 | 主要内容 | 完成情况) starts every page the section
   * continues on; a cell cut by a page break shows its text again; the rows closing the
   * indicators (总分, 自评等级) never start a page without one of them. */

  /** Text that a line never breaks inside: an amount, a rate, a score, “≥95%”. */
  var FIGURE = /^[-+≥≤＞＜>< ]*[0-9][0-9,.]*\s*[%％‰]?$/;
  /** The rows after the indicators that go over with the last of them (总分 and 自评等级
   *  in every layout). */
  var CLOSING_ROWS = 2;
  /** Rows laid out at once to find where a page ends: more than a page ever holds. */
  var WINDOW = 200;
  /** Cells up to this long are broken again when their last line is one character. */
  var LABEL_MAX = 24;

  /** `form` cut into page boxes numbered from `number`, a page at a time: the function
   *  returned lays out the next page in `bench` (an element of the document, where it is
   *  measured) and returns its box, or null when the form is done. */
  function pages(form, number) {
    var header = form.headerRow;
    if (typeof header !== 'number' || header < 0 || header >= form.rows) header = -1;
    var plan = { form: form, header: header, closing: -1, labelsOnly: labelRows(form), heads: [] };
    // A section: a label in the first column spanning rows (绩效指标, 年度主要任务…),
    // whose first row, when of labels only, heads its rows on every page.
    form.cells.forEach(function (cell) {
      if (cell.col !== 0 || cell.rowSpan < 2) return;
      if (cell.row === header) plan.closing = header + cell.rowSpan;
      if (!plan.labelsOnly[cell.row]) return;
      for (var r = cell.row + 1; r < cell.row + cell.rowSpan; r++) plan.heads[r] = cell.row;
    });
    var count = 0;
    var from = 0;
    return function (bench) {
      if (count && from >= form.rows) return null;
      var page = formPage(number + count, count ? null : form);
      bench.appendChild(page.box);
      count++;
      from = fillPage(page, plan, from);
      return page.box;
    };
  }

  /** One landscape page box: the text block (the form's titles on its first page) and
   *  the page number. */
  function formPage(n, form) {
    var flow = h('div', { class: 'form-flow' }, form ? [
      h('div', { class: 'form-caption', text: form.caption }),
      h('div', { class: 'form-title', text: form.title }),
      h('div', { class: 'form-subtitle', text: form.subtitle })
    ] : null);
    var body = h('div', { class: 'form-body' }, flow);
    var box = h('div', {
      class: 'sheet form-page ' + (n % 2 ? 'odd' : 'even'), 'data-testid': 'form-page', 'data-page': n
    }, [body, h('div', { class: 'page-number', 'data-testid': 'page-number', text: '\u2014 ' + n + ' \u2014' })]);
    return { box: box, body: body, flow: flow, tables: [] };
  }

  /** Rows of labels only (a header row, 预期目标 | 实际完成情况): they stay with the row
   *  after them. */
  function labelRows(form) {
    var only = [];
    for (var r = 0; r < form.rows; r++) only.push(true);
    form.cells.forEach(function (cell) {
      if (!cell.label) only[cell.row] = false;
    });
    return only;
  }

  /** Lays out on `page` the rows from `from` that fit it; returns the first row left. */
  function fillPage(page, plan, from) {
    var rows = plan.form.rows;
    var end = Math.min(rows, from + WINDOW);
    var repeat = from > 0 && plan.heads[from] >= 0 ? plan.heads[from] : -1;
    render(page, plan, repeat, from, end);
    if (fits(page)) {
      // Cells balanced last: that never makes a row taller.
      balanceCells(page.flow);
      return end;
    }
    // The first row that passes the text block's bottom.
    var limit = page.body.getBoundingClientRect().bottom + 0.5;
    var cut = end - 1;
    var trs = page.flow.querySelectorAll('tr[data-row]');
    for (var i = 0; i < trs.length; i++) {
      var r = Number(trs[i].getAttribute('data-row'));
      if (r >= from && trs[i].getBoundingClientRect().bottom > limit) {
        cut = r;
        break;
      }
    }
    for (;;) {
      cut = Math.max(from + 1, allowed(plan, from, cut));
      render(page, plan, repeat, from, cut);
      if (cut === from + 1 || fits(page)) break;
      // A merged cell cut shows its text twice: fewer rows may fit than measured.
      cut--;
    }
    if (cut === from + 1 && plan.labelsOnly[from] && cut < rows) render(page, plan, repeat, from, ++cut);
    balanceCells(page.flow);
    // One row taller than a page.
    if (!fits(page)) page.box.classList.add('overfull');
    return cut;
  }

  /** The page break before row `cut` moved back to where a page may end: not before
   *  总分 or 自评等级, not after a row of labels only. Unchanged when nothing is left. */
  function allowed(plan, from, cut) {
    var c = cut;
    if (plan.closing >= 0 && c >= plan.closing && c < plan.closing + CLOSING_ROWS) c = plan.closing - 1;
    while (c > from + 1 && plan.labelsOnly[c - 1]) c--;
    return c > from ? c : cut;
  }

  function fits(page) {
    return page.flow.getBoundingClientRect().height <= page.body.getBoundingClientRect().height + 0.5;
  }

  /** Rows [from, end) on the page, after the section's head row `repeat` (-1: none);
   *  the rows above the header row in a table of their own, the header row in the <thead>
   *  of the other. */
  function render(page, plan, repeat, from, end) {
    page.tables.forEach(function (table) { page.flow.removeChild(table); });
    var list = repeat >= 0 ? [repeat] : [];
    for (var r = from; r < end; r++) list.push(r);
    var header = plan.header;
    var groups = [];
    list.forEach(function (row) {
      var part = header >= 0 && row >= header ? 1 : 0;
      var tag = row === header ? 'thead' : 'tbody';
      var last = groups[groups.length - 1];
      if (!last || last.tag !== tag || last.part !== part) groups.push(last = { tag: tag, part: part, rows: [] });
      last.rows.push(row);
    });
    page.tables = [];
    var table = null;
    var pieces = piecesOf(plan.form, groups);
    groups.forEach(function (group, g) {
      if (!table || groups[g - 1].part !== group.part) {
        table = formTable(plan.form);
        page.tables.push(table);
        page.flow.appendChild(table);
      }
      table.appendChild(rowGroup(plan.form, group, pieces[g]));
    });
  }

  /**
   * Where each cell shows in each row group of a page: at its first row there, spanning
   * the rows it covers there. It shows its text in the first group it is in (so again on
   * every page it continues on); its parts in the groups after join without a line.
   */
  function piecesOf(form, groups) {
    var pieces = groups.map(function () { return { starts: {}, covered: {} }; });
    form.cells.forEach(function (cell) {
      var seen = [];
      groups.forEach(function (group, g) {
        var rows = group.rows.filter(function (r) { return r >= cell.row && r < cell.row + cell.rowSpan; });
        if (rows.length) seen.push({ g: g, rows: rows });
      });
      seen.forEach(function (part, k) {
        var at = pieces[part.g];
        at.starts[part.rows[0] + ',' + cell.col] = {
          cell: cell, rows: part.rows.length, first: k === 0, last: k === seen.length - 1
        };
        part.rows.forEach(function (r) {
          for (var c = cell.col; c < cell.col + cell.colSpan; c++) at.covered[r + ',' + c] = true;
        });
      });
    });
    return pieces;
  }

  function formTable(form) {
    var total = form.widths.reduce(function (sum, w) { return sum + w; }, 0) || 1;
    var cols = h('colgroup');
    form.widths.forEach(function (w) {
      var col = h('col');
      col.style.width = (w / total * 100) + '%'; // geometry only
      cols.appendChild(col);
    });
    return h('table', { class: 'form-table' }, cols);
  }

  function rowGroup(form, group, pieces) {
    var node = h(group.tag);
    group.rows.forEach(function (r) {
      var tr = h('tr', { 'data-row': r });
      for (var c = 0; c < form.widths.length; c++) {
        var piece = pieces.starts[r + ',' + c];
        if (piece) tr.appendChild(formCell(piece));
        else if (!pieces.covered[r + ',' + c]) tr.appendChild(h('td'));
      }
      node.appendChild(tr);
    });
    return node;
  }

  function formCell(piece) {
    var cell = piece.cell;
    var classes = ['al-' + (cell.align || 'center')];
    if (!piece.first) classes.push('joins-above');
    if (!piece.last) classes.push('joins-below');
    if (cell.number || FIGURE.test(cell.text)) classes.push('figure');
    return h(cell.label ? 'th' : 'td', {
      class: classes.join(' '),
      rowspan: piece.rows > 1 ? piece.rows : null,
      colspan: cell.colSpan > 1 ? cell.colSpan : null,
      text: piece.first ? cell.text : ''
    });
  }

  /**
   * A cell of up to LABEL_MAX characters whose last line is one character (“项目自评情 /
   * 况”, “达成年度指 / 标”) broken again in as many lines, as even as they go; one of
   * up to 4 that cannot be (“执行 / 率”) stays on one line. Measured: read every cell,
   * change them, read again and undo a change that made more lines or overflows.
   */
  function balanceCells(root) {
    var changed = [];
    var range = document.createRange();
    Array.prototype.forEach.call(root.querySelectorAll('th, td'), function (cell) {
      var text = cell.textContent;
      if (text.length < 3 || text.length > LABEL_MAX || /[\n\uD800-\uDBFF]/.test(text)) return;
      range.selectNodeContents(cell);
      if (range.getClientRects().length < 2) return;
      var lines = lineLengths(cell, range);
      if (lines.length < 2 || lines[lines.length - 1] > 1) return;
      var parts = balanced(text, lines.length, Math.max.apply(null, lines));
      if (!parts && text.length > 4) return;
      changed.push({ cell: cell, text: text, lines: lines.length });
      if (!parts) {
        cell.classList.add('unbroken');
      } else {
        // Lines apart by <br>: the cell's text stays as it was.
        clear(cell);
        parts.forEach(function (part, i) {
          if (i) cell.appendChild(h('br'));
          cell.appendChild(document.createTextNode(part));
        });
      }
    });
    changed.forEach(function (c) {
      var lines = lineLengths(c.cell, range);
      if (lines.length > c.lines || (lines.length > 1 && lines[lines.length - 1] < 2) ||
          c.cell.scrollWidth > c.cell.clientWidth + 1) {
        c.cell.textContent = c.text;
        c.cell.classList.remove('unbroken');
      }
    });
  }

  /** How many characters each line of a cell's text holds. */
  function lineLengths(cell, range) {
    var lines = [];
    var top = -Infinity;
    for (var node = cell.firstChild; node; node = node.nextSibling) {
      for (var i = 0; node.nodeType === 3 && i < node.nodeValue.length; i++) {
        range.setStart(node, i);
        range.setEnd(node, i + 1);
        var rect = range.getClientRects()[0];
        if (!rect) continue;
        if (rect.top > top + 1) {
          lines.push(0);
          top = rect.top;
        }
        lines[lines.length - 1]++;
      }
    }
    return lines;
  }

  /** `text` in `lines` lines of 2 to `widest` characters, as even as they go; no line
   *  ends with an opening bracket or starts with closing punctuation, a break after “）”
   *  or before “（” preferred. Null when it cannot be. */
  function balanced(text, lines, widest) {
    var out = [];
    var at = 0;
    for (var left = lines; left > 1; left--) {
      var rest = text.length - at;
      var ideal = rest / left;
      var best = -1;
      var bestCost = Infinity;
      // From the longest first line down: the longer wins a tie.
      for (var len = widest; len >= 2; len--) {
        var after = rest - len;
        if (after < 2 * (left - 1) || after > widest * (left - 1)) continue;
        var p = at + len;
        var cost = Math.abs(len - ideal);
        if ('（(《“'.indexOf(text.charAt(p - 1)) >= 0 || '）)》”，、：。'.indexOf(text.charAt(p)) >= 0) cost += 10;
        if (text.charAt(p - 1) === '）' || text.charAt(p) === '（') cost -= 0.75;
        if (cost < bestCost) {
          bestCost = cost;
          best = p;
        }
      }
      if (best < 0) return null;
      out.push(text.slice(at, best));
      at = best;
    }
    out.push(text.slice(at));
    return out;
  }

  J.sheets = { pages: pages };
})(window.jixiaoApp = window.jixiaoApp || {});
