//! Unit tests of the parsing rules on a small gazetteer (the end-to-end cases are the crate's
//! integration tests under `tests/`).
//!
//! Kept in their own file so that the rules stay short.

use super::*;

const AREAS: &str = "code,name,level,parent
33,浙江省,province,
3307,金华市,city,33
330784,永康市,county,3307
330784106,前仓镇,town,330784
3302,宁波市,city,33
330203,海曙区,county,3302
330211,镇海区,county,3302
";

fn parse(text: &str) -> Vec<String> {
    let p = Parser::new(Arc::new(Gazetteer::from_csv(AREAS).unwrap()), Dictionaries::default());
    p.parse(text).components.iter().map(|c| format!("{}={}", c.label, c.text)).collect()
}

#[test]
fn numbered_part_joins_a_short_name_and_splits_from_a_long_one() {
    assert_eq!(parse("永康市长乐二区5幢"), ["district=永康市", "poi=长乐二区", "houseno=5幢"]);
    assert_eq!(parse("永康市长乐花园小区二区5幢"), ["district=永康市", "poi=长乐花园小区", "subpoi=二区", "houseno=5幢"]);
}

#[test]
fn direction_part_of_a_long_place_name() {
    assert_eq!(parse("永康市百货批发市场东区"), ["district=永康市", "poi=百货批发市场", "subpoi=东区"]);
}

#[test]
fn numbers_after_a_road_number_or_a_house() {
    // 161-4号: the house on road number 161.
    assert_eq!(parse("永康市胜利路161-4号"), ["district=永康市", "road=胜利路", "roadno=161", "redundant=-", "houseno=4号"]);
    // 12-3 is house and unit, 12-302 house and room.
    assert_eq!(parse("永康市长乐花园12-3"), ["district=永康市", "poi=长乐花园", "houseno=12", "redundant=-", "cellno=3"]);
    assert_eq!(parse("永康市长乐花园12-302"), ["district=永康市", "poi=长乐花园", "houseno=12", "redundant=-", "roomno=302"]);
    // A single number after the house: short is the unit, long the room.
    assert_eq!(parse("永康市长乐花园5幢2号")[3], "cellno=2号");
    assert_eq!(parse("永康市长乐花园5幢302")[3], "roomno=302");
    // Up to three digits after a place with no road are its house number.
    assert_eq!(parse("永康市长乐花园118")[2], "houseno=118");
}

#[test]
fn admin_block_written_twice() {
    // The same block again, shorter: the second is the repetition.
    assert_eq!(
        parse("浙江省金华市永康市浙江省永康市前仓镇"),
        ["prov=浙江省", "city=金华市", "district=永康市", "redundant=浙江省", "redundant=永康市", "town=前仓镇"]
    );
    // A short-form block then the full one: the first is the repetition.
    assert_eq!(
        parse("浙江金华市永康市浙江省金华市永康市前仓镇"),
        ["redundant=浙江", "redundant=金华市", "redundant=永康市", "prov=浙江省", "city=金华市", "district=永康市", "town=前仓镇"]
    );
    // The second names another district: the first is the mistake.
    assert_eq!(parse("宁波市海曙区宁波市镇海区"), ["redundant=宁波市", "redundant=海曙区", "city=宁波市", "district=镇海区"]);
}
