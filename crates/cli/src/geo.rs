//! `civicgrid import grids|boundaries|addresses`, `civicgrid export grids` and
//! `civicgrid eval address-parse`: the geography from and to files.

use anyhow::{bail, Context, Result};
use civicgrid_domain::AreaCode;
use civicgrid_geo::Crs;
use civicgrid_server::geo::{import_addresses, import_grids, snapshot, ImportRefusal};
use civicgrid_server::RefData;
use civicgrid_store::Store;
use clap::Subcommand;
use std::path::{Path, PathBuf};
use std::sync::Arc;

/// `civicgrid import …`.
#[derive(Subcommand)]
pub enum ImportCmd {
    /// Grids from GeoJSON (.geojson/.json) or a Shapefile (.shp with its .dbf and .prj beside it).
    /// Everything is checked first; any problem refuses the whole file and nothing is written.
    Grids {
        /// The file.
        file: PathBuf,
        /// Coordinate system when the file does not say: wgs84, cgcs2000, gcj02 or bd09.
        #[arg(long)]
        crs: Option<String>,
        /// Check only.
        #[arg(long)]
        dry_run: bool,
    },
    /// Area outlines (communities, towns, counties; property `code`), same formats.
    Boundaries {
        /// The file.
        file: PathBuf,
        /// Coordinate system when the file does not say.
        #[arg(long)]
        crs: Option<String>,
        /// Check only.
        #[arg(long)]
        dry_run: bool,
    },
    /// Standard addresses from CSV or Excel (.xlsx); any bad row refuses the whole sheet.
    Addresses {
        /// The file.
        file: PathBuf,
        /// Resolve area names within this area (e.g. the city, 3710).
        #[arg(long)]
        scope: Option<String>,
    },
}

/// `civicgrid export …`.
#[derive(Subcommand)]
pub enum ExportCmd {
    /// The grids in force as GeoJSON, to standard output or `--out`.
    Grids {
        /// Only grids under this area.
        #[arg(long)]
        area: Option<String>,
        /// Write here instead of standard output.
        #[arg(long)]
        out: Option<PathBuf>,
    },
}

/// `civicgrid eval …`: figures on data that is not part of the project.
#[derive(Subcommand)]
pub enum EvalCmd {
    /// Scores the address parser on CoNLL-style labelled addresses (e.g. the NAACL 2019 Chinese
    /// address parsing dev split): per-label and overall precision, recall and F1 on exact spans,
    /// and addresses parsed per second.
    AddressParse {
        /// The labelled file (`token TAG` lines, blank line between addresses).
        file: PathBuf,
    },
}

fn crs_arg(crs: Option<&str>) -> Result<Option<Crs>> {
    crs.map(|c| civicgrid_server::geo::parse_crs("--crs", c).map_err(|e| anyhow::anyhow!(e.message))).transpose()
}

/// Reads a GeoJSON file or a Shapefile's parts.
fn read_geo<T>(
    file: &Path,
    crs: Option<Crs>,
    geojson: impl Fn(&str, Option<Crs>) -> Result<Vec<T>, civicgrid_geo::ImportError>,
    shapefile: impl Fn(&[u8], &[u8], Option<&str>, Option<Crs>) -> Result<Vec<T>, civicgrid_geo::ImportError>,
) -> Result<Vec<T>> {
    let ext = file.extension().and_then(|e| e.to_str()).unwrap_or("").to_ascii_lowercase();
    let parsed = match ext.as_str() {
        "shp" => {
            let shp = std::fs::read(file).with_context(|| format!("reading {}", file.display()))?;
            let dbf_path = file.with_extension("dbf");
            let dbf = std::fs::read(&dbf_path)
                .with_context(|| format!("a Shapefile needs its .dbf beside it: reading {}", dbf_path.display()))?;
            let prj = std::fs::read_to_string(file.with_extension("prj")).ok();
            shapefile(&shp, &dbf, prj.as_deref(), crs)
        }
        "geojson" | "json" => {
            let text = std::fs::read_to_string(file).with_context(|| format!("reading {} (UTF-8 GeoJSON)", file.display()))?;
            geojson(&text, crs)
        }
        _ => bail!("{}: give a .geojson/.json file or a .shp (with its .dbf)", file.display()),
    };
    parsed.map_err(|e| refusal(file, ImportRefusal::from_read(e)))
}

fn refusal(file: &Path, r: ImportRefusal) -> anyhow::Error {
    let lines: Vec<String> = r.problems.iter().map(|p| format!("  {}", p.message)).collect();
    anyhow::anyhow!("{}: refused, nothing written ({} problem(s)):\n{}", file.display(), lines.len(), lines.join("\n"))
}

/// Runs `civicgrid import …`.
pub async fn run_import(cmd: ImportCmd, store: Arc<dyn Store>) -> Result<()> {
    let rd = RefData::load(store.as_ref()).await?;
    let now = chrono::Utc::now();
    match cmd {
        ImportCmd::Grids { file, crs, dry_run } => {
            let crs = crs_arg(crs.as_deref())?;
            let grids = read_geo(&file, crs, civicgrid_geo::read_grids_geojson, civicgrid_geo::read_grids_shapefile)?;
            let r = import_grids(store.as_ref(), &rd, grids, Vec::new(), "cli", now, dry_run)
                .await
                .map_err(|e| anyhow::anyhow!(e.message))?
                .map_err(|r| refusal(&file, r))?;
            report(&file, &r, dry_run);
        }
        ImportCmd::Boundaries { file, crs, dry_run } => {
            let crs = crs_arg(crs.as_deref())?;
            let outlines = read_geo(&file, crs, civicgrid_geo::read_boundaries_geojson, civicgrid_geo::read_boundaries_shapefile)?;
            let r = import_grids(store.as_ref(), &rd, Vec::new(), outlines, "cli", now, dry_run)
                .await
                .map_err(|e| anyhow::anyhow!(e.message))?
                .map_err(|r| refusal(&file, r))?;
            report(&file, &r, dry_run);
        }
        ImportCmd::Addresses { file, scope } => {
            let scope = scope.as_deref().map(AreaCode::parse).transpose().context("--scope")?;
            let bytes = std::fs::read(&file).with_context(|| format!("reading {}", file.display()))?;
            let ext = file.extension().and_then(|e| e.to_str()).unwrap_or("").to_ascii_lowercase();
            let rows = match ext.as_str() {
                "xlsx" => civicgrid_address::read_xlsx(&bytes),
                "csv" | "txt" => civicgrid_address::read_csv(&bytes),
                _ => bail!("{}: give a .csv or .xlsx sheet", file.display()),
            };
            let rows = rows.map_err(|e| anyhow::anyhow!("{}: refused, nothing written: {e}", file.display()))?;
            let snap = snapshot(store.as_ref(), &rd).await.map_err(|e| anyhow::anyhow!(e.message))?;
            let added = import_addresses(store.as_ref(), &snap, rows, scope.as_ref(), now)
                .await
                .map_err(|e| anyhow::anyhow!(e.message))?
                .map_err(|rows| {
                    let lines: Vec<String> = rows.iter().map(|r| format!("  {}", r.message)).collect();
                    anyhow::anyhow!("{}: refused, nothing written ({} error(s)):\n{}", file.display(), lines.len(), lines.join("\n"))
                })?;
            println!("{}: added {added} standard addresses", file.display());
        }
    }
    Ok(())
}

fn report(file: &Path, r: &civicgrid_server::geo::GridImportReport, dry_run: bool) {
    if dry_run {
        println!("{}: {} grids and {} outlines pass every check (dry run: nothing written)", file.display(), r.grids, r.boundaries);
    } else {
        println!(
            "{}: {} grids ({} added, {} changed, {} unchanged) and {} outlines written",
            file.display(),
            r.grids,
            r.added,
            r.changed,
            r.unchanged,
            r.boundaries
        );
    }
}

/// Runs `civicgrid export …`.
pub async fn run_export(cmd: ExportCmd, store: Arc<dyn Store>) -> Result<()> {
    match cmd {
        ExportCmd::Grids { area, out } => {
            let area = area.as_deref().map(AreaCode::parse).transpose().context("--area")?;
            let stored = store.grids(area.as_ref()).await?;
            let features = civicgrid_server::geo::features_of(&stored).map_err(|e| anyhow::anyhow!("stored grids: {e}"))?;
            let text = serde_json::to_string_pretty(&civicgrid_geo::grids_to_geojson(&features))?;
            match out {
                Some(path) => {
                    std::fs::write(&path, text).with_context(|| format!("writing {}", path.display()))?;
                    eprintln!("wrote {} grids to {}", features.len(), path.display());
                }
                None => println!("{text}"),
            }
        }
    }
    Ok(())
}

/// Runs `civicgrid eval …`.
pub fn run_eval(cmd: EvalCmd) -> Result<()> {
    match cmd {
        EvalCmd::AddressParse { file } => {
            let text = std::fs::read_to_string(&file).with_context(|| format!("reading {}", file.display()))?;
            let samples = civicgrid_address::eval::read_conll(&text);
            anyhow::ensure!(!samples.is_empty(), "{}: no labelled addresses found", file.display());
            let rows = civicgrid_address::parse_area_csv(civicgrid_store::seed::AREAS_CSV)?;
            let gazetteer = Arc::new(civicgrid_address::Gazetteer::new(rows)?);
            let parser = civicgrid_address::Parser::new(gazetteer, civicgrid_address::Dictionaries::default());
            let report = civicgrid_address::eval::evaluate(&samples, &parser);
            println!("{report}");
            println!("command: civicgrid eval address-parse {}", file.display());
        }
    }
    Ok(())
}
