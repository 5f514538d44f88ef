#!/usr/bin/env node
/* Issue 12 items 2–4 through the printed report: every page numbered “— n —” (odd
 * pages right, even left, one character in), the forms cut between rows into landscape
 * pages that repeat their header and labels, no figure broken across lines, no label
 * with one character alone on its last line, no page of only 总分/自评等级, and no last
 * narrative page of only the 附表 line and the signature. The PDF is read by PyMuPDF
 * (tests/e2e/pdf_pages.py).
 *
 * Usage: node tests/e2e/print.js /abs/path/dist/jixiao.html */
'use strict';
const fs = require('fs');
const os = require('os');
const path = require('path');
const { execFileSync } = require('child_process');
const {
  TIMEOUT, check, skip, testid, newPage, open, importFile, launch, requireBuilt, finish
} = require('./lib');

const MM = 72 / 25.4; // points
/** Where GB/T 9704 puts the number (pt): the top of the line 7 mm under the text block,
 *  one character (14 pt) in from the text block's right (odd) or left (even) edge. */
const PORTRAIT = { top: (37 + 225 + 7) * MM, left: 28 * MM + 14, right: 595.28 - 26 * MM - 14 };
const LANDSCAPE = { top: (12 + 180 + 7) * MM, left: 15 * MM + 14, right: 841.89 - 15 * MM - 14 };

function pdfPages(file) {
  try {
    return JSON.parse(execFileSync('python3', [path.join(__dirname, 'pdf_pages.py'), file], { encoding: 'utf8' }));
  } catch (err) {
    return null;
  }
}

async function openPreview(page) {
  await page.click(testid('preview-toggle'));
  await page.waitForSelector(testid('form-page'), { timeout: TIMEOUT });
}

/** What the laid-out report shows, measured under print emulation: per form page box its
 *  size, whether its content fits, its rows (first cell's text, labels only or not) and
 *  per cell the lines its text takes. */
async function layoutFacts(page) {
  await page.emulateMedia({ media: 'print' });
  const facts = await page.evaluate(() => {
    const range = document.createRange();
    /** The text of each line a cell's text takes. */
    const lines = (cell) => {
      const out = [];
      let top = -Infinity;
      const walk = document.createTreeWalker(cell, NodeFilter.SHOW_TEXT);
      for (let node = walk.nextNode(); node; node = walk.nextNode()) {
        for (let i = 0; i < node.nodeValue.length; i++) {
          if (/\s/.test(node.nodeValue[i])) continue;
          range.setStart(node, i);
          range.setEnd(node, i + 1);
          const rect = range.getClientRects()[0];
          if (!rect) continue;
          if (rect.top > top + 1) {
            out.push('');
            top = rect.top;
          }
          out[out.length - 1] += node.nodeValue[i];
        }
      }
      return out;
    };
    const narrative = Array.prototype.map.call(document.querySelectorAll('[data-testid="preview-page"]'), (box) => {
      const line = box.querySelector('.doc-body').getBoundingClientRect().height / 22;
      let body = 0;
      box.querySelectorAll('.doc-block').forEach((b) => {
        if (!b.classList.contains('closing') && !/doc-(title|salutation|heading)/.test(b.className)) {
          body += Math.round(b.getBoundingClientRect().height / line);
        }
      });
      return { body, closing: box.querySelectorAll('.closing').length };
    });
    const forms = Array.prototype.map.call(document.querySelectorAll('[data-testid="form-page"]'), (box) => {
      const outer = box.getBoundingClientRect();
      const number = box.querySelector('.page-number').getBoundingClientRect();
      const rows = Array.prototype.map.call(box.querySelectorAll('tr'), (tr) => ({
        head: !!tr.closest('thead') || !tr.querySelector('td'),
        cells: Array.prototype.map.call(tr.cells, (c) => ({
          text: c.textContent, label: c.tagName === 'TH', joins: c.classList.contains('joins-above'),
          lines: lines(c), overflow: c.scrollWidth > c.clientWidth + 1
        }))
      }));
      return {
        page: Number(box.getAttribute('data-page')), caption: box.closest('[data-testid="preview-form"]').getAttribute('data-caption'),
        first: !!box.querySelector('.form-caption'), width: outer.width, height: outer.height,
        fits: box.querySelector('.form-flow').getBoundingClientRect().height <= box.querySelector('.form-body').getBoundingClientRect().height + 1,
        numberInside: number.top >= outer.top && number.bottom <= outer.bottom && number.left >= outer.left && number.right <= outer.right,
        overfull: box.classList.contains('overfull'), rows
      };
    });
    return { narrative, forms };
  });
  await page.emulateMedia({ media: null });
  return facts;
}

const FIGURE = /^[-+≥≤＞＜>< ]*[0-9][0-9,.]*\s*[%％]?$/;
const CLOSING = /^(总分|自评等级|合计|评价结论)$/;

/** The checks every report's forms pass, on `facts` from layoutFacts. */
function formChecks(label, facts) {
  const forms = facts.forms;
  const near = (a, b) => Math.abs(a - b) <= 1.5;
  check(label + '每个附表页框为一页横向 A4（约 1123×794 px），页码在页框内',
    forms.every((f) => near(f.width, 1122.5) && near(f.height, 793.7) && f.numberInside && !f.overfull),
    JSON.stringify(forms.filter((f) => !(near(f.width, 1122.5) && near(f.height, 793.7) && f.numberInside)).map((f) => [f.page, f.width, f.height])));
  check(label + '没有一页附表的内容超出版心', forms.every((f) => f.fits), forms.filter((f) => !f.fits).map((f) => f.page).join(' '));
  const continued = forms.filter((f) => !f.first);
  check(label + '附表的续页以表头行（只有标签的行）开始',
    continued.length > 0 && continued.every((f) => f.rows[0].cells.every((c) => c.label)),
    continued.map((f) => f.page + ':' + f.rows[0].cells.map((c) => c.text).join('|')).join('  '));
  // The first row under the repeated indicator header: its 一级指标 and 二级指标 show.
  const indicators = continued.filter((f) => f.rows[0].cells.some((c) => c.text === '一级指标'));
  const unnamed = indicators.filter((f) => {
    const row = f.rows[1];
    return !row || row.cells.length < 3 || !row.cells[1].text.trim() || !row.cells[2].text.trim();
  });
  check(label + '指标续页（' + indicators.length + ' 页）的第一行显示一级指标和二级指标', indicators.length > 0 && unnamed.length === 0,
    unnamed.map((f) => f.page).join(' '));
  const alone = continued.filter((f) => {
    const body = f.rows.filter((r) => !r.head);
    return body.length > 0 && CLOSING.test(body[0].cells[0].text.trim());
  });
  check(label + '没有一页以总分或自评等级行开始', alone.length === 0, alone.map((f) => f.page).join(' '));
  const cells = [];
  forms.forEach((f) => f.rows.forEach((r) => r.cells.forEach((c) => cells.push(Object.assign({ page: f.page }, c)))));
  const figures = cells.filter((c) => FIGURE.test(c.text.trim()));
  const split = figures.filter((c) => c.lines.length !== 1 || c.overflow);
  check(label + '数字、百分比、金额（' + figures.length + ' 格）都在一行之内、不出格', figures.length > 0 && split.length === 0,
    split.slice(0, 5).map((c) => c.page + ':' + c.lines.join(' / ')).join('  '));
  const rate = cells.filter((c) => c.label && c.text === '执行率');
  check(label + '表头“执行率”在一行之内', rate.length > 0 && rate.every((c) => c.lines.length === 1));
  const orphans = cells.filter((c) => (c.label || c.text.length <= 24) && c.lines.length > 1 && c.lines[c.lines.length - 1].length < 2);
  check(label + '标签及短文字格的最后一行不只一个字', orphans.length === 0,
    orphans.slice(0, 5).map((c) => c.page + ':' + c.lines.join(' / ')).join('  '));
}

/** The PDF against the page boxes: one page each, numbered “— n —” where GB/T 9704 says. */
function pdfChecks(label, pages, narrative, formPages) {
  if (!pages) {
    skip(label + 'PDF 的页码位置', '没有 PyMuPDF（python3 -m pip install pymupdf）');
    return;
  }
  check(label + 'PDF 共 ' + pages.length + ' 页：每个页框正好一页（正文 ' + narrative + ' + 附表 ' + formPages + '）',
    pages.length === narrative + formPages, pages.length + ' pages');
  const wrong = [];
  pages.forEach((p, i) => {
    const n = i + 1;
    const portrait = i < narrative;
    const at = portrait ? PORTRAIT : LANDSCAPE;
    const size = portrait ? [595, 842] : [842, 595];
    const number = p.numbers.length === 1 && p.numbers[0];
    const ok = Math.round(p.width) === size[0] && Math.round(p.height) === size[1] && number &&
      number.text === '\u2014 ' + n + ' \u2014' && Math.abs(number.size - 14) < 0.1 && Math.abs(number.y0 - at.top) <= 2 &&
      (n % 2 ? Math.abs(number.x1 - at.right) <= 1 : Math.abs(number.x0 - at.left) <= 1);
    if (!ok) wrong.push(n + ':' + JSON.stringify([p.width, p.height, p.numbers]));
  });
  check(label + '每页一个页码“— n —”（4号，14 pt），依次连续；单页居右、双页居左，空一字', wrong.length === 0, wrong.slice(0, 4).join('  '));
  const first = pages[0].numbers[0] || {};
  const second = (pages[1] && pages[1].numbers[0]) || {};
  console.log('      页码位置（pt）：第1页右端 ' + (first.x1 || 0).toFixed(1) + '（应为 ' + PORTRAIT.right.toFixed(1) +
    '），第2页左端 ' + (second.x0 || 0).toFixed(1) + '（应为 ' + PORTRAIT.left.toFixed(1) + '），顶 ' + (first.y0 || 0).toFixed(1) +
    '（应为 ' + PORTRAIT.top.toFixed(1) + '）');
}

async function printed(page, dir, name) {
  const file = path.join(dir, name);
  fs.writeFileSync(file, await page.pdf({ preferCSSPageSize: true, printBackground: true }));
  return pdfPages(file);
}

async function seedReport(page, dir) {
  console.log('1. 示例单位的报告：页码、附表分页、数字不断行');
  await openPreview(page);
  const facts = await layoutFacts(page);
  const narrative = facts.narrative.length;
  const formPages = facts.forms.length;
  console.log('      正文 ' + narrative + ' 页，附表 10 张 ' + formPages + ' 页');
  check('附表页码接着正文：第一张附表为第 ' + (narrative + 1) + ' 页，依次连续',
    facts.forms.every((f, i) => f.page === narrative + 1 + i));
  // With the Noto CJK fonts of `make browser` and the forms in 小5号 (as in the .docx):
  // two of the 10 forms take two pages (附表1-7 has 16 indicators).
  check('示例单位：正文 11 页，附表 12 页', narrative === 11 && formPages === 12, narrative + ' + ' + formPages);
  const summary = await page.textContent('.preview-bar span');
  check('预览说明写明附表页数', summary.includes('附表 10 张 ' + formPages + ' 页'), summary);
  formChecks('', facts);
  const last = facts.narrative[narrative - 1];
  check('正文最后一页除附表行和落款外至少有两行正文', last.closing > 0 && last.body >= 2, JSON.stringify(last));
  const pages = await printed(page, dir, 'seed.pdf');
  pdfChecks('', pages, narrative, formPages);
  if (!pages) return;
  const continued = pages.slice(narrative).filter((p) => !/附表\d/.test(p.text));
  check('PDF：附表的 ' + continued.length + ' 张续页都重复了指标表头（一级指标…得分）',
    continued.length === formPages - 10 && continued.every((p) => /绩效指标\s*一级指标\s*二级指标\s*三级指标/.test(p.text)));
  const lastText = pages[narrative - 1].text.split('附表：')[0].split('\n').filter((l) => l.trim());
  check('PDF：正文最后一页在附表行之前有正文（' + lastText.length + ' 行）', lastText.length >= 2, JSON.stringify(lastText));
  check('PDF：“94.65%”完整出现，没有断开', pages[narrative].text.includes('94.65%'));
}

/** A unit whose forms run over several pages: project 1 with 40 indicators in three
 *  levels, the unit's own indicators, 17 tasks. */
function longUnit(dir) {
  const seed = JSON.parse(fs.readFileSync(path.resolve(__dirname, '../../target/seed.json'), 'utf8'));
  const unit = JSON.parse(JSON.stringify(seed));
  unit.name = '长表测试单位';
  const first = unit.projects[0];
  const rows = first.indicators;
  first.indicators = [];
  for (let i = 0; i < 40; i++) {
    const row = JSON.parse(JSON.stringify(rows[i % rows.length]));
    row.level1 = i < 25 ? '产出指标' : i < 35 ? '效益指标' : '满意度指标';
    row.level2 = '数量指标' + Math.floor(i / 6);
    row.name = '第' + (i + 1) + '项 ' + row.name;
    row.weight = '2.5';
    row.typedScore = '';
    first.indicators.push(row);
  }
  unit.indicators = rows.map((row) => Object.assign({}, row, { typedScore: '' }));
  for (let i = 0; i < 12; i++) unit.tasks.push(Object.assign({}, seed.tasks[i % 5], { name: seed.tasks[i % 5].name + (i + 1) }));
  unit.projects = unit.projects.slice(0, 2);
  const file = path.join(dir, '长表测试单位.json');
  fs.writeFileSync(file, JSON.stringify(unit));
  return file;
}

async function longForms(page, dir) {
  console.log('2. 跨多页的附表：每页重复表头和标签，总分不单独起页');
  await importFile(page, longUnit(dir));
  await page.waitForFunction(() => window.jixiaoApp.state.unit && window.jixiaoApp.state.unit.name === '长表测试单位', null, { timeout: TIMEOUT });
  await openPreview(page);
  const facts = await layoutFacts(page);
  const byForm = {};
  facts.forms.forEach((f) => { byForm[f.caption] = (byForm[f.caption] || 0) + 1; });
  console.log('      附表页数 ' + JSON.stringify(byForm));
  check('40 项指标的附表1-1 占 3 页以上', byForm['附表1-1'] >= 3, JSON.stringify(byForm));
  formChecks('长表：', facts);
  const tasks = facts.forms.filter((f) => !f.first && f.rows[0].cells.some((c) => c.text === '任务名称'));
  check('长表：年度主要任务的续页重复“任务名称 主要内容 完成情况”并写明“年度主要任务”',
    tasks.length > 0 && tasks.every((f) => f.rows[0].cells[0].text === '年度主要任务'), tasks.map((f) => f.page).join(' '));
  const lastPage = facts.forms.filter((f) => f.caption === '附表1-1').pop();
  const body = lastPage.rows.filter((r) => !r.head);
  check('长表：附表1-1 的最后一页有指标行，不只有总分和自评等级',
    body.length > 2 && !CLOSING.test(body[0].cells[0].text.trim()) && body.some((r) => r.cells[0].text.trim() === '总分'),
    body.map((r) => r.cells[0].text).join('|'));
  const pages = await printed(page, dir, 'long.pdf');
  pdfChecks('长表：', pages, facts.narrative.length, facts.forms.length);
  await page.click(testid('preview-toggle'));
}

async function signaturePage(page, dir) {
  console.log('3. 落款页至少有两行正文（GB/T 9704）');
  const seed = JSON.parse(fs.readFileSync(path.resolve(__dirname, '../../target/seed.json'), 'utf8'));
  // 下一步工作措施 of 4 and 21 lines: without care the last page would hold one line
  // of it, or only the 附表 line and the signature.
  for (const lines of [4, 21]) {
    const unit = JSON.parse(JSON.stringify(seed));
    unit.name = '落款测试单位' + lines;
    unit.date = '2023年3月1日';
    unit.narrative.nextSteps = '国'.repeat(28 * lines - 3);
    const file = path.join(dir, unit.name + '.json');
    fs.writeFileSync(file, JSON.stringify(unit));
    await importFile(page, file);
    await page.waitForFunction((name) => window.jixiaoApp.state.unit && window.jixiaoApp.state.unit.name === name, unit.name, { timeout: TIMEOUT });
    await openPreview(page);
    const facts = await layoutFacts(page);
    const last = facts.narrative[facts.narrative.length - 1];
    const text = await page.locator(testid('preview-page')).last().locator('.doc-block').allTextContents();
    check('下一步工作措施 ' + lines + ' 行：落款页有 ' + last.body + ' 行正文（至少 2 行）', last.closing > 0 && last.body >= 2,
      JSON.stringify(text.map((t) => t.slice(0, 12))));
    check('下一步工作措施 ' + lines + ' 行：分开的段落接得上（文字不多不少）',
      (await page.locator(testid('preview-page') + ' .doc-block').allTextContents()).join('')
        .includes('三、下一步工作措施' + unit.narrative.nextSteps + '附表：'));
    await page.click(testid('preview-toggle'));
  }
}

async function main() {
  requireBuilt();
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'jixiao-print-'));
  const browser = await launch();
  try {
    const { page } = await newPage(browser);
    await open(page);
    await seedReport(page, dir);
    await page.click(testid('preview-toggle'));
    await longForms(page, dir);
    await signaturePage(page, dir);
  } catch (err) {
    check('测试未中途出错', false, err.stack || String(err));
  } finally {
    await browser.close();
    fs.rmSync(dir, { recursive: true, force: true });
  }
  console.log('4. 没有网络请求，没有脚本错误');
  finish('print');
}

main();
