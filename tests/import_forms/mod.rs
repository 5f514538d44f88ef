//! Workbooks for the import tests (`import_xlsx.rs`, `import_fuzz.rs`): the seed
//! fixture, and project and unit forms in the central 2020 layout written as rows of
//! values with rust_xlsxwriter.
#![allow(dead_code)] // each test file uses its own part

use std::str::FromStr;

use jixiao::finding::Finding;
use jixiao::io::xlsx::{import_workbook, Imported};
use jixiao::model::Project;
use rust_decimal::Decimal;
use rust_xlsxwriter::{Format, Workbook};

pub const FIXTURE: &[u8] = include_bytes!("../../examples/lanzhou-xinqu-emergency-2022.xlsx");

pub fn d(s: &str) -> Decimal {
    Decimal::from_str(s).unwrap()
}

pub fn fixture() -> Imported {
    import_workbook(FIXTURE).expect("the fixture imports")
}

/// The findings of a unit by the default rules (where a figure that cannot be read is
/// reported, at its place on the form).
pub fn audit(unit: &jixiao::model::Unit) -> Vec<Finding> {
    let rules = jixiao::rules::Rulebook::preset(jixiao::rules::PRESETS[0].0).unwrap();
    jixiao::evaluate(unit, &rules).findings
}

pub fn codes(findings: &[Finding], code: &str) -> Vec<Finding> {
    findings
        .iter()
        .filter(|f| f.code == code)
        .cloned()
        .collect()
}

#[derive(Clone, Debug)]
pub enum V {
    S(String),
    N(f64),
    /// A number shown with a number format (e.g. "0.00%").
    F(f64, &'static str),
    Blank,
}

pub fn s(t: &str) -> V {
    V::S(t.to_string())
}

pub fn n(x: f64) -> V {
    V::N(x)
}

pub use V::Blank as E;

pub type Rows = Vec<Vec<V>>;

pub fn set(rows: &mut Rows, r: usize, c: usize, v: V) {
    while rows.len() <= r {
        rows.push(Vec::new());
    }
    while rows[r].len() <= c {
        rows[r].push(E);
    }
    rows[r][c] = v;
}

/// A project form in the central 2020 layout; `money` is the funds block label.
pub fn project_rows(name: &str, money: &str) -> Rows {
    let pct = |x| V::F(x, "0.00%");
    vec![
        vec![s("项目支出绩效自评表")],
        vec![s("（2023年度）")],
        vec![s("项目名称"), s(name)],
        vec![
            s("主管部门"),
            s("测试局"),
            E,
            E,
            s("实施单位"),
            s("测试中心"),
        ],
        vec![
            s(money),
            E,
            s("年初预算数"),
            s("全年预算数"),
            s("全年执行数"),
            s("分值"),
            s("执行率"),
            s("得分"),
        ],
        vec![
            E,
            s("年度资金总额"),
            n(16.0),
            n(16.0),
            n(15.14353),
            n(10.0),
            pct(0.9465),
            n(9.47),
        ],
        vec![
            E,
            s("其中：当年财政拨款"),
            n(16.0),
            n(16.0),
            n(15.14353),
            s("—"),
            pct(0.9465),
            s("—"),
        ],
        vec![
            E,
            s("上年结转资金"),
            n(0.0),
            n(0.0),
            n(0.0),
            s("—"),
            E,
            s("—"),
        ],
        vec![E, s("其他资金"), n(0.0), n(0.0), n(0.0), s("—"), E, s("—")],
        vec![s("年度总体目标"), s("预期目标"), E, E, E, s("实际完成情况")],
        vec![E, s("整理档案1000卷"), E, E, E, s("已整理档案1000卷")],
        vec![
            s("绩效指标"),
            s("一级指标"),
            s("二级指标"),
            s("三级指标"),
            s("年度指标值"),
            s("实际完成值"),
            s("分值"),
            s("得分"),
            s("偏差原因分析及改进措施"),
        ],
        vec![
            E,
            s("产出指标"),
            s("数量指标"),
            s("整理档案数量"),
            s("≥1000卷"),
            s("1000卷"),
            n(50.0),
            n(50.0),
        ],
        vec![
            E,
            s("效益指标"),
            s("社会效益指标"),
            s("档案利用效果"),
            s("效果显著"),
            s("达成年度指标"),
            n(30.0),
            n(28.0),
            s("利用率偏低"),
        ],
        vec![
            E,
            s("满意度指标"),
            s("服务对象满意度指标"),
            s("满意度"),
            s("≥95%"),
            s("90%"),
            n(10.0),
            n(9.0),
        ],
        vec![s("总分"), E, E, E, E, E, n(100.0), n(96.47)],
        vec![s("自评等级"), s("优")],
    ]
}

pub fn unit_rows() -> Rows {
    vec![
        vec![s("部门（单位）整体支出绩效自评表")],
        vec![s("（2023年度）")],
        vec![s("部门（单位）名称"), s("测试局")],
        vec![
            s("年度预算执行情况（万元）"),
            E,
            s("年初预算数"),
            s("全年预算数"),
            s("全年执行数"),
            s("分值"),
            s("执行率"),
            s("得分"),
        ],
        vec![
            E,
            s("年度资金总额"),
            n(120.0),
            n(116.0),
            n(115.14353),
            n(10.0),
            s("99.26%"),
            n(9.93),
        ],
        vec![E, s("基本支出"), n(100.0), n(100.0), n(100.0)],
        vec![E, s("项目支出"), n(20.0), n(16.0), n(15.14353)],
        vec![
            s("年度主要任务"),
            s("任务名称"),
            E,
            s("主要内容"),
            E,
            s("完成情况"),
        ],
        vec![E, s("档案整理"), E, s("整理档案"), E, s("已完成")],
        vec![E, s("安全检查"), E, s("检查企业"), E, s("检查企业20家")],
        vec![s("年度总体目标"), s("预期目标"), E, E, s("实际完成情况")],
        vec![E, s("目标一"), E, E, s("完成一")],
        vec![
            s("绩效指标"),
            s("一级指标"),
            s("二级指标"),
            s("三级指标"),
            s("年度指标值"),
            s("实际完成值"),
            s("分值"),
            s("得分"),
            s("偏差原因分析及改进措施"),
        ],
        vec![
            E,
            s("产出指标"),
            s("数量指标"),
            s("检查企业数"),
            s("≥20家"),
            s("20家"),
            n(50.0),
            n(50.0),
        ],
        vec![s("总分"), E, E, E, E, E, n(100.0), n(98.5)],
        vec![s("自评等级"), s("优")],
    ]
}

pub fn workbook(sheets: &[(&str, &Rows)]) -> Vec<u8> {
    let mut book = Workbook::new();
    for (name, rows) in sheets {
        let ws = book.add_worksheet();
        ws.set_name(*name).unwrap();
        for (r, row) in rows.iter().enumerate() {
            for (c, v) in row.iter().enumerate() {
                let (r, c) = (r as u32, c as u16);
                // (Errors only for values Excel cannot hold, such as NaN in fuzzing.)
                let _ = match v {
                    V::S(t) => ws.write_string(r, c, t).map(|_| ()),
                    V::N(x) => ws.write_number(r, c, *x).map(|_| ()),
                    V::F(x, fmt) => ws
                        .write_number_with_format(r, c, *x, &Format::new().set_num_format(*fmt))
                        .map(|_| ()),
                    V::Blank => Ok(()),
                };
            }
        }
    }
    book.save_to_buffer().unwrap()
}

pub fn import(sheets: &[(&str, &Rows)]) -> Imported {
    import_workbook(&workbook(sheets)).expect("imports")
}

pub fn only_project(imported: &Imported) -> &Project {
    assert_eq!(imported.unit.projects.len(), 1, "{:#?}", imported.findings);
    &imported.unit.projects[0]
}
