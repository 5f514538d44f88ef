#!/usr/bin/env node
/* Issue 11 items 3 and 4 through the page, from file:// in Chromium: a province's
 * workbook opens with its 表样 and previews in its layout; a column the core does not
 * know is pointed at once (and the other sheets follow, and the choice is saved as a
 * 表样 file); amounts with no unit are asked about once (元 or 万元). The workbooks are
 * written here with openpyxl.
 *
 * Usage: node tests/e2e/layouts.js /abs/path/dist/jixiao.html */
'use strict';
const fs = require('fs');
const os = require('os');
const path = require('path');
const { execFileSync } = require('child_process');
const {
  TIMEOUT, check, expectValue, testid, newPage, open, importFile, selectProject,
  launch, requireBuilt, finish
} = require('./lib');

/* The forms as rows of (column, value); written by openpyxl into DIR. */
const WORKBOOKS = String.raw`
import sys, openpyxl
out = sys.argv[1]

def central(name, head, budget_label, total, executed, rate):
    return [
        [(0, '项目支出绩效自评表')],
        [(0, '（2022年度）')],
        [(0, '项目名称'), (1, name)],
        [(0, '主管部门'), (1, '某局'), (4, '实施单位'), (5, '某中心')],
        [(0, head), (2, '年初预算数'), (3, budget_label), (4, '全年执行数'), (5, '分值'), (6, '执行率'), (7, '得分')],
        [(1, '年度资金总额'), (2, total), (3, total), (4, executed), (5, 10), (6, rate), (7, 9)],
        [(1, '其中：当年财政拨款'), (2, total), (3, total), (4, executed)],
        [(0, '年度总体目标'), (1, '预期目标'), (4, '实际完成情况')],
        [(1, '培训应急人员'), (4, '已完成')],
        [(0, '绩效指标'), (1, '一级指标'), (2, '二级指标'), (3, '三级指标'), (4, '年度指标值'), (5, '实际完成值'), (6, '分值'), (7, '得分'), (8, '偏差原因分析及改进措施')],
        [(1, '产出指标'), (2, '数量指标'), (3, '培训人次'), (4, '≥100人次'), (5, '120人次'), (6, 50), (7, 50)],
        [(1, '效益指标'), (2, '社会效益指标'), (3, '持证上岗率'), (4, '≥90%'), (5, '85%'), (6, 30), (7, 28.33)],
        [(1, '满意度指标'), (2, '服务对象满意度指标'), (3, '学员满意度'), (4, '≥95%'), (5, '96%'), (6, 10), (7, 10)],
        [(0, '总分'), (6, 100), (7, 97.33)],
        [(0, '自评等级'), (1, '优')],
    ]

sichuan = [
    [(0, '项目支出绩效自评表')],
    [(0, '（2023年度）')],
    [(0, '项目名称'), (1, '51000021R000000019951-工资性支出')],
    [(0, '主管部门'), (1, '四川省某厅'), (5, '实施单位'), (6, '某中心')],
    [(0, '预算执行情况(10分)'), (2, '年初预算'), (3, '调整后预算数'), (4, '预算执行数'), (5, '预算执行率'), (6, '权重'), (7, '得分'), (8, '原因')],
    [(1, '总额'), (2, 100), (3, 120), (4, 102), (5, '85%'), (6, 10), (7, 8.5), (8, '部分采购延后')],
    [(1, '其中：财政资金'), (2, 100), (3, 100), (4, 90)],
    [(1, '财政专户管理资金'), (2, 0), (3, 0), (4, 0)],
    [(1, '单位资金'), (2, 0), (3, 20), (4, 12)],
    [(0, '年度目标'), (1, '预期目标'), (5, '实际完成情况')],
    [(1, '保障在职人员工资按时发放'), (5, '已按时足额发放')],
    [(0, '绩效指标(90分)'), (1, '一级指标'), (2, '二级指标'), (3, '三级指标'), (4, '指标性质'), (5, '指标值'), (6, '度量单位'), (7, '完成值'), (8, '权重'), (9, '得分'), (10, '偏差原因分析及改进措施')],
    [(1, '产出指标'), (2, '数量指标'), (3, '保障人数'), (4, '≥'), (5, '50'), (6, '人'), (7, '60'), (8, 30), (9, 30)],
    [(2, '质量指标'), (3, '发放准确率'), (4, '='), (5, '100'), (6, '%'), (7, '100'), (8, 30), (9, 30)],
    [(1, '效益指标'), (2, '社会效益指标'), (3, '职工知晓率'), (4, '≥'), (5, '90'), (6, '%'), (7, '81'), (8, 30), (9, 27), (10, '宣传不足')],
    [(0, '合计'), (8, 90), (9, 95.5)],
    [(0, '评价结论'), (1, '优')],
    [(0, '存在问题'), (1, '宣传覆盖面不足')],
    [(0, '改进措施'), (1, '加强政策宣传')],
]

def save(name, sheets):
    book = openpyxl.Workbook()
    book.remove(book.active)
    for title, rows in sheets:
        ws = book.create_sheet(title)
        for r, row in enumerate(rows):
            for c, v in row:
                ws.cell(row=r + 1, column=c + 1, value=v)
    book.save(out + '/' + name)

save('四川表样.xlsx', [('工资性支出', sichuan)])
save('表头不同.xlsx', [
    ('应急培训', central('应急培训', '项目资金（万元）', '预算安排数', 100, 90, '90%')),
    ('消防演练', central('消防演练', '项目资金（万元）', '预算安排数', 200, 150, '75%')),
])
save('金额单位.xlsx', [('应急培训', central('应急培训', '项目资金', '全年预算数', 1000000, 900000, '90%'))])
`;

function workbooks(dir) {
  execFileSync('python3', ['-c', WORKBOOKS, dir]);
  return {
    sichuan: path.join(dir, '四川表样.xlsx'),
    mapping: path.join(dir, '表头不同.xlsx'),
    money: path.join(dir, '金额单位.xlsx')
  };
}

const unitOf = (page) => page.evaluate(() => window.jixiaoApp.doc.unit);

async function openUnitView(page) {
  await page.click(testid('unit-row'));
  await page.waitForSelector(testid('unit-profile'));
}

async function previewText(page, shot) {
  await page.click(testid('preview-toggle'));
  await page.waitForSelector(testid('preview-form'));
  const text = await page.textContent(testid('preview'));
  if (shot) {
    await page.locator(testid('preview-form')).first().scrollIntoViewIfNeeded();
    await page.screenshot({ path: path.join(os.tmpdir(), shot) });
  }
  await page.click(testid('preview-toggle'));
  return text;
}

async function sichuan(page, files) {
  console.log('1. 四川表样的工作簿：按 sichuan-2023 读取，预览为四川的附表');
  await importFile(page, files.sichuan);
  await expectValue('单位的表样', async () => (await unitOf(page)).profile, 'sichuan-2023');
  check('没有询问（全部认出）', !(await page.isVisible(testid('mapping-dialog'))) && !(await page.isVisible(testid('money-dialog'))));
  await openUnitView(page);
  check('单位信息中表样显示为四川', (await page.locator(testid('unit-profile')).inputValue()) === 'sichuan-2023' &&
    (await page.locator(testid('unit-profile') + ' option:checked').textContent()).includes('四川'));
  await page.screenshot({ path: path.join(os.tmpdir(), 'layouts-sichuan.png') });
  check('预览的附表有“调整后预算数”', (await previewText(page, 'layouts-sichuan-preview.png')).includes('调整后预算数'));
  await page.selectOption(testid('unit-profile'), 'central-2020');
  await expectValue('改为中央 2020 后单位的表样', async () => (await unitOf(page)).profile, 'central-2020');
  const central = await previewText(page);
  check('预览随之改为中央 2020 的附表（全年预算数，无“调整后预算数”）', central.includes('全年预算数') && !central.includes('调整后预算数'));
  await page.click(testid('undo'));
  await expectValue('撤销后表样回到四川', async () => (await unitOf(page)).profile, 'sichuan-2023');
  check('撤销后单位信息中的选择也回到四川', (await page.locator(testid('unit-profile')).inputValue()) === 'sichuan-2023');
  check('撤销后预览又是四川的附表', (await previewText(page)).includes('调整后预算数'));
  // 湖北's 表样 brings its own rules (预算执行率 20): the 计分规则 picker says so.
  await page.selectOption(testid('unit-profile'), 'hubei-2020');
  await expectValue('改为湖北后单位的表样', async () => (await unitOf(page)).profile, 'hubei-2020');
  const rulesShown = async () => (await page.locator(testid('rules') + ' option:checked').textContent()) || '';
  await expectValue('计分规则显示“按表样的规则（湖北…）”', async () => /^按表样的规则（湖北/.test(await rulesShown()), true);
  await page.selectOption(testid('rules'), 'default');
  await expectValue('选默认规则后单位记下“default”', async () => (await unitOf(page)).rules, 'default');
  await page.click(testid('undo'));
  await expectValue('撤销后又按表样的规则', async () => (await unitOf(page)).rules, '');
  await page.click(testid('undo'));
  await expectValue('再撤销后表样回到四川', async () => (await unitOf(page)).profile, 'sichuan-2023');
}

async function mapping(page, files, dir) {
  console.log('2. 预算列的表头是“预算安排数”：指出一次，两张表都按它读取，并可存为表样文件');
  await importFile(page, files.mapping);
  await page.waitForSelector(testid('mapping-dialog'), { timeout: TIMEOUT });
  const dialogText = await page.textContent(testid('mapping-dialog'));
  check('询问“哪一列是“全年预算数”？”', dialogText.includes('哪一列是“全年预算数”？'), dialogText.slice(0, 200));
  check('列出表头行，其中有“预算安排数”', (await page.textContent(testid('mapping-headers'))).includes('预算安排数'));
  await page.screenshot({ path: path.join(os.tmpdir(), 'layouts-mapping.png') });
  const select = page.locator(testid('mapping-choice') + '[data-field="fund.budget"]');
  await select.selectOption('预算安排数');
  const [download] = await Promise.all([page.waitForEvent('download'), page.click(testid('mapping-save'))]);
  const saved = path.join(dir, download.suggestedFilename());
  await download.saveAs(saved);
  const profileText = fs.readFileSync(saved, 'utf8');
  check('下载的表样文件 ' + download.suggestedFilename() + ' 含“预算安排数”', profileText.includes('预算安排数'), profileText.slice(0, 200));
  let profile = null;
  try { profile = JSON.parse(profileText); } catch (err) { /* checked below */ }
  check('表样文件依据 central-2020，fund.budget 为“预算安排数”', !!profile && profile.extends === 'central-2020' &&
    profile.labels['fund.budget'][0] === '预算安排数', profileText.slice(0, 200));
  await page.click(testid('mapping-ok'));
  await page.waitForSelector(testid('mapping-dialog'), { state: 'detached', timeout: TIMEOUT });
  const unit = await unitOf(page);
  check('两个项目都读出了预算', unit.projects.length === 2 && unit.projects.every((p) => p.funds && p.funds.total.budget),
    JSON.stringify(unit.projects.map((p) => p.funds && p.funds.total)));
  await selectProject(page, 1, 'funds');
  await expectValue('项目1 执行率', () => page.textContent(testid('project-rate')), '90.00%');
  await selectProject(page, 2, 'funds');
  await expectValue('项目2（第二张表，按同样的选择读取）执行率', () => page.textContent(testid('project-rate')), '75.00%');
  check('没有再询问', !(await page.isVisible(testid('mapping-dialog'))));
  await page.screenshot({ path: path.join(os.tmpdir(), 'layouts-mapped.png') });

  console.log('   表样文件有误：说明原因，选择不变');
  const bad = path.join(dir, '有误的表样.json');
  fs.writeFileSync(bad, JSON.stringify({ name: 'x', extends: 'central-2020', labels: { 'fund.budgt': ['预算'] } }));
  await page.setInputFiles(testid('profile-file'), bad);
  await expectValue('提示表样文件中的字段有误', async () => (await page.isVisible(testid('error-banner'))) &&
    (await page.textContent(testid('error-banner'))).includes('“fund.budgt”不是可识别的表头项'), true);
  check('工具栏的表样仍为自动识别', (await page.locator(testid('profile-pick')).inputValue()) === '');
  await page.click(testid('error-banner') + ' button');

  console.log('   下一年：选择“载入表样文件…”，同样的工作簿不再询问');
  await page.setInputFiles(testid('profile-file'), saved);
  await expectValue('工具栏的表样为载入的文件', async () =>
    (await page.locator(testid('profile-pick') + ' option:checked').textContent()), '表样：自定义表样（依据“表头不同”）');
  await importFile(page, files.mapping);
  await expectValue('按载入的表样读取：项目1 有预算', async () => {
    const u = await unitOf(page);
    return u.projects.length === 2 && !!u.projects[0].funds && u.projects[0].funds.total.budget === '100';
  }, true);
  check('没有询问', !(await page.isVisible(testid('mapping-dialog'))));
  await openUnitView(page);
  check('单位信息中表样为自定义表样', (await page.locator(testid('unit-profile') + ' option:checked').textContent()) ===
    '自定义表样（依据“表头不同”）');
  await page.screenshot({ path: path.join(os.tmpdir(), 'layouts-own-profile.png') });
  await page.selectOption(testid('profile-pick'), '');

  console.log('   取消（Esc）：保留已导入的内容');
  await importFile(page, files.mapping);
  await page.waitForSelector(testid('mapping-dialog'), { timeout: TIMEOUT });
  await page.keyboard.press('Escape');
  const kept = await unitOf(page);
  check('取消后两个项目仍在（指标已导入，预算未读取）', kept.projects.length === 2 && kept.projects[0].indicators.length === 3);
  check('取消后不再询问', !(await page.isVisible(testid('mapping-dialog'))));
}

async function money(page, files) {
  console.log('3. 金额未注明单位且达十万以上：问一次元还是万元');
  await importFile(page, files.money);
  await page.waitForSelector(testid('money-dialog'), { timeout: TIMEOUT });
  const asked = await page.textContent(testid('money-dialog'));
  check('询问“这些金额是元还是万元？”，说明为何先按元读取（表中未注明金额单位，金额达十万以上）',
    asked.includes('这些金额是元还是万元？') && asked.includes('表中未注明金额单位，金额达十万以上，已按“元”读取并换算为万元。如表中以万元填写'), asked);
  await page.screenshot({ path: path.join(os.tmpdir(), 'layouts-money.png') });
  await page.click(testid('money-yuan'));
  await expectValue('选“元”：预算按元换算为万元', async () => (await unitOf(page)).projects[0].funds.total.budget, '100');
  check('选“元”后不再询问', !(await page.isVisible(testid('money-dialog'))));

  await importFile(page, files.money);
  await page.waitForSelector(testid('money-dialog'), { timeout: TIMEOUT });
  await page.click(testid('money-wan'));
  await expectValue('选“万元”：按万元重新读取', async () => (await unitOf(page)).projects[0].funds.total.budget, '1000000');
  await page.waitForTimeout(300);
  check('选“万元”后只问了一次', !(await page.isVisible(testid('money-dialog'))));
  const findings = await page.evaluate(() => window.jixiaoApp.doc.importFindings.map((f) => f.code));
  check('重新读取后没有“已按元读取”的提示', findings.indexOf('money_unit') < 0, findings.join(','));
  const profile = (await unitOf(page)).profile;
  check('单位的表样记下“万元”', /"amounts":"万元"/.test(profile), profile.slice(0, 120));
}

async function main() {
  requireBuilt();
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'jixiao-layouts-'));
  const files = workbooks(dir);
  const browser = await launch();
  try {
    const { page } = await newPage(browser);
    await open(page);
    await page.screenshot({ path: path.join(os.tmpdir(), 'layouts-toolbar.png') });
    const options = await page.locator(testid('profile-pick') + ' option').allTextContents();
    check('工具栏的表样选择：自动识别、各省表样、载入表样文件', options[0] === '表样：自动识别' &&
      options.some((o) => o.includes('四川')) && options[options.length - 1] === '载入表样文件…', options.join(' | '));
    await sichuan(page, files);
    await mapping(page, files, dir);
    await money(page, files);
  } finally {
    await browser.close();
  }
  finish('layouts');
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
