//! The queue as an Excel sheet (`GET /api/v1/cases/export.xlsx`): the cases a list with the same
//! filters would show, newest first, up to [`MAX_ROWS`], with the reporter's phone masked as
//! everywhere.

use axum::extract::State;
use axum::http::header;
use axum::response::{IntoResponse, Response};
use civicgrid_domain::calendar::china_time;
use civicgrid_domain::{Assignee, Case, CaseState, Priority};
use rust_xlsxwriter::{Format, Workbook, XlsxError};

use super::cases::{by_code, case_query, CaseFilters};
use crate::kit::audit;
use crate::kit::error::{ApiError, ApiResult, ErrorBody};
use crate::kit::extract::{ApiQuery, SignedIn};
use crate::{AppState, RefData};
use civicgrid_store::Subject;

/// The most rows one export holds; the sheet says so when the list had more.
pub const MAX_ROWS: usize = 10_000;

/// 中文 names of the states, as the UI shows them.
fn state_name(s: CaseState) -> &'static str {
    match s {
        CaseState::Reported => "已上报",
        CaseState::Accepted => "已受理",
        CaseState::Rejected => "不予受理",
        CaseState::Dispatched => "已派遣",
        CaseState::InProgress => "处置中",
        CaseState::Returned => "已退回",
        CaseState::Handled => "已处置",
        CaseState::Closed => "已结案",
        CaseState::Rated => "已评价",
        CaseState::Suspended => "已挂起",
        CaseState::Merged => "已合并",
    }
}

fn priority_name(p: Priority) -> &'static str {
    match p {
        Priority::Normal => "一般",
        Priority::High => "较急",
        Priority::Urgent => "紧急",
    }
}

/// The cases of the reader's queue with the list's filters (and `q`), as a workbook of one sheet
/// 工单列表; at most 10,000 rows, newest first.
#[utoipa::path(get, path = "/api/v1/cases/export.xlsx", tag = "cases", params(CaseFilters),
    responses((status = 200, description = "the workbook", content_type = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
              (status = 422, body = ErrorBody)))]
pub(crate) async fn export(State(app): State<AppState>, SignedIn(user): SignedIn, ApiQuery(filters): ApiQuery<CaseFilters>) -> ApiResult<Response> {
    let actor = user.actor();
    let (mut q, code) = case_query(&app, &actor, filters)?;
    // A tracking code answers its case alone, as the list does.
    let (mut cases, walk) = match by_code(&app, &actor, code.as_ref(), &q).await? {
        Some(found) => (found, false),
        None => (Vec::new(), true),
    };
    let mut more = false;
    if walk {
        q.limit = 200;
        loop {
            let page = app.store.list_cases(&q).await?;
            cases.extend(page.items);
            match page.next {
                Some(next) if cases.len() < MAX_ROWS => q.after = Some(next),
                Some(_) => {
                    more = true;
                    break;
                }
                None => break,
            }
        }
    }
    if cases.len() > MAX_ROWS {
        cases.truncate(MAX_ROWS);
        more = true;
    }
    audit::listed(&app, &user, Subject::CASE, "export.xlsx").await?;
    let rd = app.refdata().await?;
    let bytes = workbook(&cases, &rd, more, app.now()).map_err(|e| ApiError::internal(format!("writing the workbook: {e}")))?;
    let day = app.now().with_timezone(&china_time()).format("%Y%m%d");
    Ok((
        [
            (header::CONTENT_TYPE, "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet".to_string()),
            (header::CONTENT_DISPOSITION, format!("attachment; filename=\"cases-{day}.xlsx\"")),
        ],
        bytes,
    )
        .into_response())
}

/// The columns of the sheet: heading and how a case fills it.
type Column = (&'static str, f64, fn(&Case, &RefData) -> String);

const COLUMNS: [Column; 11] = [
    ("工单编号", 17.0, |c, _| c.code.to_string()),
    ("标题", 30.0, |c, _| c.report.title.clone()),
    ("类别", 14.0, |c, rd| rd.category(&c.report.category).map_or_else(|| c.report.category.to_string(), |k| k.name.clone())),
    ("紧急程度", 8.0, |c, _| priority_name(c.report.priority).into()),
    ("状态", 9.0, |c, _| state_name(c.state).into()),
    ("所在区域", 24.0, |c, rd| rd.area_name(c.area())),
    ("网格", 17.0, |c, _| c.grid().map(|g| g.to_string()).unwrap_or_default()),
    ("承办", 18.0, |c, rd| match &c.assignee {
        Some(Assignee::Department { id }) => rd.department(id).map_or_else(|| id.clone(), |d| d.name.clone()),
        Some(Assignee::Area { code }) => rd.area_name(code),
        None => String::new(),
    }),
    ("来电号码", 13.0, |c, _| c.report.reporter_phone_masked.clone().unwrap_or_default()),
    ("上报时间", 17.0, |c, _| c.created_at.with_timezone(&china_time()).format("%Y-%m-%d %H:%M").to_string()),
    ("当前时限", 17.0, |c, _| {
        c.deadline.as_ref().map(|d| d.due.with_timezone(&china_time()).format("%Y-%m-%d %H:%M").to_string()).unwrap_or_default()
    }),
];

/// The sheet 工单列表: a title line, the time of making (and whether rows were left out), the
/// headings, a row per case.
fn workbook(cases: &[Case], rd: &RefData, more: bool, made: chrono::DateTime<chrono::Utc>) -> Result<Vec<u8>, XlsxError> {
    let mut wb = Workbook::new();
    let ws = wb.add_worksheet();
    ws.set_name("工单列表")?;
    let head = Format::new().set_bold().set_background_color("#DDEBF7");
    ws.write_string_with_format(0, 0, "工单列表", &Format::new().set_bold().set_font_size(14))?;
    let made = made.with_timezone(&china_time()).format("%Y-%m-%d %H:%M");
    let note = if more {
        format!("导出时间：{made}（中国时间）。共导出 {} 条，列表更长，只导出最新的 {MAX_ROWS} 条；请缩小筛选范围。", cases.len())
    } else {
        format!("导出时间：{made}（中国时间）。共 {} 条。来电号码已脱敏。", cases.len())
    };
    ws.write_string(1, 0, note)?;
    for (i, (h, width, _)) in COLUMNS.iter().enumerate() {
        ws.write_string_with_format(3, i as u16, *h, &head)?;
        ws.set_column_width(i as u16, *width)?;
    }
    ws.set_freeze_panes(4, 1)?;
    for (r, c) in cases.iter().enumerate() {
        for (i, (_, _, get)) in COLUMNS.iter().enumerate() {
            ws.write_string(4 + r as u32, i as u16, get(c, rd))?;
        }
    }
    wb.save_to_buffer()
}
