/* Jixiao page · document: the open unit document and its history.
 *
 * The unit is the core's JSON object. Every change goes through set() or splice(), which
 * apply it and record it as an operation with what it replaced; a step of the history is
 * the operations of one edit (a pause in typing, a paste, a structural edit). Undo
 * applies a step's operations backwards. So the history holds changes, not copies: 200
 * moves of a project in a 5,000-project unit hold 400 references, not 200 units.
 *
 * Each state the document passes through has a number (stateId): the state of a fresh
 * document, then one per step. “Saved” is the state a save was confirmed at; undoing
 * back to it is clean again. */
(function (J) {
  'use strict';

  var U = J.util;
  var TYPING_COMMIT_MS = 400; // one undo step per pause in typing
  var HISTORY_LIMIT = 200;

  var counter = 0; // state numbers, unique within the page's life

  var doc = {
    unit: null,
    id: '', // the document's identity (unit.documentId)
    example: false,
    importFindings: [],
    origin: '', // where it came from: a file's name, “新建”, …
    stateId: 0,
    savedStateId: 0, // state at the last confirmed save (or as opened from its file)
    downloadedStateId: -1, // state offered as a download whose saving is unconfirmed
    readOnly: false, // another tab edits this document (see tabs.js)
    /** The page's view state ({ selected, tab }), recorded with each step so that undo
     *  shows where the change was. Set by the page. */
    viewState: function () { return null; }
  };

  var history = { steps: [], index: -1, pending: [], pendingView: null, pendingFrom: 0, timer: 0 };

  /* What changed since the core last scored the unit (page.tryEvaluate): the unit's own
   * fields, projects by index, or everything (a new document, projects added, removed
   * or moved). The core keeps the unit and re-scores only what is sent. */
  var touched = { all: true, unit: false, projects: [] };

  function touch(path) {
    if (path[0] !== 'projects') {
      touched.unit = true;
    } else if (path.length < 3 || typeof path[1] !== 'number') {
      touched.all = true; // the list of projects itself
    } else if (touched.projects.indexOf(path[1]) < 0) {
      touched.projects.push(path[1]);
    }
  }

  /** What changed since the last call: { all, unit, projects: [indexes] }. */
  doc.takeTouched = function () {
    var t = touched;
    touched = { all: false, unit: false, projects: [] };
    return t;
  };

  /** The core's copy may differ from the document's: the next scoring sends it whole. */
  doc.touchAll = function () {
    touched.all = true;
  };

  /** A fresh random identity: 'd-' and 24 hexadecimal digits. */
  function newId() {
    var bytes = new Uint8Array(12);
    window.crypto.getRandomValues(bytes);
    var hex = '';
    for (var i = 0; i < bytes.length; i++) hex += (bytes[i] < 16 ? '0' : '') + bytes[i].toString(16);
    return 'd-' + hex;
  }

  /** Replaces the whole document (open, new, recover, start-up); the history starts
   *  again. opts: { example, findings, origin, dirty (not as saved in any file),
   *  keepId (a file's own identity; else a new one when it has none) }. */
  doc.load = function (unit, opts) {
    opts = opts || {};
    clearTimeout(history.timer);
    history = { steps: [], index: -1, pending: [], pendingView: null, pendingFrom: 0, timer: 0 };
    if (!unit.documentId || opts.newId) unit.documentId = newId();
    doc.unit = unit;
    doc.id = unit.documentId;
    doc.example = !!opts.example;
    doc.importFindings = opts.findings || [];
    doc.origin = opts.origin || '';
    doc.stateId = ++counter;
    touched.all = true;
    doc.savedStateId = opts.dirty ? -1 : doc.stateId;
    doc.downloadedStateId = -1;
  };

  /* ------------------------------------------------------------- operations -- */

  /** Sets the value at `path` (an array of keys and indexes). A missing object on the
   *  way is created, and recorded as created, so that undo removes it again; a blank
   *  value there changes nothing. */
  doc.set = function (path, value) {
    var obj = doc.unit;
    for (var i = 0; i < path.length - 1; i++) {
      var next = obj[path[i]];
      if (next === null || next === undefined) {
        if (value === null || value === undefined) return; // blank where nothing is: no change
        // Record the whole new branch at its first missing object.
        var branch = {};
        U.setIn(branch, path.slice(i + 1), value);
        record({ kind: 'set', path: path.slice(0, i + 1), before: next, after: branch });
        obj[path[i]] = branch;
        return;
      }
      obj = next;
    }
    var key = path[path.length - 1];
    var before = obj[key];
    if (before === value) return;
    record({ kind: 'set', path: path.slice(), before: before, after: value });
    obj[key] = value;
  };

  /** Array.splice on the array at `path`: removes `count` items at `index` and inserts
   *  `items` there. */
  doc.splice = function (path, index, count, items) {
    var list = U.getIn(doc.unit, path);
    var removed = Array.prototype.splice.apply(list, [index, count].concat(items || []));
    record({ kind: 'splice', path: path.slice(), index: index, removed: removed, inserted: (items || []).slice() });
  };

  function record(op) {
    touch(op.path);
    op.from = doc.stateId;
    if (!history.pending.length) {
      history.pendingView = doc.viewState();
      history.pendingFrom = doc.stateId;
    }
    history.pending.push(op);
    doc.stateId = ++counter;
  }

  function apply(op, backwards) {
    touch(op.path);
    if (op.kind === 'set') {
      var parent = U.getIn(doc.unit, op.path.slice(0, -1));
      var key = op.path[op.path.length - 1];
      var value = backwards ? op.before : op.after;
      if (value === undefined) delete parent[key];
      else parent[key] = value;
    } else {
      var list = U.getIn(doc.unit, op.path);
      var out = backwards ? op.inserted : op.removed;
      var back = backwards ? op.removed : op.inserted;
      Array.prototype.splice.apply(list, [op.index, out.length].concat(back));
    }
  }

  /** A mark in the edit under way, to roll back to when what followed cannot be kept
   *  (a number the core cannot hold, a paste that does not compute). */
  doc.mark = function () {
    return history.pending.length;
  };

  doc.rollbackTo = function (mark) {
    while (history.pending.length > mark) {
      var op = history.pending.pop();
      apply(op, true);
      doc.stateId = op.from;
    }
  };

  /* --------------------------------------------------------------- history -- */

  /** Closes the edit under way as one step of the history. */
  doc.commit = function () {
    clearTimeout(history.timer);
    history.timer = 0;
    if (!history.pending.length) return;
    history.steps.length = history.index + 1;
    history.steps.push({
      ops: history.pending, viewBefore: history.pendingView, viewAfter: doc.viewState(),
      stateBefore: history.pendingFrom, stateAfter: doc.stateId
    });
    history.pending = [];
    if (history.steps.length > HISTORY_LIMIT) history.steps.shift();
    history.index = history.steps.length - 1;
  };

  /** Typing: the step closes after a pause. */
  doc.scheduleCommit = function () {
    clearTimeout(history.timer);
    history.timer = setTimeout(doc.commit, TYPING_COMMIT_MS);
  };

  doc.hasPending = function () {
    return history.pending.length > 0;
  };

  /** The step undone (its view before), or null when there is none. */
  doc.undo = function () {
    doc.commit();
    var step = history.steps[history.index];
    if (!step) return null;
    for (var i = step.ops.length - 1; i >= 0; i--) apply(step.ops[i], true);
    history.index--;
    doc.stateId = step.stateBefore;
    return step.viewBefore || {};
  };

  doc.redo = function () {
    doc.commit();
    var step = history.steps[history.index + 1];
    if (!step) return null;
    step.ops.forEach(function (op) { apply(op, false); });
    history.index++;
    doc.stateId = step.stateAfter;
    return step.viewAfter || {};
  };

  doc.canUndo = function () {
    return history.index >= 0 || history.pending.length > 0;
  };

  doc.canRedo = function () {
    return history.index < history.steps.length - 1 && !history.pending.length;
  };

  /** Steps held, and operations in them (for the benchmark of the history's memory). */
  doc.historySize = function () {
    var ops = 0;
    history.steps.forEach(function (s) { ops += s.ops.length; });
    return { steps: history.steps.length, ops: ops };
  };

  /* ----------------------------------------------------------------- saving -- */

  doc.isDirty = function () {
    return doc.stateId !== doc.savedStateId;
  };

  /** Offered as a download: the browser does not say whether it was kept. */
  doc.isUnconfirmed = function () {
    return doc.isDirty() && doc.stateId === doc.downloadedStateId;
  };

  /** A save to a file the page wrote itself (and knows it succeeded). */
  doc.markSaved = function (state) {
    doc.commit();
    doc.savedStateId = state === undefined ? doc.stateId : state;
    doc.example = false;
  };

  doc.markDownloaded = function (state) {
    doc.commit();
    doc.downloadedStateId = state === undefined ? doc.stateId : state;
    doc.example = false;
  };

  doc.newId = newId;

  J.doc = doc;
})(window.jixiaoApp = window.jixiaoApp || {});
