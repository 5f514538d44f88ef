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

pub(super) fn add_form(mut docx: Docx, form: &Form, page_break: bool) -> Docx {
    let caption = para(S_CAPTION, &form.caption)
        .page_break_before(page_break)
        .keep_next(true);
    let title = Paragraph::new()
        .style(S_FORM_TITLE)
        .keep_next(true)
        .add_run(text_run(Run::new().bold(), &form.title));
    let subtitle = para(S_FORM_SUBTITLE, &form.subtitle).keep_next(true);
    docx = docx
        .add_paragraph(caption)
        .add_paragraph(title)
        .add_paragraph(subtitle);

    let (rows, cols, placed, owner) = place(form);
    if rows == 0 {
        return docx;
    }
    let widths = column_widths(form, cols);
    // The rows that keep with the next: all of them when the form fits a page, else
    // the last few (never 总分 and 自评等级 alone on a page).
    let fits = TITLE_BLOCK + row_heights(&placed, &widths, rows).iter().sum::<u32>() <= FORM_HEIGHT;
    let keep_from = if fits {
        0
    } else {
        rows.saturating_sub(TAIL_ROWS)
    };
    // Word repeats header rows only at the top of a table: a form with a header row
    // inside becomes two tables, the second starting with that row.
    match form.header_row {
        Some(h) if h > 0 && h < rows => {
            // The second table's top border draws the line between them.
            let before = table(&placed, &owner, &widths, 0..h, None, keep_from).set_border(
                TableBorder::new(TableBorderPosition::Bottom).border_type(BorderType::Nil),
            );
            let after = table(&placed, &owner, &widths, h..rows, Some(h), keep_from);
            // A paragraph between them keeps Word from joining the two tables.
            docx.add_table(before)
                .add_paragraph(spacer().keep_next(fits))
                .add_table(after)
        }
        Some(0) => docx.add_table(table(&placed, &owner, &widths, 0..rows, Some(0), keep_from)),
        _ => docx.add_table(table(&placed, &owner, &widths, 0..rows, None, keep_from)),
    }
}

/// A paragraph of 0.1 pt: between two tables (so that they stay two, and the frame
/// shows no gap), and at the end of the document.
pub(super) fn spacer() -> Paragraph {
    Paragraph::new()
        .size(2)
        .snap_to_grid(false)
        .line_spacing(exact(2))
}

fn borders() -> TableBorders {
    let line = |p| TableBorder::new(p).size(4).color("000000");
    TableBorders::new()
        .set(line(TableBorderPosition::Top))
        .set(line(TableBorderPosition::Left))
        .set(line(TableBorderPosition::Bottom))
        .set(line(TableBorderPosition::Right))
        .set(line(TableBorderPosition::InsideH))
        .set(line(TableBorderPosition::InsideV))
}

/// The rows `range` of a form as a table; `header` marks the row Word repeats.
///
/// Pages that read well: no row breaks across pages (`w:cantSplit`), and the rows of
/// the form from `keep_from` on keep with the next (their paragraphs' `w:keepNext`; a
/// form's last row does not): a form that fits a page is laid out on one, and a longer
/// one carries rows over with its 总分 and 自评等级 rather than leave them alone.
fn table(
    placed: &[Placed<'_>],
    owner: &[Vec<Option<usize>>],
    widths: &[usize],
    range: std::ops::Range<usize>,
    header: Option<usize>,
    keep_from: usize,
) -> Table {
    let last = owner.len().saturating_sub(1);
    let mut rows = Vec::with_capacity(range.len());
    for r in range.clone() {
        let keep = r >= keep_from && r < last;
        let mut cells = Vec::new();
        let mut c = 0;
        while c < widths.len() {
            let Some(p) = owner[r][c].and_then(|i| placed.get(i)) else {
                cells.push(form_cell("", false, Align::Center, widths[c], 1, keep));
                c += 1;
                continue;
            };
            let width: usize = widths[p.col..p.col + p.cols].iter().sum();
            // A merge that starts above this table starts again in its first row.
            let top = p.row.max(range.start);
            let bottom = (p.row + p.rows).min(range.end);
            let mut cell = if r == top {
                let cell = form_cell(p.text, p.label, p.align, width, p.cols, keep);
                if bottom - top > 1 {
                    cell.vertical_merge(VMergeType::Restart)
                } else {
                    cell
                }
            } else {
                form_cell("", p.label, p.align, width, p.cols, keep)
                    .vertical_merge(VMergeType::Continue)
            };
            if p.label {
                cell = cell.shading(
                    Shading::new()
                        .shd_type(ShdType::Clear)
                        .color("auto")
                        .fill(LABEL_FILL),
                );
            }
            cells.push(cell);
            c = p.col + p.cols;
        }
        // Header rows are marked by their height: `mark_header_rows` adds tblHeader.
        let height = if header == Some(r) {
            HEADER_ROW_HEIGHT
        } else {
            ROW_HEIGHT
        };
        let row = TableRow::new(cells)
            .row_height(height as f32)
            .height_rule(HeightRule::AtLeast)
            .cant_split();
        rows.push(row);
    }
    Table::new(rows)
        .set_grid(widths.to_vec())
        .layout(TableLayoutType::Fixed)
        .width(widths.iter().sum(), WidthType::Dxa)
        .align(TableAlignmentType::Center)
        .set_borders(borders())
}

fn form_cell(
    text: &str,
    label: bool,
    align: Align,
    width: usize,
    span: usize,
    keep: bool,
) -> TableCell {
    let align = match align {
        Align::Center => AlignmentType::Center,
        Align::Left => AlignmentType::Left,
        Align::Right => AlignmentType::Right,
    };
    let run = if label { Run::new().bold() } else { Run::new() };
    let p = Paragraph::new()
        .style(S_CELL)
        .align(align)
        .keep_next(keep)
        .add_run(text_run(run, text));
    let mut cell = TableCell::new()
        .add_paragraph(p)
        .width(width, WidthType::Dxa)
        .vertical_align(VAlignType::Center);
    if span > 1 {
        cell = cell.grid_span(span);
    }
    cell
}
