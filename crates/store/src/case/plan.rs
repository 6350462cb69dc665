//! How a case list walks the database, chosen by rule and never by the planner's statistics.
//!
//! A list answers the newest cases first, a page at a time. It stays as fast at a million cases
//! as at ten thousand only if it walks one index in `id` order and stops after a page: an index
//! whose leading columns are fixed by equalities and whose last column is `id`. The rule below
//! picks that index (the *driver*) from the reader's scope and the filters; a state filter becomes
//! one ordered stream per state, merged. Every other filter is *residual*: checked on the rows the
//! walk meets, inside a bounded window, so a rare filter costs a short page and a cursor rather than
//! a walk through the whole history.

use super::CaseQuery;
use civicgrid_domain::{AreaLevel, CaseState, Visibility};

/// How many index entries one stream examines before it answers a short page with a cursor.
pub(crate) const WINDOW: i64 = 1000;
/// How many windows one request walks before it answers a short page.
pub(crate) const ROUNDS: usize = 4;

/// The index a list walks, and the value(s) its leading columns are fixed to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Driver {
    /// No equality applies: the primary key, newest first.
    Newest,
    /// `(state, id)`: one stream per state.
    State,
    /// `(substr(area,1,6), state, id)`: a county's cases.
    County(String),
    /// `(substr(area,1,9), state, id)`: a town's cases.
    Town(String),
    /// `(area, state, id)`: a village's or community's cases.
    Village(String),
    /// `(department_id, state, id)`: the cases with one department.
    Department(String),
    /// `(supervised, id)`: the cases under supervision, few of all.
    Supervised,
    /// `(grid, id)`: a grid's cases.
    Grid(String),
    /// `(reporter_user_id, id)`: a resident's own reports.
    Reporter(String),
    /// `(phone_index, id)`: one caller's cases, few of all.
    Phone(String),
    /// `(awaiting, id)`, or `(id) WHERE awaiting IS NOT NULL` for any: the few cases waiting for
    /// their centre's decision.
    Awaiting(Option<&'static str>),
    /// `(id) WHERE due_at IS NOT NULL`: the open cases whose deadline runs, newest first; the
    /// card's moment is checked on the rows.
    Due,
}

impl Driver {
    /// True if the driver's index has `state` after its leading column, so that each state is
    /// its own ordered stream.
    pub(crate) fn splits_states(&self) -> bool {
        matches!(self, Driver::State | Driver::County(_) | Driver::Town(_) | Driver::Village(_) | Driver::Department(_))
    }
}

/// A list's walk: its driver, its streams (one per state, or one for all) and whether any filter
/// is left for the rows the walk meets.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct ListPlan {
    /// The index walked.
    pub driver: Driver,
    /// One stream per state the driver fixes; `[None]` when the driver does not split states.
    pub streams: Vec<Option<CaseState>>,
    /// True if some filter is not fixed by the driver and its streams.
    pub residual: bool,
}

/// The walk for `q`, or `None` if the reader may see nothing.
pub(crate) fn plan(q: &CaseQuery) -> Option<ListPlan> {
    let scope = match &q.visibility {
        Visibility::Nothing => return None,
        Visibility::Reporter(r) => return Some(fixed(Driver::Reporter(r.clone()), q, true)),
        Visibility::Department(_, d) if q.card.is_none() => return Some(fixed(Driver::Department(d.clone()), q, true)),
        Visibility::Department(s, _) | Visibility::Area(s) => Some(s),
        Visibility::Everything => None,
    };
    if let Some(p) = &q.phone_index {
        return Some(fixed(Driver::Phone(p.clone()), q, scope.is_some() || q.area.is_some()));
    }
    if let Some(a) = q.awaiting {
        let kind = match a {
            crate::case::AwaitingFilter::Any => None,
            crate::case::AwaitingFilter::Only(k) => Some(k.as_str()),
        };
        return Some(fixed(Driver::Awaiting(kind), q, scope.is_some() || q.area.is_some()));
    }
    if q.card.is_some() {
        return Some(fixed(Driver::Due, q, scope.is_some() || q.area.is_some()));
    }
    if let Some(g) = &q.grid {
        let residual = q.area.is_some() || scope.is_some();
        return Some(fixed(Driver::Grid(g.as_str().to_string()), q, residual));
    }
    // The narrower of the reader's scope and the requested area; if they do not nest, the
    // residual check of the other leaves the page empty, as it should.
    let narrowest = [scope, q.area.as_ref()].into_iter().flatten().max_by_key(|a| a.as_str().len());
    let driver = match narrowest.map(|a| (a.level(), a.as_str().to_string())) {
        Some((AreaLevel::Village, a)) => Driver::Village(a),
        Some((AreaLevel::Town, a)) => Driver::Town(a),
        // Wider than a town, the few supervised cases are the shorter walk.
        _ if q.supervised == Some(true) => Driver::Supervised,
        Some((AreaLevel::County, a)) => Driver::County(a),
        _ if !q.states.is_empty() => Driver::State,
        _ => Driver::Newest,
    };
    // An area coarser than the driver's, or a second one, still has to be checked.
    let fixed_area = match &driver {
        Driver::Village(a) | Driver::Town(a) | Driver::County(a) => Some(a.as_str()),
        _ => None,
    };
    let residual = [scope, q.area.as_ref()].into_iter().flatten().any(|a| Some(a.as_str()) != fixed_area);
    Some(fixed(driver, q, residual))
}

/// The plan for `driver`, with `area_residual` telling whether an area filter is left over.
fn fixed(driver: Driver, q: &CaseQuery, area_residual: bool) -> ListPlan {
    let streams: Vec<Option<CaseState>> = if driver.splits_states() && !q.states.is_empty() {
        let mut s = q.states.clone();
        s.sort_by_key(|s| s.as_str());
        s.dedup();
        s.into_iter().map(Some).collect()
    } else {
        vec![None]
    };
    let states_left = !q.states.is_empty() && !driver.splits_states();
    let grid_left = q.grid.is_some() && !matches!(driver, Driver::Grid(_));
    let phone_left = q.phone_index.is_some() && !matches!(driver, Driver::Phone(_));
    let awaiting_left = q.awaiting.is_some() && !matches!(driver, Driver::Awaiting(_));
    // The department's scope area is residual, and so is a card's moment.
    let residual = area_residual
        || states_left
        || grid_left
        || phone_left
        || awaiting_left
        || q.text.is_some()
        || q.category.is_some()
        || q.channel.is_some()
        || (q.supervised.is_some() && driver != Driver::Supervised)
        || q.card.is_some();
    ListPlan { driver, streams, residual }
}

#[cfg(test)]
mod tests {
    use super::*;
    use civicgrid_domain::{AreaCode, Card};

    fn code(s: &str) -> AreaCode {
        s.parse().unwrap()
    }

    fn q(visibility: Visibility) -> CaseQuery {
        CaseQuery { visibility, ..Default::default() }
    }

    #[test]
    fn a_town_reader_walks_the_town_index_one_stream_per_state() {
        let mut query = q(Visibility::Area(code("371002001")));
        query.states = vec![CaseState::Reported, CaseState::Accepted, CaseState::Reported];
        let p = plan(&query).unwrap();
        assert_eq!(p.driver, Driver::Town("371002001".into()));
        assert_eq!(p.streams, vec![Some(CaseState::Accepted), Some(CaseState::Reported)]);
        assert!(!p.residual, "scope and states are both fixed by the index");
    }

    #[test]
    fn the_narrower_area_drives_and_the_wider_is_checked() {
        let mut query = q(Visibility::Area(code("3710")));
        query.area = Some(code("371002001001"));
        let p = plan(&query).unwrap();
        assert_eq!(p.driver, Driver::Village("371002001001".into()));
        assert!(p.residual);
        let p = plan(&q(Visibility::Area(code("3710")))).unwrap();
        assert_eq!((p.driver, p.residual), (Driver::Newest, true), "a city scope is too wide to index");
    }

    #[test]
    fn a_handler_walks_his_department_and_residents_their_reports() {
        let mut query = q(Visibility::Department(code("3710"), "wh-urban".into()));
        query.states = vec![CaseState::Dispatched];
        let p = plan(&query).unwrap();
        assert_eq!((p.driver, p.streams), (Driver::Department("wh-urban".into()), vec![Some(CaseState::Dispatched)]));
        let mut query = q(Visibility::Reporter("u1".into()));
        query.states = vec![CaseState::Closed];
        let p = plan(&query).unwrap();
        assert_eq!((p.driver, p.streams, p.residual), (Driver::Reporter("u1".into()), vec![None], true));
    }

    #[test]
    fn cards_walk_the_running_deadlines_and_nothing_walks_nothing() {
        let now = chrono::Utc::now();
        let mut query = q(Visibility::Everything);
        query.card = Some((Card::Red, now));
        assert_eq!(plan(&query).unwrap(), ListPlan { driver: Driver::Due, streams: vec![None], residual: true });
        query.card = Some((Card::Yellow, now));
        assert!(plan(&query).unwrap().residual, "the warning time is checked on the rows");
        assert_eq!(plan(&q(Visibility::Nothing)), None);
    }

    #[test]
    fn every_other_filter_is_residual() {
        let mut query = q(Visibility::Everything);
        assert_eq!(plan(&query).unwrap(), ListPlan { driver: Driver::Newest, streams: vec![None], residual: false });
        query.supervised = Some(false);
        assert!(plan(&query).unwrap().residual);
        query.supervised = Some(true);
        assert_eq!(plan(&query).unwrap(), ListPlan { driver: Driver::Supervised, streams: vec![None], residual: false });
        let mut query = q(Visibility::Everything);
        query.grid = Some(civicgrid_domain::GridCode::parse("371002001001001").unwrap());
        query.states = vec![CaseState::Reported];
        let p = plan(&query).unwrap();
        assert_eq!((p.driver, p.residual), (Driver::Grid("371002001001001".into()), true));
        let mut query = q(Visibility::Area(code("3710")));
        query.phone_index = Some("h".into());
        let p = plan(&query).unwrap();
        assert_eq!((p.driver, p.residual), (Driver::Phone("h".into()), true), "a caller's few cases, the scope checked on them");
        let mut query = q(Visibility::Everything);
        query.text = Some("垃圾".into());
        assert_eq!(plan(&query).unwrap(), ListPlan { driver: Driver::Newest, streams: vec![None], residual: true });
    }
}
