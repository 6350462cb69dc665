//! What an evaluation measures: the grouping ([`EvalBy`]), the ten rates ([`Metric`]), which
//! cases a drill-down lists ([`Outcome`]) and how much each rate weighs in the score ([`Weights`]).

use serde::{Deserialize, Serialize};
use std::fmt;
use std::str::FromStr;

use crate::case::string_enum;
use crate::DomainError;

string_enum!(
    /// What an evaluation ranks.
    EvalBy, "by" {
        /// 职能部门: the department a case was dispatched to.
        Department = "department",
        /// 镇街: the town or street the case lies in, or the one responsible ([`super::Attribution`]).
        Town = "town",
        /// 村社区: the village or community the case lies in, or the one responsible.
        Community = "community",
        /// 网格: the grid the case lies in.
        Grid = "grid",
        /// 人员: the person who took up, handled or closed the case.
        Worker = "worker",
    }
);

string_enum!(
    /// One of the rates: the six of the score, and four beside them (weighted 0 unless the city
    /// weighs them).
    Metric, "metric" {
        /// 响应率: dispatches taken up.
        Response = "response",
        /// 按期办结率: handling done by its deadline.
        OnTime = "on_time",
        /// 解决率: closures that stood.
        Resolution = "resolution",
        /// 满意率: ratings satisfied or basically satisfied.
        Satisfaction = "satisfaction",
        /// 重办率: closures reopened.
        Reopen = "reopen",
        /// 退单率: dispatches sent back and the return refused on review.
        Return = "return",
        /// 派单准确率: dispatches not returned as wrong dispatches, for the dispatcher.
        Accuracy = "accuracy",
        /// 挂起率: dispatches whose handling was suspended.
        Suspension = "suspension",
        /// 一次办结率: closures without a failed verification or a reopening.
        FirstFix = "first_fix",
        /// 参评率: closures the reporter rated.
        Participation = "participation",
    }
);

string_enum!(
    /// Which cases behind a rate a drill-down lists.
    Outcome, "outcome" {
        /// Those in the numerator (responded, on time, resolved, …, reopened, returned).
        Hit = "hit",
        /// Those in the denominator but not the numerator.
        Miss = "miss",
        /// The whole denominator.
        All = "all",
    }
);

impl Metric {
    /// 重办率, 退单率 and 挂起率: the less the better; the score counts them inverted.
    pub fn lower_is_better(self) -> bool {
        matches!(self, Metric::Reopen | Metric::Return | Metric::Suspension)
    }

    /// Its name (zh-CN), as the method, the page and the workbook print it.
    pub fn name_zh(self) -> &'static str {
        match self {
            Metric::Response => "响应率",
            Metric::OnTime => "按期办结率",
            Metric::Resolution => "解决率",
            Metric::Satisfaction => "满意率",
            Metric::Reopen => "重办率",
            Metric::Return => "退单率",
            Metric::Accuracy => "派单准确率",
            Metric::Suspension => "挂起率",
            Metric::FirstFix => "一次办结率",
            Metric::Participation => "参评率",
        }
    }

    pub(super) fn index(self) -> usize {
        Metric::ALL.iter().position(|m| *m == self).expect("listed")
    }
}

impl Outcome {
    /// True if an observation that is (or is not) a `hit` belongs to this outcome.
    pub fn takes(self, hit: bool) -> bool {
        match self {
            Outcome::Hit => hit,
            Outcome::Miss => !hit,
            Outcome::All => true,
        }
    }
}

/// How much each rate weighs in the score (scaled to sum to 1 by [`Weights::normalized`]). In a
/// configuration file a rate left out keeps its default weight.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(default, deny_unknown_fields)]
pub struct Weights {
    /// 响应率.
    pub response: f64,
    /// 按期办结率.
    pub on_time: f64,
    /// 解决率.
    pub resolution: f64,
    /// 满意率.
    pub satisfaction: f64,
    /// 重办率 (counted as 1 − rate).
    pub reopen: f64,
    /// 退单率 (counted as 1 − rate).
    #[serde(rename = "return")]
    pub return_: f64,
    /// 派单准确率.
    pub accuracy: f64,
    /// 挂起率 (counted as 1 − rate).
    pub suspension: f64,
    /// 一次办结率.
    pub first_fix: f64,
    /// 参评率.
    pub participation: f64,
}

impl Default for Weights {
    /// On time first, then satisfaction and resolution, as 12345 assessments weigh them; the
    /// four rates beside the six are shown but not weighed.
    fn default() -> Self {
        Weights { response: 0.15, on_time: 0.30, resolution: 0.20, satisfaction: 0.25, reopen: 0.05, return_: 0.05, ..Weights::zero() }
    }
}

impl Weights {
    /// Every weight 0.
    fn zero() -> Weights {
        Weights {
            response: 0.0,
            on_time: 0.0,
            resolution: 0.0,
            satisfaction: 0.0,
            reopen: 0.0,
            return_: 0.0,
            accuracy: 0.0,
            suspension: 0.0,
            first_fix: 0.0,
            participation: 0.0,
        }
    }

    /// The weight of one rate.
    pub fn get(&self, m: Metric) -> f64 {
        let mut w = *self;
        *w.slot(m)
    }

    fn set(&mut self, m: Metric, w: f64) {
        *self.slot(m) = w;
    }

    fn slot(&mut self, m: Metric) -> &mut f64 {
        match m {
            Metric::Response => &mut self.response,
            Metric::OnTime => &mut self.on_time,
            Metric::Resolution => &mut self.resolution,
            Metric::Satisfaction => &mut self.satisfaction,
            Metric::Reopen => &mut self.reopen,
            Metric::Return => &mut self.return_,
            Metric::Accuracy => &mut self.accuracy,
            Metric::Suspension => &mut self.suspension,
            Metric::FirstFix => &mut self.first_fix,
            Metric::Participation => &mut self.participation,
        }
    }

    /// The same weights scaled to sum to 1; refused if one is negative or not a number, or all
    /// are 0. `field` names the input at fault.
    pub fn normalized(self, field: &str) -> Result<Weights, DomainError> {
        let mut sum = 0.0;
        for m in Metric::ALL {
            let w = self.get(*m);
            if !w.is_finite() || w < 0.0 {
                return Err(DomainError::invalid(field, format!("the weight of {m} is {w}; give a number of 0 or more")));
            }
            sum += w;
        }
        if sum <= 0.0 {
            return Err(DomainError::invalid(field, "every weight is 0; give at least one rate a weight"));
        }
        let mut out = self;
        for m in Metric::ALL {
            out.set(*m, self.get(*m) / sum);
        }
        Ok(out)
    }

    /// Parses `response:0.2,on_time:0.4,…`: the rates named get those weights, the others 0.
    pub fn parse(s: &str, field: &str) -> Result<Weights, DomainError> {
        let mut w = Weights::zero();
        for part in s.split(',').map(str::trim).filter(|p| !p.is_empty()) {
            let (name, value) = part
                .split_once(':')
                .ok_or_else(|| DomainError::invalid(field, format!("`{part}`: write rate:weight, e.g. on_time:0.3")))?;
            let m: Metric = name.trim().parse().map_err(|e: DomainError| DomainError::invalid(field, e.to_string()))?;
            let v: f64 =
                value.trim().parse().map_err(|_| DomainError::invalid(field, format!("`{value}` is not a number (weight of {m})")))?;
            w.set(m, v);
        }
        w.normalized(field)
    }
}
