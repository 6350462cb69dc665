//! Summing what the cases say: the counts, rates and step hours of a unit ([`Tally`],
//! [`Figures`]), all units' tallies ([`Tallies`]), the score and the ranking ([`rank`]).

use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

use super::{CaseFacts, Metric, Observation, StepTime, Weights};
use crate::timelimit::Step;

/// The counts behind the rates.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct Counts {
    /// 派遣: dispatches (响应率's and 退单率's denominator).
    pub dispatched: u64,
    /// 响应: dispatches taken up.
    pub responded: u64,
    /// 应办结: handling that settled (按期办结率's denominator).
    pub due: u64,
    /// 按期办结: handled by the deadline.
    pub on_time: u64,
    /// 办结: closures (解决率's and 重办率's denominator).
    pub closed: u64,
    /// 解决: closures that stood.
    pub resolved: u64,
    /// 评价: closures rated within the follow-up window, and those counted satisfied by default
    /// (满意率's denominator).
    pub rated: u64,
    /// 满意: satisfied or basically satisfied.
    pub satisfied: u64,
    /// 重办: closures reopened.
    pub reopened: u64,
    /// 退单: dispatches sent back and the return refused on review.
    pub returned: u64,
    /// 派单: dispatches made (派单准确率's denominator, for the dispatcher).
    pub sent: u64,
    /// 派单准确: dispatches not returned as wrong dispatches.
    pub accurate: u64,
    /// 挂起: dispatches whose handling was suspended.
    pub suspended: u64,
    /// 一次办结: closures without a failed verification or a reopening.
    pub first_fix: u64,
    /// 参评: closures the reporter rated within the follow-up window.
    pub participated: u64,
}

impl Counts {
    /// The denominator of a rate: the cases it is counted on.
    pub fn of(&self, m: Metric) -> u64 {
        match m {
            Metric::Response | Metric::Return | Metric::Suspension => self.dispatched,
            Metric::OnTime => self.due,
            Metric::Resolution | Metric::Reopen | Metric::FirstFix | Metric::Participation => self.closed,
            Metric::Satisfaction => self.rated,
            Metric::Accuracy => self.sent,
        }
    }
}

/// The rates, 0–1; none where the denominator is 0.
#[derive(Debug, Clone, Copy, Default, PartialEq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct Rates {
    /// 响应率.
    pub response: Option<f64>,
    /// 按期办结率.
    pub on_time: Option<f64>,
    /// 解决率.
    pub resolution: Option<f64>,
    /// 满意率.
    pub satisfaction: Option<f64>,
    /// 重办率.
    pub reopen: Option<f64>,
    /// 退单率.
    #[serde(rename = "return")]
    pub return_: Option<f64>,
    /// 派单准确率.
    pub accuracy: Option<f64>,
    /// 挂起率.
    pub suspension: Option<f64>,
    /// 一次办结率.
    pub first_fix: Option<f64>,
    /// 参评率.
    pub participation: Option<f64>,
}

impl Rates {
    /// One rate.
    pub fn get(&self, m: Metric) -> Option<f64> {
        match m {
            Metric::Response => self.response,
            Metric::OnTime => self.on_time,
            Metric::Resolution => self.resolution,
            Metric::Satisfaction => self.satisfaction,
            Metric::Reopen => self.reopen,
            Metric::Return => self.return_,
            Metric::Accuracy => self.accuracy,
            Metric::Suspension => self.suspension,
            Metric::FirstFix => self.first_fix,
            Metric::Participation => self.participation,
        }
    }
}

/// How many rates there are.
const RATES: usize = Metric::ALL.len();

/// Average natural hours per step; none where no step was completed.
#[derive(Debug, Clone, Copy, Default, PartialEq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct StepHours {
    /// 受理.
    pub accept: Option<f64>,
    /// 派遣.
    pub dispatch: Option<f64>,
    /// 处置.
    pub handle: Option<f64>,
    /// 核查.
    pub verify: Option<f64>,
}

impl StepHours {
    /// One step's average.
    pub fn get(&self, s: Step) -> Option<f64> {
        match s {
            Step::Accept => self.accept,
            Step::Dispatch => self.dispatch,
            Step::Handle => self.handle,
            Step::Verify => self.verify,
        }
    }
}

/// The figures of one unit (or of all).
#[derive(Debug, Clone, Copy, Default, PartialEq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct Figures {
    /// The counts.
    pub counts: Counts,
    /// The rates they give.
    pub rates: Rates,
    /// Average hours per step.
    pub avg_hours: StepHours,
}

/// Sums of observations and step times, for one unit or all.
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub struct Tally {
    num: [u64; RATES],
    den: [u64; RATES],
    hours: [(f64, u64); 4],
}

impl Tally {
    /// Counts one observation.
    fn observe(&mut self, o: &Observation) {
        self.den[o.metric.index()] += 1;
        self.num[o.metric.index()] += u64::from(o.hit);
    }

    /// Counts one completed step.
    fn step(&mut self, s: &StepTime) {
        let i = Step::ALL.iter().position(|x| *x == s.step).expect("listed");
        self.hours[i].0 += s.hours;
        self.hours[i].1 += 1;
    }

    /// Adds another tally.
    pub fn merge(&mut self, other: &Tally) {
        for i in 0..RATES {
            self.num[i] += other.num[i];
            self.den[i] += other.den[i];
        }
        for i in 0..4 {
            self.hours[i].0 += other.hours[i].0;
            self.hours[i].1 += other.hours[i].1;
        }
    }

    /// The counts, rates and hours.
    pub fn figures(&self) -> Figures {
        let (num, den) = (|m: Metric| self.num[m.index()], |m: Metric| self.den[m.index()]);
        let rate = |m: Metric| (den(m) > 0).then(|| num(m) as f64 / den(m) as f64);
        let hours = |s: usize| {
            let (sum, n) = self.hours[s];
            (n > 0).then(|| (sum / n as f64 * 100.0).round() / 100.0)
        };
        Figures {
            counts: Counts {
                dispatched: den(Metric::Response),
                responded: num(Metric::Response),
                due: den(Metric::OnTime),
                on_time: num(Metric::OnTime),
                closed: den(Metric::Resolution),
                resolved: num(Metric::Resolution),
                rated: den(Metric::Satisfaction),
                satisfied: num(Metric::Satisfaction),
                reopened: num(Metric::Reopen),
                returned: num(Metric::Return),
                sent: den(Metric::Accuracy),
                accurate: num(Metric::Accuracy),
                suspended: num(Metric::Suspension),
                first_fix: num(Metric::FirstFix),
                participated: num(Metric::Participation),
            },
            rates: Rates {
                response: rate(Metric::Response),
                on_time: rate(Metric::OnTime),
                resolution: rate(Metric::Resolution),
                satisfaction: rate(Metric::Satisfaction),
                reopen: rate(Metric::Reopen),
                return_: rate(Metric::Return),
                accuracy: rate(Metric::Accuracy),
                suspension: rate(Metric::Suspension),
                first_fix: rate(Metric::FirstFix),
                participation: rate(Metric::Participation),
            },
            avg_hours: StepHours { accept: hours(0), dispatch: hours(1), handle: hours(2), verify: hours(3) },
        }
    }
}

/// The score (0–100) of some rates: their weighted mean, 重办率, 退单率 and 挂起率 counted as 1 − rate,
/// over the rates present (the weights of those absent are shared out); none without any rate.
pub fn score(rates: &Rates, w: &Weights) -> Option<f64> {
    weighted_mean(|m| rates.get(m), w)
}

/// The weighted mean (0–100) of the rates `rate` gives, over those present.
fn weighted_mean(rate: impl Fn(Metric) -> Option<f64>, w: &Weights) -> Option<f64> {
    let (mut sum, mut wsum) = (0.0, 0.0);
    for m in Metric::ALL {
        if let Some(r) = rate(*m) {
            let v = if m.lower_is_better() { 1.0 - r } else { r };
            sum += w.get(*m) * v;
            wsum += w.get(*m);
        }
    }
    (wsum > 0.0).then(|| (sum / wsum * 10_000.0).round() / 100.0)
}

/// How a ranking treats small samples (part of the published method, 考核办法).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct RankRules {
    /// A rate counted on fewer cases than this is 样本不足: the unit's score takes the level of
    /// all units together for it instead, and a unit with no weighted rate on this many cases
    /// is listed but neither scored nor ranked.
    pub min_cases: u64,
}

impl Default for RankRules {
    fn default() -> Self {
        RankRules { min_cases: 5 }
    }
}

/// A unit's score under `rules`: each weighted rate on at least `min_cases` cases counts as
/// the unit's own; a rate on fewer cases, or none, counts at `overall`'s level (all units
/// together), so a thin sample neither lifts nor sinks a unit; a rate nobody has drops out for
/// every unit alike. None if no weighted rate of the unit stands on enough cases.
pub fn unit_score(f: &Figures, overall: &Rates, w: &Weights, rules: &RankRules) -> Option<f64> {
    let weighted = Metric::ALL.iter().filter(|m| w.get(**m) > 0.0);
    if !weighted.clone().any(|m| f.counts.of(*m) >= rules.min_cases) {
        return None;
    }
    weighted_mean(|m| f.rates.get(m).filter(|_| f.counts.of(m) >= rules.min_cases).or(overall.get(m)), w)
}

/// A unit evaluated: a department, an area, a grid or a person.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct Unit {
    /// Department id, area or grid code, or user id.
    pub id: String,
    /// Its name.
    pub name: String,
}

/// One unit's line of the ranking.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct Row {
    /// 1 for the best score, each rank given once (ties broken as [`rank`] says); none for a
    /// unit without enough cases to be scored.
    pub rank: Option<u32>,
    /// The unit.
    pub unit: Unit,
    /// The score, 0–100 ([`unit_score`]).
    pub score: Option<f64>,
    /// The weighted rates counted on fewer than the minimum of cases (样本不足): shown, but
    /// scored at the level of all units together.
    pub thin: Vec<Metric>,
    /// Its figures.
    #[serde(flatten)]
    pub figures: Figures,
}

/// The units' tallies as a period's cases are read (a page at a time, so memory stays bounded).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Tallies(BTreeMap<String, Tally>);

impl Tallies {
    /// Tallies in which the `listed` units are (with empty figures if nothing happened).
    pub fn listing(listed: &[String]) -> Tallies {
        Tallies(listed.iter().map(|u| (u.clone(), Tally::default())).collect())
    }

    /// Adds what one case says, for every unit it names.
    pub fn add(&mut self, f: &CaseFacts) {
        for o in &f.observations {
            self.unit(&o.unit).observe(o);
        }
        for s in &f.steps {
            self.unit(&s.unit).step(s);
        }
    }

    fn unit(&mut self, id: &str) -> &mut Tally {
        if !self.0.contains_key(id) {
            self.0.insert(id.to_string(), Tally::default());
        }
        self.0.get_mut(id).expect("inserted above")
    }

    /// Adds the tallies of another page.
    pub fn merge(&mut self, other: Tallies) {
        for (u, t) in other.0 {
            self.0.entry(u).or_default().merge(&t);
        }
    }

    /// Each unit's tally, by id.
    pub fn into_units(self) -> BTreeMap<String, Tally> {
        self.0
    }
}

/// The rows of a ranking, best first, and the total of them all. Ties of score are broken, in
/// order, by more dispatches (the larger workload), a higher 按期办结率, then the name in pinyin
/// order and the id; units without a score come last, ordered the same way.
pub fn rank(units: Vec<(Unit, Tally)>, w: &Weights, rules: &RankRules) -> (Vec<Row>, Figures) {
    let mut total = Tally::default();
    units.iter().for_each(|(_, t)| total.merge(t));
    let total = total.figures();
    let mut rows: Vec<(String, Row)> = units
        .into_iter()
        .map(|(unit, t)| {
            let figures = t.figures();
            let thin = Metric::ALL.iter().copied().filter(|m| w.get(*m) > 0.0 && figures.counts.of(*m) < rules.min_cases).collect();
            let score = unit_score(&figures, &total.rates, w, rules);
            (crate::text::pinyin_key(&unit.name), Row { rank: None, unit, score, thin, figures })
        })
        .collect();
    rows.sort_by(|(ka, a), (kb, b)| {
        let by_score = match (a.score, b.score) {
            (Some(x), Some(y)) => y.total_cmp(&x),
            (Some(_), None) => std::cmp::Ordering::Less,
            (None, Some(_)) => std::cmp::Ordering::Greater,
            (None, None) => std::cmp::Ordering::Equal,
        };
        let on_time = |r: &Row| r.figures.rates.on_time.unwrap_or(-1.0);
        by_score
            .then_with(|| b.figures.counts.dispatched.cmp(&a.figures.counts.dispatched).then_with(|| on_time(b).total_cmp(&on_time(a))))
            .then_with(|| ka.cmp(kb))
            .then_with(|| a.unit.id.cmp(&b.unit.id))
    });
    let mut rows: Vec<Row> = rows.into_iter().map(|(_, r)| r).collect();
    for (i, r) in rows.iter_mut().enumerate() {
        r.rank = r.score.map(|_| i as u32 + 1);
    }
    (rows, total)
}
