/* What every end-to-end script shares: checks that print as they go, the page's test ids,
 * a context like a user's browser, opening the built file through file:// and waiting until
 * it is ready, and the closing summary.
 *
 *   const t = require('./lib');
 *   const browser = await t.launch();
 *   const { page } = await t.newPage(browser);
 *   await t.open(page);
 *   t.check('…', ok, detail);
 *   t.finish();                     // “N passed, N failed”, exit 1 when any failed */
'use strict';
const fs = require('fs');
const path = require('path');
const { pathToFileURL } = require('url');
const { chromium } = require('playwright-core');

const HTML = path.resolve(process.argv[2] || path.join(__dirname, '../../dist/jixiao.html'));
const SEED = path.resolve(__dirname, '../../examples/lanzhou-xinqu-emergency-2022.xlsx');
const CHROMIUM = process.env.CHROMIUM || '/usr/bin/chromium';
const VIEWPORT = { width: 1366, height: 768 };
const TIMEOUT = 10000;

const results = { passed: 0, failed: 0, skipped: 0 };
const requests = []; // every URL any page asked for
const pageErrors = [];

function check(name, ok, detail) {
  if (ok) {
    results.passed++;
    console.log('  ✓ ' + name);
  } else {
    results.failed++;
    console.log('  ✗ ' + name + (detail ? '\n      ' + detail : ''));
  }
}

/** A check that cannot run yet (say, the core's exporter is not written): said, not passed. */
function skip(name, why) {
  results.skipped++;
  console.log('  – ' + name + '（未运行：' + why + '）');
}

/** Waits until `read()` returns `expected` (or time runs out), then records the check. */
async function expectValue(name, read, expected, timeout) {
  const until = Date.now() + (timeout || TIMEOUT);
  let got;
  for (;;) {
    try {
      got = await read();
    } catch (err) {
      got = 'error: ' + err.message;
    }
    if (got === expected || Date.now() > until) break;
    await new Promise((r) => setTimeout(r, 50));
  }
  check(name + ' = ' + JSON.stringify(expected), got === expected, 'got ' + JSON.stringify(got));
  return got === expected;
}

function expectText(page, name, selector, expected, timeout) {
  return expectValue(name, async () => (await page.locator(selector).first().textContent()).trim(), expected, timeout);
}

const testid = (id) => `[data-testid="${id}"]`;
const projectRow = (n) => `${testid('project-row')}[data-index="${n - 1}"]`;
const cell = (row, col) => `[data-row="${row}"][data-col="${col}"]`;
const field = (path) => `[data-field="${path}"]`;

/** A browser context like a user's browser without the File System Access API, so that
 *  saving goes through downloads (documents.js tests the in-place saver). */
async function newPage(browser, init) {
  const context = await browser.newContext({ viewport: VIEWPORT, acceptDownloads: true });
  context.on('request', (req) => requests.push(req.url()));
  await context.addInitScript(() => { delete window.showSaveFilePicker; });
  const page = await context.newPage();
  page.on('pageerror', (err) => pageErrors.push(err.message));
  if (init) await page.addInitScript(init);
  return { context, page };
}

/** Opens the file and waits until the page has checked the browser for this
 *  document's unsaved work. */
async function open(page, file) {
  await page.goto(pathToFileURL(file || HTML).href);
  await ready(page);
}

async function ready(page) {
  await page.waitForSelector('html[data-ready="true"][data-recovery="checked"]', { timeout: TIMEOUT, state: 'attached' });
}

/** The open document's working copy in the browser's recovery store (IndexedDB). */
function storedCopy(page) {
  return page.evaluate(() => window.jixiaoApp.store.text('cur:' + window.jixiaoApp.doc.id)).then((t) => t || '');
}

const UNCONFIRMED = '已下载，未确认保存';

async function importFile(page, file) {
  await page.setInputFiles(testid('import-file'), file);
}

async function importSeed(page) {
  await importFile(page, SEED);
  await page.waitForSelector(testid('example-banner'), { state: 'hidden', timeout: TIMEOUT });
}

async function selectProject(page, n, tab) {
  await page.click(projectRow(n));
  if (tab) await page.click(`[data-tab="${tab}"]`);
}

async function projectFigures(page, n) {
  const row = page.locator(projectRow(n));
  return (await row.locator(testid('project-total')).textContent()) + ' ' +
    (await row.locator(testid('project-grade')).textContent());
}

async function download(page, testId, dir) {
  const [file] = await Promise.all([page.waitForEvent('download'), page.click(testid(testId))]);
  const target = path.join(dir, file.suggestedFilename());
  await file.saveAs(target);
  return { name: file.suggestedFilename(), path: target, text: fs.readFileSync(target, 'utf8') };
}


/** Waits until the preview has laid the whole report out (a longer report is laid out in
 *  slices after its first pages show: preview.js) and returns its summary line. */
async function previewLaidOut(page, timeout) {
  const done = () => {
    const line = document.querySelector('[data-testid="preview-summary"]');
    return !!line && /^按打印效果显示/.test(line.textContent);
  };
  await page.waitForFunction(done, null, { timeout: timeout || TIMEOUT, polling: 100 });
  return page.textContent('[data-testid="preview-summary"]');
}

/** A large unit: the seed's projects (target/seed.json, written by make build) repeated
 *  until it has `count`, each named apart; its id left empty for the page to give. */
function largeUnit(count) {
  const seed = JSON.parse(fs.readFileSync(path.resolve(__dirname, '../../target/seed.json'), 'utf8'));
  const projects = [];
  for (let i = 0; i < count; i++) {
    const p = JSON.parse(JSON.stringify(seed.projects[i % seed.projects.length]));
    p.name = '第' + (i + 1) + '号 ' + p.name;
    projects.push(p);
  }
  return Object.assign({}, seed, { name: '大型测试单位', documentId: '', projects });
}

/** Chromium as playwright launches it, with the switches a headless test machine needs.
 *  A browser that dies while starting, before any page exists (seen once on a loaded
 *  2-core machine: SIGSEGV at launch), is started once more, and that is said; nothing
 *  a test checks runs before it. */
function launch() {
  const start = () => chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: ['--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking',
      '--disable-component-update', '--disable-sync']
  });
  return start().catch((err) => {
    console.log('  （Chromium 启动失败，再试一次：' + String(err.message).split('\n')[0] + '）');
    return new Promise((resolve) => setTimeout(resolve, 1000)).then(start);
  });
}

/** Stops when the built file is missing (`make build` first). */
function requireBuilt() {
  if (!fs.existsSync(HTML)) {
    console.error('找不到 ' + HTML + '，请先运行 make build');
    process.exit(2);
  }
}

/** No request left file:/data:/blob:, no script error on any page; the summary; the exit code. */
function finish(label) {
  const foreign = requests.filter((url) => !/^(file|data|blob):/.test(url));
  check('共 ' + requests.length + ' 个请求，全部为 file:/data:/blob:', requests.length > 0 && foreign.length === 0,
    foreign.slice(0, 5).join(' '));
  check('页面没有脚本错误', pageErrors.length === 0, pageErrors.join(' | '));
  console.log(`${label || 'e2e'}: ${results.passed} passed, ${results.failed} failed` +
    (results.skipped ? `, ${results.skipped} not run yet` : ''));
  process.exit(results.failed ? 1 : 0);
}

module.exports = {
  HTML, SEED, CHROMIUM, VIEWPORT, TIMEOUT, results, requests, pageErrors,
  check, skip, expectValue, expectText, testid, projectRow, cell, field,
  newPage, open, ready, storedCopy, UNCONFIRMED, importFile, importSeed, selectProject,
  projectFigures, download, launch, requireBuilt, finish, largeUnit, previewLaidOut
};
