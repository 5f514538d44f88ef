#!/usr/bin/env node
/* Model-based test (issue 9 item 7): random sessions drive the page as a user would —
 * typing valid and invalid values, structural edits, undo/redo, paste, opening another
 * document, new blank, reload, killing the browser, saving a copy and reopening it, a
 * second tab — and after every step compare the page with a reference model: the unit as
 * the page should hold it, its undo/redo stacks, and every piece of unsaved work that
 * must still be recoverable from the browser's recovery store — and the scores shown,
 * which the core re-scores edit by edit (src/session.rs), against a full evaluation of
 * the page's unit (issue 14 item 2).
 *
 * Usage: node tests/e2e/model.js /abs/path/dist/jixiao.html
 * Env:   SEED=<n>      replay the one session of that seed (printed with any failure);
 *                      without it a new seed each run, seed 1 when CI=true
 *        SESSIONS=<n>  sessions (default 3), STEPS=<n> steps per session (default 22)
 *        CHROMIUM=/path/to/chromium
 * Each session runs on its own Chromium and fresh profile (tests/e2e/browser.js), so
 * that “kill” is a real SIGKILL. The REGRESSIONS (failures found before) run first. */
'use strict';
const fs = require('fs');
const os = require('os');
const path = require('path');
const { pathToFileURL } = require('url');
const t = require('./lib');
const { launchProfile, relaunch, saveDownload } = require('./browser');

const { HTML, SEED, TIMEOUT, testid, projectRow, field, check } = t;
const HTML_URL = pathToFileURL(HTML).href;
const SESSIONS = Number(process.env.SESSIONS || 3);
const STEPS = Number(process.env.STEPS || 22);
const WAIT = 4000;
const MAX_VERSIONS = 5; // store.js: earlier versions kept per document // longest wait for the page to reach the model's state (not asserted as a timing)

/* Failures found by this test, replayed first on every run: { seed, steps, why } (a
 * session), or { why, actions: [...] } (an explicit list of steps, as printed). */
const REGRESSIONS = [
  {
    why: '不理会（或“不恢复”）恢复提示后继续编辑同一文档：之前未保存的工作仍能在“文档恢复”中找回，之后的新修改仍会提示恢复',
    // Found by this test: the first autosave of the file's own document overwrote the
    // only copy of the unsaved work the page had just offered; and a record declined
    // once (不恢复) stayed declined for the work done after it.
    actions: [
      { a: 'import', file: 'A' },
      { a: 'save', kind: 'html', reopen: 'goto', choice: 'recover' },
      { a: 'type', kind: 'text', value: '第一次修改', stored: '第一次修改', where: -1, tab: null, field: 'name' },
      { a: 'type', kind: 'text', value: '第二次修改', stored: '第二次修改', where: 0, tab: 'basic', field: 'name' },
      { a: 'reload', choice: 'ignore' },
      { a: 'type', kind: 'text', value: '提示之后的修改', stored: '提示之后的修改', where: 1, tab: 'basic', field: 'name' },
      { a: 'type', kind: 'text', value: '再改一次', stored: '再改一次', where: 0, tab: 'basic', field: 'name' },
      { a: 'kill', young: null, choice: 'discard' },
      { a: 'type', kind: 'text', value: '不恢复之后的修改', stored: '不恢复之后的修改', where: 1, tab: 'basic', field: 'name' },
      { a: 'kill', young: null, choice: 'recover' },
      { a: 'newBlank' },
      { a: 'panel', entry: 0 }
    ]
  },
  {
    why: '打开刚另存的同一文档的副本（同一标识），本页不应变成“另一个标签页中编辑”的只读',
    // seed 57106 step 13: tabs.claim released the lock it held and asked for it again at
    // once (ifAvailable), before the release had reached the browser: refused.
    actions: [
      { a: 'import', file: 'A' },
      { a: 'type', kind: 'text', value: '副本测试', stored: '副本测试', where: -1, tab: null, field: 'name' },
      { a: 'save', kind: 'html', reopen: 'import', choice: 'recover' },
      { a: 'type', kind: 'text', value: '副本后继续', stored: '副本后继续', where: 0, tab: 'basic', field: 'name' },
      { a: 'save', kind: 'json', reopen: 'import', choice: 'recover' },
      { a: 'restoreReplaced' }
    ]
  },
  {
    why: '删除选中的最后一个项目：没有脚本错误，这一步可撤销并自动保存',
    // seed 11 step 2: the old view's title read the removed project (TypeError) before
    // the step was committed and the autosave scheduled.
    actions: [
      { a: 'import', file: 'A' },
      { a: 'remove', index: 1 },
      { a: 'undo', how: 'button' },
      { a: 'duplicate', index: 1 },
      { a: 'remove', index: 2 },
      { a: 'undo', how: 'key' },
      { a: 'redo', how: 'button' }
    ]
  },
  {
    why: '恢复之后浏览器中的记录仍是“未保存”，强制结束后再次提供恢复',
    // seeds 12 and 13: after 恢复 (or 文档恢复 → 打开) the offer found the open document
    // equal to its stored copy and marked the record saved, so a kill lost the offer.
    actions: [
      { a: 'import', file: 'seed' },
      { a: 'type', kind: 'text', value: '恢复后仍未保存', stored: '恢复后仍未保存', where: 0, tab: 'basic', field: 'name' },
      { a: 'reload', choice: 'recover' },
      { a: 'kill', young: null, choice: 'recover' },
      { a: 'newBlank' },
      { a: 'panel', entry: 0 },
      { a: 'kill', young: null, choice: 'recover' }
    ]
  },
  {
    why: '“不恢复”的文档又从“文档恢复”中打开，随即强制结束：再打开时仍提供恢复',
    // seed 5525: reopening a declined document left its record declined until the
    // first autosave, so a kill right after lost the offer.
    seed: 5525,
    steps: 19
  },
  {
    why: '新建空白单位后在没有的资金表中清空一格：什么都没有改变（不建空的资金表）',
    // seed 21399 (a CI run): a blank typed where the unit has no funds block.
    actions: [
      { a: 'newBlank' },
      { a: 'type', kind: 'number', value: '', stored: null, where: -1, tab: null, field: 'funds.total.executed' }
    ]
  },
  {
    why: '单位资金表只填了一格（页面逐格建起的一行）后强制结束并恢复：恢复出的是同一份工作',
    // seed 50840 (a CI run): the model compared the row the page built field by field
    // ({"executed":"8"}) with the same row read back in full, and called it lost.
    actions: [
      { a: 'import', file: 'B' },
      { a: 'add' },
      { a: 'type', kind: 'number', value: '8', stored: '8', where: -1, tab: null, field: 'funds.total.executed' },
      { a: 'move', index: 2, dir: -1 },
      { a: 'type', kind: 'text', value: '按期完成524', stored: '按期完成524', where: 2, tab: 'basic', field: 'name' },
      { a: 'undo', how: 'key' },
      { a: 'kill', young: '已整改', choice: 'recover' }
    ]
  }
];

/* ------------------------------------------------------------ the one rule to change -- */

/** What the unit holds after a number field gets text that is not a number (“三十”,
 *  “约50”): the text as typed (issue 10), never counted; the core reports it and the
 *  page marks the field “not-counted”. It is an edit like any other (one undo step). */
function storedAfterInvalidNumber(previous, typed) {
  return typed;
}
const INVALID_IS_MARKED = true;

/* ---------------------------------------------------------------------- helpers -- */

function mulberry32(seed) {
  let a = seed >>> 0;
  const next = () => {
    a = (a + 0x6D2B79F5) >>> 0;
    let x = a;
    x = Math.imul(x ^ (x >>> 15), x | 1);
    x ^= x + Math.imul(x ^ (x >>> 7), x | 61);
    return ((x ^ (x >>> 14)) >>> 0) / 4294967296;
  };
  return {
    next,
    int: (n) => Math.floor(next() * n),
    pick: (list) => list[Math.floor(next() * list.length)],
    chance: (p) => next() < p
  };
}

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
const clone = (v) => JSON.parse(JSON.stringify(v));

/** JSON with sorted keys: the comparison ignores the order of an object's keys. */
function canon(value) {
  if (Array.isArray(value)) return '[' + value.map(canon).join(',') + ']';
  if (value && typeof value === 'object') {
    return '{' + Object.keys(value).sort().filter((k) => value[k] !== undefined)
      .map((k) => JSON.stringify(k) + ':' + canon(value[k])).join(',') + '}';
  }
  return JSON.stringify(value === undefined ? null : value);
}

/** The first place where two values differ, for the failure message. */
function diff(a, b, at) {
  at = at || '';
  if (canon(a) === canon(b)) return null;
  if (a && b && typeof a === 'object' && typeof b === 'object' && Array.isArray(a) === Array.isArray(b)) {
    if (Array.isArray(a) && a.length !== b.length) return `${at || '.'}: 长度 ${a.length} ≠ ${b.length}`;
    const keys = new Set(Object.keys(a).concat(Object.keys(b)));
    for (const k of keys) {
      const d = diff(a[k], b[k], at + '.' + k);
      if (d) return d;
    }
  }
  const short = (v) => { const s = JSON.stringify(v); return s && s.length > 120 ? s.slice(0, 120) + '…' : s; };
  return `${at || '.'}: 页面 ${short(a)}，模型 ${short(b)}`;
}

/** Every value of `a` is in `b` (b may add the defaults the core fills in). */
function covers(a, b) {
  if (Array.isArray(a)) return Array.isArray(b) && a.length === b.length && a.every((v, i) => covers(v, b[i]));
  if (a && typeof a === 'object') return !!b && typeof b === 'object' && Object.keys(a).every((k) => covers(a[k], b[k]));
  return a === b || (a === undefined && b === null);
}

function splitPath(text) {
  return text.split('.').map((p) => (/^\d+$/.test(p) ? Number(p) : p));
}

function getIn(obj, p) {
  for (const k of p) {
    if (obj === null || obj === undefined) return null;
    obj = obj[k];
  }
  return obj === undefined ? null : obj;
}

/** As the page's doc.set: missing objects on the way are created. */
function setIn(obj, p, value) {
  for (let i = 0; i < p.length - 1; i++) {
    if (obj[p[i]] === null || obj[p[i]] === undefined) obj[p[i]] = {};
    obj = obj[p[i]];
  }
  obj[p[p.length - 1]] = value;
}

class ModelFailure extends Error {}
const TALLY = {}; // steps run, by kind
function fail(message) {
  throw new ModelFailure(message);
}

async function until(read, ok, timeout) {
  const end = Date.now() + (timeout || WAIT);
  let got;
  for (;;) {
    try {
      got = await read();
    } catch (err) {
      got = { error: err.message };
    }
    if (ok(got) || Date.now() > end) return got;
    await sleep(60);
  }
}

/* -------------------------------------------------------------- what is typed -- */

const TEXTS = ['完成年度目标', '按期完成', '情况说明（修订）', 'A&B <i>x</i>', '“引号”与\'单引号\'', '  前后有空格  ',
  '第一季度 95%', '已整改', '绩效良好', '兰州新区', '资金执行偏慢，下一步加快进度', 'x'];
/* [typed, stored] for number fields: what the page keeps of each. */
/* Typed → kept: a figure is kept exactly as typed (the core reads it); blank is null. */
const GOOD_NUMBERS = [['30', '30'], ['12.5', '12.5'], ['0', '0'], ['1,234.5', '1,234.5'], ['５０', '５０'],
  ['45分', '45分'], ['+3', '+3'], ['7.25万元', '7.25万元'], [' 8 ', ' 8 '], ['99.9%', '99.9%'], ['', null]];
const BAD_NUMBERS = ['三十', '约50', '12..5', 'abc', '5万'];
const LEVELS = [['产出指标', '数量指标'], ['产出指标', '时效指标'], ['效益指标', '社会效益指标'],
  ['满意度指标', '服务对象满意度指标']];

function randomText(rng) {
  const s = rng.pick(TEXTS);
  return rng.chance(0.5) ? s + rng.int(1000) : s;
}

/* ------------------------------------------------------------ proposing steps -- */

function projectWithIndicators(rng, m) {
  const withRows = m.unit.projects.map((p, i) => i).filter((i) => m.unit.projects[i].indicators.length);
  return withRows.length ? rng.pick(withRows) : -1;
}

function textEdit(rng, m) {
  const P = m.unit.projects;
  const targets = [
    () => ({ where: -1, tab: null, field: rng.pick(['name', 'narrative.workDone', 'narrative.nextSteps', 'goal.actual']) }),
  ];
  if (P.length) {
    targets.push(() => ({ where: rng.int(P.length), tab: 'basic', field: 'name' }));
    targets.push(() => ({ where: rng.int(P.length), tab: 'text', field: rng.pick(['deviation', 'goal.expected']) }));
  }
  const pi = projectWithIndicators(rng, m);
  if (pi >= 0) {
    const r = rng.int(P[pi].indicators.length);
    targets.push(() => ({ where: pi, tab: 'indicators', field: `indicators.${r}.${rng.pick(['actual', 'actual', 'name', 'reason'])}` }));
  }
  const value = randomText(rng);
  return Object.assign({ a: 'type', kind: 'text', value, stored: value }, rng.pick(targets)());
}

function numberEdit(rng, m, kind) {
  const P = m.unit.projects;
  const targets = [() => ({ where: -1, tab: null, field: 'funds.total.executed' })];
  if (P.length) {
    targets.push(() => ({ where: rng.int(P.length), tab: 'funds', field: rng.pick(['funds.total.executed', 'funds.total.budget', 'executionWeight']) }));
  }
  const pi = projectWithIndicators(rng, m);
  if (pi >= 0) {
    const r = rng.int(P[pi].indicators.length);
    targets.push(() => ({ where: pi, tab: 'indicators', field: `indicators.${r}.weight` }));
    targets.push(() => ({ where: pi, tab: 'indicators', field: `indicators.${r}.weight` }));
  }
  const target = rng.pick(targets)();
  if (kind === 'bad') return Object.assign({ a: 'type', kind: 'bad', value: rng.pick(BAD_NUMBERS) }, target);
  const [value, stored] = rng.pick(GOOD_NUMBERS);
  return Object.assign({ a: 'type', kind: 'number', value, stored }, target);
}

function pasteStep(rng, m) {
  const index = projectWithIndicators(rng, m);
  const row = rng.int(m.unit.projects[index].indicators.length);
  const rows = [0, 1].map((i) => {
    const [l1, l2] = rng.pick(LEVELS);
    const name = i === 1 && rng.chance(0.4) ? '按时完成检查\n（含复查）' : '粘贴指标' + rng.int(100);
    const [w, typed] = rng.pick(GOOD_NUMBERS.filter((g) => g[1] !== null && !/万元|%/.test(g[0])));
    const ws = typed.trim(); // a pasted cell is trimmed
    return { cells: [l1, l2, name, '≥' + rng.int(100) + '次', rng.int(120) + '次', w, '', rng.chance(0.5) ? '原因' + i : ''],
      stored: [l1, l2, name, null, null, ws, null, null] };
  });
  return { a: 'paste', index, row, rows };
}

function propose(rng, m) {
  const P = m.unit.projects;
  const options = [];
  const add = (w, make) => options.push([w, make]);
  add(5, () => textEdit(rng, m));
  add(3, () => numberEdit(rng, m, 'good'));
  add(1.5, () => numberEdit(rng, m, 'bad'));
  add(0.7, () => ({ a: 'add' }));
  if (P.length > 1) add(0.6, () => ({ a: 'remove', index: rng.int(P.length) }));
  if (P.length > 1) {
    add(0.7, () => {
      const index = rng.int(P.length);
      return { a: 'move', index, dir: index === 0 ? 1 : index === P.length - 1 ? -1 : rng.pick([1, -1]) };
    });
  }
  if (P.length) add(0.6, () => ({ a: 'duplicate', index: rng.int(P.length) }));
  if (m.undo.length) add(2.2, () => ({ a: 'undo', how: rng.pick(['button', 'key']) }));
  if (m.redo.length) add(1.4, () => ({ a: 'redo', how: rng.pick(['button', 'key', 'shiftKey']) }));
  if (projectWithIndicators(rng, m) >= 0) add(1.2, () => pasteStep(rng, m));
  add(0.5, () => ({ a: 'newBlank' }));
  add(0.6, () => ({ a: 'import', file: rng.pick(['A', 'B', 'seed']) }));
  if (m.copies.length) add(0.4, () => ({ a: 'import', file: 'copy:' + rng.int(m.copies.length) }));
  const choice = () => rng.pick(['recover', 'recover', 'recover', 'discard', 'ignore']);
  add(0.6, () => ({ a: 'reload', choice: choice() }));
  add(0.45, () => ({ a: 'kill', young: rng.chance(0.5) ? randomText(rng) : null, choice: choice() }));
  add(0.9, () => {
    const kind = rng.pick(['json', 'html']);
    return { a: 'save', kind, reopen: rng.pick(kind === 'html' ? ['none', 'import', 'goto', 'goto'] : ['none', 'import']), choice: choice() };
  });
  add(0.6, () => ({ a: 'tab2', choice: rng.pick(['take', 'read']) }));
  if (m.lastReplaced) add(0.5, () => ({ a: 'restoreReplaced' }));
  const others = m.mustKeep.filter((e) => e.id !== m.id);
  if (others.length) add(0.6, () => ({ a: 'panel', entry: rng.int(others.length) }));
  let total = options.reduce((s, o) => s + o[0], 0);
  let x = rng.next() * total;
  for (const [w, make] of options) {
    if ((x -= w) < 0) return make();
  }
  return options[0][1]();
}

/* ------------------------------------------------------------------ the page -- */

function watch(S, page) {
  // The page's own warnings (an autosave or an offer that failed), for a failure's message.
  page.on('console', (msg) => {
    if (msg.type() === 'warning' || msg.type() === 'error') S.console.push(msg.text());
  });
  page.on('pageerror', (err) => {
    t.pageErrors.push(err.message);
    S.errors.push(err.message);
  });
  page.on('dialog', (d) => d.accept().catch(() => {}));
  return page;
}

async function setUpContext(S, context) {
  context.on('request', (req) => t.requests.push(req.url()));
  await context.addInitScript(() => { delete window.showSaveFilePicker; });
}

function snapshot(page) {
  return page.evaluate(() => {
    const J = window.jixiaoApp;
    return {
      id: J.doc.id, text: JSON.stringify(J.doc.unit), dirty: J.doc.isDirty(), readOnly: J.doc.readOnly,
      stateId: J.doc.stateId, origin: J.doc.origin,
      undo: !J.ui.undo.disabled, redo: !J.ui.redo.disabled, mark: J.ui.dirty.hidden ? '' : J.ui.dirty.textContent
    };
  });
}

/** The recovery store's texts of a document: its working copy and its versions. */
function stored(page, id) {
  return page.evaluate(async (docId) => {
    // One transaction: the record and its texts as one write left them.
    const db = await window.jixiaoApp.store.open();
    const tx = db.transaction(['documents', 'texts']);
    const get = (store, key) => new Promise((resolve, reject) => {
      const req = tx.objectStore(store).get(key);
      req.onsuccess = () => resolve(req.result);
      req.onerror = () => reject(req.error);
    });
    const [rec, cur] = await Promise.all([get('documents', docId), get('texts', 'cur:' + docId)]);
    const versions = await Promise.all(((rec && rec.versions) || []).map((v) => get('texts', v.key).then((text) => ({ key: v.key, text }))));
    return { rec: rec ? { page: rec.page, dirty: rec.dirty, dismissed: !!rec.dismissed } : null, cur: cur || null, versions };
  }, id);
}

/** The unit as the page reads a text (the core's fromJson fills in defaults). */
async function normalize(S, unit) {
  const text = await S.page.evaluate((s) => JSON.stringify(window.jixiaoApp.core.fromJson(s)), JSON.stringify(unit));
  const out = JSON.parse(text);
  if (!covers(unit, out)) fail('读入单位时丢了数据：' + diff(out, unit));
  return out;
}

/* ------------------------------------------------------------------ the model -- */

function modelDirty(m, id, unit) {
  const files = m.files.get(id || m.id);
  return !files || !files.has(canon(unit || m.unit));
}

function remember(m, id, unit) {
  if (!m.files.has(id)) m.files.set(id, new Set());
  m.files.get(id).add(canon(unit));
}

/** An edit: the new state is one undo step, unless nothing changed. */
function edit(m, change) {
  const next = clone(m.unit);
  change(next);
  if (canon(next) === canon(m.unit)) return;
  m.undo.push(m.unit);
  m.redo = [];
  m.unit = next;
}

/** The open document is replaced by (id, unit); the one before must stay recoverable. */
function replaced(m, before, pageWasDirty, id, unit) {
  if (modelDirty(m, before.id, before.unit)) keep(m, before.id, before.unit);
  m.lastReplaced = pageWasDirty ? before.id : null;
  m.id = id;
  m.unit = unit;
  m.undo = [];
  m.redo = [];
  m.mustKeep = m.mustKeep.filter((e) => !(e.id === id && e.canon === canon(unit)));
}

function keep(m, id, unit) {
  const c = canon(unit);
  if (!m.mustKeep.some((e) => e.id === id && e.canon === c)) m.mustKeep.push({ id, canon: c, name: unit.name, time: new Date().toISOString() });
}

/* --------------------------------------------------------------------- checks -- */

/** Whether one of the stored texts is that work once the core has read both: a unit the
 *  page built field by field ({"executed":"8"}) and the same read back in full (every
 *  field of the row, null where blank) are the same work. */
async function sameAsRead(S, texts, wanted) {
  const want = canon(await normalize(S, JSON.parse(wanted)));
  for (const x of texts) if (canon(await normalize(S, JSON.parse(x))) === want) return true;
  return false;
}

/** After every step: the page holds the model's unit, the store holds it when it is
 *  unsaved, the undo/redo buttons follow the model, and every kept piece of work is
 *  still in the store. */
async function verify(S, label) {
  const m = S.m;
  const snap = await until(() => snapshot(S.page), (s) => s.id === m.id && canon(JSON.parse(s.text)) === canon(m.unit));
  if (snap.error) fail(label + '：读取页面失败 ' + snap.error);
  if (snap.id !== m.id) fail(`${label}：打开的文档 ${snap.id}，模型 ${m.id}`);
  const d = diff(JSON.parse(snap.text), m.unit);
  if (d) fail(`${label}：页面数据与模型不同 ${d}`);
  if (snap.readOnly) fail(label + '：编辑页变成了只读');
  // The scores shown come from the core's kept unit, re-scored only where edited: they
  // must be what a full evaluation of the page's unit gives.
  const scores = await until(() => S.page.evaluate(() => {
    const J = window.jixiaoApp;
    if (!J.state.summary || J.engine.dead) return { kept: '', full: '' };
    const full = J.util.camelKeys(JSON.parse(J.core.evaluate(JSON.stringify(J.doc.unit), null)));
    return { kept: JSON.stringify(J.state.summary), full: JSON.stringify(full) };
  }), (s) => s.kept === s.full);
  if (scores.error) fail(label + '：读取计算结果失败 ' + scores.error);
  if (scores.kept !== scores.full) fail(label + '：页面显示的计算结果与整体计算不同 ' + diff(JSON.parse(scores.kept), JSON.parse(scores.full)));
  if (modelDirty(m)) {
    if (!snap.dirty) fail(label + '：有未保存的修改，页面却不标“未保存”');
    const got = await until(() => stored(S.page, m.id), (s) => s.cur && canon(JSON.parse(s.cur)) === canon(m.unit));
    if (!got.cur) fail(label + '：自动保存没有写入浏览器（cur:' + m.id + ' 不存在）');
    const sd = diff(JSON.parse(got.cur), m.unit);
    if (sd) fail(`${label}：浏览器中的工作副本与模型不同 ${sd}`);
    if (!got.rec || !got.rec.dirty) fail(label + '：浏览器中的记录没有标为未保存');
  }
  const buttons = await until(() => snapshot(S.page), (s) => s.undo === m.undo.length > 0 && s.redo === m.redo.length > 0, 1500);
  if (buttons.undo !== m.undo.length > 0) fail(`${label}：“撤销”${buttons.undo ? '可用' : '不可用'}，模型有 ${m.undo.length} 步可撤销`);
  if (buttons.redo !== m.redo.length > 0) fail(`${label}：“重做”${buttons.redo ? '可用' : '不可用'}，模型有 ${m.redo.length} 步可重做`);
  for (const e of m.mustKeep.slice()) {
    if (e.id === m.id && e.canon === canon(m.unit)) continue;
    const s = await stored(S.page, e.id);
    const texts = [s.cur].concat(s.versions.map((v) => v.text)).filter(Boolean);
    if (!texts.some((x) => canon(JSON.parse(x)) === e.canon) && !(await sameAsRead(S, texts, e.canon))) {
      // By design a document keeps MAX_VERSIONS (5) earlier versions: work older than
      // all five is let go (counted in the summary as “cap”).
      if (s.versions.length >= MAX_VERSIONS && s.versions.every((v) => v.key.split(':').slice(2).join(':') > e.time)) {
        m.mustKeep.splice(m.mustKeep.indexOf(e), 1);
        TALLY.cap = (TALLY.cap || 0) + 1;
        continue;
      }
      fail(`${label}：未保存的工作“${e.name || '未命名单位'}”（${e.id}）在浏览器中找不到了` +
        `（工作副本和 ${s.versions.length} 个早期版本都不是它；这份工作保留于 ${e.time}，版本：` +
        s.versions.map((v) => v.key.split(':').slice(2).join(':')).join('、') + '）' +
        (s.cur ? '；工作副本与它的差别：' + diff(JSON.parse(s.cur), JSON.parse(e.canon)) : ''));
    }
  }
  if (S.errors.length) fail(label + '：页面脚本错误 ' + S.errors.join(' | '));
}

/* -------------------------------------------------------------------- actions -- */

async function selectTarget(page, where, tab) {
  if (where < 0) await page.click(testid('unit-row'));
  else await page.click(projectRow(where + 1));
  if (tab) await page.click(`[data-tab="${tab}"]`);
}

function unitPath(where, rel) {
  return (where < 0 ? [] : ['projects', where]).concat(splitPath(rel));
}

async function waitLoaded(S, before, what) {
  const got = await until(() => snapshot(S.page), (s) => s.stateId !== before.stateId && !s.error);
  if (got.stateId === before.stateId) fail(what + '：页面没有打开新的文档');
  return got;
}

const ACTIONS = {
  async type(S, a) {
    const m = S.m;
    await selectTarget(S.page, a.where, a.tab);
    const input = S.page.locator(field(a.field)).first();
    await input.fill(a.value);
    const p = unitPath(a.where, a.field);
    if (a.kind === 'bad') {
      edit(m, (u) => {
        const before = getIn(u, p);
        const after = storedAfterInvalidNumber(before, a.value);
        if (after !== before) setIn(u, p, after); // unchanged: not even an empty branch is made
      });
      const marked = ((await input.getAttribute('class')) || '').includes('not-counted');
      if (marked !== INVALID_IS_MARKED) fail(`填“${a.value}”：输入框${marked ? '' : '没有'}标为未计入`);
    } else {
      edit(m, (u) => {
        // A blank where nothing is changes nothing (no empty branch either).
        if (a.stored === null && getIn(u, p.slice(0, -1)) == null) return;
        setIn(u, p, a.stored);
      });
    }
  },

  async add(S) {
    await S.page.click(testid('add-project'));
    edit(S.m, (u) => u.projects.push(clone(S.blankProject)));
  },

  async remove(S, a) {
    await selectTarget(S.page, a.index, null);
    await S.page.click(testid('project-remove'));
    edit(S.m, (u) => u.projects.splice(a.index, 1));
  },

  async move(S, a) {
    await selectTarget(S.page, a.index, null);
    await S.page.click(testid(a.dir < 0 ? 'project-up' : 'project-down'));
    edit(S.m, (u) => {
      const [p] = u.projects.splice(a.index, 1);
      u.projects.splice(a.index + a.dir, 0, p);
    });
  },

  async duplicate(S, a) {
    await selectTarget(S.page, a.index, null);
    await S.page.click(testid('project-duplicate'));
    edit(S.m, (u) => {
      const twin = clone(u.projects[a.index]);
      twin.name = (twin.name || '') + '（副本）';
      u.projects.splice(a.index + 1, 0, twin);
    });
  },

  async undo(S, a) {
    if (a.how === 'key') await S.page.keyboard.press('Control+Z');
    else await S.page.click(testid('undo'));
    const m = S.m;
    m.redo.push(m.unit);
    m.unit = m.undo.pop();
  },

  async redo(S, a) {
    if (a.how === 'key') await S.page.keyboard.press('Control+Y');
    else if (a.how === 'shiftKey') await S.page.keyboard.press('Control+Shift+Z');
    else await S.page.click(testid('redo'));
    const m = S.m;
    m.undo.push(m.unit);
    m.unit = m.redo.pop();
  },

  async paste(S, a) {
    await selectTarget(S.page, a.index, 'indicators');
    await S.page.focus(`[data-row="${a.row}"][data-col="0"]`);
    const tsv = a.rows.map((r) => r.cells.map((c) => (/[\t\n"]/.test(c) ? '"' + c.replace(/"/g, '""') + '"' : c)).join('\t')).join('\r\n') + '\r\n';
    await S.page.evaluate((text) => {
      const data = new DataTransfer();
      data.setData('text/plain', text);
      document.activeElement.dispatchEvent(new ClipboardEvent('paste', { clipboardData: data, bubbles: true, cancelable: true }));
    }, tsv);
    const keys = ['level1', 'level2', 'name', 'target', 'actual', 'weight', 'typedScore', 'reason'];
    edit(S.m, (u) => {
      const list = u.projects[a.index].indicators;
      a.rows.forEach((r, i) => {
        const at = a.row + i;
        while (list.length <= at) list.push(blankIndicator(list[list.length - 1]));
        keys.forEach((k, j) => {
          const text = r.cells[j];
          const value = r.stored[j] !== null ? r.stored[j] : k === 'typedScore' ? (text.trim() === '' ? null : text.trim()) : String(text).trim();
          list[at][k] = value;
        });
      });
    });
  },

  async newBlank(S) {
    const before = await snapshot(S.page);
    const prev = { id: S.m.id, unit: S.m.unit };
    await S.page.click(testid('new-blank'));
    const got = await waitLoaded(S, before, '新建空白单位');
    const unit = Object.assign(clone(S.blankUnit), { documentId: got.id });
    remember(S.m, got.id, unit);
    replaced(S.m, prev, before.dirty, got.id, unit);
    await checkReplacedNotice(S, prev, before.dirty);
  },

  async import(S, a) {
    let file;
    if (a.file === 'seed') file = { path: SEED, name: path.basename(SEED) };
    else if (a.file.startsWith('copy:')) file = S.m.copies[Number(a.file.slice(5))];
    else file = S.files[a.file];
    await openFile(S, file);
  },

  async reload(S, a) {
    await navigate(S, S.m.url, a.choice, async () => { await S.page.reload(); });
  },

  async kill(S, a) {
    const m = S.m;
    let young = null;
    if (a.young !== null) {
      // An edit younger than a second: it may or may not survive the kill.
      await selectTarget(S.page, -1, null);
      await S.page.fill(field('name'), a.young);
      young = clone(m.unit);
      young.name = a.young;
    } else {
      await sleep(1100); // every edit older than a second must come back…
      // …once the page says it has written it: on a slow machine a write (or the offer
      // being prepared) may still be under way a second later; killing then tested the
      // machine's speed, not the page.
      const settled = await until(() => S.page.evaluate(() => window.jixiaoApp.recovery.settled()), (v) => v === true);
      if (settled !== true) fail(`强制结束前等待 ${WAIT} 毫秒，自动保存仍未完成（${JSON.stringify(settled)}）`);
    }
    await navigate(S, m.url, a.choice, async () => {
      await S.br.kill();
      S.br = await relaunch(S.br.userDataDir);
      await setUpContext(S, S.br.context);
      S.page = watch(S, await S.br.context.newPage());
      await S.page.goto(m.url);
    }, young);
  },

  async save(S, a) {
    const m = S.m;
    S.copyCount = (S.copyCount || 0) + 1;
    const dir = path.join(S.dir, 'copy-' + S.copyCount);
    const got = await saveDownload(S.page, testid('save-' + a.kind), dir);
    let unit;
    if (a.kind === 'json') unit = JSON.parse(got.text);
    else {
      const start = got.text.indexOf('>', got.text.indexOf('id="jixiao-data"')) + 1;
      unit = JSON.parse(got.text.slice(start, got.text.indexOf('</script>', start))).unit;
    }
    const expected = await normalize(S, m.unit);
    const d = diff(unit, expected);
    if (d) fail(`保存的${a.kind === 'json' ? 'JSON' : 'HTML'}文件与模型不同 ${d}`);
    const snap = await until(() => snapshot(S.page), (s) => !s.dirty || s.mark === t.UNCONFIRMED, 2000);
    if (snap.dirty && snap.mark !== t.UNCONFIRMED) fail(`下载后标记为“${snap.mark}”，应为“${t.UNCONFIRMED}”`);
    const copy = { path: got.path, name: got.name, kind: a.kind, id: unit.documentId, unit, url: pathToFileURL(got.path).href };
    m.copies.push(copy);
    if (a.reopen === 'import') {
      await verify(S, '保存后');
      await openFile(S, copy);
    } else if (a.reopen === 'goto') {
      await verify(S, '保存后');
      await navigate(S, copy.url, a.choice, async () => { await S.page.goto(copy.url); });
    }
  },

  async tab2(S, a) {
    const m = S.m;
    await verify(S, '打开第二个标签页前');
    const first = S.page;
    const second = watch(S, await S.br.context.newPage());
    await second.goto(m.url);
    await t.ready(second);
    const fileDoc = fileDocOf(S, m.url);
    if (fileDoc.id === m.id) {
      const shown = await until(() => snapshot(second), (s) => canon(JSON.parse(s.text)) === canon(m.unit));
      if (!shown.readOnly || shown.mark !== '只读') fail(`同一文档的第二个标签页不是只读（标记“${shown.mark}”）`);
      if (!(await second.isVisible(testid('tab-conflict')))) fail('第二个标签页没有显示“正在另一个标签页中编辑”');
      const d = diff(JSON.parse(shown.text), m.unit);
      if (d) fail('第二个标签页显示的数据与模型不同 ' + d);
      if (!(await second.isDisabled(`${testid('view')} input, ${testid('view')} textarea`))) fail('只读标签页的输入框可以编辑');
      if (a.choice === 'take') {
        await second.click(testid('take-over'));
        const took = await until(() => snapshot(second), (s) => !s.readOnly && canon(JSON.parse(s.text)) === canon(m.unit));
        if (took.readOnly) fail('接管编辑后第二个标签页仍是只读');
        const d2 = diff(JSON.parse(took.text), m.unit);
        if (d2) fail('接管编辑后数据与模型不同 ' + d2);
        const old = await until(() => snapshot(first), (s) => s.readOnly);
        if (!old.readOnly) fail('被接管的标签页没有改为只读');
        if (!(await first.isVisible(testid('tab-conflict')))) fail('被接管的标签页没有说明已在另一个标签页中接管');
        await first.close();
        S.page = second;
        m.undo = [];
        m.redo = [];
        m.lastReplaced = null;
      } else {
        await second.click(testid('read-only'));
        if (!(await snapshot(second)).readOnly) fail('选“只读查看”后不再只读');
        await second.close();
      }
    } else {
      const s2 = await snapshot(second);
      if (s2.readOnly) fail('另一文档的标签页成了只读');
      const offered = await second.$$eval(testid('recovery-item'), (els) => els.map((e) => e.getAttribute('data-doc')));
      if (offered.includes(m.id)) fail('另一个标签页正在编辑的文档被提供恢复');
      await second.close();
    }
  },

  async restoreReplaced(S) {
    const id = S.m.lastReplaced;
    if (!(await S.page.isVisible(testid('restore-replaced')))) fail('替换文档后没有“回到…”按钮');
    const s = await stored(S.page, id);
    await reopenFromStore(S, id, s.cur, () => S.page.click(testid('restore-replaced')));
  },

  async panel(S, a) {
    const m = S.m;
    const entry = m.mustKeep.filter((e) => e.id !== m.id)[a.entry];
    await S.page.click(testid('recovery-open'));
    await S.page.waitForSelector(testid('recovery-panel'), { timeout: TIMEOUT });
    const listed = await S.page.$$eval(testid('recovery-doc'), (els) => els.map((e) => e.getAttribute('data-doc')));
    for (const e of m.mustKeep) if (!listed.includes(e.id)) fail(`“文档恢复”中没有列出未保存的“${e.name}”（${e.id}）`);
    const s = await stored(S.page, entry.id);
    const row = `${testid('recovery-doc')}[data-doc="${entry.id}"]`;
    if (s.cur && canon(JSON.parse(s.cur)) === entry.canon) {
      await reopenFromStore(S, entry.id, s.cur, () => S.page.click(`${row} ${testid('open-recovered')}`));
    } else {
      const reversed = s.versions.slice().reverse();
      const i = reversed.findIndex((v) => v.text && canon(JSON.parse(v.text)) === entry.canon);
      if (i < 0) fail(`“文档恢复”中找不到“${entry.name}”的这份工作`);
      await reopenFromStore(S, entry.id, reversed[i].text, () => S.page.locator(`${row} ${testid('open-version')}`).nth(i).click());
    }
  }
};

function blankIndicator(like) {
  return {
    level1: like ? like.level1 : '', level2: like ? like.level2 : '', name: '', target: '',
    actual: '', unit: '', weight: null, typedScore: null, reason: '',
    notApplicable: false, deduction: null, deductionReason: ''
  };
}

/** 打开 a file (JSON, saved HTML copy, workbook) through the hidden file input. */
async function openFile(S, file) {
  const m = S.m;
  const before = await snapshot(S.page);
  const prev = { id: m.id, unit: m.unit };
  await S.page.setInputFiles(testid('import-file'), file.path);
  const got = await until(() => snapshot(S.page), (s) => s.stateId !== before.stateId && s.origin === file.name);
  if (got.stateId === before.stateId) fail(`打开“${file.name}”：页面没有打开它`);
  let unit;
  if (file.unit) unit = await normalize(S, file.unit);
  else {
    // A workbook: a new document, as the core reads the seed (the first import is the reference).
    unit = JSON.parse(got.text);
    if (!/^d-[0-9a-f]{24}$/.test(got.id) || got.id === prev.id) fail('导入工作簿没有得到新的文档标识');
    if (S.seedUnit) {
      const d = diff(unit, Object.assign(clone(S.seedUnit), { documentId: got.id }));
      if (d) fail('再次导入示例工作簿，数据不同 ' + d);
    } else S.seedUnit = unit;
  }
  const id = unit.documentId;
  remember(m, id, unit);
  replaced(m, prev, before.dirty, id, unit);
  await checkReplacedNotice(S, prev, before.dirty);
}

async function checkReplacedNotice(S, prev, pageWasDirty) {
  if (!modelDirty(S.m, prev.id, prev.unit) && !pageWasDirty) return;
  const shown = await until(() => S.page.isVisible(testid('restore-replaced')), (v) => v === true, 3000);
  if (!shown) fail('替换了有未保存修改的文档，却没有“原来打开的…已保留”的提示');
}

/** Opens a document kept in the store (its text known beforehand) with `click`. */
async function reopenFromStore(S, id, text, click) {
  const m = S.m;
  if (!text) fail(`浏览器中没有 ${id} 的工作副本`);
  const before = await snapshot(S.page);
  const prev = { id: m.id, unit: m.unit };
  await click();
  const got = await until(() => snapshot(S.page), (s) => s.stateId !== before.stateId && s.id === id);
  if (got.id !== id) fail(`没有打开浏览器中保存的 ${id}（打开的是 ${got.id}）`);
  const unit = await normalize(S, JSON.parse(text));
  replaced(m, prev, before.dirty, id, unit);
  await checkReplacedNotice(S, prev, before.dirty);
}

/** The document a file holds: the example (a new identity each time) or a saved copy. */
function fileDocOf(S, url) {
  if (url === HTML_URL) return { id: null, unit: S.example };
  const copy = S.m.copies.find((c) => c.url === url);
  return { id: copy.id, unit: copy.unit };
}

/**
 * The page goes to `url` again (reload, kill and reopen, open a saved copy): it shows the
 * file's own document and offers the unsaved work — the open document's, when it was
 * edited in this file or is this file's document; the user recovers it, declines it, or
 * lets it be. `young`: a state the document may have reached less than a second before a
 * kill (either it or the state before is acceptable).
 */
async function navigate(S, url, choice, go, young) {
  const m = S.m;
  const prev = { id: m.id, unit: m.unit };
  const recBefore = (await stored(S.page, prev.id)).rec;
  await go();
  await t.ready(S.page);
  const fileDoc = fileDocOf(S, url);
  const snap = await snapshot(S.page);
  const shown = JSON.parse(snap.text);
  const fileUnit = await normalize(S, Object.assign(clone(fileDoc.unit), { documentId: fileDoc.id || snap.id }));
  const d = diff(shown, fileUnit);
  if (d) fail('重新打开文件后显示的不是文件中的数据 ' + d);
  m.url = url;
  // What of the document before is in the store now.
  const after = await stored(S.page, prev.id);
  const candidates = [prev.unit].concat(young ? [young] : []);
  let kept = prev.unit;
  if (young) {
    const hit = candidates.find((c) => after.cur && canon(JSON.parse(after.cur)) === canon(c));
    if (modelDirty(m, prev.id, prev.unit) && !hit) fail('浏览器被强制结束后，1 秒前的修改没有保存在浏览器中' + (after.cur ? ' ' + diff(JSON.parse(after.cur), prev.unit) : ''));
    if (hit) kept = hit;
  }
  // The file just opened holds that very work (a copy saved and reopened): nothing to keep.
  const inFile = prev.id === snap.id && canon(await normalize(S, kept)) === canon(fileUnit);
  const dirty = !inFile && modelDirty(m, prev.id, kept);
  if (dirty) keep(m, prev.id, kept);
  const offered = await S.page.$$eval(testid('recovery-item'), (els) => els.map((e) => e.getAttribute('data-doc')));
  const pageOfRecord = recBefore ? recBefore.page : null;
  const mustOffer = dirty && (prev.id === fileDoc.id || pageOfRecord === url) && canon(await normalize(S, kept)) !== canon(fileUnit);
  if (mustOffer && !offered.includes(prev.id)) {
    fail(`重新打开后没有提供恢复未保存的“${kept.name || '未命名单位'}”（浏览器中的记录：${JSON.stringify(after.rec)}，` +
      `工作副本${after.cur ? '在' : '不在'}；页面警告：${S.console.slice(-3).join(' | ') || '无'}）`);
  }
  // The file's own document is open now.
  remember(m, snap.id, fileUnit);
  m.id = snap.id;
  m.unit = fileUnit;
  m.undo = [];
  m.redo = [];
  m.lastReplaced = null;
  m.mustKeep = m.mustKeep.filter((e) => !(e.id === m.id && e.canon === canon(m.unit)));
  if (!offered.includes(prev.id)) return;
  const item = `${testid('recovery-item')}[data-doc="${prev.id}"]`;
  if (choice === 'recover') {
    await reopenFromStore(S, prev.id, after.cur, () => S.page.click(`${item} ${testid('recover')}`));
  } else if (choice === 'discard') {
    await S.page.click(`${item} ${testid('discard-recovery')}`);
  }
}

/* -------------------------------------------------------------------- sessions -- */

async function smallFiles(S) {
  const dir = path.join(S.dir, 'files');
  fs.mkdirSync(dir, { recursive: true });
  const a = clone(S.example);
  a.documentId = 'd-00000000000000000000000a';
  a.name = '小单位甲';
  a.projects = a.projects.slice(0, 2);
  const b = clone(S.blankUnit);
  b.documentId = 'd-00000000000000000000000b';
  b.name = '小单位乙';
  b.year = 2023;
  b.projects = [Object.assign(clone(S.blankProject), { name: '乙项目一' }), Object.assign(clone(S.blankProject), { name: '乙项目二' })];
  const files = {};
  for (const [key, unit] of [['A', a], ['B', b]]) {
    const p = path.join(dir, `small-${key}.json`);
    fs.writeFileSync(p, JSON.stringify(unit, null, 2));
    files[key] = { path: p, name: path.basename(p), unit };
  }
  return files;
}

function describe(a) {
  return JSON.stringify(a);
}

async function runSession(label, seed, steps, actions) {
  const rng = mulberry32(seed);
  const S = { dir: fs.mkdtempSync(path.join(os.tmpdir(), 'jixiao-model-')), errors: [], console: [] };
  const done = [];
  let ok = true;
  let detail = '';
  try {
    S.br = await launchProfile();
    await setUpContext(S, S.br.context);
    S.page = watch(S, await S.br.context.newPage());
    await S.page.goto(HTML_URL);
    await t.ready(S.page);
    const start = await snapshot(S.page);
    const constants = await S.page.evaluate(() => ({ blank: window.jixiaoApp.core.blankUnit() }));
    S.blankUnit = constants.blank;
    S.blankProject = constants.blank.projects[0];
    S.example = JSON.parse(start.text);
    S.example.documentId = '';
    const m = S.m = { id: start.id, unit: JSON.parse(start.text), undo: [], redo: [], files: new Map(), url: HTML_URL,
      mustKeep: [], lastReplaced: null, copies: [] };
    remember(m, m.id, m.unit);
    S.files = await smallFiles(S);
    const list = actions || [{ a: 'import', file: rng.pick(['seed', 'A', 'B']) }];
    for (let i = 0; actions ? i < list.length : i < steps; i++) {
      const a = actions ? list[i] : i === 0 ? list[0] : propose(rng, m);
      done.push(a);
      const kind = a.a === 'type' ? 'type:' + a.kind : a.a === 'save' ? 'save:' + a.kind + (a.reopen !== 'none' ? '+' + a.reopen : '') : a.a;
      TALLY[kind] = (TALLY[kind] || 0) + 1;
      try {
        await ACTIONS[a.a](S, a);
        await verify(S, `第 ${i + 1} 步 ${a.a}`);
      } catch (err) {
        ok = false;
        detail = (err instanceof ModelFailure ? err.message : (err.stack || String(err)).split('\n').slice(0, 4).join('\n      ')) +
          `\n      种子 ${seed}，会话 ${label}，第 ${i + 1} 步；重放：SEED=${seed} STEPS=${i + 1} node tests/e2e/model.js ${HTML}` +
          '\n      步骤：\n' + done.map((x, j) => `        ${j + 1}. ${describe(x)}`).join('\n');
        break;
      }
    }
  } catch (err) {
    ok = false;
    detail = (err.stack || String(err)) + `\n      种子 ${seed}`;
  } finally {
    if (S.br) await S.br.kill().catch(() => {});
    fs.rmSync(S.dir, { recursive: true, force: true });
  }
  check(`${label}（种子 ${seed}）：${done.length} 步，每步页面数据、浏览器中的副本与模型一致，显示的计算结果与整体计算相同，未保存的工作都能找回`, ok, detail);
  return ok;
}

async function main() {
  t.requireBuilt();
  const began = Date.now();
  // A new seed every run, except in CI (CI=true), whose gate runs the same sessions on
  // every commit (seed 1 on): random sessions explore on developers' machines and every
  // failure they find joins REGRESSIONS, which CI runs too.
  const fixed = process.env.CI === 'true' ? 1 : 0;
  const base = process.env.SEED ? Number(process.env.SEED) : fixed || (Date.now() % 100000) + 1;
  const sessions = process.env.SEED ? 1 : SESSIONS;
  console.log(`model: ${sessions} sessions × ${STEPS} steps, seed ${base}` +
    (REGRESSIONS.length && !process.env.SEED ? `（先重放 ${REGRESSIONS.length} 个回归用例）` : ''));
  // ONLY=n replays regression n alone.
  const only = Number(process.env.ONLY || 0);
  if (!process.env.SEED) {
    for (const [i, r] of REGRESSIONS.entries()) {
      if (only && only !== i + 1) continue;
      await runSession(`回归 ${i + 1}：${r.why}`, r.seed || 1, r.steps || (r.actions ? r.actions.length : STEPS), r.actions);
    }
  }
  for (let s = 0; s < (only ? 0 : sessions); s++) await runSession(`会话 ${s + 1}`, base + s, STEPS);
  console.log('步骤：' + Object.keys(TALLY).sort().map((k) => k + ' ' + TALLY[k]).join('，'));
  console.log(`用时 ${Math.round((Date.now() - began) / 1000)} 秒`);
  t.finish('model');
}

main().catch((err) => {
  check('测试未中途出错', false, err.stack || String(err));
  t.finish('model');
});
