/* Jixiao page · page: the page's state and its one loop — an edit changes the document
 * (J.doc), the core evaluates it, every computed part of the screen redraws from the
 * core's Summary. This file does no arithmetic on money, rates or scores and holds no
 * scoring rule: every figure shown is a string from the Summary. */
(function (J) {
  'use strict';

  var U = J.util;

  /** What the screen shows; the unit itself is the document's (J.doc.unit). */
  var state = {
    summary: null,
    vocab: null,
    selected: -1, // project index, or -1 for the unit
    tab: 'basic',
    preview: false, // the report preview replaces the editing columns
    frameText: null // the unit's JSON text while one redraw runs (see unitText)
  };
  Object.defineProperty(state, 'unit', { get: function () { return J.doc.unit; } });
  J.state = state;
  J.ui = {}; // nodes of the page shell

  var page = { leaving: false }; // leaving: a reload the page asked for (no prompt)

  /** The unit as JSON text: how it goes to the core. Within one redraw (nothing edits
   *  the unit while it draws) it is written once. */
  page.unitText = function () {
    return state.frameText || JSON.stringify(J.doc.unit);
  };

  /** Asks the core for the Summary; returns the core's message when it cannot. The
   *  core keeps the unit (src/session.rs): after an edit it is sent what changed — the
   *  projects edited, the unit's own fields — and only those are re-scored; the delta
   *  it returns is merged here (nothing computed: whole objects replaced). A new
   *  document or a change of the list of projects sends the unit whole. */
  page.tryEvaluate = function () {
    var touched = J.doc.takeTouched();
    try {
      if (touched.all || !state.summary) {
        state.summary = U.camelKeys(JSON.parse(J.core.sessionLoad(page.unitText())));
      } else if (touched.unit || touched.projects.length) {
        var unit = J.doc.unit;
        var fields = null;
        if (touched.unit) {
          var own = {};
          Object.keys(unit).forEach(function (key) { if (key !== 'projects') own[key] = unit[key]; });
          own.projects = [];
          fields = JSON.stringify(own);
        }
        var projects = JSON.stringify(touched.projects.map(function (i) { return [i, unit.projects[i]]; }));
        merge(U.camelKeys(JSON.parse(J.core.sessionEdit(fields, projects))));
      }
      return null;
    } catch (err) {
      // The core's copy may now differ from the page's: sent whole next time.
      J.doc.touchAll();
      // Without a core the edit is kept (figures stay as they were; the page says so).
      if (J.engine.dead) return null;
      return U.messageOf(err);
    }
  };

  /** An edit's delta into the Summary shown: the unit's figures, the projects re-scored,
   *  the findings when they changed. */
  function merge(delta) {
    var summary = state.summary;
    summary.rules = delta.rules;
    summary.unit = delta.unit;
    delta.projects.forEach(function (p) { summary.projects[p[0]] = p[1]; });
    if (delta.findings) summary.findings = delta.findings;
  }

  page.evaluateNow = function () {
    var error = page.tryEvaluate();
    if (error) J.shell.showError('计算失败：' + error);
  };

  /** The year evaluated as the core reads it (a number), or null. */
  page.year = function () {
    return state.summary && state.summary.unit.year || null;
  };

  page.projectSummary = function (index) {
    var projects = state.summary ? state.summary.projects : [];
    return projects[index] || { levels: [], indicators: [] };
  };

  /** The scores of an indicator block: a project's (index ≥ 0), or the unit form's own
   *  (index -1: the unit's 预算执行率 and indicators, its 总分 and 等级). */
  page.blockSummary = function (index) {
    if (index >= 0) return page.projectSummary(index);
    var unit = state.summary ? state.summary.unit : null;
    return unit && unit.levels ? unit : { levels: [], indicators: [] };
  };

  /** After any change to the unit: recompute and refresh what is computed. Inputs are
   *  not rebuilt, so the one being typed in keeps its focus and caret. */
  page.afterEdit = function (structural, evaluated) {
    if (evaluated) redraw();
    else refresh();
    if (structural) J.doc.commit();
    else J.doc.scheduleCommit();
    page.renderUndoButtons();
    J.recovery.schedule();
  };

  /** A change of shape (rows added, removed, moved): one step, the view redrawn. */
  page.structuralChange = function (evaluated) {
    // The view drawn before may show a project no longer there: its updaters are
    // dropped and the new view drawn from a fresh evaluation before the rest redraws.
    J.views.dropUpdaters();
    if (!evaluated) page.evaluateNow();
    J.views.renderView();
    page.afterEdit(true, true);
    J.shell.applyReadOnly();
  };

  function refresh() {
    page.evaluateNow();
    redraw();
  }

  /** Everything computed, from the current Summary. */
  function redraw() {
    J.shell.renderHeader();
    J.list.renderRollup();
    J.list.renderProjectList();
    J.findings.renderFindings();
    J.views.runViewUpdaters();
  }

  page.renderAll = function () {
    if (state.selected >= J.doc.unit.projects.length) state.selected = J.doc.unit.projects.length - 1;
    state.frameText = JSON.stringify(J.doc.unit);
    try {
      page.evaluateNow();
      J.shell.renderHeader();
      J.shell.renderBanners();
      J.list.renderRollup();
      J.list.renderProjectList();
      J.views.renderView();
      J.findings.renderFindings();
      if (state.preview) J.preview.renderPreview();
    } finally {
      state.frameText = null;
    }
    page.renderUndoButtons();
    J.shell.applyReadOnly();
  };

  /** Shows another document: the view starts at the unit, or at `view` ({ selected,
   *  tab }: the view a saved copy was saved at, see snapshot.js). */
  page.showDocument = function (view) {
    state.selected = view ? view.selected : -1;
    state.tab = view ? view.tab : 'basic';
    page.renderAll();
  };

  /* ---------------------------------------------------------------- undo / redo -- */

  function restoreStep(view) {
    if (!view) return;
    var focus = J.views.focusedField();
    if (typeof view.selected === 'number') state.selected = view.selected;
    if (view.tab) state.tab = view.tab;
    page.renderAll();
    J.views.restoreFocus(focus);
    J.recovery.schedule();
  }

  page.undo = function () {
    if (J.engine.dead || J.doc.readOnly) return;
    restoreStep(J.doc.undo());
  };

  page.redo = function () {
    if (J.engine.dead || J.doc.readOnly) return;
    restoreStep(J.doc.redo());
  };

  page.renderUndoButtons = function () {
    var ui = J.ui;
    if (!ui.undo) return;
    var locked = J.engine.dead || J.doc.readOnly;
    ui.undo.disabled = locked || !J.doc.canUndo();
    ui.redo.disabled = locked || !J.doc.canRedo();
  };

  J.doc.viewState = function () {
    return { selected: state.selected, tab: state.tab };
  };

  J.page = page;
})(window.jixiaoApp = window.jixiaoApp || {});
