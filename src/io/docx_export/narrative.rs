//! The narrative (自评工作总结) on A4 portrait pages by GB/T 9704-2012.

use super::*;
// ---------------------------------------------------------------------------------
// The narrative

pub(super) fn portrait_margin() -> PageMargin {
    PageMargin::new()
        .top(TOP as i32)
        .bottom(BOTTOM as i32)
        .left(LEFT as i32)
        .right(RIGHT as i32)
        .header(mm(15) as i32)
        .footer(FOOTER as i32)
        .gutter(0)
}

/// 22 lines a page (the 28 characters a line are the styles' character spacing).
pub(super) fn grid() -> DocGrid {
    DocGrid::new()
        .grid_type(DocGridType::Lines)
        .line_pitch(LINE_PITCH as usize)
}

pub(super) fn narrative(blocks: &[Block]) -> Vec<Paragraph> {
    let signatures = signature_indents(blocks);
    let with_signature = kept_with_signature(blocks);
    let mut out = Vec::with_capacity(blocks.len());
    for (i, block) in blocks.iter().enumerate() {
        let p = match block {
            Block::Title(t) => {
                let p = para(S_TITLE, t).keep_next(true);
                // A blank line after the title block.
                if matches!(blocks.get(i + 1), Some(Block::Title(_)) | None) {
                    p
                } else {
                    p.line_spacing(exact(LINE_PITCH).after(LINE_PITCH))
                }
            }
            Block::Salutation(t) => para(S_PLAIN, t),
            Block::Heading1(t) => para(S_HEADING1, t).keep_next(true),
            Block::Heading2(t) => para(S_HEADING2, t).keep_next(true),
            Block::Heading3(t) => para(S_HEADING3, t).keep_next(true),
            Block::Paragraph(t) => para(S_BODY, t),
            Block::Signature(t) => {
                let (right, first) = signatures.get(&i).copied().unwrap_or((0, false));
                let p = para(S_PLAIN, t).align(AlignmentType::Right).indent(
                    None,
                    None,
                    Some(right),
                    None,
                );
                // A blank line between the text and the signature.
                let p = if first {
                    p.line_spacing(exact(LINE_PITCH).before(LINE_PITCH))
                } else {
                    p
                };
                p.keep_next(matches!(blocks.get(i + 1), Some(Block::Signature(_))))
            }
        };
        if with_signature[i] {
            // At least two lines of the text go with the signature (and the attachment
            // note between them): no page holds only those.
            out.push(p.keep_next(true).widow_control(true));
        } else {
            // Chinese official documents keep every page's 22 lines: no widow control.
            out.push(p.widow_control(false));
        }
    }
    out
}

/// The blocks that stay on the signature's page: walking back from it, up to two lines
/// of text (an attachment note “附表：…”/“附件：…” and headings do not count).
pub(super) fn kept_with_signature(blocks: &[Block]) -> Vec<bool> {
    let mut keep = vec![false; blocks.len()];
    let Some(signature) = blocks.iter().position(|b| matches!(b, Block::Signature(_))) else {
        return keep;
    };
    let mut lines = 0;
    for i in (0..signature).rev() {
        match &blocks[i] {
            Block::Title(_) => break,
            Block::Paragraph(t) if !(t.starts_with("附表") || t.starts_with("附件")) => {
                // 28 characters a line, the first indented by two.
                let characters = half_width(t) / 2 + 2;
                lines += ((characters + 27) / 28).min(2);
            }
            _ => {}
        }
        keep[i] = true;
        if lines >= 2 {
            break;
        }
    }
    keep
}

/// Width of a text in half-characters, its ends trimmed.
fn half_width(text: &str) -> i64 {
    crate::io::text_width(text.trim()) as i64
}

/// The right indent (twips) of each signature line, and whether it opens the block.
///
/// GB/T 9704-2012 §7.3.5.2 (no seal): the unit name two characters from the right,
/// the date below it starting two characters right of the name's first character; a
/// date longer than that keeps two characters from the right and the name moves left.
pub(super) fn signature_indents(blocks: &[Block]) -> std::collections::HashMap<usize, (i32, bool)> {
    let twips = |half: i64| (half.max(0) as f64 * HALF_CHAR).round() as i32;
    let mut out = std::collections::HashMap::new();
    let mut i = 0;
    while i < blocks.len() {
        if !matches!(blocks[i], Block::Signature(_)) {
            i += 1;
            continue;
        }
        let start = i;
        while i < blocks.len() && matches!(blocks[i], Block::Signature(_)) {
            i += 1;
        }
        let group = &blocks[start..i];
        match group {
            [Block::Signature(name), Block::Signature(date)] => {
                let (wn, wd) = (half_width(name), half_width(date));
                let (name_right, date_right) = if wn - wd >= 4 {
                    (4, wn - wd)
                } else {
                    (8 + wd - wn, 4)
                };
                out.insert(start, (twips(name_right), true));
                out.insert(start + 1, (twips(date_right), false));
            }
            _ => {
                for k in start..i {
                    out.insert(k, (twips(4), k == start));
                }
            }
        }
    }
    out
}

/// “— n —” in 4号宋体 with a PAGE field (GB/T 9704 §7.5): on odd pages at the right, on
/// even pages at the left, one character (of 4号, 14 pt) in from the text block's edge.
pub(super) fn page_number_footer(odd: bool) -> Footer {
    const ONE_CHARACTER: i32 = 280;
    let page = Run::new()
        .add_field_char(FieldCharType::Begin, false)
        .add_instr_text(InstrText::PAGE(InstrPAGE::new()))
        .add_field_char(FieldCharType::Separate, false)
        .add_text("1")
        .add_field_char(FieldCharType::End, false);
    let (align, left, right) = if odd {
        (AlignmentType::Right, 0, ONE_CHARACTER)
    } else {
        (AlignmentType::Left, ONE_CHARACTER, 0)
    };
    Footer::new().add_paragraph(
        Paragraph::new()
            .style(S_PAGE_NUMBER)
            .align(align)
            .indent(Some(left), None, Some(right), None)
            .add_run(Run::new().add_text("— "))
            .add_run(page)
            .add_run(Run::new().add_text(" —")),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn two_lines_of_text_go_with_the_signature() {
        let blocks = vec![
            Block::Paragraph("长".repeat(80)),
            Block::Paragraph("项目自评结果为“优”。".into()),
            Block::Heading1("三、下一步工作措施".into()),
            Block::Paragraph("（待填写）".into()),
            Block::Paragraph("附表：1、项目支出绩效自评表".into()),
            Block::Signature("兰州新区应急管理局".into()),
        ];
        assert_eq!(
            kept_with_signature(&blocks),
            [false, true, true, true, true, false]
        );
        let long = vec![
            Block::Paragraph("长".repeat(80)),
            Block::Signature("兰州新区应急管理局".into()),
        ];
        assert_eq!(kept_with_signature(&long), [true, false]);
    }

    #[test]
    fn signature_follows_gbt_9704() {
        let blocks = vec![
            Block::Paragraph("正文".into()),
            Block::Signature("兰州新区应急管理局".into()),
            Block::Signature("2023年3月15日".into()),
        ];
        let s = signature_indents(&blocks);
        // The name (9 characters) is 2 characters from the right; the date (6½
        // characters wide) starts 2 characters right of the name.
        assert_eq!(s[&1], ((4.0 * HALF_CHAR).round() as i32, true));
        assert_eq!(s[&2], ((5.0 * HALF_CHAR).round() as i32, false));
    }
}
