"""The exported report and workbook as an office suite lays them out.

LibreOffice (headless, as 统信UOS and 麒麟 users have it) turns the .docx and the .xlsx
into PDF; PyMuPDF reads where every line of text landed, and this checks the pages a
reader will see (issue 12):

- the narrative: full lines of 27–28 characters (counting a Latin letter or digit as
  half), 22 lines a page, and its last page holding more than the signature;
- page numbers “— n —” in 4号 (14 pt): n = the page, odd pages at the right and even
  pages at the left, one character in from the text block;
- the forms: no number or percentage split over two lines, no label leaving one
  character on a line, no page that holds only a form's 总分/自评等级 rows, and every
  form that fits a page on one page;
- the workbook: every figure of its cells on one line, none shown as “###”.

It leaves PNGs of sample pages in the output directory for a person to look at.

Usage: render.py OUT_DIR REPORT.docx [REPORT.docx…] WORKBOOK.xlsx
"""

import os
import re
import subprocess
import sys
import tempfile
import zipfile

import pymupdf

FAILURES = []


def check(name, ok, detail=""):
    print(("  ✓ " if ok else "  ✗ ") + name + ("" if ok else "：" + str(detail)[:600]))
    if not ok:
        FAILURES.append(name)


def to_pdf(path, out_dir):
    """The file converted by LibreOffice, in out_dir."""
    with tempfile.TemporaryDirectory() as home:
        subprocess.run(
            ["soffice", "--headless", "--norestore", "--convert-to", "pdf", "--outdir", out_dir, path],
            env=dict(os.environ, HOME=home),
            check=True,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            timeout=300,
        )
    pdf = os.path.join(out_dir, os.path.splitext(os.path.basename(path))[0] + ".pdf")
    if not os.path.exists(pdf):
        raise SystemExit("LibreOffice did not convert " + path)
    return pymupdf.open(pdf)


def lines_of(page):
    """The page's lines: (x0, y0, x1, y1, text, size, bold), top to bottom."""
    out = []
    for block in page.get_text("dict")["blocks"]:
        for line in block.get("lines", []):
            spans = [s for s in line["spans"] if s["text"].strip()]
            if not spans:
                continue
            text = "".join(s["text"] for s in line["spans"]).strip()
            x0, y0, x1, y1 = line["bbox"]
            bold = any("Bold" in s["font"] or s["flags"] & 16 for s in spans)
            out.append((x0, y0, x1, y1, text, max(s["size"] for s in spans), bold))
    out.sort(key=lambda l: (round(l[1]), l[0]))
    return out


def width_in_characters(text):
    """A Chinese character is one, ASCII half of one."""
    return sum(0.5 if ord(c) < 128 else 1 for c in text if c != " ")


PAGE_NUMBER = re.compile(r"^—\s*(\d+)\s*—$")
MM = 72 / 25.4
NUMBER = re.compile(r"^[-+]?\d[\d,]*(\.\d+)?%?$")


def page_number(lines):
    found = [l for l in lines if PAGE_NUMBER.match(l[4])]
    return found[-1] if found else None


def check_page_numbers(doc, label):
    """Every page numbered n at its place: odd right, even left, one 14 pt character in."""
    wrong = []
    for i, page in enumerate(doc):
        n = i + 1
        found = page_number(lines_of(page))
        landscape = page.rect.width > page.rect.height
        left, right = (25 * MM, page.rect.width - 25 * MM) if landscape else (28 * MM, page.rect.width - 26 * MM)
        if not found:
            wrong.append(f"第{n}页没有页码")
            continue
        x0, _, x1, _, text, size, _ = found
        if int(PAGE_NUMBER.match(text).group(1)) != n or abs(size - 14) > 0.5:
            wrong.append(f"第{n}页页码为“{text}”（{size:.1f}pt）")
        elif n % 2 and abs(x1 - (right - 14)) > 3:
            wrong.append(f"第{n}页（奇数）页码右端在 {x1:.1f}，应在 {right - 14:.1f}")
        elif not n % 2 and abs(x0 - (left + 14)) > 3:
            wrong.append(f"第{n}页（偶数）页码左端在 {x0:.1f}，应在 {left + 14:.1f}")
    check(f"{label}：{doc.page_count} 页都有页码“— n —”（4号），单页居右、双页居左，空一字", not wrong, wrong)


def narrative_pages(doc):
    return [p for p in doc if p.rect.width < p.rect.height]


def check_narrative(doc, label):
    pages = narrative_pages(doc)
    left, right = 28 * MM, pages[0].rect.width - 26 * MM if pages else 0
    full, short, counts, crowded, chinese, before_figure = 0, [], set(), [], 0, 0
    for n, page in enumerate(pages, 1):
        body = [l for l in lines_of(page) if not PAGE_NUMBER.match(l[4]) and abs(l[5] - 16) < 0.6]
        baselines = sorted({round(l[3]) for l in body})
        if len(baselines) > 22:
            crowded.append(f"第{n}页 {len(baselines)} 行")
        for k, (x0, _, x1, _, text, _, _) in enumerate(body):
            # A full line starts at the left margin and reaches the right one.
            # Lines of Chinese alone are counted (with figures in them, the figures'
            # widths and the space around them vary with the font).
            if abs(x0 - left) < 2 and x1 > right - 12:
                full += 1
                if any(ord(c) < 128 for c in text):
                    continue
                # (Fewer when the next line starts with a figure that does not fit.)
                figure_next = k + 1 < len(body) and re.match(r"^[\w.%]", body[k + 1][4], re.ASCII)
                if figure_next and len(text) < 27:
                    before_figure += 1
                    continue
                chinese += 1
                counts.add(len(text))
                if not 27 <= len(text) <= 28:
                    short.append(f"第{n}页“{text}”（{len(text)} 字）")
    check(
        f"{label}：正文满行 {full} 行，其中纯中文 {chinese} 行都是 27–28 字（{'、'.join(map(str, sorted(counts)))} 字；"
        f"另有 {before_figure} 行因下一行开头的数字放不下而较短）",
        chinese > 20 and not short,
        short[:5],
    )
    check(f"{label}：正文每页不超过 22 行", not crowded, crowded)
    if pages:
        last = [l for l in lines_of(pages[-1]) if not PAGE_NUMBER.match(l[4])]
        check(f"{label}：正文末页不只有落款（{len(last)} 行）", len(last) >= 5, [l[4] for l in last])
    return len(pages)


def table_numbers(path):
    """The figures of the document's table cells (amounts, rates, scores)."""
    with zipfile.ZipFile(path) as z:
        xml = z.read("word/document.xml").decode()
    cells = re.findall(r"<w:tc>.*?</w:tc>", xml)
    texts = ["".join(re.findall(r"<w:t[^>]*>([^<]*)</w:t>", c)) for c in cells]
    return {t for t in texts if NUMBER.match(t) and len(t) >= 3}


def check_whole(numbers, doc, pages, label):
    """Every figure is found whole within one line of the pages."""
    whole = set()
    for page in pages:
        for l in lines_of(doc[page]):
            whole.update(re.findall(r"[-+]?\d[\d,]*(?:\.\d+)?%?", l[4]))
    missing = sorted(n for n in numbers if n not in whole)
    check(f"{label}：{len(numbers)} 个数字与百分比都完整地在一行上", numbers and not missing, missing[:8])


def check_forms(doc, label, first_form_page):
    pages = [p for p in doc if p.rect.width > p.rect.height]
    orphans, lonely = [], []
    spans_by_form = {}
    caption = None
    for k, page in enumerate(pages):
        n = first_form_page + k
        lines = [l for l in lines_of(page) if not PAGE_NUMBER.match(l[4])]
        for l in lines:
            if re.match(r"^附表\d", l[4]) and l[1] < 100:
                caption = l[4]
        spans_by_form.setdefault(caption, []).append(n)
        for a in lines:
            if a[6] and len(a[4]) == 1 and re.match(r"[\u4e00-\u9fff）)]", a[4]):
                above = [b for b in lines if b[6] and -2 < a[1] - b[3] < 8 and abs((b[0] + b[2]) / 2 - (a[0] + a[2]) / 2) < 30]
                if above:
                    orphans.append(f"第{n}页“{above[0][4]}”/“{a[4]}”")
        # A page holding only a form's tail: its lines are the repeated header, 总分,
        # 自评等级 and what stands in their rows.
        tail = [l for l in lines if l[4] in ("总分", "自评等级", "合计", "评价结论")]
        if tail and not any(re.match(r"^附表\d", l[4]) for l in lines):
            top = min(l[1] for l in tail)
            header = [l for l in lines if l[4] in ("一级指标", "三级指标")]
            header_bottom = max((l[3] for l in header), default=0)
            between = [l for l in lines if header_bottom + 1 < l[1] < top - 1 and l[4] not in ("绩效指标",)]
            if not between:
                lonely.append(f"第{n}页只有{'、'.join(l[4] for l in tail)}")
    check(f"{label}：附表标签不留单字一行", not orphans, orphans[:6])
    check(f"{label}：没有只剩总分/自评等级的附表页", not lonely, lonely)
    return spans_by_form


def check_docx(path, out_dir, fit_one_page):
    label = os.path.basename(path)
    doc = to_pdf(path, out_dir)
    print(f"{label}：{doc.page_count} 页")
    narrative = check_narrative(doc, label)
    check_page_numbers(doc, label)
    forms = check_forms(doc, label, narrative + 1)
    check_whole(table_numbers(path), doc, range(narrative, doc.page_count), label + " 附表")
    several = {c: p for c, p in forms.items() if len(p) > 1}
    print("      附表页：" + "，".join(f"{c} {p[0]}–{p[-1]}" if len(p) > 1 else f"{c} {p[0]}" for c, p in forms.items()))
    if fit_one_page is not None:
        wrong = [c for c in fit_one_page if c in several]
        check(f"{label}：放得下一页的附表各在一页上（{'、'.join(fit_one_page)}）", not wrong, wrong)
    stem = os.path.splitext(label)[0]
    samples = sorted({0, 1, narrative - 1, narrative, doc.page_count - 1})
    for i in samples:
        if 0 <= i < doc.page_count:
            doc[i].get_pixmap(dpi=70).save(os.path.join(out_dir, f"{stem}-p{i + 1}.png"))
    return doc


def check_xlsx(path, out_dir):
    label = os.path.basename(path)
    doc = to_pdf(path, out_dir)
    print(f"{label}：{doc.page_count} 页")
    with zipfile.ZipFile(path) as z:
        strings = z.read("xl/sharedStrings.xml").decode() if "xl/sharedStrings.xml" in z.namelist() else ""
    numbers = {t for t in re.findall(r"<t[^>]*>([^<]*)</t>", strings) if NUMBER.match(t) and len(t) >= 3}
    check_whole(numbers, doc, range(doc.page_count), label)
    # A number too wide for its column is shown as “###” (Calc never wraps a number).
    hashes = [l[4] for page in doc for l in lines_of(page) if "##" in l[4]]
    check(f"{label}：没有因列宽不够显示为 ### 的数字", not hashes, hashes[:5])
    stem = os.path.splitext(label)[0]
    doc[0].get_pixmap(dpi=70).save(os.path.join(out_dir, f"{stem}-p1.png"))


def main():
    out_dir, *files = sys.argv[1:]
    os.makedirs(out_dir, exist_ok=True)
    for f in files:
        if f.endswith(".docx"):
            # The seed's forms each fit a landscape page but 附表1-7 (16 indicators).
            fits = [f"附表1-{i}" for i in range(1, 10) if i != 7] + ["附表2"] if "central" in os.path.basename(f) else None
            check_docx(f, out_dir, fits)
        else:
            check_xlsx(f, out_dir)
    print(f"样张：{out_dir}/*.png")
    if FAILURES:
        print(f"{len(FAILURES)} 项未通过")
        sys.exit(1)


if __name__ == "__main__":
    main()
