/* Jixiao page · files: opening files (picked or dropped), saving the document (保存,
 * 另存为HTML, 保存JSON) and exporting the report. Opening never touches the open work
 * when the file cannot be read; saving says what really happened (savers.js). */
(function (J) {
  'use strict';

  var U = J.util;
  var ui = J.ui;
  var state = J.state;

  /* ----------------------------------------------------------------- opening -- */

  function readBytes(file) {
    if (file.arrayBuffer) return file.arrayBuffer();
    return new Promise(function (resolve, reject) {
      var reader = new FileReader();
      reader.onload = function () { resolve(reader.result); };
      reader.onerror = function () { reject(reader.error); };
      reader.readAsArrayBuffer(file);
    });
  }

  /** The `{ example, unit }` block of a page or of a saved copy (a parsed document),
   *  checked for its shape; the unit itself is checked by the core (fromJson). */
  function embeddedData(doc) {
    var node = doc.getElementById('jixiao-data');
    if (!node) throw new Error('其中没有数据');
    var data;
    try {
      data = JSON.parse(node.textContent);
    } catch (err) {
      throw new Error('数据不是有效的 JSON');
    }
    if (!data || typeof data !== 'object' || Array.isArray(data)) throw new Error('数据格式不对');
    // The fresh app carries its example unit packed with the core (engine.js).
    if (data.packed && doc === document && J.engine.example) data.unit = JSON.parse(J.engine.example);
    else if (data.packed && data.example) {
      var fresh = new Error('是绩效自评程序本身，只带示例数据，没有保存的单位；请打开“另存为HTML”保存的文件');
      fresh.plain = true;
      throw fresh;
    }
    var unit = data.unit;
    if (!unit || typeof unit !== 'object' || Array.isArray(unit)) throw new Error('其中没有单位数据');
    if (!Array.isArray(unit.projects)) throw new Error('单位数据中没有项目列表');
    return data;
  }

  /** The data embedded in this page: `{ example, unit, view, error }`. */
  function readEmbedded() {
    try {
      var data = embeddedData(document);
      var unit = J.core.fromJson(JSON.stringify(data.unit));
      return { example: !!data.example, unit: unit, view: J.snapshot.savedView(data.view, unit) };
    } catch (err) {
      if (J.engine.dead) throw err;
      return {
        example: false,
        unit: J.core.blankUnit(),
        error: '本文件中保存的数据已损坏或被改动，无法读取（' + U.messageOf(err).replace(/[。.]$/, '') +
          '），已新建空白单位；文件本身没有改变。'
      };
    }
  }

  /** The unit embedded in a copy saved with “另存为HTML”. Scripts of a parsed
   *  document never run. */
  function unitFromSavedCopy(bytes) {
    var text = new TextDecoder('utf-8').decode(bytes);
    var doc = new DOMParser().parseFromString(text, 'text/html');
    if (!doc.getElementById('jixiao-data')) throw new Error('不是绩效自评保存的网页文件，其中没有数据');
    var data;
    try {
      data = embeddedData(doc);
      return J.core.fromJson(JSON.stringify(data.unit));
    } catch (err) {
      if (err.coreDead || err.plain) throw err;
      throw new Error('中保存的数据已损坏或被改动（' + U.messageOf(err).replace(/[。.]$/, '') + '）');
    }
  }

  /** Opens a picked or dropped file. On any failure the current unit is untouched; on
   *  success the document open until now stays recoverable (recovery.js). */
  function openFile(file) {
    if (J.engine.dead) return Promise.resolve();
    var loaded = null;
    return readBytes(file).then(function (buf) {
      var bytes = new Uint8Array(buf);
      // A workbook (or JSON file) is read by the 表样 picked in the toolbar (layouts.js).
      loaded = /\.html?$/i.test(file.name)
        ? { unit: unitFromSavedCopy(bytes), findings: [] }
        : J.layouts.load(bytes, file.name);
      return showLoaded(loaded, file.name, '已打开“' + file.name + '”。');
    }).then(function () {
      // What the core could not read whole is asked about (which column, 元 or 万元).
      if (loaded && loaded.unread) J.layouts.afterImport(loaded);
    }).catch(function (err) {
      if (err.coreDead) return; // the crash banner says it
      // The core's messages already name the file (“bad.xlsx”不是…).
      var message = U.messageOf(err).replace(/[。.]$/, '');
      var named = message.indexOf(file.name) >= 0 ? message : '“' + file.name + '”' + message;
      J.shell.showError('无法打开文件：' + named + '。当前数据没有改变。');
    });
  }

  /** A file the core read, as the open document (the one it replaces stays
   *  recoverable). Also for a re-import by another 表样 (layouts.js). */
  function showLoaded(loaded, name, message) {
    ui.errorBanner.hidden = true;
    // A workbook is a new document; a JSON file or a saved copy keeps its identity.
    var workbook = !/\.(json|html?)$/i.test(name);
    return J.recovery.replaceDocument(loaded.unit, {
      findings: U.camelKeys(loaded.findings || []), origin: name, newId: workbook, message: message
    });
  }

  function newBlankUnit() {
    if (J.engine.dead) return Promise.resolve();
    return J.recovery.replaceDocument(J.core.blankUnit(), { origin: '新建', message: '已新建空白单位。' });
  }

  /* ------------------------------------------------------------------ saving -- */

  /** <单位>_<年度>_绩效自评.<ext>, without characters file systems refuse. */
  function fileName(ext) {
    var u = state.unit;
    var name = U.safeName(u.name, 60) || '未命名单位';
    var year = J.page.year();
    return name + (year ? '_' + year : '') + '_绩效自评.' + ext;
  }

  /** The unit as the project's JSON text. The page's unit object is that format (the
   *  core made it), so without a core it is written as it is. */
  function unitJson() {
    if (!J.engine.dead) {
      try {
        return J.core.toJson(J.page.unitText());
      } catch (err) {
        if (!J.engine.dead) throw err;
      }
    }
    return JSON.stringify(state.unit, null, 2);
  }

  /** A new copy of the whole app with the current data before the code, the view on
   *  screen (it opens there) and the screen itself (snapshot.js: shown while the copy
   *  starts). The scripts are copied unchanged, so the hashes in the CSP still match
   *  them. fresh: the app itself as built, with its packed example (www/prerender.js
   *  adds the example's screen to the build this way). */
  function htmlCopy(fresh) {
    var text = function (id) { return U.byId(id).textContent; };
    var wasm = U.byId('jixiao-wasm');
    var csp = document.querySelector('meta[http-equiv="Content-Security-Policy"]');
    return window.jixiaoTemplate.render({
      title: fresh === true ? '绩效自评' : J.shell.unitLabel() + ' · 绩效自评',
      csp: csp ? csp.getAttribute('content') : "default-src 'none'",
      css: text('jixiao-css'),
      data: fresh === true ? text('jixiao-data')
        : JSON.stringify({ example: false, unit: JSON.parse(unitJson()), view: J.doc.viewState() }),
      snapshot: J.snapshot.take(fresh === true),
      check: text('jixiao-check'),
      unpack: text('jixiao-unpack'),
      unpackLength: U.byId('jixiao-unpack').getAttribute('data-length'),
      wasm: text('jixiao-wasm'),
      wasmLength: wasm.getAttribute('data-length'),
      wasmSize: wasm.getAttribute('data-size'),
      exampleSize: fresh === true ? wasm.getAttribute('data-example') : null,
      glue: text('jixiao-glue'),
      template: text('jixiao-template'),
      app: text('jixiao-app')
    });
  }

  var KINDS = {
    html: {
      ext: '.html', type: 'text/html;charset=utf-8', description: '绩效自评网页文件（带数据）',
      data: htmlCopy, what: '另存'
    },
    json: {
      ext: '.json', type: 'application/json;charset=utf-8', description: '绩效自评数据文件',
      data: unitJson, what: '保存'
    }
  };

  var saving = false; // one save at a time: a second click waits for the first

  /**
   * Saves the document as `kind` ('html' | 'json'). handle: the file to write in place
   * (保存), else the user picks one (or the browser downloads it).
   */
  function saveAs(kind, handle) {
    if (saving) return Promise.resolve();
    if (!J.engine.dead) J.doc.commit();
    var spec = KINDS[kind];
    var data;
    var stateAtSave = J.doc.stateId;
    try {
      data = spec.data();
    } catch (err) {
      J.shell.showError(saveFailed(spec.what, err));
      return Promise.resolve();
    }
    saving = true;
    var name = handle ? handle.name : fileName(kind);
    return J.savers.save(data, {
      name: name, type: spec.type, ext: spec.ext, description: spec.description, handle: handle
    }).then(function (result) {
      saving = false;
      // Edits made while the file was written are not in it: the state saved is the
      // one at the click.
      if (result.how === 'written') {
        J.doc.markSaved(stateAtSave);
        J.recovery.saved(result.handle);
        J.shell.showStatus('已保存到“' + result.name + '”' +
          (kind === 'html' ? '，以后双击该文件即可继续填写。' : '。'));
      } else {
        J.doc.markDownloaded(stateAtSave);
        J.recovery.saved(null);
        J.shell.showStatus('已下载“' + result.name + '”。浏览器不告诉本页面文件是否保存成功：请在下载栏中确认；' +
          '在此之前本页的修改仍保留在浏览器中（“文档恢复”）。');
      }
      J.shell.renderBanners();
      J.shell.renderHeader();
    }, function (err) {
      saving = false;
      if (err && err.cancelled) {
        J.shell.showStatus('已取消保存。数据仍在页面中，尚未保存。');
        return;
      }
      J.shell.showError(saveFailed(spec.what, err));
    });
  }

  function saveFailed(what, err) {
    return what + '失败：' + U.reasonOf(err) + '。数据仍在页面中，没有标记为已保存；请重试，或改用“' +
      (what === '保存' ? '另存为HTML' : '保存JSON') + '”。';
  }

  /** 保存 (Ctrl+S): in place into the file this document was last saved to by the
   *  page, else as a new HTML copy the user picks. */
  function save() {
    if (saving) return Promise.resolve();
    return J.recovery.rememberedHandle().then(function (handle) {
      if (!handle || !J.savers.canPick()) return saveAs('html', null);
      return saveAs(/\.json$/i.test(handle.name) ? 'json' : 'html', handle);
    });
  }

  function saveHtml() {
    return saveAs('html', null);
  }

  function saveJson() {
    return saveAs('json', null);
  }

  /* --------------------------------------------------------------- exporting -- */

  /** The report as a file made by the core, named from the report's file stem
   *  (<单位>_<年度>_自评报告.docx, …_自评表.xlsx). A failure is said on screen; the
   *  data is untouched. */
  var EXPORTS = {
    docx: {
      label: '导出Word', call: 'exportDocx', file: 'reportFile',
      type: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document'
    },
    xlsx: {
      label: '导出Excel', call: 'exportXlsx', file: 'formsFile',
      type: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet'
    }
  };

  function exportReport(kind) {
    var spec = EXPORTS[kind];
    J.doc.commit();
    var projects = state.unit.projects.length;
    if (kind === 'docx' && !J.preview.wordFits(projects + 1)) {
      // Said before the core is asked: it would run out of memory and stop.
      J.shell.showError(spec.label + '：本单位有 ' + projects + ' 个项目，超过页面中能生成 Word 文档的 ' +
        (J.preview.wordForms - 1) + ' 个（所需内存超过浏览器给页面的）。请用“导出Excel”导出附表。当前数据没有改变。');
      return;
    }
    try {
      var rules = null; // the unit's own rules
      var text = J.page.unitText();
      var stem = U.safeName(J.core.fileStem(text), 80) || '未命名单位';
      var bytes = J.core[spec.call](text, rules);
      var name = stem + '_' + state.vocab[spec.file];
      J.savers.download(bytes, name, spec.type);
      J.shell.showStatus('已导出 ' + name + '。' + J.findings.errorsNote('导出的文件'));
    } catch (err) {
      if (err.coreDead) return; // the crash banner says it
      J.shell.showError(spec.label + '失败：' + U.reasonOf(err) + '。当前数据没有改变。');
      if (window.console) console.warn(err);
    }
  }

  /* -------------------------------------------------------------- drag and drop -- */

  function carriesFiles(e) {
    var types = e.dataTransfer ? e.dataTransfer.types : null;
    return !!types && Array.prototype.indexOf.call(types, 'Files') >= 0;
  }

  function installDrop() {
    var depth = 0;
    document.addEventListener('dragenter', function (e) {
      if (!carriesFiles(e)) return;
      depth++;
      ui.dropHint.hidden = false;
    });
    document.addEventListener('dragleave', function (e) {
      if (!carriesFiles(e)) return;
      depth = Math.max(0, depth - 1);
      if (!depth) ui.dropHint.hidden = true;
    });
    document.addEventListener('dragover', function (e) {
      if (!carriesFiles(e)) return;
      e.preventDefault();
      e.dataTransfer.dropEffect = 'copy';
    });
    document.addEventListener('drop', function (e) {
      if (!carriesFiles(e)) return;
      e.preventDefault();
      depth = 0;
      ui.dropHint.hidden = true;
      // Several files at once: the finance bureau's 汇总 (review.js).
      var files = e.dataTransfer.files;
      if (files.length > 1) J.review.readFiles(files, J.review.shown());
      else if (files[0] && J.review.shown()) J.review.readFiles(files, true);
      else if (files[0]) openFile(files[0]);
    });
  }

  J.files = {
    readEmbedded: readEmbedded, openFile: openFile, showLoaded: showLoaded, newBlankUnit: newBlankUnit, save: save,
    saveHtml: saveHtml, saveJson: saveJson, exportReport: exportReport, installDrop: installDrop,
    htmlCopy: htmlCopy
  };
})(window.jixiaoApp = window.jixiaoApp || {});
