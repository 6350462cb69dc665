//! Unit tests of the GeoJSON and shapefile readers (shapefiles are written in memory with the
//! `shapefile` crate's writer).
//!
//! Kept in their own file so that the readers stay short.

use super::*;
use geo::{Area, BoundingRect};
use serde_json::json;
use serde_json::Value;
use shapefile::dbase;
use std::io::Cursor;

use crate::crs::to_wgs84;
use crate::grid::GridKind;

fn fc(features: Vec<Value>) -> String {
    json!({"type": "FeatureCollection", "features": features}).to_string()
}

fn feature(props: Value, geometry: Value) -> Value {
    json!({"type": "Feature", "properties": props, "geometry": geometry})
}

fn square(x: f64, y: f64, d: f64) -> Value {
    json!({"type": "Polygon", "coordinates": [[[x, y], [x + d, y], [x + d, y + d], [x, y + d], [x, y]]]})
}

#[test]
fn reads_properties_in_every_spelling() {
    let text = fc(vec![
        feature(
            json!({"code": "371002001001001", "name": "第1网格", "type": "社区网格", "households": 320, "population": "901",
                   "chief": "wang", "full_time": "li、zhao", "part_time": ["sun", "qian"], "police": "zhou,wu"}),
            square(122.1, 37.5, 0.01),
        ),
        feature(
            json!({"WGBM": 371002001001002u64, "WGMC": "第2网格", "WGLX": "园区", "HS": 12, "RK": 40, "ZZWGY": "li"}),
            json!({"type": "MultiPolygon", "coordinates": [
                [[[122.2, 37.5], [122.3, 37.5], [122.3, 37.6], [122.2, 37.6], [122.2, 37.5]],
                 [[122.22, 37.52], [122.22, 37.54], [122.24, 37.54], [122.24, 37.52], [122.22, 37.52]]],
                [[[122.4, 37.5], [122.5, 37.5], [122.5, 37.6], [122.4, 37.5]]]
            ]}),
        ),
        feature(json!({"网格编码": "371002001002001", "网格名称": "第3网格", "户数": "7", "人口": 9}), square(122.0, 37.0, 0.01)),
    ]);
    let grids = read_grids_geojson(&text, None).unwrap();
    assert_eq!(grids.len(), 3);
    let g = &grids[0];
    assert_eq!(g.code.as_str(), "371002001001001");
    assert_eq!((g.name.as_str(), g.kind, g.households, g.population), ("第1网格", GridKind::Community, 320, 901));
    assert_eq!(g.staff.chief, ["wang"]);
    assert_eq!(g.staff.full_time, ["li", "zhao"]);
    assert_eq!(g.staff.part_time, ["sun", "qian"]);
    assert_eq!(g.staff.police, ["zhou", "wu"]);
    let g = &grids[1];
    assert_eq!((g.code.as_str(), g.name.as_str(), g.kind), ("371002001001002", "第2网格", GridKind::IndustrialPark));
    assert_eq!((g.households, g.population, g.staff.full_time.clone()), (12, 40, vec!["li".to_string()]));
    assert_eq!(g.geometry.0.len(), 2);
    assert_eq!(g.geometry.0[0].interiors().len(), 1);
    assert!((g.geometry.0[0].unsigned_area() - (0.01 - 0.0004)).abs() < 1e-12);
    let g = &grids[2];
    assert_eq!((g.code.as_str(), g.name.as_str(), g.households, g.population), ("371002001002001", "第3网格", 7, 9));
    assert_eq!(g.kind, GridKind::Community, "a missing type means community");
}

#[test]
fn reports_every_problem_with_feature_and_code() {
    let text = fc(vec![
        feature(json!({"code": "371002001001009"}), square(122.0, 37.0, 0.01)),
        feature(
            json!({"code": "371002001001001"}),
            json!({"type": "Polygon", "coordinates": [[[122.1, 37.5], [122.2, 37.5], [122.2, 37.6], [122.1, 37.6]]]}),
        ),
        feature(json!({"name": "no code"}), square(122.0, 37.0, 0.01)),
        feature(json!({"code": "3710020010010"}), square(122.0, 37.0, 0.01)),
        feature(json!({"code": "371002001001005", "type": "街道网格"}), square(122.0, 37.0, 0.01)),
        feature(json!({"code": "371002001001006"}), json!({"type": "LineString", "coordinates": [[122.0, 37.0], [122.1, 37.1]]})),
        feature(
            json!({"code": "371002001001007"}),
            json!({"type": "Polygon", "coordinates": [[[122.0, 37.0], [122.1, 37.0], [122.0, 37.0]]]}),
        ),
        feature(
            json!({"code": "371002001001008"}),
            json!({"type": "Polygon", "coordinates": [[[122.0, 37.0], ["122.1", 37.0], [122.1, 37.1], [122.0, 37.0]]]}),
        ),
        feature(json!({"code": "371002001001010"}), square(40512345.1, 4123456.7, 100.0)),
        feature(json!({"code": "371002001001011", "households": -3}), square(122.0, 37.0, 0.01)),
        feature(json!({"code": "371002001001012"}), Value::Null),
    ]);
    let err = read_grids_geojson(&text, None).unwrap_err();
    let text = err.to_string();
    let has = |feature: usize, needle: &str| err.problems.iter().any(|p| p.feature == Some(feature) && p.to_string().contains(needle));
    assert!(
        has(2, "feature 2 (371002001001001): exterior ring does not close: first point (122.1, 37.5) ≠ last point (122.1, 37.6)"),
        "{text}"
    );
    assert!(has(3, "missing grid code"), "{text}");
    assert!(has(4, "feature 4 (3710020010010): invalid grid code"), "{text}");
    assert!(has(5, "unknown grid type `街道网格`"), "{text}");
    assert!(has(6, "geometry is a LineString"), "{text}");
    assert!(has(7, "exterior ring has 3 positions"), "{text}");
    assert!(has(8, "position 2 is `[\"122.1\",37.0]`"), "{text}");
    assert!(has(9, "outside longitude") && has(9, "projected"), "{text}");
    assert!(has(10, "`households` must be a whole number"), "{text}");
    assert!(has(11, "has no geometry"), "{text}");
    assert!(!err.problems.iter().any(|p| p.feature == Some(1)), "feature 1 is fine: {text}");
    assert_eq!(err.problems.len(), 10, "{text}");
}

#[test]
fn refuses_bad_json_and_other_documents() {
    let err = read_grids_geojson("{\"type\": \"FeatureCollection\",\n  \"features\": [,]}", None).unwrap_err();
    assert!(err.to_string().starts_with("invalid JSON at line 2, column 16"), "{err}");
    let err = read_grids_geojson(&feature(json!({}), square(0.0, 0.0, 1.0)).to_string(), None).unwrap_err();
    assert!(err.to_string().contains("not a GeoJSON FeatureCollection: top-level type is `Feature`"), "{err}");
    let err = read_grids_geojson("[1, 2]", None).unwrap_err();
    assert!(err.to_string().contains("not a GeoJSON FeatureCollection"), "{err}");
}

#[test]
fn converts_gcj02_and_bd09_vertex_by_vertex() {
    let text = fc(vec![feature(json!({"code": "371002001001001"}), square(122.1, 37.5, 0.01))]);
    for crs in [Crs::Gcj02, Crs::Bd09] {
        let g = &read_grids_geojson(&text, Some(crs)).unwrap()[0];
        let first = g.geometry.0[0].exterior().0[2];
        let want = to_wgs84(crs, 122.11, 37.51);
        assert_eq!((first.x, first.y), want, "{crs}");
        assert!((first.x - 122.11).abs() > 1e-4, "{crs} must move the vertex");
    }
    let g = &read_grids_geojson(&text, Some(Crs::Cgcs2000)).unwrap()[0];
    assert_eq!(g.geometry.bounding_rect().unwrap().min(), geo::coord! {x: 122.1, y: 37.5});
}

#[test]
fn geojson_legacy_crs_member() {
    let mk = |name: &str| {
        json!({"type": "FeatureCollection", "crs": {"type": "name", "properties": {"name": name}},
               "features": [feature(json!({"code": "371002001001001"}), square(122.1, 37.5, 0.01))]})
        .to_string()
    };
    assert!(read_grids_geojson(&mk("urn:ogc:def:crs:EPSG::4490"), None).is_ok());
    assert!(read_grids_geojson(&mk("urn:ogc:def:crs:OGC:1.3:CRS84"), None).is_ok());
    let err = read_grids_geojson(&mk("urn:ogc:def:crs:EPSG::4549"), None).unwrap_err();
    assert!(err.to_string().contains("EPSG::4549") && err.to_string().contains("Gauss-Krüger"), "{err}");
    // An explicit argument overrides the file.
    let g = &read_grids_geojson(&mk("EPSG:4326"), Some(Crs::Gcj02)).unwrap()[0];
    assert_ne!(g.geometry.0[0].exterior().0[0].x, 122.1);
}

const PRJ_GK: &str = r#"PROJCS["CGCS2000_3_Degree_GK_CM_120E",GEOGCS["GCS_China_Geodetic_Coordinate_System_2000",DATUM["D_China_2000",SPHEROID["CGCS2000",6378137.0,298.257222101]],PRIMEM["Greenwich",0.0],UNIT["Degree",0.0174532925199433]],PROJECTION["Gauss_Kruger"],PARAMETER["False_Easting",500000.0],PARAMETER["False_Northing",0.0],PARAMETER["Central_Meridian",120.0],PARAMETER["Scale_Factor",1.0],PARAMETER["Latitude_Of_Origin",0.0],UNIT["Meter",1.0]]"#;
const PRJ_WGS: &str = r#"GEOGCS["GCS_WGS_1984",DATUM["D_WGS_1984",SPHEROID["WGS_1984",6378137.0,298.257223563]],PRIMEM["Greenwich",0.0],UNIT["Degree",0.0174532925199433]]"#;
const PRJ_CGCS: &str = r#"GEOGCS["China Geodetic Coordinate System 2000",DATUM["China_2000",SPHEROID["CGCS2000",6378137,298.257222101]],PRIMEM["Greenwich",0],UNIT["degree",0.0174532925199433]]"#;
const PRJ_XIAN: &str = r#"GEOGCS["GCS_Xian_1980",DATUM["D_Xian_1980",SPHEROID["Xian_1980",6378140.0,298.257],TOWGS84[24,-123,-94,0,0,0,0]],PRIMEM["Greenwich",0.0],UNIT["Degree",0.0174532925199433]]"#;

#[test]
fn prj_names_the_crs() {
    assert_eq!(crs_from_prj(PRJ_WGS).unwrap(), Crs::Wgs84);
    assert_eq!(crs_from_prj(PRJ_CGCS).unwrap(), Crs::Cgcs2000);
    assert_eq!(crs_from_prj(r#"GEOGCS["GCS_China_Geodetic_Coordinate_System_2000",DATUM["D_China_2000"]]"#).unwrap(), Crs::Cgcs2000);
    let err = crs_from_prj(PRJ_GK).unwrap_err().to_string();
    assert!(err.contains("projected coordinate system `CGCS2000_3_Degree_GK_CM_120E`"), "{err}");
    let err = crs_from_prj(PRJ_XIAN).unwrap_err().to_string();
    assert!(err.contains("GCS_Xian_1980"), "{err}");
}

/// Writes a shapefile into memory with the shapefile crate's writer.
fn write_shapefile(encoding: Option<&str>, rows: &[(&str, &str, &str, f64, shapefile::Polygon)]) -> (Vec<u8>, Vec<u8>) {
    let mut shp = Cursor::new(Vec::new());
    let mut dbf = Cursor::new(Vec::new());
    {
        let mut builder = dbase::TableWriterBuilder::new();
        if let Some(e) = encoding {
            builder = builder.set_encoding(dbase::encoding::DynEncoding::from_name(e).unwrap());
        }
        let table = builder
            .add_character_field("WGBM".try_into().unwrap(), 15)
            .add_character_field("WGMC".try_into().unwrap(), 40)
            .add_character_field("WGLX".try_into().unwrap(), 20)
            .add_numeric_field("HS".try_into().unwrap(), 10, 0)
            .add_character_field("police".try_into().unwrap(), 40)
            .build_with_dest(&mut dbf);
        let mut w = shapefile::Writer::new(shapefile::ShapeWriter::new(&mut shp), table);
        for (code, name, kind, hs, poly) in rows {
            let mut r = dbase::Record::default();
            r.insert("WGBM".into(), dbase::FieldValue::Character(Some(code.to_string())));
            r.insert("WGMC".into(), dbase::FieldValue::Character(Some(name.to_string())));
            r.insert("WGLX".into(), dbase::FieldValue::Character(Some(kind.to_string())));
            r.insert("HS".into(), dbase::FieldValue::Numeric(Some(*hs)));
            r.insert("police".into(), dbase::FieldValue::Character(Some("zhou、wu".into())));
            w.write_shape_and_record(poly, &r).unwrap();
        }
    }
    (shp.into_inner(), dbf.into_inner())
}

fn shp_square(x: f64, y: f64, d: f64, hole: bool) -> shapefile::Polygon {
    use shapefile::{Point, PolygonRing};
    let mut rings = vec![PolygonRing::Outer(vec![
        Point::new(x, y),
        Point::new(x, y + d),
        Point::new(x + d, y + d),
        Point::new(x + d, y),
        Point::new(x, y),
    ])];
    if hole {
        let (a, b) = (x + d / 4.0, x + d / 2.0);
        let (c, e) = (y + d / 4.0, y + d / 2.0);
        rings.push(PolygonRing::Inner(vec![Point::new(a, c), Point::new(b, c), Point::new(b, e), Point::new(a, e), Point::new(a, c)]));
    }
    shapefile::Polygon::with_rings(rings)
}

#[test]
fn shapefile_round_trip_utf8_and_gbk() {
    for enc in [None, Some("GBK")] {
        let (shp, dbf) = write_shapefile(
            enc,
            &[
                ("371002001001001", "第1网格", "社区网格", 320.0, shp_square(122.1, 37.5, 0.01, true)),
                ("371002001001002", "第2网格", "商圈", 15.0, shp_square(122.11, 37.5, 0.01, false)),
            ],
        );
        if enc.is_some() {
            assert!(std::str::from_utf8(&dbf).is_err(), "the GBK file must not be valid UTF-8");
        }
        let grids = read_grids_shapefile(&shp, &dbf, Some(PRJ_CGCS), None).unwrap();
        assert_eq!(grids.len(), 2, "{enc:?}");
        let g = &grids[0];
        assert_eq!((g.code.as_str(), g.name.as_str(), g.kind, g.households), ("371002001001001", "第1网格", GridKind::Community, 320));
        assert_eq!(g.staff.police, ["zhou", "wu"]);
        assert_eq!(g.geometry.0.len(), 1);
        assert_eq!(g.geometry.0[0].interiors().len(), 1);
        let area = g.geometry.unsigned_area();
        assert!((area - (0.0001 - 0.0025 * 0.0025)).abs() < 1e-12, "{area}");
        assert_eq!(grids[1].kind, GridKind::BusinessDistrict);
        assert_eq!(grids[1].name, "第2网格");
    }
}

#[test]
fn shapefile_with_projected_prj_is_refused() {
    let (shp, dbf) = write_shapefile(None, &[("371002001001001", "x", "社区", 1.0, shp_square(500_000.0, 4_000_000.0, 100.0, false))]);
    let err = read_grids_shapefile(&shp, &dbf, Some(PRJ_GK), None).unwrap_err().to_string();
    assert!(err.contains("projected coordinate system `CGCS2000_3_Degree_GK_CM_120E`"), "{err}");
    // Without the .prj the coordinates themselves give it away.
    let err = read_grids_shapefile(&shp, &dbf, None, None).unwrap_err().to_string();
    assert!(err.contains("feature 1 (371002001001001)") && err.contains("projected metres"), "{err}");
}

#[test]
fn boundaries_read_codes_and_names() {
    let text = fc(vec![
        feature(json!({"code": "371002", "name": "环翠区"}), square(122.0, 37.4, 0.3)),
        feature(json!({"code": "371002001000", "name": "环翠街道"}), square(122.0, 37.4, 0.1)),
        feature(json!({"code": "37100200100x"}), square(122.0, 37.4, 0.1)),
    ]);
    let err = read_boundaries_geojson(&text, None).unwrap_err();
    assert_eq!(err.problems.len(), 1);
    assert!(err.to_string().starts_with("feature 3 (37100200100x): invalid area code"), "{err}");
    let ok = read_boundaries_geojson(
        &fc(vec![
            feature(json!({"code": "371002", "name": "环翠区"}), square(122.0, 37.4, 0.3)),
            feature(json!({"XZQDM": "371002001000", "XZQMC": "环翠街道"}), square(122.0, 37.4, 0.1)),
        ]),
        None,
    )
    .unwrap();
    assert_eq!(ok[0].area.as_str(), "371002");
    assert_eq!(ok[1].area.as_str(), "371002001", "zero padding is shortened");
    assert_eq!(ok[1].name.as_deref(), Some("环翠街道"));
}
