/* Jixiao 绩效自评 — the page.
 *
 * A thin screen over the Rust core (compiled to WebAssembly, glue `wasm_bindgen`).
 * The page keeps the unit as the core's JSON object, writes what the user types into it
 * (decimals as strings, empty → null) and after every edit asks the core to `evaluate`
 * it. Every figure on screen is a string from that Summary: this file does no
 * arithmetic on money, rates or scores and holds no scoring rule.
 *
 * Runs in old Chromium cores (86+): a classic script, no top-level await, no newer
 * built-ins. No network: the only URLs it makes are blob: URLs for downloads. */
(function () {
  'use strict';

  // check.js found no WebAssembly and already said so in Chinese.
  if (window.jixiaoUnsupported) return;

  var AUTOSAVE_KEY = 'jixiao-autosave';
  var TYPING_COMMIT_MS = 400; // one undo step per pause in typing
  var AUTOSAVE_MS = 500;
  var HISTORY_LIMIT = 200;

  var SEVERITIES = [
    { key: 'error', label: '错误', mark: '●' },
    { key: 'warning', label: '提示', mark: '▲' },
    { key: 'notice', label: '说明', mark: '■' }
  ];
  var GRADE_CLASS = { '优': 'grade-a', '良': 'grade-b', '中': 'grade-c', '差': 'grade-d' };
  var TABS = [
    { key: 'basic', label: '基本信息' },
    { key: 'funds', label: '资金' },
    { key: 'indicators', label: '绩效指标' },
    { key: 'text', label: '文字说明' }
  ];
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
  var FUND_ROWS = {
    total: '年度资金总额',
    fiscal: '其中：当年财政拨款',
    carryover: '上年结转资金',
    other: '其他资金',
    basic: '基本支出',
    project: '项目支出'
  };

  var core = null; // the guarded core (see guardCore), once started
  /** Every function of the binding the page calls; each goes through guardCore. */
  var CORE_FUNCTIONS = ['blankUnit', 'evaluate', 'exportDocx', 'exportXlsx', 'fileStem', 'fromJson',
    'loadFile', 'report', 'toJson', 'vocabulary'];
  var coreDead = false; // the core trapped (a Rust panic): its instance is not used again
  var leaving = false; // “重新加载” after a crash: the work is in the autosave, no prompt
  var state = {
    unit: null,
    example: false,
    summary: null,
    vocab: null,
    selected: -1, // project index, or -1 for the unit
    tab: 'basic',
    importFindings: [],
    savedText: '', // JSON text of the unit at the last open or save (for “unsaved”)
    recoveryPending: false, // an earlier working copy is on offer: do not overwrite it
    preview: false, // the report preview replaces the editing columns
    previewOf: '', // unit and rules the preview pages were laid out from
    frameText: null // the unit's JSON text while one redraw runs (see unitText)
  };
  var history = { stack: [], index: -1, timer: 0 };
  var autosaveTimer = 0;
  var ui = {}; // nodes of the page shell
  var viewUpdaters = []; // refresh the computed parts of the current view

  /* ------------------------------------------------------------------ helpers -- */

  function messageOf(err) {
    if (err && typeof err.message === 'string') return err.message;
    return String(err);
  }

  function byId(id) {
    return document.getElementById(id);
  }

  /** createElement with attributes, listeners (onclick…) and children (text is inert). */
  function h(tag, attrs, children) {
    var node = document.createElement(tag);
    setAttributes(node, attrs);
    appendAll(node, children);
    return node;
  }

  function setAttributes(node, attrs) {
    if (!attrs) return;
    Object.keys(attrs).forEach(function (key) {
      var value = attrs[key];
      if (value === null || value === undefined || value === false) return;
      if (key === 'class') node.className = value;
      else if (key === 'text') node.textContent = value;
      else if (key === 'value' || key === 'checked' || key === 'disabled') node[key] = value;
      else if (key.indexOf('on') === 0 && typeof value === 'function') {
        node.addEventListener(key.slice(2), value);
      } else node.setAttribute(key, value === true ? '' : String(value));
    });
  }

  function appendAll(node, children) {
    if (children === null || children === undefined) return;
    if (!Array.isArray(children)) children = [children];
    children.forEach(function (child) {
      if (child === null || child === undefined || child === false) return;
      node.appendChild(typeof child === 'string' ? document.createTextNode(child) : child);
    });
  }

  var SVG_NS = 'http://www.w3.org/2000/svg';
  function svg(tag, attrs, text) {
    var node = document.createElementNS(SVG_NS, tag);
    Object.keys(attrs || {}).forEach(function (key) {
      node.setAttribute(key, String(attrs[key]));
    });
    if (text !== undefined) node.textContent = text;
    return node;
  }

  function clear(node) {
    while (node.firstChild) node.removeChild(node.firstChild);
  }

  function dash(value) {
    return value === null || value === undefined || value === '' ? '—' : String(value);
  }

  function gradeClass(grade) {
    return GRADE_CLASS[grade] || 'grade-none';
  }

  /** The binding serialises the Summary with Rust field names (snake_case); the page
   *  reads camelCase like the unit. Converting here keeps the page working whichever
   *  the binding sends. */
  var camelNames = Object.create(null); // snake_case key → camelCase, each converted once

  function camelKeys(value) {
    if (Array.isArray(value)) return value.map(camelKeys);
    if (!value || typeof value !== 'object') return value;
    var out = {};
    for (var key in value) {
      if (!Object.prototype.hasOwnProperty.call(value, key)) continue;
      var camel = camelNames[key];
      if (camel === undefined) {
        camel = camelNames[key] = key.replace(/_([a-z])/g, function (m, c) { return c.toUpperCase(); });
      }
      out[camel] = camelKeys(value[key]);
    }
    return out;
  }

  /* Paths into the unit: 'funds.total.budget' → ['funds', 'total', 'budget'];
   * numeric parts index arrays. */
  function splitPath(text) {
    return text.split('.').map(function (part) {
      return /^\d+$/.test(part) ? Number(part) : part;
    });
  }

  function getIn(obj, path) {
    for (var i = 0; i < path.length; i++) {
      if (obj === null || obj === undefined) return null;
      obj = obj[path[i]];
    }
    return obj === undefined ? null : obj;
  }

  /** Sets a value, creating missing objects on the way (an absent optional fund row
   *  becomes `{}`; the core fills in its defaults). */
  function setIn(obj, path, value) {
    for (var i = 0; i < path.length - 1; i++) {
      if (obj[path[i]] === null || obj[path[i]] === undefined) obj[path[i]] = {};
      obj = obj[path[i]];
    }
    obj[path[path.length - 1]] = value;
  }

  function copy(value) {
    return JSON.parse(JSON.stringify(value));
  }

  /* ------------------------------------------------------ parsing what people type -- */

  /** Full-width digits and signs as people type them in Chinese input methods. */
  function halfWidth(text) {
    return String(text).replace(/[\uFF10-\uFF19]/g, function (c) {
      return String.fromCharCode(c.charCodeAt(0) - 0xFEE0);
    }).replace(/\uFF0E/g, '.').replace(/[\uFF0D\u2212]/g, '-').replace(/\uFF0B/g, '+');
  }

  var DECIMAL = /^[+-]?(\d+(\.\d*)?|\.\d+)$/;

  /** A decimal as typed → the string the core reads, or null when empty. Only the
   *  text is cleaned (spaces, thousands separators, a trailing unit); the value is
   *  never computed here. */
  function parseDecimal(text) {
    var s = halfWidth(text).replace(/[\s,，]/g, '').replace(/(万元|分|%|％)$/, '');
    if (s === '') return { ok: true, value: null };
    if (!DECIMAL.test(s)) return { ok: false, message: '请填写数字' };
    return { ok: true, value: s.replace(/^\+/, '') };
  }

  function parseYear(text) {
    var s = halfWidth(text).replace(/\s/g, '').replace(/年度?$/, '');
    if (s === '') return { ok: true, value: null };
    if (!/^\d{4}$/.test(s)) return { ok: false, message: '请填写四位年份，如 2022' };
    return { ok: true, value: parseInt(s, 10) };
  }

  function parseBool(text) {
    return /^(是|√|✓|✔|不适用|y|yes|true|1|x)$/i.test(String(text).trim());
  }

  /** Tab-separated rows as Excel and WPS put them on the clipboard: cells holding a
   *  tab, a line break or a quote are quoted with "" for a quote. */
  function parseTsv(text) {
    text = String(text).replace(/\r\n?/g, '\n');
    var rows = [];
    var row = [];
    var cell = '';
    var i = 0;
    var atCellStart = true;
    while (i < text.length) {
      var c = text.charAt(i);
      if (atCellStart && c === '"') {
        var end = closingQuote(text, i + 1);
        if (end >= 0) {
          cell = text.slice(i + 1, end).replace(/""/g, '"');
          i = end + 1;
          atCellStart = false;
          continue;
        }
      }
      atCellStart = false;
      if (c === '\t') {
        row.push(cell);
        cell = '';
        atCellStart = true;
      } else if (c === '\n') {
        row.push(cell);
        rows.push(row);
        row = [];
        cell = '';
        atCellStart = true;
      } else {
        cell += c;
      }
      i++;
    }
    if (cell !== '' || row.length) {
      row.push(cell);
      rows.push(row);
    }
    return rows;
  }

  /** Index of the quote closing a quoted cell opened before `from`, or -1. */
  function closingQuote(text, from) {
    for (var j = from; j < text.length; j++) {
      if (text.charAt(j) !== '"') continue;
      if (text.charAt(j + 1) === '"') { j++; continue; }
      var next = text.charAt(j + 1);
      return next === '' || next === '\t' || next === '\n' ? j : -1;
    }
    return -1;
  }

  /* ------------------------------------------------------------------- start-up -- */

  /** base64 → bytes with a plain loop (Uint8Array.from with a map function is slow on
   *  old cores for a megabyte string). */
  function base64ToBytes(text) {
    var binary = atob(text.replace(/\s+/g, ''));
    var bytes = new Uint8Array(binary.length);
    for (var i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i);
    return bytes;
  }

  function gunzip(bytes) {
    var stream = new Blob([bytes]).stream().pipeThrough(new DecompressionStream('gzip'));
    return new Response(stream).arrayBuffer();
  }

  /** The page cannot start. `damaged`: the file itself is (its embedded core does not
   *  decode), so another browser would not help. */
  function fatal(message, damaged) {
    var app = byId('app');
    clear(app);
    app.appendChild(h('div', { class: 'boot fatal', 'data-testid': 'fatal' }, [
      h('p', { text: message }),
      h('p', {
        text: damaged
          ? '本文件已损坏（可能在传输或编辑中被改动），请重新获取原文件。曾在本浏览器中填写的数据仍在，用完好的文件打开后会提示恢复。'
          : '请切换到极速模式，或改用较新版本的 Chrome、Edge、360极速浏览器、奇安信可信浏览器等 Chromium 内核浏览器打开本文件。'
      })
    ]));
  }

  function damagedError(message) {
    var err = new Error(message);
    err.damaged = true;
    return err;
  }

  /* ------------------------------------------------------- a core that traps -- */

  /** The core's functions, each called through one wrapper. The Rust build aborts on a
   *  panic, which reaches JavaScript as a WebAssembly.RuntimeError ('unreachable') from
   *  the call; after that the instance's memory may be inconsistent, so it is never
   *  called again: the page says so, keeps the unit (it lives here, in JavaScript),
   *  autosaves it at once and offers to save it or reload. The binding's function is
   *  looked up at each call (the tests replace one to simulate a trap). */
  function guardCore() {
    var guarded = {};
    CORE_FUNCTIONS.forEach(function (name) {
      guarded[name] = function () {
        if (coreDead) throw deadCoreError();
        try {
          return wasm_bindgen[name].apply(null, arguments);
        } catch (err) {
          if (isTrap(err)) {
            coreCrashed(err, name);
            throw deadCoreError();
          }
          throw err;
        }
      };
    });
    return guarded;
  }

  function isTrap(err) {
    return typeof WebAssembly === 'object' && typeof WebAssembly.RuntimeError === 'function' &&
      err instanceof WebAssembly.RuntimeError;
  }

  function deadCoreError() {
    var err = new Error('计算核心发生内部错误，已停止计算');
    err.coreDead = true;
    return err;
  }

  /** Once, on the first trap: say it, keep and autosave the unit, stop editing. */
  function coreCrashed(err, name) {
    if (coreDead) return;
    coreDead = true;
    if (window.console) console.error('core trapped in ' + name, err);
    if (!ui.banners || !state.unit) return; // still starting: boot's catch says it
    clearTimeout(history.timer);
    history.timer = 0;
    showCrashBanner(writeAutosave());
    freezeEditing();
    // A render under way when the trap came may add controls: freeze those too.
    setTimeout(freezeEditing, 0);
  }

  function showCrashBanner(saved) {
    ui.crashBanner = h('div', { class: 'banner error crash', 'data-testid': 'crash-banner', role: 'alert' }, [
      h('p', {
        text: '计算核心发生内部错误，已停止计算，页面上的计算结果不再更新。您填写的数据都还在页面中' +
          (saved
            ? '，并已自动保存到浏览器。请先点击“保存JSON”或“另存为HTML”保存到文件，再点击“重新加载”，' +
              '然后选择“恢复上次未保存的工作”继续填写。'
            : '，但没能自动保存到浏览器：请务必先点击“保存JSON”或“另存为HTML”保存到文件，' +
              '再点击“重新加载”并打开保存的文件继续填写。')
      }),
      h('div', { class: 'crash-actions' }, [
        button('保存JSON', saveJson, { class: 'primary', 'data-testid': 'crash-save-json', 'data-keep': true }),
        button('另存为HTML', saveHtml, { 'data-testid': 'crash-save-html', 'data-keep': true }),
        button('重新加载', reloadAfterCrash, { 'data-testid': 'crash-reload', 'data-keep': true })
      ])
    ]);
    ui.banners.insertBefore(ui.crashBanner, ui.banners.firstChild);
  }

  /** Without a core nothing can be recomputed: every control is disabled except saving
   *  and the crash banner's own. */
  function freezeEditing() {
    var app = byId('app');
    app.classList.add('core-dead');
    var controls = app.querySelectorAll('input, textarea, select, button');
    Array.prototype.forEach.call(controls, function (node) {
      if (node.hasAttribute('data-keep')) return;
      var id = node.getAttribute('data-testid');
      if (id === 'save-json' || id === 'save-html') return;
      if (ui.errorBanner.contains(node)) return;
      node.disabled = true;
    });
  }

  function reloadAfterCrash() {
    writeAutosave();
    leaving = true;
    window.location.reload();
  }

  function boot() {
    var packed, unpacker, size;
    try {
      if (typeof wasm_bindgen !== 'function') throw new Error('计算核心缺失');
      if (typeof DecompressionStream === 'undefined') throw new Error('浏览器版本过旧（缺少解压功能）');
      var el = byId('jixiao-wasm');
      size = Number(el.getAttribute('data-size'));
      try {
        packed = window.jixiaoTemplate.textToBytes(el.textContent, Number(el.getAttribute('data-length')));
        unpacker = base64ToBytes(byId('jixiao-unpack').textContent);
      } catch (err) {
        throw damagedError(messageOf(err));
      }
    } catch (err) {
      fatal('无法启动绩效自评：' + messageOf(err) + '。', err.damaged);
      return;
    }
    gunzip(unpacker)
      .then(function (buf) { return WebAssembly.instantiate(buf); })
      .then(function (result) {
        var wasm;
        try {
          wasm = window.jixiaoTemplate.unpackCore(result.instance.exports, packed, size);
        } catch (err) {
          throw damagedError(messageOf(err));
        }
        return wasm_bindgen({ module_or_path: wasm });
      })
      .then(function () {
        core = guardCore();
      }, function (err) {
        if (err.damaged) throw err;
        throw new Error('计算核心启动失败（' + messageOf(err) + '）');
      })
      .then(start)
      .catch(function (err) {
        fatal('无法启动绩效自评：' + messageOf(err) + '。', err.damaged);
        if (window.console) console.error(err);
      });
  }

  function start() {
    state.vocab = core.vocabulary();
    buildShell();
    var embedded = readEmbedded();
    state.example = embedded.example;
    setDocument(embedded.unit, { example: embedded.example, findings: [], fresh: true });
    if (embedded.error) showError(embedded.error);
    installGlobalHandlers();
    // The file's own data is unreadable: any working copy is worth offering.
    offerRecovery(!!embedded.error);
    document.documentElement.setAttribute('data-ready', 'true');
  }

  /** The data embedded before the code: `{ example, unit }`. */
  function readEmbedded() {
    try {
      var data = embeddedData(document);
      return { example: !!data.example, unit: core.fromJson(JSON.stringify(data.unit)) };
    } catch (err) {
      if (coreDead) throw err;
      return {
        example: false,
        unit: core.blankUnit(),
        error: '本文件中保存的数据已损坏或被改动，无法读取（' + messageOf(err).replace(/[。.]$/, '') +
          '），已新建空白单位；文件本身没有改变。'
      };
    }
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
    var unit = data.unit;
    if (!unit || typeof unit !== 'object' || Array.isArray(unit)) throw new Error('其中没有单位数据');
    if (!Array.isArray(unit.projects)) throw new Error('单位数据中没有项目列表');
    return data;
  }

  /* --------------------------------------------------------------- the document -- */

  /** Replaces the whole unit (open, new, recover). Undoable, except at start-up. */
  function setDocument(unit, opts) {
    flushCommit();
    state.unit = unit;
    state.example = !!opts.example;
    state.importFindings = opts.findings || [];
    state.selected = -1;
    state.tab = 'basic';
    if (!opts.keepDirty) state.savedText = JSON.stringify(unit);
    if (opts.fresh) {
      history.stack = [JSON.stringify(unit)];
      history.index = 0;
    } else {
      commitNow();
    }
    renderAll();
    if (!opts.fresh) scheduleAutosave();
  }

  function isDirty() {
    return unitText() !== state.savedText;
  }

  /** The unit as JSON text: how it goes to the core, and what the “unsaved” mark and
   *  the undo history compare. Within one redraw (nothing edits the unit while it
   *  draws) it is written once. */
  function unitText() {
    return state.frameText || JSON.stringify(state.unit);
  }

  /** Asks the core for the Summary; returns the core's message when it cannot. */
  function tryEvaluate() {
    try {
      state.summary = camelKeys(JSON.parse(core.evaluate(unitText(), null)));
      return null;
    } catch (err) {
      // Without a core the edit is kept (figures stay as they were; the page says so).
      if (coreDead) return null;
      return messageOf(err);
    }
  }

  function evaluateNow() {
    var error = tryEvaluate();
    if (error) showError('计算失败：' + error);
  }

  function projectSummary(index) {
    var projects = state.summary ? state.summary.projects : [];
    return projects[index] || { levels: [], indicators: [] };
  }

  /** After any change to the unit: recompute and refresh what is computed. Inputs are
   *  not rebuilt, so the one being typed in keeps its focus and caret. */
  function afterEdit(structural, evaluated) {
    if (evaluated) redraw();
    else refresh();
    if (structural) commitNow();
    else scheduleCommit();
    scheduleAutosave();
  }

  function refresh() {
    state.frameText = JSON.stringify(state.unit);
    try {
      evaluateNow();
      redraw();
    } finally {
      state.frameText = null;
    }
  }

  /** Everything computed, from the current Summary. */
  function redraw() {
    renderHeader();
    renderRollup();
    renderProjectList();
    renderFindings();
    runViewUpdaters();
  }

  function renderAll() {
    state.frameText = JSON.stringify(state.unit);
    try {
      evaluateNow();
      renderHeader();
      renderBanners();
      renderRollup();
      renderProjectList();
      renderView();
      renderFindings();
      if (state.preview) renderPreview();
    } finally {
      state.frameText = null;
    }
  }

  /* ---------------------------------------------------------------- undo / redo -- */

  function commitNow() {
    clearTimeout(history.timer);
    history.timer = 0;
    var text = JSON.stringify(state.unit);
    if (history.stack[history.index] === text) return;
    history.stack.length = history.index + 1;
    history.stack.push(text);
    if (history.stack.length > HISTORY_LIMIT) history.stack.shift();
    history.index = history.stack.length - 1;
    renderUndoButtons();
  }

  function scheduleCommit() {
    clearTimeout(history.timer);
    history.timer = setTimeout(commitNow, TYPING_COMMIT_MS);
  }

  function flushCommit() {
    if (history.timer) commitNow();
  }

  function undo() {
    flushCommit();
    if (history.index <= 0) return;
    history.index--;
    restoreSnapshot(history.stack[history.index]);
  }

  function redo() {
    flushCommit();
    if (history.index >= history.stack.length - 1) return;
    history.index++;
    restoreSnapshot(history.stack[history.index]);
  }

  function restoreSnapshot(text) {
    var focus = focusedField();
    state.unit = JSON.parse(text);
    if (state.selected >= state.unit.projects.length) state.selected = state.unit.projects.length - 1;
    renderAll();
    restoreFocus(focus);
    renderUndoButtons();
    scheduleAutosave();
  }

  function renderUndoButtons() {
    if (!ui.undo) return;
    ui.undo.disabled = coreDead || history.index <= 0;
    ui.redo.disabled = coreDead || history.index >= history.stack.length - 1;
  }

  /* ------------------------------------------------------------------- autosave -- */

  /** At most AUTOSAVE_MS after the first edit not yet written, however long the typing
   *  goes on (a timer already running is not pushed back). */
  function scheduleAutosave() {
    if (autosaveTimer) return;
    autosaveTimer = setTimeout(writeAutosave, AUTOSAVE_MS);
  }

  /** The working copy in the browser; true when it was written. A failure (storage
   *  full or disabled) is said on screen; the data stays in the page. */
  function writeAutosave() {
    clearTimeout(autosaveTimer);
    autosaveTimer = 0;
    if (state.recoveryPending || !state.unit) return false;
    try {
      // The unit's text once (it is the slow part for a large unit), spliced in.
      var text = unitText();
      var payload = '{"time":' + JSON.stringify(new Date().toISOString()) +
        // After a crash the working copy is always offered again on the next visit.
        ',"dirty":' + (text !== state.savedText || coreDead) + ',"unit":' + text + '}';
      window.localStorage.setItem(AUTOSAVE_KEY, payload);
      ui.storageWarning.hidden = true;
      return true;
    } catch (err) {
      ui.storageWarning.hidden = false;
      return false;
    }
  }

  /** The page is hidden, closed or reloaded: edits not yet written go to the autosave
   *  now (what is already there is current). */
  function autosaveNow() {
    if (history.timer && !coreDead) commitNow();
    if (autosaveTimer) writeAutosave();
  }

  function readAutosave() {
    try {
      var saved = JSON.parse(window.localStorage.getItem(AUTOSAVE_KEY) || 'null');
      return saved && saved.unit ? saved : null;
    } catch (err) {
      return null;
    }
  }

  function forgetAutosave() {
    try {
      window.localStorage.removeItem(AUTOSAVE_KEY);
    } catch (err) { /* nothing to forget */ }
  }

  function formatTime(iso) {
    var d = new Date(iso);
    if (isNaN(d.getTime())) return '时间不详';
    var two = function (n) { return (n < 10 ? '0' : '') + n; };
    return d.getFullYear() + '-' + two(d.getMonth() + 1) + '-' + two(d.getDate()) + ' ' +
      two(d.getHours()) + ':' + two(d.getMinutes());
  }

  /** Offers the working copy of an earlier visit when it was not saved to a file and
   *  differs from what this file holds. */
  function offerRecovery(evenIfSaved) {
    var saved = readAutosave();
    if (!saved || !(saved.dirty || evenIfSaved)) return;
    var unit;
    try {
      unit = core.fromJson(JSON.stringify(saved.unit));
      if (core.toJson(JSON.stringify(unit)) === core.toJson(unitText())) return;
    } catch (err) {
      return;
    }
    state.recoveryPending = true;
    var when = formatTime(saved.time);
    var name = unit.name ? '“' + unit.name + '”' : '未命名单位';
    var banner = h('div', { class: 'banner recovery', 'data-testid': 'recovery-banner' }, [
      h('span', { text: '发现上次未保存的工作：' + name + '，' + when + '。' }),
      h('button', {
        type: 'button', class: 'primary', 'data-testid': 'recover',
        text: '恢复上次未保存的工作（' + when + '）',
        onclick: function () {
          banner.remove();
          state.recoveryPending = false;
          setDocument(unit, { example: false, findings: [], keepDirty: true });
          showStatus('已恢复上次未保存的工作。请记得保存。');
        }
      }),
      h('button', {
        type: 'button', 'data-testid': 'discard-recovery', text: '放弃',
        onclick: function () {
          banner.remove();
          state.recoveryPending = false;
          forgetAutosave();
          if (isDirty()) writeAutosave();
        }
      })
    ]);
    ui.banners.appendChild(banner);
  }

  /* --------------------------------------------------------------- page shell -- */

  function buildShell() {
    var app = byId('app');
    clear(app);
    ui.fileInput = h('input', {
      type: 'file', class: 'hidden-input', 'data-testid': 'import-file',
      accept: '.json,.xlsx,.xls,.html,.htm',
      onchange: function () {
        var file = ui.fileInput.files && ui.fileInput.files[0];
        if (file) openFile(file);
        ui.fileInput.value = '';
      }
    });
    ui.title = h('span', { class: 'unit-title', 'data-testid': 'unit-title' });
    ui.dirty = h('span', { class: 'dirty', text: '未保存', hidden: true });
    ui.undo = button('撤销', undo, { 'data-testid': 'undo', title: '撤销（Ctrl+Z）' });
    ui.redo = button('重做', redo, { 'data-testid': 'redo', title: '重做（Ctrl+Y）' });
    ui.previewButton = button('预览报告', togglePreview,
      { 'data-testid': 'preview-toggle', title: '按打印效果查看自评工作总结和附表', 'aria-pressed': 'false' });
    var header = h('header', { class: 'top' }, [
      h('h1', { text: '绩效自评' }), ui.title, ui.dirty,
      h('div', { class: 'toolbar' }, [
        button('打开', function () { ui.fileInput.click(); },
          { 'data-testid': 'open', title: '打开 JSON 数据文件、标准格式工作簿或另存的网页文件；也可拖放到页面上' }),
        button('新建空白单位', newBlankUnit, { 'data-testid': 'new-blank' }),
        button('保存JSON', saveJson, { 'data-testid': 'save-json', title: '保存为本工具的数据文件（.json）' }),
        button('另存为HTML', saveHtml, { 'data-testid': 'save-html', title: '保存为带数据的本页面副本，双击即可打开' }),
        ui.previewButton,
        button('导出Word', function () { exportReport('docx'); },
          { 'data-testid': 'export-docx', title: '自评工作总结和附表，Word 文档（.docx）' }),
        button('导出Excel', function () { exportReport('xlsx'); },
          { 'data-testid': 'export-xlsx', title: '附表（每张表一个工作表），Excel 工作簿（.xlsx）' }),
        button('打印', printReport, { 'data-testid': 'print', title: '打印自评报告和附表（A4）' }),
        ui.undo, ui.redo,
        ui.fileInput
      ])
    ]);
    ui.banners = h('div', { class: 'banners' });
    ui.exampleBanner = h('div', { class: 'banner example', 'data-testid': 'example-banner', hidden: true }, [
      h('span', { text: '这是示例数据（兰州新区应急管理局2022年度）' }),
      button('新建空白单位', newBlankUnit, { class: 'primary' })
    ]);
    ui.errorText = h('span');
    ui.errorBanner = h('div', { class: 'banner error', 'data-testid': 'error-banner', role: 'alert', hidden: true }, [
      ui.errorText, button('关闭', function () { ui.errorBanner.hidden = true; })
    ]);
    ui.storageWarning = h('div', { class: 'banner error', 'data-testid': 'storage-warning', hidden: true }, [
      h('span', { text: '浏览器本地存储已满或被禁用，自动保存没有成功。页面中的数据仍在，请及时点击“保存JSON”或“另存为HTML”。' })
    ]);
    ui.status = h('div', { class: 'status', 'data-testid': 'status', role: 'status' });
    ui.banners.appendChild(ui.exampleBanner);
    ui.banners.appendChild(ui.errorBanner);
    ui.banners.appendChild(ui.storageWarning);

    ui.rollup = h('section', { class: 'rollup', 'data-testid': 'rollup' });
    ui.projectList = h('ul', { class: 'project-list', 'data-testid': 'project-list' });
    ui.projectButtons = h('div', { class: 'project-buttons' });
    var left = h('aside', { class: 'left' }, [
      ui.rollup,
      h('h2', { text: '项目' }),
      ui.projectList,
      ui.projectButtons
    ]);
    ui.view = h('main', { class: 'center', 'data-testid': 'view' });
    ui.findingsHead = h('h2');
    ui.findings = h('div', { class: 'findings', 'data-testid': 'findings' });
    var right = h('aside', { class: 'right' }, [ui.findingsHead, ui.findings]);
    ui.dropHint = h('div', { class: 'drop-hint', text: '松开鼠标即可打开文件', hidden: true });
    ui.body = h('div', { class: 'body' }, [left, ui.view, right]);
    // Laid out only while shown, or off screen just before printing (see preparePrint).
    ui.preview = h('div', { class: 'preview', 'data-testid': 'preview' });

    app.appendChild(header);
    app.appendChild(ui.banners);
    app.appendChild(ui.body);
    app.appendChild(ui.preview);
    app.appendChild(ui.status);
    app.appendChild(ui.dropHint);
    renderUndoButtons();
  }

  function button(label, onClick, attrs) {
    var b = h('button', { type: 'button', text: label });
    setAttributes(b, attrs);
    if (onClick) b.addEventListener('click', onClick);
    return b;
  }

  function showError(message) {
    ui.errorText.textContent = message;
    ui.errorBanner.hidden = false;
  }

  var statusTimer = 0;
  function showStatus(message) {
    ui.status.textContent = message;
    ui.status.classList.add('shown');
    clearTimeout(statusTimer);
    statusTimer = setTimeout(function () { ui.status.classList.remove('shown'); }, 4000);
  }

  function unitLabel() {
    var u = state.unit;
    var name = u.name && u.name.trim() ? u.name.trim() : '未命名单位';
    return u.year ? name + ' · ' + u.year + '年度' : name;
  }

  function renderHeader() {
    ui.title.textContent = unitLabel();
    ui.dirty.hidden = !isDirty();
    document.title = unitLabel() + ' · 绩效自评';
  }

  function renderBanners() {
    ui.exampleBanner.hidden = !state.example;
  }

  /* ------------------------------------------------------------ left: the unit -- */

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
      h('div', { class: 'figure small', text: '项目 ' + u.projects + ' 个，已评 ' + u.evaluated + ' 个' }),
      gradeList,
      rulesPicker()
    ]);
  }

  function rulesPicker() {
    var select = h('select', {
      'data-testid': 'rules',
      title: '计分规则',
      onchange: function () {
        // The unit keeps its rules (saved with it, undoable); the core reads them.
        state.unit.rules = select.value === 'default' ? '' : select.value;
        afterEdit(true);
      }
    });
    state.vocab.presets.forEach(function (preset) {
      select.appendChild(h('option', { value: preset[0], text: preset[1], title: preset[1] }));
    });
    select.value = state.unit.rules || 'default';
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
    projects.forEach(function (project, index) {
      var row = ui.projectRows[index];
      var s = projectSummary(index);
      setClass(row.li, 'project-row' + (state.selected === index ? ' selected' : ''));
      if (row.li.title !== (project.name || '')) row.li.title = project.name || '';
      setText(row.name, project.name && project.name.trim() ? project.name : '（未命名项目）');
      setText(row.total, dash(s.total));
      setText(row.grade, dash(s.grade));
      setClass(row.grade, 'grade ' + gradeClass(s.grade));
    });
    renderProjectButtons();
  }

  function buildProjectList(count) {
    clear(ui.projectList);
    ui.projectList.appendChild(h('li', {
      class: 'unit-row', tabindex: 0, 'data-testid': 'unit-row',
      onclick: function () { select(-1); },
      onkeydown: activateOnEnter
    }, [h('span', { class: 'name', text: '单位整体信息与图表' })]));
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

  /** Writes a node's text or class only when it differs (no needless layout work). */
  function setText(node, text) {
    if (node.textContent !== text) node.textContent = text;
  }

  function setClass(node, name) {
    if (node.className !== name) node.className = name;
  }

  function activateOnEnter(e) {
    if (e.key === 'Enter' || e.key === ' ') {
      e.preventDefault();
      e.currentTarget.click();
    }
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
    if (coreDead) return;
    state.selected = index; // the tab stays, to compare projects tab by tab
    renderProjectList();
    renderView();
  }

  function blankProject() {
    return core.blankUnit().projects[0];
  }

  function addProject() {
    state.unit.projects.push(blankProject());
    state.selected = state.unit.projects.length - 1;
    state.tab = 'basic';
    structuralChange();
    focusField('name');
  }

  function removeProject() {
    var i = state.selected;
    if (i < 0) return;
    var name = state.unit.projects[i].name || '未命名项目';
    state.unit.projects.splice(i, 1);
    state.selected = Math.min(i, state.unit.projects.length - 1);
    structuralChange();
    showStatus('已删除项目“' + name + '”，可点“撤销”恢复。');
  }

  function moveProject(step) {
    var i = state.selected;
    var j = i + step;
    var list = state.unit.projects;
    if (i < 0 || j < 0 || j >= list.length) return;
    var moved = list.splice(i, 1)[0];
    list.splice(j, 0, moved);
    state.selected = j;
    structuralChange();
  }

  function duplicateProject() {
    var i = state.selected;
    if (i < 0) return;
    var twin = copy(state.unit.projects[i]);
    twin.name = (twin.name || '') + '（副本）';
    state.unit.projects.splice(i + 1, 0, twin);
    state.selected = i + 1;
    structuralChange();
  }

  /** A change of shape (rows added, removed, moved): commit at once, redraw the view. */
  function structuralChange() {
    flushCommit();
    afterEdit(true);
    renderView();
  }

  /* ---------------------------------------------------------- middle: the view -- */

  function runViewUpdaters() {
    viewUpdaters.forEach(function (update) { update(); });
  }

  function renderView() {
    viewUpdaters = [];
    clear(ui.view);
    if (state.selected >= 0 && state.unit.projects[state.selected]) renderProjectView(state.selected);
    else {
      state.selected = -1;
      renderUnitView();
    }
    runViewUpdaters();
  }

  /** The view's fields are bound to paths under a root: the unit, or one project. */
  function makeContext(root) {
    return {
      root: root,
      input: function (rel, kind, attrs, opts) { return boundInput(root, rel, kind, attrs, opts); }
    };
  }

  /**
   * An input bound to the unit at root + rel. Typing writes the unit and recomputes;
   * a value that is not a number where one is needed is marked and not written.
   * kind: text | textarea | decimal | year | bool | select.
   * opts: { options: [[value, label]…] (select), nullable: '' → null (select),
   *         rerender: redraw the view after a change, afterSet(path) }
   */
  function boundInput(root, rel, kind, attrs, opts) {
    opts = opts || {};
    var path = root.concat(splitPath(rel));
    var value = getIn(state.unit, path);
    var node;
    if (kind === 'textarea') node = h('textarea', { rows: 4, value: value || '' });
    else if (kind === 'bool') node = h('input', { type: 'checkbox', checked: !!value });
    else if (kind === 'select') node = selectFor(opts.options, value);
    else {
      node = h('input', {
        type: 'text',
        value: value === null ? '' : String(value),
        inputmode: kind === 'decimal' || kind === 'year' ? 'decimal' : null
      });
    }
    setAttributes(node, attrs);
    node.setAttribute('data-field', rel);
    if (kind === 'decimal') node.classList.add('num');
    if (kind === 'bool' || kind === 'select') {
      node.addEventListener('change', function () { commitInput(node, path, kind, opts); });
    } else {
      // While an input method composes (拼音), wait for the finished characters.
      node.addEventListener('input', function (e) {
        if (!e.isComposing) commitInput(node, path, kind, opts);
      });
      node.addEventListener('compositionend', function () { commitInput(node, path, kind, opts); });
    }
    return node;
  }

  /** A select with the given [value, label] options; a value not among them (as an
   *  imported form may have) is kept as an extra option, never dropped. */
  function selectFor(options, value) {
    var node = h('select');
    var seen = false;
    options.forEach(function (opt) {
      if (opt[0] === (value || '')) seen = true;
      node.appendChild(h('option', { value: opt[0], text: opt[1] }));
    });
    if (!seen && value) node.appendChild(h('option', { value: value, text: value }));
    node.value = value || '';
    return node;
  }

  function parseFor(kind, node, opts) {
    if (kind === 'bool') return { ok: true, value: node.checked };
    if (kind === 'decimal') return parseDecimal(node.value);
    if (kind === 'year') return parseYear(node.value);
    if (kind === 'select' && opts.nullable && node.value === '') return { ok: true, value: null };
    return { ok: true, value: node.value };
  }

  function commitInput(node, path, kind, opts) {
    var parsed = parseFor(kind, node, opts);
    if (!parsed.ok) {
      node.classList.add('invalid');
      node.title = parsed.message + '（未计入）';
      return;
    }
    if (node.classList.contains('invalid')) {
      node.classList.remove('invalid');
      node.removeAttribute('title');
    }
    var previous = getIn(state.unit, path);
    setIn(state.unit, path, parsed.value);
    if (opts.afterSet) opts.afterSet(path);
    // A number the core cannot hold (too many digits…) is refused here, so that the
    // unit always stays one the core can evaluate.
    var error = tryEvaluate();
    if (error) {
      setIn(state.unit, path, previous);
      tryEvaluate();
      node.classList.add('invalid');
      node.title = '这个数字无法计算（位数过多或格式不对），未计入';
      if (window.console) console.warn(error);
      return;
    }
    var immediate = kind === 'bool' || kind === 'select';
    afterEdit(immediate, true);
    if (opts.rerender) rerenderKeepingFocus();
  }

  function focusedField() {
    var active = document.activeElement;
    if (!active || !ui.view.contains(active)) return null;
    return active.getAttribute('data-field');
  }

  function restoreFocus(field) {
    if (field) focusField(field, true);
  }

  function rerenderKeepingFocus() {
    var field = focusedField();
    renderView();
    restoreFocus(field);
  }

  function focusField(field, quiet) {
    var node = ui.view.querySelector('[data-field="' + cssEscape(field) + '"]');
    if (!node) return null;
    node.focus();
    if (!quiet && node.scrollIntoView) node.scrollIntoView({ block: 'center' });
    return node;
  }

  function cssEscape(text) {
    return String(text).replace(/["\\]/g, '\\$&');
  }

  function labelled(label, control, extra) {
    return h('label', { class: 'field' + (extra ? ' ' + extra : '') }, [h('span', { text: label }), control]);
  }

  function section(title, children, attrs) {
    var node = h('section', attrs || null, [h('h3', { text: title })]);
    appendAll(node, children);
    return node;
  }

  /** A computed figure that follows the summary: `read(summary)` → [text, title]. */
  function computed(read, attrs) {
    var node = h('output', attrs);
    node.classList.add('computed');
    viewUpdaters.push(function () {
      var shown = read();
      node.textContent = shown[0];
      if (shown[1]) node.title = shown[1];
      else node.removeAttribute('title');
      if (shown[2] !== undefined) node.className = 'computed ' + shown[2];
    });
    return node;
  }

  /* The unit view: its details, funds, tasks, goal, the report's prose and the chart. */

  function renderUnitView() {
    var ctx = makeContext([]);
    var u = state.unit;
    appendAll(ui.view, [
      h('h2', { class: 'view-title', text: '单位整体' }),
      section('各项目执行率与总分', [chartHolder()], { class: 'chart-section' }),
      section('单位信息', [h('div', { class: 'form-grid' }, [
        labelled('单位名称', ctx.input('name', 'text')),
        labelled('年度', ctx.input('year', 'year', { placeholder: '如 2022' })),
        labelled('主送单位', ctx.input('addressee', 'text', { placeholder: '如 兰州新区财政局' })),
        labelled('依据的通知', ctx.input('basis', 'text'), 'wide'),
        labelled('文号', ctx.input('basisNumber', 'text')),
        labelled('落款日期', ctx.input('date', 'text', { placeholder: '如 2023年3月17日' })),
        labelled('表上填报的总分（核对用）', ctx.input('typed.total', 'decimal')),
        labelled('表上填报的等级（核对用）', ctx.input('typed.grade', 'select', null, { options: gradeOptions(), nullable: true }))
      ])]),
      section('部门整体资金（万元）', unitFunds(ctx, u)),
      section('年度主要任务', tasksTable(ctx, u)),
      section('年度总体目标', [h('div', { class: 'form-grid two' }, [
        labelled('预期目标', ctx.input('goal.expected', 'textarea')),
        labelled('实际完成情况', ctx.input('goal.actual', 'textarea'))
      ])]),
      section('自评报告文字', [h('div', { class: 'form-grid two' }, [
        labelled('一、自评工作开展情况', ctx.input('narrative.workDone', 'textarea')),
        labelled('（二）项目绩效目标完成情况', ctx.input('narrative.goalsSummary', 'textarea')),
        labelled('（三）偏差原因及改进措施', ctx.input('narrative.deviation', 'textarea')),
        labelled('三、下一步工作措施', ctx.input('narrative.nextSteps', 'textarea'))
      ])])
    ]);
  }

  function gradeOptions() {
    return [['', '（未填）']].concat(state.vocab.grades.map(function (g) { return [g, g]; }));
  }

  function unitFunds(ctx, u) {
    var note = computed(function () {
      var s = state.summary.unit;
      var source = s.fundsSource === 'unit' ? '单位预算和执行率按本表计算' : '本表未填写，单位预算和执行率按各项目合计';
      return [source + '：预算 ' + dash(s.budget) + ' 万元，执行 ' + dash(s.executed) + ' 万元，执行率 ' +
        (s.ratePercent ? s.ratePercent + '%' : '—') + '。'];
    }, { class: 'note' });
    var rows = ['total', 'fiscal', 'carryover', 'other', 'basic', 'project'];
    var parts = [fundsTable(ctx, 'funds', rows, false), note];
    if (u.funds) {
      parts.push(button('清空本表（改按各项目合计）', function () {
        state.unit.funds = null;
        structuralChange();
      }, { 'data-testid': 'clear-unit-funds' }));
    }
    return parts;
  }

  function tasksTable(ctx, u) {
    var body = h('tbody');
    u.tasks.forEach(function (task, i) {
      body.appendChild(h('tr', null, [
        h('td', null, ctx.input('tasks.' + i + '.name', 'text')),
        h('td', null, ctx.input('tasks.' + i + '.content', 'text')),
        h('td', null, ctx.input('tasks.' + i + '.completion', 'text')),
        h('td', null, button('删除', function () {
          state.unit.tasks.splice(i, 1);
          structuralChange();
        }, { class: 'small' }))
      ]));
    });
    return [
      h('table', { class: 'plain' }, [
        h('thead', null, h('tr', null, ['任务名称', '主要内容', '完成情况', ''].map(function (t) { return h('th', { text: t }); }))),
        body
      ]),
      button('+ 添加任务', function () {
        state.unit.tasks.push({ name: '', content: '', completion: '' });
        structuralChange();
        focusField('tasks.' + (state.unit.tasks.length - 1) + '.name');
      }, { 'data-testid': 'add-task' })
    ];
  }

  /** A funds block: one row per fund line, inputs for the amounts and the figures
   *  typed on the form (kept only for the audit). */
  function fundsTable(ctx, base, rows, withScore) {
    var head = ['', '年初预算数', '全年预算数', '全年执行数', '执行率（表上填报，%）'];
    if (withScore) head.push('得分（表上填报）');
    var body = h('tbody');
    rows.forEach(function (row) {
      var cells = [h('th', { text: FUND_ROWS[row] })];
      ['initial', 'budget', 'executed', 'typedRate'].forEach(function (key) {
        cells.push(h('td', null, ctx.input(base + '.' + row + '.' + key, 'decimal')));
      });
      if (withScore) {
        cells.push(h('td', null, row === 'total' ? ctx.input(base + '.total.typedScore', 'decimal') : null));
      }
      body.appendChild(h('tr', null, cells));
    });
    return h('table', { class: 'plain funds' }, [
      h('thead', null, h('tr', null, head.map(function (t) { return h('th', { text: t }); }))),
      body
    ]);
  }

  function chartHolder() {
    var holder = h('div', { class: 'chart', 'data-testid': 'chart' });
    viewUpdaters.push(function () {
      clear(holder);
      holder.appendChild(projectChart(state.summary.projects));
    });
    return holder;
  }

  /** Bar length for a percentage or score out of 100. Geometry only: the figures shown
   *  beside the bars are the core's strings. */
  function barLength(text, full) {
    var v = parseFloat(text);
    if (!isFinite(v) || v < 0) return 0;
    return Math.min(v, 100) / 100 * full;
  }

  function shortName(name, max) {
    name = name && name.trim() ? name.trim() : '未命名项目';
    return name.length > max ? name.slice(0, max - 1) + '…' : name;
  }

  /** Each project's execution rate and total score as two bars (inline SVG). */
  function projectChart(projects) {
    var rowH = 30;
    var labelW = 190;
    var barW = 300;
    var height = 26 + rowH * Math.max(projects.length, 1);
    var chart = svg('svg', {
      viewBox: '0 0 720 ' + height, width: '100%', role: 'img',
      'aria-label': '各项目执行率与总分'
    });
    chart.appendChild(svg('rect', { x: labelW, y: 6, width: 10, height: 8, class: 'bar-rate' }));
    chart.appendChild(svg('text', { x: labelW + 14, y: 14, class: 'legend' }, '执行率'));
    chart.appendChild(svg('rect', { x: labelW + 70, y: 6, width: 10, height: 8, class: 'bar-score grade-b' }));
    chart.appendChild(svg('text', { x: labelW + 84, y: 14, class: 'legend' }, '总分（颜色为等级）'));
    chart.appendChild(svg('line', { x1: labelW + barW, y1: 20, x2: labelW + barW, y2: height, class: 'full-mark' }));
    projects.forEach(function (p, i) {
      var y = 24 + i * rowH;
      var g = svg('g', { class: 'chart-row' });
      g.appendChild(svg('title', {}, p.name));
      g.appendChild(svg('text', { x: 0, y: y + 16, class: 'label' }, (i + 1) + ' ' + shortName(p.name, 12)));
      g.appendChild(svg('rect', { x: labelW, y: y + 3, width: barLength(p.ratePercent, barW), height: 9, class: 'bar-rate' }));
      g.appendChild(svg('rect', {
        x: labelW, y: y + 14, width: barLength(p.total, barW), height: 9,
        class: 'bar-score ' + gradeClass(p.grade)
      }));
      g.appendChild(svg('text', { x: labelW + barW + 8, y: y + 11, class: 'value' },
        '执行率 ' + (p.ratePercent ? p.ratePercent + '%' : '—')));
      g.appendChild(svg('text', { x: labelW + barW + 8, y: y + 23, class: 'value' },
        '总分 ' + dash(p.total) + ' ' + (p.grade || '')));
      chart.appendChild(g);
    });
    return chart;
  }

  /* The project view, in tabs. */

  function renderProjectView(index) {
    var project = state.unit.projects[index];
    var ctx = makeContext(['projects', index]);
    var s = function () { return projectSummary(index); };
    var title = computed(function () {
      var p = state.unit.projects[index];
      return ['项目 ' + (index + 1) + '：' + (p.name && p.name.trim() ? p.name : '（未命名项目）')];
    }, { class: 'view-title-text' });
    var headline = computed(function () {
      var p = s();
      return [
        '执行率 ' + (p.ratePercent ? p.ratePercent + '%' : '—') + ' · 总分 ' + dash(p.total) + ' · 等级 ' + dash(p.grade),
        p.cap || '', 'headline ' + gradeClass(p.grade)
      ];
    }, { 'data-testid': 'project-headline' });
    var tabs = h('nav', { class: 'tabs', role: 'tablist' });
    TABS.forEach(function (tab) {
      tabs.appendChild(h('button', {
        type: 'button', role: 'tab', text: tab.label, 'data-tab': tab.key,
        class: state.tab === tab.key ? 'active' : '',
        'aria-selected': state.tab === tab.key ? 'true' : 'false',
        onclick: function () {
          state.tab = tab.key;
          renderView();
        }
      }));
    });
    appendAll(ui.view, [h('h2', { class: 'view-title' }, [title, headline]), tabs]);
    var panel = h('div', { class: 'tab-panel', role: 'tabpanel' });
    if (state.tab === 'funds') appendAll(panel, projectFunds(ctx, index));
    else if (state.tab === 'indicators') appendAll(panel, indicatorGrid(ctx, project, index));
    else if (state.tab === 'text') appendAll(panel, projectText(ctx));
    else appendAll(panel, projectBasics(ctx, index));
    ui.view.appendChild(panel);
    markFindingsInView(index);
  }

  function projectBasics(ctx, index) {
    var s = function () { return projectSummary(index); };
    return [
      h('div', { class: 'form-grid' }, [
        labelled('项目名称', ctx.input('name', 'text'), 'wide'),
        labelled('主管部门', ctx.input('department', 'text')),
        labelled('实施单位', ctx.input('implementer', 'text')),
        labelled('表上填报的总分（核对用）', ctx.input('typed.total', 'decimal')),
        labelled('表上填报的等级（核对用）', ctx.input('typed.grade', 'select', null, { options: gradeOptions(), nullable: true }))
      ]),
      section('计算结果', [h('dl', { class: 'results' }, [
        h('dt', { text: '执行率' }), h('dd', null, computed(function () { return [s().ratePercent ? s().ratePercent + '%' : '—']; })),
        h('dt', { text: '预算执行得分' }), h('dd', null, computed(function () { return [dash(s().executionScore), s().executionBasis]; })),
        h('dt', { text: '总分' }), h('dd', null, computed(function () { return [dash(s().total), s().cap || '']; })),
        h('dt', { text: '等级' }), h('dd', null, computed(function () { return [dash(s().grade), '', gradeClass(s().grade)]; }))
      ])])
    ];
  }

  function projectFunds(ctx, index) {
    var s = function () { return projectSummary(index); };
    return [
      h('p', { class: 'note', text: '金额单位：万元。执行率、得分由程序按规则计算；“表上填报”两列只用于核对手填的数字。' }),
      fundsTable(ctx, 'funds', ['total', 'fiscal', 'carryover', 'other'], true),
      h('div', { class: 'form-grid' }, [
        labelled('预算执行率分值', ctx.input('executionWeight', 'decimal', { placeholder: '按规则（通常为10）' })),
        labelled('执行率（计算）', computed(function () { return [s().ratePercent ? s().ratePercent + '%' : '—']; }, { 'data-testid': 'project-rate' })),
        labelled('预算执行得分（计算）', computed(function () {
          return [dash(s().executionScore), s().executionBasis];
        }, { 'data-testid': 'execution-score' }))
      ]),
      computed(function () { return [s().executionBasis || '']; }, { class: 'note' })
    ];
  }

  function projectText(ctx) {
    return [h('div', { class: 'form-grid two' }, [
      labelled('年度总体目标 · 预期目标', ctx.input('goal.expected', 'textarea')),
      labelled('年度总体目标 · 实际完成情况', ctx.input('goal.actual', 'textarea')),
      labelled('偏离绩效目标的原因及下一步改进措施', ctx.input('deviation', 'textarea'), 'wide')
    ])];
  }

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
    if (row.level1 && allowed.indexOf(row.level2) < 0) row.level2 = '';
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
    return computed(function () {
      var s = projectSummary(index).indicators[r] || {};
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
    viewUpdaters.push(function () {
      var p = projectSummary(index);
      clear(block);
      block.appendChild(h('span', { class: 'level', title: p.executionBasis || '' }, [
        '预算执行率 ', h('b', { 'data-testid': 'level-subtotal', 'data-level': '预算执行率', text: dash(p.executionScore) })
      ]));
      p.levels.forEach(function (l) {
        block.appendChild(h('span', { class: 'level' }, [
          l.name + ' ', h('b', { 'data-testid': 'level-subtotal', 'data-level': l.name, text: dash(l.score) }), ' / ' + l.weight
        ]));
      });
      block.appendChild(h('span', { class: 'level total', title: p.cap || '' }, [
        '总分 ', h('b', { 'data-testid': 'grid-total', text: dash(p.total) }),
        '  等级 ', h('b', { 'data-testid': 'grid-grade', class: gradeClass(p.grade), text: dash(p.grade) })
      ]));
    });
    return block;
  }

  function insertIndicator(index, after) {
    var list = state.unit.projects[index].indicators;
    list.splice(after + 1, 0, blankIndicator(list[after]));
    structuralChange();
    focusCell(after + 1, list[after] ? 2 : 0);
  }

  function removeIndicator(index, r) {
    var list = state.unit.projects[index].indicators;
    list.splice(r, 1);
    structuralChange();
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
    flushCommit();
    var before = JSON.stringify(state.unit);
    rows.forEach(function (cells, i) {
      var r = row + i;
      while (list.length <= r) list.push(blankIndicator(list[list.length - 1]));
      cells.forEach(function (text, j) {
        var column = GRID_COLUMNS[col + j];
        if (!column) return;
        var value = pastedValue(column, text);
        if (value.ok) list[r][column.key] = value.value;
        else problems.push('第' + (r + 1) + '行' + column.label + '“' + text + '”' + value.message);
      });
    });
    var error = tryEvaluate();
    if (error) {
      state.unit = JSON.parse(before);
      evaluateNow();
      showError('粘贴的内容无法计算（' + error + '），已撤回这次粘贴。');
      return;
    }
    structuralChange();
    focusCell(row, col);
    showStatus('已粘贴 ' + rows.length + ' 行。' + (problems.length ? '未填入：' + problems.join('；') : ''));
  }

  function pastedValue(column, text) {
    if (column.kind === 'bool') return { ok: true, value: parseBool(text) };
    if (column.kind === 'decimal') return parseDecimal(text);
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

  /* ---------------------------------------------------------- right: findings -- */

  function allFindings() {
    var computedFindings = state.summary ? state.summary.findings : [];
    return state.importFindings.map(function (f) {
      var g = copy(f);
      g.imported = true;
      return g;
    }).concat(computedFindings);
  }

  /** The findings panel, rebuilt only when the findings changed (most edits leave
   *  them as they were). */
  function renderFindings() {
    var findings = allFindings();
    var signature = findings.map(function (f) {
      return [f.severity, f.code, f.imported ? 1 : 0, f.projectIndex, f.row, f.field, f.message].join('\u0001');
    }).join('\u0002');
    if (signature === ui.findingsSignature && ui.findings.firstChild) return;
    ui.findingsSignature = signature;
    ui.findingsHead.textContent = '核对（' + findings.length + '）';
    clear(ui.findings);
    if (!findings.length) {
      ui.findings.appendChild(h('p', { class: 'note', text: '未发现问题。' }));
      return;
    }
    SEVERITIES.forEach(function (sev) {
      var group = findings.filter(function (f) { return f.severity === sev.key; });
      if (!group.length) return;
      var list = h('ul', { class: 'finding-list' });
      group.forEach(function (f) {
        list.appendChild(h('li', null, h('button', {
          type: 'button', class: 'finding ' + sev.key, 'data-testid': 'finding', 'data-code': f.code,
          onclick: function () { gotoFinding(f); }
        }, [
          f.imported ? h('span', { class: 'tag', text: '导入' }) : null,
          f.message
        ])));
      });
      ui.findings.appendChild(h('section', { class: 'finding-group ' + sev.key, 'data-severity': sev.key }, [
        h('h3', null, [h('span', { class: 'mark', text: sev.mark }), ' ' + sev.label + '（' + group.length + '）']),
        list
      ]));
    });
  }

  function tabForField(field, row) {
    if (!field) return row ? 'indicators' : 'basic';
    var head = field.split('.')[0];
    if (head === 'indicators') return 'indicators';
    if (head === 'funds' || head === 'executionWeight') return 'funds';
    if (head === 'goal' || head === 'deviation') return 'text';
    return 'basic';
  }

  /** Selects the project and tab of a finding and focuses its field. */
  function gotoFinding(f) {
    var index = f.projectIndex;
    var hasProject = index !== null && index !== undefined && index < state.unit.projects.length;
    state.selected = hasProject ? index : -1;
    if (hasProject) state.tab = tabForField(f.field, f.row);
    renderProjectList();
    renderView();
    var node = f.field ? focusField(f.field) : null;
    if (!node && f.row) node = focusField('indicators.' + (f.row - 1) + '.name');
    if (node) flash(node);
  }

  function flash(node) {
    node.classList.add('flash');
    setTimeout(function () { node.classList.remove('flash'); }, 1600);
  }

  /** Marks the fields that findings point to in the current project view. */
  function markFindingsInView(index) {
    viewUpdaters.push(function () {
      var marked = ui.view.querySelectorAll('.has-error, .has-warning');
      Array.prototype.forEach.call(marked, function (node) {
        node.classList.remove('has-error', 'has-warning');
      });
      (state.summary ? state.summary.findings : []).forEach(function (f) {
        if (f.projectIndex !== index || !f.field || f.severity === 'notice') return;
        var node = ui.view.querySelector('[data-field="' + cssEscape(f.field) + '"]');
        if (node) node.classList.add(f.severity === 'error' ? 'has-error' : 'has-warning');
      });
    });
  }

  /* ------------------------------------------------- the report: preview and print -- */

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
    flushCommit();
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
    if (preparePrint()) window.print();
  }

  /** Before any printing (the button or the browser's menu): lay the report out, off
   *  screen when the preview is closed; the print style sheet shows only it. False
   *  (and said why) when there is no report to print. */
  function preparePrint() {
    if (!core || coreDead || !state.unit) return false;
    flushCommit();
    if (!state.preview) ui.preview.className = 'preview offscreen';
    if (state.previewOf === previewSource() || renderPreview()) return true;
    if (!state.preview) ui.preview.className = 'preview';
    return false;
  }

  function afterPrint() {
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
      report = camelKeys(core.report(unitText(), null));
    } catch (err) {
      if (err.coreDead) return false;
      showError('无法生成报告：' + reasonOf(err) + '。');
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
    (report.forms || []).forEach(function (form) {
      sheets.appendChild(formSheet(form));
    });
    summary.textContent = '按打印效果显示：自评工作总结 ' + pages + ' 页（A4 竖向），附表 ' +
      (report.forms || []).length + ' 张（A4 横向，表头在每页重复）。打印时只打印报告。';
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
      h('div', { class: 'doc-page-number', 'data-testid': 'page-number', text: '\u2014 ' + n + ' \u2014' })
    ]);
    return { page: page, flow: flow };
  }

  function blockNode(kind, text, prev, next, continued) {
    var classes = ['doc-block', 'doc-' + kind];
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
    newPage();
    blocks.forEach(function (block, i) {
      var kind = BLOCK_KINDS.indexOf(block.kind) >= 0 ? block.kind : 'paragraph';
      var keep = KEEP_WITH_NEXT[kind] && i < blocks.length - 1 ? line : 0;
      var text = String(block.text || '');
      var continued = false;
      for (;;) {
        var node = blockNode(kind, text, blocks[i - 1], blocks[i + 1], continued);
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
        // The signature is not left alone on a page: the block before goes with it.
        var before = node.previousSibling;
        if (kind === 'signature' && !continued && before && before !== flow.firstChild &&
            (!blocks[i - 1] || blocks[i - 1].kind !== 'signature')) {
          flow.removeChild(node);
          flow.removeChild(before);
          newPage();
          flow.appendChild(before);
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
    return count;
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

  /** A form on landscape pages: caption, title, subtitle and its table. */
  function formSheet(form) {
    var sheet = h('div', { class: 'sheet form-page', 'data-testid': 'preview-form', 'data-caption': form.caption }, [
      h('div', { class: 'form-caption', text: form.caption }),
      h('div', { class: 'form-title', text: form.title }),
      h('div', { class: 'form-subtitle', text: form.subtitle })
    ]);
    appendAll(sheet, formTables(form));
    return sheet;
  }

  /** A form's cells as tables. With a header row, the rows above it are one table and
   *  the rest another whose <thead> is the header row, which the browser repeats at
   *  the top of every printed page. */
  function formTables(form) {
    var header = form.headerRow;
    if (typeof header !== 'number' || header < 0 || header >= form.rows) {
      return [formTable(form, [['tbody', 0, form.rows]])];
    }
    var tables = [];
    if (header > 0) tables.push(formTable(form, [['tbody', 0, header]]));
    tables.push(formTable(form, [['thead', header, header + 1], ['tbody', header + 1, form.rows]]));
    return tables;
  }

  /** groups: [tag, first row, end row] row groups of one table. */
  function formTable(form, groups) {
    var total = form.widths.reduce(function (sum, w) { return sum + w; }, 0) || 1;
    var cols = h('colgroup');
    form.widths.forEach(function (w) {
      var col = h('col');
      col.style.width = (w / total * 100) + '%'; // geometry only
      cols.appendChild(col);
    });
    var table = h('table', { class: 'form-table' }, cols);
    groups.forEach(function (g) {
      if (g[2] > g[1]) table.appendChild(formRows(form, g[0], g[1], g[2]));
    });
    return table;
  }

  /**
   * Rows [from, to) of a form as a row group. A merged cell is placed at its first row
   * in the group and spans what it covers there; covered positions get nothing, empty
   * ones an empty cell. A cell cut by the group's edge (绩效指标 spans the header row
   * and the indicators) keeps its text in its first part; the parts join without a line.
   */
  function formRows(form, tag, from, to) {
    var group = h(tag);
    var starts = {};
    var covered = {};
    form.cells.forEach(function (cell) {
      var top = Math.max(cell.row, from);
      var end = Math.min(cell.row + cell.rowSpan, to);
      if (top >= end) return;
      starts[top + ',' + cell.col] = {
        cell: cell, rows: end - top, first: top === cell.row, last: end === cell.row + cell.rowSpan
      };
      for (var r = top; r < end; r++) {
        for (var c = cell.col; c < cell.col + cell.colSpan; c++) covered[r + ',' + c] = true;
      }
    });
    for (var r = from; r < to; r++) {
      var tr = h('tr');
      for (var c = 0; c < form.widths.length; c++) {
        var piece = starts[r + ',' + c];
        if (piece) tr.appendChild(formCell(piece));
        else if (!covered[r + ',' + c]) tr.appendChild(h('td'));
      }
      group.appendChild(tr);
    }
    return group;
  }

  function formCell(piece) {
    var cell = piece.cell;
    var classes = ['al-' + (cell.align || 'center')];
    if (!piece.first) classes.push('joins-above');
    if (!piece.last) classes.push('joins-below');
    return h(cell.label ? 'th' : 'td', {
      class: classes.join(' '),
      rowspan: piece.rows > 1 ? piece.rows : null,
      colspan: cell.colSpan > 1 ? cell.colSpan : null,
      text: piece.first ? cell.text : ''
    });
  }

  /* ------------------------------------------------------------ open and save -- */

  function newBlankUnit() {
    setDocument(core.blankUnit(), { example: false, findings: [] });
    showStatus('已新建空白单位，可点“撤销”回到之前的数据。');
  }

  function readBytes(file) {
    if (file.arrayBuffer) return file.arrayBuffer();
    return new Promise(function (resolve, reject) {
      var reader = new FileReader();
      reader.onload = function () { resolve(reader.result); };
      reader.onerror = function () { reject(reader.error); };
      reader.readAsArrayBuffer(file);
    });
  }

  /** Opens a picked or dropped file. On any failure the current unit is untouched. */
  function openFile(file) {
    if (coreDead) return;
    readBytes(file).then(function (buf) {
      var bytes = new Uint8Array(buf);
      var loaded = /\.html?$/i.test(file.name)
        ? { unit: unitFromSavedCopy(bytes), findings: [] }
        : core.loadFile(bytes, file.name);
      ui.errorBanner.hidden = true;
      setDocument(loaded.unit, { example: false, findings: camelKeys(loaded.findings || []) });
      showStatus('已打开“' + file.name + '”。');
    }).catch(function (err) {
      if (err.coreDead) return; // the crash banner says it
      // The core's messages already name the file (“bad.xlsx”不是…).
      var message = messageOf(err).replace(/[。.]$/, '');
      var named = message.indexOf(file.name) >= 0 ? message : '“' + file.name + '”' + message;
      showError('无法打开文件：' + named + '。当前数据没有改变。');
    });
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
      return core.fromJson(JSON.stringify(data.unit));
    } catch (err) {
      if (err.coreDead) throw err;
      throw new Error('中保存的数据已损坏或被改动（' + messageOf(err).replace(/[。.]$/, '') + '）');
    }
  }

  /** A name without the characters file systems refuse, at most `max` characters. */
  function safeName(text, max) {
    // Bidirectional controls (U+202E…) could make “报告\u202Eslx.exe” look like another
    // kind of file: dropped.
    var name = String(text || '').replace(/[\\/:*?"<>|\u0000-\u001f\u007f]/g, '_')
      .replace(/[\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]/g, '')
      .replace(/^[\s.]+|[\s.]+$/g, '');
    return name.length > max ? name.slice(0, max) : name;
  }

  /** <单位>_<年度>_绩效自评.<ext>, without characters file systems refuse. */
  function fileName(ext) {
    var u = state.unit;
    var name = safeName(u.name, 60) || '未命名单位';
    return name + (u.year ? '_' + u.year : '') + '_绩效自评.' + ext;
  }

  /** Offers `data` (text, or bytes from the core) as a file to save. */
  function download(data, name, type) {
    var url;
    try {
      url = URL.createObjectURL(new Blob([data], { type: type }));
    } catch (err) {
      throw new Error('浏览器没有生成下载文件（' + messageOf(err).replace(/[。.]$/, '') + '）');
    }
    var a = h('a', { href: url, download: name, hidden: true });
    document.body.appendChild(a);
    a.click();
    a.remove();
    setTimeout(function () { URL.revokeObjectURL(url); }, 10000);
  }

  function saveJson() {
    if (!coreDead) flushCommit();
    try {
      download(unitJson(), fileName('json'), 'application/json;charset=utf-8');
      markSaved('已保存为 ' + fileName('json'));
    } catch (err) {
      showError(saveFailed('保存', err));
    }
  }

  /** The unit as the project's JSON text. The page's unit object is that format (the
   *  core made it), so without a core it is written as it is. */
  function unitJson() {
    if (!coreDead) {
      try {
        return core.toJson(unitText());
      } catch (err) {
        if (!coreDead) throw err;
      }
    }
    return JSON.stringify(state.unit, null, 2);
  }

  function saveFailed(what, err) {
    return what + '失败：' + reasonOf(err) + '。数据仍在页面中，没有标记为已保存；请重试，或改用“' +
      (what === '保存' ? '另存为HTML' : '保存JSON') + '”。';
  }

  /** A new copy of the whole app with the current data before the code. The scripts
   *  are copied unchanged, so the hashes in the CSP still match them. */
  function saveHtml() {
    if (!coreDead) flushCommit();
    try {
      var text = function (id) { return byId(id).textContent; };
      var csp = document.querySelector('meta[http-equiv="Content-Security-Policy"]');
      var unit = JSON.parse(unitJson());
      var html = window.jixiaoTemplate.render({
        title: unitLabel() + ' · 绩效自评',
        csp: csp ? csp.getAttribute('content') : "default-src 'none'",
        css: text('jixiao-css'),
        data: JSON.stringify({ example: false, unit: unit }),
        check: text('jixiao-check'),
        unpack: text('jixiao-unpack'),
        wasm: text('jixiao-wasm'),
        wasmLength: byId('jixiao-wasm').getAttribute('data-length'),
        wasmSize: byId('jixiao-wasm').getAttribute('data-size'),
        glue: text('jixiao-glue'),
        template: text('jixiao-template'),
        app: text('jixiao-app')
      });
      download(html, fileName('html'), 'text/html;charset=utf-8');
      markSaved('已另存为 ' + fileName('html') + '，以后双击该文件即可继续填写。');
    } catch (err) {
      showError(saveFailed('另存', err));
    }
  }

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
    flushCommit();
    try {
      var rules = null; // the unit's own rules
      var text = unitText();
      var stem = safeName(core.fileStem(text), 80) || '未命名单位';
      var bytes = core[spec.call](text, rules);
      var name = stem + '_' + state.vocab[spec.file];
      download(bytes, name, spec.type);
      showStatus('已导出 ' + name);
    } catch (err) {
      if (err.coreDead) return; // the crash banner says it
      showError(spec.label + '失败：' + reasonOf(err) + '。当前数据没有改变。');
      if (window.console) console.warn(err);
    }
  }

  /** The core's messages are Chinese; anything else (a trap inside the core) is
   *  named as an internal error rather than shown bare. */
  function reasonOf(err) {
    var message = messageOf(err).replace(/[。.]$/, '');
    return /[\u4e00-\u9fff]/.test(message) ? message : '程序内部错误（' + message + '）';
  }

  function markSaved(message) {
    state.savedText = JSON.stringify(state.unit);
    state.example = false;
    renderBanners();
    renderHeader();
    writeAutosave();
    showStatus(message);
  }

  /* ------------------------------------------------------------ page handlers -- */

  function installGlobalHandlers() {
    document.addEventListener('keydown', onGlobalKeydown);
    document.addEventListener('paste', onPaste);
    // Printing from the browser's own menu (Ctrl+P) prints the report too.
    window.addEventListener('beforeprint', preparePrint);
    window.addEventListener('afterprint', afterPrint);
    // Hidden (another tab, minimised, phone locked), closed or reloaded: autosave now.
    document.addEventListener('visibilitychange', function () {
      if (document.visibilityState === 'hidden') autosaveNow();
    });
    window.addEventListener('pagehide', autosaveNow);
    window.addEventListener('beforeunload', function (e) {
      autosaveNow();
      if (leaving || !isDirty()) return undefined;
      e.preventDefault();
      e.returnValue = '有未保存的修改';
      return e.returnValue;
    });
    installDrop();
  }

  function onGlobalKeydown(e) {
    if (coreDead) return;
    if (e.key === 'Escape' && state.preview) {
      closePreview();
      return;
    }
    if (!(e.ctrlKey || e.metaKey) || e.altKey) return;
    var key = e.key.toLowerCase();
    if (key === 'z' && !e.shiftKey) {
      e.preventDefault();
      undo();
    } else if (key === 'y' || (key === 'z' && e.shiftKey)) {
      e.preventDefault();
      redo();
    }
  }

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
      var file = e.dataTransfer.files[0];
      if (file) openFile(file);
    });
  }

  boot();
})();
