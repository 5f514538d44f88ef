/* Jixiao page · shell: the page shell: toolbar, banners, status line, title; the crash banner. */
(function (J) {
  'use strict';

  var U = J.util;
  var state = J.state;
  var ui = J.ui;
  var button = U.button, byId = U.byId, h = U.h;

  /** The core trapped (J.engine.onCrash): say it, keep and autosave the unit, stop
   *  editing. */
  function coreCrashed() {
    if (!ui.banners || !state.unit) return; // still starting: the start-up says it
    J.doc.commit();
    var text = h('p', { text: crashText(null) });
    ui.crashBanner = h('div', { class: 'banner error crash', 'data-testid': 'crash-banner', role: 'alert' }, [
      text,
      h('div', { class: 'crash-actions' }, [
        button('保存JSON', J.files.saveJson, { class: 'primary', 'data-testid': 'crash-save-json', 'data-keep': true }),
        button('另存为HTML', J.files.saveHtml, { 'data-testid': 'crash-save-html', 'data-keep': true }),
        button('重新加载', reloadAfterCrash, { 'data-testid': 'crash-reload', 'data-keep': true })
      ])
    ]);
    ui.banners.insertBefore(ui.crashBanner, ui.banners.firstChild);
    J.recovery.writeNow().then(function (saved) { text.textContent = crashText(saved); });
    freeze();
    // A render under way when the trap came may add controls: freeze those too.
    setTimeout(freeze, 0);
  }

  function crashText(saved) {
    return '计算核心发生内部错误，已停止计算，页面上的计算结果不再更新。您填写的数据都还在页面中' +
      (saved === null ? '，正在保存到浏览器……'
        : saved
          ? '，并已自动保存到浏览器。请先点击“保存JSON”或“另存为HTML”保存到文件，再点击“重新加载”，' +
            '然后选择“恢复”继续填写。'
          : '，但没能自动保存到浏览器：请务必先点击“保存JSON”或“另存为HTML”保存到文件，' +
            '再点击“重新加载”并打开保存的文件继续填写。');
  }

  /** Without a core nothing can be recomputed: every control is disabled except saving
   *  and the crash banner's own. */
  function freeze() {
    var app = byId('app');
    app.classList.add('core-dead');
    var controls = app.querySelectorAll('input, textarea, select, button');
    Array.prototype.forEach.call(controls, function (node) {
      if (node.hasAttribute('data-keep')) return;
      var id = node.getAttribute('data-testid');
      if (id === 'save-json' || id === 'save-html' || id === 'save') return;
      if (ui.errorBanner.contains(node)) return;
      node.disabled = true;
    });
  }

  /** Another tab edits this document: its editing controls are disabled (the toolbar
   *  stays: opening, saving a copy and printing lose nothing). Called after each
   *  render, since a render makes new controls. */
  function applyReadOnly() {
    if (!ui.body) return;
    var readOnly = J.doc.readOnly;
    ui.body.classList.toggle('read-only', readOnly);
    if (!readOnly && !ui.frozen) return;
    var controls = ui.body.querySelectorAll('input, textarea, select, button');
    Array.prototype.forEach.call(controls, function (node) {
      if (node.getAttribute('role') === 'tab') return; // looking at another tab edits nothing
      if (readOnly) {
        if (!node.disabled) node.setAttribute('data-frozen', '');
        node.disabled = true;
      } else if (node.hasAttribute('data-frozen')) {
        node.removeAttribute('data-frozen');
        node.disabled = false;
      }
    });
    ui.frozen = readOnly;
  }

  function reloadAfterCrash() {
    J.recovery.writeNow().then(function () {
      J.page.leaving = true;
      window.location.reload();
    });
  }

  function buildShell() {
    var app = U.takeApp();
    ui.fileInput = h('input', {
      type: 'file', class: 'hidden-input', 'data-testid': 'import-file',
      accept: state.vocab.accept, multiple: true,
      onchange: function () {
        var files = ui.fileInput.files || [];
        // Several files picked: the finance bureau's 汇总 (review.js).
        if (files.length > 1) J.review.readFiles(files, false);
        else if (files[0]) J.files.openFile(files[0]);
        ui.fileInput.value = '';
      }
    });
    ui.title = h('span', { class: 'unit-title', 'data-testid': 'unit-title' });
    ui.dirty = h('span', { class: 'dirty', text: '未保存', hidden: true });
    ui.undo = button('撤销', J.page.undo, { 'data-testid': 'undo', title: '撤销（Ctrl+Z）' });
    ui.redo = button('重做', J.page.redo, { 'data-testid': 'redo', title: '重做（Ctrl+Y）' });
    ui.previewButton = button('预览报告', J.preview.togglePreview,
      { 'data-testid': 'preview-toggle', title: '按打印效果查看自评工作总结和附表', 'aria-pressed': 'false' });
    var header = h('header', { class: 'top' }, [
      h('h1', { text: '绩效自评' }), ui.title, ui.dirty,
      h('div', { class: 'toolbar' }, [
        button('打开', function () { ui.fileInput.click(); },
          { 'data-testid': 'open', title: '打开 JSON 数据文件、标准格式工作簿或另存的网页文件；也可拖放到页面上' }),
        J.layouts.picker(),
        button('新建空白单位', J.files.newBlankUnit, { 'data-testid': 'new-blank' }),
        ui.reviewButton = button('汇总', function () { J.review.start(); }, {
          'data-testid': 'review-open', title: '财政局汇总：一次打开多个单位报送的文件（另存的网页、JSON、工作簿），逐一核对并合计；也可把多个文件一起拖放到页面上'
        }),
        button('保存', J.files.save, { 'data-testid': 'save', title: '保存到本文档的文件（Ctrl+S）；第一次保存时选择保存位置' }),
        button('另存为HTML', J.files.saveHtml, { 'data-testid': 'save-html', title: '保存为带数据的本页面副本，双击即可打开' }),
        button('保存JSON', J.files.saveJson, { 'data-testid': 'save-json', title: '保存为本工具的数据文件（.json）' }),
        button('文档恢复', J.recovery.openPanel, {
          'data-testid': 'recovery-open', title: '本浏览器中保存的各文档的工作副本和早期版本'
        }),
        ui.previewButton,
        button('导出Word', function () { J.files.exportReport('docx'); },
          { 'data-testid': 'export-docx', title: '自评工作总结和附表，Word 文档（.docx）' }),
        button('导出Excel', function () { J.files.exportReport('xlsx'); },
          { 'data-testid': 'export-xlsx', title: '附表（每张表一个工作表），Excel 工作簿（.xlsx）' }),
        button('打印', J.preview.printReport, { 'data-testid': 'print', title: '打印自评报告和附表（A4）' }),
        ui.undo, ui.redo,
        ui.fileInput
      ])
    ]);
    ui.banners = h('div', { class: 'banners' });
    ui.exampleBanner = h('div', { class: 'banner example', 'data-testid': 'example-banner', hidden: true }, [
      h('span', { text: '这是示例数据（兰州新区应急管理局2022年度）' }),
      button('新建空白单位', J.files.newBlankUnit, { class: 'primary' })
    ]);
    ui.errorText = h('span');
    ui.errorBanner = h('div', { class: 'banner error', 'data-testid': 'error-banner', role: 'alert', hidden: true }, [
      ui.errorText, button('关闭', function () { ui.errorBanner.hidden = true; })
    ]);
    ui.storageWarning = h('div', { class: 'banner error', 'data-testid': 'storage-warning', hidden: true }, [
      h('span', { text: '浏览器本地存储已满或被禁用，自动保存没有成功。页面中的数据仍在，请及时点击“保存”或“另存为HTML”。' })
    ]);
    // One banner per kind: another tab edits this document; a document was replaced.
    ui.lockBanner = h('div', { class: 'banner lock', 'data-testid': 'tab-conflict', hidden: true });
    ui.replacedBanner = h('div', { class: 'banner replaced', 'data-testid': 'replaced-notice', hidden: true });
    ui.recoveryBanner = h('div', { class: 'banner recovery', 'data-testid': 'recovery-banner', hidden: true });
    ui.status = h('div', { class: 'status', 'data-testid': 'status', role: 'status' });
    ui.banners.appendChild(ui.exampleBanner);
    ui.banners.appendChild(ui.errorBanner);
    ui.banners.appendChild(ui.storageWarning);
    ui.banners.appendChild(ui.lockBanner);
    ui.banners.appendChild(ui.recoveryBanner);
    ui.banners.appendChild(ui.replacedBanner);

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
    var fold = button('收起 »', function () {
      var folded = ui.body.classList.toggle('folded');
      fold.textContent = folded ? '« 核对' : '收起 »';
      fold.setAttribute('aria-expanded', String(!folded));
    }, { class: 'fold small', 'data-testid': 'findings-toggle', 'aria-expanded': 'true', title: '收起或展开核对栏，给表格更多宽度' });
    var right = h('aside', { class: 'right' }, [fold, ui.findingsHead, ui.findings]);
    ui.dropHint = h('div', { class: 'drop-hint', text: '松开鼠标即可打开文件', hidden: true });
    ui.body = h('div', { class: 'body' }, [left, ui.view, right]);
    // Laid out only while shown, or off screen just before printing (see preparePrint).
    ui.preview = h('div', { class: 'preview', 'data-testid': 'preview' });
    ui.review = h('div', { class: 'review', 'data-testid': 'review', hidden: true });

    app.appendChild(header);
    app.appendChild(ui.banners);
    app.appendChild(ui.body);
    app.appendChild(ui.preview);
    app.appendChild(ui.review);
    app.appendChild(ui.status);
    app.appendChild(ui.dropHint);
    J.page.renderUndoButtons();
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
    var year = J.page.year();
    return year ? name + ' · ' + year + '年度' : name;
  }

  /** The title and the save state: 未保存, or 已下载（未确认）when the only copy is a
   *  download the browser did not confirm, or 只读 in a tab that does not edit. */
  function renderHeader() {
    ui.title.textContent = ui.title.title = unitLabel();
    var mark = J.doc.readOnly ? '只读' : J.doc.isUnconfirmed() ? '已下载，未确认保存' : J.doc.isDirty() ? '未保存' : '';
    ui.dirty.hidden = !mark;
    ui.dirty.textContent = mark;
    ui.dirty.title = J.doc.isUnconfirmed()
      ? '浏览器没有告诉本页面下载的文件是否保存成功；修改仍保留在浏览器中，可在“文档恢复”中找回'
      : '';
    document.title = unitLabel() + ' · 绩效自评';
  }

  function renderBanners() {
    ui.exampleBanner.hidden = !J.doc.example;
  }


  J.shell = {
    buildShell: buildShell,
    showError: showError,
    showStatus: showStatus,
    unitLabel: unitLabel,
    renderHeader: renderHeader,
    renderBanners: renderBanners,
    coreCrashed: coreCrashed,
    applyReadOnly: applyReadOnly
  };
})(window.jixiaoApp = window.jixiaoApp || {});
