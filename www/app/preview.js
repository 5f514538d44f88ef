/* Jixiao page · preview: the report laid out as it prints: preview and print. */
(function (J) {
  'use strict';

  var U = J.util;
  var state = J.state;
  var ui = J.ui;
  var button = U.button, camelKeys = U.camelKeys, clear = U.clear, h = U.h, reasonOf = U.reasonOf;

  /* The report model from the core (narrative blocks, forms as cells) laid out as it
   * prints: the narrative in A4 page boxes by GB/T 9704-2012 (text block 156 × 225 mm,
   * 22 lines of 28 characters, “— n —” under each page), the forms on landscape A4 with
   * their header row repeated. Chromium before 131 has no @page margin boxes, so the
   * pages are cut here, by measuring. Every word and figure is the core's text. */

  var PAGE_LINES = 22;
  /** More characters than any page holds (22 lines of the narrowest Latin letters): a
   *  longer block is not laid out whole just to find that it does not fit. */
  var PAGE_CHARS_MAX = 8192;
  /** Blocks that stay on the page of the line after them. */
  var KEEP_WITH_NEXT = { title: true, salutation: true, heading1: true, heading2: true, heading3: true };
  var BLOCK_KINDS = ['title', 'salutation', 'heading1', 'heading2', 'heading3', 'paragraph', 'signature'];
  /** No line starts with these (closing punctuation), none ends with the opening ones. */
  var NO_LINE_START = '，。、；：？！”’）》」』】〕…—·％%,.;:?!)]}';
  var NO_LINE_END = '“‘（《「『【〔([{';

  function togglePreview() {
    if (state.preview) closePreview();
    else openPreview();
  }

  function openPreview() {
    J.doc.commit();
    state.preview = true;
    // Shown before it is laid out: the pages are cut by measuring them.
    ui.preview.className = 'preview open';
    ui.body.hidden = true;
    if (!renderPreview()) {
      closePreview();
      return;
    }
    ui.preview.scrollTop = 0;
    ui.previewButton.textContent = '返回编辑';
    ui.previewButton.setAttribute('aria-pressed', 'true');
  }

  function closePreview() {
    state.preview = false;
    ui.preview.className = 'preview';
    clear(ui.preview);
    state.previewOf = '';
    ui.body.hidden = false;
    ui.previewButton.textContent = '预览报告';
    ui.previewButton.setAttribute('aria-pressed', 'false');
  }

  function printReport() {
    if (!preparePrint()) return;
    var note = J.findings.errorsNote('打印的报告');
    if (note) J.shell.showStatus(note);
    window.print();
  }

  /** Before any printing (the button or the browser's menu): lay the report out, off
   *  screen when the preview is closed; the print style sheet shows only it. False
   *  (and said why) when there is no report to print. */
  function preparePrint() {
    // The 汇总 prints itself (its own print style).
    if (J.review.shown()) {
      J.review.preparePrint();
      return false;
    }
    if (!J.core || J.engine.dead || !state.unit) return false;
    J.doc.commit();
    if (!state.preview) ui.preview.className = 'preview offscreen';
    if (state.previewOf === previewSource() || renderPreview()) return true;
    if (!state.preview) ui.preview.className = 'preview';
    return false;
  }

  function afterPrint() {
    J.review.afterPrint();
    if (state.preview) return;
    ui.preview.className = 'preview';
    clear(ui.preview);
    state.previewOf = '';
  }

  function previewSource() {
    return JSON.stringify(state.unit);
  }

  /** Lays the whole report out in the preview; false (and said why) when the core
   *  cannot make it. */
  function renderPreview() {
    var report;
    try {
      report = camelKeys(J.core.report(J.page.unitText(), null));
    } catch (err) {
      if (err.coreDead) return false;
      J.shell.showError('无法生成报告：' + reasonOf(err) + '。');
      return false;
    }
    clear(ui.preview);
    var summary = h('span');
    var sheets = h('div', { class: 'sheets' });
    ui.preview.appendChild(h('div', { class: 'preview-bar' }, [
      summary,
      button('打印', printReport, { class: 'primary' }),
      button('返回编辑', closePreview)
    ]));
    ui.preview.appendChild(sheets);
    var pages = layOutNarrative(report.narrative || [], sheets);
    var formPages = 0;
    (report.forms || []).forEach(function (form) {
      var holder = h('div', { class: 'form-sheets', 'data-testid': 'preview-form', 'data-caption': form.caption });
      sheets.appendChild(holder);
      formPages += J.sheets.layOut(form, holder, pages + formPages + 1);
    });
    summary.textContent = '按打印效果显示：自评工作总结 ' + pages + ' 页（A4 竖向），附表 ' +
      (report.forms || []).length + ' 张 ' + formPages + ' 页（A4 横向，跨页时表头在每页重复），页码连续。打印时只打印报告。';
    var errors = J.findings.errors();
    if (errors.length) {
      ui.preview.firstChild.insertBefore(h('span', { class: 'preview-errors', 'data-testid': 'preview-errors' }, [
        '核对中还有 ' + errors.length + ' 项错误，报告中相关的数字可能不对。',
        button('查看第一项', function () {
          closePreview();
          J.findings.gotoFinding(errors[0]);
        }, { 'data-testid': 'preview-first-error' })
      ]), summary.nextSibling);
    }
    state.previewOf = previewSource();
    return true;
  }

  /** One A4 page box: the text block and the page number. */
  function narrativePage(n) {
    var flow = h('div', { class: 'doc-flow' });
    var page = h('div', {
      class: 'sheet doc-page ' + (n % 2 ? 'odd' : 'even'), 'data-testid': 'preview-page', 'data-page': n
    }, [
      h('div', { class: 'doc-body' }, flow),
      // GB/T 9704: 4号宋体, a 一字线 each side; odd pages right, even pages left.
      h('div', { class: 'page-number', 'data-testid': 'page-number', text: '\u2014 ' + n + ' \u2014' })
    ]);
    return { page: page, flow: flow };
  }

  function blockNode(kind, text, prev, next, continued, closing) {
    var classes = ['doc-block', 'doc-' + kind];
    if (closing) classes.push('closing');
    if (kind === 'title' && (!next || next.kind !== 'title')) classes.push('last-title');
    if (kind === 'signature' && (!prev || prev.kind !== 'signature')) classes.push('first-signature');
    if (continued) classes.push('continued');
    return h('div', { class: classes.join(' '), text: text });
  }

  /**
   * The narrative into page boxes appended to `holder`; returns the number of pages.
   * A block goes on the current page when it fits (a heading only with room for a line
   * after it); otherwise as many of its characters as fit stay, cut where a line may
   * break, and the rest starts the next page without the first-line indent.
   */
  function layOutNarrative(blocks, holder) {
    var count = 0;
    var flow = null;
    var capacity = 0;
    var line = 0;
    function newPage() {
      var page = narrativePage(++count);
      holder.appendChild(page.page);
      flow = page.flow;
      if (!capacity) {
        capacity = flow.parentNode.getBoundingClientRect().height;
        line = capacity / PAGE_LINES;
      }
    }
    // Fractional heights: 22 lines are 225 mm give or take rounding.
    function fits(extra) {
      return flow.getBoundingClientRect().height + extra <= capacity + 0.5;
    }
    var closing = closingFrom(blocks);
    newPage();
    blocks.forEach(function (block, i) {
      var kind = BLOCK_KINDS.indexOf(block.kind) >= 0 ? block.kind : 'paragraph';
      var keep = KEEP_WITH_NEXT[kind] && i < blocks.length - 1 ? line : 0;
      var text = String(block.text || '');
      var continued = false;
      for (;;) {
        var node = blockNode(kind, text, blocks[i - 1], blocks[i + 1], continued, i >= closing);
        var long = text.length > PAGE_CHARS_MAX;
        if (long) node.textContent = text.slice(0, PAGE_CHARS_MAX);
        flow.appendChild(node);
        if (!long && fits(keep)) return;
        var alone = flow.firstChild === node;
        if (!alone && keep) { // a heading goes over with what it heads
          flow.removeChild(node);
          newPage();
          continue;
        }
        if (alone && !long && fits(0)) return; // a heading that fills a page on its own
        var cut = cutPoint(node, text, fits);
        if (cut >= text.length) { // (only if a page held more than PAGE_CHARS_MAX)
          node.textContent = text;
          return;
        }
        if (cut <= 0) {
          if (alone) { // not one character fits an empty page: leave it (never loops)
            node.textContent = text;
            return;
          }
          flow.removeChild(node);
          newPage();
          continue;
        }
        node.textContent = text.slice(0, cut);
        node.classList.add('cut');
        text = text.slice(cut);
        continued = true;
        newPage();
      }
    });
    if (count > 1) keepSignatureWithText(holder.lastChild, holder.lastChild.previousSibling, line, capacity);
    return count;
  }

  /** The first of the blocks that close the report: the signature (unit, date) and the
   *  附表 line(s) just before it. */
  function closingFrom(blocks) {
    var k = blocks.length;
    while (k > 0 && blocks[k - 1].kind === 'signature') k--;
    if (k === blocks.length) return k;
    while (k > 0 && blocks[k - 1].kind === 'paragraph' && /^附[表件]/.test(String(blocks[k - 1].text || ''))) k--;
    return k;
  }

  /**
   * GB/T 9704: the signature's page holds at least two lines of text besides it. When
   * the last page has fewer (say only the 附表 line and the signature), the last lines
   * of the page before move over, with a heading left last there.
   */
  function keepSignatureWithText(last, before, line, capacity) {
    var to = last.querySelector('.doc-flow');
    var from = before.querySelector('.doc-flow');
    var lines = function (node) { return Math.round(node.getBoundingClientRect().height / line); };
    var heading = function (node) { return /doc-(title|salutation|heading)/.test(node.className); };
    var body = function (node) { return !node.classList.contains('closing') && !heading(node); };
    var need = 2;
    Array.prototype.forEach.call(to.children, function (node) {
      if (body(node)) need -= lines(node);
    });
    if (!to.querySelector('.closing') || need <= 0 ||
        to.getBoundingClientRect().height + (need + 2) * line > capacity) return;
    while (from.lastChild && (need > 0 || heading(from.lastChild))) {
      var block = from.lastChild;
      var text = block.textContent;
      var count = lines(block);
      // The characters that stay on the page before.
      var cut = 0;
      if (body(block) && count > need) {
        cut = cutPoint(block, text, function () { return lines(block) <= count - need; });
        block.textContent = text;
        if (cut >= text.length) cut = 0;
      }
      // The page keeps a block.
      if (!cut && from.children.length < 2) return;
      var first = to.firstChild;
      if (block.classList.contains('cut') && first && first.classList.contains('continued')) {
        first.textContent = text.slice(cut) + first.textContent;
        if (!cut) first.className = block.className.replace(/ cut\b/, '');
        if (!cut) from.removeChild(block);
      } else if (cut) {
        var rest = h('div', { class: block.className, text: text.slice(cut) });
        rest.classList.add('continued');
        to.insertBefore(rest, first);
      } else {
        to.insertBefore(block, first);
      }
      if (cut) {
        block.textContent = text.slice(0, cut);
        block.classList.add('cut');
      }
      if (body(block)) need -= cut ? need : count;
    }
  }

  /** The most characters of `text` that fit on the page (binary search), moved back to
   *  a place where a line may break: not inside a run of Latin letters or digits, not
   *  before closing or after opening punctuation, not inside a surrogate pair. */
  function cutPoint(node, text, fits) {
    // The window grows from 1024 characters until it no longer fits, so that a long
    // block is never laid out whole at each step.
    var lo = 0;
    var hi = Math.min(text.length, 1024);
    for (;;) {
      node.textContent = text.slice(0, hi);
      if (!fits(0)) break;
      lo = hi;
      if (hi >= text.length) return lo;
      hi = Math.min(text.length, hi * 2);
    }
    while (hi - lo > 1) {
      var mid = (lo + hi) >> 1;
      node.textContent = text.slice(0, mid);
      if (fits(0)) lo = mid;
      else hi = mid;
    }
    var k = lo;
    while (k > 0 && !mayBreak(text, k)) k--;
    return k > 0 ? k : lo;
  }

  function mayBreak(text, k) {
    var before = text.charAt(k - 1);
    var after = text.charAt(k);
    if (/[\uD800-\uDBFF]/.test(before)) return false;
    if (NO_LINE_START.indexOf(after) >= 0 || NO_LINE_END.indexOf(before) >= 0) return false;
    return !(/[0-9A-Za-z.\-]/.test(before) && /[0-9A-Za-z.%\-]/.test(after));
  }

  J.preview = {
    togglePreview: togglePreview,
    openPreview: openPreview,
    closePreview: closePreview,
    printReport: printReport,
    preparePrint: preparePrint,
    afterPrint: afterPrint,
    renderPreview: renderPreview
  };
})(window.jixiaoApp = window.jixiaoApp || {});
