//! The geography a server keeps in memory — the grid index and the address library — and the two
//! things done with it: placing a report (point or address → grid and area) and importing grids.
//!
//! Servers stay stateless: the in-memory copy is rebuilt from the database whenever the store's
//! geography revision moves (checked every few seconds), off the request path, and swapped in at
//! once, so a lookup sees either the old index or the new one, never half of each.

use chrono::{DateTime, Utc};
use civicgrid_address::{AddressLibrary, Gazetteer, StandardAddress};
use civicgrid_domain::{AddressCandidate, AreaCode, GridCode, LocatedBy, Location, LocationFix};
use civicgrid_geo::index::{GridIndex, Placement};
use civicgrid_geo::validate::validate_grids;
use civicgrid_geo::{AreaBoundary, Crs, GridFeature, ImportProblem};
use civicgrid_store::{BoundaryRecord, GeoImport, GeoImportSummary, GridRecord, Store, StoredGrid};
use serde::Serialize;
use std::collections::{BTreeSet, HashSet};
use std::str::FromStr;
use std::sync::{Arc, RwLock};
use std::time::{Duration, Instant};

use crate::kit::error::ApiError;
use crate::RefData;

/// How often a server asks the database whether the geography changed.
const REVISION_CHECK: Duration = Duration::from_secs(3);

/// The geography one server holds in memory, built from one revision of the database.
pub struct GeoSnapshot {
    /// The revision it was built from.
    pub rev: i64,
    /// Point → grid.
    pub index: GridIndex,
    /// Grids in the index.
    pub grids: usize,
    /// Free-text address → standard address.
    pub library: AddressLibrary,
    /// The area names the library parses with.
    pub gazetteer: Arc<Gazetteer>,
}

#[derive(Default)]
pub(crate) struct Cache {
    slot: RwLock<Option<(Instant, Arc<GeoSnapshot>)>>,
    rebuilding: tokio::sync::Mutex<()>,
}

impl Cache {
    /// The current snapshot, rebuilt first if the database moved on (or none was built yet).
    pub(crate) async fn get(&self, store: &dyn Store, rd: &RefData) -> Result<Arc<GeoSnapshot>, ApiError> {
        let current = self.slot.read().expect("not poisoned").clone();
        if let Some((checked, snap)) = &current {
            if checked.elapsed() < REVISION_CHECK {
                return Ok(snap.clone());
            }
        }
        // One rebuild at a time; while one runs, the others go on with the old snapshot.
        let _guard = match (&current, self.rebuilding.try_lock()) {
            (_, Ok(g)) => g,
            (Some((_, snap)), Err(_)) => return Ok(snap.clone()),
            (None, Err(_)) => self.rebuilding.lock().await,
        };
        if let Some((checked, snap)) = self.slot.read().expect("not poisoned").as_ref() {
            if checked.elapsed() < REVISION_CHECK {
                return Ok(snap.clone());
            }
        }
        let rev = store.geo_revision().await?;
        if let Some((_, snap)) = &current {
            if snap.rev == rev {
                *self.slot.write().expect("not poisoned") = Some((Instant::now(), snap.clone()));
                return Ok(snap.clone());
            }
        }
        let snap = Arc::new(build_snapshot(store, rd, rev).await?);
        *self.slot.write().expect("not poisoned") = Some((Instant::now(), snap.clone()));
        Ok(snap)
    }

    /// Makes the next read check the revision (after this server changed the geography).
    pub(crate) fn invalidate(&self) {
        if let Some((checked, _)) = self.slot.write().expect("not poisoned").as_mut() {
            *checked = Instant::now() - REVISION_CHECK;
        }
    }
}

/// The geography as the database holds it now (for commands that run without a server).
pub async fn snapshot(store: &dyn Store, rd: &RefData) -> Result<GeoSnapshot, ApiError> {
    let rev = store.geo_revision().await?;
    build_snapshot(store, rd, rev).await
}

/// Reads grids, outlines and addresses and builds the index and library, off the async threads.
async fn build_snapshot(store: &dyn Store, rd: &RefData, rev: i64) -> Result<GeoSnapshot, ApiError> {
    let grids = store.grids(None).await?;
    let boundaries = store.boundaries().await?;
    let addresses = store.addresses().await?;
    let rows: Vec<civicgrid_address::AreaRow> = rd
        .areas
        .values()
        .map(|a| civicgrid_address::AreaRow {
            code: a.code.to_string(),
            name: a.name.clone(),
            level: a.level,
            parent: a.parent.as_ref().map(|p| p.to_string()),
        })
        .collect();
    let started = Instant::now();
    let snap = tokio::task::spawn_blocking(move || -> Result<GeoSnapshot, ApiError> {
        let features = features_of(&grids).map_err(|e| internal(format!("stored grids do not read back: {e}")))?;
        let outlines = boundaries_of(&boundaries).map_err(|e| internal(format!("stored outlines do not read back: {e}")))?;
        let index = GridIndex::build(features.iter().map(|f| (f.code.clone(), f.geometry.clone())), &outlines);
        let gazetteer = Arc::new(Gazetteer::new(rows).map_err(|e| internal(format!("area table: {e}")))?);
        let library = AddressLibrary::new(addresses.iter().map(standard_address).collect(), gazetteer.clone());
        Ok(GeoSnapshot { rev, index, grids: features.len(), library, gazetteer })
    })
    .await
    .map_err(|e| internal(format!("geography rebuild failed: {e}")))??;
    tracing::info!(rev, grids = snap.grids, ms = started.elapsed().as_millis() as u64, "geography index built");
    Ok(snap)
}

fn internal(message: String) -> ApiError {
    ApiError::internal(message)
}

/// The stored grids as features, read back through the same reader as an import.
pub fn features_of(grids: &[StoredGrid]) -> Result<Vec<GridFeature>, civicgrid_geo::ImportError> {
    if grids.is_empty() {
        return Ok(Vec::new());
    }
    let features: Vec<serde_json::Value> = grids
        .iter()
        .map(|g| {
            let r = &g.record;
            serde_json::json!({
                "type": "Feature",
                "properties": {"code": r.code.as_str(), "name": r.name, "type": r.kind, "households": r.households,
                               "population": r.population, "chief": r.staff.get("chief"), "full_time": r.staff.get("full_time"),
                               "part_time": r.staff.get("part_time"), "police": r.staff.get("police")},
                "geometry": serde_json::from_str::<serde_json::Value>(&r.geometry).unwrap_or(serde_json::Value::Null),
            })
        })
        .collect();
    let text = serde_json::json!({"type": "FeatureCollection", "features": features}).to_string();
    civicgrid_geo::read_grids_geojson(&text, Some(Crs::Wgs84))
}

/// The stored outlines as boundaries.
pub fn boundaries_of(rows: &[BoundaryRecord]) -> Result<Vec<AreaBoundary>, civicgrid_geo::ImportError> {
    if rows.is_empty() {
        return Ok(Vec::new());
    }
    let features: Vec<serde_json::Value> = rows
        .iter()
        .map(|b| {
            serde_json::json!({
                "type": "Feature",
                "properties": {"code": b.area.as_str(), "name": b.name},
                "geometry": serde_json::from_str::<serde_json::Value>(&b.geometry).unwrap_or(serde_json::Value::Null),
            })
        })
        .collect();
    let text = serde_json::json!({"type": "FeatureCollection", "features": features}).to_string();
    civicgrid_geo::read_boundaries_geojson(&text, Some(Crs::Wgs84))
}

/// A grid feature as the store keeps it.
pub fn grid_record(f: &GridFeature) -> GridRecord {
    GridRecord {
        code: f.code.clone(),
        name: f.name.clone(),
        kind: f.kind.as_str().to_string(),
        households: f.households.into(),
        population: f.population.into(),
        staff: serde_json::to_value(&f.staff).expect("staff serialises"),
        geometry: civicgrid_geo::export::multipolygon_json(&f.geometry).to_string(),
    }
}

/// An outline as the store keeps it.
pub fn boundary_record(b: &AreaBoundary) -> BoundaryRecord {
    BoundaryRecord {
        area: b.area.clone(),
        name: b.name.clone(),
        geometry: civicgrid_geo::export::multipolygon_json(&b.geometry).to_string(),
    }
}

/// A standard address as the store keeps it, with its standard form.
pub fn address_record(a: &StandardAddress, gazetteer: &Gazetteer) -> civicgrid_store::AddressRecord {
    civicgrid_store::AddressRecord {
        id: a.id,
        full_text: a.full_text(gazetteer),
        county: a.county.clone(),
        town: a.town.clone(),
        community: a.community.clone(),
        road: a.road.clone(),
        number: a.number.clone(),
        estate: a.estate.clone(),
        building: a.building.clone(),
        unit: a.unit.clone(),
        room: a.room.clone(),
        lon: a.lon,
        lat: a.lat,
        grid: a.grid.as_deref().and_then(|g| GridCode::parse(g).ok()),
    }
}

fn standard_address(a: &civicgrid_store::AddressRecord) -> StandardAddress {
    StandardAddress {
        id: a.id,
        county: a.county.clone(),
        town: a.town.clone(),
        community: a.community.clone(),
        road: a.road.clone(),
        number: a.number.clone(),
        estate: a.estate.clone(),
        building: a.building.clone(),
        unit: a.unit.clone(),
        room: a.room.clone(),
        lon: a.lon,
        lat: a.lat,
        grid: a.grid.as_ref().map(|g| g.as_str().to_string()),
    }
}

/// Where a report is, as far as its point, its address and its named area tell.
#[derive(Debug, Clone)]
pub struct Placed {
    /// The deepest area, when one was found.
    pub area: Option<AreaCode>,
    /// The point in WGS84 (from the report, or from the matched standard address).
    pub location: Option<Location>,
    /// How it was found.
    pub fix: LocationFix,
}

/// What a report says about its place.
#[derive(Debug, Clone, Default)]
pub struct PlaceRequest<'a> {
    /// The point and its coordinate system.
    pub point: Option<(f64, f64, Crs)>,
    /// The address as given.
    pub address: Option<&'a str>,
    /// The area the reporter named (or his account's scope).
    pub area: Option<AreaCode>,
    /// An area to prefer when an address is ambiguous.
    pub hint: Option<AreaCode>,
}

/// The coordinate system `raw` names, refused naming `field` when it is none of the four.
pub fn parse_crs(field: &str, raw: &str) -> Result<Crs, ApiError> {
    Crs::from_str(raw).map_err(|_| ApiError::invalid(field, format!("{field}: `{raw}` is not one of wgs84, cgcs2000, gcj02, bd09")))
}

/// The point of a standard address, if it has one.
fn point_of(a: &StandardAddress) -> Option<Location> {
    Location::new(a.lon?, a.lat?).ok()
}

/// The deepest area of `code`'s path that the area table knows.
fn known_or_parent(rd: &RefData, code: &AreaCode) -> Option<AreaCode> {
    code.path().into_iter().rev().find(|c| rd.areas.contains_key(c.as_str()))
}

/// Places a report: a point goes to its grid (or the smallest area around it, flagged); an
/// address is matched against the library (flagged below the confidence threshold); else the
/// named area stands alone.
pub fn place(snap: &GeoSnapshot, rd: &RefData, req: &PlaceRequest<'_>) -> Result<Placed, ApiError> {
    if let Some((lon, lat, crs)) = req.point {
        let input = Location::new(lon, lat)?;
        let (x, y) = civicgrid_geo::to_wgs84(crs, lon, lat);
        let location = Location::new(x, y)?;
        let mut fix = LocationFix::area_only(None);
        fix.method = LocatedBy::Point;
        fix.crs = Some(crs.as_str().to_string());
        if crs != Crs::Wgs84 {
            fix.input = Some(input);
        }
        let area = match snap.index.locate(x, y) {
            Placement::Grid { grid, on_border } => {
                fix.on_border = on_border;
                let area = known_or_parent(rd, &grid.community());
                if on_border {
                    fix.note = Some(format!("on a border between grids; placed in {} by the lowest-code rule", grid.as_str()));
                }
                fix.grid = Some(grid);
                area
            }
            Placement::Area { area } => {
                fix.needs_confirmation = true;
                fix.note = Some(format!("the point lies in no grid; placed in the smallest area around it, {}", rd.area_name(&area)));
                known_or_parent(rd, &area)
            }
            Placement::Outside => {
                fix.needs_confirmation = true;
                fix.note = Some("the point lies outside every grid and every known area".into());
                None
            }
        };
        return Ok(reconcile(rd, req, area, Some(location), fix));
    }
    if let Some(text) = req.address.filter(|a| !a.trim().is_empty()) {
        let hint = req.area.as_ref().or(req.hint.as_ref());
        let m = snap.library.match_address(text, hint, 3);
        let mut fix = LocationFix::area_only(None);
        fix.method = LocatedBy::Address;
        fix.candidates = m
            .candidates
            .iter()
            .map(|c| AddressCandidate {
                id: c.address.id,
                text: c.text.clone(),
                confidence: round3(c.confidence),
                grid: c.address.grid.as_deref().and_then(|g| GridCode::parse(g).ok()),
                location: point_of(&c.address),
            })
            .collect();
        if let Some(best) = m.candidates.first() {
            fix.confidence = Some(round3(best.confidence));
        }
        match &m.best {
            Some(best) => {
                let a = &best.address;
                fix.address_id = Some(a.id);
                fix.matched_address = Some(best.text.clone());
                fix.grid = a.grid.as_deref().and_then(|g| GridCode::parse(g).ok());
                let location = point_of(a);
                let area = fix
                    .grid
                    .as_ref()
                    .map(GridCode::community)
                    .or_else(|| a.community.clone().or_else(|| a.town.clone()).or_else(|| a.county.clone()))
                    .and_then(|c| known_or_parent(rd, &c));
                Ok(reconcile(rd, req, area, location, fix))
            }
            _ => {
                fix.needs_confirmation = true;
                let parsed = m.parsed.area.as_ref().and_then(|c| known_or_parent(rd, c));
                fix.note = Some(match (&fix.confidence, &parsed) {
                    (Some(c), _) if *c >= civicgrid_address::CONFIRM_BELOW => {
                        format!("several standard addresses match equally well ({c:.2}); confirm the place")
                    }
                    (Some(c), _) => {
                        format!("best address match only {c:.2} (below {:.2}); confirm the place", civicgrid_address::CONFIRM_BELOW)
                    }
                    (None, Some(a)) => format!("no standard address matches; the address names {}", rd.area_name(a)),
                    (None, None) => "no standard address matches and no area is named".into(),
                });
                Ok(reconcile(rd, req, parsed, None, fix))
            }
        }
    } else {
        Ok(Placed { area: req.area.clone(), location: None, fix: LocationFix::area_only(None) })
    }
}

/// Weighs the found area against the named one: the found area wins when it lies under the named
/// one (it is deeper) or when none was named; a conflict keeps the named area and asks a person.
fn reconcile(rd: &RefData, req: &PlaceRequest<'_>, found: Option<AreaCode>, location: Option<Location>, mut fix: LocationFix) -> Placed {
    let area = match (&req.area, found) {
        (None, found) => found,
        (Some(named), Some(found)) if named.contains(&found) => Some(found),
        (Some(named), Some(found)) if found.contains(named) => Some(named.clone()),
        (Some(named), Some(found)) => {
            fix.needs_confirmation = true;
            fix.grid = None;
            fix.note = Some(format!(
                "the report names {} but its {} lies in {}; confirm the place",
                rd.area_name(named),
                if fix.method == LocatedBy::Point { "point" } else { "address" },
                rd.area_name(&found)
            ));
            Some(named.clone())
        }
        (Some(named), None) => Some(named.clone()),
    };
    Placed { area, location, fix }
}

fn round3(v: f64) -> f64 {
    (v * 1000.0).round() / 1000.0
}

/// The result of a grid import.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct GridImportReport {
    /// True when nothing was written on purpose.
    pub dry_run: bool,
    /// Grids in the file.
    pub grids: usize,
    /// Outlines in the file.
    pub boundaries: usize,
    /// Grids that did not exist.
    pub added: u64,
    /// Grids that got a new version.
    pub changed: u64,
    /// Grids given again unchanged.
    pub unchanged: u64,
}

/// Why an import was refused: every problem found, nothing written.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct ImportRefusal {
    /// One line per problem, naming the feature, its code and the figure.
    pub problems: Vec<ProblemView>,
}

/// One problem of an import.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct ProblemView {
    /// Kind: `self_intersection`, `hole_outside_shell`, `invalid_geometry`, `outside_community`,
    /// `overlap`, `gap`, `duplicate_code`, `unknown_community`, `unknown_area`, `unknown_user`, `outside_scope`; `invalid`
    /// for what the reader finds (a ring that does not close, bad JSON, a bad code or coordinate).
    pub kind: String,
    /// 1-based position of the feature in the file.
    pub feature: Option<usize>,
    /// The feature's code.
    pub code: Option<String>,
    /// What is wrong.
    pub message: String,
}

impl ImportRefusal {
    /// The refusal for reading errors.
    pub fn from_read(e: civicgrid_geo::ImportError) -> Self {
        ImportRefusal { problems: e.problems.into_iter().map(problem_from_read).collect() }
    }
}

fn problem_from_read(p: ImportProblem) -> ProblemView {
    let message = p.to_string();
    ProblemView { kind: "invalid".into(), feature: p.feature, code: p.code, message }
}

/// Checks a set of grids and outlines against each other and against what is stored, and writes
/// them in one transaction if nothing is wrong. Grids already stored in the towns the file touches
/// take part in the checks (an overlap with a stored grid is refused like one inside the file).
pub async fn import_grids(
    store: &dyn Store,
    rd: &RefData,
    grids: Vec<GridFeature>,
    boundaries: Vec<AreaBoundary>,
    by: &str,
    now: DateTime<Utc>,
    dry_run: bool,
) -> Result<Result<GridImportReport, ImportRefusal>, ApiError> {
    let mut problems = Vec::new();
    for (i, g) in grids.iter().enumerate() {
        if !rd.areas.contains_key(g.code.community().as_str()) {
            problems.push(ProblemView {
                kind: "unknown_community".into(),
                feature: Some(i + 1),
                code: Some(g.code.as_str().to_string()),
                message: format!("feature {} ({}): community {} is not in the area table", i + 1, g.code.as_str(), g.code.community()),
            });
        }
    }
    // Staff are named by account: a username that is no account is a typo to fix, not a person.
    let accounts: HashSet<String> = if grids.iter().any(|g| !g.staff.is_empty()) {
        store.users().await?.into_iter().map(|u| u.username).collect()
    } else {
        HashSet::new()
    };
    for (i, g) in grids.iter().enumerate() {
        let s = &g.staff;
        for (role, names) in [
            ("网格长 chief", &s.chief),
            ("专职网格员 full_time", &s.full_time),
            ("兼职网格员 part_time", &s.part_time),
            ("驻格民警 police", &s.police),
        ] {
            for name in names.iter().filter(|n| !accounts.contains(n.as_str())) {
                problems.push(ProblemView {
                    kind: "unknown_user".into(),
                    feature: Some(i + 1),
                    code: Some(g.code.as_str().to_string()),
                    message: format!("feature {} ({}): {role} `{name}` is not an account", i + 1, g.code.as_str()),
                });
            }
        }
    }
    for (i, b) in boundaries.iter().enumerate() {
        if !rd.areas.contains_key(b.area.as_str()) {
            problems.push(ProblemView {
                kind: "unknown_area".into(),
                feature: Some(i + 1),
                code: Some(b.area.to_string()),
                message: format!("outline {} ({}): no such area in the area table", i + 1, b.area),
            });
        }
    }
    // The stored neighbourhood: grids and outlines of the towns the file touches.
    let towns: BTreeSet<String> = grids
        .iter()
        .map(|g| g.code.as_str()[..9].to_string())
        .chain(boundaries.iter().filter_map(|b| b.area.as_str().get(..9).map(str::to_string)))
        .collect();
    let in_file: HashSet<&str> = grids.iter().map(|g| g.code.as_str()).collect();
    let mut stored = Vec::new();
    for town in &towns {
        let area = AreaCode::parse(town).map_err(ApiError::from)?;
        stored.extend(store.grids(Some(&area)).await?.into_iter().filter(|g| !in_file.contains(g.record.code.as_str())));
    }
    let stored = features_of(&stored).map_err(|e| internal(format!("stored grids do not read back: {e}")))?;
    let file_outlines: HashSet<String> = boundaries.iter().map(|b| b.area.to_string()).collect();
    let mut outlines: Vec<AreaBoundary> =
        boundaries_of(&store.boundaries().await?).map_err(|e| internal(format!("stored outlines do not read back: {e}")))?;
    outlines.retain(|b| !file_outlines.contains(b.area.as_str()));
    outlines.extend(boundaries.iter().cloned());

    let n = grids.len();
    let mut all = grids.clone();
    all.extend(stored);
    let report = validate_grids(&all, &outlines);
    for p in report.problems {
        // Problems among stored grids alone were accepted before; only the file's are refused.
        let in_new = p.feature.is_some_and(|f| f <= n) || p.code.as_deref().is_some_and(|c| in_file.contains(c));
        let gap_in_touched = matches!(&p.kind, civicgrid_geo::validate::ProblemKind::Gap { community, .. }
            if grids.iter().any(|g| g.code.community().as_str() == community.as_str()) || file_outlines.contains(community.as_str()));
        if in_new || gap_in_touched {
            let kind = serde_json::to_value(&p.kind)
                .ok()
                .and_then(|v| v.get("type").and_then(|t| t.as_str()).map(str::to_string))
                .unwrap_or_else(|| "invalid".into());
            problems.push(ProblemView { kind, feature: p.feature.filter(|f| *f <= n), code: p.code.clone(), message: p.message });
        }
    }
    if !problems.is_empty() {
        return Ok(Err(ImportRefusal { problems }));
    }
    let mut report = GridImportReport { dry_run, grids: n, boundaries: boundaries.len(), added: 0, changed: 0, unchanged: 0 };
    if !dry_run {
        let import =
            GeoImport { grids: grids.iter().map(grid_record).collect(), boundaries: boundaries.iter().map(boundary_record).collect() };
        let GeoImportSummary { added, changed, unchanged, .. } = store.import_geo(&import, by, now).await?;
        (report.added, report.changed, report.unchanged) = (added, changed, unchanged);
    }
    Ok(Ok(report))
}

/// Why an address sheet was refused: every row error, nothing written.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct RowErrorView {
    /// Row as the spreadsheet numbers it (header = 1).
    pub row: usize,
    /// Column letter and header, e.g. `C 社区`.
    pub column: String,
    /// What is wrong.
    pub reason: String,
    /// The whole line: `row 7, column C (社区): unknown community …`.
    pub message: String,
}

/// The row errors of a refused sheet.
pub fn row_errors(e: &civicgrid_address::import::ImportErrors) -> Vec<RowErrorView> {
    e.0.iter().map(|r| RowErrorView { row: r.row, column: r.column.clone(), reason: r.reason.clone(), message: r.to_string() }).collect()
}

/// Resolves the rows of an address sheet (area names or codes, within `scope`), converts their
/// points to WGS84, places each point in its grid when the sheet gives none, and writes the
/// whole sheet or, on any error, nothing.
pub async fn import_addresses(
    store: &dyn Store,
    snap: &GeoSnapshot,
    rows: Vec<civicgrid_address::import::AddressRow>,
    scope: Option<&AreaCode>,
    now: DateTime<Utc>,
) -> Result<Result<u64, Vec<RowErrorView>>, ApiError> {
    let crs: Vec<(usize, Option<String>)> = rows.iter().map(|r| (r.row, r.crs.clone())).collect();
    let resolved = match civicgrid_address::import::resolve(rows, &snap.gazetteer, scope) {
        Ok(r) => r,
        Err(e) => return Ok(Err(row_errors(&e))),
    };
    let mut errors = Vec::new();
    let mut records = Vec::with_capacity(resolved.len());
    for (a, (row, crs)) in resolved.into_iter().zip(crs) {
        let (mut lon, mut lat) = (a.lon, a.lat);
        if let (Some(x), Some(y), Some(c)) = (lon, lat, crs.as_deref()) {
            match Crs::from_str(c) {
                Ok(c) => {
                    let (x, y) = civicgrid_geo::to_wgs84(c, x, y);
                    (lon, lat) = (Some(x), Some(y));
                }
                Err(_) => errors.push(RowErrorView {
                    row,
                    column: "坐标系".into(),
                    reason: format!("`{c}` is not one of WGS84, CGCS2000, GCJ02, BD09"),
                    message: format!("row {row}, column 坐标系: `{c}` is not one of WGS84, CGCS2000, GCJ02, BD09"),
                }),
            }
        }
        let mut grid = match a.grid.as_deref().map(GridCode::parse).transpose() {
            Ok(g) => g,
            Err(e) => {
                errors.push(RowErrorView {
                    row,
                    column: "网格".into(),
                    reason: e.to_string(),
                    message: format!("row {row}, column 网格: {e}"),
                });
                None
            }
        };
        if grid.is_none() {
            if let (Some(x), Some(y)) = (lon, lat) {
                if let Placement::Grid { grid: g, .. } = snap.index.locate(x, y) {
                    grid = Some(g);
                }
            }
        }
        records.push(civicgrid_store::AddressRecord { lon, lat, grid, ..address_record(&a, &snap.gazetteer) });
    }
    if !errors.is_empty() {
        return Ok(Err(errors));
    }
    Ok(Ok(store.import_addresses(&records, now).await?))
}
