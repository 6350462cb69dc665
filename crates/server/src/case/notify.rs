//! Who hears of what: the notices an event of a case's log becomes (新派遣, 预警, 超期, 督办,
//! 退回, 升级, 结案, 评价, 重办), for whom, and in what words.

use civicgrid_domain::{Assignee, Case, CaseEvent, EventKind, Rating, Role, User};
use civicgrid_store::{NewDelivery, Notice, Subject};

use crate::RefData;

/// The people a case's event concerns, picked from every account.
struct Audience<'a> {
    users: &'a [User],
    case: &'a Case,
}

impl<'a> Audience<'a> {
    /// Whoever the case is with: its department's handlers, or the staff of the area it went to.
    fn assignee(&self) -> Vec<&'a User> {
        let area = self.case.area();
        match &self.case.assignee {
            Some(Assignee::Department { id }) => self
                .users
                .iter()
                .filter(|u| u.role == Role::DepartmentHandler && u.department.as_deref() == Some(id) && u.scope.contains(area))
                .collect(),
            Some(Assignee::Area { code }) => self
                .users
                .iter()
                .filter(|u| (u.role.is_dispatcher() || u.role == Role::GridWorker) && code.contains(&u.scope) && u.scope.contains(area))
                .collect(),
            None => Vec::new(),
        }
    }

    /// The one who claimed it, else everyone it is with.
    fn handler(&self) -> Vec<&'a User> {
        match &self.case.handler_user_id {
            Some(id) => self.users.iter().filter(|u| &u.id == id).collect(),
            None => self.assignee(),
        }
    }

    /// The dispatchers of the centre that owns the case (that level only, not those above).
    fn centre(&self) -> Vec<&'a User> {
        self.users.iter().filter(|u| u.role.is_dispatcher() && u.scope == self.case.owner_area).collect()
    }

    /// The leaders nearest the case: of all leaders over its area, those of the deepest level.
    fn leaders(&self) -> Vec<&'a User> {
        let over: Vec<&User> = self.users.iter().filter(|u| u.role == Role::Leader && u.scope.contains(self.case.area())).collect();
        let deepest = over.iter().map(|u| u.scope.as_str().len()).max();
        over.into_iter().filter(|u| Some(u.scope.as_str().len()) == deepest).collect()
    }

    /// The signed-in resident who reported it.
    fn reporter(&self) -> Vec<&'a User> {
        match &self.case.reporter_user_id {
            Some(id) => self.users.iter().filter(|u| &u.id == id && u.role == Role::Resident).collect(),
            None => Vec::new(),
        }
    }
}

/// The notices `event` becomes, `case` being the case just after it. Events nobody needs to
/// hear of (a report, a claim, a note) become none.
pub fn notices(case: &Case, event: &CaseEvent, users: &[User], rd: &RefData, message_id: &str) -> Vec<(User, Notice)> {
    let who = Audience { users, case };
    let category = rd.category(&case.report.category).map(|c| c.name.clone()).unwrap_or_else(|| case.report.category.to_string());
    let place = rd.area_name(case.area());
    let due =
        |d: &chrono::DateTime<chrono::Utc>| d.with_timezone(&civicgrid_domain::calendar::china_time()).format("%m月%d日 %H:%M").to_string();
    let deadline = case
        .deadline
        .as_ref()
        .map(|d| format!("，{}时限 {}", civicgrid_domain::policy::step_name(d.step), due(&d.due)))
        .unwrap_or_default();
    let (kind, mut to, title, body) = match &event.kind {
        EventKind::Dispatched { instructions, .. } => (
            "dispatched",
            who.assignee(),
            format!("新派遣：{category}"),
            format!("{place}{deadline}{}", instructions.as_ref().map(|i| format!("。{i}")).unwrap_or_default()),
        ),
        EventKind::DeadlineWarned { step, due: at } => (
            "deadline_warned",
            if *step == civicgrid_domain::Step::Handle { who.handler() } else { who.centre() },
            format!("预警：{}时限将至", civicgrid_domain::policy::step_name(*step)),
            format!("{category}，{place}，时限 {}", due(at)),
        ),
        EventKind::Overdue { step, due: at } => {
            let mut to = who.centre();
            if *step == civicgrid_domain::Step::Handle {
                to.extend(who.handler());
            }
            (
                "overdue",
                to,
                format!("超期：{}已超过时限", civicgrid_domain::policy::step_name(*step)),
                format!("{category}，{place}，时限 {}", due(at)),
            )
        }
        EventKind::Supervised { instruction } => {
            let mut to = who.handler();
            if to.is_empty() {
                to = who.centre();
            }
            to.extend(who.leaders());
            ("supervised", to, format!("督办：{category}"), instruction.clone())
        }
        EventKind::Returned { reason } => ("returned", who.centre(), format!("退回待审核：{category}"), reason.clone()),
        // A refused return is back with its handler, the deadline still running.
        EventKind::ReturnReviewed { accepted: false, comment } => (
            "return_refused",
            who.handler(),
            format!("退回未获同意：{category}"),
            format!("{}。请继续办理，时限照常计算。", comment.clone().unwrap_or_default()),
        ),
        EventKind::SuspensionRequested { reason } => ("suspension_requested", who.centre(), format!("申请挂起：{category}"), reason.clone()),
        EventKind::SuspensionDecided { granted, reason } => (
            "suspension_decided",
            who.handler(),
            format!("挂起申请{}：{category}", if *granted { "已同意" } else { "未同意" }),
            reason.clone().unwrap_or_else(|| format!("{category}，{place}")),
        ),
        EventKind::Escalated { reason, .. } => ("escalated", who.centre(), format!("升级：{category}"), format!("{place}。{reason}")),
        EventKind::Verified { passed: true, .. } | EventKind::ClosedOnSpot { .. } => {
            ("closed", who.reporter(), format!("已结案：{category}"), format!("您反映的问题（{}）已处理完毕，请评价。", case.code))
        }
        EventKind::Rated { rating, comment } => {
            let mut to = who.centre();
            if let Some(h) = &case.handler_user_id {
                to.extend(users.iter().filter(|u| &u.id == h));
            }
            let word = match rating {
                Rating::Satisfied => "满意",
                Rating::BasicallySatisfied => "基本满意",
                Rating::Unsatisfied => "不满意",
            };
            ("rated", to, format!("评价：{word}"), comment.clone().unwrap_or_else(|| format!("{category}，{place}")))
        }
        EventKind::Reopened { reason } => ("reopened", who.centre(), format!("重办：{category}"), reason.clone()),
        _ => return Vec::new(),
    };
    to.sort_by(|a, b| a.id.cmp(&b.id));
    to.dedup_by(|a, b| a.id == b.id);
    to.into_iter()
        .map(|u| {
            let notice = Notice {
                user_id: u.id.clone(),
                message_id: message_id.to_string(),
                subject: Subject::case(case.id),
                subject_code: case.code.to_string(),
                kind: kind.to_string(),
                title: title.clone(),
                body: body.clone(),
            };
            (u.clone(), notice)
        })
        .collect()
}

/// The delivery of `notice` to `user` on an outside channel: a JSON body carrying the message id,
/// which the receiver deduplicates on (delivery is at least once).
pub fn delivery(channel: &str, user: &User, notice: &Notice, event: &CaseEvent) -> NewDelivery {
    let payload = serde_json::json!({
        "message_id": notice.message_id,
        "channel": channel,
        "to": { "username": user.username, "name": user.display_name },
        "kind": notice.kind,
        "title": notice.title,
        "body": notice.body,
        "case_id": notice.subject.id,
        "case_code": notice.subject_code,
        "at": event.at,
    });
    NewDelivery {
        message_id: notice.message_id.clone(),
        channel: channel.to_string(),
        recipient: user.username.clone(),
        payload: payload.to_string(),
    }
}
