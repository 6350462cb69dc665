//! 考核办法: the evaluation's method as a document the assessed can read, generated from the
//! configuration in force, so that the published rules and the figures cannot drift apart.

use serde::Serialize;

use super::{Attribution, CountRules, Metric, RankRules, Weights};

/// One rate as the method defines it.
#[derive(Debug, Clone, PartialEq, Serialize, utoipa::ToSchema)]
pub struct RateRule {
    /// The rate.
    pub metric: Metric,
    /// Its name (zh-CN).
    pub name: String,
    /// Its weight in the score (the weights sum to 1).
    pub weight: f64,
    /// True for 重办率, 退单率 and 挂起率: the score counts 1 − rate.
    pub lower_is_better: bool,
    /// What is counted above the line.
    pub numerator: String,
    /// What is counted below the line.
    pub denominator: String,
    /// When a case is counted, and for which period.
    pub counted: String,
}

/// The limits of the case loop that the method leans on (`[rules]` in the configuration).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub struct Limits {
    /// Extensions granted per case, at most.
    pub max_extensions: Option<u32>,
    /// Natural days all extensions of a case may add.
    pub max_extension_days: Option<u32>,
    /// Natural days after which a suspension ends by itself.
    pub max_suspension_days: Option<u32>,
}

impl Limits {
    /// The limits of `rules`.
    pub fn of(rules: &crate::policy::Rules) -> Limits {
        Limits { max_extensions: rules.max_extensions, max_extension_days: rules.max_extension_days, max_suspension_days: rules.max_suspension_days }
    }
}

/// The method in force: every rate with its numerator, denominator and counting moment, the
/// weights, the minimum sample and the rules of ranking, in Chinese.
#[derive(Debug, Clone, PartialEq, Serialize, utoipa::ToSchema)]
pub struct Method {
    /// 考核办法.
    pub title: String,
    /// How small samples are treated.
    pub rank_rules: RankRules,
    /// How cases are counted: the follow-up window, the default rating, attribution.
    pub count_rules: CountRules,
    /// The limits on extensions and suspensions, as the case loop enforces them.
    pub limits: Limits,
    /// The rates, the six of the score first.
    pub rates: Vec<RateRule>,
    /// The rules beside the rates: lateness, extensions, suspensions, escalations, step times,
    /// units, score, ranking and ties, caching.
    pub rules: Vec<String>,
}

impl Method {
    /// The method of `weights`, `rank`, `count` and `limits` (the words `docs/architecture.md`
    /// §15 gives).
    pub fn of(weights: &Weights, rank: &RankRules, count: &CountRules, limits: &Limits) -> Method {
        let rate = |metric: Metric, numerator: &str, denominator: &str, counted: &str| RateRule {
            metric,
            name: metric.name_zh().into(),
            weight: weights.get(metric),
            lower_is_better: metric.lower_is_better(),
            numerator: numerator.into(),
            denominator: denominator.into(),
            counted: counted.into(),
        };
        let w = count.follow_up_days;
        let dispatch_period = "按派遣时间计入其所在考核期";
        let closure_period = format!("按办结时间计入其所在考核期，以办结后 {w} 天回访期内发生的为准");
        Method {
            title: "考核办法".into(),
            rank_rules: *rank,
            count_rules: *count,
            limits: *limits,
            rates: vec![
                rate(Metric::Response, "签收、退回或下级中心转派的派遣", "期内的派遣", &format!("{dispatch_period}；期末仍未签收的计为未响应")),
                rate(Metric::OnTime,
                    "在有效期限内办结的处置",
                    "应办结的处置（期限已到或已办结）",
                    "按期办结的计入办结时间所在期；超期的在期限到达时即认定，计入期限所在期（期限到达时延期申请或退单审核尚待决定的，在决定时认定，计入决定所在期），此后任何延期、挂起、升级、退回均不改变",
                ),
                rate(Metric::Resolution, "回访期内未被重办且未被评为不满意的办结", "期内的办结（核查通过或即报即办）", &closure_period),
                rate(Metric::Satisfaction, "满意与基本满意的评价", "期内办结并在回访期内评价的", &closure_period),
                rate(Metric::Reopen, "回访期内被重办的办结", "期内的办结", &format!("{closure_period}；越低越好")),
                rate(Metric::Return, "退回后经审核不予同意的派遣（签收后退回的也计）", "期内的派遣", &format!("{dispatch_period}；越低越好")),
                rate(Metric::Accuracy, "未因派错被同意退回、也未被撤回的派遣", "派遣人（或其中心）期内的派遣", dispatch_period),
                rate(Metric::Suspension, "处置中被挂起的派遣", "期内的派遣", &format!("{dispatch_period}；越低越好")),
                rate(Metric::FirstFix, "没有核查不通过、回访期内也未被重办的办结", "期内的办结", &closure_period),
                rate(Metric::Participation, "回访期内群众作出评价的办结", "期内的办结", &closure_period),
            ],
            rules: rules_text(rank, count, limits),
        }
    }
}

/// The rules beside the rates, in the order an assessor reads them.
fn rules_text(rank: &RankRules, count: &CountRules, limits: &Limits) -> Vec<String> {
    let n = rank.min_cases;
    let w = count.follow_up_days;
    let limit = |v: Option<u32>, unit: &str| v.map_or("不限".to_string(), |v| format!("{v}{unit}"));
    let attribution = |a: Attribution| match a {
        Attribution::Location => "按工单所在地（属地）",
        Attribution::Responsibility => "按各环节的责任中心（派至下级中心的计该中心，其余计当时负责的中心；市级部门办理的不计入镇街）",
    };
    let default_rating = match count.default_satisfied_days {
        Some(d) => format!("已启用默认满意：办结后 {d} 天内未评价的按满意计入满意率（不计入参评率），此后的评价不再改变满意率。"),
        None => format!("未启用默认满意：回访期内未评价的办结不计入满意率，计入参评率的分母。"),
    };
    vec![
        "每件工单在每个考核对象的每项指标中只计一次，取其在期内最差的一次。".into(),
        "超期在期限到达时即认定：延期只有在原期限到达前申请的才改变期限（审批前原期限暂不认定超期，审批不同意的在审批时认定超期；审批前已办结的，按申请的期限判断）；期限过后申请的延期可以批准办理，但不消除超期。中心调整期限（须注明理由，记入办理记录）与批准延期同样对待：在原期限到达前调整的，按新期限判断；期限过后调整的，不消除超期。".into(),
        format!(
            "延期：每件工单最多批准 {}，累计延长不超过 {}。挂起须经中心同意（部门申请、中心审批，或中心直接挂起）；挂起期间不计时，满 {} 自动恢复计时；期限过后的挂起不消除超期。",
            limit(limits.max_extensions, " 次"),
            limit(limits.max_extension_days, " 天"),
            limit(limits.max_suspension_days, " 天")
        ),
        "退单审核：部门退回的工单由派遣中心审核，审核期间处置期限照常计算但暂不认定超期。同意退回的视为派错：不计入部门的退单率、按期办结率、挂起率（退回前已认定的超期不变），计入派遣人的派单准确率；不同意的退回原处理人，期限照常计算（审核期间到期的，在审核时认定超期），计入部门的退单率。审核前工单被升级或合并的，不计入任何一方。退回即视为已响应。派遣中心在签收前撤回的派遣（撤回派遣）同样视为派错：不计入部门，计入派遣人的派单准确率。".into(),
        "升级后，该环节在上级中心重新计时；已超期的处置升级后仍计超期。".into(),
        format!("回访期为办结后 {w} 天：期内办结的工单，其回访期内的重办、不满意评价计入办结所在考核期；考核期结束后 {w} 天内数字为暂定（provisional），此后不再改变。"),
        default_rating,
        format!("考核对象：镇街{}，村社区{}，网格按工单所在网格。", attribution(count.town), attribution(count.community)),
        "环节用时为自然小时，自环节开始至完成该环节的事件，不含挂起时间。".into(),
        format!("某项指标不足 {n} 件为样本不足：照常显示，但计分时按全部考核对象的总体水平计；没有任何加权指标达到 {n} 件的考核对象列出而不评分、不排名。"),
        "综合得分为各项加权指标的加权平均（百分制），重办率、退单率、挂起率按 1 − 比率计；无人具备的指标对所有对象同样不计；权重为 0 的指标只展示、不计分。".into(),
        "同分时依次按派遣量多者、按期办结率高者、名称拼音顺序排列，每个名次只给一个对象。".into(),
        "考核期为中国时间的整日，首尾两日都计入，最长 366 天。".into(),
        "同一问题 30 秒内再次查询，返回同一次计算的结果，并注明计算时间（computed_at）；明细列表每次重新读取。".into(),
    ]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_method_names_every_rate_with_its_weight_and_minimum() {
        let limits = Limits::of(&crate::policy::Rules::default());
        let m = Method::of(&Weights::default(), &RankRules::default(), &CountRules::default(), &limits);
        assert_eq!(m.rates.iter().map(|r| r.metric).collect::<Vec<_>>(), Metric::ALL);
        assert_eq!(m.rates[1].weight, 0.30);
        assert!(m.rules.iter().any(|r| r.contains("不足 5 件")), "{:?}", m.rules);
        assert!(m.rules.iter().any(|r| r.contains("最多批准 2 次，累计延长不超过 30 天")), "{:?}", m.rules);
        assert!(m.rules.iter().any(|r| r.contains("回访期为办结后 7 天")), "{:?}", m.rules);
        assert!(m.rules.iter().any(|r| r.contains("未启用默认满意")), "{:?}", m.rules);
        assert_ne!(m, Method::of(&Weights::default(), &RankRules { min_cases: 3 }, &CountRules::default(), &limits));
        let on = CountRules { default_satisfied_days: Some(3), ..CountRules::default() };
        let m = Method::of(&Weights::default(), &RankRules::default(), &on, &limits);
        assert!(m.rules.iter().any(|r| r.contains("办结后 3 天内未评价的按满意")), "{:?}", m.rules);
    }
}
