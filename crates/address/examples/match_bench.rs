//! Matching throughput on a synthetic library of 100,000 Weihai-like standard addresses.
//!
//! ```sh
//! CARGO_TARGET_DIR=/work/target-address cargo run --release -p civicgrid-address --example match_bench
//! ```
//!
//! The areas are the real communities of 威海市 from `data/areas/areas.csv`; roads, estates and
//! rooms are generated. Queries are standard addresses written the ways people write them
//! (short names, Chinese numerals, full-width digits, 3-2-1102), timed on one thread.

use std::sync::Arc;
use std::time::Instant;

use civicgrid_address::{AddressLibrary, Gazetteer, StandardAddress, CONFIRM_BELOW};
use civicgrid_domain::area::{AreaCode, AreaLevel};

/// A small deterministic generator (xorshift), so runs are comparable.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }
    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }
}

const ROAD_STEMS: &[&str] = &[
    "新威", "统一", "文化", "海滨", "青岛", "世昌", "古寨", "昆明", "塔山", "金线顶", "华夏", "长峰", "戚谷疃", "高山", "光明", "东城",
    "西苑", "望岛", "九龙", "竹岛", "菊花顶", "鲸园", "环山", "同心", "福山", "凤林", "温泉", "张村", "羊亭", "孙家疃", "皇冠", "田村",
    "海埠", "杨家滩", "峰西", "米山", "昆仑", "黄河", "珠江", "松涛", "蒿泊", "齐鲁", "火炬", "香港", "威高", "沈阳", "大连", "天津",
];
const ROAD_KINDS: &[&str] = &["路", "北路", "南路", "中路", "东路", "西路", "大道", "街"];
const ESTATE_STEMS: &[&str] = &[
    "海景", "翠竹", "金海", "阳光", "碧海", "蓝天", "观海", "和谐", "幸福", "锦华", "丽景", "海悦", "山水", "银河", "东方", "祥和",
    "御景", "凤凰", "望海", "润泽", "华府", "绿城", "泰和", "长安", "悦海", "青枫", "海韵", "明珠", "春晖", "瑞景",
];
const ESTATE_KINDS: &[&str] = &["花园", "小区", "家园", "苑", "公寓", "新村", "名城", "雅居"];

fn full_width(s: &str) -> String {
    s.chars()
        .map(|c| if c.is_ascii_alphanumeric() { char::from_u32(c as u32 + 0xFEE0).unwrap_or(c) } else { c })
        .collect()
}

fn chinese(n: &str) -> String {
    const D: [&str; 10] = ["零", "一", "二", "三", "四", "五", "六", "七", "八", "九"];
    match n.parse::<usize>() {
        Ok(v) if v < 10 => D[v].to_string(),
        Ok(v) if v < 20 => format!("十{}", if v % 10 == 0 { "" } else { D[v % 10] }),
        Ok(v) if v < 100 => format!("{}十{}", D[v / 10], if v % 10 == 0 { "" } else { D[v % 10] }),
        _ => n.to_string(),
    }
}

fn main() {
    let areas = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/../../data/areas/areas.csv")).expect("areas.csv");
    let t0 = Instant::now();
    let g = Arc::new(Gazetteer::from_csv(&areas).expect("gazetteer"));
    let gaz_time = t0.elapsed();
    let communities: Vec<AreaCode> = areas
        .lines()
        .filter_map(|l| l.split(',').next())
        .filter(|c| c.starts_with("3710") && c.len() == 12)
        .filter_map(|c| AreaCode::parse(c).ok())
        .collect();
    let mut rng = Rng(0x9E37_79B9_7F4A_7C15);
    let mut addresses = Vec::with_capacity(100_000);
    let mut id = 0i64;
    let mut estate_no = 0usize;
    while addresses.len() < 100_000 {
        // One estate: a road and number, a community, 4–12 buildings of 2 units of 10 rooms.
        let road = format!("{}{}", ROAD_STEMS[rng.below(ROAD_STEMS.len())], ROAD_KINDS[rng.below(ROAD_KINDS.len())]);
        let estate = format!(
            "{}{}{}",
            ESTATE_STEMS[estate_no % ESTATE_STEMS.len()],
            ["", "一期", "二期", "东区", "西区", "南区", "北区", "三期"][(estate_no / ESTATE_STEMS.len()) % 8],
            ESTATE_KINDS[(estate_no / (ESTATE_STEMS.len() * 8)) % ESTATE_KINDS.len()]
        );
        estate_no += 1;
        let number = (1 + rng.below(300)).to_string();
        let community = communities[rng.below(communities.len())].clone();
        for b in 1..=(4 + rng.below(9)) {
            for u in 1..=2 {
                for floor in 1..=5 {
                    for door in 1..=2 {
                        id += 1;
                        addresses.push(StandardAddress {
                            id,
                            county: community.at_level(AreaLevel::County),
                            town: community.at_level(AreaLevel::Town),
                            community: Some(community.clone()),
                            road: Some(road.clone()),
                            number: Some(number.clone()),
                            estate: Some(estate.clone()),
                            building: Some(b.to_string()),
                            unit: Some(u.to_string()),
                            room: Some(format!("{floor}0{door}")),
                            lon: None,
                            lat: None,
                            grid: None,
                        });
                    }
                }
            }
        }
    }
    addresses.truncate(100_000);
    let t1 = Instant::now();
    let lib = AddressLibrary::new(addresses.clone(), Arc::clone(&g));
    let lib_time = t1.elapsed();

    // Queries: standard addresses written in five ways.
    let queries: Vec<(i64, String)> = (0..20_000)
        .map(|k| {
            let a = &addresses[rng.below(addresses.len())];
            let county = g.name_of(a.county.as_ref().unwrap()).unwrap().to_string();
            let (b, u, r) = (a.building.clone().unwrap(), a.unit.clone().unwrap(), a.room.clone().unwrap());
            let road = a.road.clone().unwrap();
            let num = a.number.clone().unwrap();
            let est = a.estate.clone().unwrap();
            let text = match k % 5 {
                0 => a.full_text(&g),
                1 => format!("威海{}{road}{num}号{est}{b}号楼{u}单元{r}室", county.trim_end_matches('区')),
                2 => format!("{road}{}号{est}{}号楼{}单元{r}", chinese(&num), chinese(&b), chinese(&u)),
                3 => full_width(&format!("{county}{road}{num}号{est}{b}栋{u}单元{r}")),
                _ => format!("{est}{b}-{u}-{r}"),
            };
            (a.id, text)
        })
        .collect();
    let t2 = Instant::now();
    let mut right = 0usize;
    let mut confident = 0usize;
    let mut wrong = Vec::new();
    for (want, q) in &queries {
        let m = lib.match_address(q, None, 5);
        if m.candidates.first().is_some_and(|c| c.address.id == *want) {
            right += 1;
        } else if wrong.len() < 3 {
            wrong.push((*want, q.clone()));
        }
        if m.candidates.first().is_some_and(|c| c.confidence >= CONFIRM_BELOW) {
            confident += 1;
        }
    }
    let secs = t2.elapsed().as_secs_f64();
    println!("command: CARGO_TARGET_DIR=/work/target-address cargo run --release -p civicgrid-address --example match_bench");
    println!("gazetteer: {} areas built in {:.2?}", g.len(), gaz_time);
    println!("library: {} standard addresses, {} roads, {} estates, indexed in {:.2?}", lib.len(), lib.roads().len(), lib.estates().len(), lib_time);
    println!(
        "{} matches in {:.2} s: {:.0} matches/s on one thread; top-1 right {:.1}%, confidence ≥ {CONFIRM_BELOW} {:.1}%",
        queries.len(),
        secs,
        queries.len() as f64 / secs,
        100.0 * right as f64 / queries.len() as f64,
        100.0 * confident as f64 / queries.len() as f64
    );
    if std::env::var_os("SHOW_WRONG").is_some() {
        for (want, q) in &wrong {
            let m = lib.match_address(q, None, 3);
            println!("wrong: {q} (want {})\n  parsed {:?}", lib.get(*want).unwrap().full_text(&g), m.parsed.components.iter().map(|c| format!("{}={}", c.label, c.text)).collect::<Vec<_>>());
            for c in &m.candidates {
                println!("  {:.3} {}", c.confidence, c.text);
            }
        }
    }
    let sample = &queries[3].1;
    let m = lib.match_address(sample, None, 3);
    println!("example: {sample}");
    for c in &m.candidates {
        println!("  {:.3} {}", c.confidence, c.text);
    }
}
