/* Jixiao page · layouts: the 表样 (province profile) a workbook is read by, and what
 * the page asks after an import the core could not read whole.
 *
 * - The picker (toolbar): 自动识别 (each sheet by the profile its labels show), a
 *   built-in profile, or the user's own profile file; used for the imports that follow.
 * - The unit's own profile (单位信息): a select bound to `unit.profile` through the
 *   document's edit path (undo, recompute, preview).
 * - Which column is which: for the first sheet the core left fields unread in, its
 *   header rows and, per missing field, a choice among their texts; 确定 re-imports the
 *   file by a profile that extends the sheet's with those texts (so every sheet of the
 *   file is read by it), 保存为表样文件 downloads that profile.
 * - The money unit, asked once: amounts the core took as 元 by their size are 元
 *   (kept) or 万元 (re-imported by the profile with `amounts: 万元`).
 *
 * Profiles cross as the core reads them: a built-in key, or the profile's JSON text.
 * A re-import replaces the document through files.js (recovery keeps unsaved work). */
(function (J) {
  'use strict';

  var U = J.util;
  var ui = J.ui;
  var state = J.state;
  var h = U.h, button = U.button;

  var AUTO = '';
  var LOAD_FILE = '#file';
  var USER = '#user';

  /** The profile for the next import: '' (自动识别), a built-in key, or USER. */
  var picked = AUTO;
  /** The user's own profile file: { text, name, label }. */
  var userProfile = null;
  var builtIns = null;

  /** The import being asked about: { bytes, name, profile (object, or null), asked
   *  ({ field: true }: a field is asked about once per file, whichever sheet), done
   *  (取消: no more columns asked), moneyAsked }. */
  var session = null;

  /** [[key, label], …], central 2020 first. */
  function profileList() {
    if (!builtIns) builtIns = J.core.profiles();
    return builtIns;
  }

  function builtInLabel(key) {
    var found = profileList().filter(function (p) { return p[0] === key; })[0];
    return found ? found[1] : '';
  }

  function isBuiltIn(key) {
    return !!builtInLabel(key);
  }

  /** A profile's JSON text as an object, or null when it is not one. */
  function profileObject(text) {
    if (typeof text !== 'string' || text.trim().charAt(0) !== '{') return null;
    try {
      var p = JSON.parse(text);
      return p && typeof p === 'object' && !Array.isArray(p) ? p : null;
    } catch (err) {
      return null;
    }
  }

  /** How a unit's profile (key, JSON text, or empty) reads to the user. */
  function describe(spec) {
    if (!spec) return builtInLabel('central-2020') || '中央 2020';
    var own = profileObject(spec);
    if (own) {
      var label = own.label || own.name || '未命名';
      return /自定义/.test(label) ? label : '自定义表样：' + label;
    }
    return builtInLabel(spec) || spec;
  }

  /* ------------------------------------------------------------- the picker -- */

  function pickerOptions() {
    var options = [[AUTO, '表样：自动识别']];
    profileList().forEach(function (p) { options.push([p[0], '表样：' + p[1]]); });
    if (userProfile) options.push([USER, '表样：' + describe(userProfile.text)]);
    options.push([LOAD_FILE, '载入表样文件…']);
    return options;
  }

  function fillPicker() {
    U.clear(ui.profilePick);
    pickerOptions().forEach(function (o) { ui.profilePick.appendChild(h('option', { value: o[0], text: o[1] })); });
    ui.profilePick.value = picked;
  }

  /** The toolbar's picker: the profile the next import reads by. */
  function picker() {
    ui.profileFile = h('input', {
      type: 'file', class: 'hidden-input', accept: '.json', 'data-testid': 'profile-file',
      onchange: function () {
        var file = ui.profileFile.files && ui.profileFile.files[0];
        ui.profileFile.value = '';
        if (file) loadProfileFile(file);
      }
    });
    ui.profilePick = h('select', {
      class: 'profile-pick', 'data-testid': 'profile-pick',
      title: '打开工作簿时按哪个省份的表样读取；自动识别时按各工作表的表头判断',
      onchange: function () {
        if (ui.profilePick.value === LOAD_FILE) {
          ui.profilePick.value = picked;
          ui.profileFile.click();
          return;
        }
        picked = ui.profilePick.value;
      }
    });
    fillPicker();
    return h('span', { class: 'profile-picker' }, [ui.profilePick, ui.profileFile]);
  }

  /** A profile file the user made (or saved with 保存为表样文件): checked by the core
   *  when a workbook is read by it; here only that it is a JSON object. */
  function loadProfileFile(file) {
    var reader = new FileReader();
    reader.onload = function () {
      var text = String(reader.result || '').replace(/^\ufeff/, '');
      var p = profileObject(text);
      var problem = p ? profileProblem(text) : '不是表样文件（应为 JSON 格式的表样说明）';
      if (problem) {
        J.shell.showError('无法载入“' + file.name + '”：' + problem.replace(/[。.]$/, '') + '。表样选择没有改变。');
        return;
      }
      userProfile = { text: text, label: p.label || p.name || file.name };
      picked = USER;
      fillPicker();
      J.shell.showStatus('已载入表样文件“' + file.name + '”。');
    };
    reader.onerror = function () { J.shell.showError('无法读取“' + file.name + '”。'); };
    reader.readAsText(file, 'utf-8');
  }

  /** What the core finds wrong with a profile's text, or ''. */
  function profileProblem(text) {
    try {
      J.core.checkProfile(text);
      return '';
    } catch (err) {
      return U.messageOf(err);
    }
  }

  /** The profile picked for the next import, as loadFileWith takes it (undefined: 自动识别). */
  function pickedSpec() {
    if (picked === USER && userProfile) return userProfile.text;
    return picked === AUTO ? undefined : picked;
  }

  /** Reads a picked file: a workbook by the picked profile (a JSON data file names its
   *  own); a new session for what follows. */
  function load(bytes, name) {
    var spec = /\.json$/i.test(name) ? undefined : pickedSpec();
    var loaded = spec === undefined ? J.core.loadFile(bytes, name) : J.core.loadFileWith(bytes, name, spec);
    session = {
      bytes: bytes, name: name, asked: {}, columnsDone: false, moneyAsked: false,
      profile: spec === undefined ? null : profileObject(spec) || { extendsKey: spec }
    };
    return loaded;
  }

  /* ------------------------------------------------- the unit's own profile -- */

  /** The select of 单位信息 bound to `unit.profile` (an edit like any other: undo
   *  restores it, the preview and exports follow it). */
  function unitProfileInput(ctx) {
    var value = state.unit.profile || '';
    var options = profileList().map(function (p) { return [p[0], p[1]]; });
    if (!value) {
      options = options.filter(function (o) { return o[0] !== 'central-2020'; });
      options.unshift(['', describe('')]);
    } else if (!isBuiltIn(value)) {
      options.push([value, describe(value)]);
    }
    return ctx.input('profile', 'select', {
      'data-testid': 'unit-profile', title: '导出 Word/Excel 和打印时附表采用的表样'
    }, { options: options, rerender: true });
  }

  /* ------------------------------------------------- which column is which -- */

  /** The profile a re-import reads by: the session's own (a user's JSON), else one
   *  extending `base` (the sheet's profile, a built-in key). */
  function derivedProfile(base) {
    var own = session.profile && !session.profile.extendsKey ? session.profile : null;
    if (own) return JSON.parse(JSON.stringify(own));
    var key = session.profile && session.profile.extendsKey;
    if (!isBuiltIn(key)) key = isBuiltIn(base) ? base : 'central-2020';
    var stem = session.name.replace(/\.[^.]*$/, '');
    return { name: key + '-自定义', label: '自定义表样（依据“' + stem + '”）', extends: key, labels: {} };
  }

  /** The profile with the chosen header texts ahead of its own (the core's rule). */
  function withLabels(profile, chosen) {
    var pairs = chosen.map(function (c) { return [c.field, c.text]; });
    return JSON.parse(J.core.profileWithLabels(JSON.stringify(profile), JSON.stringify(pairs)));
  }

  function columnName(col) {
    var name = '';
    var n = col;
    do {
      name = String.fromCharCode(65 + (n % 26)) + name;
      n = Math.floor(n / 26) - 1;
    } while (n >= 0);
    return name;
  }

  /** The texts of a sheet's header rows, once each: [{ text, where }]. */
  function headerTexts(record) {
    var seen = {};
    var out = [];
    record.headers.forEach(function (row) {
      row.cells.forEach(function (cell) {
        var text = String(cell.text || '').trim();
        if (!text || seen[text]) return;
        seen[text] = true;
        out.push({ text: text, where: columnName(cell.col) + '列' });
      });
    });
    return out;
  }

  function headerTable(record) {
    var cols = [];
    record.headers.forEach(function (row) {
      row.cells.forEach(function (cell) { if (cols.indexOf(cell.col) < 0) cols.push(cell.col); });
    });
    cols.sort(function (a, b) { return a - b; });
    var head = h('tr', null, [h('th', { text: '' })].concat(cols.map(function (c) { return h('th', { text: columnName(c) }); })));
    var rows = record.headers.map(function (row) {
      var byCol = {};
      row.cells.forEach(function (cell) { byCol[cell.col] = cell.text; });
      return h('tr', null, [h('th', { text: '第' + (row.row + 1) + '行' })].concat(cols.map(function (c) {
        return h('td', { text: byCol[c] || '' });
      })));
    });
    return h('div', { class: 'mapping-sheet' }, h('table', { class: 'mapping-headers', 'data-testid': 'mapping-headers' }, [
      h('thead', null, head), h('tbody', null, rows)
    ]));
  }

  function closeDialog() {
    if (ui.layoutDialog) ui.layoutDialog.remove();
    ui.layoutDialog = null;
  }

  function dialog(label, testid, children) {
    closeDialog();
    ui.layoutDialog = h('div', { class: 'panel-backdrop', 'data-testid': testid }, [
      h('div', { class: 'panel layout-dialog', role: 'dialog', 'aria-label': label }, children)
    ]);
    // Esc answers as the dialog's quiet button does (取消, 元: keep what was read).
    ui.layoutDialog.addEventListener('keydown', function (e) {
      var quiet = e.key === 'Escape' && ui.layoutDialog.querySelector('[data-quiet]');
      if (quiet) quiet.click();
    });
    document.body.appendChild(ui.layoutDialog);
    var first = ui.layoutDialog.querySelector('select, button.primary');
    if (first) first.focus();
  }

  /** The first sheet with a field not yet asked about, and those fields. */
  function nextUnread(unread) {
    if (session.columnsDone) return null;
    for (var i = 0; i < unread.length; i++) {
      var record = unread[i];
      var fields = record.missing.filter(function (m) { return !session.asked[m.field]; });
      if (fields.length && record.headers.length) return { record: record, fields: fields };
    }
    return null;
  }

  /** next(): go on with the import as it is; done(): the end of the asking (a
   *  re-import asks again about what it leaves). */
  function askColumns(found, next, done) {
    var record = found.record;
    var texts = headerTexts(record);
    var selects = found.fields.map(function (m) {
      var select = h('select', { 'data-testid': 'mapping-choice', 'data-field': m.field });
      select.appendChild(h('option', { value: '', text: '跳过（不读取这一' + (m.kind === 'row' ? '行' : '列') + '）' }));
      texts.forEach(function (t) { select.appendChild(h('option', { value: t.text, text: t.where + '：' + t.text })); });
      var which = m.kind === 'row' ? '哪一行是' : m.kind === 'cell' ? '哪一项是' : '哪一列是';
      return {
        missing: m, select: select,
        node: h('label', { class: 'field mapping-field' }, [
          h('span', { text: which + '“' + m.label + '”？' + (m.lookedFor.length ? '（按“' + m.lookedFor.join('”“') + '”没有找到）' : '') }),
          select
        ])
      };
    });
    function chosen() {
      return selects.filter(function (s) { return s.select.value; })
        .map(function (s) { return { field: s.missing.field, text: s.select.value }; });
    }
    function profileNow() {
      return withLabels(derivedProfile(record.profile), chosen());
    }
    function markAsked() {
      found.fields.forEach(function (m) { session.asked[m.field] = true; });
    }
    dialog('哪一列是哪一项', 'mapping-dialog', [
      h('h2', { text: '没有认出的表头' }),
      h('p', { class: 'note', text: '工作表“' + record.sheet + '”（' + record.formName + '，按“' + describe(record.profile) + '”读取）' +
        (record.imported ? '中有些列没有认出，其余内容已导入。' : '没有认出必需的列，尚未导入。') +
        '请指出表中对应的表头；本文件的其他工作表也将按同样的选择读取。' }),
      headerTable(record),
      h('div', { class: 'mapping-fields' }, selects.map(function (s) { return s.node; })),
      h('div', { class: 'panel-actions' }, [
        button('确定', function () {
          var picks = chosen();
          markAsked();
          closeDialog();
          if (!picks.length) return next();
          session.profile = profileNow();
          reimport('已按所选表头重新读取“' + session.name + '”。', done);
        }, { class: 'primary', 'data-testid': 'mapping-ok' }),
        button('保存为表样文件', function () {
          var p = profileNow();
          var text = JSON.stringify(p, null, 2);
          try {
            var stem = U.safeName(session.name.replace(/\.[^.]*$/, ''), 60) || '自定义';
            J.savers.download(text, '表样_' + stem + '.json', 'application/json;charset=utf-8');
            J.shell.showStatus('已下载表样文件；以后可在“表样”中选“载入表样文件…”使用。');
          } catch (err) {
            J.shell.showError('无法下载表样文件：' + U.reasonOf(err) + '。');
          }
        }, { 'data-testid': 'mapping-save' }),
        button('取消', function () {
          session.columnsDone = true;
          closeDialog();
          J.shell.showStatus('保留已导入的内容；没有认出的列未读取。');
          next();
        }, { 'data-testid': 'mapping-cancel', 'data-quiet': true })
      ])
    ]);
  }

  /* ------------------------------------------------------- the money unit -- */

  /** `why`: the importer's words on why the amounts were read as 元 (their size, or
   *  the profile's own unit). */
  function askMoney(done, why) {
    session.moneyAsked = true;
    dialog('金额单位', 'money-dialog', [
      h('h2', { text: '金额单位' }),
      h('p', { text: '这些金额是元还是万元？' }),
      h('p', { class: 'note', text: why + '如表中以万元填写，请选“万元”重新读取。' }),
      h('div', { class: 'panel-actions' }, [
        button('元', function () {
          closeDialog();
          J.shell.showStatus('金额按“元”读取，已换算为万元。');
          done();
        }, { class: 'primary', 'data-testid': 'money-yuan', 'data-quiet': true }),
        button('万元', function () {
          closeDialog();
          var p = session.profile && !session.profile.extendsKey ? session.profile
            : derivedProfile(state.unit.profile && isBuiltIn(state.unit.profile) ? state.unit.profile : '');
          p.amounts = '万元';
          session.profile = p;
          reimport('已按“万元”重新读取“' + session.name + '”。', done);
        }, { 'data-testid': 'money-wan' })
      ])
    ]);
  }

  /* --------------------------------------------------------- after an import -- */

  function reimport(message, done) {
    var loaded;
    try {
      loaded = J.core.loadFileWith(session.bytes, session.name, JSON.stringify(session.profile));
    } catch (err) {
      if (err.coreDead) return;
      J.shell.showError('无法按所选表头重新读取“' + session.name + '”：' + U.reasonOf(err) + '。当前数据没有改变。');
      done();
      return;
    }
    J.files.showLoaded(loaded, session.name, message).then(function () { afterImport(loaded, done); });
  }

  /** After a workbook was opened: asks which column is which, then the money unit,
   *  each at most once per file. */
  function afterImport(loaded, done) {
    done = done || function () {};
    if (!session || J.engine.dead) return;
    var found = nextUnread(loaded.unread || []);
    if (found) {
      askColumns(found, function () { afterImport(loaded, done); }, done);
      return;
    }
    var guessed = (loaded.findings || []).filter(function (f) { return f.code === 'money_unit' && /已按“元”读取/.test(f.message); })[0];
    if (guessed && !session.moneyAsked) {
      // The importer's reason, without the sheet's name and the question it ends with.
      var why = /：([^；]*)；/.exec(guessed.message);
      askMoney(done, why ? why[1] + '。' : '');
      return;
    }
    done();
  }

  J.layouts = {
    picker: picker, load: load, afterImport: afterImport, unitProfileInput: unitProfileInput,
    describe: describe
  };
})(window.jixiaoApp = window.jixiaoApp || {});
