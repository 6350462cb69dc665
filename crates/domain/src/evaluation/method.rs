//! 考核办法: the evaluation's method as a document the assessed can read, generated from the
//! configuration in force, so that the published rules and the figures cannot drift apart.

use serde::Serialize;

use super::{Metric, RankRules, Weights};

/// One rate as the method defines it.
#[derive(Debug, Clone, PartialEq, Serialize, utoipa::ToSchema)]
pub struct RateRule {
    /// The rate.
    pub metric: Metric,
    /// Its name (zh-CN).
    pub name: String,
    /// Its weight in the score (the weights sum to 1).
    pub weight: f64,
    /// True for 重办率 and 退单率: the score counts 1 − rate.
    pub lower_is_better: bool,
    /// What is counted above the line.
    pub numerator: String,
    /// What is counted below the line.
    pub denominator: String,
    /// When a case is counted, and for which period.
    pub counted: String,
}

/// The method in force: every rate with its numerator, denominator and counting moment, the
/// weights, the minimum sample and the rules of ranking, in Chinese.
#[derive(Debug, Clone, PartialEq, Serialize, utoipa::ToSchema)]
pub struct Method {
    /// 考核办法.
    pub title: String,
    /// How small samples are treated.
    pub rank_rules: RankRules,
    /// The six rates.
    pub rates: Vec<RateRule>,
    /// The rules beside the rates: lateness, extensions, suspensions, escalations, step times,
    /// units, score, ranking and ties, caching.
    pub rules: Vec<String>,
}

impl Method {
    /// The method of `weights` and `rules` (the same words `docs/architecture.md` §15 gives).
    pub fn of(weights: &Weights, rules: &RankRules) -> Method {
        let rate = |metric: Metric, name: &str, numerator: &str, denominator: &str, counted: &str| RateRule {
            metric,
            name: name.into(),
            weight: weights.get(metric),
            lower_is_better: metric.lower_is_better(),
            numerator: numerator.into(),
            denominator: denominator.into(),
            counted: counted.into(),
        };
        let n = rules.min_cases;
        Method {
            title: "考核办法".into(),
            rank_rules: *rules,
            rates: vec![
                rate(Metric::Response, "响应率", "签收（或下级中心转派）的派遣", "期内的派遣", "按派遣时间计入其所在考核期；期末仍未签收的计为未响应"),
                rate(
                    Metric::OnTime,
                    "按期办结率",
                    "在有效期限内办结的处置",
                    "应办结的处置（期限已到或已办结）",
                    "按期办结的计入办结时间所在期；超期的在期限到达时即认定，计入期限所在期，此后任何延期、挂起、升级、退回均不改变",
                ),
                rate(Metric::Resolution, "解决率", "未被重办且未被评为不满意的办结", "期内的办结（核查通过或即报即办）", "按办结时间计入其所在考核期"),
                rate(Metric::Satisfaction, "满意率", "满意与基本满意的评价", "期内的评价", "按评价时间计入其所在考核期"),
                rate(Metric::Reopen, "重办率", "被重办的办结", "期内的办结", "按办结时间计入其所在考核期；越低越好"),
                rate(Metric::Return, "退单率", "被退回的派遣（签收后退回的也计）", "期内的派遣", "按派遣时间计入其所在考核期；越低越好"),
            ],
            rules: vec![
                "每件工单在每个考核对象的每项指标中只计一次，取其在期内最差的一次。".into(),
                "超期在期限到达时即认定：延期只有在原期限到达前申请的才改变期限（审批前原期限暂不认定超期）；期限过后申请的延期可以批准办理，但不消除超期。".into(),
                "挂起在期限到达前发生的，挂起期间不计时；期限过后的挂起不消除超期。".into(),
                "升级后，该环节在上级中心重新计时；已超期的处置升级后仍计超期。".into(),
                "环节用时为自然小时，自环节开始至完成该环节的事件，不含挂起时间。".into(),
                format!("某项指标不足 {n} 件为样本不足：照常显示，但计分时按全部考核对象的总体水平计；没有任何加权指标达到 {n} 件的考核对象列出而不评分、不排名。"),
                "综合得分为各项指标的加权平均（百分制），重办率、退单率按 1 − 比率计；无人具备的指标对所有对象同样不计。".into(),
                "同分时依次按派遣量多者、按期办结率高者、名称拼音顺序排列，每个名次只给一个对象。".into(),
                "考核期为中国时间的整日，首尾两日都计入，最长 366 天；只读取考核期结束前的事件，已结束考核期的数字不再改变。".into(),
                "同一问题 30 秒内再次查询，返回同一次计算的结果，并注明计算时间（computed_at）；明细列表每次重新读取。".into(),
            ],
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_method_names_every_rate_with_its_weight_and_minimum() {
        let m = Method::of(&Weights::default(), &RankRules::default());
        assert_eq!(m.rates.iter().map(|r| r.metric).collect::<Vec<_>>(), Metric::ALL);
        assert_eq!(m.rates[1].weight, 0.30);
        assert!(m.rules.iter().any(|r| r.contains("不足 5 件")), "{:?}", m.rules);
        assert_ne!(m, Method::of(&Weights::default(), &RankRules { min_cases: 3 }));
    }
}
