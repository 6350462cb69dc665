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
    /// 评价: ratings.
    pub rated: u64,
    /// 满意: satisfied or basically satisfied.
    pub satisfied: u64,
    /// 重办: closures reopened.
    pub reopened: u64,
    /// 退单: dispatches sent back.
    pub returned: u64,
}

/// The six rates, 0–1; none where the denominator is 0.
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
        }
    }
}

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
    num: [u64; 6],
    den: [u64; 6],
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
        for i in 0..6 {
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
            },
            rates: Rates {
                response: rate(Metric::Response),
                on_time: rate(Metric::OnTime),
                resolution: rate(Metric::Resolution),
                satisfaction: rate(Metric::Satisfaction),
                reopen: rate(Metric::Reopen),
                return_: rate(Metric::Return),
            },
            avg_hours: StepHours { accept: hours(0), dispatch: hours(1), handle: hours(2), verify: hours(3) },
        }
    }
}

/// The score (0–100) of a unit's rates: their weighted mean, 重办率 and 退单率 counted as
/// 1 − rate, over the rates it has (the weights of those it lacks are shared out); none
/// without any rate.
pub fn score(rates: &Rates, w: &Weights) -> Option<f64> {
    let (mut sum, mut wsum) = (0.0, 0.0);
    for m in Metric::ALL {
        if let Some(r) = rates.get(*m) {
            let v = if m.lower_is_better() { 1.0 - r } else { r };
            sum += w.get(*m) * v;
            wsum += w.get(*m);
        }
    }
    (wsum > 0.0).then(|| (sum / wsum * 10_000.0).round() / 100.0)
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
    /// 1 for the best score; units with the same score share a rank; none without a score.
    pub rank: Option<u32>,
    /// The unit.
    pub unit: Unit,
    /// The score, 0–100.
    pub score: Option<f64>,
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

/// The rows of a ranking, best first (units without a score last, in the order given), and
/// the total of them all.
pub fn rank(units: Vec<(Unit, Tally)>, w: &Weights) -> (Vec<Row>, Figures) {
    let mut total = Tally::default();
    let mut rows: Vec<Row> = units
        .into_iter()
        .map(|(unit, t)| {
            total.merge(&t);
            let figures = t.figures();
            Row { rank: None, unit, score: score(&figures.rates, w), figures }
        })
        .collect();
    // Stable: equal scores keep the caller's order (by name).
    rows.sort_by(|a, b| match (a.score, b.score) {
        (Some(x), Some(y)) => y.total_cmp(&x),
        (Some(_), None) => std::cmp::Ordering::Less,
        (None, Some(_)) => std::cmp::Ordering::Greater,
        (None, None) => std::cmp::Ordering::Equal,
    });
    let mut prev: Option<(f64, u32)> = None;
    for (i, r) in rows.iter_mut().enumerate() {
        if let Some(s) = r.score {
            let rank = match prev {
                Some((p, k)) if p == s => k,
                _ => i as u32 + 1,
            };
            prev = Some((s, rank));
            r.rank = Some(rank);
        }
    }
    (rows, total.figures())
}
