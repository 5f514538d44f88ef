/* Jixiao page · views: the middle column: the unit view and the project view, their bound inputs. */
(function (J) {
  'use strict';

  var U = J.util;
  var state = J.state;
  var ui = J.ui;
  var cssEscape = U.cssEscape;
  var appendAll = U.appendAll, button = U.button, clear = U.clear, dash = U.dash, getIn = U.getIn, gradeClass = U.gradeClass, h = U.h, setAttributes = U.setAttributes, splitPath = U.splitPath, svg = U.svg;
  var figureText = J.parse.figureText;

  var TABS = [
    { key: 'basic', label: '基本信息' },
    { key: 'funds', label: '资金' },
    { key: 'indicators', label: '绩效指标' },
    { key: 'text', label: '文字说明' }
  ];
  var FUND_ROWS = {
    total: '年度资金总额',
    fiscal: '其中：当年财政拨款',
    carryover: '上年结转资金',
    other: '其他资金',
    basic: '基本支出',
    project: '项目支出'
  };
  var viewUpdaters = []; // refresh the computed parts of the current view
  var shownView = ''; // which view is drawn (the unit, or a project and its tab)

  /** Adds a refresh of a computed part of the view being built. */
  function onRedraw(update) {
    viewUpdaters.push(update);
  }

  function runViewUpdaters(from) {
    viewUpdaters.slice(from || 0).forEach(function (update) { update(); });
  }

  function renderView() {
    viewUpdaters = [];
    // The same view drawn again (a row added, an undo) keeps where it was scrolled to.
    var again = shownView === viewKey();
    var scrolled = again ? ui.view.scrollTop : 0;
    clear(ui.view);
    if (state.selected >= 0 && state.unit.projects[state.selected]) renderProjectView(state.selected);
    else {
      state.selected = -1;
      renderUnitView();
    }
    shownView = viewKey();
    if (again) ui.view.scrollTop = scrolled;
    runViewUpdaters();
    J.shell.applyReadOnly(); // a read-only tab's new view is read-only too
  }

  /** The view's fields are bound to paths under a root: the unit, or one project. */
  function viewKey() {
    var project = state.unit && state.unit.projects[state.selected];
    return J.doc.id + '|' + (project ? state.selected + ':' + state.tab : 'unit');
  }

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
   *         rerender: redraw the view after a change, afterSet(path),
   *         wrap: a one-line textarea that wraps (a text input drops line breaks: so does it) }
   */
  function boundInput(root, rel, kind, attrs, opts) {
    opts = opts || {};
    var path = root.concat(splitPath(rel));
    var value = getIn(state.unit, path);
    var node;
    if (opts.wrap) node = h('textarea', { rows: 1, value: value === null ? '' : String(value).replace(/[\r\n]/g, '') });
    else if (kind === 'textarea') node = h('textarea', { rows: 4, value: value || '' });
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
    if (kind === 'decimal') return figureText(node.value);
    if (kind === 'year') return figureText(node.value); // the core reads the year too
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
    var immediate = kind === 'bool' || kind === 'select';
    if (immediate) J.doc.commit(); // a pick is a step of its own
    var mark = J.doc.mark();
    J.doc.set(path, parsed.value);
    if (opts.afterSet) opts.afterSet(path);
    // A number the core cannot hold (too many digits…) is refused here, so that the
    // unit always stays one the core can evaluate.
    var error = J.page.tryEvaluate();
    if (error) {
      J.doc.rollbackTo(mark);
      J.page.tryEvaluate();
      node.classList.add('invalid');
      node.title = '这个数字无法计算（位数过多或格式不对），未计入';
      if (window.console) console.warn(error);
      return;
    }
    J.page.afterEdit(immediate, true);
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
      // Unchanged figures are not written again: 10,000 rows redraw in time.
      if (node.textContent !== shown[0]) node.textContent = shown[0];
      if (node.title !== (shown[1] || '')) node.title = shown[1] || '';
      if (shown[2] !== undefined) node.className = 'computed ' + shown[2];
    });
    return node;
  }

  /* The unit view: its details, funds, tasks, goal, the report's prose and the chart. */

  function renderUnitView() {
    var ctx = makeContext([]);
    var u = state.unit;
    var headline = computed(function () {
      var s = state.summary.unit;
      var own = (state.unit.indicators || []).length > 0;
      return [
        '执行率 ' + (s.ratePercent ? s.ratePercent + '%' : '—') +
          (own ? ' · 总分 ' + dash(s.total) + ' · 等级 ' + dash(s.grade) : ' · 部门整体表未填绩效指标，不计总分'),
        own ? [s.totalBasis, s.cap].filter(Boolean).join('；') : '', 'headline ' + gradeClass(own ? s.grade : null)
      ];
    }, { 'data-testid': 'unit-headline' });
    appendAll(ui.view, [
      h('h2', { class: 'view-title' }, [h('span', { text: '单位整体' }), headline]),
      section('各项目执行率与总分', [chartHolder()], { class: 'chart-section' }),
      section('单位信息', [h('div', { class: 'form-grid' }, [
        labelled('单位名称', ctx.input('name', 'text')),
        labelled('年度', ctx.input('year', 'year', { placeholder: '如 2022' })),
        labelled('表样（导出、打印的附表格式）', J.layouts.unitProfileInput(ctx)),
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
      section('部门整体绩效指标', [
        h('p', { class: 'note', text: '部门（单位）整体支出绩效自评表上的绩效指标：与项目的指标同样计分，' +
          '加上预算执行率得分即为单位的总分和等级（附表2）。表上没有绩效指标的，留空即可，不计总分。' })
      ].concat(J.grid.indicatorGrid(ctx, -1)), { class: 'unit-indicators', 'data-testid': 'unit-indicators' }),
      section('自评报告文字', [h('div', { class: 'form-grid two' }, [
        labelled('一、自评工作开展情况', ctx.input('narrative.workDone', 'textarea')),
        labelled('（二）项目绩效目标完成情况', ctx.input('narrative.goalsSummary', 'textarea')),
        labelled('（三）偏差原因及改进措施', ctx.input('narrative.deviation', 'textarea')),
        labelled('三、下一步工作措施', ctx.input('narrative.nextSteps', 'textarea'))
      ])])
    ]);
    J.findings.markFindingsInView(-1);
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
    var s = function () { return state.summary.unit; };
    var parts = [fundsTable(ctx, 'funds', rows, true), note, h('div', { class: 'form-grid' }, [
      labelled('预算执行率分值', ctx.input('executionWeight', 'decimal', { placeholder: '按规则（通常为10）' })),
      labelled('预算执行得分（计算）', computed(function () {
        return [dash(s().executionScore), s().executionBasis];
      }, { 'data-testid': 'unit-execution-score' }))
    ])];
    if (u.funds) {
      parts.push(button('清空本表（改按各项目合计）', function () {
        J.doc.commit();
        J.doc.set(['funds'], null);
        J.page.structuralChange();
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
          J.doc.commit();
          J.doc.splice(['tasks'], i, 1);
          J.page.structuralChange();
        }, { class: 'small' }))
      ]));
    });
    return [
      h('table', { class: 'plain' }, [
        h('thead', null, h('tr', null, ['任务名称', '主要内容', '完成情况', ''].map(function (t) { return h('th', { text: t }); }))),
        body
      ]),
      button('+ 添加任务', function () {
        J.doc.commit();
        J.doc.splice(['tasks'], state.unit.tasks.length, 0, [{ name: '', content: '', completion: '' }]);
        J.page.structuralChange();
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
    var ctx = makeContext(['projects', index]);
    var s = function () { return J.page.projectSummary(index); };
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
          J.doc.commit();
          state.tab = tab.key;
          renderView();
        }
      }));
    });
    appendAll(ui.view, [h('h2', { class: 'view-title' }, [title, headline]), tabs]);
    var panel = h('div', { class: 'tab-panel', role: 'tabpanel' });
    if (state.tab === 'funds') appendAll(panel, projectFunds(ctx, index));
    else if (state.tab === 'indicators') appendAll(panel, J.grid.indicatorGrid(ctx, index));
    else if (state.tab === 'text') appendAll(panel, projectText(ctx));
    else appendAll(panel, projectBasics(ctx, index));
    ui.view.appendChild(panel);
    J.findings.markFindingsInView(index);
  }

  function projectBasics(ctx, index) {
    var s = function () { return J.page.projectSummary(index); };
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
    var s = function () { return J.page.projectSummary(index); };
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


  J.views = {
    TAB_KEYS: TABS.map(function (tab) { return tab.key; }),
    onRedraw: onRedraw,
    renderView: renderView,
    runViewUpdaters: runViewUpdaters,
    dropUpdaters: function () { viewUpdaters = []; },
    updaterCount: function () { return viewUpdaters.length; },
    focusField: focusField,
    rerenderKeepingFocus: rerenderKeepingFocus,
    focusedField: focusedField,
    restoreFocus: restoreFocus,
    computed: computed,
    labelled: labelled,
    section: section
  };
})(window.jixiaoApp = window.jixiaoApp || {});
