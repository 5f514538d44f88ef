//! The forms (附表) as Word tables on A4 landscape pages.

use super::*;
// ---------------------------------------------------------------------------------
// The forms

/// A cell placed on the grid: rows `row..row + rows`, columns `col..col + cols`.
struct Placed<'a> {
    row: usize,
    col: usize,
    rows: usize,
    cols: usize,
    text: &'a str,
    label: bool,
    align: Align,
}

/// The form's cells on a grid of `rows × cols`, each position covered at most once.
/// A well-formed form passes unchanged; cells off the grid are dropped and overlaps
/// shrunk, so a malformed report still gives a valid table.
fn place(form: &Form) -> (usize, usize, Vec<Placed<'_>>, Vec<Vec<Option<usize>>>) {
    let extent = |start: usize, span: usize| start.saturating_add(span.max(1));
    let cols = if form.widths.is_empty() {
        form.cells
            .iter()
            .map(|c| extent(c.col, c.col_span))
            .filter(|&e| e <= MAX_COLS)
            .max()
            .unwrap_or(1)
    } else {
        form.widths.len()
    }
    .clamp(1, MAX_COLS);
    let rows = form
        .cells
        .iter()
        .map(|c| extent(c.row, 1))
        .filter(|&e| e <= MAX_ROWS)
        .chain(std::iter::once(form.rows.min(MAX_ROWS)))
        .max()
        .unwrap_or(0);
    let mut owner: Vec<Vec<Option<usize>>> = vec![vec![None; cols]; rows];
    let mut placed = Vec::new();
    for cell in &form.cells {
        if cell.row >= rows || cell.col >= cols || owner[cell.row][cell.col].is_some() {
            continue;
        }
        let max_rows = cell.row_span.clamp(1, rows - cell.row);
        let mut span = cell.col_span.clamp(1, cols - cell.col);
        // Shrink to the free part of the first row, then to the rows free over it.
        if let Some(k) = (cell.col..cell.col + span).position(|c| owner[cell.row][c].is_some()) {
            span = k.max(1);
        }
        let mut height = 1;
        while height < max_rows
            && owner[cell.row + height][cell.col..cell.col + span]
                .iter()
                .all(Option::is_none)
        {
            height += 1;
        }
        let index = placed.len();
        for line in &mut owner[cell.row..cell.row + height] {
            for slot in &mut line[cell.col..cell.col + span] {
                *slot = Some(index);
            }
        }
        placed.push(Placed {
            row: cell.row,
            col: cell.col,
            rows: height,
            cols: span,
            text: &cell.text,
            label: cell.label,
            align: cell.align,
        });
    }
    (rows, cols, placed, owner)
}

/// The caption, title and subtitle above a form, in twips (with room for the fonts'
/// line heights: 14, 18 and 12 pt at about 1.45 and their spacing).
const TITLE_BLOCK: u32 = 1700;
/// The rows that keep together at the end of a form that does not fit a page: 总分 and
/// 自评等级 (or 合计, 评价结论, 存在问题, 改进措施) with at least two rows before them.
const TAIL_ROWS: usize = 6;
/// A line of 小5号 text in a cell (9 pt at about 1.45), and a cell's top and bottom
/// padding, in twips.
const CELL_LINE: u64 = 265;
const CELL_PADDING: u64 = 60;
/// A cell's left and right margins together (Word's default, 0.08 in each).
const CELL_MARGINS: usize = 230;

/// Each row's height as laid out, estimated, in twips: the most lines of 小5号 text (a
/// Chinese character 9 pt wide, a Latin one half) in any of its one-row cells, or the
/// least height.
fn row_heights(placed: &[Placed<'_>], widths: &[usize], rows: usize) -> Vec<u32> {
    let mut heights = vec![ROW_HEIGHT; rows];
    for p in placed.iter().filter(|p| p.rows == 1) {
        let width: usize = widths[p.col..p.col + p.cols].iter().sum();
        let inner = width.saturating_sub(CELL_MARGINS).max(1) as u64;
        let lines: u64 = p
            .text
            .split('\n')
            .map(|line| {
                // 90 twips a half-character of 9 pt.
                let wide = crate::io::text_width(line) as u64 * 90;
                wide.div_ceil(inner).max(1)
            })
            .sum();
        let height = u32::try_from(lines * CELL_LINE + CELL_PADDING).unwrap_or(u32::MAX);
        heights[p.row] = heights[p.row].max(height);
    }
    heights
}

/// Column widths in twips, proportional to the form's, filling the text width.
fn column_widths(form: &Form, cols: usize) -> Vec<usize> {
    let weights: Vec<u64> = (0..cols)
        .map(|i| u64::from(form.widths.get(i).copied().unwrap_or(10).max(1)))
        .collect();
    let sum: u64 = weights.iter().sum();
    let total = u64::from(FORM_WIDTH);
    let mut widths: Vec<usize> = weights
        .iter()
        .map(|w| (total * w / sum.max(1)) as usize)
        .collect();
    let used: usize = widths.iter().sum();
    if let Some(last) = widths.last_mut() {
        *last += (total as usize).saturating_sub(used);
    }
    widths
}

/// `xml` followed by the forms as body content of `word/document.xml`: each form's
/// caption, title and subtitle, then its table (two when a header row is inside it).
///
/// Written directly, not through docx-rs: a unit of 1,000 projects has a quarter of a
/// million cells, and docx-rs's model and builder (a struct per cell, paragraph and
/// run, each child's XML copied into its parent's) took most of the export's time.
/// The markup is in the schema's order (no `schema::conform` needed), the header rows
/// carry `w:tblHeader` (docx-rs has no API for it), and it is as short as the same
/// layout allows, since every byte is deflated: a cell's paragraph names its style
/// ([`S_CELL`], or [`S_LABEL`] for a label, bold), its alignment only when not the
/// style's (centred), no run when it has no text, `xml:space="preserve"` only on text
/// with spaces, and no `w14:paraId` (an optional id Word adds itself; the narrative's
/// docx-rs gives one, made unique by `unique_para_ids`).
pub(super) fn write_forms(mut xml: String, forms: &[Form]) -> String {
    // About 230 bytes a cell (of a grid of at most 63 columns).
    let cells: usize = forms
        .iter()
        .map(|f| f.rows.min(MAX_ROWS) * f.widths.len().clamp(1, MAX_COLS))
        .sum();
    xml.reserve(cells.saturating_mul(230).min(1 << 30) + 4096);
    let mut body = Body { xml };
    for (i, form) in forms.iter().enumerate() {
        body.form(form, i > 0);
    }
    body.xml
}

/// The body's XML being written.
struct Body {
    xml: String,
}

impl Body {
    fn push(&mut self, s: &str) {
        self.xml.push_str(s);
    }

    /// A count or a length in twips, in decimal digits (`write!` took a tenth of the
    /// forms' time).
    fn number(&mut self, mut n: usize) {
        let mut digits = [0u8; 20];
        let mut at = digits.len();
        loop {
            at -= 1;
            digits[at] = b'0' + (n % 10) as u8;
            n /= 10;
            if n == 0 {
                break;
            }
        }
        for &d in &digits[at..] {
            self.xml.push(char::from(d));
        }
    }

    /// A paragraph above a form's table, in `style`, kept with the next, of one run of
    /// `text`.
    fn heading(&mut self, style: &str, page_break: bool, bold: bool, text: &str) {
        self.push("<w:p><w:pPr><w:pStyle w:val=\"");
        self.push(style);
        self.push("\" /><w:keepNext />");
        if page_break {
            self.push("<w:pageBreakBefore />");
        }
        self.push("</w:pPr>");
        self.run(bold, text);
        self.push("</w:p>");
    }

    /// A run of `text` (cleaned), if it has any: line breaks become breaks, tabs tabs
    /// (as `text_run`).
    fn run(&mut self, bold: bool, text: &str) {
        let cleaned = if text.chars().all(xml_char) {
            std::borrow::Cow::Borrowed(text)
        } else {
            std::borrow::Cow::Owned(clean(text))
        };
        if cleaned.is_empty() {
            return;
        }
        let text = if cleaned.contains('\r') {
            std::borrow::Cow::Owned(cleaned.replace("\r\n", "\n").replace('\r', "\n"))
        } else {
            cleaned
        };
        self.push(if bold {
            "<w:r><w:rPr><w:b /><w:bCs /></w:rPr>"
        } else {
            "<w:r>"
        });
        for (i, line) in text.split('\n').enumerate() {
            if i > 0 {
                self.push("<w:br w:type=\"textWrapping\" />");
            }
            for (j, piece) in line.split('\t').enumerate() {
                if j > 0 {
                    self.push("<w:tab />");
                }
                if piece.contains(' ') {
                    self.push("<w:t xml:space=\"preserve\">");
                } else if !piece.is_empty() {
                    self.push("<w:t>");
                } else {
                    continue;
                }
                self.escaped(piece);
                self.push("</w:t>");
            }
        }
        self.push("</w:r>");
    }

    /// Text escaped as docx-rs escapes it (the text has no line breaks here).
    fn escaped(&mut self, text: &str) {
        let mut done = 0;
        for (i, b) in text.bytes().enumerate() {
            let entity = match b {
                b'&' => "&amp;",
                b'<' => "&lt;",
                b'>' => "&gt;",
                b'"' => "&quot;",
                b'\'' => "&apos;",
                _ => continue,
            };
            self.xml.push_str(&text[done..i]);
            self.xml.push_str(entity);
            done = i + 1;
        }
        self.xml.push_str(&text[done..]);
    }

    /// A paragraph of 0.1 pt between the two tables of a form (see [`spacer`]).
    fn spacer(&mut self, keep_next: bool) {
        self.push("<w:p><w:pPr>");
        if keep_next {
            self.push("<w:keepNext />");
        }
        self.push(concat!(
            "<w:snapToGrid w:val=\"false\" />",
            "<w:spacing w:before=\"0\" w:after=\"0\" w:line=\"2\" w:lineRule=\"exact\" />",
            "<w:rPr><w:sz w:val=\"2\" /><w:szCs w:val=\"2\" /></w:rPr></w:pPr></w:p>"
        ));
    }

    fn form(&mut self, form: &Form, page_break: bool) {
        self.heading(S_CAPTION, page_break, false, &form.caption);
        self.heading(S_FORM_TITLE, false, true, &form.title);
        self.heading(S_FORM_SUBTITLE, false, false, &form.subtitle);

        let (rows, cols, placed, owner) = place(form);
        if rows == 0 {
            return;
        }
        let widths = column_widths(form, cols);
        // The rows that keep with the next: all of them when the form fits a page, else
        // the last few (never 总分 and 自评等级 alone on a page).
        let fits =
            TITLE_BLOCK + row_heights(&placed, &widths, rows).iter().sum::<u32>() <= FORM_HEIGHT;
        let keep_from = if fits {
            0
        } else {
            rows.saturating_sub(TAIL_ROWS)
        };
        let table = Table {
            placed: &placed,
            owner: &owner,
            widths: &widths,
            keep_from,
        };
        // Word repeats header rows only at the top of a table: a form with a header row
        // inside becomes two tables, the second starting with that row.
        match form.header_row {
            Some(h) if h > 0 && h < rows => {
                // The second table's top border draws the line between them.
                self.table(&table, 0..h, None, false);
                // A paragraph between them keeps Word from joining the two tables.
                self.spacer(fits);
                self.table(&table, h..rows, Some(h), true);
            }
            Some(0) => self.table(&table, 0..rows, Some(0), true),
            _ => self.table(&table, 0..rows, None, true),
        }
    }

    /// The rows `range` of a form as a table; `header` marks the row Word repeats;
    /// without a `bottom` border when another table follows.
    ///
    /// Pages that read well: no row breaks across pages (`w:cantSplit`), and the rows of
    /// the form from `keep_from` on keep with the next (their paragraphs' `w:keepNext`; a
    /// form's last row does not): a form that fits a page is laid out on one, and a
    /// longer one carries rows over with its 总分 and 自评等级 rather than leave them alone.
    fn table(
        &mut self,
        table: &Table<'_>,
        range: std::ops::Range<usize>,
        header: Option<usize>,
        bottom: bool,
    ) {
        let Table {
            placed,
            owner,
            widths,
            keep_from,
        } = *table;
        const LINE: &str = " w:val=\"single\" w:sz=\"4\" w:space=\"0\" w:color=\"000000\" />";
        self.push("<w:tbl><w:tblPr><w:tblW w:w=\"");
        self.number(widths.iter().sum());
        self.push("\" w:type=\"dxa\" /><w:jc w:val=\"center\" /><w:tblBorders><w:top");
        self.push(LINE);
        self.push("<w:left");
        self.push(LINE);
        if bottom {
            self.push("<w:bottom");
            self.push(LINE);
        } else {
            self.push("<w:bottom w:val=\"nil\" w:sz=\"2\" w:space=\"0\" w:color=\"000000\" />");
        }
        for side in ["<w:right", "<w:insideH", "<w:insideV"] {
            self.push(side);
            self.push(LINE);
        }
        self.push("</w:tblBorders><w:tblLayout w:type=\"fixed\" /></w:tblPr><w:tblGrid>");
        for &w in widths {
            self.push("<w:gridCol w:w=\"");
            self.number(w);
            self.push("\" />");
        }
        self.push("</w:tblGrid>");
        let last = owner.len().saturating_sub(1);
        for r in range.clone() {
            let keep = r >= keep_from && r < last;
            self.push("<w:tr><w:trPr><w:cantSplit /><w:trHeight w:val=\"");
            self.number(ROW_HEIGHT as usize);
            self.push("\" w:hRule=\"atLeast\" />");
            if header == Some(r) {
                self.push("<w:tblHeader />");
            }
            self.push("</w:trPr>");
            let mut c = 0;
            while c < widths.len() {
                let Some(p) = owner[r][c].and_then(|i| placed.get(i)) else {
                    self.cell("", false, Align::Center, widths[c], 1, None, keep);
                    c += 1;
                    continue;
                };
                let width: usize = widths[p.col..p.col + p.cols].iter().sum();
                // A merge that starts above this table starts again in its first row.
                let top = p.row.max(range.start);
                let bottom = (p.row + p.rows).min(range.end);
                if r == top {
                    let merge = (bottom - top > 1).then_some("restart");
                    self.cell(p.text, p.label, p.align, width, p.cols, merge, keep);
                } else {
                    let merge = Some("continue");
                    self.cell("", p.label, p.align, width, p.cols, merge, keep);
                }
                c = p.col + p.cols;
            }
            self.push("</w:tr>");
        }
        self.push("</w:tbl>");
    }

    /// A cell of one paragraph in the cell style (bold and shaded when a label).
    #[allow(clippy::too_many_arguments)]
    fn cell(
        &mut self,
        text: &str,
        label: bool,
        align: Align,
        width: usize,
        span: usize,
        merge: Option<&str>,
        keep: bool,
    ) {
        self.push("<w:tc><w:tcPr><w:tcW w:w=\"");
        self.number(width);
        self.push("\" w:type=\"dxa\" />");
        if span > 1 {
            self.push("<w:gridSpan w:val=\"");
            self.number(span);
            self.push("\" />");
        }
        if let Some(merge) = merge {
            self.push("<w:vMerge w:val=\"");
            self.push(merge);
            self.push("\" />");
        }
        if label {
            self.push("<w:shd w:val=\"clear\" w:color=\"auto\" w:fill=\"");
            self.push(LABEL_FILL);
            self.push("\" />");
        }
        self.push("<w:vAlign w:val=\"center\" /></w:tcPr><w:p><w:pPr><w:pStyle w:val=\"");
        self.push(if label { S_LABEL } else { S_CELL });
        self.push("\" />");
        if keep {
            self.push("<w:keepNext />");
        }
        match align {
            Align::Center => {}
            Align::Left => self.push("<w:jc w:val=\"left\" />"),
            Align::Right => self.push("<w:jc w:val=\"right\" />"),
        }
        self.push("</w:pPr>");
        self.run(false, text);
        self.push("</w:p></w:tc>");
    }
}

/// A form placed on its grid, for [`Body::table`].
#[derive(Clone, Copy)]
struct Table<'a> {
    placed: &'a [Placed<'a>],
    owner: &'a [Vec<Option<usize>>],
    widths: &'a [usize],
    keep_from: usize,
}

/// A paragraph of 0.1 pt at the end of the document (the body ends with a paragraph,
/// not a table); [`Body::spacer`] writes the same between two tables.
pub(super) fn spacer() -> Paragraph {
    Paragraph::new()
        .size(2)
        .snap_to_grid(false)
        .line_spacing(exact(2))
}
