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
   * pages are cut here, by measuring. Every word and figure is the core's text.
   * A long report (5,000 projects, a paragraph of a million characters) is laid out a
   * slice at a time, its progress in the preview's bar with 取消; beyond MAX_PAGES it is
   * not laid out at all, and the preview says so. */

  var PAGE_LINES = 22;
  var LINE_CHARS = 28;
  /** More characters than any page holds (22 lines of the narrowest Latin letters): a
   *  longer block is not laid out whole just to find that it does not fit. */
  var PAGE_CHARS_MAX = 8192;
  /** Blocks that stay on the page of the line after them. */
  var KEEP_WITH_NEXT = { title: true, salutation: true, heading1: true, heading2: true, heading3: true };
  var BLOCK_KINDS = ['title', 'salutation', 'heading1', 'heading2', 'heading3', 'paragraph', 'signature'];
  /** No line starts with these (closing punctuation), none ends with the opening ones. */
  var NO_LINE_START = '，。、；：？！”’）》」』】〕…—·％%,.;:?!)]}';
  var NO_LINE_END = '“‘（《「『【〔([{';

  /** Work done between two frames while a report is laid out (ms), and before the
   *  first frame. A report of up to SMALL_PAGES pages (the seed's 23) is laid out at
   *  once, whole, however long that takes. */
  var SLICE_MS = 40;
  var FIRST_MS = 100;
  var SMALL_PAGES = 40;
  /** Pages in a part of the preview (see renderPreview). */
  var PART_PAGES = 50;
  /** What the browser's own print (Ctrl+P: beforeprint cannot wait) lays out at most. */
  var SYNC_MS = 1000;
  /** A unit this long (characters of JSON) is said to be reported on before the core's
   *  report call, which takes seconds. */
  var BIG_UNIT = 1000000;
  /** The most pages the page lays out (see pagesOf): 5,000 projects take 10,913 and
   *  about 2 GB of the browser's memory (BENCHMARKS.md). */
  var MAX_PAGES = 12000;
  /** The most forms whose .docx the core makes in the page: 7,000 projects' took 3.2 GB
   *  of its memory, 9,000 projects' more than the 4 GB it may have (BENCHMARKS.md). */
  var WORD_FORMS = 7001; // 7,000 projects and the unit

  /** The layout under way or done: { source (the unit's JSON), step, flush, finish,
   *  start, done, failed, cancelled, large (why not laid out), then (after it), said }. */
  var job = null;
  var printing = window.matchMedia('print');

  function togglePreview() {
    if (state.preview) closePreview();
    else openPreview();
  }

  /** The preview on screen in place of the editing columns (its content as it is). */
  function showPreview() {
    state.preview = true;
    ui.preview.className = 'preview open';
    ui.body.hidden = true;
    ui.previewButton.textContent = '返回编辑';
    ui.previewButton.setAttribute('aria-pressed', 'true');
  }

  function openPreview() {
    J.doc.commit();
    // Shown before it is laid out: the pages are cut by measuring them.
    showPreview();
    if (!renderPreview()) {
      closePreview();
      return;
    }
    ui.preview.scrollTop = 0;
  }

  function closePreview() {
    stopLayout();
    state.preview = false;
    ui.preview.className = 'preview';
    clear(ui.preview);
    ui.body.hidden = false;
    ui.previewButton.textContent = '预览报告';
    ui.previewButton.setAttribute('aria-pressed', 'false');
  }

  function stopLayout() {
    if (job) {
      job.cancelled = true;
      clearTimeout(job.timer);
    }
    job = null;
  }

  /** The layout of the unit as it is now, if one was started (done or not). */
  function currentJob() {
    return job && job.source === previewSource() ? job : null;
  }

  /** The 打印 button: prints once the report is laid out. A report that takes longer than
   *  a moment is laid out in the preview, its progress shown, and printed when done. */
  function printReport() {
    if (J.review.shown() || !J.core || J.engine.dead || !state.unit) return;
    J.doc.commit();
    var current = currentJob();
    if (!current) {
      if (!state.preview) ui.preview.className = 'preview offscreen';
      if (!renderPreview(FIRST_MS)) {
        if (!state.preview) ui.preview.className = 'preview';
        return;
      }
      current = job;
    }
    if (current.done) {
      printNow(current);
      return;
    }
    if (!state.preview) showPreview();
    current.then = printNow;
    J.shell.showStatus('报告较长，正在排版；排完后自动打开打印窗口。');
  }

  function printNow(done) {
    if (done.large) {
      J.shell.showError(done.large);
      return;
    }
    var note = J.findings.errorsNote('打印的报告');
    if (note) J.shell.showStatus(note);
    window.print();
  }

  /** Before any printing (the button or the browser's menu): lay the report out, off
   *  screen when the preview is closed; the print style sheet shows only it. The
   *  browser's own print (Ctrl+P) cannot wait: what is not laid out within SYNC_MS is
   *  not printed half — the printout is a page saying so, and the preview opens with
   *  the progress so that 打印 prints it when done. False when there is no report. */
  function preparePrint() {
    // The 汇总 prints itself (its own print style).
    if (J.review.shown()) {
      J.review.preparePrint();
      return false;
    }
    if (!J.core || J.engine.dead || !state.unit) return false;
    J.doc.commit();
    var current = currentJob();
    if (!current) {
      if (!state.preview) ui.preview.className = 'preview offscreen';
      if (!renderPreview(SYNC_MS, true)) {
        if (!state.preview) ui.preview.className = 'preview';
        return false;
      }
      current = job;
    } else if (!current.done) {
      clearTimeout(current.timer);
      if (!current.step) current.start(SYNC_MS);
      else if (!runSlice(current, SYNC_MS)) schedule(current);
    }
    if (current.done) return !current.failed;
    current.note.textContent = '报告还在排版（' + current.said + '），这次打印不出完整的报告。请关闭打印窗口，' +
      '等页面上的排版完成后点击“打印”按钮。';
    if (!state.preview) showPreview();
    ui.preview.classList.add('unready');
    return false;
  }

  function afterPrint() {
    J.review.afterPrint();
    ui.preview.classList.remove('unready');
    if (state.preview) return;
    stopLayout();
    ui.preview.className = 'preview';
    clear(ui.preview);
  }

  function previewSource() {
    return JSON.stringify(state.unit);
  }

  /** Starts laying the whole report out in the preview (the first `first` ms at once,
   *  the rest in slices, a progress line with 取消 meanwhile); false (and said why) when
   *  the core cannot make it. */
  function renderPreview(first, sync) {
    stopLayout();
    var source = previewSource();
    var text = J.page.unitText();
    clear(ui.preview);
    var summary = h('span', { 'data-testid': 'preview-summary' });
    var cancel = button('取消', function () {
      closePreview();
      J.shell.showStatus('已取消排版，回到编辑；单位的数据没有改变。');
    }, { 'data-testid': 'preview-cancel' });
    var sheets = h('div', { class: 'sheets' });
    // Pages are cut here, in a box of their own, and join the others a slice at a time.
    var bench = h('div', { class: 'preview-bench', 'aria-hidden': 'true' });
    var note = h('div', { class: 'preview-note', 'data-testid': 'preview-note' });
    var print = button('打印', printReport, { class: 'primary' });
    ui.preview.appendChild(h('div', { class: 'preview-bar' }, [
      summary,
      cancel,
      print,
      button('返回编辑', closePreview)
    ]));
    ui.preview.appendChild(note);
    ui.preview.appendChild(sheets);
    ui.preview.appendChild(bench);
    var j = job = { source: source, timer: 0, note: note, summary: summary, said: '正在生成报告……', start: start };
    if (sync || text.length < BIG_UNIT) return start(first);
    // A large unit: the core takes seconds; the line says so first (drawn before it).
    summary.textContent = j.said;
    requestAnimationFrame(function () {
      j.timer = setTimeout(function () {
        if (j === job && !j.step && !j.done) start(first);
      }, 0);
    });
    return true;

    function start(ms) {
      var report;
      try {
        report = camelKeys(J.core.report(text, null));
      } catch (err) {
        j.failed = j.done = true;
        closePreview();
        if (!err.coreDead) J.shell.showError('无法生成报告：' + reasonOf(err) + '。单位的数据没有改变。');
        return false;
      }
      var pages = pagesOf(report);
      var word = wordFits(pages.forms);
      var large = pages.total > MAX_PAGES ? '报告约 ' + pages.total + ' 页（自评工作总结约 ' + pages.narrative +
        ' 页，附表 ' + pages.forms + ' 张），超过页面能显示的 ' + MAX_PAGES + ' 页，不在页面中显示，也不能从页面打印：' +
        (word ? '请用“导出Word”或“导出Excel”，在 Word、WPS 或 Excel 中查看和打印。'
          : '请用“导出Excel”，在 Excel 或 WPS 中查看和打印附表（附表这么多时，Word 文件所需的内存超过浏览器给页面的）。') +
        '单位的数据没有改变。' : '';
      if (large) {
        j.large = large;
        note.textContent = large;
        note.appendChild(h('p', null, [
          word ? button('导出Word', function () { J.files.exportReport('docx'); }) : null,
          ' ',
          button('导出Excel', function () { J.files.exportReport('xlsx'); })
        ]));
        ui.preview.classList.add('large');
        summary.textContent = '报告太大，不在页面中显示。';
        cancel.remove();
        print.remove();
        laidOut(j);
        return true;
      }
      lay(report);
      if (!runSlice(j, pages.total <= SMALL_PAGES ? Infinity : ms || FIRST_MS)) schedule(j);
      return !j.failed;
    }

    function lay(report) {
      var forms = report.forms || [];
      // The pages join the preview in parts of about PART_PAGES pages, each sized by its
      // pages' heights: a part off screen is then not laid out nor drawn (thousands of
      // pages scroll, and the next slice's pages cost the page nothing).
      var queued = [];
      var part = null;
      var partPages = 0;
      var partHeight = 0;
      function queue(parent, node) {
        queued.push(parent, node);
      }
      var margin = -1;
      function newPart() {
        if (part && partPages < PART_PAGES) return;
        part = h('div', { class: 'sheets-part' });
        queue(sheets, part);
        partPages = partHeight = 0;
      }
      /** A page box cut in the bench into its part (a narrative page) or form holder. */
      var narrativeSize = null; // every narrative page box's: A4
      function place(box, holder) {
        if (!holder) newPart();
        // A form page was measured last (it is laid out); a narrative page is measured once.
        var rect = holder ? box.getBoundingClientRect() : narrativeSize || (narrativeSize = box.getBoundingClientRect());
        if (margin < 0) margin = parseFloat(getComputedStyle(box).marginBottom) || 0;
        partPages++;
        partHeight += rect.height + margin;
        sizes.push(part, rect.width + 'px ' + partHeight + 'px');
        queue(holder || part, bench.removeChild(box));
      }
      var narrative = narrativeSteps(report.narrative || [], bench, place);
      var f = -1;
      var next = null;
      var holder = null;
      var formPages = 0;
      j.step = function () {
        if (!narrative.done) {
          narrative.step();
          j.said = '正在排版自评工作总结……已排 ' + narrative.count + ' 页';
          return false;
        }
        if (!next) {
          if (++f >= forms.length) return true;
          holder = h('div', { class: 'form-sheets', 'data-testid': 'preview-form', 'data-caption': forms[f].caption });
          newPart();
          queue(part, holder);
          next = J.sheets.pages(forms[f], narrative.count + formPages + 1);
          j.said = '正在排版：第 ' + (f + 1) + ' / ' + forms.length + ' 张附表……';
        }
        var box = next(bench);
        if (box) {
          place(box, holder);
          formPages++;
        } else next = null;
        return false;
      };
      var sizes = []; // part, its size: set when the slice is done (nothing measures after)
      j.flush = function () {
        var i;
        for (i = 0; i < sizes.length; i += 2) sizes[i].style.containIntrinsicSize = sizes[i + 1];
        for (i = 0; i < queued.length; i += 2) queued[i].appendChild(queued[i + 1]);
        queued = [];
        sizes = [];
      };
      j.finish = function () {
        cancel.remove();
        clear(bench);
        summary.textContent = '按打印效果显示：自评工作总结 ' + narrative.count + ' 页（A4 竖向），附表 ' +
          forms.length + ' 张 ' + formPages + ' 页（A4 横向，跨页时表头在每页重复），页码连续。打印时只打印报告。';
        var errors = J.findings.errors();
        if (errors.length) {
          summary.parentNode.insertBefore(h('span', { class: 'preview-errors', 'data-testid': 'preview-errors' }, [
            '核对中还有 ' + errors.length + ' 项错误，报告中相关的数字可能不对。',
            button('查看第一项', function () {
              closePreview();
              J.findings.gotoFinding(errors[0]);
            }, { 'data-testid': 'preview-first-error' })
          ]), summary.nextSibling);
        }
      };
    }
  }

  /** The pages of a report, estimated: the narrative's lines of 28 characters, 22 a
   *  page, and a page a form (most take one). */
  function pagesOf(report) {
    var lines = 0;
    (report.narrative || []).forEach(function (block) {
      lines += Math.ceil(String(block.text || '').length / LINE_CHARS) || 1;
    });
    var pages = { narrative: Math.ceil(lines / PAGE_LINES), forms: (report.forms || []).length };
    pages.total = pages.narrative + pages.forms;
    return pages;
  }

  /** Lays out for `ms` (at least one step); true when the report is done. */
  function runSlice(j, ms) {
    var until = Date.now() + ms;
    var done = false;
    try {
      while (!(done = j.step()) && Date.now() < until) { /* next step */ }
    } catch (err) {
      j.failed = j.done = true;
      closePreview();
      J.shell.showError('无法排版报告：' + reasonOf(err) + '。单位的数据没有改变。');
      return true;
    }
    j.flush();
    if (!done) {
      j.summary.textContent = j.said;
      return false;
    }
    j.finish();
    laidOut(j);
    return true;
  }

  function laidOut(j) {
    j.done = true;
    var then = j.then;
    j.then = null;
    if (then) then(j);
  }

  /** The next slice after the page has drawn the last and taken a click (取消); none
   *  while the page is laid out for printing (the bench is not then, nothing measures). */
  function schedule(j) {
    j.timer = setTimeout(function () {
      if (j.cancelled || j !== job) return;
      if (printing.matches) schedule(j);
      else if (!runSlice(j, SLICE_MS)) schedule(j);
    }, printing.matches ? 200 : 0);
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
   * The narrative cut into page boxes, a step at a time: step() lays out the next block
   * or, of a long one, the next page; `done` is true after the last. The page being
   * filled and the one before are measured in `bench`; a page before them is complete
   * and goes to `out`. A block goes on the current page when it fits (a heading only
   * with room for a line after it); otherwise as many of its characters as fit stay,
   * cut where a line may break, and the rest starts the next page without the
   * first-line indent.
   */
  function narrativeSteps(blocks, bench, out) {
    var steps = { count: 0, done: false };
    var kept = []; // the pages in the bench
    var flow = null;
    var capacity = 0;
    var line = 0;
    function newPage() {
      var page = narrativePage(++steps.count);
      bench.appendChild(page.page);
      kept.push(page.page);
      if (kept.length > 2) out(kept.shift());
      flow = page.flow;
      if (!capacity) {
        capacity = flow.parentNode.getBoundingClientRect().height;
        line = capacity / PAGE_LINES;
      }
    }
    function height() {
      return flow.getBoundingClientRect().height;
    }
    // Fractional heights: 22 lines are 225 mm give or take rounding.
    function fits(extra) {
      return height() + extra <= capacity + 0.5;
    }
    var closing = closingFrom(blocks);
    var i = 0; // the block laid out next
    var text = null; // what is left of it
    var continued = false;
    var perLine = LINE_CHARS;
    newPage();
    steps.step = function () {
      if (i >= blocks.length) {
        if (steps.count > 1) keepSignatureWithText(kept[1], kept[0], line, capacity);
        kept.forEach(function (page) { out(page); });
        steps.done = true;
        return;
      }
      var block = blocks[i];
      var kind = BLOCK_KINDS.indexOf(block.kind) >= 0 ? block.kind : 'paragraph';
      var keep = KEEP_WITH_NEXT[kind] && i < blocks.length - 1 ? line : 0;
      if (text === null) {
        text = String(block.text || '');
        continued = false;
      }
      var used = flow.firstChild ? height() : 0; // laid out already (measured by the step before)
      var long = text.length > PAGE_CHARS_MAX;
      var node = blockNode(kind, long ? text.slice(0, PAGE_CHARS_MAX) : text, blocks[i - 1], blocks[i + 1],
        continued, i >= closing);
      flow.appendChild(node);
      var alone = flow.firstChild === node;
      if (!long && fits(keep)) return nextBlock();
      if (!alone && keep) { // a heading goes over with what it heads
        flow.removeChild(node);
        return newPage();
      }
      if (alone && !long && fits(0)) return nextBlock(); // a heading that fills a page on its own
      // Where the search starts: one more than the characters the lines left hold, as
      // many a line as on the block's page before, else 28 (full-width): one too many
      // shows where the page ends.
      // (Nothing is laid out for it: a long block's first PAGE_CHARS_MAX characters never are.)
      var lines = Math.floor((capacity - used + 0.5) / line);
      var indent = continued ? 0 : 2;
      var cut = cutPoint(node, text, fits, Math.max(1, Math.round(lines * perLine) - indent + 1), function () {
        return flow.getBoundingClientRect().top + capacity + 0.5;
      });
      if (lines > 0) perLine = (fitted + indent) / lines;
      if (cut >= text.length) { // (only if a page held more than PAGE_CHARS_MAX)
        node.textContent = text;
        return nextBlock();
      }
      if (cut <= 0) {
        if (alone) { // not one character fits an empty page: leave it (never loops)
          node.textContent = text;
          return nextBlock();
        }
        flow.removeChild(node);
        return newPage();
      }
      node.textContent = text.slice(0, cut);
      node.classList.add('cut');
      text = text.slice(cut);
      continued = true;
      newPage();
    };
    function nextBlock() {
      i++;
      text = null;
      perLine = LINE_CHARS;
    }
    return steps;
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

  /** The most characters of `text` that fit on the page, moved back to a place where
   *  a line may break: not inside a run of Latin letters or digits, not before closing
   *  or after opening punctuation, not inside a surrogate pair. The search starts at
   *  `guess` (else 1024 characters); when that is too many, at the characters above the
   *  page's bottom (client y, from `bottom()`) as laid out; from there up by steps that double (from
   *  one character, or down when even that is too many), then halving the difference: a
   *  long block is never laid out whole, and a page is measured a few times only. */
  var fitted = 0; // what fitted, before the cut moved back (cutPoint)
  function cutPoint(node, text, fits, guess, bottom) {
    function fitsUpTo(k) {
      node.textContent = text.slice(0, k);
      return fits(0);
    }
    var lo = 0; // fits (nothing always does)
    var hi = text.length + 1; // does not fit
    var k = Math.min(text.length, guess || 1024);
    var step = guess ? 1 : k;
    var up = true;
    if (fitsUpTo(k)) lo = k;
    else {
      hi = k;
      k = bottom ? charsAbove(node.firstChild, bottom()) : 0;
      if (k > 0 && k < hi && fitsUpTo(k)) lo = k;
      else {
        if (k > 0 && k < hi) hi = k;
        up = false;
        for (; hi - step > 0; hi = k, step *= 2) {
          k = hi - step;
          if (fitsUpTo(k)) {
            lo = k;
            break;
          }
        }
      }
    }
    while (hi - lo > 1 && !settled()) {
      k = up ? Math.min(lo + step, hi - 1) : (lo + hi) >> 1;
      if (fitsUpTo(k)) {
        lo = k;
        step *= 2;
      } else {
        hi = k;
        up = false;
      }
    }
    fitted = lo;
    if (lo >= text.length) return lo;
    var b = breakBefore(lo);
    return b > 0 ? b : lo;

    function breakBefore(at) {
      while (at > 0 && !mayBreak(text, at)) at--;
      return at;
    }
    /** The cut is the same wherever in [lo, hi) the most that fits is: no place to
     *  break after lo (nor the end), one before it. */
    function settled() {
      for (var p = lo + 1; p < hi; p++) if (p >= text.length || mayBreak(text, p)) return false;
      return breakBefore(lo) > 0;
    }
  }

  /** How many of a text node's first characters are laid out above `bottom`. */
  function charsAbove(textNode, bottom) {
    var range = document.createRange();
    var lo = 0;
    var hi = textNode ? textNode.length : 0;
    while (lo < hi) {
      var mid = (lo + hi) >> 1;
      range.setStart(textNode, mid);
      range.setEnd(textNode, mid + 1);
      if (range.getBoundingClientRect().bottom <= bottom) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }

  function mayBreak(text, k) {
    var before = text.charAt(k - 1);
    var after = text.charAt(k);
    if (/[\uD800-\uDBFF]/.test(before)) return false;
    if (NO_LINE_START.indexOf(after) >= 0 || NO_LINE_END.indexOf(before) >= 0) return false;
    return !(/[0-9A-Za-z.\-]/.test(before) && /[0-9A-Za-z.%\-]/.test(after));
  }

  /** Whether the core can make the .docx of a report with this many forms in the page. */
  function wordFits(forms) {
    return forms <= J.preview.wordForms;
  }

  J.preview = {
    wordForms: WORD_FORMS, // a test lowers it to see the message without 7,000 projects
    wordFits: wordFits,
    togglePreview: togglePreview,
    openPreview: openPreview,
    closePreview: closePreview,
    printReport: printReport,
    preparePrint: preparePrint,
    afterPrint: afterPrint,
    renderPreview: renderPreview
  };
})(window.jixiaoApp = window.jixiaoApp || {});
