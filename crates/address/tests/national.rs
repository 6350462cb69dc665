//! The parser on the shipped national area table (`data/areas/areas.csv`).

use std::sync::Arc;

use civicgrid_address::{Dictionaries, Gazetteer, Label, Parser};
use civicgrid_domain::area::AreaCode;

fn parser() -> Parser {
    let g = Gazetteer::from_csv(include_str!("../../../data/areas/areas.csv")).unwrap();
    Parser::new(Arc::new(g), Dictionaries::default())
}

fn code(s: &str) -> AreaCode {
    AreaCode::parse(s).unwrap()
}

#[test]
fn national_table_special_cases() {
    let p = parser();
    // The seed row the demo depends on.
    let r = p.parse("山东省威海市环翠区环翠楼街道东北村居委会");
    assert_eq!(r.area, Some(code("371002001001")));
    // A municipality: 北京市 is written as the city, its 市辖区 level is implied.
    let r = p.parse("北京市朝阳区");
    assert_eq!(r.area, Some(code("110105")));
    assert_eq!(r.first(Label::City).map(|c| c.text.as_str()), Some("北京市"));
    // 朝阳区 alone exists in Beijing and Changchun.
    let r = p.parse("朝阳区");
    assert_eq!(r.area, None);
    let mut c = r.area_candidates.clone();
    c.sort();
    assert_eq!(c, vec![code("110105"), code("220104")]);
    // A city without counties: its towns hang under the xx00 county row.
    let r = p.parse("广东省东莞市东城街道");
    assert_eq!(r.area, Some(code("441900003")));
    // A province-administered county-level city.
    let r = p.parse("湖北省仙桃市沙嘴街道");
    assert_eq!(r.area, Some(code("429004001")));
    // 东城街道 exists in dozens of places; the city settles it.
    let r = p.parse_in("东城街道", Some(&code("4419")));
    assert_eq!(r.area, Some(code("441900003")));
}
