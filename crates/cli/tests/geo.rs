//! `civicgrid import` and `export` of grids and addresses, run as an admin would: a Shapefile and
//! GeoJSON in, every refusal naming what is wrong with nothing written, GeoJSON out.

use std::path::Path;
use std::process::{Command, Output};

fn civicgrid(db: &str, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_civicgrid"))
        .args(["--database", db])
        .args(args)
        .env("CIVICGRID_LOG", "warn")
        .output()
        .expect("run civicgrid")
}

fn text(o: &Output) -> String {
    format!("{}{}", String::from_utf8_lossy(&o.stdout), String::from_utf8_lossy(&o.stderr))
}

const PRJ_WGS84: &str = r#"GEOGCS["GCS_WGS_1984",DATUM["D_WGS_1984",SPHEROID["WGS_1984",6378137.0,298.257223563]],PRIMEM["Greenwich",0.0],UNIT["Degree",0.0174532925199433]]"#;

fn square(x0: f64, y0: f64, x1: f64, y1: f64) -> shapefile::Polygon {
    use shapefile::{Point, PolygonRing};
    // Shapefile outer rings run clockwise.
    shapefile::Polygon::new(PolygonRing::Outer(vec![
        Point::new(x0, y0),
        Point::new(x0, y1),
        Point::new(x1, y1),
        Point::new(x1, y0),
        Point::new(x0, y0),
    ]))
}

/// Two grids of 东北村居委会 (371002001001), as a GIS department would hand them over.
fn write_shapefile(path: &Path) {
    use shapefile::dbase::{FieldValue, Record, TableWriterBuilder};
    let table = TableWriterBuilder::new()
        .add_character_field("WGBM".try_into().unwrap(), 15)
        .add_character_field("WGMC".try_into().unwrap(), 40)
        .add_character_field("WGLX".try_into().unwrap(), 20)
        .add_numeric_field("HS".try_into().unwrap(), 10, 0)
        .add_numeric_field("RK".try_into().unwrap(), 10, 0);
    let mut w = shapefile::Writer::from_path(path, table).unwrap();
    for (code, name, poly) in [
        ("371002001001001", "东北村第一网格", square(122.10, 37.50, 122.11, 37.51)),
        ("371002001001002", "东北村第二网格", square(122.11, 37.50, 122.12, 37.51)),
    ] {
        let mut r = Record::default();
        r.insert("WGBM".into(), FieldValue::Character(Some(code.into())));
        r.insert("WGMC".into(), FieldValue::Character(Some(name.into())));
        r.insert("WGLX".into(), FieldValue::Character(Some("社区网格".into())));
        r.insert("HS".into(), FieldValue::Numeric(Some(420.0)));
        r.insert("RK".into(), FieldValue::Numeric(Some(1100.0)));
        w.write_shape_and_record(&poly, &r).unwrap();
    }
    std::fs::write(path.with_extension("prj"), PRJ_WGS84).unwrap();
}

fn exported(db: &str) -> serde_json::Value {
    let o = civicgrid(db, &["export", "grids", "--area", "371002001001"]);
    assert!(o.status.success(), "{}", text(&o));
    serde_json::from_slice(&o.stdout).unwrap()
}

#[test]
fn grids_and_addresses_in_and_out() {
    let dir = tempfile::tempdir().unwrap();
    let db = format!("sqlite://{}", dir.path().join("g.db").display());
    let shp = dir.path().join("grids.shp");
    write_shapefile(&shp);
    let shp = shp.to_str().unwrap();

    let o = civicgrid(&db, &["import", "grids", shp, "--dry-run"]);
    assert!(o.status.success() && text(&o).contains("pass every check"), "{}", text(&o));
    assert_eq!(exported(&db)["features"].as_array().unwrap().len(), 0, "a dry run writes nothing");
    let o = civicgrid(&db, &["import", "grids", shp]);
    assert!(o.status.success() && text(&o).contains("2 added"), "{}", text(&o));

    // A broken GeoJSON: one ring left open, one grid on top of a stored one. Both are named.
    let broken = dir.path().join("broken.geojson");
    std::fs::write(
        &broken,
        serde_json::json!({"type": "FeatureCollection", "features": [
            {"type": "Feature", "properties": {"code": "371002001001003"},
             "geometry": {"type": "Polygon", "coordinates": [[[122.12, 37.50], [122.13, 37.50], [122.13, 37.51], [122.12, 37.51]]]}},
        ]})
        .to_string(),
    )
    .unwrap();
    let o = civicgrid(&db, &["import", "grids", broken.to_str().unwrap()]);
    assert!(!o.status.success(), "{}", text(&o));
    assert!(text(&o).contains("feature 1 (371002001001003)") && text(&o).contains("does not close"), "{}", text(&o));
    let overlap = dir.path().join("overlap.geojson");
    std::fs::write(
        &overlap,
        serde_json::json!({"type": "FeatureCollection", "features": [
            {"type": "Feature", "properties": {"code": "371002001001003", "name": "新网格"},
             "geometry": {"type": "Polygon", "coordinates": [[[122.105, 37.50], [122.13, 37.50], [122.13, 37.51], [122.105, 37.51], [122.105, 37.50]]]}},
        ]})
        .to_string(),
    )
    .unwrap();
    let o = civicgrid(&db, &["import", "grids", overlap.to_str().unwrap()]);
    assert!(!o.status.success() && text(&o).contains("nothing written"), "{}", text(&o));
    assert!(text(&o).contains("371002001001001") && text(&o).contains("overlap") && text(&o).contains("m²"), "{}", text(&o));

    let fc = exported(&db);
    let features = fc["features"].as_array().unwrap();
    assert_eq!(features.len(), 2, "the refused files wrote nothing");
    assert_eq!(features[0]["properties"]["code"], "371002001001001");
    assert_eq!(features[0]["properties"]["name"], "东北村第一网格");
    assert_eq!(features[0]["properties"]["households"], 420);
    assert_eq!(features[1]["properties"]["type"], "community");

    // What was exported imports again unchanged.
    let out = dir.path().join("out.geojson");
    let o = civicgrid(&db, &["export", "grids", "--out", out.to_str().unwrap()]);
    assert!(o.status.success(), "{}", text(&o));
    let o = civicgrid(&db, &["import", "grids", out.to_str().unwrap()]);
    assert!(o.status.success() && text(&o).contains("2 unchanged"), "{}", text(&o));

    // Addresses: a sheet with a bad row is refused whole, naming row and column; then a good one.
    let sheet = "区县,街道,社区,道路,门牌号,小区,楼栋,经度,纬度\n环翠区,环翠楼街道,东北村居委会,统一路,8号,海景花园,1号楼,122.105,37.505\n";
    let bad = dir.path().join("bad.csv");
    std::fs::write(&bad, format!("{sheet}环翠区,环翠楼街道,不存在社区,统一路,9号,,,122.115,37.505\n")).unwrap();
    let o = civicgrid(&db, &["import", "addresses", bad.to_str().unwrap(), "--scope", "3710"]);
    assert!(!o.status.success() && text(&o).contains("row 3, column C (社区)"), "{}", text(&o));
    let good = dir.path().join("good.csv");
    std::fs::write(&good, sheet).unwrap();
    let o = civicgrid(&db, &["import", "addresses", good.to_str().unwrap(), "--scope", "3710"]);
    assert!(o.status.success() && text(&o).contains("added 1 standard addresses"), "{}", text(&o));

    let o = civicgrid(&db, &["import", "grids", dir.path().join("missing.txt").to_str().unwrap()]);
    assert!(!o.status.success() && text(&o).contains(".geojson"), "{}", text(&o));
}
