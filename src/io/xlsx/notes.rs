//! A workbook this program exported: its 说明 sheet.
use super::*;

// ---------------------------------------------------------------------------------
// A workbook this program exported: its 说明 sheet

/// A cell's value, to tell whether a computed figure is still the one exported.
#[derive(Debug, Clone, PartialEq)]
pub(super) enum Raw {
    Num(Decimal),
    Text(String),
}

pub(super) fn raw(cell: Option<&Cell>) -> Option<Raw> {
    match &cell?.data {
        Data::Float(f) => dec_from_f64(*f).map(|d| Raw::Num(d.normalize())),
        Data::Int(i) => Some(Raw::Num(Decimal::from(*i))),
        Data::String(s) if !s.trim().is_empty() => Some(Raw::Text(s.trim().to_string())),
        _ => None,
    }
}

#[derive(Debug, Clone, Copy, PartialEq)]
pub(super) enum Column {
    Initial,
    Budget,
    Executed,
    Weight,
    Rate,
    Score,
}

/// What a computed cell is, as the 说明 sheet names it (行 × 栏目).
#[derive(Debug, Clone, Copy, PartialEq)]
pub(super) enum Role {
    Fund(FundKind, Column),
    /// 得分 of the indicator at this index (“第3项：…” is index 2).
    Indicator(usize),
    Total,
    Grade,
}

pub(super) fn role(row: &str, column: &str) -> Option<Role> {
    let row = norm(row);
    if let Some(rest) = row.strip_prefix('第') {
        let digits: String = rest.chars().take_while(char::is_ascii_digit).collect();
        if rest[digits.len()..].starts_with('项') {
            return digits
                .parse::<usize>()
                .ok()?
                .checked_sub(1)
                .map(Role::Indicator);
        }
    }
    if row == g::TOTAL {
        return Some(Role::Total);
    }
    if row == g::GRADE {
        return Some(Role::Grade);
    }
    let column = match norm(column).as_str() {
        g::INITIAL => Column::Initial,
        g::BUDGET => Column::Budget,
        g::EXECUTED => Column::Executed,
        g::WEIGHT => Column::Weight,
        g::RATE => Column::Rate,
        g::SCORE => Column::Score,
        _ => return None,
    };
    // The row as the export's layout labelled it (总额 in 四川's): any built-in profile's.
    Profile::all()
        .iter()
        .find_map(|p| fund_kind(p, &row))
        .map(|kind| Role::Fund(kind, column))
}

/// A computed figure that is still what the export wrote.
pub(super) fn is_marked(marks: &[(Role, Option<Raw>)], role: Role, value: Option<Raw>) -> bool {
    value.is_some_and(|v| {
        marks
            .iter()
            .any(|(r, m)| *r == role && m.as_ref() == Some(&v))
    })
}

pub(super) struct NoteProject {
    pub(super) sheet: String,
    pub(super) name: String,
    pub(super) deviation: String,
}

pub(super) struct NoteIndicator {
    pub(super) sheet: String,
    pub(super) index: Option<usize>,
    pub(super) name: String,
    pub(super) unit: String,
    pub(super) deduction: Figure,
    pub(super) deduction_reason: String,
    pub(super) typed_score: Figure,
    /// 一级指标, 二级指标 left empty.
    pub(super) empty: [bool; 2],
    /// 完成程度 chosen for a qualitative row.
    pub(super) band: String,
}

/// What the 说明 sheet of an export holds.
pub(super) struct Notes {
    /// The 说明 sheet's name.
    pub(super) sheet: String,
    /// (index into `report::NOTE_FIELDS`, text)
    pub(super) fields: Vec<(usize, String)>,
    pub(super) projects: Vec<NoteProject>,
    pub(super) indicators: Vec<NoteIndicator>,
    /// (sheet, what, the value exported; `None` when blank)
    pub(super) computed: Vec<(String, Role, Option<Raw>)>,
}

/// The 说明 sheet of this program's export, if the workbook has one (looked for among
/// the sheets whose name has 说明 in it, before the forms are read).
pub(super) fn find_notes(book: &mut Book<'_>, sheets: &[(String, SheetType)]) -> Option<Notes> {
    for (name, kind) in sheets {
        if *kind != SheetType::WorkSheet || !name.contains(ex::NOTES_SHEET) {
            continue;
        }
        let read = std::panic::catch_unwind(AssertUnwindSafe(|| book.read(name)));
        if let Some(notes) = read.ok().flatten().as_ref().and_then(read_notes) {
            return Some(notes);
        }
    }
    None
}

/// The rows of a table of the 说明 sheet: the header row holding `H_SHEET` and `other`,
/// the header's columns by label, and the rows right below it up to the first empty one.
pub(super) fn note_table<'a>(
    grid: &'a Grid,
    other: &str,
) -> Option<(Vec<u32>, impl Fn(&str) -> Option<u32> + 'a)> {
    let header = grid
        .cells
        .iter()
        .find(|((r, _), c)| c.key == ex::H_SHEET && grid.row_has(*r, |k| k == other))
        .map(|(p, _)| p.0)?;
    let mut rows = Vec::new();
    for r in grid.rows_after(header) {
        // (Rows are consecutive: the table ends at the first empty row.)
        if u64::from(r) != u64::from(header) + 1 + rows.len() as u64 {
            break;
        }
        rows.push(r);
    }
    Some((rows, move |label: &str| {
        grid.col_in_row(header, |k| k == label)
    }))
}

pub(super) fn read_notes(grid: &Grid) -> Option<Notes> {
    let mark = grid.find(|k| k == ex::MARK_LABEL)?;
    if !grid.value_right(mark).starts_with("绩效自评") {
        return None;
    }
    let text = |r: u32, c: Option<u32>| c.map_or_else(String::new, |c| grid.text((r, c)));
    let mut notes = Notes {
        sheet: grid.name.clone(),
        fields: Vec::new(),
        projects: Vec::new(),
        indicators: Vec::new(),
        computed: Vec::new(),
    };
    // A field's text is to the right of its label, continued on the rows below that
    // have no label.
    for (i, label) in crate::report::NOTE_FIELDS.iter().enumerate() {
        let key = norm(label);
        let Some((r, c)) = grid.find(|k| k == key) else {
            continue;
        };
        let mut value = grid.value_right((r, c));
        for next in r.saturating_add(1)..r.saturating_add(100) {
            let more = text(next, Some(c.saturating_add(1)));
            if more.is_empty() || !grid.text((next, c)).is_empty() {
                break;
            }
            value.push_str(&more);
        }
        notes.fields.push((i, value));
    }
    if let Some((rows, col)) = note_table(grid, ex::H_DEVIATION) {
        let (sheet, name, deviation) = (col(ex::H_SHEET), col(ex::H_PROJECT), col(ex::H_DEVIATION));
        for r in rows {
            let more = text(r, deviation);
            match notes.projects.last_mut() {
                Some(p) if text(r, sheet).is_empty() => p.deviation.push_str(&more),
                _ => notes.projects.push(NoteProject {
                    sheet: text(r, sheet),
                    name: text(r, name),
                    deviation: more,
                }),
            }
        }
    }
    let mut reading = Reading { grid, marks: &[] };
    if let Some((rows, col)) = note_table(grid, ex::H_EMPTY) {
        for r in rows {
            let figure = |reading: &mut Reading<'_>, label| {
                col(label).map_or(Figure::BLANK, |c| reading.number((r, c), Kind::Score))
            };
            let empty = text(r, col(ex::H_EMPTY));
            notes.indicators.push(NoteIndicator {
                sheet: text(r, col(ex::H_SHEET)),
                index: text(r, col(ex::H_INDEX))
                    .parse::<usize>()
                    .ok()
                    .and_then(|k| k.checked_sub(1)),
                name: text(r, col(ex::H_NAME)),
                unit: text(r, col(ex::H_UNIT)),
                deduction: figure(&mut reading, ex::H_DEDUCTION),
                deduction_reason: text(r, col(ex::H_DEDUCTION_REASON)),
                typed_score: figure(&mut reading, ex::H_TYPED),
                empty: [empty.contains("一级指标"), empty.contains("二级指标")],
                band: text(r, col(ex::H_BAND)),
            });
        }
    }
    if let Some((rows, col)) = note_table(grid, ex::H_VALUE) {
        for r in rows {
            let what = role(&text(r, col(ex::H_ROW)), &text(r, col(ex::H_COLUMN)));
            let value = col(ex::H_VALUE).and_then(|c| raw(grid.cell((r, c))));
            if let Some(what) = what {
                notes
                    .computed
                    .push((text(r, col(ex::H_SHEET)), what, value));
            }
        }
    }
    Some(notes)
}

impl Notes {
    /// The sheet name the notes know a project form by: its own, or — when it was
    /// renamed — the exported sheet of a project of the same name no longer in the book.
    pub(super) fn key(&self, grid: &Grid, names: &[String]) -> String {
        let known = |s: &str| {
            self.projects.iter().any(|p| p.sheet == s)
                || self.computed.iter().any(|(sheet, _, _)| sheet == s)
        };
        if known(&grid.name) {
            return grid.name.clone();
        }
        let name = project_name(grid);
        self.projects
            .iter()
            .find(|p| p.name == name && !names.contains(&p.sheet))
            .map_or_else(|| grid.name.clone(), |p| p.sheet.clone())
    }

    pub(super) fn marks(&self, sheet: &str) -> Vec<(Role, Option<Raw>)> {
        self.computed
            .iter()
            .filter(|(s, _, _)| s == sheet)
            .map(|(_, role, value)| (*role, value.clone()))
            .collect()
    }

    /// The project's fields that the form has no place for.
    pub(super) fn apply(&self, sheet: &str, project: &mut Project, inherited: &[[bool; 2]]) {
        if let Some(p) = self.projects.iter().find(|p| p.sheet == sheet) {
            project.deviation.clone_from(&p.deviation);
        }
        for note in self.indicators.iter().filter(|n| n.sheet == sheet) {
            let same = |i: usize| project.indicators[i].name.trim() == note.name.trim();
            let at = note
                .index
                .filter(|&i| i < project.indicators.len() && same(i))
                .or_else(|| (0..project.indicators.len()).find(|&i| same(i)));
            let Some(i) = at else { continue };
            let ind = &mut project.indicators[i];
            ind.unit.clone_from(&note.unit);
            ind.deduction = note.deduction.clone();
            ind.deduction_reason.clone_from(&note.deduction_reason);
            ind.band.clone_from(&note.band);
            if ind.typed_score.is_blank() {
                ind.typed_score = note.typed_score.clone();
            }
            let own_empty = inherited.get(i).copied().unwrap_or_default();
            if note.empty[0] && own_empty[0] {
                ind.level1.clear();
            }
            if note.empty[1] && own_empty[1] {
                ind.level2.clear();
            }
        }
    }
}
