//! Importing standard addresses from CSV or XLSX sheets, all or nothing: every error of the
//! sheet is collected and reported by row and column, and nothing is returned if any exists.

use std::collections::HashMap;
use std::fmt;
use std::io::Cursor;
use std::sync::Arc;

use calamine::{Data, Reader, Xlsx};
use civicgrid_domain::area::{AreaCode, AreaLevel, GridCode};

use crate::gazetteer::{Gazetteer, Resolved};
use crate::library::{key_of, StandardAddress};

/// A column the importer understands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Field {
    /// Optional id of the address.
    Id,
    /// 区县: county or district, name or code.
    District,
    /// 街道/乡镇: town or street, name or code.
    Town,
    /// 社区/村: community or village, name or code.
    Community,
    /// 道路: road.
    Road,
    /// 门牌号: number on the road.
    Number,
    /// 小区: estate.
    Estate,
    /// 楼栋: building.
    Building,
    /// 单元: unit.
    Unit,
    /// 房间: room.
    Room,
    /// 经度: longitude.
    Lon,
    /// 纬度: latitude.
    Lat,
    /// 坐标系: coordinate system of lon/lat.
    Crs,
    /// 网格: grid code.
    Grid,
}

impl Field {
    /// Every field.
    pub const ALL: [Field; 14] = [
        Field::Id,
        Field::District,
        Field::Town,
        Field::Community,
        Field::Road,
        Field::Number,
        Field::Estate,
        Field::Building,
        Field::Unit,
        Field::Room,
        Field::Lon,
        Field::Lat,
        Field::Crs,
        Field::Grid,
    ];

    /// Header names accepted for this field (compared after trimming and lower-casing).
    pub fn headers(self) -> &'static [&'static str] {
        match self {
            Field::Id => &["id", "编号", "地址编号", "地址编码"],
            Field::District => &["区县", "区/县", "县区", "县/区", "区", "县", "区县名称", "district", "county"],
            Field::Town => &["街道", "乡镇", "街道/乡镇", "乡镇/街道", "街道乡镇", "乡镇街道", "镇街", "town", "street"],
            Field::Community => &["社区", "村", "社区/村", "村/社区", "社区村", "村社区", "村居", "居委会", "community", "village"],
            Field::Road => &["道路", "路", "街路巷", "路名", "道路名称", "road"],
            Field::Number => &["门牌号", "门牌", "号", "门牌号码", "number", "house_number"],
            Field::Estate => &["小区", "小区名称", "小区/单位", "estate", "poi"],
            Field::Building => &["楼栋", "楼栋号", "楼号", "栋", "幢", "building"],
            Field::Unit => &["单元", "单元号", "unit"],
            Field::Room => &["房间", "房间号", "房号", "室", "户", "room"],
            Field::Lon => &["经度", "lon", "lng", "longitude"],
            Field::Lat => &["纬度", "lat", "latitude"],
            Field::Crs => &["坐标系", "crs"],
            Field::Grid => &["网格", "网格编码", "网格编号", "grid"],
        }
    }

    fn from_header(h: &str) -> Option<Field> {
        let h = h.trim().trim_start_matches('\u{feff}').to_lowercase();
        Field::ALL.into_iter().find(|f| f.headers().contains(&h.as_str()))
    }
}

/// One error of an import, where a spreadsheet shows it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RowError {
    /// Row as the spreadsheet numbers it (the header is row 1).
    pub row: usize,
    /// Column letter and header, e.g. `C 社区`; empty for an error about the whole row.
    pub column: String,
    /// What is wrong.
    pub reason: String,
}

impl fmt::Display for RowError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.column.split_once(' ') {
            Some((letter, header)) => write!(f, "row {}, column {} ({}): {}", self.row, letter, header, self.reason),
            None if self.column.is_empty() => write!(f, "row {}: {}", self.row, self.reason),
            None => write!(f, "row {}, column {}: {}", self.row, self.column, self.reason),
        }
    }
}

/// Every error of a failed import.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ImportErrors(pub Vec<RowError>);

impl fmt::Display for ImportErrors {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} error(s) in the address sheet", self.0.len())?;
        for e in &self.0 {
            write!(f, "\n{e}")?;
        }
        Ok(())
    }
}

impl std::error::Error for ImportErrors {}

/// Where each field's column is.
#[derive(Debug, Default)]
struct Columns {
    names: HashMap<Field, String>,
}

/// One data row of a sheet, as text, before its areas are resolved.
#[derive(Debug, Clone)]
pub struct AddressRow {
    /// Row number as the spreadsheet shows it (header = 1).
    pub row: usize,
    /// Given id.
    pub id: Option<i64>,
    /// 区县 as given (name or code).
    pub district: Option<String>,
    /// 街道/乡镇 as given.
    pub town: Option<String>,
    /// 社区/村 as given.
    pub community: Option<String>,
    /// 道路.
    pub road: Option<String>,
    /// 门牌号.
    pub number: Option<String>,
    /// 小区.
    pub estate: Option<String>,
    /// 楼栋.
    pub building: Option<String>,
    /// 单元.
    pub unit: Option<String>,
    /// 房间.
    pub room: Option<String>,
    /// 经度.
    pub lon: Option<f64>,
    /// 纬度.
    pub lat: Option<f64>,
    /// 坐标系 (WGS84, CGCS2000, GCJ02 or BD09), upper case; the caller converts.
    pub crs: Option<String>,
    /// 网格 code.
    pub grid: Option<String>,
    columns: Arc<Columns>,
}

impl AddressRow {
    /// The column of `field` as `letter header` (`C 社区`), or the field's first header name.
    pub fn column(&self, field: Field) -> String {
        self.columns.names.get(&field).cloned().unwrap_or_else(|| field.headers()[0].to_string())
    }
}

/// Spreadsheet column letters: 0 → A, 26 → AA.
fn column_letter(mut i: usize) -> String {
    let mut s = Vec::new();
    loop {
        s.push(b'A' + (i % 26) as u8);
        if i < 26 {
            break;
        }
        i = i / 26 - 1;
    }
    s.reverse();
    String::from_utf8(s).unwrap_or_default()
}

/// Known coordinate systems.
const CRS: &[&str] = &["WGS84", "CGCS2000", "GCJ02", "BD09"];

/// Turns a table of text cells (first row = header) into rows, collecting every error.
fn rows_from_table(table: Vec<(usize, Vec<String>)>) -> Result<Vec<AddressRow>, ImportErrors> {
    let mut errors = Vec::new();
    let mut iter = table.into_iter();
    let Some((header_row, header)) = iter.next() else {
        return Err(ImportErrors(vec![RowError { row: 1, column: String::new(), reason: "the sheet is empty".into() }]));
    };
    let mut index: HashMap<Field, usize> = HashMap::new();
    let mut columns = Columns::default();
    for (i, h) in header.iter().enumerate() {
        if h.trim().is_empty() {
            continue;
        }
        let letter = column_letter(i);
        match Field::from_header(h) {
            Some(f) if index.contains_key(&f) => errors.push(RowError {
                row: header_row,
                column: format!("{letter} {}", h.trim()),
                reason: format!("a second column for {}", f.headers()[0]),
            }),
            Some(f) => {
                index.insert(f, i);
                columns.names.insert(f, format!("{letter} {}", h.trim()));
            }
            None => errors.push(RowError {
                row: header_row,
                column: format!("{letter} {}", h.trim()),
                reason: "unknown column".into(),
            }),
        }
    }
    for required in [Field::District, Field::Town, Field::Community] {
        if !index.contains_key(&required) {
            errors.push(RowError {
                row: header_row,
                column: String::new(),
                reason: format!("missing required column {}", required.headers().iter().take(2).cloned().collect::<Vec<_>>().join("/")),
            });
        }
    }
    if !index.contains_key(&Field::Road) && !index.contains_key(&Field::Estate) {
        errors.push(RowError { row: header_row, column: String::new(), reason: "missing column 道路/road or 小区/estate".into() });
    }
    if index.contains_key(&Field::Lon) != index.contains_key(&Field::Lat) {
        errors.push(RowError { row: header_row, column: String::new(), reason: "经度/lon and 纬度/lat go together".into() });
    }
    if !errors.is_empty() {
        return Err(ImportErrors(errors));
    }
    let columns = Arc::new(columns);
    let mut rows = Vec::new();
    for (row, cells) in iter {
        if cells.iter().all(|c| c.trim().is_empty()) {
            continue;
        }
        let get = |f: Field| -> Option<String> {
            index.get(&f).and_then(|&i| cells.get(i)).map(|s| s.trim().to_string()).filter(|s| !s.is_empty())
        };
        let col = |f: Field| columns.names.get(&f).cloned().unwrap_or_default();
        let number = |f: Field, lo: f64, hi: f64, what: &str, errors: &mut Vec<RowError>| -> Option<f64> {
            let s = get(f)?;
            match s.parse::<f64>() {
                Ok(v) if v.is_finite() && (lo..=hi).contains(&v) => Some(v),
                Ok(v) => {
                    errors.push(RowError { row, column: col(f), reason: format!("{what} {v} is out of range ({lo}–{hi})") });
                    None
                }
                Err(_) => {
                    errors.push(RowError { row, column: col(f), reason: format!("`{s}` is not a number") });
                    None
                }
            }
        };
        // Mainland China and its islands, with a margin.
        let lon = number(Field::Lon, 73.0, 136.0, "longitude", &mut errors);
        let lat = number(Field::Lat, 3.0, 54.0, "latitude", &mut errors);
        if get(Field::Lon).is_some() != get(Field::Lat).is_some() {
            let f = if get(Field::Lon).is_none() { Field::Lon } else { Field::Lat };
            errors.push(RowError { row, column: col(f), reason: "longitude and latitude go together".into() });
        }
        let id = match get(Field::Id) {
            None => None,
            Some(s) => match s.parse::<i64>() {
                Ok(v) => Some(v),
                Err(_) => {
                    errors.push(RowError { row, column: col(Field::Id), reason: format!("`{s}` is not a whole number") });
                    None
                }
            },
        };
        let crs = get(Field::Crs).map(|s| s.to_uppercase().replace(['-', ' ', '_'], ""));
        if let Some(c) = &crs {
            if !CRS.contains(&c.as_str()) {
                errors.push(RowError {
                    row,
                    column: col(Field::Crs),
                    reason: format!("unknown coordinate system {c} (WGS84, CGCS2000, GCJ02 or BD09)"),
                });
            }
        }
        rows.push(AddressRow {
            row,
            id,
            district: get(Field::District),
            town: get(Field::Town),
            community: get(Field::Community),
            road: get(Field::Road),
            number: get(Field::Number),
            estate: get(Field::Estate),
            building: get(Field::Building),
            unit: get(Field::Unit),
            room: get(Field::Room),
            lon,
            lat,
            crs,
            grid: get(Field::Grid),
            columns: Arc::clone(&columns),
        });
    }
    if errors.is_empty() {
        Ok(rows)
    } else {
        Err(ImportErrors(errors))
    }
}

/// Decodes sheet bytes: UTF-8 with or without BOM, else GB18030 (a superset of GBK).
fn decode(bytes: &[u8]) -> String {
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    match std::str::from_utf8(bytes) {
        Ok(s) => s.to_string(),
        Err(_) => encoding_rs::GB18030.decode(bytes).0.into_owned(),
    }
}

/// Reads address rows from CSV bytes (UTF-8 with or without BOM, or GBK).
pub fn read_csv(bytes: &[u8]) -> Result<Vec<AddressRow>, ImportErrors> {
    let text = decode(bytes);
    let mut reader = csv::ReaderBuilder::new().has_headers(false).flexible(true).from_reader(text.as_bytes());
    let mut table = Vec::new();
    for (i, rec) in reader.records().enumerate() {
        match rec {
            Ok(r) => table.push((i + 1, r.iter().map(str::to_string).collect())),
            Err(e) => {
                return Err(ImportErrors(vec![RowError { row: i + 1, column: String::new(), reason: format!("unreadable CSV: {e}") }]))
            }
        }
    }
    rows_from_table(table)
}

/// The text of a cell; whole numbers lose their `.0`.
fn cell_text(d: &Data) -> String {
    match d {
        Data::Empty => String::new(),
        Data::String(s) => s.clone(),
        Data::Float(f) if f.fract() == 0.0 && f.abs() < 1e15 => format!("{}", *f as i64),
        Data::Float(f) => f.to_string(),
        Data::Int(i) => i.to_string(),
        Data::Bool(b) => b.to_string(),
        other => other.to_string(),
    }
}

/// Reads address rows from the first sheet of an XLSX workbook.
pub fn read_xlsx(bytes: &[u8]) -> Result<Vec<AddressRow>, ImportErrors> {
    let fail = |reason: String| ImportErrors(vec![RowError { row: 1, column: String::new(), reason }]);
    let mut book: Xlsx<_> = calamine::open_workbook_from_rs(Cursor::new(bytes)).map_err(|e| fail(format!("unreadable XLSX: {e}")))?;
    let range = book
        .worksheet_range_at(0)
        .ok_or_else(|| fail("the workbook has no sheet".into()))?
        .map_err(|e| fail(format!("unreadable sheet: {e}")))?;
    let (row0, col0) = range.start().map_or((0, 0), |(r, c)| (r as usize, c as usize));
    let mut table = Vec::new();
    for (i, r) in range.rows().enumerate() {
        let mut cells = vec![String::new(); col0];
        cells.extend(r.iter().map(cell_text));
        table.push((row0 + i + 1, cells));
    }
    rows_from_table(table)
}

/// Resolves one area cell (a name or a code) at `level` within `parent`.
fn resolve_area(
    g: &Gazetteer,
    value: &str,
    level: AreaLevel,
    parent: Option<&AreaCode>,
    what: &str,
) -> Result<AreaCode, String> {
    let within = parent.and_then(|p| g.name_of(p)).map(str::to_string);
    let place = within.as_deref().map(|w| format!(" in {w}")).unwrap_or_default();
    if value.bytes().all(|b| b.is_ascii_digit()) {
        let code = AreaCode::parse(value).map_err(|e| e.to_string())?;
        if code.level() != level {
            return Err(format!("{value} is a {} code, not a {what}", code.level().as_str()));
        }
        if g.area(&code).is_none() {
            return Err(format!("unknown {what} code {value}"));
        }
        if parent.is_some_and(|p| !p.contains(&code)) {
            return Err(format!("{what} {value} is not{place}"));
        }
        return Ok(code);
    }
    match g.resolve(value, Some(level), parent) {
        Resolved::Unique(c) => Ok(c),
        Resolved::NotFound => Err(format!("unknown {what} {value}{place}")),
        Resolved::Ambiguous(v) => Err(format!(
            "{what} {value} is ambiguous{place}: {}; give the code",
            v.iter().map(|c| format!("{c} {}", g.full_name(c))).collect::<Vec<_>>().join(", ")
        )),
    }
}

/// Resolves the areas of imported rows to codes (within `scope` if given) and checks for
/// duplicates; all or nothing.
pub fn resolve(rows: Vec<AddressRow>, gazetteer: &Gazetteer, scope: Option<&AreaCode>) -> Result<Vec<StandardAddress>, ImportErrors> {
    let mut errors = Vec::new();
    let mut out = Vec::with_capacity(rows.len());
    let mut seen: HashMap<String, usize> = HashMap::new();
    let mut ids: HashMap<i64, usize> = HashMap::new();
    for (n, r) in rows.into_iter().enumerate() {
        let err = |errors: &mut Vec<RowError>, f: Field, reason: String| {
            errors.push(RowError { row: r.row, column: r.column(f), reason });
        };
        let mut county = None;
        match &r.district {
            None => err(&mut errors, Field::District, "empty".into()),
            Some(v) => match resolve_area(gazetteer, v, AreaLevel::County, scope, "district") {
                Ok(c) => county = Some(c),
                Err(e) => err(&mut errors, Field::District, e),
            },
        }
        let mut town = None;
        if let (Some(v), Some(c)) = (&r.town, &county) {
            match resolve_area(gazetteer, v, AreaLevel::Town, Some(c), "town") {
                Ok(t) => town = Some(t),
                Err(e) => err(&mut errors, Field::Town, e),
            }
        } else if r.town.is_none() && r.community.is_some() {
            err(&mut errors, Field::Town, "empty, but a community is given".into());
        }
        let mut community = None;
        if let (Some(v), Some(t)) = (&r.community, &town) {
            match resolve_area(gazetteer, v, AreaLevel::Village, Some(t), "community") {
                Ok(c) => community = Some(c),
                Err(e) => err(&mut errors, Field::Community, e),
            }
        }
        if r.road.is_none() && r.estate.is_none() {
            err(&mut errors, Field::Road, "neither a road nor an estate is given".into());
        }
        if r.number.is_some() && r.road.is_none() {
            err(&mut errors, Field::Number, "a number without a road".into());
        }
        let grid = match &r.grid {
            None => None,
            Some(g) => match GridCode::parse(g) {
                Ok(code) => {
                    if community.as_ref().is_some_and(|c| code.community() != *c) {
                        err(&mut errors, Field::Grid, format!("grid {g} is not in the row's community"));
                    }
                    Some(code.as_str().to_string())
                }
                Err(e) => {
                    err(&mut errors, Field::Grid, e.to_string());
                    None
                }
            },
        };
        let id = r.id.unwrap_or(n as i64 + 1);
        if let Some(first) = ids.insert(id, r.row) {
            err(&mut errors, Field::Id, format!("id {id} is also on row {first}"));
        }
        let addr = StandardAddress {
            id,
            county,
            town,
            community,
            road: r.road.clone(),
            number: r.number.clone(),
            estate: r.estate.clone(),
            building: r.building.clone(),
            unit: r.unit.clone(),
            room: r.room.clone(),
            lon: r.lon,
            lat: r.lat,
            grid,
        };
        let key = key_of(&addr);
        if let Some(first) = seen.insert(key, r.row) {
            errors.push(RowError { row: r.row, column: String::new(), reason: format!("duplicate of the address on row {first}") });
        }
        out.push(addr);
    }
    if errors.is_empty() {
        Ok(out)
    } else {
        Err(ImportErrors(errors))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn letters() {
        assert_eq!(column_letter(0), "A");
        assert_eq!(column_letter(2), "C");
        assert_eq!(column_letter(25), "Z");
        assert_eq!(column_letter(26), "AA");
    }

    #[test]
    fn row_error_display() {
        let e = RowError { row: 7, column: "C 社区".into(), reason: "unknown community 幸福社区 in 环翠区".into() };
        assert_eq!(e.to_string(), "row 7, column C (社区): unknown community 幸福社区 in 环翠区");
    }
}
