//! 考核评价: the rates, scores and ranking of departments, towns, communities, grids or people
//! for a period, the cases behind any figure, and the same tables as an Excel workbook.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use axum::extract::State;
use axum::http::header;
use axum::response::{IntoResponse, Response};
use axum::Json;
use chrono::{DateTime, Utc};
use civicgrid_domain::evaluation::{self, CaseFacts, EvalBy, Figures, Method, Metric, Outcome, Period, RankRules, Row, Tallies, Unit, Weights};
use civicgrid_domain::{AreaCode, AreaLevel, Case, CaseEvent, CaseState, Role, User};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use super::report;
use crate::kit::error::{ApiError, ApiResult, ErrorBody};
use crate::kit::extract::{ApiQuery, SignedIn};
use crate::reference::{AreaRef, CategoryRef};
use crate::{AppState, RefData};

/// Most cases a drill-down lists (newest first); `count` says how many there are in all.
const DRILL_MAX: usize = 500;

/// How long an evaluation is answered from memory. A busy month takes a second or more to
/// fold, and every command-centre screen asks for this month's every half minute.
const FRESH_FOR: Duration = Duration::from_secs(30);

/// Recent evaluations by question, so that screens, the page and its export share one fold.
#[derive(Default)]
pub(crate) struct Cache {
    slots: Mutex<HashMap<String, (Instant, Arc<EvaluationView>)>>,
    /// One evaluation is worked out at a time: the screens that ask at once wait for the first
    /// answer instead of each folding the month, and the other core keeps serving.
    computing: tokio::sync::Mutex<()>,
}

impl Cache {
    fn get(&self, key: &str) -> Option<Arc<EvaluationView>> {
        let slots = self.slots.lock().expect("not poisoned");
        slots.get(key).filter(|(at, _)| at.elapsed() < FRESH_FOR).map(|(_, e)| e.clone())
    }

    fn put(&self, key: String, e: Arc<EvaluationView>) {
        let mut slots = self.slots.lock().expect("not poisoned");
        slots.retain(|_, (at, _)| at.elapsed() < FRESH_FOR);
        slots.insert(key, (Instant::now(), e));
    }
}

/// An evaluation: the period, the grouping, the weights of the score, a row per unit (best
/// first) and the total of the rows.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct EvaluationView {
    /// The days evaluated (China time, both included).
    pub period: Period,
    /// What the rows are.
    pub by: EvalBy,
    /// The area evaluated.
    pub area: AreaRef,
    /// The score's weights (summing to 1).
    pub weights: Weights,
    /// How small samples are treated (`[evaluation] min_cases`).
    pub rules: RankRules,
    /// True while the follow-up window (回访期) of the period's last closures is still open:
    /// a reopening or a rating may still change the closures' figures until `final_at`.
    pub provisional: bool,
    /// When the figures become final.
    pub final_at: DateTime<Utc>,
    /// The version of the method these figures were computed with (`GET
    /// /api/v1/evaluation/method` answers the method in force and its version).
    pub method_version: String,
    /// When these figures were computed: the same question asked again within 30 s is answered
    /// from memory, so a change made since then shows after that time (the drill-down is always
    /// read afresh).
    pub computed_at: DateTime<Utc>,
    /// One per unit, ranked.
    pub rows: Vec<Row>,
    /// All rows together.
    pub total: Figures,
}

/// A case behind a figure.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct EvalCaseView {
    /// Case id.
    pub id: Uuid,
    /// Tracking code.
    pub code: String,
    /// Category.
    pub category: CategoryRef,
    /// State now.
    pub state: CaseState,
    /// Where it lies.
    pub area: AreaRef,
    /// When reported.
    pub created_at: DateTime<Utc>,
}

/// The cases behind a figure.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct EvalCases {
    /// Newest first, at most 500.
    pub items: Vec<EvalCaseView>,
    /// How many in all.
    pub count: u64,
}

/// What an evaluation is asked for.
struct EvalQuery {
    period: Period,
    by: EvalBy,
    area: AreaCode,
    weights: Weights,
}

/// What an evaluation is asked for, as the query says it.
#[derive(Debug, Default, Deserialize, utoipa::IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct EvalParams {
    /// First day, YYYY-MM-DD (China time); with `to`; default the 1st of this month.
    from: Option<String>,
    /// Last day, included; default today.
    to: Option<String>,
    /// department (default), town, community, grid or worker.
    by: Option<String>,
    /// An area within the reader's; default the reader's area.
    area: Option<String>,
    /// Override the configured weights, e.g. on_time:0.5,satisfaction:0.5.
    weights: Option<String>,
}

/// The drill-down: the evaluation's parameters and the figure whose cases to list.
#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct DrillParams {
    /// First day, YYYY-MM-DD (China time); with `to`.
    from: Option<String>,
    /// Last day, included.
    to: Option<String>,
    /// What the rows are.
    by: Option<String>,
    /// An area within the reader's.
    area: Option<String>,
    /// The weights (they do not change which cases are behind a rate).
    weights: Option<String>,
    /// The row's unit id.
    unit: String,
    /// The rate, e.g. on_time.
    metric: String,
    /// hit, miss or all (default).
    outcome: Option<String>,
}

/// The question `p` asks, checked against the reader's area.
fn eval_query(app: &AppState, user: &User, rd: &RefData, p: EvalParams) -> ApiResult<EvalQuery> {
    let by = p.by.as_deref().map(str::parse).transpose()?.unwrap_or(EvalBy::Department);
    if user.role == Role::DepartmentHandler && by != EvalBy::Department {
        return Err(ApiError::forbidden("a department reads the departments' ranking (by=department)"));
    }
    let weights = p.weights.as_deref().map(|w| Weights::parse(w, "weights")).transpose()?.unwrap_or(app.config.weights);
    let mut area = user.scope.clone();
    if let Some(raw) = &p.area {
        let code = AreaCode::parse(raw)?;
        if !rd.areas.contains_key(code.as_str()) {
            return Err(ApiError::invalid("area", format!("area: no area with code {code}")));
        }
        if !user.scope.contains(&code) {
            return Err(ApiError::invalid("area", format!("area: {code} is outside your area {}", user.scope)));
        }
        area = code;
    }
    let today = app.now().with_timezone(&civicgrid_domain::calendar::china_time()).date_naive();
    let period = match (p.from.as_deref(), p.to.as_deref()) {
        (None, None) => Period::month_to_date(today),
        (Some(f), Some(t)) => Period::parse(f, t)?,
        (None, Some(_)) => return Err(ApiError::invalid("from", "from: give the first day (YYYY-MM-DD) with `to`")),
        (Some(_), None) => return Err(ApiError::invalid("to", "to: give the last day (YYYY-MM-DD) with `from`")),
    };
    Ok(EvalQuery { period, by, area, weights })
}

/// Cases whose logs are read at once: a year of a big city is millions of events, so they are
/// folded a page at a time and only the tallies (or the drill-down's hits) are kept.
const PAGE: usize = 1000;

/// Reads the logs of the cases the question covers a page at a time and hands each page, with
/// what each case says, to `per_page` off the async threads; answers what it made of each page.
async fn pages<T, F>(app: &AppState, q: &EvalQuery, per_page: F) -> ApiResult<Vec<T>>
where
    T: Send + 'static,
    F: Fn(Vec<(Vec<CaseEvent>, CaseFacts)>) -> T + Send + Sync + 'static,
{
    let ids = app.store.active_case_ids(&q.area, q.period.start(), q.period.end()).await?;
    let (period, by, now, rules) = (q.period, q.by, app.now(), app.config.count_rules);
    let per_page = Arc::new(per_page);
    let mut out = Vec::with_capacity(ids.len().div_ceil(PAGE));
    for chunk in ids.chunks(PAGE) {
        let logs = app.store.case_logs(chunk).await?;
        let f = per_page.clone();
        let made = tokio::task::spawn_blocking(move || {
            f(logs
                .into_iter()
                .map(|log| {
                    let facts = CaseFacts::of(&log, &period, by, now, &rules);
                    (log, facts)
                })
                .collect())
        })
        .await
        .map_err(|e| ApiError::internal(format!("evaluating: {e}")))?;
        out.push(made);
    }
    Ok(out)
}

/// The units always listed, even without cases: the departments serving the area and its
/// towns. Communities, grids and people appear as their cases name them.
fn listed(rd: &RefData, q: &EvalQuery) -> Vec<String> {
    match q.by {
        EvalBy::Department => {
            rd.departments.iter().filter(|d| d.area.contains(&q.area) || q.area.contains(&d.area)).map(|d| d.id.clone()).collect()
        }
        EvalBy::Town => match q.area.at_level(AreaLevel::Town) {
            Some(t) => vec![t.to_string()],
            None => {
                rd.areas.values().filter(|a| a.level == AreaLevel::Town && q.area.contains(&a.code)).map(|a| a.code.to_string()).collect()
            }
        },
        _ => Vec::new(),
    }
}

/// Names for the units of a grouping.
async fn names(app: &AppState, rd: &RefData, q: &EvalQuery) -> ApiResult<HashMap<String, String>> {
    Ok(match q.by {
        EvalBy::Department => rd.departments.iter().map(|d| (d.id.clone(), d.name.clone())).collect(),
        EvalBy::Town | EvalBy::Community => HashMap::new(),
        EvalBy::Grid => app.store.grids(Some(&q.area)).await?.into_iter().map(|g| (g.record.code.to_string(), g.record.name)).collect(),
        EvalBy::Worker => app.store.users().await?.into_iter().map(|u| (u.id, u.display_name)).collect(),
    })
}

/// The evaluation of a question, from memory if asked within the last 30 s.
async fn evaluate(app: &AppState, rd: &RefData, q: &EvalQuery) -> ApiResult<Arc<EvaluationView>> {
    let key = format!("{}|{}|{}|{}|{:?}", q.area, q.period.from, q.period.to, q.by, q.weights);
    if let Some(e) = app.evaluations.get(&key) {
        return Ok(e);
    }
    let _turn = app.evaluations.computing.lock().await;
    if let Some(e) = app.evaluations.get(&key) {
        return Ok(e);
    }
    let e = Arc::new(compute(app, rd, q).await?);
    app.evaluations.put(key, e.clone());
    Ok(e)
}

async fn compute(app: &AppState, rd: &RefData, q: &EvalQuery) -> ApiResult<EvaluationView> {
    let mut tallies = Tallies::listing(&listed(rd, q));
    for page in pages(app, q, |cases| {
        let mut t = Tallies::default();
        cases.iter().for_each(|(_, f)| t.add(f));
        t
    })
    .await?
    {
        tallies.merge(page);
    }
    let names = names(app, rd, q).await?;
    let name = |id: &str| match q.by {
        EvalBy::Town | EvalBy::Community => AreaCode::parse(id).map(|c| rd.area_name(&c)).unwrap_or_else(|_| id.to_string()),
        _ => names.get(id).cloned().unwrap_or_else(|| id.to_string()),
    };
    let units: Vec<(Unit, evaluation::Tally)> =
        tallies.into_units().into_iter().map(|(id, t)| (Unit { name: name(&id), id }, t)).collect();
    let rules = app.config.rank_rules;
    let (rows, total) = evaluation::rank(units, &q.weights, &rules);
    let area = AreaRef::of(&q.area, rd);
    let method_version = MethodView::of(app, &q.weights).version;
    let (now, final_at) = (app.now(), app.config.count_rules.final_at(&q.period));
    let provisional = now < final_at;
    Ok(EvaluationView {
        period: q.period,
        by: q.by,
        area,
        weights: q.weights,
        rules,
        provisional,
        final_at,
        method_version,
        computed_at: now,
        rows,
        total,
    })
}

/// The rates (响应率, 按期办结率, 解决率, 满意率, 重办率, 退单率 scored; 派单准确率, 挂起率,
/// 一次办结率, 参评率 beside them), average hours per step and the
/// weighted score of each department, town, community, grid or person for a period, read from
/// the case logs of the reader's area, ranked by score. See `docs/architecture.md` §15 for how
/// each figure is counted. Asked again within 30 s, the same question gets the same answer,
/// whose `computed_at` says when it was worked out.
#[utoipa::path(get, path = "/api/v1/evaluation", tag = "evaluation",
    params(EvalParams),
    responses((status = 200, body = EvaluationView), (status = 403, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub(crate) async fn show(
    State(app): State<AppState>,
    SignedIn(user): SignedIn,
    ApiQuery(p): ApiQuery<EvalParams>,
) -> ApiResult<Json<Arc<EvaluationView>>> {
    let rd = app.refdata().await?;
    let q = eval_query(&app, &user, &rd, p)?;
    Ok(Json(evaluate(&app, &rd, &q).await?))
}

/// The method in force and its version.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct MethodView {
    /// A fingerprint of the method (the first 16 hex digits of the SHA-256 of its JSON): every
    /// evaluation carries the version it was computed with.
    pub version: String,
    /// The method.
    #[serde(flatten)]
    pub method: Method,
}

impl MethodView {
    fn of(app: &AppState, weights: &Weights) -> MethodView {
        use sha2::Digest;
        let limits = evaluation::Limits::of(&app.store.policy().rules);
        let method = Method::of(weights, &app.config.rank_rules, &app.config.count_rules, &limits);
        let digest = sha2::Sha256::digest(serde_json::to_vec(&method).expect("the method serialises"));
        let version = digest[..8].iter().map(|b| format!("{b:02x}")).collect();
        MethodView { version, method }
    }
}

/// 考核办法: every rate with its numerator, denominator and counting moment, the weights, the
/// minimum of cases and the rules of ranking, as configured now. Anyone signed in may read it:
/// the assessed should know exactly how they are assessed.
#[utoipa::path(get, path = "/api/v1/evaluation/method", tag = "evaluation", responses((status = 200, body = MethodView)))]
pub(crate) async fn method(State(app): State<AppState>, SignedIn(_user): SignedIn) -> Json<MethodView> {
    Json(MethodView::of(&app, &app.config.weights))
}

/// The cases behind one unit's figure: for `metric`, those in its numerator (`outcome=hit`),
/// the rest of its denominator (`miss`) or all of it (`all`).
#[utoipa::path(get, path = "/api/v1/evaluation/cases", tag = "evaluation",
    params(DrillParams),
    responses((status = 200, body = EvalCases), (status = 403, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub(crate) async fn cases(
    State(app): State<AppState>,
    SignedIn(user): SignedIn,
    ApiQuery(p): ApiQuery<DrillParams>,
) -> ApiResult<Json<EvalCases>> {
    let rd = app.refdata().await?;
    let metric: Metric = p.metric.parse()?;
    let outcome: Outcome = p.outcome.as_deref().map_or(Ok(Outcome::All), str::parse)?;
    if user.role == Role::DepartmentHandler && user.department.as_deref() != Some(p.unit.as_str()) {
        // A department reads the cases behind its own figures, not another's.
        return Err(ApiError::forbidden("a department reads the cases behind its own figures only"));
    }
    let (unit, metric_, outcome_) = (p.unit, metric, outcome);
    let asked = EvalParams { from: p.from, to: p.to, by: p.by, area: p.area, weights: p.weights };
    let q = eval_query(&app, &user, &rd, asked)?;
    let mut hits: Vec<Case> = pages(&app, &q, move |cases| {
        cases
            .into_iter()
            .filter(|(_, f)| f.observations.iter().any(|o| o.unit == unit && o.metric == metric_ && outcome_.takes(o.hit)))
            .filter_map(|(log, _)| Case::from_events(&log))
            .collect::<Vec<Case>>()
    })
    .await?
    .into_iter()
    .flatten()
    .collect();
    hits.sort_by(|a, b| b.created_at.cmp(&a.created_at).then_with(|| b.code.as_str().cmp(a.code.as_str())));
    let count = hits.len() as u64;
    let items = hits
        .iter()
        .take(DRILL_MAX)
        .map(|c| EvalCaseView {
            id: c.id,
            code: c.code.to_string(),
            category: CategoryRef::of(&c.report.category, &rd),
            state: c.state,
            area: AreaRef::of(c.area(), &rd),
            created_at: c.created_at,
        })
        .collect();
    Ok(Json(EvalCases { items, count }))
}

/// The same evaluation as an Excel workbook: the ranking (rates in %, hours, score) and the
/// counts, each with its title, area, period and units.
#[utoipa::path(get, path = "/api/v1/evaluation/export.xlsx", tag = "evaluation",
    params(EvalParams),
    responses((status = 200, content_type = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", body = Vec<u8>),
              (status = 403, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub(crate) async fn export(
    State(app): State<AppState>,
    SignedIn(user): SignedIn,
    ApiQuery(p): ApiQuery<EvalParams>,
) -> ApiResult<Response> {
    let rd = app.refdata().await?;
    let q = eval_query(&app, &user, &rd, p)?;
    let e = evaluate(&app, &rd, &q).await?;
    let bytes = report::evaluation_workbook(&e, app.now()).map_err(|err| ApiError::internal(format!("writing the workbook: {err}")))?;
    let file = format!("evaluation-{}-{}-{}.xlsx", e.by, e.period.from, e.period.to);
    Ok((
        [
            (header::CONTENT_TYPE, "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet".to_string()),
            (header::CONTENT_DISPOSITION, format!("attachment; filename=\"{file}\"")),
        ],
        bytes,
    )
        .into_response())
}
