#!/usr/bin/env node
/* The indicator grid as an Excel/WPS user meets it (issue 10 items 4 and 5): Tab, Enter and
 * the arrow keys, row actions outside the Tab path, paste from a form with merged 一级/二级
 * cells, a paste in the wrong column and one of 10,000 rows (asked first, drawn in steps),
 * and the grid on the office screens 1366×768 and 1280×720 (no horizontal scroll, text
 * whole, findings column narrower or folded, status line over no data; screenshots in
 * /tmp/grid-*.png).
 *
 *   node tests/e2e/grid.js [dist/jixiao.html] */
'use strict';
const t = require('./lib');
const { check, expectValue, testid, cell, launch, open, selectProject, requireBuilt, finish } = t;

const rowCount = (page) => page.locator(testid('indicator-row')).count();
const at = (page) => page.evaluate(() => {
  const a = document.activeElement;
  return a && a.hasAttribute('data-row') ? a.getAttribute('data-row') + ',' + a.getAttribute('data-col') : String(a && a.tagName);
});
const value = (page, r, c) => page.locator(cell(r, c)).inputValue();

function paste(page, text) {
  return page.evaluate((tsv) => {
    const data = new DataTransfer();
    data.setData('text/plain', tsv);
    document.activeElement.dispatchEvent(new ClipboardEvent('paste', { clipboardData: data, bubbles: true, cancelable: true }));
  }, text);
}

async function gridPage(browser, size) {
  const context = await browser.newContext({ viewport: size || t.VIEWPORT });
  context.on('request', (req) => t.requests.push(req.url()));
  const page = await context.newPage();
  page.on('pageerror', (err) => t.pageErrors.push(err.message));
  await open(page);
  await selectProject(page, 2, 'indicators'); // 安全生产监督执法专项经费: 3 rows
  return { context, page };
}

async function keys(browser) {
  console.log('1. 键盘：Tab、Enter、方向键，行操作不在 Tab 顺序中');
  const { context, page } = await gridPage(browser);
  await page.focus(cell(0, 0));
  const path = [];
  for (let i = 0; i < 9; i++) {
    await page.keyboard.press('Tab');
    path.push(await at(page));
  }
  check('Tab 依次经过第1行的各数据格，再到第2行的一级指标（不经过插入/删除）',
    path.join(' ') === '0,1 0,2 0,3 0,4 0,5 0,6 0,7 0,8 1,0', path.join(' '));
  await page.keyboard.press('Shift+Tab');
  check('Shift+Tab 回到上一行的最后一格（不适用）', (await at(page)) === '0,8', await at(page));
  const actions = await page.$$eval(`${testid('indicator-row')} .col-actions button`, (bs) => bs.map((b) => b.tabIndex + ' ' + b.title));
  check('行操作按钮 tabindex=-1，提示中写明快捷键', actions.length === 6 && actions.every((a) => a.startsWith('-1 ')) &&
    actions[0].includes('Ctrl+Shift+Enter') && actions[1].includes('Ctrl+Shift+Delete'), actions.join(' | '));

  await page.focus(cell(0, 2));
  await page.keyboard.press('Enter');
  check('Enter 下移到同一列', (await at(page)) === '1,2', await at(page));
  await page.keyboard.press('ArrowUp');
  check('↑ 上移到同一列', (await at(page)) === '0,2', await at(page));
  await page.keyboard.press('ArrowDown');
  check('↓ 下移到同一列', (await at(page)) === '1,2', await at(page));
  await page.keyboard.press('Home');
  await page.keyboard.press('ArrowRight');
  check('文字中间按 → 只移动光标，不换格', (await at(page)) === '1,2', await at(page));
  await page.keyboard.press('End');
  await page.keyboard.press('ArrowRight');
  check('文字末尾按 → 移到右边一格', (await at(page)) === '1,3', await at(page));
  await page.keyboard.press('Home');
  await page.keyboard.press('ArrowLeft');
  check('文字开头按 ← 移到左边一格', (await at(page)) === '1,2', await at(page));

  // The pickers: ↑↓ move rows and keep the value; Alt+↓ opens the list.
  const levels = [await value(page, 0, 1), await value(page, 1, 1), await value(page, 2, 1)];
  await page.focus(cell(0, 1));
  await page.keyboard.press('ArrowDown');
  await page.keyboard.press('ArrowDown');
  await page.keyboard.press('ArrowUp');
  check('二级指标选择框上按 ↓↓↑：移到第2行，各行的值不变', (await at(page)) === '1,1' &&
    (await value(page, 0, 1)) + (await value(page, 1, 1)) + (await value(page, 2, 1)) === levels.join(''),
    (await at(page)) + ' ' + levels.join(','));
  await page.keyboard.press('Alt+ArrowDown');
  await page.keyboard.press('ArrowDown');
  await page.keyboard.press('Enter');
  await expectValue('Alt+↓ 打开选择框，↓ 再 Enter 选下一项（社会效益指标 → 生态效益指标），仍在本格', async () =>
    (await value(page, 1, 1)) + ' ' + (await at(page)), '生态效益指标 1,1');
  await page.keyboard.press('Control+z');
  await expectValue('撤销这次选择', () => value(page, 1, 1), levels[1]);

  // Enter on the last row adds a row (one undo step) and moves into it.
  await page.focus(cell(2, 3));
  await page.keyboard.press('Enter');
  await expectValue('最后一行按 Enter：添加一行并移到新行同一列', async () => (await rowCount(page)) + ' ' + (await at(page)), '4 3,3');
  check('新行的一级/二级沿用上一行', (await value(page, 3, 0)) + (await value(page, 3, 1)) === (await value(page, 2, 0)) + (await value(page, 2, 1)));
  await page.keyboard.type('≥90%');
  await page.waitForTimeout(500); // past the typing pause: the typed text is a step of its own
  await page.keyboard.press('Control+z');
  await expectValue('撤销一次：新行中输入的文字撤回，行还在', async () => (await rowCount(page)) + ' ' + (await value(page, 3, 3)), '4 ');
  await page.keyboard.press('Control+z');
  await expectValue('再撤销一次：添加的行去掉（一步）', () => rowCount(page), 3);

  // Row actions by keys: insert below and delete, each one undoable step, no confirm.
  const name1 = await value(page, 1, 2);
  await page.focus(cell(1, 4));
  await page.keyboard.press('Control+Shift+Enter');
  await expectValue('Ctrl+Shift+Enter 在下方插入一行，光标在新行同一列', async () => (await rowCount(page)) + ' ' + (await at(page)), '4 2,4');
  await page.keyboard.press('Control+z');
  await expectValue('撤销插入', () => rowCount(page), 3);
  await page.focus(cell(1, 4));
  await page.keyboard.press('Control+Shift+Delete');
  await expectValue('Ctrl+Shift+Delete 删除本行（不弹确认），原第3行上移', async () =>
    (await rowCount(page)) + ' ' + ((await value(page, 1, 2)) !== name1), '2 true');
  await expectValue('状态栏说明删除了哪一行、如何撤销', () => page.textContent(testid('status')), '已删除第2行（撤销：Ctrl+Z）。');
  await page.keyboard.press('Control+z');
  await expectValue('撤销删除：行回来', async () => (await rowCount(page)) + ' ' + (await value(page, 1, 2)), '3 ' + name1);
  // With the mouse.
  await page.click(`${testid('indicator-row')} >> nth=0 >> .col-actions button[aria-label="插入"]`);
  await expectValue('鼠标点“＋”插入一行', () => rowCount(page), 4);
  await page.click(`${testid('indicator-row')} >> nth=1 >> .col-actions button[aria-label="删除"]`);
  await expectValue('鼠标点“✕”删除这一行', () => rowCount(page), 3);
  await context.close();
}

/* A block copied from a form whose 一级/二级 cells were merged: blank below the first row. */
const MERGED = '产出指标\t数量指标\t检查企业数\t≥100家\t120家\t5\t\t\n' +
  '\t\t培训人次\t≥500人次\t620人次\t5\t\t\n' +
  '\t质量指标\t整改完成率\t≥90%\t95%\t5\t\t\n' +
  '效益指标\t社会效益指标\t事故起数\t≤3起\t1起\t5\t\t\n' +
  '\t\t群众知晓率\t≥80%\t85%\t5\t\t\n';

async function pastes(browser) {
  console.log('2. 粘贴：合并单元格、粘错列、一万行');
  const { context, page } = await gridPage(browser);
  await page.click(testid('add-indicator'));
  await page.focus(cell(3, 0));
  await paste(page, MERGED);
  await expectValue('粘贴 5 行（合并单元格的表）', () => rowCount(page), 8);
  const levels = [];
  for (let r = 3; r < 8; r++) levels.push((await value(page, r, 0)) + '/' + (await value(page, r, 1)));
  check('空白的一级/二级按上一行填入', levels.join(' ') ===
    '产出指标/数量指标 产出指标/数量指标 产出指标/质量指标 效益指标/社会效益指标 效益指标/社会效益指标', levels.join(' '));
  check('状态栏说明按上一行填入了几格', (await page.textContent(testid('status'))).includes('按上一行填入 5 格'),
    await page.textContent(testid('status')));
  check('核对中没有空的一级指标', !(await page.textContent(testid('findings'))).includes('一级指标“”'));
  // The first pasted row blank too: from the row the paste lands under.
  const under = [await value(page, 7, 0), await value(page, 7, 1)];
  await page.click(testid('add-indicator'));
  await page.focus(cell(8, 0));
  await paste(page, '\t\t满意度调查\t≥90%\t92%\t2\t\t\n');
  await expectValue('第一行也空白：按粘贴处上面一行填入', async () => (await value(page, 8, 0)) + '/' + (await value(page, 8, 1)), under.join('/'));
  await page.keyboard.press('Control+z');
  await page.keyboard.press('Control+z');
  await expectValue('撤销两次：回到粘贴合并表之后', () => rowCount(page), 8);

  // Started in the wrong column (三级指标) with a block whose first column is 一级指标.
  await page.focus(cell(3, 2));
  const before = await value(page, 3, 2);
  await paste(page, '满意度指标\t服务对象满意度指标\t企业满意度\t≥90%\t93%\t4\t\t\n');
  const ask = page.locator(testid('paste-confirm'));
  await expectValue('粘错列：页面中先说明要做什么（不是浏览器的确认框）', async () => (await ask.isVisible()) &&
    (await ask.textContent()).includes('将从第4行的“一级指标”列起粘贴'), true);
  check('说明之前什么也没改', (await value(page, 3, 2)) === before && (await rowCount(page)) === 8);
  await page.click(testid('paste-cancel'));
  await expectValue('取消：说明消失，内容不变', async () => (await ask.count()) + ' ' + ((await value(page, 3, 2)) === before), '0 true');
  await page.focus(cell(3, 2));
  await paste(page, '满意度指标\t服务对象满意度指标\t企业满意度\t≥90%\t93%\t4\t\t\n');
  await page.click(testid('paste-ok'));
  await expectValue('确定：从一级指标列起粘贴', async () =>
    [await value(page, 3, 0), await value(page, 3, 1), await value(page, 3, 2), await value(page, 3, 5)].join('|'),
  '满意度指标|服务对象满意度指标|企业满意度|4');

  // 10,000 rows: asked first, then drawn in steps with progress while the page answers.
  const N = 10000;
  let tsv = '';
  for (let i = 0; i < N; i++) tsv += (i % 50 ? '\t\t' : '产出指标\t数量指标\t') + '指标' + i + '\t≥100次\t120次\t0.01\t\t\r\n';
  await page.click(testid('add-indicator'));
  await page.focus(cell(8, 0));
  await paste(page, tsv);
  await expectValue('一万行：先说明将粘贴多少行', async () => (await ask.isVisible()) &&
    (await ask.textContent()).includes('将粘贴 10000 行（新增 9999 行）'), true);
  check('说明之前没有粘贴', (await rowCount(page)) === 9);
  await page.evaluate(() => {
    const w = window.__watch = { statuses: [], ticks: 0, gap: 0, last: performance.now() };
    new MutationObserver(() => w.statuses.push(document.querySelector('[data-testid="status"]').textContent))
      .observe(document.querySelector('[data-testid="status"]'), { childList: true, characterData: true, subtree: true });
    w.timer = setInterval(() => {
      const now = performance.now();
      w.gap = Math.max(w.gap, now - w.last);
      w.last = now;
      w.ticks++;
    }, 20);
  });
  await page.click(testid('paste-ok'));
  await expectValue('一万行全部显示', () => rowCount(page), N + 8, 120000);
  await page.waitForTimeout(100);
  const w = await page.evaluate(() => { clearInterval(window.__watch.timer); return window.__watch; });
  const progress = w.statuses.filter((s) => /^正在显示指标：\d+ \/ 10008 行…$/.test(s));
  check('分批显示，状态栏报告进度（' + progress.length + ' 次）', progress.length >= 10, w.statuses.slice(0, 3).join(' | '));
  check('显示期间页面仍在响应（计时器在各批之间运行了 ' + w.ticks + ' 次；最长停顿 ' + Math.round(w.gap) + ' ms）',
    w.ticks > progress.length);
  check('最后说明粘贴了多少行', w.statuses[w.statuses.length - 1].startsWith('已粘贴 10000 行。'), w.statuses[w.statuses.length - 1]);
  check('第 10000 行的一级指标按上一行填入', (await value(page, N + 7, 0)) === '产出指标' && (await value(page, N + 7, 2)) === '指标9999');
  await page.focus(cell(N + 7, 2));
  await page.keyboard.press('End');
  await page.keyboard.type('改');
  await expectValue('粘贴后在最后一行输入，数据随之改变', () => page.evaluate(() =>
    window.jixiaoApp.doc.unit.projects[1].indicators[10007].name), '指标9999改');
  await page.waitForTimeout(500);
  await page.keyboard.press('Control+z');
  await page.keyboard.press('Control+z');
  await expectValue('撤销两次：粘贴的一万行一步撤回', () => page.evaluate(() => window.jixiaoApp.doc.unit.projects[1].indicators.length), 9, 60000);
  await expectValue('表格也回到 9 行', () => rowCount(page), 9, 60000);
  await context.close();
}

/* The long texts of issue 10 that were cut. */
const SAMPLES = [[0, 2, '专家检查、事故调查、应急演练、执法装备、宣传教育（数量、质量、时效、成本指标）'],
  [0, 3, '2022年12月底'], [0, 5, '45（调整）'], [2, 7, '各行业生产经营单位数量增速较快，现有监管服务能力与高质量发展存在差距。']];

async function screen(browser, width, height) {
  console.log(`3. ${width}×${height}：所有列可见、文字完整、核对栏可收起、状态栏不盖数据`);
  const { context, page } = await gridPage(browser, { width, height });
  for (const [r, c, text] of SAMPLES) await page.fill(cell(r, c), text);
  await page.focus(cell(1, 2));
  const m = await page.evaluate(() => {
    const wrap = document.querySelector('.grid-wrap');
    const view = document.querySelector('[data-testid="view"]');
    const box = wrap.getBoundingClientRect();
    const outside = [];
    document.querySelectorAll('table.grid th, table.grid td').forEach((node) => {
      const b = node.getBoundingClientRect();
      if (b.left < box.left - 0.5 || b.right > box.right + 0.5 || b.width < 20) outside.push(node.className + ' ' + Math.round(b.left) + '–' + Math.round(b.right));
    });
    const clipped = [];
    document.querySelectorAll('table.grid textarea').forEach((a) => {
      if (a.scrollWidth > a.clientWidth || a.scrollHeight > a.clientHeight + 1) clipped.push(a.getAttribute('data-field') + ' ' + a.value);
    });
    // A picker's chosen name against the room it has (a select does not scroll).
    const picker = [];
    document.querySelectorAll('table.grid select').forEach((s) => {
      if (s.offsetParent === null) return; // not shown (a 完成程度 picker of a quantitative row)
      const probe = document.createElement('span');
      probe.style.font = getComputedStyle(s).font;
      probe.style.whiteSpace = 'pre';
      probe.textContent = s.options[s.selectedIndex].text;
      document.body.appendChild(probe);
      const cs = getComputedStyle(s);
      const room = s.clientWidth - parseFloat(cs.paddingLeft) - parseFloat(cs.paddingRight);
      if (probe.getBoundingClientRect().width > room + 0.5) picker.push(probe.textContent);
      probe.remove();
    });
    return { sw: wrap.scrollWidth, cw: wrap.clientWidth, vsw: view.scrollWidth, vcw: view.clientWidth,
      right: box.right, vw: innerWidth, outside, clipped, picker, cells: document.querySelectorAll('table.grid td').length,
      findings: document.querySelector('.right').getBoundingClientRect().width };
  });
  check(`表格没有横向滚动（scrollWidth ${m.sw} ≤ clientWidth ${m.cw}；中栏 ${m.vsw} ≤ ${m.vcw}）`, m.sw <= m.cw && m.vsw <= m.vcw && m.right <= m.vw);
  check(`每一列的表头和格都在表格之内（${m.cells} 格）`, m.cells === 33 && m.outside.length === 0, m.outside.slice(0, 4).join(' | '));
  check('各格文字完整显示（长文字在格内换行，没有被截断）', m.clipped.length === 0, m.clipped.join(' | '));
  check('一级/二级选择框的名称完整（如“服务对象满意度指标”）', m.picker.length === 0, m.picker.join(' | '));
  for (const [r, c, text] of SAMPLES) {
    check(`第${r + 1}行“${text.slice(0, 12)}”原样显示`, (await value(page, r, c)) === text);
  }
  check(`核对栏变窄（${Math.round(m.findings)} px）`, m.findings <= 220);
  // The status line has its own bar under the columns.
  await page.focus(cell(1, 4));
  await page.keyboard.press('Control+Shift+Delete');
  await page.keyboard.press('Control+z');
  const bars = await page.evaluate(() => {
    const s = document.querySelector('[data-testid="status"]').getBoundingClientRect();
    const body = document.querySelector('.body').getBoundingClientRect();
    return { top: s.top, bottom: s.bottom, bodyBottom: body.bottom, h: innerHeight, shown: document.querySelector('.status.shown') !== null };
  });
  check('状态消息显示在底部专用的状态栏，不遮挡数据', bars.shown && bars.top >= bars.bodyBottom - 0.5 && bars.bottom <= bars.h + 0.5,
    JSON.stringify(bars));
  await page.screenshot({ path: `/tmp/grid-${width}.png` });
  const toggle = page.locator(testid('findings-toggle'));
  await toggle.click();
  const folded = await page.evaluate(() => ({ right: document.querySelector('.right').getBoundingClientRect().width,
    wrap: document.querySelector('.grid-wrap').clientWidth, sw: document.querySelector('.grid-wrap').scrollWidth }));
  check(`收起核对栏：只留按钮（${Math.round(folded.right)} px），表格变宽（${m.cw} → ${folded.wrap} px）`,
    folded.right < 40 && folded.wrap > m.cw + 100 && folded.sw <= folded.wrap && (await toggle.getAttribute('aria-expanded')) === 'false');
  await page.screenshot({ path: `/tmp/grid-${width}-folded.png` });
  await toggle.click();
  await expectValue('再点一次展开核对栏', async () => (await page.locator(testid('findings')).isVisible()) + ' ' + (await toggle.getAttribute('aria-expanded')), 'true true');
  await context.close();
}

async function main() {
  requireBuilt();
  const browser = await launch();
  try {
    await keys(browser);
    await pastes(browser);
    await screen(browser, 1366, 768);
    await screen(browser, 1280, 720);
  } finally {
    await browser.close();
  }
  finish('grid');
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
