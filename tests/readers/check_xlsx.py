#!/usr/bin/env python3
"""Read the exported 自评表.xlsx with openpyxl, a reader independent of the Rust code.

Usage: python3 tests/readers/check_xlsx.py target/report/兰州新区应急管理局_2022_自评表.xlsx

The file is the export of the seed (examples/lanzhou-xinqu-emergency-2022.xlsx). Checks
that the figures are real numbers in the right cells (found by their labels, as a person
reads the form), shown with the forms' formats, and that every sheet prints on A4
landscape, one page wide, with the indicator header repeated. The last sheet, 说明, marks
the export and lists every computed cell with its value: each listed cell must hold that
value. Then the workbook is re-saved by openpyxl (another writer) with two edits, and —
when the `jixiao` binary is built (target/release/jixiao) — imported again: the mark must
survive, so that only the computed cell the user overwrote is audited as typed. Prints
what it checked; exits non-zero with a message on the first failure.
"""

import json
import os
import subprocess
import sys
import tempfile

try:
    import openpyxl
except ImportError:  # pragma: no cover
    sys.exit("check_xlsx: openpyxl is not installed (python3 -m pip install openpyxl)")

UNIT_SHEET = "部门整体"
NOTES_SHEET = "说明"
MARK = "绩效自评（自评表导出格式 1）"
NOTE_FIELDS = ["主送单位", "通知名", "文号", "落款日期", "评分规则", "一、自评工作开展情况",
               "（二）项目绩效目标完成情况", "（三）偏差原因及改进措施", "三、下一步工作措施"]
BINARY = os.path.join(os.path.dirname(__file__), "..", "..", "target", "release", "jixiao")
TITLE = "兰州新区应急管理局2022年度绩效自评表"

# The seed's projects: sheet name → (执行率 as a fraction, shown, 总分).
PROJECTS = {
    "1.档案整理专项": (0.946470625, "94.65%", 93.93),
    "2.安全生产监督执法专项经费": (0.9043, "90.43%", 88.51),
    "3.安责险试点专项经费": (1.0, "100.00%", 97.00),
    "4.气象灾害预警项目": (9 / 49, "18.37%", 75.00),
    "5.应急救援能力提升项目": (13.056 / 14, "93.26%", 93.00),
    "6.兰州新区森林防火视频监控建设项目尾款": (46.37 / 50, "92.74%", 99.27),
    "7.全国自然灾害综合风险普查项目": (171.12 / 300, "57.04%", 95.70),
    "8.国家西北区域应急救援中心项目": (5852.25 / 6116.3, "95.68%", 99.57),
    "9.兰州新区危险化学品产业转移安全设计诊断项目": (1.0, "100.00%", 95.00),
}

checked = []


def fail(message):
    sys.stdout.flush()
    print(f"check_xlsx: FAILED: {message}", file=sys.stderr)
    if checked:
        print(f"check_xlsx: ({len(checked)} checks passed before this one)", file=sys.stderr)
    sys.exit(1)


def ok(what):
    checked.append(what)
    print(f"  ok  {what}")


def expect(condition, what, detail=""):
    if not condition:
        fail(f"{what}{': ' + detail if detail else ''}")
    ok(what)


def close(a, b, tol=1e-9):
    return abs(a - b) <= tol * max(1.0, abs(b))


def find(ws, label):
    """The first cell whose text is `label` (row-major)."""
    for row in ws.iter_rows():
        for cell in row:
            if isinstance(cell.value, str) and cell.value.strip() == label:
                return cell
    fail(f"sheet “{ws.title}”: no cell “{label}”")


def find_in_row(ws, row, label):
    for cell in ws[row]:
        if isinstance(cell.value, str) and cell.value.strip() == label:
            return cell
    fail(f"sheet “{ws.title}”: no “{label}” in row {row}")


def is_number(value):
    return isinstance(value, (int, float)) and not isinstance(value, bool)


def shown(cell):
    """The cell as Excel displays it, for the formats the forms use."""
    v, fmt = cell.value, cell.number_format
    if not is_number(v):
        return str(v)
    if "%" in fmt:
        decimals = len(fmt.split(".")[1].split("%")[0]) if "." in fmt else 0
        return f"{v * 100:.{decimals}f}%"
    if fmt == "0.00":
        return f"{v:.2f}"
    return str(v)


def number_cell(ws, row_label, col_label, header_row=None):
    """The cell in the row of `row_label` under the header `col_label`."""
    row = find(ws, row_label).row
    if header_row is None:
        header_row = find(ws, col_label).row
    col = find_in_row(ws, header_row, col_label).column
    return ws.cell(row=row, column=col)


def check_page_setup(ws, header_row):
    ps = ws.page_setup
    expect(ps.orientation == "landscape", f"“{ws.title}”: landscape", repr(ps.orientation))
    expect(str(ps.paperSize) == "9", f"“{ws.title}”: A4 (paperSize 9)", repr(ps.paperSize))
    fit = ws.sheet_properties.pageSetUpPr
    expect(fit is not None and fit.fitToPage, f"“{ws.title}”: fit to page")
    # fitToWidth defaults to 1 in the file format; a writer may leave it out.
    width = 1 if ps.fitToWidth is None else int(ps.fitToWidth)
    height = 1 if ps.fitToHeight is None else int(ps.fitToHeight)
    expect(width == 1 and height == 0, f"“{ws.title}”: 1 page wide (fitToWidth 1, fitToHeight 0)",
           f"fitToWidth={ps.fitToWidth!r} fitToHeight={ps.fitToHeight!r}")
    expect(bool(ws.print_options.horizontalCentered), f"“{ws.title}”: centred horizontally")
    expect(not ws.print_options.gridLines, f"“{ws.title}”: no printed gridlines")
    titles = ws.print_title_rows
    if header_row is None:
        expect(not titles, f"“{ws.title}”: no print title rows", repr(titles))
    else:
        want = f"${header_row}:${header_row}"
        got = (titles or "").replace("$", "")
        expect(got == f"{header_row}:{header_row}",
               f"“{ws.title}”: print title rows {want} (the indicator header)", repr(titles))


def check_title(ws, title):
    merged = {str(r) for r in ws.merged_cells.ranges}
    last = openpyxl.utils.get_column_letter(ws.max_column)
    cell = find(ws, title)
    expect(f"A{cell.row}:{last}{cell.row}" in merged,
           f"“{ws.title}”: title “{title}” merged across A:{last}", str(sorted(merged))[:200])
    expect(bool(cell.font.b) and cell.font.sz == 16, f"“{ws.title}”: title bold 16pt",
           f"bold={cell.font.b} size={cell.font.sz}")
    sub = ws.cell(row=cell.row + 1, column=1)
    expect(sub.value == "（2022年度）" and f"A{sub.row}:{last}{sub.row}" in merged,
           f"“{ws.title}”: subtitle “（2022年度）” merged", repr(sub.value))


def main():
    if len(sys.argv) != 2:
        sys.exit(f"usage: {sys.argv[0]} path/to/自评表.xlsx")
    path = sys.argv[1]
    try:
        wb = openpyxl.load_workbook(path)
    except Exception as e:  # noqa: BLE001 — any failure to open is the finding
        fail(f"cannot open {path}: {e}")
    print(f"check_xlsx: {path}")

    names = wb.sheetnames
    expect(names == list(PROJECTS) + [UNIT_SHEET, NOTES_SHEET],
           "sheets: 9 project forms in order, then 部门整体, then 说明", repr(names))
    expect(wb.properties.title == TITLE, f"document title “{TITLE}”", repr(wb.properties.title))
    expect(wb.properties.creator == "绩效自评", "document author “绩效自评”",
           repr(wb.properties.creator))

    # 部门整体
    ws = wb[UNIT_SHEET]
    check_title(ws, "部门（单位）整体支出绩效自评表")
    budget = number_cell(ws, "年度资金总额", "全年预算数")
    executed = number_cell(ws, "年度资金总额", "全年执行数")
    rate = number_cell(ws, "年度资金总额", "执行率")
    expect(is_number(budget.value) and close(budget.value, 7750.69),
           f"部门整体 {budget.coordinate} 全年预算数 is the number 7750.69", repr(budget.value))
    expect(is_number(executed.value) and close(executed.value, 7719.74),
           f"部门整体 {executed.coordinate} 全年执行数 is the number 7719.74",
           repr(executed.value))
    expect(shown(budget) == "7750.69" and shown(executed) == "7719.74",
           "部门整体 amounts shown with 2 decimals", f"{shown(budget)}, {shown(executed)}")
    expect(is_number(rate.value) and close(rate.value, 7719.74 / 7750.69)
           and str(rate.value).startswith("0.99600"),
           f"部门整体 {rate.coordinate} 执行率 is the fraction 0.99600…", repr(rate.value))
    expect("%" in rate.number_format, "部门整体 执行率 formatted as a percentage",
           repr(rate.number_format))
    expect(shown(rate) == "99.60%", "部门整体 执行率 displayed 99.60%", shown(rate))
    name = find(ws, "部门（单位）名称")
    value = ws.cell(row=name.row, column=name.column + 1)
    expect(value.value == "兰州新区应急管理局", "部门整体 unit name", repr(value.value))
    expect(bool(name.font.b) and name.fill.fgColor.rgb not in (None, "00000000"),
           "labels bold on a fill")
    expect(name.border.left.style == "thin" and value.border.right.style == "thin",
           "grid cells have borders")
    check_page_setup(ws, None)

    # Project forms
    for sheet, (fraction, display, total) in PROJECTS.items():
        ws = wb[sheet]
        check_title(ws, "项目支出绩效自评表")
        rate = number_cell(ws, "年度资金总额", "执行率")
        expect(is_number(rate.value) and close(rate.value, fraction),
               f"{sheet} {rate.coordinate} 执行率 = {fraction:.6g}", repr(rate.value))
        expect("%" in rate.number_format and shown(rate) == display,
               f"{sheet} 执行率 displayed {display}",
               f"{rate.number_format!r} → {shown(rate)}")
        header = find(ws, "三级指标").row
        score = number_cell(ws, "总分", "得分", header_row=header)
        expect(is_number(score.value) and close(score.value, total),
               f"{sheet} {score.coordinate} 总分 = {total:.2f}", repr(score.value))
        expect(shown(score) == f"{total:.2f}", f"{sheet} 总分 shown {total:.2f}", shown(score))
        check_page_setup(ws, header)

    computed = check_notes(wb)
    check_resaved(path, computed)

    print(f"check_xlsx: all {len(checked)} checks passed")


def table(ws, last_header):
    """The rows under the header row that holds 工作表 and `last_header`, to the first empty
    row, as dicts by header label (cells, not values)."""
    for row in ws.iter_rows():
        labels = {c.value: c.column for c in row if isinstance(c.value, str)}
        if "工作表" in labels and last_header in labels:
            out = []
            r = row[0].row + 1
            while ws.cell(row=r, column=labels["工作表"]).value not in (None, ""):
                out.append({k: ws.cell(row=r, column=col) for k, col in labels.items()})
                r += 1
            return out
    fail(f"sheet “{ws.title}”: no table with “{last_header}”")


def check_notes(wb):
    """The 说明 sheet; returns {(sheet, row label, column label): cell reference}."""
    ws = wb[NOTES_SHEET]
    mark = find(ws, "导出程序")
    value = ws.cell(row=mark.row, column=mark.column + 1).value
    expect(value == MARK, f"说明 marks the export: 导出程序 “{MARK}”", repr(value))
    for label in NOTE_FIELDS:
        find(ws, label)
    ok("说明 names every field of the report that no form has a place for")
    projects = table(ws, "偏离绩效目标的原因及下一步改进措施")
    expect([p["工作表"].value for p in projects] == list(PROJECTS),
           "说明 has a 偏离原因 row for each project sheet", repr([p["工作表"].value for p in projects]))
    rows = table(ws, "导出值")
    computed = {}
    for row in rows:
        sheet, ref = row["工作表"].value, row["单元格"].value
        listed = row["导出值"]
        if sheet not in wb.sheetnames:
            fail(f"说明 lists a cell of a sheet that does not exist: {sheet!r}")
        cell = wb[sheet][ref]
        same = (cell.value == listed.value if not is_number(listed.value)
                else is_number(cell.value) and close(cell.value, listed.value, 0))
        if not same or cell.number_format != listed.number_format:
            fail(f"说明 lists {sheet}!{ref} as {listed.value!r} ({listed.number_format}), "
                 f"the sheet holds {cell.value!r} ({cell.number_format})")
        computed[(sheet, row["行"].value, row["栏目"].value)] = ref
    ok(f"说明 lists {len(rows)} computed cells, each holding the value listed, in its format")
    for sheet, (_, _, total) in PROJECTS.items():
        ref = computed.get((sheet, "总分", "得分"))
        expect(ref is not None and close(wb[sheet][ref].value, total),
               f"说明 lists {sheet} 总分 {total:.2f} as computed", repr(ref))
        for what in [("年度资金总额", "执行率"), ("年度资金总额", "得分"), ("自评等级", "自评等级")]:
            if (sheet, *what) not in computed:
                fail(f"说明 does not list {sheet} {'·'.join(what)} as computed")
    ok("说明 lists every project's 执行率, execution 得分, 总分 and 自评等级 as computed")
    return computed


def check_resaved(path, computed):
    """Re-saved by openpyxl with an input and a computed cell edited, imported again."""
    wb = openpyxl.load_workbook(path)
    p2, p3 = list(PROJECTS)[1], list(PROJECTS)[2]
    ws = wb[p2]
    executed = number_cell(ws, "年度资金总额", "全年执行数")
    executed.value = 40
    ws = wb[p3]
    wb[p3][computed[(p3, "总分", "得分")]].value = 99
    out = os.path.join(tempfile.mkdtemp(prefix="check_xlsx-"), "自评表-另存.xlsx")
    wb.save(out)
    again = openpyxl.load_workbook(out)
    expect(again[NOTES_SHEET]["B3"].value == MARK, "the mark survives re-saving by openpyxl")
    if not os.path.exists(BINARY):
        print(f"  --  {BINARY} not built: the re-saved workbook is not imported")
        return
    result = subprocess.run([BINARY, "evaluate", out, "--json"], capture_output=True, text=True)
    expect(result.returncode == 0, "jixiao evaluates the re-saved workbook", result.stderr[:300])
    summary = json.loads(result.stdout)
    found = [(f["project_index"], f["field"], f["typed"]) for f in summary["findings"]
             if f["code"] == "typed_mismatch"]
    expect(found == [(2, "typed.total", "99")],
           "re-imported, only the overwritten 总分 is audited as typed (no computed cell is)",
           repr(found))
    notices = [f["code"] for f in summary["findings"] if f["code"].startswith("sheet_")]
    expect(notices == [], "the 说明 sheet is read, not skipped", repr(notices))
    rate = summary["projects"][1]["rate_percent"]
    # (Its 全年预算数 is 100 万元: 40 executed is 40.00%, where the export showed 90.43%.)
    expect(rate == "40.00", "the edited 全年执行数 counts: 执行率 40.00%", repr(rate))


if __name__ == "__main__":
    main()
