/* Jixiao page · review: the finance bureau's 汇总 — many units' files (saved pages, JSON
 * data files, workbooks) read by the core one at a time (src/review.rs), one row per
 * unit with the region's totals; sorted and filtered here, every figure and order from
 * the core (this module compares no amount). A unit is looked at read-only (its projects
 * and findings) or opened for editing; the review is exported as the 汇总表 workbook or
 * printed. */
(function (J) {
  'use strict';

  var U = J.util;
  var ui = J.ui;
  var state = J.state;
  var h = U.h, button = U.button, clear = U.clear;

  // Columns whose order comes from the core (decimals), and those compared as text.
  var DECIMAL = { budget: 1, executed: 1, rate: 1, coverage: 1, total: 1 };
  var TEXT = { file: 1, name: 1, date: 1, grade: 1, message: 1 };
  var GRADES = { '优': 1, '良': 1, '中': 1, '差': 1 };
  var FILTERS = [
    ['all', '全部文件'], ['errors', '有错误的单位'], ['mismatches', '有填报数不一致的单位'],
    ['warnings', '有提示的单位'], ['unreadable', '无法读取的文件'], ['clean', '没有错误的单位']
  ];

  // files: [{ name (unique in the review), file (the File picked) }], in the core's order.
  var review = { files: [], result: null, sort: null, filter: 'all', search: '', selected: null, busy: null };

  function shown() {
    return !!ui.review && !ui.review.hidden;
  }

  /** The toolbar's 汇总: back to the review when there is one, else pick the files. */
  function start() {
    if (review.result) show();
    else pick(false);
  }

  function pick(adding) {
    var input = h('input', {
      type: 'file', multiple: true, class: 'hidden-input', accept: state.vocab.accept,
      onchange: function () {
        if (input.files && input.files.length) readFiles(input.files, adding);
        input.remove();
      }
    });
    document.body.appendChild(input);
    input.click();
  }

  function uniqueName(name) {
    var taken = function (n) { return review.files.some(function (f) { return f.name === n; }); };
    if (!taken(name)) return name;
    for (var i = 2; ; i++) if (!taken(name + '（' + i + '）')) return name + '（' + i + '）';
  }

  /** Reads the files one by one into the core's review, saying how far it has got
   *  (cancellable); `adding` keeps the files already reviewed. */
  function readFiles(list, adding) {
    if (J.engine.dead || review.busy) return Promise.resolve();
    var files = Array.prototype.slice.call(list);
    if (!adding) {
      J.core.reviewClear();
      review.files = [];
      review.selected = null;
    }
    var job = review.busy = { cancelled: false };
    show();
    var done = 0;
    function next() {
      if (job.cancelled || done === files.length) return Promise.resolve();
      var file = files[done];
      progress('正在汇总：第 ' + (done + 1) + ' / ' + files.length + ' 个文件（' + file.name + '）……');
      return readBytes(file).then(function (bytes) {
        var name = uniqueName(file.name);
        J.core.reviewAdd(name, bytes);
        review.files.push({ name: name, file: file });
        done++;
        // Let the page draw the progress and take a click on 取消.
        return new Promise(function (resolve) { setTimeout(resolve, 0); }).then(next);
      });
    }
    return next().then(function () {
      review.busy = null;
      review.result = U.camelKeys(J.core.reviewResult());
      render();
      J.shell.showStatus(job.cancelled
        ? '已取消：读取了 ' + done + ' / ' + files.length + ' 个文件。'
        : '已汇总 ' + files.length + ' 个文件。');
    }).catch(function (err) {
      review.busy = null;
      if (err.coreDead) return;
      J.shell.showError('汇总失败：' + U.reasonOf(err) + '。');
      if (review.files.length) {
        review.result = U.camelKeys(J.core.reviewResult());
        render();
      } else hide();
    });
  }

  /** A file's bytes; one the browser cannot read is given to the core as no bytes,
   *  so that it is a row with the core's message. */
  function readBytes(file) {
    return new Promise(function (resolve) {
      var reader = new FileReader();
      reader.onload = function () { resolve(new Uint8Array(reader.result)); };
      reader.onerror = function () { resolve(new Uint8Array(0)); };
      reader.readAsArrayBuffer(file);
    });
  }

  function show() {
    if (state.preview) J.preview.closePreview();
    ui.body.hidden = true;
    ui.review.hidden = false;
    U.byId('app').classList.add('reviewing');
    if (!review.result) progress('');
  }

  function hide() {
    ui.review.hidden = true;
    ui.body.hidden = false;
    U.byId('app').classList.remove('reviewing');
    ui.reviewButton.textContent = review.result ? '返回汇总' : '汇总';
  }

  /** The progress line while reading (its 取消 stays the same button). */
  function progress(text) {
    if (!ui.reviewProgress || !ui.review.contains(ui.reviewProgress)) {
      clear(ui.review);
      ui.reviewProgressText = h('p');
      ui.reviewProgress = h('div', { class: 'review-progress', 'data-testid': 'review-progress' }, [
        ui.reviewProgressText,
        button('取消', function () { if (review.busy) review.busy.cancelled = true; }, { 'data-testid': 'review-cancel' })
      ]);
      ui.review.appendChild(ui.reviewProgress);
    }
    ui.reviewProgressText.textContent = text || '请选择要汇总的文件。';
    ui.reviewProgress.lastChild.hidden = !review.busy;
  }

  function columns() {
    return state.vocab.reviewColumns;
  }

  /** What a cell shows (figures as the core wrote them). */
  function cellText(row, key) {
    if (GRADES[key]) return row.grades ? String(row.grades[key]) : '';
    var v = {
      rate: row.ratePercent && row.ratePercent + '%',
      coverage: row.coveragePercent && row.coveragePercent + '%'
    }[key];
    if (v === undefined) v = row[key];
    return v === null || v === undefined ? '' : String(v);
  }

  function passes(row) {
    var f = review.filter;
    var read = !row.message;
    if (f === 'errors' && !(row.message || row.errors > 0)) return false;
    if (f === 'mismatches' && !(row.mismatches > 0)) return false;
    if (f === 'warnings' && !(row.warnings > 0)) return false;
    if (f === 'unreadable' && read) return false;
    if (f === 'clean' && !(read && row.errors === 0)) return false;
    var q = review.search.trim();
    return !q || (row.name || '').indexOf(q) >= 0 || row.file.indexOf(q) >= 0;
  }

  /** Row indices in the order asked for; unreadable files last. */
  function ordered() {
    var units = review.result.units;
    var order = units.map(function (u, i) { return i; });
    var s = review.sort;
    if (s) {
      if (DECIMAL[s.key]) order = review.result.orders[s.key].slice();
      else {
        var value = function (i) { return GRADES[s.key] ? cellText(units[i], s.key) : units[i][s.key]; };
        order.sort(function (a, b) {
          var x = value(a), y = value(b);
          var none = (x === null || x === undefined || x === '') - (y === null || y === undefined || y === '');
          if (none) return none;
          if (TEXT[s.key]) return String(x).localeCompare(String(y), 'zh-CN') || a - b;
          return (x > y) - (x < y) || a - b; // counts and years: integers from the core
        });
      }
      if (s.desc) order.reverse();
    }
    return order.filter(function (i) { return !units[i].message; })
      .concat(order.filter(function (i) { return units[i].message; }));
  }

  function render() {
    var r = review.result;
    var t = r.totals;
    clear(ui.review);
    var files = r.units.length + r.duplicates.length;
    var head = '汇总 ' + t.units + ' 个单位（文件 ' + files + ' 个' +
      (t.unreadable ? '，无法读取 ' + t.unreadable + ' 个' : '') +
      (t.duplicates ? '，重复 ' + t.duplicates + ' 个' : '') + '）';
    var select = h('select', {
      'data-testid': 'review-filter', 'aria-label': '筛选',
      onchange: function () { review.filter = select.value; renderTable(); }
    }, FILTERS.map(function (f) { return h('option', { value: f[0], text: f[1] }); }));
    select.value = review.filter;
    var search = h('input', {
      type: 'search', placeholder: '按单位名称或文件名查找', value: review.search, 'data-testid': 'review-search',
      oninput: function () { review.search = search.value; renderTable(); }
    });
    ui.review.appendChild(h('div', { class: 'review-bar' }, [
      h('h2', { text: head, 'data-testid': 'review-head' }),
      select, search,
      button('添加文件', function () { pick(true); }, { 'data-testid': 'review-add', title: '再选择文件加入本次汇总' }),
      button('重新汇总', function () { pick(false); }, { title: '选择另一批文件，重新汇总' }),
      button('导出汇总表', exportXlsx, { 'data-testid': 'review-export', title: '单位汇总、项目明细、核对结果，Excel 工作簿（.xlsx）' }),
      button('打印汇总', printReview, { 'data-testid': 'review-print' }),
      button('返回单位编辑', hide, { class: 'primary', 'data-testid': 'review-close' })
    ]));
    ui.reviewTable = h('div', { class: 'review-table' });
    ui.review.appendChild(ui.reviewTable);
    if (r.duplicates.length) {
      ui.review.appendChild(h('div', { class: 'review-duplicates', 'data-testid': 'review-duplicates' }, [
        h('h3', { text: '重复报送的文件（未计入合计）' }),
        h('ul', null, r.duplicates.map(function (d) {
          return h('li', {
            text: d.file + ' 与 ' + d.duplicateOf + ' 同为 ' + d.name + (d.year ? ' · ' + d.year + '年度' : '') +
              '，采用 ' + d.duplicateOf + '（' + d.reason + '）'
          });
        }))
      ]));
    }
    ui.reviewDetail = h('div', { class: 'review-detail', 'data-testid': 'review-detail' });
    ui.review.appendChild(ui.reviewDetail);
    renderTable();
    renderDetail();
  }

  function renderTable() {
    var r = review.result;
    var cols = columns();
    var heads = cols.map(function (c) {
      var s = review.sort;
      var mark = s && s.key === c[0] ? (s.desc ? ' ▼' : ' ▲') : '';
      return h('th', {
        text: c[1] + mark, class: 'sortable', tabindex: 0, title: '按“' + c[1] + '”排序',
        'data-col': c[0], onkeydown: U.activateOnEnter,
        onclick: function () {
          review.sort = s && s.key === c[0] ? { key: c[0], desc: !s.desc } : { key: c[0], desc: false };
          renderTable();
        }
      });
    });
    var rows = ordered().filter(function (i) { return passes(r.units[i]); }).map(function (i) {
      var u = r.units[i];
      var cells = u.message
        ? [h('td', { text: u.file, class: 'col-file' }), h('td', { colspan: cols.length - 1, class: 'unreadable', text: '无法读取：' + u.message })]
        : cols.map(function (c) {
          var text = cellText(u, c[0]);
          var cls = 'col-' + c[0].replace(/[^a-z]/g, 'g') +
            ((c[0] === 'errors' || c[0] === 'mismatches') && u[c[0]] > 0 ? ' bad' : '');
          return h('td', { text: text, class: cls });
        });
      var tr = h('tr', {
        class: (u.message ? 'unreadable-row' : '') + (review.selected === u.file ? ' selected' : ''),
        'data-file': u.file, tabindex: 0, title: u.message ? '' : '查看该单位的项目和核对结果',
        onkeydown: U.activateOnEnter,
        onclick: function () { review.selected = u.file; renderTable(); renderDetail(); }
      }, cells);
      return tr;
    });
    var t = r.totals;
    var total = { name: t.units + ' 个单位', ratePercent: t.ratePercent, coveragePercent: t.coveragePercent };
    ['budget', 'executed', 'projects', 'evaluated', 'grades', 'errors', 'warnings', 'mismatches'].forEach(function (k) {
      total[k] = t[k];
    });
    var foot = h('tr', { class: 'total-row', 'data-testid': 'review-total' }, cols.map(function (c) {
      return h('td', { text: c[0] === 'file' ? '合计' : c[0] === 'name' ? total.name : cellText(total, c[0]) });
    }));
    clear(ui.reviewTable);
    ui.reviewTable.appendChild(h('table', { class: 'review-units', 'data-testid': 'review-units' }, [
      h('thead', null, h('tr', null, heads)),
      h('tbody', null, rows.length ? rows : h('tr', null, h('td', { colspan: cols.length, class: 'empty', text: '没有符合条件的文件' }))),
      h('tfoot', null, foot)
    ]));
  }

  /** The selected unit, read-only: its projects and findings; 编辑此单位 opens its file. */
  function renderDetail() {
    clear(ui.reviewDetail);
    var r = review.result;
    var unit = r.units.filter(function (u) { return u.file === review.selected && !u.message; })[0];
    if (!unit) return;
    var entry = review.files.filter(function (f) { return f.name === unit.file; })[0];
    var projects = r.projects.filter(function (p) { return p.file === unit.file; });
    var findings = r.findings.filter(function (f) { return f.file === unit.file; });
    var pct = function (x) { return x ? x + '%' : ''; };
    ui.reviewDetail.appendChild(h('div', { class: 'review-bar' }, [
      h('h3', { text: (unit.name || '（未填单位名称）') + (unit.year ? ' · ' + unit.year + '年度' : '') + '（只读，' + unit.file + '）' }),
      entry ? button('编辑此单位', function () { edit(entry); }, { 'data-testid': 'review-edit', title: '打开该文件进行编辑（当前编辑的数据可在“文档恢复”中找回）' }) : null
    ]));
    ui.reviewDetail.appendChild(h('table', { class: 'review-projects' }, [
      h('thead', null, h('tr', null, ['项目', '预算数（万元）', '执行数（万元）', '执行率', '总分', '等级'].map(function (t) {
        return h('th', { text: t });
      }))),
      h('tbody', null, projects.map(function (p) {
        return h('tr', null, [p.name, p.budget, p.executed, pct(p.ratePercent), p.total, p.grade].map(function (v) {
          return h('td', { text: v === null || v === undefined ? '' : String(v) });
        }));
      }))
    ]));
    ui.reviewDetail.appendChild(h('h3', { text: '核对结果（' + findings.length + ' 项）' }));
    ui.reviewDetail.appendChild(h('ul', { class: 'review-findings' }, findings.map(function (f) {
      var sev = J.findings.SEVERITIES.filter(function (x) { return x.key === f.severity; })[0];
      return h('li', { class: f.severity }, [h('span', { class: 'tag', text: sev ? sev.label : f.severity }), ' ' + f.message]);
    })));
  }

  /** Opens a reviewed unit's file for editing (the document open until now stays
   *  recoverable); the toolbar's 返回汇总 comes back. */
  function edit(entry) {
    hide();
    return J.files.openFile(entry.file);
  }

  function exportXlsx() {
    try {
      var name = state.vocab.reviewTitle + '.xlsx';
      J.savers.download(J.core.reviewXlsx(), name, 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet');
      J.shell.showStatus('已导出 ' + name + '。');
    } catch (err) {
      if (err.coreDead) return;
      J.shell.showError('导出汇总表失败：' + U.reasonOf(err) + '。');
    }
  }

  function printReview() {
    window.print();
  }

  /** Before any printing while the 汇总 is shown (the button or the browser's menu):
   *  its pages are landscape A4 (a style element for the print only: old cores have no
   *  named pages). */
  function preparePrint() {
    if (!ui.reviewPage) ui.reviewPage = h('style', { text: '@page{size:A4 landscape;margin:12mm}' });
    document.head.appendChild(ui.reviewPage);
  }

  function afterPrint() {
    if (ui.reviewPage) ui.reviewPage.remove();
  }

  J.review = {
    start: start, shown: shown, readFiles: readFiles, hide: hide, preparePrint: preparePrint, afterPrint: afterPrint
  };
})(window.jixiaoApp = window.jixiaoApp || {});
