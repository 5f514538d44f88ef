//! Elements in the schema's order.
//!
//! WordprocessingML's property elements are XML Schema sequences: the children of a
//! `w:pPr`, `w:rPr`, `w:tcPr`, `w:sectPr`… must come in one order. docx-rs writes some of
//! them in another (`w:sz` before `w:rFonts`, `w:rStyle` last, `w:shd` after `w:vAlign`,
//! `w:footerReference` after `w:pgSz`…), which Word's and the Open XML SDK's validators
//! reject (and which a strict reader may drop). So every part docx-rs writes passes
//! through [`conform`]: the children of each container below are put in the schema's
//! order (a stable sort by rank: elements it does not list keep their place at the end),
//! and what docx-rs adds that the schema does not allow is left out: `w:type` on
//! `w:gridCol`, and the empty `w:rPr` it writes in every `w:pPr` (a style's may not
//! hold one). Nothing else changes: text and every other element are
//! copied byte for byte. The orders are those of ECMA-376 Part 1 (transitional), wml.xsd.

/// A container element and its children in the schema's order.
const ORDERS: &[(&str, &[&str])] = &[
    (
        "w:rPr",
        &[
            "w:ins",
            "w:del",
            "w:moveFrom",
            "w:moveTo",
            "w:rStyle",
            "w:rFonts",
            "w:b",
            "w:bCs",
            "w:i",
            "w:iCs",
            "w:caps",
            "w:smallCaps",
            "w:strike",
            "w:dstrike",
            "w:outline",
            "w:shadow",
            "w:emboss",
            "w:imprint",
            "w:noProof",
            "w:snapToGrid",
            "w:vanish",
            "w:webHidden",
            "w:color",
            "w:spacing",
            "w:w",
            "w:kern",
            "w:position",
            "w:sz",
            "w:szCs",
            "w:highlight",
            "w:u",
            "w:effect",
            "w:bdr",
            "w:shd",
            "w:fitText",
            "w:vertAlign",
            "w:rtl",
            "w:cs",
            "w:em",
            "w:lang",
            "w:eastAsianLayout",
            "w:specVanish",
            "w:oMath",
        ],
    ),
    (
        "w:pPr",
        &[
            "w:pStyle",
            "w:keepNext",
            "w:keepLines",
            "w:pageBreakBefore",
            "w:framePr",
            "w:widowControl",
            "w:numPr",
            "w:suppressLineNumbers",
            "w:pBdr",
            "w:shd",
            "w:tabs",
            "w:suppressAutoHyphens",
            "w:kinsoku",
            "w:wordWrap",
            "w:overflowPunct",
            "w:topLinePunct",
            "w:autoSpaceDE",
            "w:autoSpaceDN",
            "w:bidi",
            "w:adjustRightInd",
            "w:snapToGrid",
            "w:spacing",
            "w:ind",
            "w:contextualSpacing",
            "w:mirrorIndents",
            "w:suppressOverlap",
            "w:jc",
            "w:textDirection",
            "w:textAlignment",
            "w:textboxTightWrap",
            "w:outlineLvl",
            "w:divId",
            "w:cnfStyle",
            "w:rPr",
            "w:sectPr",
            "w:pPrChange",
        ],
    ),
    (
        "w:tblPr",
        &[
            "w:tblStyle",
            "w:tblpPr",
            "w:tblOverlap",
            "w:bidiVisual",
            "w:tblStyleRowBandSize",
            "w:tblStyleColBandSize",
            "w:tblW",
            "w:jc",
            "w:tblCellSpacing",
            "w:tblInd",
            "w:tblBorders",
            "w:shd",
            "w:tblLayout",
            "w:tblCellMar",
            "w:tblLook",
            "w:tblCaption",
            "w:tblDescription",
        ],
    ),
    (
        "w:tcPr",
        &[
            "w:cnfStyle",
            "w:tcW",
            "w:gridSpan",
            "w:hMerge",
            "w:vMerge",
            "w:tcBorders",
            "w:shd",
            "w:noWrap",
            "w:tcMar",
            "w:textDirection",
            "w:tcFitText",
            "w:vAlign",
            "w:hideMark",
        ],
    ),
    (
        "w:sectPr",
        &[
            // headerReference and footerReference are one choice: the same rank.
            "w:headerReference|w:footerReference",
            "w:footnotePr",
            "w:endnotePr",
            "w:type",
            "w:pgSz",
            "w:pgMar",
            "w:paperSrc",
            "w:pgBorders",
            "w:lnNumType",
            "w:pgNumType",
            "w:cols",
            "w:formProt",
            "w:vAlign",
            "w:noEndnote",
            "w:titlePg",
            "w:textDirection",
            "w:bidi",
            "w:rtlGutter",
            "w:docGrid",
            "w:printerSettings",
        ],
    ),
    (
        "w:style",
        &[
            "w:name",
            "w:aliases",
            "w:basedOn",
            "w:next",
            "w:link",
            "w:autoRedefine",
            "w:hidden",
            "w:uiPriority",
            "w:semiHidden",
            "w:unhideWhenUsed",
            "w:qFormat",
            "w:locked",
            "w:personal",
            "w:personalCompose",
            "w:personalReply",
            "w:rsid",
            "w:pPr",
            "w:rPr",
            "w:tblPr",
            "w:trPr",
            "w:tcPr",
            "w:tblStylePr",
        ],
    ),
    ("w:docDefaults", &["w:rPrDefault", "w:pPrDefault"]),
    (
        "w:tblBorders",
        &[
            "w:top",
            "w:left|w:start",
            "w:bottom",
            "w:right|w:end",
            "w:insideH",
            "w:insideV",
        ],
    ),
    (
        "w:tcBorders",
        &[
            "w:top",
            "w:left|w:start",
            "w:bottom",
            "w:right|w:end",
            "w:insideH",
            "w:insideV",
            "w:tl2br",
            "w:tr2bl",
        ],
    ),
    (
        "w:tblCellMar",
        &["w:top", "w:left|w:start", "w:bottom", "w:right|w:end"],
    ),
    (
        "w:tcMar",
        &["w:top", "w:left|w:start", "w:bottom", "w:right|w:end"],
    ),
    (
        "w:settings",
        &[
            "w:writeProtection",
            "w:view",
            "w:zoom",
            "w:removePersonalInformation",
            "w:removeDateAndTime",
            "w:doNotDisplayPageBoundaries",
            "w:displayBackgroundShape",
            "w:printPostScriptOverText",
            "w:printFractionalCharacterWidth",
            "w:printFormsData",
            "w:embedTrueTypeFonts",
            "w:embedSystemFonts",
            "w:saveSubsetFonts",
            "w:saveFormsData",
            "w:mirrorMargins",
            "w:alignBordersAndEdges",
            "w:bordersDoNotSurroundHeader",
            "w:bordersDoNotSurroundFooter",
            "w:gutterAtTop",
            "w:hideSpellingErrors",
            "w:hideGrammaticalErrors",
            "w:activeWritingStyle",
            "w:proofState",
            "w:formsDesign",
            "w:attachedTemplate",
            "w:linkStyles",
            "w:stylePaneFormatFilter",
            "w:stylePaneSortMethod",
            "w:documentType",
            "w:mailMerge",
            "w:revisionView",
            "w:trackRevisions",
            "w:doNotTrackMoves",
            "w:doNotTrackFormatting",
            "w:documentProtection",
            "w:autoFormatOverride",
            "w:styleLockTheme",
            "w:styleLockQFSet",
            "w:defaultTabStop",
            "w:autoHyphenation",
            "w:consecutiveHyphenLimit",
            "w:hyphenationZone",
            "w:doNotHyphenateCaps",
            "w:showEnvelope",
            "w:summaryLength",
            "w:clickAndTypeStyle",
            "w:defaultTableStyle",
            "w:evenAndOddHeaders",
            "w:bookFoldRevPrinting",
            "w:bookFoldPrinting",
            "w:bookFoldPrintingSheets",
            "w:drawingGridHorizontalSpacing",
            "w:drawingGridVerticalSpacing",
            "w:displayHorizontalDrawingGridEvery",
            "w:displayVerticalDrawingGridEvery",
            "w:doNotUseMarginsForDrawingGridOrigin",
            "w:drawingGridHorizontalOrigin",
            "w:drawingGridVerticalOrigin",
            "w:doNotShadeFormData",
            "w:noPunctuationKerning",
            "w:characterSpacingControl",
            "w:printTwoOnOne",
            "w:strictFirstAndLastChars",
            "w:noLineBreaksAfter",
            "w:noLineBreaksBefore",
            "w:savePreviewPicture",
            "w:doNotValidateAgainstSchema",
            "w:saveInvalidXml",
            "w:ignoreMixedContent",
            "w:alwaysShowPlaceholderText",
            "w:doNotDemarcateInvalidXml",
            "w:saveXmlDataOnly",
            "w:useXSLTWhenSaving",
            "w:saveThroughXslt",
            "w:showXMLTags",
            "w:alwaysMergeEmptyNamespace",
            "w:updateFields",
            "w:hdrShapeDefaults",
            "w:footnotePr",
            "w:endnotePr",
            "w:compat",
            "w:docVars",
            "w:rsids",
            "m:mathPr",
            "w:attachedSchema",
            "w:themeFontLang",
            "w:clrSchemeMapping",
            "w:doNotIncludeSubdocsInStats",
            "w:doNotAutoCompressPictures",
            "w:forceUpgrade",
            "w:captions",
            "w:readModeInkLockDown",
            "w:smartTagType",
            "sl:schemaLibrary",
            "w:shapeDefaults",
            "w:doNotEmbedSmartTags",
            "w:decimalSymbol",
            "w:listSeparator",
        ],
    ),
];

/// The part with every container's children in the schema's order.
pub(super) fn conform(xml: &str) -> String {
    let mut out = String::with_capacity(xml.len());
    copy(xml, &mut out);
    out
}

/// The element's name: `w:pPr` of `<w:pPr>`, `</w:pPr>` or `<w:pPr w:x="1" />`.
fn name_of(tag: &str) -> &str {
    let inner = tag.trim_start_matches('<').trim_start_matches('/');
    let end = inner
        .find(|c: char| c.is_whitespace() || c == '>' || c == '/')
        .unwrap_or(inner.len());
    &inner[..end]
}

/// The rank of a child in a container's order; unlisted children after every listed one.
fn rank(order: &[&str], child: &str) -> usize {
    order
        .iter()
        .position(|names| names.split('|').any(|n| n == child))
        .unwrap_or(order.len())
}

/// Where the element whose start tag ends at `from` ends (after its end tag), or None
/// when the XML is cut short.
fn element_end(xml: &str, from: usize) -> Option<usize> {
    let mut depth = 1usize;
    let mut at = from;
    while depth > 0 {
        let open = at + xml[at..].find('<')?;
        let close = open + xml[open..].find('>')? + 1;
        let tag = &xml[open..close];
        if tag.starts_with("</") {
            depth -= 1;
        } else if !tag.ends_with("/>") && !tag.starts_with("<?") && !tag.starts_with("<!") {
            depth += 1;
        }
        at = close;
    }
    Some(at)
}

/// The child elements of a container's content, or None when it holds anything but
/// elements (text, or XML that does not parse): such content is copied unchanged.
fn children(inner: &str) -> Option<Vec<&str>> {
    let mut out = Vec::new();
    let mut at = 0;
    while at < inner.len() {
        let rest = &inner[at..];
        let start = rest.find('<')?;
        if !rest[..start].trim().is_empty() {
            return None;
        }
        let start = at + start;
        let tag_end = start + inner[start..].find('>')? + 1;
        let tag = &inner[start..tag_end];
        if tag.starts_with("</") || tag.starts_with("<?") || tag.starts_with("<!") {
            return None;
        }
        let end = if tag.ends_with("/>") {
            tag_end
        } else {
            element_end(inner, tag_end)?
        };
        out.push(&inner[start..end]);
        at = end;
        if inner[at..].trim().is_empty() {
            break;
        }
    }
    Some(out)
}

/// Copies `xml` to `out`, the containers' children in order, undeclared attributes out.
fn copy(xml: &str, out: &mut String) {
    let mut rest = xml;
    while let Some(open) = rest.find('<') {
        out.push_str(&rest[..open]);
        let Some(close) = rest[open..].find('>').map(|e| open + e + 1) else {
            break;
        };
        let tag = &rest[open..close];
        let name = name_of(tag);
        let container = ORDERS.iter().find(|(n, _)| *n == name).map(|(_, o)| *o);
        let whole = match container {
            Some(order) if !tag.starts_with("</") && !tag.ends_with("/>") => {
                element_end(rest, close).map(|end| (order, end))
            }
            _ => None,
        };
        let inner = whole.and_then(|(order, end)| {
            let end_tag = rest[..end].rfind("</")?;
            let mut kids: Vec<(usize, &str)> = children(&rest[close..end_tag])?
                .into_iter()
                .map(|child| (rank(order, name_of(child)), child))
                .collect();
            // Ranked once per child; most containers are in order already.
            if !kids.is_sorted_by_key(|&(rank, _)| rank) {
                kids.sort_by_key(|&(rank, _)| rank);
            }
            Some((kids, end_tag, end))
        });
        match inner {
            Some((kids, end_tag, end)) => {
                out.push_str(tag);
                for (_, child) in kids {
                    copy(child, out);
                }
                out.push_str(&rest[end_tag..end]);
                rest = &rest[end..];
            }
            None => {
                if name == "w:rPr" && tag.ends_with("/>") && !tag.contains('=') {
                    // docx-rs writes an empty w:rPr in every w:pPr, also in styles and
                    // defaults, whose w:pPr may not hold one (CT_PPrGeneral); it says
                    // nothing anywhere.
                } else if name == "w:gridCol" {
                    // docx-rs writes `w:type="dxa"`; CT_TblGridCol has only w:w (in twips).
                    out.push_str(&tag.replace(" w:type=\"dxa\"", ""));
                } else {
                    out.push_str(tag);
                }
                rest = &rest[close..];
            }
        }
    }
    out.push_str(rest);
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn orders_children_and_keeps_the_rest() {
        let xml = r#"<w:p><w:pPr><w:rPr /><w:rPr><w:sz w:val="21" /><w:rFonts w:eastAsia="宋体" /><w:b /></w:rPr><w:jc w:val="center" /><w:pStyle w:val="A" /></w:pPr><w:r><w:rPr><w:rStyle w:val="X" /><w:sz w:val="2" /></w:rPr><w:t xml:space="preserve">a &lt;w:b/&gt; b</w:t></w:r></w:p>"#;
        assert_eq!(
            conform(xml),
            r#"<w:p><w:pPr><w:pStyle w:val="A" /><w:jc w:val="center" /><w:rPr><w:rFonts w:eastAsia="宋体" /><w:b /><w:sz w:val="21" /></w:rPr></w:pPr><w:r><w:rPr><w:rStyle w:val="X" /><w:sz w:val="2" /></w:rPr><w:t xml:space="preserve">a &lt;w:b/&gt; b</w:t></w:r></w:p>"#
        );
        // Footer references before the page size; the grid column loses its w:type.
        assert_eq!(
            conform(
                r#"<w:sectPr><w:pgSz w:w="1" /><w:footerReference r:id="r1" /><w:headerReference r:id="r2" /></w:sectPr><w:gridCol w:w="9" w:type="dxa" />"#
            ),
            r#"<w:sectPr><w:footerReference r:id="r1" /><w:headerReference r:id="r2" /><w:pgSz w:w="1" /></w:sectPr><w:gridCol w:w="9" />"#
        );
        // Unlisted children keep their order, after the listed ones; text is untouched.
        assert_eq!(
            conform("<w:tcPr><w14:x /><w:vAlign /><w:tcW /></w:tcPr>"),
            "<w:tcPr><w:tcW /><w:vAlign /><w14:x /></w:tcPr>"
        );
        assert_eq!(conform("<w:rPr>text</w:rPr>"), "<w:rPr>text</w:rPr>");
        // XML cut short is copied, not lost.
        assert_eq!(
            conform("<w:pPr><w:jc /><w:pStyle"),
            "<w:pPr><w:jc /><w:pStyle"
        );
    }
}
