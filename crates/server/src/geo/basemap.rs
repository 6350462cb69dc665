//! The basemap under every map (`[map]` in the configuration): 天地图 (Tianditu) with the city's
//! key, an XYZ or WMTS tile server the city runs, or a PMTiles file civicgrid serves itself; or
//! none. The browser reads what is configured from `GET /api/v1/map/basemap` and, when there is
//! none or it cannot be reached, draws what the platform holds (outlines, grids, road sketches
//! from `GET /api/v1/map/roads`) with a note saying so.

use axum::extract::{Request, State};
use axum::response::{IntoResponse, Response};
use axum::Json;
use civicgrid_domain::AreaCode;
use serde::{Deserialize, Serialize};
use serde_json::{json, Value};
use std::path::{Path, PathBuf};
use tower::ServiceExt;

use crate::kit::error::{ApiError, ApiResult, ErrorBody};
use crate::kit::extract::ApiQuery;
use crate::AppState;

/// Where the PMTiles file is served (with HTTP ranges, as the PMTiles reader asks).
pub const PMTILES_PATH: &str = "/api/v1/map/basemap.pmtiles";

/// The kinds of basemap.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "lowercase")]
pub enum BasemapKind {
    /// No tiles: the map draws the platform's own data.
    #[default]
    None,
    /// 天地图 vector map and its labels, with the city's key.
    Tianditu,
    /// A raster tile server, `{z}/{x}/{y}`.
    Xyz,
    /// A WMTS server's KVP or REST GetTile template (`{TileMatrix}`, `{TileRow}`, `{TileCol}`).
    Wmts,
    /// A PMTiles file (raster or vector tiles) on this server's disk.
    Pmtiles,
}

/// `[map]`: `basemap` (none, tianditu, xyz, wmts, pmtiles), `tianditu_key`, `url` (xyz, wmts),
/// `pmtiles` (a file), `attribution`, `max_zoom`.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct MapConfig {
    /// Which basemap.
    pub basemap: BasemapKind,
    /// The 天地图 browser key (its use is bound to the city's domain at Tianditu).
    pub tianditu_key: Option<String>,
    /// The tile URL template of an XYZ or WMTS server.
    pub url: Option<String>,
    /// The PMTiles file.
    pub pmtiles: Option<PathBuf>,
    /// The credit shown on the map.
    pub attribution: Option<String>,
    /// The deepest zoom the tiles have (default 18).
    pub max_zoom: Option<u8>,
}

/// A configured basemap, checked: what the browser is told and which outside origins the page
/// may fetch tiles from.
#[derive(Debug, Clone, Default, PartialEq, Serialize, utoipa::ToSchema)]
pub struct Basemap {
    /// The kind configured.
    pub kind: BasemapKind,
    /// Raster layers drawn in order, each a list of tile URL templates (`{z}`, `{x}`, `{y}`).
    pub layers: Vec<Vec<String>>,
    /// The PMTiles file's URL on this server, when that is the basemap.
    pub pmtiles_url: Option<String>,
    /// `raster` or `vector` for a PMTiles file.
    pub pmtiles_type: Option<String>,
    /// The credit to show.
    pub attribution: String,
    /// The deepest zoom of the tiles.
    pub max_zoom: u8,
    /// Outside origins tiles come from (for the content security policy).
    #[serde(skip)]
    pub origins: Vec<String>,
    /// The PMTiles file on disk.
    #[serde(skip)]
    pub file: Option<PathBuf>,
}

impl MapConfig {
    /// Checks the section; the error names the key at fault and what is wrong.
    pub fn resolve(&self) -> Result<Basemap, String> {
        let max_zoom = self.max_zoom.unwrap_or(18);
        if !(1..=22).contains(&max_zoom) {
            return Err(format!("map.max_zoom: {max_zoom} is not between 1 and 22"));
        }
        let attribution = self.attribution.clone().unwrap_or_default();
        let base = Basemap { kind: self.basemap, max_zoom, attribution, ..Basemap::default() };
        match self.basemap {
            BasemapKind::None => Ok(base),
            BasemapKind::Tianditu => {
                let key = self.tianditu_key.as_deref().map(str::trim).unwrap_or_default();
                if key.is_empty() || !key.chars().all(|c| c.is_ascii_alphanumeric()) {
                    return Err("map.tianditu_key: the city's 天地图 key (letters and digits) is needed for basemap = \"tianditu\"".into());
                }
                let layer = |name: &str| -> Vec<String> {
                    (0..8)
                        .map(|s| {
                            format!(
                                "https://t{s}.tianditu.gov.cn/{name}_w/wmts?SERVICE=WMTS&REQUEST=GetTile&VERSION=1.0.0&LAYER={name}\
                                 &STYLE=default&TILEMATRIXSET=w&FORMAT=tiles&TILEMATRIX={{z}}&TILEROW={{y}}&TILECOL={{x}}&tk={key}"
                            )
                        })
                        .collect()
                };
                let origins = (0..8).map(|s| format!("https://t{s}.tianditu.gov.cn")).collect();
                let attribution = if base.attribution.is_empty() { "天地图 GS(2024)0568号".to_string() } else { base.attribution.clone() };
                Ok(Basemap { layers: vec![layer("vec"), layer("cva")], origins, attribution, ..base })
            }
            BasemapKind::Xyz | BasemapKind::Wmts => {
                let raw = self.url.as_deref().map(str::trim).unwrap_or_default();
                let url = tile_template(raw).map_err(|e| format!("map.url: {e}"))?;
                let origins = origin_of(&url).into_iter().collect();
                Ok(Basemap { layers: vec![vec![url]], origins, ..base })
            }
            BasemapKind::Pmtiles => {
                let file = self.pmtiles.as_ref().ok_or("map.pmtiles: the PMTiles file is needed for basemap = \"pmtiles\"")?;
                let kind = pmtiles_type(file).map_err(|e| format!("map.pmtiles: {}: {e}", file.display()))?;
                Ok(Basemap {
                    pmtiles_url: Some(PMTILES_PATH.into()),
                    pmtiles_type: Some(kind.into()),
                    file: Some(file.clone()),
                    ..base
                })
            }
        }
    }
}

/// A tile URL template in the `{z}/{x}/{y}` form MapLibre reads: WMTS's `{TileMatrix}`,
/// `{TileRow}`, `{TileCol}` become `{z}`, `{y}`, `{x}`. Absolute http(s) or a path on this server.
fn tile_template(raw: &str) -> Result<String, String> {
    if raw.is_empty() {
        return Err("a tile URL template is needed for an xyz or wmts basemap".into());
    }
    if !(raw.starts_with("https://") || raw.starts_with("http://") || raw.starts_with('/')) {
        return Err(format!("`{raw}` is not an http(s) URL or a path on this server"));
    }
    let mut url = raw.to_string();
    for (from, to) in [("{TileMatrix}", "{z}"), ("{TileRow}", "{y}"), ("{TileCol}", "{x}")] {
        // WMTS templates are written with any case ({tilematrix}, {TILEMATRIX}).
        while let Some(at) = url.to_ascii_lowercase().find(&from.to_ascii_lowercase()) {
            url.replace_range(at..at + from.len(), to);
        }
    }
    for needed in ["{z}", "{x}", "{y}"] {
        if !url.contains(needed) {
            return Err(format!("`{raw}` has no {needed} (or its WMTS name) for the tile's place"));
        }
    }
    Ok(url)
}

/// `https://host:port` of an absolute URL; none for a path on this server.
fn origin_of(url: &str) -> Option<String> {
    let (scheme, rest) = url.split_once("://")?;
    let host = rest.split(['/', '?', '#']).next().unwrap_or_default();
    Some(format!("{scheme}://{host}"))
}

/// `raster` or `vector`, read from a PMTiles v3 header.
fn pmtiles_type(file: &Path) -> Result<&'static str, String> {
    use std::io::Read;
    let mut header = [0u8; 127];
    std::fs::File::open(file)
        .and_then(|mut f| f.read_exact(&mut header))
        .map_err(|e| format!("cannot read its header ({e})"))?;
    if &header[..7] != b"PMTiles" {
        return Err("not a PMTiles file (no PMTiles mark at its start)".into());
    }
    if header[7] != 3 {
        return Err(format!("PMTiles version {} (version 3 is read)", header[7]));
    }
    // The tile type: 1 MVT, 2 PNG, 3 JPEG, 4 WebP, 5 AVIF.
    match header[99] {
        1 => Ok("vector"),
        2..=5 => Ok("raster"),
        t => Err(format!("unknown tile type {t}")),
    }
}

/// What the map draws under its data: the configured tiles, or none (the page then draws the
/// platform's own data and says that no basemap is configured).
#[utoipa::path(get, path = "/api/v1/map/basemap", tag = "geography",
    responses((status = 200, body = Basemap)))]
pub(crate) async fn basemap(State(app): State<AppState>) -> Json<Basemap> {
    Json(app.config.basemap.clone())
}

/// The PMTiles file of the basemap, by HTTP ranges. 404 when the basemap is not a PMTiles file.
#[utoipa::path(get, path = "/api/v1/map/basemap.pmtiles", tag = "geography",
    responses((status = 200, description = "the file"), (status = 206, description = "the range asked"), (status = 404, body = ErrorBody)))]
pub(crate) async fn basemap_file(State(app): State<AppState>, req: Request) -> ApiResult<Response> {
    let file = app.config.basemap.file.clone().ok_or_else(|| ApiError::not_found("basemap file"))?;
    let res = tower_http::services::ServeFile::new(file).oneshot(req).await.map_err(|_| ApiError::not_found("basemap file"))?;
    if res.status() == axum::http::StatusCode::NOT_FOUND {
        return Err(ApiError::not_found("basemap file"));
    }
    let mut res = res.map(axum::body::Body::new).into_response();
    res.headers_mut().insert(axum::http::header::CACHE_CONTROL, axum::http::HeaderValue::from_static("public, max-age=3600"));
    Ok(res)
}

/// The area whose roads are sketched.
#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct RoadsQuery {
    /// Area code (a city, county, town or community).
    area: String,
}

/// Roads sketched from the points of the standard addresses on them (GeoJSON LineStrings with
/// `name` and `points`): where no basemap is, they help find one's way. A sketch, not a survey.
#[utoipa::path(get, path = "/api/v1/map/roads", tag = "geography",
    params(RoadsQuery),
    responses((status = 200, description = "GeoJSON FeatureCollection", body = Object), (status = 422, body = ErrorBody)))]
pub(crate) async fn roads(State(app): State<AppState>, ApiQuery(q): ApiQuery<RoadsQuery>) -> ApiResult<Json<Value>> {
    let area = AreaCode::parse(&q.area).map_err(|e| ApiError::invalid("area", e.to_string()))?;
    let snap = app.geo().await?;
    let mut points: Vec<(&str, f64, f64)> = snap.library.within(&area).filter_map(|a| Some((a.road.as_deref()?, a.lon?, a.lat?))).collect();
    // The library's areas come in no set order: the same input gives the same lines.
    points.sort_by(|a, b| a.0.cmp(b.0).then(a.1.total_cmp(&b.1)).then(a.2.total_cmp(&b.2)));
    let features: Vec<Value> = civicgrid_geo::sketch::road_sketches(points)
        .into_iter()
        .map(|r| {
            let line: Vec<[f64; 2]> = r.line.iter().map(|&(x, y)| [x, y]).collect();
            json!({"type": "Feature", "properties": {"name": r.name, "points": r.points},
                   "geometry": {"type": "LineString", "coordinates": line}})
        })
        .collect();
    Ok(Json(json!({"type": "FeatureCollection", "features": features})))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn cfg(kind: BasemapKind) -> MapConfig {
        MapConfig { basemap: kind, ..MapConfig::default() }
    }

    #[test]
    fn none_is_the_default_and_needs_nothing() {
        let b = MapConfig::default().resolve().unwrap();
        assert_eq!((b.kind, b.layers.len(), b.max_zoom), (BasemapKind::None, 0, 18));
    }

    #[test]
    fn tianditu_needs_a_key_and_draws_map_and_labels() {
        assert!(cfg(BasemapKind::Tianditu).resolve().unwrap_err().contains("map.tianditu_key"));
        let b = MapConfig { tianditu_key: Some("abc123".into()), ..cfg(BasemapKind::Tianditu) }.resolve().unwrap();
        assert_eq!(b.layers.len(), 2);
        assert!(b.layers[0][0].contains("/vec_w/") && b.layers[1][0].contains("/cva_w/") && b.layers[0][0].ends_with("tk=abc123"));
        assert!(b.layers[0][0].contains("TILEMATRIX={z}&TILEROW={y}&TILECOL={x}"));
        assert_eq!(b.origins.len(), 8);
        let bad = MapConfig { tianditu_key: Some("abc\"; script".into()), ..cfg(BasemapKind::Tianditu) };
        assert!(bad.resolve().is_err(), "a key is letters and digits only");
    }

    #[test]
    fn wmts_templates_become_xyz_and_bad_urls_are_named() {
        let b = MapConfig {
            url: Some("https://gis.city.gov.cn/wmts?layer=img&TileMatrix={TileMatrix}&TileRow={tilerow}&TileCol={TILECOL}".into()),
            ..cfg(BasemapKind::Wmts)
        }
        .resolve()
        .unwrap();
        assert_eq!(b.layers[0][0], "https://gis.city.gov.cn/wmts?layer=img&TileMatrix={z}&TileRow={y}&TileCol={x}");
        assert_eq!(b.origins, ["https://gis.city.gov.cn"]);
        let local = MapConfig { url: Some("/tiles/{z}/{x}/{y}.png".into()), ..cfg(BasemapKind::Xyz) }.resolve().unwrap();
        assert!(local.origins.is_empty(), "a path on this server needs no outside origin");
        let e = MapConfig { url: Some("https://t.example/{z}/{x}.png".into()), ..cfg(BasemapKind::Xyz) }.resolve().unwrap_err();
        assert!(e.starts_with("map.url:") && e.contains("{y}"), "{e}");
        let e = MapConfig { url: Some("ftp://t.example/{z}/{x}/{y}".into()), ..cfg(BasemapKind::Xyz) }.resolve().unwrap_err();
        assert!(e.contains("not an http(s) URL"), "{e}");
        assert!(cfg(BasemapKind::Xyz).resolve().unwrap_err().contains("needed"));
    }

    #[test]
    fn a_pmtiles_file_is_checked_by_its_header() {
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("city.pmtiles");
        let mut header = vec![0u8; 127];
        header[..7].copy_from_slice(b"PMTiles");
        header[7] = 3;
        header[99] = 2;
        std::fs::write(&file, &header).unwrap();
        let b = MapConfig { pmtiles: Some(file.clone()), ..cfg(BasemapKind::Pmtiles) }.resolve().unwrap();
        assert_eq!((b.pmtiles_url.as_deref(), b.pmtiles_type.as_deref()), (Some(PMTILES_PATH), Some("raster")));
        header[7] = 2;
        std::fs::write(&file, &header).unwrap();
        let e = MapConfig { pmtiles: Some(file.clone()), ..cfg(BasemapKind::Pmtiles) }.resolve().unwrap_err();
        assert!(e.contains("version 2"), "{e}");
        std::fs::write(&file, b"not a tile file at all").unwrap();
        assert!(MapConfig { pmtiles: Some(file), ..cfg(BasemapKind::Pmtiles) }.resolve().unwrap_err().contains("header"));
        assert!(cfg(BasemapKind::Pmtiles).resolve().unwrap_err().contains("map.pmtiles"));
    }
}
