#!/usr/bin/env node
/* End-to-end proof of the document behaviours (issue 9) as a user meets them through
 * file:// in Chromium: saving in place through the File System Access API, two tabs of one
 * document, replacing the open document without losing it, copies that keep to their own
 * work, and the structural edits of the project list with their undo and redo.
 *
 * Usage: node tests/e2e/documents.js /abs/path/dist/jixiao.html
 * Env: CHROMIUM=/path/to/chromium (default /usr/bin/chromium).
 *
 * The save picker cannot be answered in a headless browser, so part 1 replaces
 * window.showSaveFilePicker with a stand-in that returns a real, writable file handle of
 * the Origin Private File System (counting its calls). file:// pages reach that file
 * system only with --allow-file-access-from-files, so part 1 runs in a browser started
 * with that switch; every other part runs in the browser lib.launch() starts. */
'use strict';
const fs = require('fs');
const os = require('os');
const path = require('path');
const { chromium } = require('playwright-core');
const {
  CHROMIUM, VIEWPORT, TIMEOUT, requests, pageErrors, check, expectValue, testid, projectRow, field,
  newPage, open, storedCopy, importFile, importSeed, selectProject, download, launch, requireBuilt, finish
} = require('./lib');

/* ---------------------------------------------------------------- helpers -- */

/** The stand-in for the save picker (run in every page of the context): a real handle
 *  of the origin's private file system, named as suggested; window.__pickMode 'abort'
 *  makes it reject as a user's “取消” does. */
function pickerStub() {
  window.__picks = 0;
  window.__pickMode = 'ok';
  window.showSaveFilePicker = function (opts) {
    window.__picks++;
    if (window.__pickMode === 'abort') {
      return Promise.reject(new DOMException('The user aborted a request.', 'AbortError'));
    }
    return navigator.storage.getDirectory().then((dir) => dir.getFileHandle(opts.suggestedName, { create: true }));
  };
}

function track(context, page) {
  page.on('pageerror', (err) => pageErrors.push(err.message));
  return page;
}

/** Another tab in the same context (the same browser profile). */
async function anotherPage(context) {
  return track(context, await context.newPage());
}

async function pickerPage(browser) {
  const context = await browser.newContext({ viewport: VIEWPORT });
  context.on('request', (req) => requests.push(req.url()));
  await context.addInitScript(pickerStub);
  return { context, page: track(context, await context.newPage()) };
}

function launchWithOpfs() {
  return chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: ['--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking',
      '--disable-component-update', '--disable-sync', '--allow-file-access-from-files']
  });
}

/** A file of the private file system as text, or null when there is none. */
function opfsText(page, name) {
  return page.evaluate(async (n) => {
    try {
      const dir = await navigator.storage.getDirectory();
      return await (await (await dir.getFileHandle(n)).getFile()).text();
    } catch (err) {
      return null;
    }
  }, name);
}

/** The unit embedded in a saved HTML copy, or null. */
function embeddedUnit(html) {
  const m = /id="jixiao-data">([\s\S]*?)<\/script>/.exec(html || '');
  try {
    return m ? JSON.parse(m[1]).unit : null;
  } catch (err) {
    return null;
  }
}

function jsonUnit(text) {
  try {
    return JSON.parse(text);
  } catch (err) {
    return null;
  }
}

const picks = (page) => page.evaluate(() => window.__picks);
const statusText = (page) => page.evaluate(() => document.querySelector('[data-testid="status"]').textContent);
const docId = (page) => page.evaluate(() => window.jixiaoApp.doc.id);
const unitJson = (page) => page.evaluate(() => JSON.stringify(window.jixiaoApp.doc.unit));
const unitName = (page) => page.evaluate(() => window.jixiaoApp.doc.unit.name);
const projectName = (page, n) => page.evaluate((i) => window.jixiaoApp.doc.unit.projects[i].name, n - 1);
const rowName = (page, n) => page.textContent(`${projectRow(n)} .name`);
const isReadOnly = (page) => page.evaluate(() => window.jixiaoApp.doc.readOnly);
const record = (page, id) => page.evaluate((d) => window.jixiaoApp.store.get(d).then((r) => r || null), id);
/** The header's save mark: '' when saved, else 未保存 / 只读 / 已下载，未确认保存. */
const mark = (page) => page.evaluate(() => {
  const node = document.querySelector('.dirty');
  return node.hidden ? '' : node.textContent;
});
/** Every input of the editing columns is disabled (and there are some). */
const allLocked = (page) => page.evaluate(() => {
  const nodes = document.querySelectorAll('.body input, .body textarea, .body select');
  return nodes.length > 0 && Array.prototype.every.call(nodes, (n) => n.disabled);
});
const offered = (page) => page.evaluate(() => {
  const banner = document.querySelector('[data-testid="recovery-banner"]');
  if (banner.hidden) return [];
  return Array.from(banner.querySelectorAll('[data-testid="recovery-item"]')).map((li) => li.getAttribute('data-doc'));
});

async function editUnitName(page, name) {
  await page.click(testid('unit-row'));
  await page.fill(field('name'), name);
}

function visible(page, id) {
  return page.waitForSelector(testid(id), { state: 'visible', timeout: TIMEOUT });
}

/* ------------------------------------------------------- 1. saving in place -- */

async function saveInPlace() {
  console.log('1. 就地保存（File System Access）：第一次选择位置，以后写回同一文件');
  const browser = await launchWithOpfs();
  try {
    const { page } = await pickerPage(browser);
    await open(page);
    check('页面使用“选择保存位置”（showSaveFilePicker，测试中写入 OPFS）',
      await page.evaluate(() => window.jixiaoApp.savers.canPick()));
    await editUnitName(page, '就地保存测试单位');
    check('修改后标记“未保存”', (await mark(page)) === '未保存');

    // The user cancels the first picker.
    await page.evaluate(() => { window.__pickMode = 'abort'; });
    await page.click(testid('save'));
    await expectValue('取消选择位置：状态栏说明已取消', () => statusText(page), '已取消保存。数据仍在页面中，尚未保存。');
    check('取消：选择框被调用 1 次', (await picks(page)) === 1);
    check('取消：仍标记“未保存”', (await mark(page)) === '未保存');
    check('取消：数据不变，没有错误横幅', (await unitName(page)) === '就地保存测试单位' &&
      await page.isHidden(testid('error-banner')));

    // 保存: picks once and writes the HTML copy.
    const html = '就地保存测试单位_2022_绩效自评.html';
    await page.evaluate(() => { window.__pickMode = 'ok'; });
    await page.click(testid('save'));
    await expectValue('保存：状态栏说已保存到所选文件', () => statusText(page),
      '已保存到“' + html + '”，以后双击该文件即可继续填写。');
    check('保存：选择框共调用 2 次（取消 1 次，保存 1 次）', (await picks(page)) === 2);
    const written = await opfsText(page, html);
    check('写入的文件是完整的网页副本（带数据和程序）', !!written && written.includes('id="jixiao-app"') &&
      written.indexOf('id="jixiao-data"') < written.indexOf('id="jixiao-app"'));
    check('写入的文件中单位名称为修改后的“就地保存测试单位”', (embeddedUnit(written) || {}).name === '就地保存测试单位');
    check('写入的文件中文档标识与页面相同', (embeddedUnit(written) || {}).documentId === await docId(page));
    check('保存后“未保存”标记消失', (await mark(page)) === '');
    await expectValue('浏览器中的记录标为已保存，并记住该文件',
      async () => { const r = await record(page, await docId(page)); return !!r && !r.dirty && !!r.handle; }, true);

    // A second edit, then Ctrl+S: the same file, no picker.
    await editUnitName(page, '就地保存测试单位（第二次）');
    check('再次修改后标记“未保存”', (await mark(page)) === '未保存');
    await page.keyboard.press('Control+s');
    await expectValue('Ctrl+S：写回同一文件（文件中为第二次的名称）',
      async () => (embeddedUnit(await opfsText(page, html)) || {}).name, '就地保存测试单位（第二次）');
    check('Ctrl+S：没有再次弹出选择框（仍为 2 次）', (await picks(page)) === 2);
    await expectValue('Ctrl+S 后“未保存”标记消失', () => mark(page), '');
    check('Ctrl+S：状态栏说已保存到原文件', (await statusText(page)).startsWith('已保存到“' + html + '”'));

    // 另存为HTML: always asks where, then 保存 writes there.
    const other = '另存单位_2022_绩效自评.html';
    await editUnitName(page, '另存单位');
    await page.click(testid('save-html'));
    await expectValue('另存为HTML：写入新选择的文件', async () => (embeddedUnit(await opfsText(page, other)) || {}).name, '另存单位');
    check('另存为HTML：选择框调用 1 次（共 3 次）', (await picks(page)) === 3);
    check('另存为HTML：原来的文件不变', (embeddedUnit(await opfsText(page, html)) || {}).name === '就地保存测试单位（第二次）');
    await expectValue('另存为HTML 后“未保存”标记消失', () => mark(page), '');
    await editUnitName(page, '另存单位（改）');
    await page.click(testid('save'));
    await expectValue('另存后点“保存”：写回另存的文件', async () => (embeddedUnit(await opfsText(page, other)) || {}).name, '另存单位（改）');
    check('另存后点“保存”：没有弹出选择框（仍为 3 次）', (await picks(page)) === 3);
    await expectValue('另存后保存：“未保存”标记消失', () => mark(page), '');

    // 保存JSON: the same rule, and 保存 then writes JSON in place.
    const json = 'JSON单位_2022_绩效自评.json';
    await editUnitName(page, 'JSON单位');
    await page.click(testid('save-json'));
    await expectValue('保存JSON：状态栏说已保存', () => statusText(page), '已保存到“' + json + '”。');
    check('保存JSON：选择框调用 1 次（共 4 次）', (await picks(page)) === 4);
    check('保存JSON：文件是数据 JSON，单位名称为“JSON单位”', (jsonUnit(await opfsText(page, json)) || {}).name === 'JSON单位');
    check('保存JSON 后“未保存”标记消失', (await mark(page)) === '');
    await editUnitName(page, 'JSON单位（改）');
    await page.keyboard.press('Control+s');
    await expectValue('保存JSON 后 Ctrl+S：写回同一 JSON 文件', async () => (jsonUnit(await opfsText(page, json)) || {}).name, 'JSON单位（改）');
    check('保存JSON 后 Ctrl+S：没有弹出选择框（仍为 4 次）', (await picks(page)) === 4);
    await expectValue('保存JSON 后 Ctrl+S：“未保存”标记消失', () => mark(page), '');

    // Cancelling 另存为HTML.
    await page.evaluate(() => { window.__pickMode = 'abort'; });
    await editUnitName(page, '取消另存');
    await page.click(testid('save-html'));
    await expectValue('取消另存为HTML：状态栏说明已取消', () => statusText(page), '已取消保存。数据仍在页面中，尚未保存。');
    check('取消另存为HTML：仍标记“未保存”，数据不变', (await mark(page)) === '未保存' && (await unitName(page)) === '取消另存');
    check('取消另存为HTML：没有写任何文件', (jsonUnit(await opfsText(page, json)) || {}).name === 'JSON单位（改）' &&
      (await opfsText(page, '取消另存_2022_绩效自评.html')) === null);

    // A write that fails (the file is locked, the disk is full).
    await page.evaluate(() => {
      window.__pickMode = 'ok';
      FileSystemFileHandle.prototype.createWritable = function () {
        return Promise.reject(new DOMException('The file is locked.', 'NoModificationAllowedError'));
      };
    });
    await editUnitName(page, '写入失败单位');
    await page.keyboard.press('Control+s');
    await visible(page, 'error-banner');
    const message = (await page.textContent(`${testid('error-banner')} span`)).trim();
    console.log('      提示：' + message);
    check('写入失败：中文提示说没有保存', /^保存失败：写入文件失败/.test(message) && message.includes('没有标记为已保存'), message);
    check('写入失败：原因用中文说明（文件只读或被占用），没有浏览器的英文原文', message.includes('文件是只读的，或正被其他程序') &&
      !message.includes('locked'), message);
    check('写入失败：仍标记“未保存”', (await mark(page)) === '未保存');
    check('写入失败：状态栏没有说已保存', !(await statusText(page)).startsWith('已保存到'));
    check('写入失败：文件没有改变', (jsonUnit(await opfsText(page, json)) || {}).name === 'JSON单位（改）');
    await expectValue('写入失败：工作仍在浏览器的恢复存储中（IndexedDB）',
      async () => (jsonUnit(await storedCopy(page)) || {}).name, '写入失败单位');
    check('写入失败：浏览器中的记录标为未保存', ((await record(page, await docId(page))) || {}).dirty === true);
  } finally {
    await browser.close();
  }
}

/* ------------------------------------------- copies for the parts that follow -- */

async function makeCopies(browser, dir) {
  console.log('准备：两份不同文档的网页副本 A.html（示例工作簿）和 B.html（新建单位）');
  const { context, page } = await newPage(browser);
  await open(page);
  await importSeed(page);
  const aId = await docId(page);
  const a = await download(page, 'save-html', dir);
  await page.click(testid('new-blank'));
  await page.fill(field('name'), '白塔区财政局');
  const bId = await docId(page);
  const b = await download(page, 'save-html', dir);
  const bJson = await download(page, 'save-json', dir);
  await context.close();
  const A = path.join(dir, 'A.html');
  const B = path.join(dir, 'B.html');
  fs.renameSync(a.path, A);
  fs.renameSync(b.path, B);
  check('A、B 是两份不同的文档（标识不同）', /^d-[0-9a-f]{24}$/.test(aId) && /^d-[0-9a-f]{24}$/.test(bId) && aId !== bId);
  check('A.html 中是示例单位，B.html 中是白塔区财政局',
    (embeddedUnit(fs.readFileSync(A, 'utf8')) || {}).documentId === aId &&
    (embeddedUnit(fs.readFileSync(B, 'utf8')) || {}).name === '白塔区财政局');
  return { A, B, aId, bId, bJson };
}

/* ------------------------------------------------------------- 2. two tabs -- */

async function twoTabs(browser, copies) {
  console.log('2. 同一文档在两个标签页中打开：只读或接管，两边的修改都不丢');
  const { context, page: first } = await newPage(browser);
  await open(first, copies.A);
  check('第一个标签页可编辑，没有冲突提示', (await first.isHidden(testid('tab-conflict'))) && !(await isReadOnly(first)));
  await selectProject(first, 1, 'basic');
  await first.fill(field('name'), '第一页的修改');
  await expectValue('第一页的修改已自动保存到浏览器',
    async () => ((jsonUnit(await storedCopy(first)) || { projects: [{}] }).projects[0].name), '第一页的修改');

  const second = await anotherPage(context);
  await open(second, copies.A);
  await visible(second, 'tab-conflict');
  check('第二个标签页说明本文档正在另一个标签页中编辑',
    (await second.textContent(testid('tab-conflict'))).includes('本文档正在另一个标签页中编辑'));
  check('第二页只读，标题旁标记“只读”', (await isReadOnly(second)) && (await mark(second)) === '只读');
  await expectValue('第二页显示第一页自动保存的内容（数据）', () => projectName(second, 1), '第一页的修改');
  check('第二页显示第一页自动保存的内容（项目列表）', (await rowName(second, 1)) === '第一页的修改');

  await second.click(testid('read-only'));
  const frozen = await unitJson(second);
  check('选择“只读查看”：编辑区的输入框全部禁用', await allLocked(second));
  check('只读：新增项目、撤销按钮不可用',
    (await second.isDisabled(testid('add-project'))) && (await second.isDisabled(testid('undo'))));
  await selectProject(second, 2);
  const tabUsable = await second.isEnabled('[data-tab="indicators"]');
  check('只读：标签页按钮仍可用（查看不改数据）', tabUsable);
  if (tabUsable) await second.click('[data-tab="indicators"]');
  check('只读：仍可切换到项目2的“绩效指标”查看', (await second.isVisible(testid('indicator-grid'))) &&
    (await second.getAttribute(projectRow(2), 'class')).includes('selected'));
  check('只读：切换到项目2“绩效指标”后输入框仍全部禁用', await allLocked(second));
  let typed = true;
  try {
    await second.fill(field('indicators.0.actual'), '999', { timeout: 500 });
  } catch (err) {
    typed = false;
  }
  check('只读：无法在输入框中输入', !typed);
  await second.keyboard.press('Control+z');
  check('只读：数据没有任何变化', (await unitJson(second)) === frozen);

  // The first tab edits once more; the second takes over at once (before any autosave).
  await first.fill(field('name'), '第一页接管前最后的修改');
  await second.click(testid('take-over'));
  await expectValue('接管后第二页可编辑', () => isReadOnly(second), false);
  await expectValue('接管后第二页有第一页最后的修改（数据）', () => projectName(second, 1), '第一页接管前最后的修改');
  check('接管后第二页的项目列表显示该修改', (await rowName(second, 1)) === '第一页接管前最后的修改');
  check('接管后第二页的冲突提示关闭，标记“未保存”',
    (await second.isHidden(testid('tab-conflict'))) && (await mark(second)) === '未保存');
  await expectValue('第一页被告知已被接管，改为只读',
    async () => (await first.isVisible(testid('tab-conflict'))) &&
      (await first.textContent(testid('tab-conflict'))).includes('已在另一个标签页中接管编辑'), true);
  check('第一页只读：数据标为只读，输入框全部禁用，标记“只读”',
    (await isReadOnly(first)) && (await allLocked(first)) && (await mark(first)) === '只读');

  await selectProject(second, 1, 'basic');
  await second.fill(field('name'), '第二页接管后的修改');
  await expectValue('第一页（只读）随后显示第二页自动保存的修改', () => rowName(first, 1), '第二页接管后的修改');
  check('第一页仍为只读，数据与第二页一致', (await isReadOnly(first)) && (await unitJson(first)) === (await unitJson(second)));
  await context.close();
}

/* ---------------------------------------------- 3. replacing the document -- */

async function replacing(browser, copies) {
  console.log('3. 替换打开的文档（新建、打开、拖放）：原来未保存的修改可以找回');
  const { context, page } = await newPage(browser);
  await open(page);
  await importSeed(page);
  const seedId = await docId(page);
  await selectProject(page, 2, 'basic');
  await page.fill(field('name'), '替换前修改的项目');
  const edited = await unitJson(page);
  const label = '兰州新区应急管理局 · 2022年度';

  async function noticeShown(what) {
    await visible(page, 'replaced-notice');
    const notice = await page.textContent(testid('replaced-notice'));
    check(what + '：提示原来的“' + label + '”有未保存的修改，可在“文档恢复”中找回',
      notice.includes('原来打开的“' + label + '”有未保存的修改') && notice.includes('“文档恢复”中可随时找回'), notice);
    check(what + '：提示中有“回到”按钮', (await page.textContent(testid('restore-replaced'))) === '回到“' + label + '”');
    await page.waitForSelector('html[data-recovery="checked"]', { state: 'attached' });
    await page.waitForTimeout(300);
    const offers = await page.isVisible(testid('recovery-banner'))
      ? await page.textContent(testid('recovery-banner')) : '';
    check(what + '：被替换的文档只由这条提示说明，不在上方再作为“未保存的工作”提供一次',
      !offers.includes('兰州新区应急管理局'), offers);
  }
  async function restored(what) {
    await expectValue(what + '：单位数据与替换前完全相同（JSON 文本一致）', async () => (await unitJson(page)) === edited, true);
    check(what + '：文档标识不变，项目2 名称显示为修改后的，标记“未保存”',
      (await docId(page)) === seedId && (await rowName(page, 2)) === '替换前修改的项目' && (await mark(page)) === '未保存');
  }

  await page.click(testid('new-blank'));
  await noticeShown('新建空白单位');
  check('新建空白单位：页面显示空白单位（1 个项目，新的标识）',
    (await page.locator(testid('project-row')).count()) === 1 && (await docId(page)) !== seedId && (await unitName(page)) === '');
  await page.click(testid('restore-replaced'));
  await restored('新建后点“回到”');
  check('回到后替换提示关闭', await page.isHidden(testid('replaced-notice')));

  await importFile(page, copies.B);
  await noticeShown('打开 B.html');
  check('打开 B.html：页面显示 B 的数据', (await unitName(page)) === '白塔区财政局' && (await docId(page)) === copies.bId);
  await page.click(testid('restore-replaced'));
  await restored('打开后点“回到”');

  const text = fs.readFileSync(copies.bJson.path, 'utf8');
  await page.evaluate(({ text: t, name }) => {
    const data = new DataTransfer();
    data.items.add(new File([t], name, { type: 'application/json' }));
    const target = document.querySelector('main');
    for (const type of ['dragenter', 'dragover', 'drop']) {
      target.dispatchEvent(new DragEvent(type, { dataTransfer: data, bubbles: true, cancelable: true }));
    }
  }, { text, name: copies.bJson.name });
  await noticeShown('拖放 B 的 JSON 文件');
  check('拖放：页面显示 B 的数据', (await unitName(page)) === '白塔区财政局' && (await docId(page)) === copies.bId);

  await page.click(testid('recovery-open'));
  await visible(page, 'recovery-panel');
  const entry = page.locator(`${testid('recovery-doc')}[data-doc="${seedId}"]`);
  const entryText = (await entry.count()) ? await entry.textContent() : '';
  check('“文档恢复”中列出被替换的文档，标为未保存', entryText.includes('兰州新区应急管理局') &&
    entryText.includes('· 未保存'), entryText);
  check('“文档恢复”中有它被替换前的版本', entryText.includes('被替换前'), entryText);
  await entry.locator(testid('open-recovered')).click();
  check('“文档恢复”面板关闭', (await page.locator(testid('recovery-panel')).count()) === 0);
  await restored('从“文档恢复”打开');
  await context.close();
}

/* --------------------------------------------------- 4. copies keep apart -- */

async function isolation(browser, copies) {
  console.log('4. 各副本互不干扰：A 的未保存修改不出现在 B 中，A 重新打开时仍在');
  const { context, page: a } = await newPage(browser);
  await open(a, copies.A);
  check('打开 A：没有恢复提示', (await offered(a)).length === 0);
  await selectProject(a, 1, 'basic');
  await a.fill(field('name'), 'A 中未保存的修改');
  await expectValue('A 的修改已自动保存到浏览器，记录为未保存', async () => {
    const r = await record(a, copies.aId);
    return !!r && r.dirty && ((jsonUnit(await storedCopy(a)) || { projects: [{}] }).projects[0].name === 'A 中未保存的修改');
  }, true);
  await a.close();

  const b = await anotherPage(context);
  await open(b, copies.B);
  check('打开 B：不提供 A 的工作（没有恢复提示）', (await offered(b)).length === 0 && await b.isHidden(testid('recovery-banner')));
  check('B 的数据是 B 的（标识、名称、1 个项目）', (await docId(b)) === copies.bId && (await unitName(b)) === '白塔区财政局' &&
    (await b.evaluate(() => window.jixiaoApp.doc.unit.projects.length)) === 1);
  check('B 的页面显示 B 的单位名称', (await b.textContent(testid('unit-title'))).startsWith('白塔区财政局'));
  await b.fill(field('name'), '白塔区财政局（未保存）');
  await expectValue('B 自己的修改也已自动保存', async () => ((await record(b, copies.bId)) || {}).dirty === true, true);
  await b.close();

  const b2 = await anotherPage(context);
  await open(b2, copies.B);
  await visible(b2, 'recovery-banner');
  check('重新打开 B：只提供 B 自己的工作', JSON.stringify(await offered(b2)) === JSON.stringify([copies.bId]),
    JSON.stringify(await offered(b2)));
  await b2.click(testid('discard-recovery'));
  check('B 选择“不恢复”后恢复提示关闭，B 的数据仍为文件中的', (await b2.isHidden(testid('recovery-banner'))) &&
    (await unitName(b2)) === '白塔区财政局');
  check('A 的记录仍在浏览器中，仍为未保存、未被“不恢复”',
    await b2.evaluate((id) => window.jixiaoApp.store.get(id).then((r) => !!r && r.dirty && !r.dismissed), copies.aId));
  await b2.close();

  const a2 = await anotherPage(context);
  await open(a2, copies.A);
  await visible(a2, 'recovery-banner');
  check('重新打开 A：提供 A 的工作（且只有 A 的）', JSON.stringify(await offered(a2)) === JSON.stringify([copies.aId]),
    JSON.stringify(await offered(a2)));
  await a2.click(testid('recover'));
  await expectValue('恢复后 A 的项目1 名称（数据）', () => projectName(a2, 1), 'A 中未保存的修改');
  check('恢复后 A 的项目列表显示该修改', (await rowName(a2, 1)) === 'A 中未保存的修改');
  await context.close();
}

/* ------------------------------------------------------ 5. structural edits -- */

function snapshot(page) {
  return page.evaluate(() => {
    const J = window.jixiaoApp;
    const rows = Array.from(document.querySelectorAll('[data-testid="project-row"]'));
    const title = document.querySelector('[data-testid="view"] .view-title-text');
    const name = document.querySelector('[data-testid="view"] [data-field="name"]');
    return {
      json: JSON.stringify(J.doc.unit),
      data: J.doc.unit.projects.map((p) => p.name || ''),
      rows: rows.map((r) => r.querySelector('.name').textContent),
      marked: rows.map((r, i) => (r.classList.contains('selected') ? i : -1)).filter((i) => i >= 0),
      unitMarked: document.querySelector('[data-testid="unit-row"]').classList.contains('selected'),
      selected: J.state.selected,
      title: title ? title.textContent : null,
      name: name ? name.value : null,
      unitName: J.doc.unit.name
    };
  });
}

/** '' when the list, the view and the data agree, else what differs. */
function disagreement(s) {
  const shown = s.data.map((n) => (n.trim() ? n : '（未命名项目）'));
  if (JSON.stringify(s.rows) !== JSON.stringify(shown)) return '列表 ' + JSON.stringify(s.rows) + ' ≠ 数据 ' + JSON.stringify(s.data);
  if (s.selected >= 0) {
    if (s.marked.length !== 1 || s.marked[0] !== s.selected || s.unitMarked) return '列表中选中 ' + s.marked + '，应为 ' + s.selected;
    if (s.title !== '项目 ' + (s.selected + 1) + '：' + shown[s.selected]) return '视图标题 ' + s.title;
    if (s.name !== s.data[s.selected]) return '视图中项目名称 ' + s.name + '，数据中 ' + s.data[s.selected];
  } else {
    if (s.marked.length || !s.unitMarked) return '单位行没有选中，或仍有项目行选中';
    if (s.title !== null || s.name !== s.unitName) return '视图不是单位视图';
  }
  return '';
}

const EDITS = {
  'add-project': { label: '新增', names: (d) => d.concat(['']), sel: (d) => d.length },
  'project-remove': {
    label: '删除',
    names: (d, i) => d.filter((_, k) => k !== i),
    sel: (d, i) => Math.min(i, d.length - 2)
  },
  'project-up': { label: '上移', names: (d, i) => swap(d, i - 1), sel: (d, i) => i - 1 },
  'project-down': { label: '下移', names: (d, i) => swap(d, i), sel: (d, i) => i + 1 },
  'project-duplicate': {
    label: '复制',
    names: (d, i) => d.slice(0, i + 1).concat([d[i] + '（副本）'], d.slice(i + 1)),
    sel: (d, i) => i + 1
  }
};

function swap(list, i) {
  const out = list.slice();
  out.splice(i, 2, list[i + 1], list[i]);
  return out;
}

/** Selects project n (1-based; 0: leave the selection), presses the button, and checks
 *  the result, one undo and one redo. */
async function edit(page, which, n, button) {
  if (n) await selectProject(page, n, 'basic');
  const errors = pageErrors.length;
  const before = await snapshot(page);
  const spec = EDITS[button];
  const i = before.selected;
  const names = spec.names(before.data, i);
  const sel = spec.sel(before.data, i);
  const label = which + '：' + spec.label;
  await page.click(testid(button));
  const after = await snapshot(page);
  check(label + '，项目变为 ' + names.length + ' 个，选中' + (sel >= 0 ? '项目' + (sel + 1) : '单位整体') + '，列表、视图与数据一致',
    JSON.stringify(after.data) === JSON.stringify(names) && after.selected === sel && !disagreement(after),
    JSON.stringify(after.data) + ' 选中 ' + after.selected + ' ' + disagreement(after));
  await page.click(testid('undo'));
  const undone = await snapshot(page);
  check(label + '后撤销一次：数据与操作前完全相同', undone.json === before.json);
  check(label + '后撤销：选中操作前的项目，列表、视图与数据一致', undone.selected === before.selected && !disagreement(undone),
    '选中 ' + undone.selected + ' ' + disagreement(undone));
  await page.click(testid('redo'));
  const redone = await snapshot(page);
  check(label + '后重做：数据与操作后完全相同，列表、视图与数据一致',
    redone.json === after.json && redone.selected === after.selected && !disagreement(redone), disagreement(redone));
  check(label + '：没有脚本错误', pageErrors.length === errors, pageErrors.slice(errors).join(' | '));
  return redone;
}

async function buttonsDisabled(page, which, ids) {
  const states = await Promise.all(ids.map((id) => page.isDisabled(testid(id))));
  check(which + '：' + ids.map((id) => EDITS[id].label).join('、') + '不可用', states.every(Boolean));
}

/** Typing after a delete changes the selected project (or the unit), adds none. */
async function typeAfter(page, which, text) {
  const before = await snapshot(page);
  await page.fill(`${testid('view')} ${field('name')}`, text);
  const after = await snapshot(page);
  const target = before.selected >= 0 ? '项目' + (before.selected + 1) : '单位';
  check(which + '后输入名称：改的是' + target + '，没有多出项目，列表、视图与数据一致',
    after.data.length === before.data.length && after.rows.length === before.rows.length && !disagreement(after) &&
    (before.selected >= 0 ? after.data[before.selected] === text : after.unitName === text),
    JSON.stringify(after.data) + ' ' + disagreement(after));
}

async function structure(browser) {
  console.log('5. 项目的新增、删除、上移、下移、复制：列表、视图与数据一致，撤销一次恢复，重做一次重做');
  const { context, page } = await newPage(browser);
  await open(page);
  await importSeed(page);
  check('示例有 9 个项目', (await snapshot(page)).data.length === 9);

  await selectProject(page, 1, 'basic');
  await buttonsDisabled(page, '第一个项目', ['project-up']);
  await edit(page, '第一个项目', 1, 'project-down');
  await edit(page, '第一个项目', 1, 'project-duplicate');
  await edit(page, '第一个项目', 1, 'project-remove');
  await edit(page, '中间的项目（第5个）', 5, 'project-up');
  await edit(page, '中间的项目（第5个）', 5, 'project-down');
  await edit(page, '中间的项目（第5个）', 5, 'project-duplicate');
  await edit(page, '中间的项目（第5个）', 5, 'project-remove');
  let last = (await snapshot(page)).data.length;
  await selectProject(page, last, 'basic');
  await buttonsDisabled(page, '最后一个项目', ['project-down']);
  await edit(page, '最后一个项目', last, 'project-up');
  await edit(page, '最后一个项目', last, 'project-duplicate');
  last = (await snapshot(page)).data.length;
  await edit(page, '最后一个项目', last, 'project-remove');
  await typeAfter(page, '删除最后一个项目', '删除后输入的名称');
  await edit(page, '示例', 0, 'add-project');

  await page.click(testid('new-blank'));
  await selectProject(page, 1, 'basic');
  await page.fill(field('name'), '唯一项目');
  check('空白单位只有 1 个项目“唯一项目”', JSON.stringify((await snapshot(page)).data) === '["唯一项目"]');
  await buttonsDisabled(page, '唯一的项目', ['project-up', 'project-down']);
  await edit(page, '唯一的项目', 1, 'add-project');
  await edit(page, '两个项目中的最后一个', 2, 'project-remove');
  await edit(page, '唯一的项目', 1, 'project-duplicate');
  await edit(page, '两个项目中的最后一个', 2, 'project-up');
  await edit(page, '两个项目中的第一个', 1, 'project-down');
  await edit(page, '两个项目中的第一个', 1, 'project-remove');
  const only = await edit(page, '唯一的项目', 1, 'project-remove');
  check('删除唯一的项目后：没有项目，显示单位整体', only.data.length === 0 && only.rows.length === 0 && only.selected === -1);
  await buttonsDisabled(page, '没有项目时', ['project-up', 'project-down', 'project-duplicate', 'project-remove']);
  await typeAfter(page, '删除唯一的项目', '只剩单位');
  await edit(page, '没有项目时', 0, 'add-project');
  await typeAfter(page, '新增项目', '新的唯一项目');
  await context.close();
}

/* ------------------------------------------------------------------- main -- */

async function main() {
  requireBuilt();
  const started = Date.now();
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'jixiao-documents-'));
  let browser = null;
  try {
    await saveInPlace();
    browser = await launch();
    const copies = await makeCopies(browser, dir);
    await twoTabs(browser, copies);
    await replacing(browser, copies);
    await isolation(browser, copies);
    await structure(browser);
  } catch (err) {
    check('测试未中途出错', false, err.stack || String(err));
  } finally {
    if (browser) await browser.close();
    fs.rmSync(dir, { recursive: true, force: true });
  }
  console.log('6. 没有网络请求，没有脚本错误（用时 ' + Math.round((Date.now() - started) / 1000) + ' 秒）');
  finish('documents');
}

main();
