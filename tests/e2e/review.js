#!/usr/bin/env node
/* Issue 13 items 1–2 through the page, from file:// in Chromium: the finance bureau's
 * 汇总. Four files picked at once — the seed workbook, a second unit's JSON file, a
 * damaged file, the seed again — give one row per unit, the region's totals from sums,
 * the duplicate listed, the damaged file a row with its message; sorting and filtering;
 * a unit looked at read-only and opened for editing; the 汇总表 exported and read back;
 * the printed view holds the review only; a long review can be cancelled.
 *
 * Usage: node tests/e2e/review.js /abs/path/dist/jixiao.html */
'use strict';
const fs = require('fs');
const os = require('os');
const path = require('path');
const { execFileSync } = require('child_process');
const {
  SEED, TIMEOUT, check, expectValue, testid, newPage, open, download, launch, requireBuilt, finish
} = require('./lib');

const rowsText = (page) => page.$$eval(testid('review-units') + ' tbody tr',
  (trs) => trs.map((tr) => Array.prototype.map.call(tr.cells, (td) => td.textContent).join('|')));
const column = (page, key) => page.$$eval(testid('review-units') + ' tbody tr', (trs, key) => {
  const heads = Array.prototype.map.call(document.querySelectorAll('[data-testid="review-units"] thead th'),
    (th) => th.getAttribute('data-col'));
  return trs.map((tr) => tr.cells.length > heads.indexOf(key) ? tr.cells[heads.indexOf(key)].textContent : '');
}, key);

async function main() {
  requireBuilt();
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'jixiao-review-'));
  const seed = JSON.parse(fs.readFileSync(path.resolve(__dirname, '../../target/seed.json'), 'utf8'));
  const other = Object.assign({}, seed, {
    name: '兰州新区交通运输局', documentId: '',
    funds: { total: { initial: '1000', budget: '1000', executed: '850.5', typedRate: '' } }
  });
  const files = {
    first: path.join(dir, '1-应急管理局.xlsx'),
    other: path.join(dir, '2-交通运输局.json'),
    damaged: path.join(dir, '3-损坏.xlsx'),
    again: path.join(dir, '4-应急管理局-再次报送.xlsx')
  };
  fs.copyFileSync(SEED, files.first);
  fs.writeFileSync(files.other, JSON.stringify(other));
  fs.writeFileSync(files.damaged, 'PK\u0003\u0004 这不是完整的工作簿');
  fs.copyFileSync(SEED, files.again);

  const browser = await launch();
  const { page } = await newPage(browser);
  await open(page);

  console.log('1. 一次选择多个文件：每个单位一行，合计，重复和无法读取的文件');
  await page.setInputFiles(testid('import-file'), Object.values(files));
  await page.waitForSelector(testid('review-units'), { timeout: TIMEOUT });
  await expectValue('汇总标题', () => page.textContent(testid('review-head')),
    '汇总 2 个单位（文件 4 个，无法读取 1 个，重复 1 个）');
  const rows = await rowsText(page);
  check('三行：交通运输局、应急管理局（再次报送的文件）、损坏的文件在最后', rows.length === 3 &&
    rows[0].indexOf('兰州新区交通运输局') >= 0 && rows[1].indexOf('4-应急管理局-再次报送.xlsx') >= 0 &&
    rows[2].indexOf('3-损坏.xlsx') >= 0, rows.join('\n'));
  check('应急管理局一行：7750.69、7719.74、99.60%、项目 9 个、优7 良1 中1 差0、错误 8（不一致 8）',
    rows[1].indexOf('|7750.69|7719.74|99.60%|9|9|100.00%|7|1|1|0|') >= 0 && /\|8\|8\|15\|$/.test(rows[1]), rows[1]);
  check('损坏的文件一行写明原因', /无法读取：.*3-损坏\.xlsx/.test(rows[2]), rows[2]);
  const total = await page.$eval(testid('review-total'), (tr) => Array.prototype.map.call(tr.cells, (td) => td.textContent).join('|'));
  check('合计按总数计算：8750.69、8570.24、97.94%（不是两单位执行率的平均）',
    total.indexOf('|8750.69|8570.24|97.94%|18|18|100.00%|') >= 0, total);
  await expectValue('重复文件列出', () => page.textContent(testid('review-duplicates') + ' li'),
    '1-应急管理局.xlsx 与 4-应急管理局-再次报送.xlsx 同为 兰州新区应急管理局 · 2022年度，采用 4-应急管理局-再次报送.xlsx（文件顺序靠后）');

  console.log('2. 排序和筛选');
  await page.click('th[data-col="rate"]');
  check('按执行率升序：交通运输局（85.05%）在前', (await column(page, 'rate')).slice(0, 2).join(' ') === '85.05% 99.60%');
  await page.click('th[data-col="rate"]');
  check('再点一次降序：应急管理局（99.60%）在前，无法读取的仍在最后',
    (await column(page, 'rate')).join(' ').indexOf('99.60% 85.05%') === 0 && (await rowsText(page))[2].indexOf('3-损坏') >= 0);
  await page.click('th[data-col="name"]');
  check('按单位名称排序（拼音）：交通运输局在应急管理局之前',
    (await column(page, 'name')).slice(0, 2).join(' ') === '兰州新区交通运输局 兰州新区应急管理局');
  await page.selectOption(testid('review-filter'), 'unreadable');
  check('筛选“无法读取的文件”：一行', (await rowsText(page)).length === 1);
  await page.selectOption(testid('review-filter'), 'mismatches');
  const mismatched = await column(page, 'name');
  check('筛选“有填报数不一致的单位”：两个单位都有', mismatched.length === 2, mismatched.join(' '));
  await page.selectOption(testid('review-filter'), 'all');
  await page.fill(testid('review-search'), '交通');
  check('查找“交通”：一行', (await column(page, 'name')).join(' ') === '兰州新区交通运输局');
  await page.fill(testid('review-search'), '');

  console.log('3. 只读查看一个单位，再打开编辑');
  await page.click(testid('review-units') + ' tbody tr[data-file="4-应急管理局-再次报送.xlsx"]');
  const detail = await page.textContent(testid('review-detail'));
  check('只读查看：9 个项目、总分和核对结果', detail.indexOf('兰州新区应急管理局 · 2022年度（只读') === 0 &&
    (await page.$$(testid('review-detail') + ' .review-projects tbody tr')).length === 9 &&
    detail.indexOf('档案整理专项16') >= 0 && detail.indexOf('93.93优') >= 0 &&
    detail.indexOf('执行率填报为99.36%，按规则计算应为99.60%') >= 0, detail.slice(0, 300));
  await page.click(testid('review-edit'));
  await expectValue('打开编辑：页面标题是该单位', () => page.textContent(testid('unit-title')), '兰州新区应急管理局 · 2022年度');
  check('回到单位视图，工具栏“返回汇总”', await page.isVisible(testid('view')) &&
    (await page.textContent(testid('review-open'))) === '返回汇总');
  await page.click(testid('review-open'));
  check('返回汇总：汇总仍在', (await rowsText(page)).length === 3);

  console.log('4. 导出汇总表、打印汇总');
  const [exported] = await Promise.all([page.waitForEvent('download'), page.click(testid('review-export'))]);
  const xlsx = path.join(dir, exported.suggestedFilename());
  await exported.saveAs(xlsx);
  check('文件名“绩效自评汇总表.xlsx”', exported.suggestedFilename() === '绩效自评汇总表.xlsx', exported.suggestedFilename());
  const read = execFileSync('python3', ['-c', [
    'import sys, openpyxl',
    'b = openpyxl.load_workbook(sys.argv[1])',
    's = b["单位汇总"]',
    'print(b.sheetnames)',
    'print([c.value for c in s[4]][:7])',
    'print(s.max_row, b["项目明细"].max_row)'
  ].join('\n'), xlsx], { encoding: 'utf8' }).trim().split('\n');
  check('汇总表：单位汇总、项目明细、核对结果、重复文件', read[0] === "['单位汇总', '项目明细', '核对结果', '重复文件']", read[0]);
  check('单位汇总第4行：再次报送的文件、7750.69、7719.74、0.996', read[1] ===
    "['4-应急管理局-再次报送.xlsx', '兰州新区应急管理局', 2022, None, 7750.69, 7719.74, 0.9960068071358809]", read[1]);
  check('单位汇总 3 行加表头和合计；项目明细 18 个项目', read[2] === '5 19', read[2]);
  await page.emulateMedia({ media: 'print' });
  const printed = await page.evaluate(() => ({
    review: getComputedStyle(document.querySelector('[data-testid="review"]')).display,
    body: getComputedStyle(document.querySelector('.body')).display,
    buttons: getComputedStyle(document.querySelector('[data-testid="review-export"]')).display
  }));
  check('打印时只有汇总（没有单位视图和按钮）', printed.review === 'block' && printed.body === 'none' &&
    printed.buttons === 'none', JSON.stringify(printed));
  await page.emulateMedia({ media: 'screen' });
  const pdf = path.join(dir, 'review.pdf');
  // As the browser does around printing (page.pdf fires neither event).
  await page.evaluate(() => window.dispatchEvent(new Event('beforeprint')));
  await page.pdf({ path: pdf, preferCSSPageSize: true });
  await page.evaluate(() => window.dispatchEvent(new Event('afterprint')));
  const pdfText = execFileSync('python3', ['-c', [
    'import sys, pymupdf',
    'd = pymupdf.open(sys.argv[1])',
    'p = d[0]',
    'print(len(d), p.rect.width > p.rect.height, "2 个单位" in p.get_text(), "97.94%" in p.get_text())'
  ].join('\n'), pdf], { encoding: 'utf8' }).trim();
  check('打印的汇总：横向一页，有合计 97.94%', pdfText === '1 True True True', pdfText);

  console.log('5. 拖放多个文件（另存的网页和 JSON）、取消一批很多的文件');
  await page.click(testid('review-close'));
  const saved = await download(page, 'save-html', dir);
  const dropped = await page.evaluate(([files]) => {
    const dt = new DataTransfer();
    files.forEach((f) => dt.items.add(new File([f.text], f.name)));
    document.dispatchEvent(new DragEvent('drop', { dataTransfer: dt, bubbles: true, cancelable: true }));
    return dt.files.length;
  }, [[{ name: saved.name, text: saved.text }, { name: '2-交通运输局.json', text: fs.readFileSync(files.other, 'utf8') }]]);
  await expectValue('拖放 ' + dropped + ' 个文件：另存的网页也是一个单位', () => page.textContent(testid('review-head')),
    '汇总 2 个单位（文件 2 个）');
  check('另存的网页读出应急管理局 99.60%', (await rowsText(page)).some((r) =>
    r.indexOf(saved.name + '|兰州新区应急管理局|2022|') === 0 && r.indexOf('|99.60%|') > 0), (await rowsText(page)).join('\n'));
  await page.click(testid('review-close'));
  const many = [];
  for (let i = 0; i < 80; i++) {
    const f = path.join(dir, `批量-${String(i).padStart(2, '0')}.json`);
    fs.writeFileSync(f, JSON.stringify(Object.assign({}, other, { name: '单位' + i })));
    many.push(f);
  }
  await page.setInputFiles(testid('import-file'), many);
  await page.click(testid('review-cancel'), { timeout: TIMEOUT });
  await page.waitForSelector(testid('review-units'), { timeout: TIMEOUT });
  const status = await page.textContent(testid('status'));
  const m = /已取消：读取了 (\d+) \/ 80 个文件/.exec(status);
  check('取消：读到一半就停下，已读的照样汇总', !!m && Number(m[1]) < 80 &&
    (await rowsText(page)).length === Number(m[1]), status);

  await browser.close();
  finish('review');
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
