#!/usr/bin/env python3
"""Reads 自评报告.docx with python-docx (a reader independent of the one that wrote it)
and checks the seed report: the narrative's figures, each project's 执行率 and 总分 in
its form, the sections (A4 portrait, then landscape), the repeated header rows, the
page numbers and the document properties.

    python3 tests/readers/check_docx.py target/report/兰州新区应急管理局_2022_自评报告.docx

Prints every check; exits 1 if any failed, 2 if the file cannot be read.
"""

import re
import sys

try:
    import docx
    from docx.enum.section import WD_ORIENT
    from docx.oxml.ns import qn
    from docx.table import Table
    from docx.text.paragraph import Paragraph
except ImportError:
    print("需要 python-docx：python3 -m pip install python-docx", file=sys.stderr)
    sys.exit(2)

# The seed (examples/lanzhou-xinqu-emergency-2022.xlsx), as RULES.md and the scorer
# give it.
UNIT = "兰州新区应急管理局"
TITLE = "2022年度部门本级预算绩效自评工作总结"
SENTENCES = [
    "当年财政预算7750.69万元，全年支出7719.74万元，执行率99.60%",
    "全年本级预算项目数9个，绩效自评项目数9个，自评覆盖率100.00%",
    "自评结果“优”7个，“良”1个，“中”1个，“差”0个",
]
PROJECTS = 9
KNOWN = {  # project: (执行率, 总分)
    "档案整理专项": ("94.65%", "93.93"),
    "安全生产监督执法专项经费": ("90.43%", "88.51"),
}

failures = []


def check(ok, what, detail=""):
    print(("✓ " if ok else "✗ ") + what + ("" if ok or not detail else f"：{detail}"))
    if not ok:
        failures.append(what)
    return ok


def body_items(document):
    """Paragraphs and tables in reading order."""
    for child in document.element.body.iterchildren():
        if child.tag == qn("w:p"):
            yield Paragraph(child, document)
        elif child.tag == qn("w:tbl"):
            yield Table(child, document)


def forms(document):
    """Each form (附表…) as its caption and the rows of its tables, cell texts by grid
    column (a merged cell repeats its text), with each row's table and <w:tr>."""
    result = []
    for item in body_items(document):
        if isinstance(item, Paragraph):
            text = item.text.strip()
            if re.fullmatch(r"附表\d+(-\d+)?", text):
                result.append({"caption": text, "tables": [], "rows": []})
        elif result:
            result[-1]["tables"].append(item)
            for row in item.rows:
                cells = [c.text.strip() for c in row.cells]
                result[-1]["rows"].append((cells, item, row._tr))
    return result


def column(rows, label):
    """Grid column of the first cell reading `label`."""
    for cells, _, _ in rows:
        if label in cells:
            return cells.index(label)
    return None


def row_with(rows, label):
    for cells, table, tr in rows:
        if label in cells:
            return cells, table, tr
    return None


def name_of(rows):
    """The text right of 项目名称 (the cell spans the row: the grid repeats it)."""
    found = row_with(rows, "项目名称")
    return found[0][found[0].index("项目名称") + 1] if found and found[0][-1] != "项目名称" else None


def value(rows, row_label, column_label):
    """The cell in the row of `row_label`, under the header `column_label`."""
    j = column(rows, column_label)
    found = row_with(rows, row_label)
    if j is None or found is None or j >= len(found[0]):
        return None
    return found[0][j]


def main():
    if len(sys.argv) != 2:
        print(__doc__, file=sys.stderr)
        return 2
    path = sys.argv[1]
    try:
        document = docx.Document(path)
    except Exception as e:  # noqa: BLE001 — any failure to open is reported as such
        print(f"✗ 无法读取 {path}：{e}", file=sys.stderr)
        return 2
    print(f"检查 {path}")

    # The narrative.
    paragraphs = [p.text for p in document.paragraphs]
    text = "\n".join(paragraphs)
    check(paragraphs[:2] == [UNIT, TITLE], "标题两行：单位名称、报告标题", repr(paragraphs[:2]))
    for sentence in SENTENCES:
        check(sentence in text, f"正文含“{sentence}”")

    # Each project in the narrative: its name, 执行率 and 总分.
    narrative = {}
    current = None
    for p in paragraphs:
        m = re.fullmatch(r"(\d+)、(.+)", p.strip())
        if m and int(m.group(1)) <= PROJECTS and "年度总体绩效目标" not in p:
            current = m.group(2)
            narrative[current] = [None, None]
        elif current:
            rate = re.search(r"预算执行率(\d+\.\d{2}%)", p)
            total = re.search(r"项目自评结果为“.”（总分(\d+\.\d{2})分）", p)
            if rate:
                narrative[current][0] = rate.group(1)
            if total:
                narrative[current][1] = total.group(1)
    check(len(narrative) == PROJECTS, f"正文分析 {PROJECTS} 个项目", f"找到 {len(narrative)} 个")
    for name, (rate, total) in KNOWN.items():
        check(narrative.get(name) == [rate, total], f"正文：{name} 执行率 {rate}、总分 {total}",
              repr(narrative.get(name)))

    # Each project's form: found by its 项目名称, the same 执行率 and 总分.
    all_forms = forms(document)
    check(len(all_forms) == PROJECTS + 1, f"附表 {PROJECTS + 1} 张（每个项目一张，另部门整体一张）",
          f"找到 {len(all_forms)} 张")
    for name, (rate, total) in narrative.items():
        form = next((f for f in all_forms if name_of(f["rows"]) == name), None)
        if not check(form is not None, f"附表：项目名称为“{name}”的表格"):
            continue
        rows = form["rows"]
        got_rate = value(rows, "年度资金总额", "执行率")
        got_total = value(rows, "总分", "得分")
        check(got_rate == rate, f"{form['caption']} {name}：执行率 {rate}", f"表中为 {got_rate}")
        check(got_total == total, f"{form['caption']} {name}：总分 {total}", f"表中为 {got_total}")

        # The indicator header row repeats on every page: marked, and first in its table.
        found = row_with(rows, "一级指标")
        if check(found is not None, f"{form['caption']} 有指标表头行（一级指标）"):
            _, table, tr = found
            tr_pr = tr.trPr
            marked = tr_pr is not None and tr_pr.find(qn("w:tblHeader")) is not None
            check(marked, f"{form['caption']} 指标表头行标记为重复标题行（tblHeader）")
            check(table.rows[0]._tr is tr, f"{form['caption']} 指标表头行是其表格的第一行")
    unit_form = all_forms[-1] if all_forms else None
    if check(unit_form is not None and unit_form["caption"] == "附表2", "附表2 部门整体支出绩效自评表"):
        got = value(unit_form["rows"], "年度资金总额", "执行率")
        check(got == "99.60%", "附表2：执行率 99.60%", f"表中为 {got}")

    # Sections: the narrative on A4 portrait, the forms on A4 landscape.
    sections = document.sections
    first = sections[0]
    check(abs(first.page_width.mm - 210) <= 1 and abs(first.page_height.mm - 297) <= 1
          and first.orientation == WD_ORIENT.PORTRAIT,
          "第一节 A4 纵向（210 × 297 mm）",
          f"{first.page_width.mm:.1f} × {first.page_height.mm:.1f} mm，{first.orientation}")
    check(abs(first.top_margin.mm - 37) <= 0.5 and abs(first.left_margin.mm - 28) <= 0.5
          and abs(first.bottom_margin.mm - 35) <= 0.5 and abs(first.right_margin.mm - 26) <= 0.5,
          "第一节页边距 上37 下35 左28 右26 mm（GB/T 9704）")
    landscape = [s for s in list(sections)[1:]
                 if s.orientation == WD_ORIENT.LANDSCAPE and s.page_width > s.page_height]
    check(len(landscape) >= 1, "其后有 A4 横向节（附表）",
          ", ".join(f"{s.page_width.mm:.0f}×{s.page_height.mm:.0f} {s.orientation}" for s in sections))

    # Page numbers “— n —” with a PAGE field, in every section.
    for i, section in enumerate(sections, 1):
        footer = section.footer
        footer_text = "".join(p.text for p in footer.paragraphs)
        check(footer_text.startswith("— ") and footer_text.endswith(" —")
              and "PAGE" in "".join(t.text or "" for t in footer._element.iter(qn("w:instrText"))),
              f"第{i}节页脚页码“— n —”含 PAGE 域", repr(footer_text))

    # Document properties.
    props = document.core_properties
    check(props.title == UNIT + TITLE, f"文档标题“{UNIT + TITLE}”", repr(props.title))
    check(props.author == "绩效自评", "文档作者“绩效自评”", repr(props.author))

    if failures:
        print(f"\n{len(failures)} 项检查未通过。", file=sys.stderr)
        return 1
    print("\n全部检查通过。")
    return 0


if __name__ == "__main__":
    sys.exit(main())
