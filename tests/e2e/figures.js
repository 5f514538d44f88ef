#!/usr/bin/env node
/* Issue 10 through the page, as a user meets it from file:// in Chromium: what is typed
 * is kept and never counted when it cannot be read; every figure on screen, in the
 * preview and in the export agrees with 核对; missing levels are flagged.
 *
 * Usage: node tests/e2e/figures.js /abs/path/dist/jixiao.html */
'use strict';
const fs = require('fs');
const os = require('os');
const path = require('path');
const {
  TIMEOUT, check, expectValue, expectText, testid, projectRow, cell, field, newPage, open, importFile, selectProject,
  launch, requireBuilt, finish
} = require('./lib');

/** A unit of two projects from the seed: project 1 with 10 分 of its 产出 weights gone
 *  (Σ分值 90), project 2 with one 产出 row not applicable. */
function unitFile(dir) {
  const seed = JSON.parse(fs.readFileSync(path.resolve(__dirname, '../../target/seed.json'), 'utf8'));
  const one = JSON.parse(JSON.stringify(seed.projects[0]));
  const two = JSON.parse(JSON.stringify(seed.projects[0]));
  one.name = '权重不足的项目';
  one.indicators[0].weight = String(Number(one.indicators[0].weight) - 10);
  two.name = '含不适用指标的项目';
  two.indicators[0].notApplicable = true;
  const unit = Object.assign({}, seed, { name: '核对测试单位', documentId: '', projects: [one, two] });
  const file = path.join(dir, '核对测试单位.json');
  fs.writeFileSync(file, JSON.stringify(unit));
  return { file, unit };
}

function findingsText(page) {
  return page.textContent(testid('findings'));
}

async function keptAsTyped(page, unit) {
  console.log('1. 读不懂的数字：原样保留（重新加载后也在），不计入，核对中列出');
  await selectProject(page, 1, 'indicators');
  const weight = page.locator(field('indicators.2.weight'));
  await weight.fill('2022年11月');
  await expectValue('分值填“2022年11月”：项目1 没有总分（不取 2022，也不取旧值）',
    () => page.locator(`${projectRow(1)} ${testid('project-total')}`).textContent(), '—');
  check('格子标为未计入', ((await weight.getAttribute('class')) || '').includes('not-counted'));
  check('核对中列出这一格', (await findingsText(page)).includes('第3行：分值“2022年11月”不是数字，未计入'));
  await page.waitForTimeout(900); // autosaved
  await page.reload();
  await page.waitForSelector('html[data-ready="true"][data-recovery="checked"]', { state: 'attached', timeout: TIMEOUT });
  await page.click(testid('recover'));
  await selectProject(page, 1, 'indicators');
  check('重新加载并恢复后，格子中仍是“2022年11月”', (await page.locator(field('indicators.2.weight')).inputValue()) === '2022年11月');
  check('重新加载后仍不计入，核对中仍列出', (await findingsText(page)).includes('分值“2022年11月”不是数字，未计入'));
  await page.locator(field('indicators.2.weight')).fill(unit.projects[0].indicators[2].weight);
  await expectValue('改回原来的分值后格子不再标为未计入', async () =>
    ((await page.locator(field('indicators.2.weight')).getAttribute('class')) || '').includes('not-counted'), false);
}

async function oneTruth(page, unit) {
  console.log('2. 总分行的分值是真实合计；不适用折算写明算法；预览提示还有错误');
  await selectProject(page, 1, 'indicators');
  const weights = unit.projects[0].indicators.reduce((s, i) => s + Number(i.weight || 0), 10);
  await selectProject(page, 2, 'indicators');
  const total = page.locator(`${projectRow(2)} ${testid('project-total')}`);
  const how = (await total.getAttribute('title')) || '';
  check('项目2 总分悬停说明按适用分值折算', /^含不适用指标，总分按适用分值折算为百分制：得分合计[\d.]+ ÷ 适用分值\d+ × 100 = [\d.]+$/.test(how), how);
  check('折算说明的结果就是显示的总分', how.endsWith('= ' + (await total.textContent())), how);
  await page.click(testid('preview-toggle'));
  await page.waitForSelector(testid('preview-form'));
  const rowOf = (form) => page.locator(testid('preview-form')).nth(form).locator('tr', { hasText: '总分' }).last()
    .locator('td').allTextContents();
  const first = await rowOf(0);
  check('附表1-1 总分行的分值为 ' + weights + '（不是 100）', first.includes(String(weights)), JSON.stringify(first));
  const second = await rowOf(1);
  check('附表1-2 总分行写明折算：' + how.slice(0, 20) + '…', second.some((t) => t.trim() === how), JSON.stringify(second));
  const errors = await page.textContent(testid('preview-errors'));
  const count = await page.evaluate(() => window.jixiaoApp.findings.errors().length);
  check('预览写明核对中还有 ' + count + ' 项错误', count > 0 && errors.includes('核对中还有 ' + count + ' 项错误'), errors);
  const narrative = await page.locator(testid('preview-page')).allTextContents();
  check('正文中项目2 的自评结果写明折算', narrative.join('').includes('；' + how + '）。'));
  await page.click(testid('preview-first-error'));
  check('“查看第一项”回到编辑并聚焦该项的格子', await page.isVisible('.body') &&
    await page.evaluate(() => !!document.activeElement && document.activeElement.hasAttribute('data-field')));
}

async function exportSays(page) {
  console.log('3. 有错误时导出：照常导出，并说一次还有错误');
  const [file] = await Promise.all([page.waitForEvent('download'), page.click(testid('export-xlsx'))]);
  const status = await page.textContent(testid('status'));
  check('导出Excel 下载了文件', !!file.suggestedFilename().endsWith('.xlsx'));
  check('状态栏说明已导出，且核对中还有错误', status.includes('已导出') && /核对中还有 \d+ 项错误/.test(status), status);
}

async function missingLevels(page) {
  console.log('4. 一级、二级指标未填写：在核对中指明位置，项目不给总分');
  await selectProject(page, 1, 'indicators');
  await page.locator(field('indicators.1.level2')).selectOption('').catch(() => page.locator(field('indicators.1.level2')).fill(''));
  await expectValue('二级指标清空后核对中列出', async () => (await findingsText(page)).includes('第2行：二级指标未填写'), true);
}

async function ownWords(page) {
  console.log('5. 定性指标用自己的话填写：文字保留，完成程度在本行另选');
  await selectProject(page, 1, 'indicators');
  const rows = await page.evaluate(() => window.jixiaoApp.state.summary.projects[0].indicators
    .map((s, i) => s.method === 'qualitative' ? i : -1).filter((i) => i >= 0));
  const r = rows[0];
  const actual = page.locator(field('indicators.' + r + '.actual'));
  await actual.fill('有所提升');
  await expectValue('核对请在本行选择完成程度，不要求改写文字', async () =>
    (await findingsText(page)).includes('实际完成值“有所提升”是完成情况的描述，请在本行选择完成程度（达成、部分达成、未达成），文字保留'), true);
  check('本行显示“完成程度”选择框', await page.isVisible(field('indicators.' + r + '.band')));
  await page.selectOption(field('indicators.' + r + '.band'), '部分达成');
  await expectValue('选“部分达成”后本行按部分达成计分，文字仍为“有所提升”', async () =>
    (await page.evaluate((i) => window.jixiaoApp.state.summary.projects[0].indicators[i].band, r)) + ' ' + (await actual.inputValue()),
    '部分达成年度指标并具有一定效果 有所提升');
}

async function yearAsTyped(page) {
  console.log('6. 年度也由计算核心读取：原样保留，读不懂时在核对中列出');
  await page.click(`${testid('project-list')} .unit-row`).catch(() => page.click(testid('unit-row')));
  const year = page.locator(field('year'));
  await year.fill('２０２２年度');
  await expectValue('年度填“２０２２年度”：标题显示 2022年度，输入框保留原文', async () =>
    (await page.textContent(testid('unit-title'))).includes('2022年度') + ' ' + (await year.inputValue()), 'true ２０２２年度');
  await year.fill('二〇二二');
  await expectValue('年度填“二〇二二”：核对中列出，标为未计入', async () =>
    (await findingsText(page)).includes('单位整体：年度“二〇二二”不是四位年份（如 2022），未计入') &&
    ((await year.getAttribute('class')) || '').includes('not-counted'), true);
  await year.fill('2022');
}

async function exportRoundTrip(page, dir) {
  console.log('7. 导出的自评表.xlsx 再打开：文字都回来，计算出的数字不当作手填');
  await page.click(`${testid('project-list')} .unit-row`);
  await page.fill(field('addressee'), '兰州新区财政局');
  await selectProject(page, 2, 'text');
  await page.fill(field('deviation'), '不适用指标已在备注中说明。');
  await page.waitForTimeout(500);
  const before = await page.evaluate(() => JSON.parse(JSON.stringify(window.jixiaoApp.doc.unit)));
  const [file] = await Promise.all([page.waitForEvent('download'), page.click(testid('export-xlsx'))]);
  const xlsx = path.join(dir, file.suggestedFilename());
  await file.saveAs(xlsx);
  await importFile(page, xlsx);
  await expectValue('再打开导出的文件：主送单位回来了', () => page.evaluate(() => window.jixiaoApp.doc.unit.addressee), '兰州新区财政局');
  const after = await page.evaluate(() => window.jixiaoApp.doc.unit);
  check('项目2 的偏离原因回来了', after.projects[1].deviation === before.projects[1].deviation, after.projects[1].deviation);
  check('各项目名称与三级指标相同', JSON.stringify(after.projects.map((p) => [p.name, p.indicators.map((i) => i.name)])) ===
    JSON.stringify(before.projects.map((p) => [p.name, p.indicators.map((i) => i.name)])));
  const mismatches = await page.evaluate(() => window.jixiaoApp.state.summary.findings.filter((f) => f.code === 'typed_mismatch').length);
  check('计算出的数字（执行率、得分、总分）不当作手填：没有“填报为…应为…”', mismatches === 0, mismatches + ' 项');
}

/** Issue 11 item 5: the unit form's own indicator block (部门（单位）整体支出绩效自评表),
 *  edited in the unit's view with the project's grid. The test unit has the seed's funds
 *  (7750.69 / 7719.74 万元: 执行率 99.60%, 预算执行 9.96 of 10): 产出 50 of 50 → 59.96 差;
 *  with 效益 30 and 满意度 10 pasted → 99.96 优. */
async function unitIndicators(page) {
  console.log('8. 部门整体表的绩效指标：在单位页像项目的指标一样填写、计分、核对，附表2 和正文中一致，可撤销');
  await selectProject(page, 1, 'indicators');
  await page.click(testid('unit-row'));
  const block = page.locator(testid('unit-indicators'));
  const rows = () => block.locator(testid('indicator-row')).count();
  const rollup = async () => (await page.locator(testid('unit-total')).count())
    ? (await page.textContent(testid('unit-total'))) + ' ' + (await page.textContent(testid('unit-grade'))) : '无';
  const onScreen = async () => [await rollup(), await block.locator(testid('grid-total')).textContent(),
    await block.locator(testid('grid-grade')).textContent(), await page.textContent(testid('unit-headline')),
    (await page.textContent(testid('unit-row-total'))) + ' ' + (await page.textContent(testid('unit-row-grade')))].join(' | ');
  check('单位页有部门整体绩效指标表：没有指标时为空表，有“+ 添加一行”，不计总分',
    (await rows()) === 0 && await block.locator(testid('add-indicator')).isVisible() &&
    (await rollup()) === '无' && !(await block.locator(testid('level-totals')).isVisible()) &&
    (await page.textContent(testid('unit-headline'))).includes('不计总分'));
  await block.locator(testid('add-indicator')).click();
  await expectValue('添加一行', rows, 1);
  check('光标在新行的第一格', await page.evaluate(() => document.activeElement.getAttribute('data-field')) === 'indicators.0.level1');
  await page.selectOption(cell(0, 0), '产出指标');
  await page.selectOption(cell(0, 1), '数量指标');
  await page.focus(cell(0, 2));
  for (const text of ['培训人次', '≥100人次', '120人次', '50']) {
    await page.keyboard.type(text);
    await page.keyboard.press('Tab');
  }
  await expectText(page, '本行计算得分', `#ind-0 ${testid('indicator-score')}`, '50.00');
  await expectValue('单位的总分与等级：左栏、表下、标题、列表中都是 59.96 差', onScreen,
    '59.96 差 | 59.96 | 差 | 执行率 99.60% · 总分 59.96 · 等级 差 | 59.96 差');
  const levels = (await block.locator(`${testid('level-totals')} .level`).allTextContents()).map((t) => t.replace(/\s+/g, ' ').trim());
  check('表下列出预算执行率 9.96 与产出指标 50.00 / 50', levels.slice(0, 2).join('|') === '预算执行率 9.96|产出指标 50.00 / 50',
    JSON.stringify(levels));
  const weight = page.locator(field('indicators.0.weight'));
  await page.waitForTimeout(500);
  await weight.fill('五十');
  await expectValue('分值填“五十”：保留原文，标为未计入，单位没有总分', async () => (await weight.inputValue()) + ' ' +
    ((await weight.getAttribute('class')) || '').includes('not-counted') + ' ' + (await rollup()), '五十 true — —');
  check('核对中列出单位这一格', (await findingsText(page)).includes('分值“五十”不是数字，未计入'));
  await page.waitForTimeout(500);
  await weight.fill('50');
  await expectValue('改回 50', rollup, '59.96 差');

  await block.locator(testid('add-indicator')).click();
  await page.focus(cell(1, 0));
  await page.evaluate((text) => {
    const data = new DataTransfer();
    data.setData('text/plain', text);
    document.activeElement.dispatchEvent(new ClipboardEvent('paste', { clipboardData: data, bubbles: true, cancelable: true }));
  }, '效益指标\t社会效益指标\t安全生产事故起数\t≤2起\t1起\t30\t\t\t\r\n满意度指标\t服务对象满意度指标\t群众满意度\t≥90%\t95%\t10\t\t\t\r\n');
  await expectValue('从 Excel 粘贴两行：共 3 行', rows, 3);
  await expectValue('单位的总分与等级随之变为 99.96 优', onScreen, '99.96 优 | 99.96 | 优 | 执行率 99.60% · 总分 99.96 · 等级 优 | 99.96 优');
  await page.focus(cell(2, 2));
  await page.keyboard.press('Enter');
  await expectValue('最后一行按 Enter：添加一行，光标在新行', async () => (await rows()) + ' ' +
    (await page.evaluate(() => document.activeElement.getAttribute('data-field'))), '4 indicators.3.name');
  await page.keyboard.press('Control+Shift+Delete');
  await expectValue('Ctrl+Shift+Delete：删除这一行，总分不变', async () => (await rows()) + ' ' + (await rollup()), '3 99.96 优');
  const fit = await page.evaluate(() => {
    const block = document.querySelector('[data-testid="unit-indicators"]');
    const wrap = block.querySelector('.grid-wrap');
    const cut = [];
    block.querySelectorAll('table.grid select').forEach((s) => {
      if (s.offsetParent === null) return;
      const probe = document.createElement('span');
      probe.style.font = getComputedStyle(s).font;
      probe.style.whiteSpace = 'pre';
      probe.textContent = s.options[s.selectedIndex].text;
      document.body.appendChild(probe);
      const cs = getComputedStyle(s);
      if (probe.getBoundingClientRect().width > s.clientWidth - parseFloat(cs.paddingLeft) - parseFloat(cs.paddingRight) + 0.5) cut.push(probe.textContent);
      probe.remove();
    });
    return { sw: wrap.scrollWidth, cw: wrap.clientWidth, cut };
  });
  check(`1366×768：单位的指标表没有横向滚动（${fit.sw} ≤ ${fit.cw}），一级/二级名称完整显示`, fit.sw <= fit.cw && fit.cut.length === 0,
    fit.cut.join(' | '));
  check('分值合计 100：核对中没有单位的分值合计错误', !(await page.evaluate(() => window.jixiaoApp.state.summary.findings
    .some((f) => f.projectIndex == null && f.code === 'weights_total'))));

  // Typed figures of the unit form are audited; each finding jumps to its cell.
  await page.fill(field('typed.total'), '95');
  await page.fill(field('indicators.0.typedScore'), '40');
  const mismatch = (text) => page.locator(`${testid('findings')} button[data-code="typed_mismatch"]`).filter({ hasText: text });
  await expectValue('表上填报的总分 95 与计算的 99.96 不符：列为错误', () => mismatch('应为99.96').count(), 1);
  await expectValue('单位第1行填报的得分 40 与计算的 50.00 不符：列为错误', () => mismatch('“培训人次”得分').count(), 1);
  await selectProject(page, 2, 'basic');
  await mismatch('“培训人次”得分').click();
  await expectValue('点击核对结果：回到单位页，聚焦单位指标第1行的得分格', () => page.evaluate(() =>
    window.jixiaoApp.state.selected + ' ' + document.activeElement.getAttribute('data-field') + ' ' +
    !!document.activeElement.closest('[data-testid="unit-indicators"]')), '-1 indicators.0.typedScore true');
  check('该格标为错误', ((await page.getAttribute(field('indicators.0.typedScore'), 'class')) || '').includes('has-error'));
  await page.screenshot({ path: '/tmp/unit-indicators-1366.png' });

  await page.click(testid('preview-toggle'));
  await page.waitForSelector(testid('preview-form'));
  const form = page.locator(`${testid('preview-form')}[data-caption*="附表2"]`).last();
  const total = (await form.locator('tr', { hasText: '总分' }).last().locator('td').allTextContents()).map((t) => t.trim());
  const formText = await form.textContent();
  check('附表2 列出单位的三行指标', ['培训人次', '安全生产事故起数', '群众满意度'].every((t) => formText.includes(t)));
  check('附表2 的总分为 99.96', total.includes('99.96'), JSON.stringify(total));
  const grade = (await form.locator('tr', { hasText: '自评等级' }).last().locator('td').allTextContents()).map((t) => t.trim());
  check('附表2 的自评等级为“优”', grade.includes('优'), JSON.stringify(grade));
  const narrative = (await page.locator(testid('preview-page')).allTextContents()).join('');
  check('正文写明部门整体自评得分 99.96、等级优', narrative.includes('部门整体支出绩效自评得分为99.96分，等级为优。'));
  await page.screenshot({ path: '/tmp/unit-indicators-preview-1366.png' });
  await page.click(testid('preview-toggle'));

  for (let i = 0; i < 30 && (await rows()) > 0; i++) {
    await page.click(testid('undo'));
    await page.waitForTimeout(50);
  }
  await expectValue('逐步撤销：单位的指标表回到空表，不再有总分', async () => (await rows()) + ' ' + (await rollup()) + ' ' +
    (await page.textContent(testid('unit-headline'))).includes('不计总分') + ' “' + (await page.textContent(testid('unit-row-total'))) + '”',
  '0 无 true “”');
  await page.click(testid('redo'));
  await expectValue('重做一步：添加的一行回来', rows, 1);
}

async function main() {
  requireBuilt();
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'jixiao-figures-'));
  const browser = await launch();
  try {
    const { page } = await newPage(browser);
    await open(page);
    const { file, unit } = unitFile(dir);
    await importFile(page, file);
    await expectValue('导入两个项目', () => page.locator(testid('project-row')).count(), 2);
    await keptAsTyped(page, unit);
    await oneTruth(page, unit);
    await exportSays(page);
    await missingLevels(page);
    await ownWords(page);
    await yearAsTyped(page);
    await exportRoundTrip(page, dir);
    await unitIndicators(page);
  } catch (err) {
    check('测试未中途出错', false, err.stack || String(err));
  } finally {
    await browser.close();
    fs.rmSync(dir, { recursive: true, force: true });
  }
  console.log('9. 没有网络请求，没有脚本错误');
  finish('figures');
}

main();
