//! Storage of grids (with their history), area outlines and the address library, on SQLite and
//! PostgreSQL alike.

use chrono::Duration;
use civicgrid_domain::*;
use civicgrid_store::backend_test;
use civicgrid_store::testing::fresh;
use civicgrid_store::*;

mod support;
use support::t0;

fn square(x: f64, y: f64, d: f64) -> String {
    serde_json::json!({"type": "Polygon", "coordinates": [[[x, y], [x + d, y], [x + d, y + d], [x, y + d], [x, y]]]}).to_string()
}

fn grid(code: &str, name: &str, geometry: String) -> GridRecord {
    GridRecord {
        code: GridCode::parse(code).unwrap(),
        name: name.into(),
        kind: "community".into(),
        households: 320,
        population: 900,
        staff: serde_json::json!({"chief": ["chief1"], "full_time": ["worker"]}),
        geometry,
    }
}

fn address(text: &str, community: &str, grid: Option<&str>) -> AddressRecord {
    AddressRecord {
        id: 0,
        full_text: text.into(),
        county: Some(AreaCode::parse(&community[..6]).unwrap()),
        town: Some(AreaCode::parse(&community[..9]).unwrap()),
        community: Some(AreaCode::parse(community).unwrap()),
        road: Some("统一路".into()),
        number: Some("1号".into()),
        estate: None,
        building: None,
        unit: None,
        room: None,
        lon: Some(122.1),
        lat: Some(37.5),
        grid: grid.map(|g| GridCode::parse(g).unwrap()),
    }
}

backend_test! {
    async fn grids_keep_every_version_they_had(b: Backend) {
        let (s, _d) = fresh(b).await;
        assert_eq!(s.geo_revision().await.unwrap(), 0, "{b}");
        let first = GeoImport {
            grids: vec![
                grid("371002001001001", "第1网格", square(122.0, 37.0, 0.01)),
                grid("371002001002001", "第1网格", square(122.01, 37.0, 0.01)),
            ],
            boundaries: vec![BoundaryRecord {
                area: AreaCode::parse("371002001001").unwrap(),
                name: Some("社区".into()),
                geometry: square(122.0, 37.0, 0.01),
            }],
        };
        let sum = s.import_geo(&first, "admin", t0()).await.unwrap();
        assert_eq!((sum.added, sum.changed, sum.unchanged, sum.boundaries), (2, 0, 0, 1), "{b}");
        assert_eq!(s.geo_revision().await.unwrap(), 1, "{b}");

        // The same file again changes nothing; a moved polygon opens version 2.
        let sum = s.import_geo(&first, "admin", t0() + Duration::hours(1)).await.unwrap();
        assert_eq!((sum.added, sum.changed, sum.unchanged), (0, 0, 2), "{b}");
        let later = t0() + Duration::days(1);
        let moved = GeoImport { grids: vec![grid("371002001001001", "第一网格", square(122.0, 37.0, 0.02))], boundaries: vec![] };
        let sum = s.import_geo(&moved, "gis", later).await.unwrap();
        assert_eq!((sum.added, sum.changed), (0, 1), "{b}");

        let under = s.grids(Some(&AreaCode::parse("371002001001").unwrap())).await.unwrap();
        assert_eq!(under.len(), 1, "{b}: only the grids under the area");
        assert_eq!(under[0].record.name, "第一网格");
        assert_eq!(under[0].version, 2);
        assert_eq!(under[0].valid_from, later);
        assert_eq!(s.grids(None).await.unwrap().len(), 2, "{b}");

        let history = s.grid_history(&GridCode::parse("371002001001001").unwrap()).await.unwrap();
        assert_eq!(history.len(), 2, "{b}");
        assert_eq!(history[0].record.geometry, square(122.0, 37.0, 0.01), "{b}: the first polygon is kept");
        assert_eq!(history[0].valid_to, Some(later), "{b}");
        assert_eq!((history[1].valid_to, history[1].changed_by.as_str()), (None, "gis"), "{b}");
        assert_eq!(history[1].record.staff["chief"][0], "chief1");
        assert_eq!(s.boundaries().await.unwrap().len(), 1, "{b}");
    }
}

backend_test! {
    async fn an_address_import_is_all_or_nothing(b: Backend) {
        let (s, _d) = fresh(b).await;
        let rows =
            vec![address("环翠区统一路1号", "371002001001", Some("371002001001001")), address("环翠区统一路2号", "371002001001", None)];
        assert_eq!(s.import_addresses(&rows, t0()).await.unwrap(), 2, "{b}");
        let rev = s.geo_revision().await.unwrap();
        // A batch with one standard address already in the library writes none of its rows.
        let again = vec![address("环翠区统一路3号", "371002001001", None), address("环翠区统一路1号", "371002001001", None)];
        let err = s.import_addresses(&again, t0()).await.unwrap_err();
        assert!(matches!(err, StoreError::Duplicate { .. }), "{b}: {err}");
        let all = s.addresses().await.unwrap();
        assert_eq!(all.len(), 2, "{b}: nothing of the failed batch");
        assert_eq!(s.geo_revision().await.unwrap(), rev, "{b}");
        assert_eq!(all[0].grid.as_ref().map(|g| g.as_str()), Some("371002001001001"));
        assert_eq!(all[0].community.as_ref().map(|c| c.as_str()), Some("371002001001"));
        assert_eq!(all[1].lon, Some(122.1));
        assert!(all[0].id < all[1].id);
    }
}
