//! civicgrid's unified address library (统一地址库): normalising, parsing and matching Chinese
//! addresses against a library of standard addresses.
//!
//! No I/O: every entry point takes text or bytes; the caller reads the files.
//!
//! - [`normalize()`]: full-width to half-width, punctuation dropped, Chinese numerals before a
//!   unit to digits, with a map back to the input;
//! - [`Gazetteer`]: the division table with the forms names are written in;
//! - [`Parser`]: labelled components (the labels of the NAACL 2019 Chinese address data);
//! - [`AddressLibrary`]: standard addresses and matching with a confidence;
//! - [`read_csv`], [`read_xlsx`], [`resolve`]: all-or-nothing imports;
//! - [`eval`]: conlleval-style scoring (`examples/eval.rs`);
//! - [`bench`]: matching throughput on a synthetic library (`examples/match_bench.rs`).

#![warn(missing_docs)]

pub mod bench;
mod error;
pub mod eval;
pub mod gazetteer;
pub mod import;
pub mod library;
mod names;
pub mod normalize;
pub mod parse;

pub use error::AddressError;
pub use gazetteer::{parse_area_csv, Area, AreaRow, Gazetteer, Resolved};
pub use import::{read_csv, read_xlsx, resolve, AddressRow, ImportErrors, RowError};
pub use library::{AddressLibrary, Candidate, MatchResult, StandardAddress, CONFIRM_BELOW};
pub use normalize::{normalize, normalize_mapped, Normalized};
pub use parse::{Component, Dictionaries, Label, ParsedAddress, Parser};
