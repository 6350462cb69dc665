//! Scoring the parser on CoNLL-style labelled addresses, the way conlleval does: exact spans,
//! per label and overall precision, recall and F1.

use std::collections::BTreeMap;
use std::fmt;
use std::time::Instant;

use crate::parse::{Label, Parser};

/// One labelled address: tokens and their BIO tags.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Sample {
    /// The tokens; a token is one char or a run of digits or letters.
    pub tokens: Vec<String>,
    /// One tag per token (`B-road`, `I-road`, `O`), label case folded.
    pub tags: Vec<String>,
}

impl Sample {
    /// The address as one string.
    pub fn text(&self) -> String {
        self.tokens.concat()
    }
}

/// Reads `token TAG` lines, a blank line between addresses; label names are case folded
/// (devZone → devzone).
pub fn read_conll(text: &str) -> Vec<Sample> {
    let mut out = Vec::new();
    let mut cur = Sample { tokens: Vec::new(), tags: Vec::new() };
    for line in text.lines() {
        let line = line.trim_end_matches('\r');
        if line.trim().is_empty() {
            if !cur.tokens.is_empty() {
                out.push(std::mem::replace(&mut cur, Sample { tokens: Vec::new(), tags: Vec::new() }));
            }
            continue;
        }
        let (token, tag) = match line.rsplit_once(char::is_whitespace) {
            Some((t, g)) if !t.is_empty() => (t.to_string(), g.to_string()),
            // A token that is itself a space leaves only the tag.
            _ => (" ".to_string(), line.trim().to_string()),
        };
        let tag = match tag.split_once('-') {
            Some((bio, label)) => format!("{bio}-{}", label.to_ascii_lowercase()),
            None => tag,
        };
        cur.tokens.push(token);
        cur.tags.push(tag);
    }
    if !cur.tokens.is_empty() {
        out.push(cur);
    }
    out
}

/// A labelled span over tokens `[start, end)`.
type Span = (String, usize, usize);

/// Chunks of a BIO tag sequence, as conlleval reads them (an `I-` after another label opens a
/// chunk).
fn chunks(tags: &[String]) -> Vec<Span> {
    let mut out = Vec::new();
    let mut cur: Option<(String, usize)> = None;
    for (i, tag) in tags.iter().enumerate() {
        let (bio, label) = match tag.split_once('-') {
            Some((b, l)) => (b, l),
            None => ("O", ""),
        };
        let continues = bio == "I" && cur.as_ref().is_some_and(|(l, _)| l == label);
        if !continues {
            if let Some((l, s)) = cur.take() {
                out.push((l, s, i));
            }
            if bio == "B" || bio == "I" {
                cur = Some((label.to_string(), i));
            }
        }
    }
    if let Some((l, s)) = cur {
        out.push((l, s, tags.len()));
    }
    out
}

/// Counts for one label.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Counts {
    /// Spans the gold data has.
    pub gold: usize,
    /// Spans the parser found.
    pub found: usize,
    /// Found spans equal to a gold span (label and both ends).
    pub correct: usize,
}

impl Counts {
    /// Precision in percent.
    pub fn precision(&self) -> f64 {
        pct(self.correct, self.found)
    }
    /// Recall in percent.
    pub fn recall(&self) -> f64 {
        pct(self.correct, self.gold)
    }
    /// F1 in percent.
    pub fn f1(&self) -> f64 {
        let (p, r) = (self.precision(), self.recall());
        if p + r == 0.0 {
            0.0
        } else {
            2.0 * p * r / (p + r)
        }
    }
}

fn pct(a: usize, b: usize) -> f64 {
    if b == 0 {
        0.0
    } else {
        100.0 * a as f64 / b as f64
    }
}

/// The scores of one evaluation run.
#[derive(Debug, Clone, Default)]
pub struct EvalReport {
    /// Number of addresses.
    pub addresses: usize,
    /// Number of tokens.
    pub tokens: usize,
    /// Per label, over the labels the gold data has (found spans of other labels count in
    /// `overall` only).
    pub per_label: BTreeMap<String, Counts>,
    /// All labels together.
    pub overall: Counts,
    /// Addresses parsed per second (parse calls only).
    pub addresses_per_second: f64,
}

/// Maps a char span of the input onto token indices: the tokens it overlaps.
fn token_span(starts: &[usize], ends: &[usize], s: usize, e: usize) -> Option<(usize, usize)> {
    let first = starts.iter().zip(ends).position(|(&ts, &te)| te > s && ts < e)?;
    let last = starts.iter().zip(ends).rposition(|(&ts, &te)| te > s && ts < e)?;
    Some((first, last + 1))
}

/// Parses every sample's text and scores the components against the gold chunks.
pub fn evaluate(samples: &[Sample], parser: &Parser) -> EvalReport {
    let texts: Vec<String> = samples.iter().map(Sample::text).collect();
    let t0 = Instant::now();
    let parsed: Vec<_> = texts.iter().map(|t| parser.parse(t)).collect();
    let secs = t0.elapsed().as_secs_f64();
    let mut report = EvalReport { addresses: samples.len(), ..Default::default() };
    for (sample, p) in samples.iter().zip(&parsed) {
        report.tokens += sample.tokens.len();
        let mut starts = Vec::with_capacity(sample.tokens.len());
        let mut ends = Vec::with_capacity(sample.tokens.len());
        let mut at = 0;
        for t in &sample.tokens {
            starts.push(at);
            at += t.chars().count();
            ends.push(at);
        }
        let gold = chunks(&sample.tags);
        let mut found: Vec<Span> = Vec::new();
        for c in &p.components {
            if let Some((a, b)) = token_span(&starts, &ends, c.start, c.end) {
                // Two pieces on one token (a split inside a digit run) become one chunk.
                if let Some(last) = found.last_mut() {
                    if last.2 > a {
                        last.2 = last.2.max(b);
                        continue;
                    }
                }
                found.push((c.label.as_str().to_string(), a, b));
            }
        }
        for g in &gold {
            report.per_label.entry(g.0.clone()).or_default().gold += 1;
        }
        for f in &found {
            let correct = gold.contains(f);
            if let Some(c) = report.per_label.get_mut(&f.0) {
                c.found += 1;
                c.correct += usize::from(correct);
            } else if Label::from_name(&f.0).is_some() {
                // A label the gold data never uses still counts as found.
                report.per_label.entry(f.0.clone()).or_default().found += 1;
            }
            report.overall.found += 1;
            report.overall.correct += usize::from(correct);
        }
        report.overall.gold += gold.len();
    }
    report.per_label.retain(|_, c| c.gold > 0);
    report.addresses_per_second = if secs > 0.0 { samples.len() as f64 / secs } else { f64::INFINITY };
    report
}

impl fmt::Display for EvalReport {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let o = &self.overall;
        writeln!(
            f,
            "processed {} tokens with {} phrases; found: {} phrases; correct: {}.",
            self.tokens, o.gold, o.found, o.correct
        )?;
        writeln!(
            f,
            "{:>12}  precision: {:6.2}%; recall: {:6.2}%; FB1: {:6.2}",
            "overall",
            o.precision(),
            o.recall(),
            o.f1()
        )?;
        for (label, c) in &self.per_label {
            writeln!(
                f,
                "{:>12}: precision: {:6.2}%; recall: {:6.2}%; FB1: {:6.2}  {} (gold {})",
                label,
                c.precision(),
                c.recall(),
                c.f1(),
                c.found,
                c.gold
            )?;
        }
        write!(f, "{} addresses, {:.0} addresses/s (parse only)", self.addresses, self.addresses_per_second)
    }
}
