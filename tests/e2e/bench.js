#!/usr/bin/env node
/* Browser benchmarks of the single-file app (issue 5 item 5): playwright-core drives
 * Debian's Chromium on dist/jixiao.html through file://, with the launch arguments of
 * run.js. Every timing is taken inside the page with performance.now() (no Playwright
 * round trip inside a measurement) and reported as the median of several runs.
 *
 * Usage: node tests/e2e/bench.js [/abs/path/dist/jixiao.html]   (after `make build`
 * and `cargo bench`, which writes the inputs: target/bench/unit-1000.json,
 * unit-1000.xlsx, seed.json, and the native results native-*.json). `make bench` runs
 * all three and this script prints the combined table.
 * Env: CHROMIUM=/path/to/chromium (default /usr/bin/chromium); RUNS (default 15) for
 * the opening and editing measurements; ONLY=open|core|screen|review|scaling for one group.
 * Writes target/bench/browser.json and target/bench/results.md. It is not a test: it
 * asserts no timing and exits 0 whatever the numbers (1 only if the page cannot be
 * driven at all). */
'use strict';
const fs = require('fs');
const os = require('os');
const path = require('path');
const { execSync } = require('child_process');
const { pathToFileURL } = require('url');
const { chromium } = require('playwright-core');

const ROOT = path.resolve(__dirname, '../..');
const HTML = path.resolve(process.argv[2] || path.join(ROOT, 'dist/jixiao.html'));
const OUT = path.join(ROOT, 'target/bench');
const CHROMIUM = process.env.CHROMIUM || '/usr/bin/chromium';
const RUNS = Math.max(10, parseInt(process.env.RUNS || '15', 10) || 15);
const VIEWPORT = { width: 1366, height: 768 };
const TIMEOUT = 120000;
const MB = 1024 * 1024;

const testid = (id) => `[data-testid="${id}"]`;

/* ------------------------------------------------------------------ numbers -- */

function stats(samples) {
  const s = samples.slice().sort((a, b) => a - b);
  const n = s.length;
  const median = n % 2 ? s[(n - 1) / 2] : (s[n / 2 - 1] + s[n / 2]) / 2;
  return { median, min: s[0], max: s[n - 1], runs: n };
}

const results = {}; // id → { label, median, min, max, runs, status, note }

function record(id, label, samples, note) {
  const st = stats(samples);
  results[id] = Object.assign({ label, status: 'ok', note: note || '' }, st);
  console.log(`  ${label.padEnd(62)} median ${ms(st.median).padStart(11)}  (min ${ms(st.min)}, max ${ms(st.max)}, ${st.runs} runs)` +
    (note ? '  ' + note : ''));
  return st;
}

function unavailable(id, label, status) {
  results[id] = { label, status, median: null, runs: 0, note: '' };
  console.log(`  ${label.padEnd(62)} not measured: ${status}`);
}

function ms(x) {
  if (x === null || x === undefined) return '—';
  return x >= 100 ? x.toFixed(0) + ' ms' : x.toFixed(2) + ' ms';
}

function bytes(n) {
  return n >= MB ? (n / MB).toFixed(2) + ' MB' : (n / 1024).toFixed(0) + ' KB';
}

/* ------------------------------------------------------------------ machine -- */

function sh(cmd) {
  try {
    return execSync(cmd, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim();
  } catch (err) {
    return '';
  }
}

function machine(browser) {
  const cpuinfo = fs.existsSync('/proc/cpuinfo') ? fs.readFileSync('/proc/cpuinfo', 'utf8') : '';
  const model = (cpuinfo.match(/^model name\s*:\s*(.*)$/m) || [])[1] || os.cpus()[0].model;
  return {
    date: sh('date') || new Date().toString(),
    nproc: sh('nproc') || String(os.cpus().length),
    cpu: model,
    ramGiB: (os.totalmem() / 1024 ** 3).toFixed(1),
    chromium: browser.version(),
    rustc: sh('rustc --version'),
    node: process.version,
    kernel: os.release(),
    loadavg: os.loadavg().map((x) => x.toFixed(2)).join(' ')
  };
}

/* ---------------------------------------------------------------- the pages -- */

async function newPage(browser, init) {
  const context = await browser.newContext({ viewport: VIEWPORT, acceptDownloads: true });
  const page = await context.newPage();
  page.on('pageerror', (err) => console.log('  (page error: ' + err.message + ')'));
  if (init) await page.addInitScript(init);
  return { context, page };
}

async function openApp(browser) {
  const { context, page } = await newPage(browser);
  await page.goto(pathToFileURL(HTML).href);
  await page.waitForSelector('html[data-ready="true"]', { timeout: TIMEOUT });
  return { context, page };
}

/** Marks, as epoch milliseconds, the load event, the app's ready signal
 *  (html[data-ready="true"], set by www/app/main.js when the core is started and the unit
 *  drawn) and the first contentful paint (the first frame with text on screen: for the
 *  app, its saved screen with the scores, www/app/snapshot.js). */
function markReady() {
  window.__bench = {};
  var mark = function (key, at) {
    if (!(key in window.__bench)) window.__bench[key] = performance.timeOrigin + (at === undefined ? performance.now() : at);
  };
  new MutationObserver(function () {
    if (document.documentElement && document.documentElement.getAttribute('data-ready') === 'true') mark('ready');
  }).observe(document, { attributes: true, subtree: true, attributeFilter: ['data-ready'] });
  addEventListener('load', function () { mark('load'); });
  new PerformanceObserver(function (list) {
    list.getEntries().forEach(function (e) {
      if (e.name === 'first-contentful-paint') mark('paint', e.startTime);
      if (e.name === 'first-paint') mark('frame', e.startTime);
    });
  }).observe({ type: 'paint', buffered: true });
}

/** Opens `url` in a fresh context; ms from the request to open it (Node side) to the
 *  page's signal (`ready` for the app, the load event for the empty page, the first
 *  paint for the one-line page), and the same from the page's own navigation start;
 *  for the app also its first paint (the scores). */
async function openOnce(browser, url, signal) {
  const { context, page } = await newPage(browser, markReady);
  const start = performance.timeOrigin + performance.now();
  await page.goto(url, { waitUntil: 'load', timeout: TIMEOUT });
  await page.waitForFunction((key) => window.__bench && window.__bench[key], signal, { timeout: TIMEOUT });
  const marks = await page.evaluate(() => {
    var nav = performance.getEntriesByType('navigation')[0] || {};
    return Object.assign({ origin: performance.timeOrigin, domInteractive: nav.domInteractive, loadEnd: nav.loadEventEnd }, window.__bench);
  });
  await context.close();
  return {
    wall: marks[signal] - start, nav: marks[signal] - marks.origin,
    domInteractive: marks.domInteractive, loadEnd: marks.loadEnd,
    paintWall: marks.paint ? marks.paint - start : null
  };
}

async function benchOpen(browser) {
  console.log('Opening from disk (fresh context each time, alternating with an empty page (to its load event and to its first frame) and a one-line page)');
  const empty = path.join(OUT, 'empty.html');
  fs.writeFileSync(empty, '<!DOCTYPE html>\n<html lang="zh-CN"><head><meta charset="utf-8"><title>empty</title></head><body></body></html>\n');
  // The least a page can show: one line of text (its first paint).
  const line = path.join(OUT, 'one-line.html');
  fs.writeFileSync(line, '<!DOCTYPE html>\n<html lang="zh-CN"><head><meta charset="utf-8"><title>line</title></head><body><p>执行率 99.60%</p></body></html>\n');
  // An empty page's first frame on screen, the like of the app's first paint (both are
  // frames presented, after raster): Chromium times no paint for a page with nothing on
  // it, so this one has a background one shade off white — it looks empty.
  const blank = path.join(OUT, 'blank.html');
  fs.writeFileSync(blank, '<!DOCTYPE html>\n<html lang="zh-CN"><head><meta charset="utf-8"><title>blank</title></head><body style="background:#fefefe"></body></html>\n');
  const pages = [
    { id: 'empty', url: pathToFileURL(empty).href, signal: 'load' },
    { id: 'blank', url: pathToFileURL(blank).href, signal: 'frame' },
    { id: 'line', url: pathToFileURL(line).href, signal: 'paint' },
    { id: 'app', url: pathToFileURL(HTML).href, signal: 'ready' }
  ];
  const samples = {};
  pages.forEach((p) => { samples[p.id] = { wall: [], nav: [], domInteractive: [], loadEnd: [], paintWall: [] }; });
  const warmup = 2;
  for (let i = 0; i < warmup + RUNS; i++) {
    for (const p of i % 2 ? pages.slice().reverse() : pages) {
      const t = await openOnce(browser, p.url, p.signal);
      if (i >= warmup) Object.keys(samples[p.id]).forEach((k) => { if (t[k] !== null) samples[p.id][k].push(t[k]); });
    }
  }
  record('browser.open.empty', 'open empty page: request → load event', samples.empty.wall);
  record('browser.open.blank', 'open empty page: request → its first frame on screen', samples.blank.wall);
  record('browser.open.line', 'open a one-line page: request → first paint', samples.line.wall);
  record('browser.open.app.scores', 'open dist/jixiao.html: request → first paint (its scores)', samples.app.paintWall);
  record('browser.open.app', 'open dist/jixiao.html: request → ready (data-ready)', samples.app.wall);
  record('browser.open.empty.nav', 'open empty page: navigation start → load event', samples.empty.nav);
  record('browser.open.app.nav', 'open dist/jixiao.html: navigation start → ready', samples.app.nav);
  record('browser.open.app.domInteractive', 'open dist/jixiao.html: navigation start → HTML parsed', samples.app.domInteractive);
  record('browser.open.app.load', 'open dist/jixiao.html: navigation start → load event end', samples.app.loadEnd);
  await benchOpenCopy(browser);
}

/** A copy saved by 另存为HTML with 1,000 projects (target/bench/unit-1000.json opened
 *  in the page): its saved screen first, then the page once the core has scored it. */
async function benchOpenCopy(browser) {
  const copy = path.join(OUT, 'copy-1000.html');
  const { context, page } = await openApp(browser);
  await page.setInputFiles(testid('import-file'), path.join(OUT, 'unit-1000.json'));
  await page.waitForFunction(() => document.querySelectorAll('[data-testid="project-row"]').length === 1000, null, { timeout: TIMEOUT });
  fs.writeFileSync(copy, await page.evaluate(() => window.jixiaoApp.files.htmlCopy()));
  await context.close();
  const paint = [];
  const ready = [];
  for (let i = 0; i < 2 + 7; i++) {
    const t = await openOnce(browser, pathToFileURL(copy).href, 'ready');
    if (i < 2) continue;
    if (t.paintWall !== null) paint.push(t.paintWall);
    ready.push(t.wall);
  }
  const size = bytes(fs.statSync(copy).size);
  record('browser.open.copy1000.scores', 'open a saved copy, 1,000 projects: request → first paint (its scores)', paint, size);
  record('browser.open.copy1000', 'open a saved copy, 1,000 projects: request → ready', ready, size);
}

/** Where the opening goes: the steps the page takes before it can start, timed again in
 *  an open page (text → bytes of the packed core, gunzip and instantiate the unpacker,
 *  unpack the core (LZMA), WebAssembly.compile of the core). */
async function benchBootSteps(page) {
  const steps = { decode: [], unpacker: [], unpack: [], compile: [] };
  let sizes = {};
  for (let i = 0; i < 13; i++) {
    const t = await page.evaluate(async () => {
      var out = {};
      var el = document.getElementById('jixiao-wasm');
      var t0 = performance.now();
      var packed = window.jixiaoTemplate.textToBytes(el.textContent, Number(el.getAttribute('data-length')));
      out.decode = performance.now() - t0;
      t0 = performance.now();
      var u = document.getElementById('jixiao-unpack');
      var gz = window.jixiaoTemplate.textToBytes(u.textContent, Number(u.getAttribute('data-length')));
      var stream = new Blob([gz]).stream().pipeThrough(new DecompressionStream('gzip'));
      var unpacker = (await WebAssembly.instantiate(await new Response(stream).arrayBuffer())).instance.exports;
      out.unpacker = performance.now() - t0;
      t0 = performance.now();
      var size = Number(el.getAttribute('data-size'));
      var wasm = window.jixiaoTemplate.unpackCore(unpacker, packed, size);
      out.unpack = performance.now() - t0;
      t0 = performance.now();
      await WebAssembly.compile(wasm);
      out.compile = performance.now() - t0;
      out.sizes = { packed: packed.length, wasm: wasm.byteLength };
      return out;
    });
    if (i >= 2) Object.keys(steps).forEach((k) => steps[k].push(t[k]));
    sizes = t.sizes;
  }
  record('browser.boot.decode', 'open, step · embedded text → bytes of the LZMA-packed core', steps.decode, bytes(sizes.packed));
  record('browser.boot.unpacker', 'open, step · gunzip and instantiate the unpacker module', steps.unpacker);
  record('browser.boot.unpack', 'open, step · unpack the core (LZMA, in the unpacker)', steps.unpack, bytes(sizes.wasm));
  record('browser.boot.compile', 'open, step · WebAssembly.compile of the core', steps.compile);
}

/* -------------------------------------------------------- the core, in-page -- */

/** Times `wasm_bindgen[call](...args)` in the page: warm-up, then `runs` timed calls.
 *  An argument `{ in: key }` is `window.__in[key]`, prepared beforehand. */
async function timeCore(page, call, spec, warmup, runs) {
  return page.evaluate(({ call, spec, warmup, runs }) => {
    var args = spec.map(function (a) { return a && a.in ? window.__in[a.in] : a; });
    var out = { samples: [] };
    try {
      for (var i = 0; i < warmup + runs; i++) {
        var t0 = performance.now();
        var r = wasm_bindgen[call].apply(null, args);
        if (typeof r === 'string' && call === 'evaluate') r = JSON.parse(r); // as the page does
        var t = performance.now() - t0;
        if (i >= warmup) out.samples.push(t);
        out.last = r;
      }
    } catch (err) {
      out.error = String(err && err.message || err);
    }
    var r = out.last;
    out.info = r instanceof Uint8Array ? { bytes: r.length }
      : r && r.projects ? { projects: r.projects.length, findings: (r.findings || []).length }
        : r && r.unit ? { projects: r.unit.projects.length, findings: (r.findings || []).length } : {};
    delete out.last;
    return out;
  }, { call, spec, warmup, runs });
}

async function benchCore(browser, inputs) {
  console.log('The core in the page (wasm_bindgen.*, performance.now(), median)');
  const { context, page } = await openApp(browser);
  await benchBootSteps(page);
  await page.evaluate(({ seed, unit, xlsx }) => {
    var bin = atob(xlsx);
    var book = new Uint8Array(bin.length);
    for (var i = 0; i < bin.length; i++) book[i] = bin.charCodeAt(i);
    window.__in = {
      seed: seed, unit: unit, book: book,
      json: new TextEncoder().encode(unit)
    };
  }, { seed: inputs.seed, unit: inputs.unit, xlsx: inputs.xlsx.toString('base64') });

  let r = await timeCore(page, 'evaluate', [{ in: 'seed' }, null], 20, 101);
  if (r.error) unavailable('browser.evaluate.seed', 'evaluate · seed unit (9 projects), wasm', r.error);
  else record('browser.evaluate.seed', 'evaluate · seed unit (9 projects), wasm', r.samples);

  r = await timeCore(page, 'evaluate', [{ in: 'unit' }, null], 3, 15);
  if (r.error) unavailable('browser.evaluate.1000', 'evaluate · 1,000 × 20, wasm (wasm_bindgen.evaluate)', r.error);
  else record('browser.evaluate.1000', 'evaluate · 1,000 × 20, wasm (wasm_bindgen.evaluate)', r.samples,
    r.info.projects + ' projects, ' + r.info.findings + ' findings');

  // The unit crosses as JSON text (the page's JSON.stringify, timed below): toJson reads
  // it (as evaluate does) and writes the pretty data file, which native.toJson.1000
  // times alone.
  r = await timeCore(page, 'toJson', [{ in: 'unit' }], 2, 11);
  if (r.error) unavailable('browser.toJson.1000', 'toJson · 1,000 projects (JSON text → Rust → data file), wasm', r.error);
  else record('browser.toJson.1000', 'toJson · 1,000 projects (JSON text → Rust → data file), wasm', r.samples);

  // What else an edit costs on 1,000 projects: the page stringifies the unit once per
  // redraw, for the core and for the “unsaved” mark.
  const str = await page.evaluate(() => {
    var s = [], unit = JSON.parse(window.__in.unit);
    for (var i = 0; i < 13; i++) {
      var t0 = performance.now();
      JSON.stringify(unit);
      if (i >= 2) s.push(performance.now() - t0);
    }
    return s;
  });
  record('browser.stringify.1000', 'JSON.stringify of the 1,000-project unit (once per edit)', str);

  r = await timeCore(page, 'loadFile', [{ in: 'book' }, 'unit-1000.xlsx'], 1, 5);
  if (r.error) unavailable('browser.import.xlsx.1000', 'import · workbook 1 + 1,000 sheets (loadFile), wasm', r.error);
  else record('browser.import.xlsx.1000', 'import · workbook 1 + 1,000 sheets (loadFile), wasm', r.samples,
    r.info.projects + ' projects');
  r = await timeCore(page, 'loadFile', [{ in: 'json' }, 'unit-1000.json'], 1, 5);
  if (r.error) unavailable('browser.import.json.1000', 'import · JSON data file, 1,000 projects (loadFile), wasm', r.error);
  else record('browser.import.json.1000', 'import · JSON data file, 1,000 projects (loadFile), wasm', r.samples);

  for (const [call, id, label, input, runs] of [
    ['exportXlsx', 'browser.exportXlsx.seed', 'export .xlsx · seed unit (9 projects), wasm', 'seed', 11],
    ['exportDocx', 'browser.exportDocx.seed', 'export .docx · seed unit (9 projects), wasm', 'seed', 11],
    ['exportXlsx', 'browser.exportXlsx.1000', 'export .xlsx · 1,000 projects (exportXlsx), wasm', 'unit', 3],
    ['exportDocx', 'browser.exportDocx.1000', 'export .docx · 1,000 projects (exportDocx), wasm', 'unit', 3]
  ]) {
    r = await timeCore(page, call, [{ in: input }, null], 1, runs);
    if (r.error) unavailable(id, label, 'the core answers: ' + r.error);
    else record(id, label, r.samples, bytes(r.info.bytes));
  }
  await context.close();
}

/* ------------------------------------------------------------ edits on screen -- */

/** In the page: types `value` into the field (input event, as typing does) and times,
 *  from the event, (handler) the app's synchronous work, (frame) the first animation
 *  frame after the total under the grid changed, (painted) a task posted from that
 *  frame, which runs once the frame's style, layout and paint are done. */
function editOnce(arg) {
  var input = document.querySelector('[data-field="' + arg.field + '"]');
  var read = function () {
    var n = document.querySelector('[data-testid="grid-total"]');
    return n ? n.textContent : null;
  };
  var before = read();
  return new Promise(function (resolve) {
    var t0 = 0;
    var tHandler = 0;
    var tChanged = null;
    var obs = new MutationObserver(function () {
      if (tChanged !== null || read() === before) return;
      tChanged = performance.now();
      obs.disconnect();
      requestAnimationFrame(function () {
        var tFrame = performance.now();
        var ch = new MessageChannel();
        ch.port1.onmessage = function () {
          resolve({
            before: before, after: read(), handler: tHandler - t0, changed: tChanged - t0,
            frame: tFrame - t0, painted: performance.now() - t0
          });
        };
        ch.port2.postMessage(null);
      });
    });
    obs.observe(document.body, { subtree: true, childList: true, characterData: true });
    setTimeout(function () {
      if (tChanged === null) {
        obs.disconnect();
        resolve({ before: before, after: read(), error: 'the total did not change' });
      }
    }, 10000);
    input.value = arg.value;
    t0 = performance.now();
    input.dispatchEvent(new Event('input', { bubbles: true }));
    tHandler = performance.now();
  });
}

/** The first indicator row of the open grid whose target is a plain number (≥N个, N%),
 *  with two actual values that score differently. */
async function editableRow(page) {
  return page.evaluate(() => {
    var rows = document.querySelectorAll('[data-testid="indicator-row"]');
    for (var r = 0; r < rows.length; r++) {
      var target = document.querySelector('[data-field="indicators.' + r + '.target"]');
      var m = target && /^[≥]?(\d+)(个|%)$/.exec(target.value.trim());
      if (m) {
        var n = parseInt(m[1], 10);
        return { field: 'indicators.' + r + '.actual', values: [Math.round(n * 0.8) + m[2], n + m[2]] };
      }
    }
    return null;
  });
}

async function benchEdit(page, id, label, pauseMs) {
  const row = await editableRow(page);
  if (!row) return unavailable(id, label, 'no numeric indicator row found in the grid');
  const s = { handler: [], frame: [], painted: [] };
  const warmup = 2;
  for (let i = 0; i < warmup + RUNS; i++) {
    const value = row.values[i % 2];
    const t = await page.evaluate(editOnce, { field: row.field, value });
    if (t.error) return unavailable(id, label, t.error + ' (' + row.field + ' → ' + value + ')');
    if (i >= warmup) {
      s.handler.push(t.handler);
      s.frame.push(t.frame);
      s.painted.push(t.painted);
    }
    // Past the typing pause (undo commit 400 ms, autosave 500 ms) before the next edit.
    await page.waitForTimeout(pauseMs);
  }
  record(id, label + ': input → next frame', s.frame, row.field + ' ' + row.values.join('⇄'));
  record(id + '.handler', label + ': input → DOM updated (sync work)', s.handler);
  record(id + '.painted', label + ': input → frame painted', s.painted);
}

/** Imports a file through the page's own file input; ms from the change event to the
 *  first animation frame in which the last project's row is drawn. */
async function uiImport(page, file, lastIndex) {
  // From a blank unit, so the list is built anew (an import of as many projects as are
  // shown updates the rows in place, and the row node would not change).
  await page.click(testid('new-blank'));
  await page.waitForFunction(() => document.querySelectorAll('[data-testid="project-row"]').length === 1);
  await page.evaluate((last) => {
    window.__imp = { t0: null, done: null };
    var sel = '[data-testid="project-row"][data-index="' + last + '"]';
    var old = document.querySelector(sel);
    document.addEventListener('change', function () { window.__imp.t0 = performance.now(); }, { capture: true, once: true });
    var poll = function () {
      var row = document.querySelector(sel);
      if (window.__imp.t0 !== null && row && row !== old) window.__imp.done = performance.now();
      else requestAnimationFrame(poll);
    };
    requestAnimationFrame(poll);
  }, lastIndex);
  await page.setInputFiles(testid('import-file'), file);
  await page.waitForFunction(() => window.__imp.done !== null, null, { timeout: TIMEOUT });
  return page.evaluate(() => window.__imp.done - window.__imp.t0);
}

/** Clicks an export button in the page and times its (synchronous) handler: the
 *  report, the file, and the download offered. */
async function uiExport(page, id, label, testId) {
  const state = await page.evaluate((sel) => {
    var b = document.querySelector(sel);
    return !b ? 'no button' : b.disabled ? 'the button is disabled (' + (b.title || '') + ')' : '';
  }, testid(testId));
  if (state) return unavailable(id, label, state);
  const samples = [];
  for (let i = 0; i < 3; i++) {
    const [t] = await Promise.all([
      page.evaluate((sel) => {
        var banner = document.querySelector('[data-testid="error-banner"]');
        if (banner) banner.hidden = true;
        var t0 = performance.now();
        document.querySelector(sel).click();
        var t = performance.now() - t0;
        banner = document.querySelector('[data-testid="error-banner"]');
        return { t: t, error: banner && !banner.hidden ? banner.textContent : '' };
      }, testid(testId)),
      page.waitForEvent('download', { timeout: TIMEOUT }).catch(() => null)
    ]);
    if (t.error) return unavailable(id, label, t.error.trim());
    samples.push(t.t);
    await page.waitForTimeout(500);
  }
  record(id, label, samples);
}

async function benchScreen(browser) {
  console.log('Editing on screen (input event → new total shown), importing and exporting through the page');
  let { context, page } = await openApp(browser);
  await page.click(`${testid('project-row')}[data-index="5"]`);
  await page.click('[data-tab="indicators"]');
  await benchEdit(page, 'browser.edit.seed', 'edit · seed (9 projects)', 800);
  await context.close();

  ({ context, page } = await openApp(browser));
  page.on('dialog', (d) => d.accept());
  const json = path.join(OUT, 'unit-1000.json');
  const xlsx = path.join(OUT, 'unit-1000.xlsx');
  const ui = [];
  for (let i = 0; i < 3; i++) {
    ui.push(await uiImport(page, json, 999));
    await page.waitForTimeout(2000);
  }
  record('browser.uiImport.json.1000', 'import on screen · JSON, 1,000 projects: change → drawn', ui);
  await page.click(`${testid('project-row')}[data-index="499"]`);
  await page.click('[data-tab="indicators"]');
  await page.waitForTimeout(1500);
  await benchEdit(page, 'browser.edit.1000', 'edit · 1,000 projects', 2000);
  await uiExport(page, 'browser.uiExportXlsx.1000', 'export on screen · 导出Excel, 1,000 projects', 'export-xlsx');
  await uiExport(page, 'browser.uiExportDocx.1000', 'export on screen · 导出Word, 1,000 projects', 'export-docx');
  const uiX = [];
  for (let i = 0; i < 3; i++) {
    uiX.push(await uiImport(page, xlsx, 999));
    await page.waitForTimeout(2000);
  }
  record('browser.uiImport.xlsx.1000', 'import on screen · workbook, 1,000 sheets: change → drawn', uiX);
  await context.close();
}

/* -------------------------------------------------------------------- table -- */

function nativeResults() {
  const out = {};
  for (const name of fs.existsSync(OUT) ? fs.readdirSync(OUT) : []) {
    if (!/^native-.*\.json$/.test(name)) continue;
    for (const e of JSON.parse(fs.readFileSync(path.join(OUT, name), 'utf8')).entries) {
      out[e.id] = { label: e.label, median: e.medianMs, min: e.minMs, max: e.maxMs, runs: e.runs, status: e.status, note: e.note };
    }
  }
  return out;
}

/** Rows of the closing table: what, measured, goal, verdict. */
function table(all, htmlSize) {
  const rows = [];
  const get = (id) => all[id] && all[id].median !== null && all[id].median !== undefined ? all[id].median : null;
  const why = (id) => all[id] ? all[id].status : 'not run (run cargo bench first)';
  const verdict = (value, goal) => value === null ? 'not measured'
    : value <= goal ? 'met' : 'MISSED ×' + (value / goal).toFixed(1);
  const timeRow = (what, id, goal, goalText) => {
    const v = get(id);
    rows.push([what, v === null ? '— (' + why(id) + ')' : ms(v), goalText || (goal === null ? '—' : '≤ ' + ms(goal)),
      goal === null ? (v === null ? 'not measured' : 'info') : verdict(v, goal)]);
  };
  const ratioRow = (what, a, b, goal) => {
    const x = get(a);
    const y = get(b);
    const r = x !== null && y !== null ? x / y : null;
    rows.push([what, r === null ? '—' : r.toFixed(2) + '×', '≤ ' + goal + '×', r === null ? 'not measured' : r <= goal ? 'met' : 'MISSED ×' + (r / goal).toFixed(1)]);
  };
  timeRow('evaluate 1,000×20 · native, core', 'native.evaluate.1000', null);
  timeRow('evaluate 1,000×20 · native, as the binding (JSON text in → Summary out)', 'native.evaluateBinding.1000', null);
  timeRow('evaluate 1,000×20 · wasm in Chromium', 'browser.evaluate.1000', 16);
  ratioRow('evaluate · wasm ÷ native core', 'browser.evaluate.1000', 'native.evaluate.1000', 1.5);
  ratioRow('evaluate · wasm ÷ native as the binding', 'browser.evaluate.1000', 'native.evaluateBinding.1000', 1.5);
  timeRow('open from disk · empty page (→ load)', 'browser.open.empty', null);
  timeRow('open from disk · empty page (→ its first frame on screen)', 'browser.open.blank', null);
  timeRow('open from disk · a one-line page (→ first paint)', 'browser.open.line', null);
  timeRow('open from disk · dist/jixiao.html (→ first paint: its scores)', 'browser.open.app.scores', null);
  timeRow('open from disk · dist/jixiao.html (→ ready: the core started)', 'browser.open.app', null);
  ratioRow('open · first scores ÷ empty page', 'browser.open.app.scores', 'browser.open.empty', 1.5);
  ratioRow('open · first scores ÷ empty page (its first frame on screen)', 'browser.open.app.scores', 'browser.open.blank', 1.5);
  ratioRow('open · first scores ÷ one-line page', 'browser.open.app.scores', 'browser.open.line', 1.5);
  ratioRow('open · ready ÷ empty page', 'browser.open.app', 'browser.open.empty', 1.5);
  timeRow('open a saved copy of 1,000 projects (→ first paint: its scores)', 'browser.open.copy1000.scores', null);
  timeRow('open a saved copy of 1,000 projects (→ ready)', 'browser.open.copy1000', null);
  timeRow('edit → new scores shown · seed', 'browser.edit.seed', 16);
  timeRow('edit → new scores shown · 1,000 projects', 'browser.edit.1000', 50);
  timeRow('export .xlsx · seed · wasm in Chromium (issue 4: well under 1 s)', 'browser.exportXlsx.seed', 1000);
  timeRow('export .docx · seed · wasm in Chromium (issue 4: well under 1 s)', 'browser.exportDocx.seed', 1000);
  timeRow('export .xlsx 1,000 · native', 'native.exportXlsx.1000', 2000);
  timeRow('export .xlsx 1,000 · wasm in Chromium', 'browser.exportXlsx.1000', 2000);
  timeRow('export .xlsx 1,000 · on screen (导出Excel click → file offered)', 'browser.uiExportXlsx.1000', 2000);
  timeRow('export .docx 1,000 · native', 'native.exportDocx.1000', 2000);
  timeRow('export .docx 1,000 · wasm in Chromium', 'browser.exportDocx.1000', 2000);
  timeRow('export .docx 1,000 · on screen (导出Word click → file offered)', 'browser.uiExportDocx.1000', 2000);
  timeRow('import workbook 1,000 sheets · native (io::load)', 'native.import.xlsx.1000', 3000);
  timeRow('import workbook 1,000 sheets · wasm (loadFile)', 'browser.import.xlsx.1000', 3000);
  timeRow('import workbook 1,000 sheets · on screen (drawn)', 'browser.uiImport.xlsx.1000', 3000);
  timeRow('review 300 units × 30 projects · native (issue 13)', 'native.review.300x30', 1000);
  timeRow('review 300 units × 30 projects · in the page, files → table drawn', 'browser.review.300x30', 5000);
  rows.push(['size of dist/jixiao.html', htmlSize.toLocaleString('en') + ' B (' + bytes(htmlSize) + ')', '≤ 1 MB (1,048,576 B)',
    htmlSize <= MB ? 'met' : 'MISSED ×' + (htmlSize / MB).toFixed(2)]);
  return rows;
}

function printTable(rows, info) {
  const head = ['measure', 'median', 'goal', 'verdict'];
  const width = (s) => [...String(s)].reduce((n, c) => n + (/[\u1100-\uffff]/.test(c) && !/[—×≤→÷·]/.test(c) ? 2 : 1), 0);
  const w = head.map((h, i) => Math.max(width(h), ...rows.map((r) => width(r[i]))));
  const pad = (s, n) => s + ' '.repeat(Math.max(0, n - width(s)));
  const line = (r) => r.map((c, i) => pad(String(c), w[i])).join(' │ ');
  console.log('\n' + line(head));
  console.log(w.map((n) => '─'.repeat(n)).join('─┼─'));
  rows.forEach((r) => console.log(line(r)));
  console.log(`\n${info.date} · ${info.nproc} CPU (${info.cpu}) · ${info.ramGiB} GiB · Chromium ${info.chromium} · ${info.rustc} · load ${info.loadavg}`);
}

/** The finance bureau's 汇总 in the page (issue 13 item 4): 300 units × 30 projects
 *  as JSON files (File objects made in the page from one unit's file, each named apart),
 *  read one by one into the core, scored, totalled and the table drawn; with the JS heap
 *  and the core's memory after it. */
async function benchReview(browser) {
  const file = path.join(OUT, 'review-unit-30.json');
  if (!fs.existsSync(file)) return unavailable('browser.review.300x30', 'review · 300 units × 30 projects in the page', 'no ' + file);
  console.log('The finance bureau\'s review in the page (300 files)');
  const text = fs.readFileSync(file, 'utf8');
  const samples = [];
  let memory = '';
  for (let i = 0; i < 3; i++) {
    const { context, page } = await openApp(browser);
    const r = await page.evaluate((text) => {
      var unit = JSON.parse(text);
      var files = [];
      for (var i = 0; i < 300; i++) {
        unit.name = '第' + (i + 1) + '单位';
        files.push(new File([JSON.stringify(unit)], 'unit-' + (i + 1) + '.json', { type: 'application/json' }));
      }
      var J = window.jixiaoApp;
      var t0 = performance.now();
      return J.review.readFiles(files, false).then(function () {
        return new Promise(function (resolve) { requestAnimationFrame(function () { setTimeout(resolve, 0); }); });
      }).then(function () {
        return {
          t: performance.now() - t0,
          rows: document.querySelectorAll('[data-testid="review-units"] tbody tr').length,
          heap: performance.memory ? performance.memory.usedJSHeapSize : 0,
          core: J.engine.memory ? J.engine.memory.buffer.byteLength : 0
        };
      });
    }, text);
    if (r.rows !== 300) {
      await context.close();
      return unavailable('browser.review.300x30', 'review · 300 units × 30 projects in the page', r.rows + ' rows drawn');
    }
    samples.push(r.t);
    memory = 'JS heap ' + bytes(r.heap) + ', the core\'s memory ' + bytes(r.core) + ' (' + bytes(Buffer.byteLength(text) * 300) + ' of JSON files)';
    await context.close();
  }
  record('browser.review.300x30', 'review · 300 units × 30 projects in the page: files → table drawn', samples, memory);
}

/** How the page's measures grow with the unit (issue 14 item 6): for 10, 100, 1,000 and
 *  10,000 projects (target/bench/scaling-<n>.json, written by `cargo bench --bench
 *  scaling`): the file opened on screen, an edit on screen, the core's full evaluation
 *  and its two exports in the page. Printed as a table with the native figures. */
async function benchScaling(browser) {
  console.log('Scaling: 10, 100, 1,000 and 10,000 projects');
  const rows = [];
  for (const n of [10, 100, 1000, 10000]) {
    const file = path.join(OUT, `scaling-${n}.json`);
    if (!fs.existsSync(file)) {
      unavailable(`browser.scaling.${n}`, `scaling · ${n} projects`, 'no ' + file + ' (cargo bench --bench scaling)');
      continue;
    }
    if (fs.statSync(file).size > 32 * MB) { // src/io/json.rs: MAX_JSON_BYTES
      unavailable(`browser.scaling.open.${n}`, `open the JSON file on screen · ${n} projects`,
        bytes(fs.statSync(file).size) + ' is over the import limit (32 MB): the page says so');
      continue;
    }
    const { context, page } = await openApp(browser);
    page.on('dialog', (d) => d.accept());
    const runs = n >= 10000 ? 1 : 3;
    const opened = [];
    for (let i = 0; i < runs; i++) opened.push(await uiImport(page, file, n - 1));
    record(`browser.scaling.open.${n}`, `open the JSON file on screen · ${n} projects`, opened);
    await page.click(`${testid('project-row')}[data-index="${n - 1}"]`);
    await page.click('[data-tab="indicators"]');
    await page.waitForTimeout(n >= 10000 ? 3000 : 1000);
    await benchEdit(page, `browser.scaling.edit.${n}`, `edit on screen · ${n} projects`, n >= 1000 ? 1500 : 800);
    await page.evaluate(() => { window.__in = { unit: JSON.stringify(window.jixiaoApp.doc.unit) }; });
    for (const [call, label] of [['evaluate', 'evaluate (full) in the page'], ['exportXlsx', 'export .xlsx in the page'],
      ['exportDocx', 'export .docx in the page']]) {
      const t = await timeCore(page, call, [{ in: 'unit' }, null], n >= 1000 ? 0 : 1, n >= 1000 ? 1 : 3);
      if (t.error) unavailable(`browser.scaling.${call}.${n}`, `${label} · ${n} projects`, t.error);
      else record(`browser.scaling.${call}.${n}`, `${label} · ${n} projects`, t.samples);
    }
    await context.close();
    rows.push(n);
  }
  return rows;
}

/** The scaling table (markdown): each measure by the number of projects. */
function scalingTable(all) {
  const sizes = [10, 100, 1000, 10000];
  const measures = [
    ['read the JSON file · native', 'native.scaling.load'],
    ['evaluate (full) · native', 'native.scaling.evaluate'],
    ['edit one project (kept unit) · native', 'native.scaling.edit'],
    ['export .xlsx · native', 'native.scaling.xlsx'],
    ['export .docx · native', 'native.scaling.docx'],
    ['open the JSON file on screen', 'browser.scaling.open'],
    ['edit on screen (input → next frame)', 'browser.scaling.edit'],
    ['evaluate (full) · wasm in the page', 'browser.scaling.evaluate'],
    ['export .xlsx · wasm in the page', 'browser.scaling.exportXlsx'],
    ['export .docx · wasm in the page', 'browser.scaling.exportDocx']
  ];
  const md = ['| measure | ' + sizes.map((n) => n.toLocaleString('en') + ' projects').join(' | ') + ' |',
    '|---' + '|---'.repeat(sizes.length) + '|'];
  measures.forEach(([label, id]) => {
    md.push('| ' + label + ' | ' + sizes.map((n) => {
      const e = all[id + '.' + n];
      return e && e.median !== null && e.median !== undefined ? ms(e.median) : '—';
    }).join(' | ') + ' |');
  });
  return md.join('\n') + '\n';
}

function markdown(rows, info, all) {
  const md = [];
  md.push(`Machine: ${info.nproc} × ${info.cpu}, ${info.ramGiB} GiB RAM, Linux ${info.kernel}; Chromium ${info.chromium} (headless); ${info.rustc}; Node ${info.node}.`);
  md.push(`Date: ${info.date}. Load average at the end: ${info.loadavg}.`, '');
  md.push('| measure | median | goal | verdict |', '|---|---|---|---|');
  rows.forEach((r) => md.push('| ' + r.join(' | ') + ' |'));
  md.push('', '| id | what | median | min | max | runs | note |', '|---|---|---|---|---|---|---|');
  Object.keys(all).sort().forEach((id) => {
    const e = all[id];
    md.push(`| ${id} | ${e.label} | ${e.median === null || e.median === undefined ? e.status : ms(e.median)} | ${ms(e.min)} | ${ms(e.max)} | ${e.runs} | ${e.note || ''} |`);
  });
  return md.join('\n') + '\n';
}

/* --------------------------------------------------------------------- main -- */

async function main() {
  const only = process.env.ONLY;
  const need = (only === 'review' || only === 'scaling' ? [] : ['unit-1000.json', 'unit-1000.xlsx', 'seed.json']).map((f) => path.join(OUT, f));
  const missing = need.filter((f) => !fs.existsSync(f));
  if (!fs.existsSync(HTML) || missing.length) {
    console.error('缺少输入：' + [HTML].concat(missing).filter((f) => !fs.existsSync(f)).join('，') +
      '\n请先运行 make build 和 cargo bench（或直接 make bench）。');
    process.exit(1);
  }
  const inputs = only === 'review' || only === 'scaling' ? {} : {
    seed: fs.readFileSync(path.join(OUT, 'seed.json'), 'utf8'),
    unit: fs.readFileSync(path.join(OUT, 'unit-1000.json'), 'utf8'),
    xlsx: fs.readFileSync(path.join(OUT, 'unit-1000.xlsx'))
  };
  const htmlSize = fs.statSync(HTML).size;
  const browser = await chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: ['--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking',
      '--disable-component-update', '--disable-sync']
  });
  const info = machine(browser);
  console.log(`== browser benchmarks: Chromium ${info.chromium}, ${HTML} (${bytes(htmlSize)}), ${RUNS} runs ==`);
  results['browser.size'] = { label: 'size of dist/jixiao.html (bytes)', median: null, status: htmlSize + ' bytes', runs: 0, note: bytes(htmlSize) };
  try {
    // ONLY=review (or open, core, screen) runs one group.
    if (!only || only === 'open') await benchOpen(browser);
    if (!only || only === 'core') await benchCore(browser, inputs);
    if (!only || only === 'screen') await benchScreen(browser);
    if (!only || only === 'review') await benchReview(browser);
    if (!only || only === 'scaling') await benchScaling(browser);
  } finally {
    await browser.close();
  }
  info.loadavg = os.loadavg().map((x) => x.toFixed(2)).join(' ');
  const all = Object.assign(nativeResults(), results);
  const rows = table(all, htmlSize);
  printTable(rows, info);
  fs.writeFileSync(path.join(OUT, 'browser.json'), JSON.stringify({ machine: info, htmlSize, results }, null, 1));
  fs.writeFileSync(path.join(OUT, 'results.md'), markdown(rows, info, all) + '\n## Scaling\n\n' + scalingTable(all));
  console.log('\n' + scalingTable(all));
  console.log('→ ' + path.join(OUT, 'results.md'));
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
