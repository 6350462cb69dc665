//! The demo city's geography: grids for every community of 环翠区 (371002), shaped around each
//! community by a generator (demo geometry, not surveyed), and a demo address library on them.

use anyhow::{anyhow, Result};
use civicgrid_domain::{AreaCode, AreaLevel, GridCode, LocatedBy, Location, LocationFix};
use civicgrid_geo::index::{GridIndex, Placement};
use civicgrid_server::geo::{address_record, import_grids, snapshot};
use civicgrid_server::RefData;
use civicgrid_store::Store;
use geo::InteriorPoint;
use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};
use std::collections::{BTreeMap, HashMap};

/// The district whose every community gets grids.
pub const DISTRICT: &str = "371002";
/// Roughly the middle of 环翠区's urban area.
const CENTER: (f64, f64) = (122.12, 37.47);
/// How far the demo district reaches, metres.
const RADIUS_M: f64 = 15_000.0;

/// Road names of the kind Weihai has; each community gets its own from the list.
const ROADS: [&str; 24] = [
    "统一路", "新威路", "青岛路", "海滨路", "世昌大道", "文化路", "昆明路", "齐鲁大道", "光明路", "环山路", "戚谷疃路", "古寨路",
    "花园路", "东城路", "西城路", "和平路", "塔山路", "渔港路", "金线顶路", "望岛路", "鲸园路", "竹岛路", "孙家疃路", "张村路",
];
/// Estate name stems; a community's estates combine a stem with a suffix.
const STEMS: [&str; 16] =
    ["海景", "金海湾", "福海", "翠园", "阳光", "锦绣", "盛德", "华夏", "东方", "怡园", "观海", "银河", "松涛", "枫林", "望海", "新村"];
const SUFFIXES: [&str; 6] = ["花园", "小区", "家园", "苑", "公寓", "嘉园"];

/// Points well inside each grid, by community code.
type InteriorPoints = HashMap<String, Vec<(GridCode, (f64, f64))>>;

/// What the demo's cases need of the geography.
pub struct DemoGeo {
    /// The index over the demo grids.
    pub index: GridIndex,
    /// Points well inside each grid, by community.
    pub points: InteriorPoints,
}

impl DemoGeo {
    /// A point of `village` inside one of its grids, and how it was placed; `None` outside the district.
    pub fn place(&self, village: &AreaCode, rng: &mut StdRng) -> Option<(Location, LocationFix)> {
        let list = self.points.get(village.as_str())?;
        let (grid, (x, y)) = &list[rng.gen_range(0..list.len())];
        // A little spread around the interior point, kept only if it stays in the same grid.
        let (jx, jy) = (x + rng.gen_range(-0.0008..0.0008), y + rng.gen_range(-0.0006..0.0006));
        let (px, py) = match self.index.locate(jx, jy) {
            Placement::Grid { grid: g, .. } if &g == grid => (jx, jy),
            _ => (*x, *y),
        };
        let mut fix = LocationFix::area_only(None);
        fix.method = LocatedBy::Point;
        fix.grid = Some(grid.clone());
        fix.crs = Some("wgs84".into());
        Some((Location::new(px, py).ok()?, fix))
    }
}

/// Generates and imports the demo grids, outlines and addresses (through the same checks as any
/// import), answering what the case generator needs.
pub async fn load(store: &dyn Store) -> Result<DemoGeo> {
    let rd = RefData::load(store).await?;
    let mut towns: BTreeMap<String, Vec<AreaCode>> = BTreeMap::new();
    for a in rd.areas.values() {
        if a.level == AreaLevel::Village && a.code.as_str().starts_with(DISTRICT) {
            towns.entry(a.code.as_str()[..9].to_string()).or_default().push(a.code.clone());
        }
    }
    let towns: Vec<(AreaCode, Vec<AreaCode>)> = towns
        .into_iter()
        .map(|(t, mut v)| {
            v.sort();
            (AreaCode::parse(&t).expect("valid town"), v)
        })
        .collect();
    anyhow::ensure!(!towns.is_empty(), "no communities of {DISTRICT} in the area table");
    let mut layout = civicgrid_geo::synthetic::plausible_layout(CENTER, RADIUS_M, &towns, (2, 4), 2026);
    // The demo's own community gets its staff: the community account as 网格长 and the demo
    // grid worker in every one of its grids.
    let users = store.users().await?;
    if let Some(worker) = users.iter().find(|u| u.username == "worker") {
        let chief: Vec<String> = users.iter().filter(|u| u.username == "community").map(|u| u.username.clone()).collect();
        for g in layout.grids.iter_mut().filter(|g| g.code.community() == worker.scope) {
            g.staff.chief = chief.clone();
            g.staff.full_time = vec![worker.username.clone()];
        }
    }
    let mut points = InteriorPoints::new();
    for g in &layout.grids {
        if let Some(p) = g.geometry.interior_point() {
            points.entry(g.code.community().to_string()).or_default().push((g.code.clone(), (p.x(), p.y())));
        }
    }
    let index = GridIndex::build(layout.grids.iter().map(|g| (g.code.clone(), g.geometry.clone())), &layout.boundaries);
    let report = import_grids(store, &rd, layout.grids, layout.boundaries, "demo", chrono::Utc::now(), false)
        .await
        .map_err(|e| anyhow!(e.message))?
        .map_err(|r| anyhow!("demo grids failed their own checks: {:?}", r.problems.first()))?;
    tracing::info!(grids = report.added, "demo grids imported");

    let snap = snapshot(store, &rd).await.map_err(|e| anyhow!(e.message))?;
    let mut rng = StdRng::seed_from_u64(2026);
    let mut rows = Vec::new();
    let mut communities: Vec<&String> = points.keys().collect();
    communities.sort();
    for (ci, community) in communities.into_iter().enumerate() {
        let c = AreaCode::parse(community)?;
        let road = ROADS[ci % ROADS.len()];
        for (gi, (grid, (x, y))) in points[community].iter().enumerate() {
            let estate = format!("{}{}", STEMS[(ci + gi) % STEMS.len()], SUFFIXES[(ci / STEMS.len() + gi) % SUFFIXES.len()]);
            let number = format!("{}号", 10 + gi * 12 + ci % 7);
            for building in 1..=3 {
                for unit in 1..=2 {
                    let a = civicgrid_address::StandardAddress {
                        id: 0,
                        county: c.at_level(AreaLevel::County),
                        town: c.at_level(AreaLevel::Town),
                        community: Some(c.clone()),
                        road: Some(road.to_string()),
                        number: Some(number.clone()),
                        estate: Some(estate.clone()),
                        building: Some(format!("{building}号楼")),
                        unit: Some(format!("{unit}单元")),
                        room: None,
                        lon: Some(x + rng.gen_range(-0.0002..0.0002)),
                        lat: Some(y + rng.gen_range(-0.0002..0.0002)),
                        grid: Some(grid.as_str().to_string()),
                    };
                    rows.push(address_record(&a, &snap.gazetteer));
                }
            }
        }
    }
    rows.sort_by(|a, b| a.full_text.cmp(&b.full_text));
    rows.dedup_by(|a, b| a.full_text == b.full_text);
    store.import_addresses(&rows, chrono::Utc::now()).await?;
    Ok(DemoGeo { index, points })
}
