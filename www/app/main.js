/* Jixiao page · main: starts the page — the core, the shell, the document embedded in
 * this file, its recovery — and installs the page-wide handlers (keys, paste,
 * printing, leaving the page).
 *
 * Runs in old Chromium cores (86+): classic scripts, no top-level await, no newer
 * built-ins. No network: the only URLs the page makes are blob: URLs for downloads. */
(function (J) {
  'use strict';

  // check.js found no WebAssembly and already said so in Chinese.
  if (window.jixiaoUnsupported) return;

  var ui = J.ui;
  var state = J.state;

  function start() {
    state.vocab = J.core.vocabulary();
    J.shell.buildShell();
    var embedded = J.files.readEmbedded();
    // A file's own document keeps its identity; the fresh app's example gets one.
    J.doc.load(embedded.unit, { example: embedded.example, origin: '' });
    J.page.showDocument(embedded.view);
    if (embedded.error) J.shell.showError(embedded.error);
    installGlobalHandlers();
    document.documentElement.setAttribute('data-ready', 'true');
    // Copies left as the page went away last time reach the store before the offer.
    return J.recovery.adoptPending()
      .then(J.recovery.claimOpen)
      .then(function () { return J.recovery.offer(!!embedded.error); })
      .then(function () { document.documentElement.setAttribute('data-recovery', 'checked'); });
  }

  function installGlobalHandlers() {
    document.addEventListener('keydown', onGlobalKeydown);
    document.addEventListener('paste', J.grid.onPaste);
    // Printing from the browser's own menu (Ctrl+P) prints the report too.
    window.addEventListener('beforeprint', J.preview.preparePrint);
    window.addEventListener('afterprint', J.preview.afterPrint);
    // Hidden (another tab, minimised), closed or reloaded: write what is not written.
    document.addEventListener('visibilitychange', function () {
      if (document.visibilityState === 'hidden') J.recovery.writeNow();
    });
    window.addEventListener('pagehide', J.recovery.flushOnExit);
    window.addEventListener('beforeunload', function (e) {
      J.recovery.flushOnExit();
      if (J.page.leaving || J.doc.readOnly || !J.doc.isDirty()) return undefined;
      e.preventDefault();
      e.returnValue = '有未保存的修改';
      return e.returnValue;
    });
    J.files.installDrop();
  }

  function onGlobalKeydown(e) {
    if (e.key === 'Escape' && ui.panel) {
      J.recovery.closePanel();
      return;
    }
    if (e.key === 'Escape' && state.preview && !J.engine.dead) {
      J.preview.closePreview();
      return;
    }
    if (!(e.ctrlKey || e.metaKey) || e.altKey) return;
    var key = e.key.toLowerCase();
    if (key === 's') {
      // 保存, not the browser's “save page” (which would write the data as opened).
      e.preventDefault();
      if (e.shiftKey) J.files.saveHtml();
      else J.files.save();
      return;
    }
    if (J.engine.dead) return;
    if (key === 'z' && !e.shiftKey) {
      e.preventDefault();
      J.page.undo();
    } else if (key === 'y' || (key === 'z' && e.shiftKey)) {
      e.preventDefault();
      J.page.redo();
    }
  }

  /** A file that shows its saved screen (snapshot.js) while it starts: the core is
   *  unpacked after that screen is painted, not before. */
  function afterFirstPaint(fn) {
    if (!J.util.byId('app').classList.contains('snapshot')) return fn();
    var done = false;
    var once = function () {
      if (!done) fn();
      done = true;
    };
    // After the first frame's paint (a task after its animation frame).
    requestAnimationFrame(function () { setTimeout(once, 0); });
    setTimeout(once, 200); // a tab in the background draws no frame
  }

  J.engine.onCrash = function () { J.shell.coreCrashed(); };
  J.snapshot.keepFocusOut();
  afterFirstPaint(function () {
    J.engine.start().then(start).catch(function (err) {
      if (!J.core) return; // the engine said it already
      J.engine.fatal('无法启动绩效自评：' + J.util.messageOf(err) + '。');
      if (window.console) console.error(err);
    });
  });
})(window.jixiaoApp = window.jixiaoApp || {});
