//! Recognising the forms on a sheet and reading a project or the unit from them.
use super::*;

// ---------------------------------------------------------------------------------
// Recognising the forms

#[derive(Debug, PartialEq)]
pub(super) enum Form {
    None,
    Unit,
    Project,
}

/// A title: a short cell that contains `title`.
pub(super) fn is_title(key: &str, title: &str) -> bool {
    key.chars().count() <= 40 && key.contains(title)
}

pub(super) fn is_unit_name_label(key: &str) -> bool {
    matches!(
        key,
        "部门（单位）名称"
            | "单位名称"
            | "部门名称"
            | "预算单位名称"
            | "预算部门名称"
            | "预算部门、单位名称"
            | "预算部门（单位）名称"
    )
}

/// A heading label of a project form, `主管部门` or `实施单位`, as the forms write it:
/// alone, with its value after a colon, or (重庆) after 项目 (`项目主管部门`).
pub(super) fn is_heading_label(key: &str, label: &str) -> bool {
    let key = key.strip_prefix("项目").unwrap_or(key);
    key == label
        || key
            .strip_prefix(label)
            .is_some_and(|rest| rest.starts_with('：'))
}

/// 部门（单位）整体支出绩效自评表, 部门整体绩效自评表 — not a 填表说明 line about it.
pub(super) fn is_unit_title(key: &str) -> bool {
    is_title(key, "整体支出绩效自评表") || is_title(key, "整体绩效自评表")
}

pub(super) fn is_project_name_label(key: &str) -> bool {
    key == "项目名称" || (key.starts_with("项目名称：") && key.chars().count() <= 60)
}

pub(super) fn classify(grid: &Grid) -> Form {
    let has_blocks = || {
        grid.find(|k| grid.profile.is("fund.budget", k)).is_some()
            || grid.find(|k| grid.profile.is("ind.name", k)).is_some()
    };
    // “项目名称：…” in one cell counts when the sheet also has a form's blocks (a
    // 填表说明 sheet may start a line with it).
    let p = &*grid.profile;
    let project = grid
        .find(|k| k == "项目名称" || is_title(k, g::PROJECT_FORM) || p.is_title("project", k))
        .is_some()
        || (grid.find(is_project_name_label).is_some() && has_blocks());
    let unit = grid.find(is_unit_name_label).is_some();
    let has_project_name = grid.find(is_project_name_label).is_some();
    // The title names the unit form (重庆 writes 部门整体绩效自评表, with the unit in a
    // 项目名称 cell): a unit form whatever its other labels.
    if grid
        .find(|k| is_unit_title(k) || p.is_title("unit", k))
        .is_some()
        || (unit && !has_project_name)
    {
        Form::Unit
    } else if project {
        Form::Project
    } else {
        Form::None
    }
}

/// The year from “（2022年度）” or a title “2022年度…”.
pub(super) fn find_year(grid: &Grid) -> Option<i32> {
    grid.cells.values().find_map(|c| {
        if c.key.is_empty() || c.key.chars().count() > 60 {
            return None;
        }
        year_in(&c.key)
    })
}

pub(super) fn year_in(key: &str) -> Option<i32> {
    let chars: Vec<char> = key.chars().collect();
    for i in 4..chars.len() {
        if chars[i] == '年' && chars.get(i + 1) == Some(&'度') {
            let digits: String = chars[i - 4..i].iter().collect();
            if i >= 5 && chars[i - 5].is_ascii_digit() {
                continue;
            }
            if let Ok(y) = digits.parse::<i32>() {
                if (1990..=2100).contains(&y) {
                    return Some(y);
                }
            }
        }
    }
    None
}

// ---------------------------------------------------------------------------------
// The two forms

/// 项目名称, or the sheet's name.
pub(super) fn project_name(grid: &Grid) -> String {
    let name = grid
        .find(is_project_name_label)
        .map(|p| grid.value_right(p))
        .unwrap_or_default();
    if name.is_empty() {
        grid.name.trim().to_string()
    } else {
        name
    }
}

/// A project as read: the project, for each indicator whether its 一级/二级 cells were
/// empty (and the names taken from the row above), what was not found, and the
/// findings of the province's own figures.
pub(super) struct ProjectRead {
    pub(super) project: Project,
    pub(super) inherited: Vec<[bool; 2]>,
    pub(super) missing: Vec<Missing>,
    pub(super) findings: Vec<Finding>,
}

/// A project form: read when it has amounts or indicators (what is missing is said);
/// refused only when it has neither.
pub(super) fn read_project(
    grid: &Grid,
    marks: &[(Role, Option<Raw>)],
    warnings: &mut Vec<String>,
) -> Result<ProjectRead, Vec<Missing>> {
    let funds_layout = find_funds(grid);
    let indicator_layout = find_indicators(grid);
    let mut missing = Vec::new();
    let (funds_layout, indicator_layout) = match (funds_layout, indicator_layout) {
        (Err(f), Err(i)) => return Err(vec![f, i]),
        (f, i) => {
            let f = f.map_err(|e| missing.push(e)).ok();
            let i = i
                .map(|(layout, absent)| {
                    missing.extend(absent);
                    layout
                })
                .map_err(|e| missing.push(e))
                .ok();
            (f, i)
        }
    };

    let name = project_name(grid);
    let department = grid
        .find(|k| is_heading_label(k, "主管部门"))
        .map(|p| grid.value_right(p))
        .unwrap_or_default();
    let implementer = grid
        .find(|k| is_heading_label(k, "实施单位"))
        .map(|p| grid.value_right(p))
        .unwrap_or_default();

    let mut reading = Reading { grid, marks };
    let mut findings = Vec::new();
    let mut reasons = Vec::new();
    let (funds, execution_weight) = match &funds_layout {
        Some(layout) => {
            warnings.extend(guessed_yuan(grid, layout));
            let (mut funds, weight) = read_funds(&mut reading, layout);
            read_text_splits(grid, layout, &mut funds, &mut findings);
            reasons = read_fund_reasons(grid, layout);
            (funds, weight)
        }
        None => (Funds::default(), Figure::BLANK),
    };
    let mut inherited = Vec::new();
    let (indicators, end) = match &indicator_layout {
        Some(layout) => read_indicators(&mut reading, layout, &mut inherited),
        None => (Vec::new(), None),
    };
    // Weights per goal block only (湖北): the blocks' errors say it, row by row.
    if indicators
        .iter()
        .any(|i| crate::value::level_with_points(&i.level1).1.is_some())
    {
        missing.retain(|m| m.fields != ["ind.weight"]);
    }
    let score_col = indicator_layout.as_ref().and_then(|l| l.score);
    let header = indicator_layout.as_ref().map(|l| l.header_row);
    let total = read_total(&mut reading, end, score_col, header);
    let mut closing = read_closing(grid, end);
    // 四川's 评价结论 holding only a grade (优, 良…) is the grade typed on the form.
    let conclusion_grade = g::GRADES
        .contains(&closing.conclusion.trim())
        .then(|| std::mem::take(&mut closing.conclusion).trim().to_string());
    let grade = read_grade(grid)
        .or(conclusion_grade)
        .filter(|g| !is_marked(marks, Role::Grade, Some(Raw::Text(g.clone()))));
    let mut goal = read_goal(grid);
    if goal.expected.is_empty() {
        goal.expected = goal_blocks(grid);
    }

    let mut project = Project {
        name,
        department,
        implementer,
        funds,
        execution_weight,
        goal,
        indicators,
        // The fund rows' 原因 first, as the form has them, then the closing rows.
        deviation: reasons
            .into_iter()
            .chain(Some(closing.deviation()).filter(|d| !d.is_empty()))
            .collect::<Vec<_>>()
            .join("\n"),
        ..Project::default()
    };
    project.typed.total = total.unwrap_or_default();
    project.typed.grade = grade;
    Ok(ProjectRead {
        project,
        inherited,
        missing,
        findings,
    })
}

pub(super) fn read_unit(
    grid: &Grid,
    unit: &mut Unit,
    marks: &[(Role, Option<Raw>)],
    warnings: &mut Vec<String>,
    findings: &mut Vec<Finding>,
) -> Result<Vec<Missing>, Vec<Missing>> {
    let name = grid
        .find(|k| {
            is_unit_name_label(k)
                || ["部门（单位）名称：", "单位名称：", "部门名称："]
                    .iter()
                    .any(|l| k.starts_with(l))
        })
        .map(|p| grid.value_right(p))
        .filter(|n| !n.is_empty())
        .or_else(|| {
            // The unit named in a 项目名称 cell (重庆), else in its 项目主管部门 cell.
            grid.find(is_project_name_label)
                .map(|p| grid.value_right(p))
                .filter(|n| !n.is_empty())
        })
        .or_else(|| {
            grid.find(|k| is_heading_label(k, "主管部门"))
                .map(|p| grid.value_right(p))
        })
        .unwrap_or_default();
    let funds_layout = find_funds(grid);
    let tasks = read_tasks(grid);
    let goal = read_goal(grid);
    let indicator_layout = find_indicators(grid);
    if name.is_empty() && funds_layout.is_err() && tasks.is_empty() && goal == Goal::default() {
        let mut missing = vec![Missing {
            fields: vec!["unit.name"],
            near: None,
        }];
        if let Err(e) = funds_layout {
            missing.push(e);
        }
        return Err(missing);
    }
    let mut missing = Vec::new();
    // A unit form without a funds block is read (its budget is the projects' sum);
    // one with a funds block whose columns or rows were not found is said so.
    if let Err(e) = &funds_layout {
        if e.near.is_some() {
            missing.push(e.clone());
        }
    }
    match &indicator_layout {
        Ok((_, Some(absent))) => missing.push(absent.clone()),
        Err(e) if e.near.is_some() => missing.push(e.clone()),
        _ => {}
    }

    let mut reading = Reading { grid, marks };
    if let Ok(layout) = &funds_layout {
        warnings.extend(guessed_yuan(grid, layout));
        // (The unit's 分值 is not read yet: an export writes the rulebook's there.)
        let (mut funds, _weight) = read_funds(&mut reading, layout);
        read_text_splits(grid, layout, &mut funds, findings);
        // (No province's unit form has a 原因 column yet; a profile that gives one
        // keeps it in the unit's 偏差原因及改进措施.)
        for line in read_fund_reasons(grid, layout) {
            let text = &mut unit.narrative.deviation;
            if !text.is_empty() {
                text.push('\n');
            }
            text.push_str(&line);
        }
        // The projects' sum, as this program exported it for a unit without its own
        // funds block, and not changed since: still no funds block of its own.
        let rolled_up = marks.iter().any(|(role, _)| {
            matches!(
                role,
                Role::Fund(FundKind::Total, Column::Budget | Column::Executed)
            )
        });
        let blank = |r: &FundRow| {
            [
                &r.initial,
                &r.budget,
                &r.executed,
                &r.typed_rate,
                &r.typed_score,
            ]
            .iter()
            .all(|f| f.is_blank())
        };
        let rows = [
            &funds.fiscal,
            &funds.carryover,
            &funds.other,
            &funds.basic,
            &funds.project,
        ];
        let empty = blank(&funds.total) && rows.iter().all(|r| r.as_ref().is_none_or(blank));
        unit.funds = (!(rolled_up && empty)).then_some(funds);
    }
    // The unit form's own indicator block, and the 总分 after it.
    let indicator_layout = indicator_layout.ok().map(|(layout, _)| layout);
    let mut end = None;
    if let Some(layout) = &indicator_layout {
        let (indicators, last) = read_indicators(&mut reading, layout, &mut Vec::new());
        unit.indicators = indicators;
        end = last;
    }
    let score_col = indicator_layout.as_ref().and_then(|l| l.score);
    let header = indicator_layout.as_ref().map(|l| l.header_row);
    if end.is_some() || grid.find(|k| is_total_label(&grid.profile, k)).is_some() {
        unit.typed.total = read_total(&mut reading, end, score_col, header).unwrap_or_default();
    }
    unit.typed.grade = read_grade(grid);

    unit.name = name;
    unit.year = find_year(grid).into();
    unit.tasks = tasks;
    unit.goal = goal;
    Ok(missing)
}

/// 年度主要任务: rows under the 任务名称 / 主要内容 / 完成情况 header, until the next block.
pub(super) fn read_tasks(grid: &Grid) -> Vec<Task> {
    let Some(label) = grid.find(|k| k.starts_with("年度主要任务") || k == "主要任务")
    else {
        return Vec::new();
    };
    let is_name = |k: &str| k.starts_with("任务名称") || k == "任务";
    let Some((header_row, name_col)) = [label.0, label.0.saturating_add(1)]
        .into_iter()
        .find_map(|r| grid.col_in_row(r, is_name).map(|c| (r, c)))
    else {
        return Vec::new();
    };
    let content_col = grid.col_in_row(header_row, |k| {
        k.starts_with("主要内容") || k.starts_with("任务内容")
    });
    let completion_col = grid.col_in_row(header_row, |k| {
        k.starts_with("完成情况") || k.starts_with("实际完成情况") || k.starts_with("完成结果")
    });
    let mut tasks = Vec::new();
    for r in grid.rows_after(header_row) {
        // A text left of the task names is the next block's label.
        let ends = grid.row(r).any(|(col, cell)| {
            !cell.key.is_empty() && (is_block_label(&cell.key) || col < name_col)
        });
        if ends {
            break;
        }
        let text = |c: Option<u32>| c.map_or_else(String::new, |c| grid.text((r, c)));
        let task = Task {
            name: text(Some(name_col)),
            content: text(content_col),
            completion: text(completion_col),
        };
        if task.name.is_empty() && task.content.is_empty() && task.completion.is_empty() {
            continue;
        }
        tasks.push(task);
    }
    tasks
}

/// What the user is told when the amounts were taken as 元 by their size, or because
/// the sheet's built-in profile says its forms are in 元.
fn guessed_yuan(grid: &Grid, layout: &FundLayout) -> Option<String> {
    const ASK: &str = "如实际以万元填写，请在表头注明“（万元）”后重新导入";
    if layout.guessed {
        return Some(format!(
            "表中未注明金额单位，金额达十万以上，已按“元”读取并换算为万元；{ASK}"
        ));
    }
    layout.profile_yuan.then(|| {
        // (The label's part before its note: 重庆市部门整体绩效自评表.)
        let label = grid.profile.label.split('（').next().unwrap_or_default();
        format!("表中未注明金额单位，所用表样（{label}）的金额以元填写，已按“元”读取并换算为万元；{ASK}")
    })
}
