#!/usr/bin/env node
/* Crash-proof (issue 9 item 5): every edit older than 1 s survives a killed browser — a
 * SIGKILL to Chromium and all its processes, not a reload or a graceful close — for the
 * seed and for a 5,000-project unit. The browser is started again on the same profile,
 * the same file opened from disk, and the recovery must hold the edit.
 *
 * Usage: node tests/e2e/crash.js /abs/path/dist/jixiao.html
 * Env: CHROMIUM=/path/to/chromium; PROJECTS (default 5000) for the large unit. */
'use strict';
const fs = require('fs');
const os = require('os');
const path = require('path');
const { pathToFileURL } = require('url');
const { launchProfile, relaunch } = require('./browser');
const {
  HTML, check, expectValue, testid, projectRow, field, importFile, importSeed,
  selectProject, requests, pageErrors, requireBuilt, finish, largeUnit
} = require('./lib');

const PROJECTS = Math.max(10, parseInt(process.env.PROJECTS || '5000', 10) || 5000);
const SLOW = 120000; // a 5,000-project unit takes seconds to import on a slow machine

/** A page of the profile's browser, watched as lib's pages are. */
async function pageOf(browser) {
  const page = await browser.context.newPage();
  page.on('request', (req) => requests.push(req.url()));
  page.on('pageerror', (err) => pageErrors.push(err.message));
  page.setDefaultTimeout(SLOW);
  return page;
}

async function openFile(page, file) {
  await page.goto(pathToFileURL(file).href);
  await page.waitForSelector('html[data-ready="true"][data-recovery="checked"]', { timeout: SLOW, state: 'attached' });
}

/** Types into a field as a user does (key by key), then waits one second: the kill
 *  follows at once. */
async function typeAndWait(page, selector, text) {
  const input = page.locator(selector);
  await input.click();
  await input.press('End');
  await input.pressSequentially(text, { delay: 5 });
  await page.waitForTimeout(1000);
}

async function afterKill(first, file, label, wanted) {
  await first.kill();
  const second = await relaunch(first.userDataDir);
  try {
    const page = await pageOf(second);
    await openFile(page, file);
    check(label + '：重新打开后提供恢复', await page.isVisible(testid('recovery-banner')));
    await page.click(testid('recover'));
    await page.waitForSelector(testid('recovery-banner'), { state: 'hidden' });
    await wanted(page);
  } finally {
    await second.close();
  }
}

async function seedKill(dir) {
  console.log('1. 编辑示例单位 1 秒后浏览器进程被杀：修改全部恢复');
  const first = await launchProfile({ userDataDir: path.join(dir, 'seed-profile') });
  const page = await pageOf(first);
  await openFile(page, HTML);
  await importSeed(page);
  await selectProject(page, 2, 'text');
  await typeAndWait(page, field('goal.actual'), '（崩溃前填写）');
  await afterKill(first, HTML, '示例单位', async (again) => {
    await selectProject(again, 2, 'text');
    await expectValue('恢复后项目2 的实际完成情况含崩溃前的修改',
      async () => (await again.locator(field('goal.actual')).inputValue()).endsWith('（崩溃前填写）'), true);
    check('恢复后项目仍为 9 个', (await again.locator(testid('project-row')).count()) === 9);
  });
}

async function largeKill(dir) {
  console.log('2. ' + PROJECTS + ' 个项目的单位：编辑 1 秒后进程被杀，修改恢复');
  const file = path.join(dir, '大型测试单位.json');
  const text = JSON.stringify(largeUnit(PROJECTS));
  fs.writeFileSync(file, text);
  console.log('      单位 JSON ' + Math.round(text.length / 1024 / 1024 * 10) / 10 + ' MB');
  const first = await launchProfile({ userDataDir: path.join(dir, 'large-profile') });
  const page = await pageOf(first);
  await openFile(page, HTML);
  const started = Date.now();
  await importFile(page, file);
  await expectValue('导入后项目 ' + PROJECTS + ' 个', () => page.locator(testid('project-row')).count(), PROJECTS, SLOW);
  console.log('      导入用时 ' + (Date.now() - started) + ' ms');
  // The first edit of a freshly imported unit, then one far down the list.
  await page.locator(field('name')).first().waitFor();
  const last = PROJECTS;
  await page.locator(projectRow(last)).scrollIntoViewIfNeeded();
  await selectProject(page, last, 'text');
  await typeAndWait(page, field('deviation'), '最后一个项目崩溃前的说明');
  await afterKill(first, HTML, PROJECTS + ' 个项目', async (again) => {
    await expectValue('恢复后项目 ' + PROJECTS + ' 个', () => again.locator(testid('project-row')).count(), PROJECTS, SLOW);
    const unit = await again.evaluate(() => ({
      name: window.jixiaoApp.doc.unit.name,
      deviation: window.jixiaoApp.doc.unit.projects[window.jixiaoApp.doc.unit.projects.length - 1].deviation
    }));
    check('恢复后单位名称为“大型测试单位”', unit.name === '大型测试单位', unit.name);
    check('恢复后最后一个项目的说明为崩溃前的修改', unit.deviation.endsWith('最后一个项目崩溃前的说明'), unit.deviation.slice(-40));
  });
}

async function main() {
  requireBuilt();
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'jixiao-crash-'));
  try {
    await seedKill(dir);
    await largeKill(dir);
  } catch (err) {
    check('测试未中途出错', false, err.stack || String(err));
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
  console.log('3. 没有网络请求，没有脚本错误');
  finish('crash');
}

main();
