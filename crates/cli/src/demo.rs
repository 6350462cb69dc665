//! The demo city: Weihai (威海市, 3710) with its real area tree, demo departments, one account
//! per role and a few hundred cases in every state, with their histories. The case generator
//! also feeds the benchmarks.

use anyhow::{Context, Result};
use chrono::{DateTime, Duration, Utc};
use civicgrid_domain::{
    Actor, AreaCode, AreaLevel, Case, CaseCode, CaseEvent, Category, CategoryCode, Channel, Command, Department, DispatchTarget,
    LocationFix, NewCase, NewCaseInput, Rating, Role, User,
};
use civicgrid_server::AppState;
use civicgrid_store::crypto::{hash_password, Cipher};
use civicgrid_store::{seed, NewUser, SqliteDurability, Store};
use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};
use std::collections::HashMap;
use std::path::PathBuf;
use std::sync::Arc;
use uuid::Uuid;

/// The demo city.
pub const CITY: &str = "3710";
/// The demo town (环翠楼街道).
pub const TOWN: &str = "371002001";
/// The password of every demo account.
pub const PASSWORD: &str = "civicgrid";

fn code(s: &str) -> AreaCode {
    AreaCode::parse(s).expect("demo codes are valid")
}

fn cats(list: &[&str]) -> Vec<CategoryCode> {
    list.iter().map(|c| CategoryCode::parse(c).expect("demo category codes are valid")).collect()
}

/// The demo departments of Weihai.
pub fn departments() -> Vec<Department> {
    let d = |id: &str, name: &str, en: &str, area: &str, c: &[&str]| Department {
        id: id.into(),
        name: name.into(),
        name_en: en.into(),
        area: code(area),
        categories: cats(c),
    };
    vec![
        d("wh-urban", "威海市综合行政执法局", "Weihai Urban Administration and Law Enforcement Bureau", CITY, &["01", "02", "05", "06"]),
        d("wh-housing", "威海市住房和城乡建设局", "Weihai Housing and Urban-Rural Development Bureau", CITY, &["03", "1203", "1304"]),
        d("wh-water", "威海市水务集团", "Weihai Water Group", CITY, &["0402", "0404", "1301"]),
        d("wh-gas", "威海市燃气公司", "Weihai Gas Company", CITY, &["0403", "1204"]),
        d("wh-emergency", "威海市应急管理局", "Weihai Emergency Management Bureau", CITY, &["04", "1205"]),
        d("wh-fire", "威海市消防救援支队", "Weihai Fire and Rescue Detachment", CITY, &["1201", "1202"]),
        d("wh-civil", "威海市民政局", "Weihai Civil Affairs Bureau", CITY, &["1302"]),
        d("wh-police", "威海市公安局", "Weihai Public Security Bureau", CITY, &["14"]),
        d("wh-transport", "威海市交通运输局", "Weihai Transport Bureau", CITY, &["0303", "0401", "0405", "1303", "1402"]),
        d("hc-justice", "环翠区司法局", "Huancui District Justice Bureau", "371002", &["11"]),
        d("hc-urban", "环翠区综合行政执法局", "Huancui District Urban Administration Bureau", "371002", &["01", "02", "05"]),
        d("hcl-squad", "环翠楼街道综合执法中队", "Huancuilou Street Law Enforcement Squad", TOWN, &["01", "02", "05"]),
    ]
}

/// A demo account.
pub struct DemoAccount {
    /// Login name.
    pub username: &'static str,
    /// Shown name.
    pub display_name: String,
    /// Role.
    pub role: Role,
    /// Scope.
    pub scope: AreaCode,
    /// Department.
    pub department: Option<&'static str>,
}

/// One account per role; `community` is the first community of the demo town.
pub fn accounts(community: &AreaCode, community_name: &str) -> Vec<DemoAccount> {
    let a = |username, display_name: &str, role, scope: AreaCode, department| DemoAccount {
        username,
        display_name: display_name.to_string(),
        role,
        scope,
        department,
    };
    vec![
        a("admin", "系统管理员", Role::Admin, code(CITY), None),
        a("dispatcher", "威海市指挥中心", Role::DistrictDispatcher, code(CITY), None),
        a("town", "环翠楼街道指挥中心", Role::TownDispatcher, code(TOWN), None),
        a("community", &format!("{community_name}工作站"), Role::CommunityAdmin, community.clone(), None),
        a("worker", "网格员 王芳", Role::GridWorker, community.clone(), None),
        a("handler", "市综合执法局 李强", Role::DepartmentHandler, code(CITY), Some("wh-urban")),
        a("leader", "市领导 张明", Role::Leader, code(CITY), None),
        a("mediator", "调解员 赵敏", Role::Mediator, code("371002"), None),
        a("resident", "居民 陈静", Role::Resident, code(CITY), None),
    ]
}

/// What the generator draws from.
pub struct World {
    /// Villages and communities of the demo city; a quarter of the cases go to the demo town's.
    pub villages: Vec<AreaCode>,
    /// Leaf categories.
    pub categories: Vec<Category>,
    /// Departments.
    pub departments: Vec<Department>,
    /// The city dispatcher.
    pub dispatcher: Actor,
    /// The leader.
    pub leader: Actor,
    /// Real handler accounts by department.
    pub handlers: HashMap<String, User>,
    /// The demo grid worker and his community.
    pub worker: Option<User>,
    /// The demo grids, to put cases at points inside them.
    pub geo: Option<crate::demo_geo::DemoGeo>,
}

impl World {
    /// A world over the areas and categories in `store`, with the actors of `users`.
    pub async fn load(store: &dyn Store, users: &[User]) -> Result<World> {
        let villages: Vec<AreaCode> = store
            .areas()
            .await?
            .into_iter()
            .filter(|a| a.level == AreaLevel::Village && a.code.as_str().starts_with(CITY))
            .map(|a| a.code)
            .collect();
        anyhow::ensure!(!villages.is_empty(), "no villages of {CITY} in the area table");
        let categories = store.categories().await?.into_iter().filter(|c| c.parent.is_some()).collect();
        let find = |name: &str| users.iter().find(|u| u.username == name).cloned();
        let synthetic = |role: Role, scope: &str| Actor::User {
            id: format!("demo-{}", role.as_str()),
            username: role.as_str().into(),
            role,
            scope: code(scope),
            department: None,
        };
        Ok(World {
            villages,
            categories,
            departments: store.departments().await?,
            dispatcher: find("dispatcher").map(|u| u.actor()).unwrap_or_else(|| synthetic(Role::DistrictDispatcher, CITY)),
            leader: find("leader").map(|u| u.actor()).unwrap_or_else(|| synthetic(Role::Leader, CITY)),
            handlers: users.iter().filter_map(|u| Some((u.department.clone()?, u.clone()))).collect(),
            worker: find("worker"),
            geo: None,
        })
    }

    fn handler(&self, d: &Department) -> Actor {
        match self.handlers.get(&d.id) {
            Some(u) => u.actor(),
            None => Actor::User {
                id: format!("demo-handler-{}", d.id),
                username: format!("{}-handler", d.id),
                role: Role::DepartmentHandler,
                scope: d.area.clone(),
                department: Some(d.id.clone()),
            },
        }
    }

    fn worker_for(&self, village: &AreaCode) -> Actor {
        match &self.worker {
            Some(w) if &w.scope == village => w.actor(),
            _ => Actor::User {
                id: format!("demo-worker-{village}"),
                username: format!("worker-{village}"),
                role: Role::GridWorker,
                scope: village.clone(),
                department: None,
            },
        }
    }
}

/// Targets (see the bands in `batch`) that walk the first cases of a batch through every state:
/// reported, accepted, merged (into the accepted one), rejected, dispatched, returned, suspended,
/// in progress, handled, closed, rated.
const FIRST_TARGETS: [u32; 11] = [5, 15, 12, 9, 20, 27, 30, 40, 48, 60, 80];

/// Demo reports, each with the category a dispatcher would give it.
const REPORTS: [(&str, &str); 24] = [
    ("0102", "路边垃圾桶满溢，周边有异味，请尽快清运。"),
    ("0103", "小区后门堆积建筑垃圾和渣土多日无人清理。"),
    ("0104", "菜市场门口路面油污严重，行人容易滑倒。"),
    ("0105", "河道内漂浮垃圾较多，影响环境。"),
    ("0101", "小区绿地内有人私自搭建棚屋。"),
    ("0107", "村口空地有人焚烧垃圾，烟很大。"),
    ("0201", "电线杆上张贴大量小广告。"),
    ("0301", "施工工地夜间作业噪音大，影响居民休息。"),
    ("0303", "渣土车沿路遗撒泥土，下雨后一片泥泞。"),
    ("0402", "路口自来水管破裂，水流到路面上。"),
    ("0404", "道路积水严重，车辆无法正常通行。"),
    ("0405", "人行道井盖破损，夜间行人容易踩空。"),
    ("0501", "小区门口有流动摊贩占道经营，影响通行。"),
    ("0504", "机动车长期占用消防通道停放。"),
    ("0506", "夜市露天烧烤油烟扰民。"),
    ("1101", "邻居装修占用公共楼道堆放材料，协商未果。"),
    ("1103", "物业长期不维修电梯，业主意见很大。"),
    ("1104", "工地拖欠十几名工人工资已有两个月。"),
    ("1201", "商铺门口堆放纸箱等易燃杂物。"),
    ("1202", "楼道内有电动车充电，存在火灾隐患。"),
    ("1302", "独居老人家中无人应答，请社区上门看看。"),
    ("1303", "路灯不亮已有一周，晚上很黑。"),
    ("1304", "公园里的健身器材损坏，存在安全隐患。"),
    ("1402", "学校门口路段车速快，缺少减速带。"),
];

/// Generates `n` cases over the 60 days before `end`, each with a history that leads to a state
/// drawn from a realistic mix. Deterministic for a seed.
pub fn generate(world: &World, n: usize, seed: u64, end: DateTime<Utc>) -> Vec<(Case, Vec<CaseEvent>)> {
    Generator::new(world, seed).batch(n, end - Duration::days(60), end)
}

/// A stream of generated cases; batches over successive time windows keep the daily code
/// sequences running, so millions of cases can be made a batch at a time.
pub struct Generator<'w> {
    world: &'w World,
    rng: StdRng,
    seq_by_day: HashMap<String, u64>,
    last: Option<(Uuid, CaseCode)>,
    /// The shipped calendar, time limits and rules: demo cases carry deadlines like real ones.
    policy: civicgrid_domain::CasePolicy,
}

impl<'w> Generator<'w> {
    /// A generator over `world`, deterministic for `seed`.
    pub fn new(world: &'w World, seed: u64) -> Self {
        Generator { world, rng: StdRng::seed_from_u64(seed), seq_by_day: HashMap::new(), last: None, policy: civicgrid_domain::CasePolicy::shipped() }
    }

    /// `n` cases reported between `from` and `end`; events never go past `end`.
    pub fn batch(&mut self, n: usize, from: DateTime<Utc>, end: DateTime<Utc>) -> Vec<(Case, Vec<CaseEvent>)> {
    let world = self.world;
    let rng = &mut self.rng;
    let span = (end - from).num_seconds().max(2);
    let mut times: Vec<DateTime<Utc>> = (0..n).map(|_| from + Duration::seconds(rng.gen_range(0..span - 1))).collect();
    times.sort();
    let seq_by_day = &mut self.seq_by_day;
    let mut out: Vec<(Case, Vec<CaseEvent>)> = Vec::with_capacity(n);
    let demo_town: Vec<&AreaCode> = world.villages.iter().filter(|v| v.as_str().starts_with(TOWN)).collect();
    for (index, t) in times.into_iter().enumerate() {
        let village = if !demo_town.is_empty() && rng.gen_bool(0.25) {
            demo_town[rng.gen_range(0..demo_town.len())].clone()
        } else {
            world.villages[rng.gen_range(0..world.villages.len())].clone()
        };
        let (cat_code, description) = REPORTS[rng.gen_range(0..REPORTS.len())];
        let Some(cat) = world.categories.iter().find(|c| c.code.as_str() == cat_code) else { continue };
        let channel = [Channel::GridWorker, Channel::Resident, Channel::Hotline, Channel::Hotline, Channel::Iot, Channel::Inspection]
            [rng.gen_range(0..6)];
        // A point inside one of the community's demo grids (demo geometry, not surveyed points);
        // communities without grids report by area alone.
        let placed = world.geo.as_ref().and_then(|g| g.place(&village, rng));
        let input = NewCaseInput {
            description: description.to_string(),
            channel,
            location: placed.as_ref().map(|p| p.0),
            ..Default::default()
        };
        let Ok(mut new) = NewCase::validate(input, cat, village.clone()) else { continue };
        new.located = Some(placed.map(|p| p.1).unwrap_or_else(|| LocationFix::area_only(None)));
        let day = CaseCode::day(t);
        let seq = seq_by_day.entry(day).or_insert(0);
        *seq += 1;
        let id = Uuid::new_v7(uuid::Timestamp::from_unix(uuid::NoContext, t.timestamp() as u64, t.timestamp_subsec_nanos()));
        let reporter = if channel == Channel::GridWorker { world.worker_for(&village) } else { world.dispatcher.clone() };
        let reporter = if matches!(channel, Channel::Resident) { Actor::Public } else { reporter };
        let policy = &self.policy;
        let Ok((mut case, first)) = policy.report(id, CaseCode::new(t, *seq), new, cat.handling_level, &reporter, t) else { continue };
        let prev = self.last.replace((case.id, case.code.clone()));
        let mut events = vec![first];
        let mut now = t;
        let mut step = |case: &mut Case, events: &mut Vec<CaseEvent>, actor: &Actor, cmd: Command, rng: &mut StdRng| -> bool {
            now += Duration::minutes(rng.gen_range(5..600));
            match policy.execute(case, actor, cmd, now.min(end)) {
                Ok(e) => {
                    events.extend(e);
                    true
                }
                Err(_) => false,
            }
        };
        let d = &world.dispatcher;
        // The first cases of a batch visit every state once, so even a small demo shows them all.
        let forced = FIRST_TARGETS.get(index).copied();
        let target: u32 = forced.unwrap_or_else(|| rng.gen_range(0..100));
        if channel == Channel::GridWorker && forced.is_none() && target < 30 {
            let w = world.worker_for(&village);
            step(&mut case, &mut events, &w, Command::CloseOnSpot { evidence: "已现场处置完毕，附照片。".into(), attachments: vec![] }, rng);
            out.push((case, events));
            continue;
        }
        // reported 0..8, rejected 8..11, merged 11..13, then the main path.
        if target < 8 {
            out.push((case, events));
            continue;
        }
        if target < 11 {
            step(&mut case, &mut events, d, Command::Reject { reason: "不属于平台受理范围，已告知来电人。".into() }, rng);
            out.push((case, events));
            continue;
        }
        if target < 13 {
            if let Some((into, into_code)) = prev {
                step(&mut case, &mut events, d, Command::Merge { into, into_code }, rng);
            }
            out.push((case, events));
            continue;
        }
        step(&mut case, &mut events, d, Command::Accept { note: None }, rng);
        if rng.gen_bool(0.05) {
            step(&mut case, &mut events, d, Command::Escalate { reason: "涉及多个部门，需上级协调。".into() }, rng);
        }
        if target < 18 {
            out.push((case, events));
            continue;
        }
        let candidates: Vec<&Department> =
            world.departments.iter().filter(|x| x.handles(&cat.code) && x.area.contains(&village)).collect();
        let fallback: Vec<&Department> = world.departments.iter().filter(|x| x.area.as_str() == CITY).collect();
        let pool = if candidates.is_empty() { &fallback } else { &candidates };
        if pool.is_empty() {
            out.push((case, events));
            continue;
        }
        let dept = pool[rng.gen_range(0..pool.len())];
        let dispatch = |dept: &Department| Command::Dispatch {
            to: DispatchTarget::Department { id: dept.id.clone(), area: dept.area.clone() },
            instructions: Some("请按时限办理并反馈。".into()),
        };
        step(&mut case, &mut events, d, dispatch(dept), rng);
        let h = world.handler(dept);
        if target < 26 {
            out.push((case, events));
            continue;
        }
        if target < 29 {
            step(&mut case, &mut events, &h, Command::Return { reason: "不属于本部门职责范围。".into() }, rng);
            // 退单审核: some wait for the centre, some are accepted, some refused.
            match rng.gen_range(0..3) {
                0 => {}
                1 => {
                    step(&mut case, &mut events, d, Command::ReviewReturn { accepted: true, comment: None }, rng);
                }
                _ => {
                    let comment = Some("属于本部门职责，请继续办理。".into());
                    step(&mut case, &mut events, d, Command::ReviewReturn { accepted: false, comment }, rng);
                }
            }
            out.push((case, events));
            continue;
        }
        step(&mut case, &mut events, &h, Command::Claim, rng);
        if rng.gen_bool(0.12) {
            step(&mut case, &mut events, &world.leader, Command::Supervise { instruction: "请加快办理进度。".into() }, rng);
        }
        if rng.gen_bool(0.06) {
            let until = end + Duration::days(30);
            step(&mut case, &mut events, &h, Command::RequestExtension { until, reason: "需协调多方，申请延期。".into() }, rng);
            step(&mut case, &mut events, d, Command::DecideExtension { granted: rng.gen_bool(0.7), reason: None }, rng);
        }
        if target < 32 {
            step(&mut case, &mut events, d, Command::Suspend { reason: "等待天气条件。".into() }, rng);
            out.push((case, events));
            continue;
        }
        if target < 44 {
            out.push((case, events));
            continue;
        }
        step(&mut case, &mut events, &h, Command::Handle { feedback: "已到现场处置完毕。".into(), attachments: vec![] }, rng);
        if target < 52 {
            out.push((case, events));
            continue;
        }
        if rng.gen_bool(0.1) {
            step(&mut case, &mut events, d, Command::Verify { passed: false, comment: Some("现场核查未整改到位。".into()) }, rng);
            step(&mut case, &mut events, &h, Command::Handle { feedback: "已再次整改。".into(), attachments: vec![] }, rng);
        }
        step(&mut case, &mut events, d, Command::Verify { passed: true, comment: None }, rng);
        if rng.gen_bool(0.05) {
            step(&mut case, &mut events, &world.leader, Command::Instruct { note: "办得好，注意总结经验。".into() }, rng);
        }
        if target < 67 {
            out.push((case, events));
            continue;
        }
        let rating = match rng.gen_range(0..10) {
            0 => Rating::Unsatisfied,
            1 | 2 => Rating::BasicallySatisfied,
            _ => Rating::Satisfied,
        };
        step(&mut case, &mut events, &Actor::Reporter, Command::Rate { rating, comment: None }, rng);
        out.push((case, events));
    }
    out
    }
}

/// Creates the demo departments and accounts; answers the accounts.
pub async fn load_people(store: &dyn Store) -> Result<Vec<User>> {
    for d in departments() {
        store.put_department(&d).await?;
    }
    let community = store.area_children(&code(TOWN)).await?.into_iter().next().context("the demo town has no communities")?;
    let hash = hash_password(PASSWORD)?;
    let mut users = vec![];
    for a in accounts(&community.code, &community.name) {
        let u = NewUser {
            username: a.username.into(),
            display_name: a.display_name,
            password_hash: hash.clone(),
            role: a.role,
            scope: a.scope,
            department: a.department.map(Into::into),
        };
        users.push(store.create_user(u, Utc::now()).await?);
    }
    crate::open311::load_demo(store).await?;
    Ok(users)
}

/// `civicgrid demo`: a fresh (or reused) demo database, served.
pub async fn run(listen: &str, data: Option<PathBuf>, cases: usize, settings: &crate::config::Config) -> Result<()> {
    let dir = match data {
        Some(d) => {
            std::fs::create_dir_all(&d).with_context(|| format!("creating {}", d.display()))?;
            d
        }
        None => tempfile::Builder::new().prefix("civicgrid-demo-").tempdir()?.keep(),
    };
    let db = dir.join("civicgrid.db");
    let conf = dir.join("civicgrid.toml");
    let fresh = !db.exists();
    let key = if fresh || !conf.exists() {
        let key = Cipher::generate_key();
        let url = format!("sqlite://{}", db.display());
        crate::config::Config::write_private(&conf, &format!("# written by `civicgrid demo`\ndatabase = \"{url}\"\ndata_key = \"{key}\"\n"))?;
        key
    } else {
        crate::config::Config::load(Some(&conf))?.data_key.context("demo config lost its data_key")?
    };
    let url = format!("sqlite://{}", db.display());
    let store: Arc<dyn Store> = civicgrid_store::connect(&url, SqliteDurability::Full).await?;
    store.migrate().await?;
    seed::seed_reference(store.as_ref()).await?;
    let cipher = Cipher::from_base64(&key)?;
    // The demo's history is chained under its own key, as a real city's would be.
    store.set_log_key(cipher.log_key());
    let started = std::time::Instant::now();
    if fresh {
        let users = load_people(store.as_ref()).await?;
        let mut world = World::load(store.as_ref(), &users).await?;
        world.geo = Some(crate::demo_geo::load(store.as_ref()).await?);
        let generated = generate(&world, cases, 2026, Utc::now());
        for chunk in generated.chunks(1000) {
            store.import_cases(chunk).await?;
        }
        store.optimize().await?;
    }
    // Every setting of the configuration and the environment holds here too (lockout, cookies,
    // the password policy …); only the data folder is the demo's.
    let server = civicgrid_server::ServerConfig { data_dir: Some(dir.clone()), ..settings.server()? };
    let state = AppState::new(store, cipher, server);
    crate::serve(state, listen, |addr| {
        println!("civicgrid demo — 威海市 (Weihai, {CITY}) {}", if fresh { format!("with {cases} demo cases, built in {:.1?}", started.elapsed()) } else { "(reused)".into() });
        println!();
        println!("  open      {addr}");
        println!("  API docs  {addr}/docs");
        println!("  data      {}", dir.display());
        println!("  serve it again: civicgrid serve --config {}", conf.display());
        println!();
        println!("  accounts (password: {PASSWORD}):");
        for (name, what) in [
            ("admin", "系统管理员 administrator"),
            ("dispatcher", "威海市指挥中心 city command centre"),
            ("town", "环翠楼街道指挥中心 town centre (371002001)"),
            ("community", "社区工作站 community of 环翠楼街道"),
            ("worker", "网格员 grid worker of that community"),
            ("handler", "市综合行政执法局 handler (wh-urban)"),
            ("leader", "领导 leader"),
            ("mediator", "调解员 mediator (环翠区)"),
            ("resident", "居民 resident"),
        ] {
            println!("    {name:<11} {what}");
        }
        println!();
        println!("  Open311   {addr}/open311/v2/discovery.json (api_key {})", crate::open311::DEMO_KEY);
        println!("  grids     {addr}/api/v1/grids?area={} (环翠区: demo geometry, not surveyed)", crate::demo_geo::DISTRICT);
        println!();
        println!("  Ctrl-C stops the server; the data stays in the folder above.");
    })
    .await
}
