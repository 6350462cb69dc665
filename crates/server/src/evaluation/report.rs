//! Excel reports (rust_xlsxwriter): each table with the title, area, period, time of making
//! and units a report carries, the figures as numbers (rates as fractions shown in %), so a
//! reader can sum and chart them.

use chrono::{DateTime, Utc};
use civicgrid_domain::calendar::china_time;
use civicgrid_domain::evaluation::{EvalBy, Figures, Metric, Row};
use civicgrid_domain::policy::step_name;
use civicgrid_domain::Step;
use rust_xlsxwriter::{Format, FormatAlign, FormatBorder, Workbook, Worksheet, XlsxError};

use super::routes::EvaluationView;

/// 中文 names as the report prints them.
fn by_name(by: EvalBy) -> &'static str {
    match by {
        EvalBy::Department => "职能部门",
        EvalBy::Town => "镇街",
        EvalBy::Community => "村社区",
        EvalBy::Grid => "网格",
        EvalBy::Worker => "人员",
    }
}


/// A column of counts: its heading and how to read it.
type CountColumn = (&'static str, fn(&Figures) -> u64);

/// The counts columns of the second sheet.
const COUNTS: [CountColumn; 15] = [
    ("派遣", |f| f.counts.dispatched),
    ("响应", |f| f.counts.responded),
    ("退单", |f| f.counts.returned),
    ("应办结", |f| f.counts.due),
    ("按期办结", |f| f.counts.on_time),
    ("办结", |f| f.counts.closed),
    ("解决", |f| f.counts.resolved),
    ("重办", |f| f.counts.reopened),
    ("评价", |f| f.counts.rated),
    ("满意", |f| f.counts.satisfied),
    ("派单", |f| f.counts.sent),
    ("派单准确", |f| f.counts.accurate),
    ("挂起", |f| f.counts.suspended),
    ("一次办结", |f| f.counts.first_fix),
    ("参评", |f| f.counts.participated),
];

struct Styles {
    title: Format,
    note: Format,
    head: Format,
    text: Format,
    int: Format,
    pct: Format,
    one: Format,
    total_text: Format,
    total_int: Format,
    total_pct: Format,
    total_one: Format,
}

impl Styles {
    fn new() -> Styles {
        let cell = Format::new().set_border(FormatBorder::Thin);
        let total = cell.clone().set_bold().set_background_color("#F2F2F2");
        Styles {
            title: Format::new().set_bold().set_font_size(16).set_align(FormatAlign::Center),
            note: Format::new().set_font_size(10),
            head: cell.clone().set_bold().set_background_color("#DDEBF7").set_align(FormatAlign::Center).set_text_wrap(),
            text: cell.clone(),
            int: cell.clone().set_num_format("0"),
            pct: cell.clone().set_num_format("0.0%"),
            one: cell.clone().set_num_format("0.0"),
            total_text: total.clone(),
            total_int: total.clone().set_num_format("0"),
            total_pct: total.clone().set_num_format("0.0%"),
            total_one: total.set_num_format("0.0"),
        }
    }
}

/// Writes a number, or "—" where there is none (no denominator, no step completed).
fn opt(ws: &mut Worksheet, row: u32, col: u16, v: Option<f64>, f: &Format) -> Result<(), XlsxError> {
    match v {
        Some(x) => ws.write_number_with_format(row, col, x, f)?,
        None => ws.write_string_with_format(row, col, "—", f)?,
    };
    Ok(())
}

/// Title, area and period, and the units line; answers the next free row.
fn heading(
    ws: &mut Worksheet,
    s: &Styles,
    title: &str,
    e: &EvaluationView,
    made: DateTime<Utc>,
    units: &str,
    cols: u16,
) -> Result<u32, XlsxError> {
    ws.merge_range(0, 0, 0, cols - 1, title, &s.title)?;
    ws.set_row_height(0, 26)?;
    let made = made.with_timezone(&china_time()).format("%Y-%m-%d %H:%M");
    let line = format!("区域：{}（{}）　考核期间：{} 至 {}　制表时间：{made}", e.area.name, e.area.code, e.period.from, e.period.to);
    ws.merge_range(1, 0, 1, cols - 1, &line, &s.note)?;
    ws.merge_range(2, 0, 2, cols - 1, units, &s.note)?;
    Ok(4)
}

fn ranking_sheet(e: &EvaluationView, s: &Styles, made: DateTime<Utc>) -> Result<Worksheet, XlsxError> {
    let mut ws = Worksheet::new();
    ws.set_name("考核排名")?;
    let mut heads: Vec<String> = vec!["排名".into(), "考核对象".into(), "编码".into(), "综合得分".into()];
    heads.extend(Metric::ALL.iter().map(|m| format!("{}（%）", m.name_zh())));
    heads.extend(Step::ALL.iter().map(|st| format!("{}用时（小时）", step_name(*st))));
    let cols = heads.len() as u16;
    let weights: Vec<String> = Metric::ALL.iter().map(|m| format!("{} {:.0}%", m.name_zh(), e.weights.get(*m) * 100.0)).collect();
    let units = format!(
        "单位：比率 %，用时 小时（自然小时，不含挂起），得分 百分制。得分权重：{}（重办率、退单率、挂起率越低越好，按 1 − 比率计；权重为 0 的只展示、不计分）。“—”表示无可计算的工单。\
         某项指标不足 {n} 件为样本不足，按全部考核对象的总体水平计分；无一项达到 {n} 件的对象不评分、不排名。同分依次按派遣量多、按期办结率高、名称拼音排序。",
        weights.join("、"),
        n = e.rules.min_cases
    );
    let title = format!("考核评价排名（{}）", by_name(e.by));
    let mut r = heading(&mut ws, s, &title, e, made, &units, cols)?;
    for (c, h) in heads.iter().enumerate() {
        ws.write_string_with_format(r, c as u16, h, &s.head)?;
    }
    ws.set_row_height(r, 32)?;
    ws.set_freeze_panes(r + 1, 2)?;
    r += 1;
    let line = |ws: &mut Worksheet, r: u32, row: Option<&Row>, f: &Figures, total: bool| -> Result<(), XlsxError> {
        let (text, one, pct) = if total { (&s.total_text, &s.total_one, &s.total_pct) } else { (&s.text, &s.one, &s.pct) };
        match row {
            Some(row) => {
                opt(ws, r, 0, row.rank.map(f64::from), if total { &s.total_int } else { &s.int })?;
                ws.write_string_with_format(r, 1, &row.unit.name, text)?;
                ws.write_string_with_format(r, 2, &row.unit.id, text)?;
                opt(ws, r, 3, row.score, one)?;
            }
            None => {
                ws.write_string_with_format(r, 0, "", text)?;
                ws.write_string_with_format(r, 1, "合计", text)?;
                ws.write_string_with_format(r, 2, "", text)?;
                ws.write_string_with_format(r, 3, "", text)?;
            }
        }
        for (i, m) in Metric::ALL.iter().enumerate() {
            opt(ws, r, 4 + i as u16, f.rates.get(*m), pct)?;
        }
        let hours_from = 4 + Metric::ALL.len() as u16;
        for (i, st) in Step::ALL.iter().enumerate() {
            opt(ws, r, hours_from + i as u16, f.avg_hours.get(*st), one)?;
        }
        Ok(())
    };
    for row in &e.rows {
        line(&mut ws, r, Some(row), &row.figures, false)?;
        r += 1;
    }
    line(&mut ws, r, None, &e.total, true)?;
    ws.set_column_width(0, 6)?;
    ws.set_column_width(1, 24)?;
    ws.set_column_width(2, 16)?;
    for c in 3..cols {
        ws.set_column_width(c, 11)?;
    }
    ws.set_landscape();
    Ok(ws)
}

fn counts_sheet(e: &EvaluationView, s: &Styles, made: DateTime<Utc>) -> Result<Worksheet, XlsxError> {
    let mut ws = Worksheet::new();
    ws.set_name("考核明细")?;
    let cols = 2 + COUNTS.len() as u16;
    let title = format!("考核明细（{}）", by_name(e.by));
    let units = "单位：件。响应率 = 响应 ÷ 派遣；退单率 = 退单 ÷ 派遣；按期办结率 = 按期办结 ÷ 应办结；解决率 = 解决 ÷ 办结；重办率 = 重办 ÷ 办结；满意率 = 满意 ÷ 评价；\
                 派单准确率 = 派单准确 ÷ 派单；挂起率 = 挂起 ÷ 派遣；一次办结率 = 一次办结 ÷ 办结；参评率 = 参评 ÷ 办结。";
    let mut r = heading(&mut ws, s, &title, e, made, units, cols)?;
    ws.write_string_with_format(r, 0, "考核对象", &s.head)?;
    ws.write_string_with_format(r, 1, "编码", &s.head)?;
    for (i, (h, _)) in COUNTS.iter().enumerate() {
        ws.write_string_with_format(r, 2 + i as u16, *h, &s.head)?;
    }
    ws.set_freeze_panes(r + 1, 2)?;
    r += 1;
    for row in &e.rows {
        ws.write_string_with_format(r, 0, &row.unit.name, &s.text)?;
        ws.write_string_with_format(r, 1, &row.unit.id, &s.text)?;
        for (i, (_, get)) in COUNTS.iter().enumerate() {
            ws.write_number_with_format(r, 2 + i as u16, get(&row.figures) as f64, &s.int)?;
        }
        r += 1;
    }
    ws.write_string_with_format(r, 0, "合计", &s.total_text)?;
    ws.write_string_with_format(r, 1, "", &s.total_text)?;
    for (i, (_, get)) in COUNTS.iter().enumerate() {
        ws.write_number_with_format(r, 2 + i as u16, get(&e.total) as f64, &s.total_int)?;
    }
    ws.set_column_width(0, 24)?;
    ws.set_column_width(1, 16)?;
    Ok(ws)
}

/// The evaluation as a workbook: sheet 考核排名 (rank, unit, code, score, the ten rates, hours
/// per step, and a 合计 row) and sheet 考核明细 (the counts behind the rates).
pub fn evaluation_workbook(e: &EvaluationView, made: DateTime<Utc>) -> Result<Vec<u8>, XlsxError> {
    let s = Styles::new();
    let mut wb = Workbook::new();
    wb.push_worksheet(ranking_sheet(e, &s, made)?);
    wb.push_worksheet(counts_sheet(e, &s, made)?);
    wb.save_to_buffer()
}
