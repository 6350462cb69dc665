//! The crate's one error type: everything wrong with some input, all at once.

use serde::Serialize;
use std::fmt;

/// One problem found in the input, located by feature when it belongs to one.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ImportProblem {
    /// 1-based position of the feature (or shapefile record) in the input, if the problem has one.
    pub feature: Option<usize>,
    /// The feature's code as written in the input, if it could be read.
    pub code: Option<String>,
    /// What is wrong, in English, with the offending figures.
    pub message: String,
}

impl ImportProblem {
    /// A problem that belongs to no feature (the file, a name, a CRS).
    pub fn general(message: impl Into<String>) -> Self {
        ImportProblem { feature: None, code: None, message: message.into() }
    }

    /// A problem with the feature at 1-based position `feature`.
    pub fn at(feature: usize, code: Option<&str>, message: impl Into<String>) -> Self {
        ImportProblem { feature: Some(feature), code: code.map(str::to_string), message: message.into() }
    }
}

impl fmt::Display for ImportProblem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match (self.feature, &self.code) {
            (Some(i), Some(c)) => write!(f, "feature {i} ({c}): {}", self.message),
            (Some(i), None) => write!(f, "feature {i}: {}", self.message),
            (None, Some(c)) => write!(f, "{c}: {}", self.message),
            (None, None) => f.write_str(&self.message),
        }
    }
}

/// The crate's error: one or more problems, never empty.
///
/// Readers collect every problem they can find before failing, so that a person fixing a file
/// sees the whole list at once instead of one error per attempt.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, thiserror::Error)]
#[error("{}", render(&self.problems))]
pub struct ImportError {
    /// Every problem found, in input order.
    pub problems: Vec<ImportProblem>,
}

impl ImportError {
    /// An error with a single problem that belongs to no feature.
    pub fn general(message: impl Into<String>) -> Self {
        ImportError { problems: vec![ImportProblem::general(message)] }
    }
}

impl From<ImportProblem> for ImportError {
    fn from(p: ImportProblem) -> Self {
        ImportError { problems: vec![p] }
    }
}

fn render(problems: &[ImportProblem]) -> String {
    match problems {
        [one] => one.to_string(),
        many => {
            let mut s = format!("{} problems:", many.len());
            for p in many {
                s.push_str("\n  - ");
                s.push_str(&p.to_string());
            }
            s
        }
    }
}
