#!/usr/bin/env node
/* Memory of the undo history (issue 9 item 6): a 5,000-project unit opened in the page,
 * then 200 structural edits (a project moved down, one 撤销 step each) made through the
 * buttons; the JS heap after a full garbage collection is taken before and after, and
 * once more after 200 undos. The history keeps changes, not copies of the unit, so the
 * growth is a small part of the unit's own size. Not a test: nothing is asserted.
 *
 * Usage: node tests/e2e/bench-memory.js [/abs/path/dist/jixiao.html]
 * Env: CHROMIUM; PROJECTS (default 5000); STEPS (default 200).
 * Writes target/bench/memory.json and prints a table for BENCHMARKS.md. */
'use strict';
const fs = require('fs');
const os = require('os');
const path = require('path');
const { pathToFileURL } = require('url');
const { chromium } = require('playwright-core');
const { largeUnit } = require('./lib');

const ROOT = path.resolve(__dirname, '../..');
const HTML = path.resolve(process.argv[2] || path.join(ROOT, 'dist/jixiao.html'));
const OUT = path.join(ROOT, 'target/bench');
const CHROMIUM = process.env.CHROMIUM || '/usr/bin/chromium';
const PROJECTS = parseInt(process.env.PROJECTS || '5000', 10) || 5000;
const STEPS = parseInt(process.env.STEPS || '200', 10) || 200;
const TIMEOUT = 300000;
const MB = 1024 * 1024;
const testid = (id) => `[data-testid="${id}"]`;

async function heap(cdp) {
  await cdp.send('HeapProfiler.collectGarbage');
  await cdp.send('HeapProfiler.collectGarbage');
  const { usedSize } = await cdp.send('Runtime.getHeapUsage');
  return usedSize;
}

const mb = (n) => (n / MB).toFixed(1) + ' MB';

async function main() {
  if (!fs.existsSync(HTML) || !fs.existsSync(path.join(ROOT, 'target/seed.json'))) {
    console.error('缺少 ' + HTML + ' 或 target/seed.json：请先运行 make build');
    process.exit(1);
  }
  fs.mkdirSync(OUT, { recursive: true });
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'jixiao-memory-'));
  const file = path.join(dir, 'unit-' + PROJECTS + '.json');
  const text = JSON.stringify(largeUnit(PROJECTS));
  fs.writeFileSync(file, text);
  const browser = await chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: ['--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking',
      '--disable-component-update', '--disable-sync']
  });
  try {
    const context = await browser.newContext({ viewport: { width: 1366, height: 768 } });
    const page = await context.newPage();
    page.setDefaultTimeout(TIMEOUT);
    const cdp = await context.newCDPSession(page);
    await page.goto(pathToFileURL(HTML).href);
    await page.waitForSelector('html[data-ready="true"][data-recovery="checked"]', { state: 'attached' });
    const empty = await heap(cdp);
    await page.setInputFiles(testid('import-file'), file);
    await page.waitForFunction((n) => document.querySelectorAll('[data-testid="project-row"]').length === n, PROJECTS);
    await page.waitForTimeout(1500);
    const loaded = await heap(cdp);
    await page.click(`${testid('project-row')}[data-index="0"]`);
    const started = Date.now();
    for (let i = 0; i < STEPS; i++) {
      await page.click(testid('project-down'));
      await page.waitForFunction((n) => window.jixiaoApp.doc.unit.projects[n].name.indexOf('第1号 ') === 0, i + 1);
    }
    const perMove = (Date.now() - started) / STEPS;
    await page.waitForTimeout(1500);
    const moved = await heap(cdp);
    const history = await page.evaluate(() => window.jixiaoApp.doc.historySize());
    for (let i = 0; i < STEPS; i++) await page.click(testid('undo'));
    await page.waitForFunction(() => window.jixiaoApp.doc.unit.projects[0].name.indexOf('第1号 ') === 0);
    await page.waitForTimeout(1500);
    const undone = await heap(cdp);
    const r = {
      projects: PROJECTS, steps: STEPS, unitJsonBytes: text.length, history,
      heapEmpty: empty, heapLoaded: loaded, heapAfterMoves: moved, heapAfterUndo: undone,
      perStepBytes: (moved - loaded) / STEPS, perMoveMs: perMove, date: new Date().toISOString()
    };
    fs.writeFileSync(path.join(OUT, 'memory.json'), JSON.stringify(r, null, 1));
    console.log(`\nundo history memory · ${PROJECTS} projects (unit JSON ${mb(text.length)}), ${STEPS} moves (history: ${history.steps} steps, ${history.ops} operations)`);
    console.log('| JS heap after GC | MB |\n|---|---|');
    console.log(`| page open, seed example | ${mb(empty)} |`);
    console.log(`| ${PROJECTS} projects opened | ${mb(loaded)} |`);
    console.log(`| after ${STEPS} moves (${STEPS} undo steps) | ${mb(moved)} (+${mb(moved - loaded)}, ${Math.round((moved - loaded) / STEPS / 1024)} KB a step) |`);
    console.log(`| after ${STEPS} undos | ${mb(undone)} |`);
    console.log(`one move on screen: ${Math.round(perMove)} ms on average`);
  } finally {
    await browser.close();
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
