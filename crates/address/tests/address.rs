//! Behaviour of the address library on a small inline area table around 威海 (two 城关镇 are
//! invented to test disambiguation).

use std::sync::Arc;

use civicgrid_address::eval::{evaluate, read_conll};
use civicgrid_address::{
    read_csv, read_xlsx, resolve, AddressLibrary, Dictionaries, Gazetteer, Label, ParsedAddress, Parser, StandardAddress,
    CONFIRM_BELOW,
};
use civicgrid_domain::area::AreaCode;

const AREAS: &str = "code,name,level,parent
37,山东省,province,
3710,威海市,city,37
371002,环翠区,county,3710
371003,文登区,county,3710
371082,荣成市,county,3710
371002001,环翠楼街道,town,371002
371002002,鲸园街道,town,371002
371003001,龙山街道,town,371003
371003100,城关镇,town,371003
371082100,城关镇,town,371082
371002001006,海城居委会,village,371002001
371002001009,西南村社区居委会,village,371002001
371002002001,戚谷疃社区居民委员会,village,371002002
371003001001,峰山社区居民委员会,village,371003001
371003100001,张家村村民委员会,village,371003100
371082100001,李家村村委会,village,371082100
";

fn code(s: &str) -> AreaCode {
    AreaCode::parse(s).unwrap()
}

fn gazetteer() -> Arc<Gazetteer> {
    Arc::new(Gazetteer::from_csv(AREAS).unwrap())
}

fn parser() -> Parser {
    Parser::new(gazetteer(), Dictionaries { roads: vec!["新威路".into()], pois: vec!["海景花园".into()] })
}

fn labels(p: &ParsedAddress) -> Vec<(Label, String)> {
    p.components.iter().map(|c| (c.label, c.text.clone())).collect()
}

fn get(p: &ParsedAddress, l: Label) -> &str {
    p.first(l).map(|c| c.text.as_str()).unwrap_or_else(|| panic!("no {l} in {:?}", labels(p)))
}

#[test]
fn parses_a_full_address() {
    let p = parser().parse("山东省威海市环翠区环翠楼街道海城社区新威路16号海景花园3号楼2单元1102室");
    assert_eq!(
        labels(&p),
        vec![
            (Label::Prov, "山东省".into()),
            (Label::City, "威海市".into()),
            (Label::District, "环翠区".into()),
            (Label::Town, "环翠楼街道".into()),
            (Label::Community, "海城社区".into()),
            (Label::Road, "新威路".into()),
            (Label::Roadno, "16号".into()),
            (Label::Poi, "海景花园".into()),
            (Label::Houseno, "3号楼".into()),
            (Label::Cellno, "2单元".into()),
            (Label::Roomno, "1102室".into()),
        ]
    );
    assert_eq!(p.area, Some(code("371002001006")));
    let c = p.first(Label::Town).unwrap();
    assert_eq!((c.start, c.end), (9, 14));
}

#[test]
fn missing_levels_and_short_names_resolve_alike() {
    let p = parser();
    for text in [
        "环翠区环翠楼街道海城社区新威路16号",
        "威海环翠区环翠楼街道海城社区新威路16号",
        "威海市环翠区环翠楼海城社区新威路16号",
        "山东威海环翠区环翠楼街道海城居委会新威路16号",
        "环翠楼街道海城居委会新威路16号",
    ] {
        let r = p.parse(text);
        assert_eq!(r.area, Some(code("371002001006")), "{text}: {:?}", labels(&r));
        assert_eq!(get(&r, Label::Road), "新威路", "{text}");
    }
    // 社区居委会 and 社区 name the same community.
    let a = p.parse("环翠楼街道西南村社区居委会");
    let b = p.parse("环翠楼街道西南村社区");
    assert_eq!(a.area, Some(code("371002001009")));
    assert_eq!(b.area, a.area);
    assert_eq!(get(&b, Label::Community), "西南村社区");
}

#[test]
fn old_county_names_resolve_to_the_district() {
    let p = parser().parse("威海市文登市龙山街道峰山社区峰山路5号");
    assert_eq!(get(&p, Label::District), "文登市");
    assert_eq!(p.area, Some(code("371003001001")));
    assert_eq!(get(&p, Label::Road), "峰山路");
    assert_eq!(get(&p, Label::Roadno), "5号");
}

#[test]
fn chinese_numerals_and_full_width() {
    let p = parser().parse("新威路十六号海景花园三号楼二单元一一〇二室");
    assert_eq!(get(&p, Label::Roadno), "十六号");
    assert_eq!(p.value(Label::Roadno), Some("16号"));
    assert_eq!(get(&p, Label::Houseno), "三号楼");
    assert_eq!(p.value(Label::Cellno), Some("2单元"));
    assert_eq!(p.value(Label::Roomno), Some("1102室"));

    let p = parser().parse("威海市环翠区新威路１６号海景花园３号楼");
    assert_eq!(get(&p, Label::Roadno), "１６号");
    assert_eq!(p.value(Label::Roadno), Some("16号"));
    assert_eq!(p.value(Label::Houseno), Some("3号楼"));

    // A dash chain is building, unit and room.
    let p = parser().parse("海景花园3-2-1102");
    assert_eq!(p.value(Label::Houseno), Some("3"));
    assert_eq!(p.value(Label::Cellno), Some("2"));
    assert_eq!(p.value(Label::Roomno), Some("1102"));
}

#[test]
fn ambiguous_town_needs_parent_or_scope() {
    let p = parser();
    let alone = p.parse("城关镇张家村");
    assert_eq!(alone.area, None);
    let mut cands = alone.area_candidates.clone();
    cands.sort();
    assert_eq!(cands, vec![code("371003100"), code("371082100")]);
    assert_eq!(get(&alone, Label::Town), "城关镇");

    let by_parent = p.parse("文登区城关镇张家村");
    assert_eq!(by_parent.area, Some(code("371003100001")));
    let by_parent = p.parse("荣成市城关镇");
    assert_eq!(by_parent.area, Some(code("371082100")));

    let by_scope = p.parse_in("城关镇", Some(&code("371082")));
    assert_eq!(by_scope.area, Some(code("371082100")));
    assert!(by_scope.area_candidates.is_empty());
}

fn address(id: i64, road: &str, number: &str, estate: &str, building: &str, unit: &str, room: &str) -> StandardAddress {
    let opt = |s: &str| (!s.is_empty()).then(|| s.to_string());
    StandardAddress {
        id,
        county: Some(code("371002")),
        town: Some(code("371002001")),
        community: Some(code("371002001006")),
        road: opt(road),
        number: opt(number),
        estate: opt(estate),
        building: opt(building),
        unit: opt(unit),
        room: opt(room),
        lon: Some(122.12),
        lat: Some(37.51),
        grid: None,
    }
}

fn library() -> AddressLibrary {
    let mut wendeng = address(5, "峰山路", "5", "峰山小区", "1", "", "");
    wendeng.county = Some(code("371003"));
    wendeng.town = Some(code("371003001"));
    wendeng.community = Some(code("371003001001"));
    AddressLibrary::new(
        vec![
            address(1, "新威路", "16", "海景花园", "3", "2", "1102"),
            address(2, "新威路", "16", "海景花园", "3", "2", "1101"),
            address(3, "新威路", "16", "海景花园", "4", "1", "101"),
            address(4, "新威路", "18", "", "", "", ""),
            wendeng,
        ],
        gazetteer(),
    )
}

#[test]
fn exact_standard_address_is_certain() {
    let lib = library();
    let a = lib.get(1).unwrap().clone();
    assert_eq!(a.full_text(lib.gazetteer()), "山东省威海市环翠区环翠楼街道海城居委会新威路16号海景花园3号楼2单元1102室");
    let m = lib.match_address(&a.full_text(lib.gazetteer()), None, 5);
    assert_eq!(m.best.as_ref().map(|b| b.address.id), Some(1));
    assert_eq!(m.candidates[0].confidence, 1.0);
    // Candidates come best first.
    assert!(m.candidates.windows(2).all(|w| w[0].confidence >= w[1].confidence));
    assert!(m.candidates.len() >= 3);
    assert!(m.candidates[1].confidence < 1.0);
}

#[test]
fn variations_of_the_right_address_score_high() {
    let lib = library();
    for text in [
        "威海环翠区新威路十六号海景花园三号楼二单元1102室",
        "新威路１６号海景花园３号楼２单元１１０２室",
        "环翠楼街道海城社区新威路16号海景花园3-2-1102",
        "威海市环翠区新威路16号海景花园小区3号楼2单元1102",
    ] {
        let m = lib.match_address(text, None, 5);
        let top = &m.candidates[0];
        assert_eq!(top.address.id, 1, "{text}: {:?}", labels(&m.parsed));
        assert!(top.confidence >= 0.9, "{text}: {}", top.confidence);
        assert!(m.best.is_some(), "{text}");
    }
    let m = lib.match_address("威海市文登市龙山街道峰山路5号峰山小区1号楼", None, 5);
    assert_eq!(m.candidates[0].address.id, 5);
    assert!(m.candidates[0].confidence >= 0.9, "{}", m.candidates[0].confidence);
}

#[test]
fn partial_and_wrong_addresses_score_lower() {
    let lib = library();
    // Room unknown: building level, about 0.8, and no single best.
    let m = lib.match_address("新威路16号海景花园3号楼2单元", None, 5);
    let top = m.candidates[0].confidence;
    assert!((0.75..=0.85).contains(&top), "{top}");
    assert!(m.best.is_none());
    assert_eq!(m.candidates[0].address.building.as_deref(), Some("3"));
    // Wrong building: nothing is confident.
    let m = lib.match_address("新威路16号海景花园9号楼2单元1102室", None, 5);
    assert!(m.candidates.iter().all(|c| c.confidence < CONFIRM_BELOW), "{:?}", m.candidates);
    assert!(m.best.is_none());
    let exact = lib.match_address("新威路16号海景花园3号楼2单元1102室", None, 5).candidates[0].confidence;
    assert!(m.candidates[0].confidence < exact);
    // Only the road: about 0.5.
    let m = lib.match_address("新威路", None, 5);
    assert!((0.4..=0.6).contains(&m.candidates[0].confidence), "{}", m.candidates[0].confidence);
    // An unknown road finds nothing certain.
    let m = lib.match_address("环翠区幸福路99号", None, 5);
    assert!(m.candidates.iter().all(|c| c.confidence < CONFIRM_BELOW));
    assert!(m.best.is_none());
    // A scope elsewhere rules the address out.
    let m = lib.match_address("新威路16号海景花园3号楼2单元1102室", Some(&code("371082")), 5);
    assert!(m.candidates.is_empty());
}

const CSV_OK: &str = "\u{feff}区县,街道,社区,道路,门牌号,小区,楼栋,单元,房间,经度,纬度,网格
环翠区,环翠楼街道,海城社区,新威路,16,海景花园,3,2,1102,122.12,37.51,371002001006001
371002,371002001,371002001009,新威路,18号,,,,,,,
";

#[test]
fn csv_import_resolves_names_and_codes() {
    let g = gazetteer();
    let rows = read_csv(CSV_OK.as_bytes()).unwrap();
    assert_eq!(rows.len(), 2);
    assert_eq!(rows[0].row, 2);
    let addrs = resolve(rows, &g, None).unwrap();
    assert_eq!(addrs[0].community, Some(code("371002001006")));
    assert_eq!(addrs[0].grid.as_deref(), Some("371002001006001"));
    assert_eq!(addrs[0].lon, Some(122.12));
    assert_eq!(addrs[1].community, Some(code("371002001009")));
    assert_eq!(addrs[1].number.as_deref(), Some("18号"));
    assert_eq!(addrs[1].local_text(), "新威路18号");
    // GBK is read too.
    let (gbk, _, _) = encoding_rs::GBK.encode(CSV_OK.trim_start_matches('\u{feff}'));
    assert_eq!(read_csv(&gbk).unwrap().len(), 2);
}

#[test]
fn broken_csv_reports_every_error_and_returns_nothing() {
    let g = gazetteer();
    let text = "district,town,community,road,number,lon,lat
环翠区,环翠楼街道,幸福社区,新威路,16,122.1,37.5
环翠区,环翠楼街道,海城社区,新威路,abc,222.1,37.5
环翠区,环翠楼街道,海城社区,新威路,20,122.1,37.5
环翠区,环翠楼街道,海城社区,新威路,20,122.1,37.5
";
    let err = read_csv(text.as_bytes()).unwrap_err();
    // Reading checks the values: row 3 has a longitude out of range.
    assert_eq!(err.0.len(), 1, "{err}");
    assert_eq!(err.0[0].row, 3);
    assert_eq!(err.0[0].column, "F lon");
    assert!(err.0[0].reason.contains("out of range"));

    let fixed = text.replace("222.1", "122.1");
    let rows = read_csv(fixed.as_bytes()).unwrap();
    let err = resolve(rows, &g, None).unwrap_err();
    let shown = err.to_string();
    assert!(shown.contains("row 2, column C (community): unknown community 幸福社区 in 环翠楼街道"), "{shown}");
    assert!(err.0.iter().any(|e| e.row == 5 && e.reason.contains("duplicate of the address on row 4")), "{shown}");
    assert_eq!(err.0.len(), 2, "{shown}");

    let missing = read_csv("道路,门牌号\n新威路,16\n".as_bytes()).unwrap_err();
    assert!(missing.to_string().contains("missing required column 区县"), "{missing}");
}

fn xlsx(rows: &[Vec<&str>]) -> Vec<u8> {
    let mut wb = rust_xlsxwriter::Workbook::new();
    let ws = wb.add_worksheet();
    for (r, row) in rows.iter().enumerate() {
        for (c, v) in row.iter().enumerate() {
            if let Ok(n) = v.parse::<f64>() {
                ws.write_number(r as u32, c as u16, n).unwrap();
            } else {
                ws.write_string(r as u32, c as u16, *v).unwrap();
            }
        }
    }
    wb.save_to_buffer().unwrap()
}

#[test]
fn xlsx_import() {
    let g = gazetteer();
    let header = vec!["区县", "街道", "社区", "道路", "门牌号", "小区", "楼栋", "单元", "房间", "经度", "纬度"];
    let good = xlsx(&[header.clone(), vec!["环翠区", "环翠楼街道", "海城社区", "新威路", "16", "海景花园", "3", "2", "1102", "122.12", "37.51"]]);
    let rows = read_xlsx(&good).unwrap();
    assert_eq!(rows.len(), 1);
    assert_eq!(rows[0].number.as_deref(), Some("16"));
    let addrs = resolve(rows, &g, None).unwrap();
    assert_eq!(addrs[0].community, Some(code("371002001006")));
    assert_eq!(addrs[0].room.as_deref(), Some("1102"));

    let broken = xlsx(&[
        header.clone(),
        vec!["环翠区", "环翠楼街道", "海城社区", "新威路", "16", "海景花园", "3", "2", "1102", "122.12", "37.51"],
        vec!["环翠区", "环翠楼街道", "幸福社区", "新威路", "18", "", "", "", "", "122.12", "37.51"],
        vec!["火星区", "环翠楼街道", "海城社区", "新威路", "20", "", "", "", "", "122.12", "37.51"],
    ]);
    let rows = read_xlsx(&broken).unwrap();
    let err = resolve(rows, &g, None).unwrap_err();
    assert_eq!(err.0.len(), 2, "{err}");
    assert_eq!((err.0[0].row, err.0[0].column.as_str()), (3, "C 社区"));
    assert!(err.0[0].reason.contains("unknown community 幸福社区"), "{err}");
    assert_eq!((err.0[1].row, err.0[1].column.as_str()), (4, "A 区县"));
    assert!(err.to_string().contains("row 4, column A (区县): unknown district 火星区"), "{err}");

    let bad_lat = xlsx(&[header, vec!["环翠区", "环翠楼街道", "海城社区", "新威路", "16", "", "", "", "", "122.12", "97.5"]]);
    let err = read_xlsx(&bad_lat).unwrap_err();
    assert_eq!((err.0[0].row, err.0[0].column.as_str()), (2, "K 纬度"));
}

#[test]
fn conll_scoring_by_hand() {
    // Gold: 2 addresses, 7 chunks. The parser (inline gazetteer) finds 威海市 city, 环翠区
    // district, 新威路 road, 16号 roadno — all right — and in the second address 海景花园 poi
    // (right), 3 houseno (right), -(redundant, gold has it too), 1102 roomno where gold says
    // 1102 is cellno (wrong).
    let text = "威 B-city\n海 I-city\n市 I-city\n环 B-district\n翠 I-district\n区 I-district\n新 B-road\n威 I-road\n路 I-road\n16 B-roadno\n号 I-roadno\n\n\
                海 B-poi\n景 I-poi\n花 I-poi\n园 I-poi\n3 B-houseNo\n- B-redundant\n1102 B-cellno\n";
    let samples = read_conll(text);
    assert_eq!(samples.len(), 2);
    assert_eq!(samples[1].tags[4], "B-houseno");
    assert_eq!(samples[1].tokens[6], "1102");
    let report = evaluate(&samples, &parser());
    // gold 8 chunks, found 8, correct 7.
    assert_eq!(report.overall.gold, 8);
    assert_eq!(report.overall.found, 8, "{report}");
    assert_eq!(report.overall.correct, 7, "{report}");
    assert!((report.overall.precision() - 87.5).abs() < 1e-9);
    assert!((report.overall.recall() - 87.5).abs() < 1e-9);
    assert!((report.overall.f1() - 87.5).abs() < 1e-9);
    let cell = report.per_label["cellno"];
    assert_eq!((cell.gold, cell.found, cell.correct), (1, 0, 0));
    assert!(!report.per_label.contains_key("roomno"), "labels the gold lacks are not listed");
    assert!(report.to_string().contains("FB1:  87.50"), "{report}");
}
