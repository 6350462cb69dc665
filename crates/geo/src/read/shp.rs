//! Shapefile: the `.shp` shapes and `.dbf` records (UTF-8 or GBK) read into the raw form, with
//! outer rings and holes grouped into polygons.
//!
//! One file per format, so that each format's quirks stay out of the shared checks. Named `shp`
//! rather than `shapefile` so as not to shadow the `shapefile` crate.

use shapefile::dbase;
use std::io::Cursor;

use super::crs_from_prj;
use super::raw::{Prop, RawFeature, RawInput, AREA_CODE, GRID_CODE};
use super::rings::check_polygons;
use crate::crs::Crs;
use crate::{ImportError, ImportProblem};

pub(super) fn parse_shapefile(shp: &[u8], dbf: &[u8], prj: Option<&str>, crs: Option<Crs>) -> Result<RawInput, ImportError> {
    let crs = match (crs, prj) {
        (Some(c), _) => c,
        (None, Some(p)) => crs_from_prj(p)?,
        (None, None) => Crs::Wgs84,
    };
    let shapes = shapefile::ShapeReader::new(Cursor::new(shp))
        .and_then(|r| r.read())
        .map_err(|e| ImportError::general(format!("cannot read the .shp: {e}")))?;
    let records = read_dbf(dbf)?;
    if shapes.len() != records.len() {
        return Err(ImportError::general(format!(
            "the .shp has {} shapes but the .dbf has {} records; they must come from the same shapefile",
            shapes.len(),
            records.len()
        )));
    }
    let mut problems = Vec::new();
    let mut out = Vec::with_capacity(shapes.len());
    for (i, (shape, record)) in shapes.into_iter().zip(records).enumerate() {
        let index = i + 1;
        let props: Vec<(String, Prop)> = record.into_iter().map(|(k, v)| (k.trim().to_lowercase(), Prop::from_dbf(v))).collect();
        let code = [GRID_CODE, AREA_CODE]
            .iter()
            .flat_map(|names| names.iter())
            .find_map(|n| props.iter().find(|(k, v)| k == n && !v.is_empty()).and_then(|(_, v)| v.text()));
        let c = code.as_deref();
        let rings: Option<Vec<(bool, Vec<[f64; 2]>)>> = match shape {
            shapefile::Shape::Polygon(p) => Some(shp_rings(p.rings(), |pt| [pt.x, pt.y])),
            shapefile::Shape::PolygonZ(p) => Some(shp_rings(p.rings(), |pt| [pt.x, pt.y])),
            shapefile::Shape::PolygonM(p) => Some(shp_rings(p.rings(), |pt| [pt.x, pt.y])),
            shapefile::Shape::NullShape => {
                problems.push(ImportProblem::at(index, c, "has no geometry (null shape)"));
                None
            }
            other => {
                problems.push(ImportProblem::at(index, c, format!("geometry is a {}; only polygons are accepted", other.shapetype())));
                None
            }
        };
        let geometry = rings.and_then(|r| check_polygons(&group_rings(r), index, c, crs, &mut problems));
        out.push(RawFeature { index, props, geometry });
    }
    Ok(RawInput { features: out, problems })
}

fn shp_rings<P>(rings: &[shapefile::PolygonRing<P>], xy: impl Fn(&P) -> [f64; 2]) -> Vec<(bool, Vec<[f64; 2]>)> {
    rings.iter().map(|r| (matches!(r, shapefile::PolygonRing::Outer(_)), r.points().iter().map(&xy).collect())).collect()
}

/// Groups shapefile rings into polygons: each outer ring starts one, and each hole joins the
/// outer ring that contains its first point (the format does not promise that holes follow
/// their shell).
fn group_rings(rings: Vec<(bool, Vec<[f64; 2]>)>) -> Vec<Vec<Vec<[f64; 2]>>> {
    let mut polygons: Vec<Vec<Vec<[f64; 2]>>> = Vec::new();
    let mut holes = Vec::new();
    for (outer, ring) in rings {
        if outer || ring.len() < 3 {
            polygons.push(vec![ring]);
        } else {
            holes.push(ring);
        }
    }
    for hole in holes {
        let p = hole[0];
        let target = polygons.iter().position(|rings| point_in_ring(p, &rings[0]));
        match target {
            Some(t) => polygons[t].push(hole),
            // A hole in no shell is kept as its own polygon, so validation can report it rather
            // than it vanishing here.
            None => polygons.push(vec![hole]),
        }
    }
    polygons
}

fn point_in_ring(p: [f64; 2], ring: &[[f64; 2]]) -> bool {
    let mut inside = false;
    let n = ring.len();
    for i in 0..n {
        let a = ring[i];
        let b = ring[(i + 1) % n];
        if (a[1] > p[1]) != (b[1] > p[1]) && p[0] < (b[0] - a[0]) * (p[1] - a[1]) / (b[1] - a[1]) + a[0] {
            inside = !inside;
        }
    }
    inside
}

fn read_dbf(dbf: &[u8]) -> Result<Vec<dbase::Record>, ImportError> {
    let strict = dbase::ReaderBuilder::new().with_encoding(dbase::Unicode).build(Cursor::new(dbf)).and_then(|mut r| r.read());
    match strict {
        Ok(records) => Ok(records),
        Err(first) => {
            let gbk = dbase::encoding::DynEncoding::from_name("GBK").expect("encoding_rs knows GBK");
            dbase::ReaderBuilder::new()
                .with_encoding(gbk)
                .build(Cursor::new(dbf))
                .and_then(|mut r| r.read())
                .map_err(|_| ImportError::general(format!("cannot read the .dbf: {first}")))
        }
    }
}
