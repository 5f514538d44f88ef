/* Jixiao page · recovery: the working copy of every document in the browser, and what
 * the page offers back.
 *
 * - Every edit reaches the document's own record in the recovery store (store.js)
 *   within AUTOSAVE_MS, however long the typing goes on; earlier versions are kept.
 * - Opening a file offers the unsaved work of that document (and of documents begun
 *   in this same file), never another document's; documents being edited in another
 *   tab are not offered.
 * - Replacing the open document (新建, 打开, drop, 恢复) keeps its unsaved work in the
 *   store and says how to get it back.
 * - 文档恢复 lists every document in the browser with its versions, like Word's.
 * - A second tab of a document shows it read-only and may take the editing over. */
(function (J) {
  'use strict';

  var U = J.util;
  var ui = J.ui;
  var h = U.h, button = U.button, clear = U.clear;

  var AUTOSAVE_MS = 500;
  var VERSION_EVERY_MS = 10 * 60 * 1000; // an earlier version kept every ten minutes of work
  var PENDING_PREFIX = 'jixiao-pending:'; // written synchronously as the page goes away

  var timer = 0;
  var chain = Promise.resolve(); // writes one after the other, in order
  var lastVersion = {}; // docId → time of its last kept version
  var writtenState = {}; // docId → the document state last written
  var adopted = {}; // docId → this page opened its stored working copy
  var offering = Promise.resolve(); // the offer being prepared
  var offerCount = 0; // offers asked for: only the latest one is shown
  var OFFER_RETRIES = 2; // a store that fails to answer (just after a crash) is asked again

  function pageFile() {
    try {
      return decodeURIComponent(location.pathname.split('/').pop()) || '绩效自评';
    } catch (err) {
      return location.pathname.split('/').pop();
    }
  }

  /** How a record names where the document was edited: the page's file and the file
   *  the document was opened from. */
  function fileLabel() {
    return J.doc.origin && J.doc.origin !== pageFile() ? J.doc.origin + '（在 ' + pageFile() + ' 中）' : pageFile();
  }

  function meta() {
    var u = J.doc.unit;
    return {
      name: u.name || '', year: J.page.year(), file: fileLabel(), page: location.href,
      dirty: J.doc.isDirty() || J.engine.dead, unconfirmed: J.doc.isUnconfirmed(), dismissed: false
    };
  }

  /* --------------------------------------------------------------- writing -- */

  /** At most AUTOSAVE_MS after the first edit not yet written (a timer already running
   *  is not pushed back by more typing). */
  function schedule() {
    if (timer || J.doc.readOnly) return;
    timer = setTimeout(writeNow, AUTOSAVE_MS);
  }

  /** Writes the open document's state now. Resolves true once it is in the store. */
  function writeNow(opts) {
    clearTimeout(timer);
    timer = 0;
    if (!J.doc.unit || J.doc.readOnly) return Promise.resolve(false);
    if (!J.engine.dead) J.doc.commit();
    if (untouched()) return Promise.resolve(true);
    var docId = J.doc.id;
    var text = JSON.stringify(J.doc.unit);
    var m = meta();
    var now = Date.now();
    var version = opts && opts.version;
    if (!version && m.dirty && now - (lastVersion[docId] || 0) > VERSION_EVERY_MS) version = '定时保存';
    if (version) lastVersion[docId] = now;
    var state = J.doc.stateId;
    var write = chain.then(function () {
      // The first write here over unsaved work this page did not open (an offer
      // declined or not taken) keeps that work as a version.
      return J.store.write(docId, m, text, { version: version, keepPrevious: writtenState[docId] === undefined && !adopted[docId] });
    }).then(function () {
      writtenState[docId] = state;
      if (ui.storageWarning) ui.storageWarning.hidden = true;
      J.tabs.changed(docId);
      return true;
    }, function (err) {
      if (window.console) console.warn('autosave failed', err);
      if (ui.storageWarning) ui.storageWarning.hidden = false;
      return false;
    });
    chain = write;
    return write;
  }

  /** Resolves true once nothing of the open document is waiting to reach the store: no
   *  autosave pending, every write begun has landed (the open document's latest state,
   *  unless it is as in its file), and the offer under way is shown. A test kills the
   *  browser on this, not on a guess of how long the writes take. */
  function settled() {
    return Promise.all([chain, offering]).then(function () {
      if (timer) return false;
      return !J.doc.unit || J.doc.readOnly || !J.doc.isDirty() || writtenState[J.doc.id] === J.doc.stateId;
    });
  }

  /** A document as it is in its file, never written to the store: nothing to keep
   *  (hiding or closing the page writes no record for it). */
  function untouched() {
    return writtenState[J.doc.id] === undefined && !J.doc.isDirty() && !J.engine.dead;
  }

  /** The page goes away (closed, reloaded): an IndexedDB write begun now may not
   *  finish, so edits not yet written also go to localStorage, synchronously, and
   *  move into the store at the next start. */
  function flushOnExit() {
    if (!J.doc.unit || J.doc.readOnly) return;
    if (untouched()) return;
    var unwritten = timer || writtenState[J.doc.id] !== J.doc.stateId;
    if (!unwritten) return;
    if (!J.engine.dead) J.doc.commit();
    try {
      var m = meta();
      m.docId = J.doc.id;
      m.time = new Date().toISOString();
      window.localStorage.setItem(PENDING_PREFIX + J.doc.id, JSON.stringify({ meta: m, unit: J.doc.unit }));
    } catch (err) { /* too large for localStorage: the store has the last write */ }
    writeNow();
  }

  /** Copies left by flushOnExit (and the single copy of earlier builds) into the store. */
  function adoptPending() {
    var keys = [];
    try {
      for (var i = 0; i < window.localStorage.length; i++) {
        var key = window.localStorage.key(i);
        if (key && key.indexOf(PENDING_PREFIX) === 0) keys.push(key);
      }
    } catch (err) {
      return J.store.migrateLegacy(J.doc.newId).catch(function () {});
    }
    var work = keys.map(function (key) {
      var saved;
      try {
        saved = JSON.parse(window.localStorage.getItem(key));
      } catch (err) {
        return Promise.resolve();
      }
      if (!saved || !saved.meta || !saved.unit) return Promise.resolve();
      var m = saved.meta;
      return J.store.get(m.docId).then(function (rec) {
        if (rec && rec.time >= m.time) return null;
        return J.store.write(m.docId, {
          name: m.name, year: m.year, file: m.file, page: m.page, dirty: m.dirty, unconfirmed: m.unconfirmed
        }, JSON.stringify(saved.unit));
      }).then(function () { window.localStorage.removeItem(key); });
    });
    work.push(J.store.migrateLegacy(J.doc.newId));
    return Promise.all(work).catch(function (err) {
      if (window.console) console.warn('pending copies not adopted', err);
    });
  }

  /** A confirmed save: the record is clean (and remembers the file written, when the
   *  page wrote it itself). A download: the record stays unsaved, marked unconfirmed. */
  function saved(handle) {
    var m = meta();
    if (handle) m.handle = handle;
    return chain.then(function () {
      return J.store.write(J.doc.id, m, JSON.stringify(J.doc.unit));
    }).then(function () {
      writtenState[J.doc.id] = J.doc.stateId;
    }, function () {});
  }

  function rememberedHandle() {
    return J.store.get(J.doc.id).then(function (rec) { return rec ? rec.handle || null : null; }, function () { return null; });
  }

  /* ------------------------------------------------------ opening documents -- */

  /** The unit of a stored text, read by the core; null when it cannot be read. */
  function unitOf(text) {
    try {
      return J.core.fromJson(text);
    } catch (err) {
      return null;
    }
  }

  function sameContent(a, b) {
    try {
      return J.core.toJson(a) === J.core.toJson(b);
    } catch (err) {
      return false;
    }
  }

  /**
   * Makes `unit` the open document. The document open until now keeps its state in
   * the store (with a version, when it has unsaved work), and the page says how to get
   * it back. opts: as J.doc.load, and message (the status line after).
   * Resolves once the new document is shown.
   */
  function replaceDocument(unit, opts) {
    opts = opts || {};
    var before = J.doc.unit ? { id: J.doc.id, label: J.shell.unitLabel(), dirty: J.doc.isDirty() && !J.doc.readOnly } : null;
    var kept = before && before.dirty ? writeNow({ version: '被替换前' }) : Promise.resolve(true);
    J.doc.load(unit, opts);
    J.doc.readOnly = false;
    ui.lockBanner.hidden = true;
    ui.recoveryBanner.hidden = true;
    J.page.showDocument();
    if (opts.dirty) schedule();
    if (opts.message) J.shell.showStatus(opts.message);
    if (before && before.dirty) {
      kept.then(function (ok) { showReplaced(before, ok); });
    } else {
      ui.replacedBanner.hidden = true;
    }
    // The replaced document is named by its own notice, not offered again above it.
    return claimOpen().then(function () { return offer(false, before && before.dirty ? before.id : null); });
  }

  function showReplaced(before, ok) {
    clear(ui.replacedBanner);
    ui.replacedBanner.hidden = false;
    U.appendAll(ui.replacedBanner, [
      h('span', {
        text: ok
          ? '原来打开的“' + before.label + '”有未保存的修改，已保留在本浏览器中（“文档恢复”中可随时找回）。'
          : '原来打开的“' + before.label + '”有未保存的修改，但没能保存到浏览器。'
      }),
      ok ? button('回到“' + before.label + '”', function () { reopen(before.id); },
        { 'data-testid': 'restore-replaced', class: 'primary' }) : null,
      button('关闭', function () { ui.replacedBanner.hidden = true; })
    ]);
  }

  /** Opens a stored document (its working copy, or a version's key). */
  function reopen(docId, key) {
    return J.store.get(docId).then(function (rec) {
      return J.store.text(key || 'cur:' + docId).then(function (text) {
        var unit = text ? unitOf(text) : null;
        if (!unit) {
          J.shell.showError('无法打开保存在浏览器中的这份工作（数据已损坏）。');
          return null;
        }
        unit.documentId = docId;
        if (!key) adopted[docId] = true;
        return J.tabs.editedElsewhere().then(function (busy) {
          if (busy[docId]) {
            J.shell.showError('“' + (rec && rec.name || '未命名单位') + '”正在另一个标签页中编辑，请切换到那个标签页。');
            return null;
          }
          // Opened again on purpose: a 不恢复 said of it before no longer holds.
          if (rec && rec.dismissed) J.store.update(docId, { dismissed: false }).catch(function () {});
          return replaceDocument(unit, {
            origin: rec ? rec.file : '', dirty: rec ? rec.dirty || !!key : true,
            message: '已恢复“' + (unit.name || '未命名单位') + '”' + (rec ? '（' + U.formatTime(rec.time) + '）' : '') + '。请记得保存。'
          });
        });
      });
    });
  }

  /* ---------------------------------------------------------------- offer -- */

  /**
   * Offers the unsaved work of this document and of documents begun in this same file
   * (not those open in another tab, not one that holds what is open now).
   * evenIfSaved: the file's own data was unreadable, so any copy is worth offering.
   * except: a document not to offer (the one just replaced, which its notice names).
   */
  function offer(evenIfSaved, except) {
    var seq = ++offerCount;
    var run = offerOnce(evenIfSaved, except, seq, 0);
    offering = run;
    return run;
  }

  function offerOnce(evenIfSaved, except, seq, attempt) {
    return Promise.all([J.store.list(), J.tabs.editedElsewhere()]).then(function (got) {
      var records = got[0];
      var busy = got[1];
      var mine = records.filter(function (r) {
        if (busy[r.docId] || r.docId === except) return false;
        // The file's own data is unreadable: which document it held is unknown, so the
        // latest documents of this browser are offered, each named with its file.
        if (evenIfSaved) return true;
        if (!r.dirty || r.dismissed) return false;
        return r.docId === J.doc.id || r.page === location.href;
      }).slice(0, evenIfSaved ? 5 : undefined);
      return Promise.all(mine.map(function (r) {
        // One text that cannot be read costs its own offer, not the others'.
        return J.store.text('cur:' + r.docId).then(function (text) { return { rec: r, text: text }; },
          function () { return { rec: r, text: null }; });
      }));
    }).then(function (found) {
      if (seq !== offerCount) return; // a later offer (another document opened) answers instead
      var current = J.page.unitText();
      var offers = found.filter(function (f) {
        if (!f.text) return false;
        if (sameContent(f.text, current)) {
          // What is open is that work (a download reopened): it is saved after all.
          if (f.rec.docId === J.doc.id && f.rec.dirty && !J.doc.isDirty()) J.store.update(f.rec.docId, { dirty: false, unconfirmed: false }).catch(function () {});
          return false;
        }
        return true;
      });
      showOffers(offers);
    }).catch(function (err) {
      if (window.console) console.warn('recovery offer failed', err);
      // The store did not answer (say, still recovering after the browser was killed):
      // asked again, so that unsaved work is not left unoffered for this visit.
      if (seq !== offerCount || attempt >= OFFER_RETRIES) return undefined;
      return new Promise(function (resolve) { setTimeout(resolve, 300 * (attempt + 1)); }).then(function () {
        return seq === offerCount ? offerOnce(evenIfSaved, except, seq, attempt + 1) : undefined;
      });
    });
  }

  function describe(rec) {
    var name = rec.name ? '“' + rec.name + '”' : '未命名单位';
    return name + (rec.year ? ' ' + rec.year + '年度' : '') + '，' + (rec.file || '来源不详') + '，' + U.formatTime(rec.time);
  }

  function showOffers(offers) {
    clear(ui.recoveryBanner);
    if (!offers.length) {
      ui.recoveryBanner.hidden = true;
      return;
    }
    ui.recoveryBanner.hidden = false;
    ui.recoveryBanner.appendChild(h('span', { text: '发现未保存的工作：' }));
    var list = h('ul', { class: 'recovery-list' });
    offers.forEach(function (f) {
      var rec = f.rec;
      var own = rec.docId === J.doc.id;
      var item = h('li', { 'data-testid': 'recovery-item', 'data-doc': rec.docId }, [
        h('span', { text: (own ? '本文档 ' : '本文件中新建的 ') + describe(rec) + (rec.unconfirmed ? '（曾下载，未确认保存）' : '') }),
        button('恢复（' + U.formatTime(rec.time) + '）', function () { reopen(rec.docId); },
          { class: 'primary', 'data-testid': 'recover' }),
        button('不恢复', function () {
          // Not deleted: 文档恢复 still lists it, marked as not offered again.
          J.store.update(rec.docId, { dismissed: true }).catch(function () {});
          item.remove();
          if (!list.firstChild) ui.recoveryBanner.hidden = true;
        }, { 'data-testid': 'discard-recovery', title: '不再提示；仍可在“文档恢复”中找回' })
      ]);
      list.appendChild(item);
    });
    ui.recoveryBanner.appendChild(list);
  }

  /* ---------------------------------------------------------------- tabs -- */

  /** This tab edits the open document, unless another tab already does. */
  function claimOpen() {
    var docId = J.doc.id;
    return J.tabs.claim(docId, lost).then(function (mine) {
      if (J.doc.id !== docId) return;
      if (mine) return;
      // Another tab edits it: show its latest state, read-only.
      J.doc.readOnly = true;
      return showStored(docId, { readOnly: true }).then(function () {
        showLock('本文档正在另一个标签页中编辑。此页只读，显示那边最近自动保存的内容；两边的修改都不会丢失。');
      });
    });
  }

  /** Another tab took the editing over (this tab wrote its state first). */
  function lost() {
    J.doc.readOnly = true;
    J.page.renderAll();
    showLock('本文档已在另一个标签页中接管编辑，此页改为只读。此页的修改已全部保存到浏览器，那边已接着编辑。');
  }

  function showLock(text) {
    clear(ui.lockBanner);
    ui.lockBanner.hidden = false;
    U.appendAll(ui.lockBanner, [
      h('span', { text: text }),
      button('在此页接管编辑', takeOver, { class: 'primary', 'data-testid': 'take-over' }),
      button('只读查看', function () { ui.lockBanner.classList.add('quiet'); }, { 'data-testid': 'read-only' })
    ]);
  }

  function takeOver() {
    var docId = J.doc.id;
    J.tabs.takeOver(docId, lost).then(function (mine) {
      if (!mine) {
        J.shell.showError('没能接管编辑，请稍后再试。');
        return null;
      }
      return J.store.get(docId).then(function (rec) {
        return showStored(docId, {
          readOnly: false, origin: rec ? rec.file : J.doc.origin, dirty: rec ? rec.dirty : true
        });
      }).then(function () {
        ui.lockBanner.hidden = true;
        ui.lockBanner.classList.remove('quiet');
        J.shell.showStatus('已在此页接管编辑。');
      });
    });
  }

  J.tabs.on('yield', function () { return writeNow(); });
  J.tabs.on('changed', function (docId) {
    if (!J.doc.readOnly || docId !== J.doc.id) return;
    showStored(docId, { readOnly: true, onlyIfReadOnly: true });
  });

  /** Shows the stored working copy of `docId` (still the open document), editable or
   *  not. opts: { readOnly, origin, dirty (default: not as in any file),
   *  onlyIfReadOnly: skip when this tab edits it by then }. */
  function showStored(docId, opts) {
    return J.store.text('cur:' + docId).then(function (text) {
      var unit = text ? unitOf(text) : null;
      if (J.doc.id !== docId || (opts.onlyIfReadOnly && !J.doc.readOnly)) return;
      if (unit) {
        adopted[docId] = true;
        J.doc.load(unit, { origin: opts.origin || J.doc.origin, dirty: opts.dirty !== false });
      }
      J.doc.readOnly = opts.readOnly;
      J.page.renderAll();
    });
  }

  /* ---------------------------------------------------------------- panel -- */

  /** 文档恢复: every document kept in this browser, with its versions. */
  function openPanel() {
    Promise.all([J.store.list(), J.tabs.editedElsewhere()]).then(function (got) {
      showPanel(got[0], got[1]);
    }, function (err) {
      J.shell.showError('无法读取浏览器中保存的工作：' + U.reasonOf(err) + '。');
    });
  }

  function stateOf(rec, busy) {
    if (rec.docId === J.doc.id) return '正在此页编辑';
    if (busy[rec.docId]) return '正在另一个标签页中编辑';
    if (rec.unconfirmed) return '已下载，未确认保存';
    if (rec.dirty) return rec.dismissed ? '未保存（已选择不恢复）' : '未保存';
    return '已保存';
  }

  function showPanel(records, busy) {
    closePanel();
    var rows = records.map(function (rec) {
      var open = rec.docId !== J.doc.id && !busy[rec.docId];
      var versions = (rec.versions || []).slice().reverse().map(function (v) {
        return h('li', null, [
          h('span', { text: U.formatTime(v.time) + ' · ' + v.reason }),
          open ? button('打开此版本', function () { closePanel(); reopen(rec.docId, v.key); }, { class: 'small', 'data-testid': 'open-version' }) : null
        ]);
      });
      return h('li', { class: 'recovery-doc', 'data-testid': 'recovery-doc', 'data-doc': rec.docId }, [
        h('div', null, [
          h('b', { text: rec.name || '未命名单位' }),
          h('span', { text: (rec.year ? ' ' + rec.year + '年度' : '') + ' · ' + (rec.file || '') + ' · ' + U.formatTime(rec.time) + ' · ' + stateOf(rec, busy) }),
          open ? button('打开', function () { closePanel(); reopen(rec.docId); }, { class: 'primary small', 'data-testid': 'open-recovered' }) : null
        ]),
        versions.length ? h('ul', { class: 'versions' }, versions) : null
      ]);
    });
    ui.panel = h('div', { class: 'panel-backdrop', 'data-testid': 'recovery-panel', onclick: function (e) { if (e.target === ui.panel) closePanel(); } }, [
      h('div', { class: 'panel', role: 'dialog', 'aria-label': '文档恢复' }, [
        h('h2', { text: '文档恢复' }),
        h('p', { class: 'note', text: '本浏览器中保存的各文档的工作副本（每次修改后自动保存）和早期版本。打开其中一份时，当前文档的修改同样保留在这里。' }),
        rows.length ? h('ul', { class: 'recovery-docs' }, rows) : h('p', { text: '还没有保存的工作。' }),
        button('关闭', closePanel, { 'data-testid': 'recovery-close' })
      ])
    ]);
    document.body.appendChild(ui.panel);
  }

  function closePanel() {
    if (ui.panel) ui.panel.remove();
    ui.panel = null;
  }

  J.recovery = {
    schedule: schedule, writeNow: writeNow, settled: settled, flushOnExit: flushOnExit, adoptPending: adoptPending,
    saved: saved, rememberedHandle: rememberedHandle, replaceDocument: replaceDocument,
    claimOpen: claimOpen, offer: offer, openPanel: openPanel, closePanel: closePanel
  };
})(window.jixiaoApp = window.jixiaoApp || {});
