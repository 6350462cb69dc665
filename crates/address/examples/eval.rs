//! Scores the parser on a CoNLL-style file of labelled addresses.
//!
//! ```sh
//! cargo run --release -p civicgrid-address --example eval -- \
//!     ../shared/datasets/chinese-address-parsing/dev.txt
//! ```
//!
//! The gazetteer is built from `data/areas/areas.csv` (or the file given as second argument).
//! With `--errors N` it also prints the first N addresses whose parse differs from the gold;
//! with `--predict` it prints gold and parsed spans per address instead of the report.

use std::sync::Arc;

use civicgrid_address::eval::{evaluate, read_conll};
use civicgrid_address::{Dictionaries, Gazetteer, Parser};

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let mut errors = 0usize;
    let mut predict = false;
    let mut parse_only: Vec<String> = Vec::new();
    let mut files = Vec::new();
    let mut i = 0;
    while i < args.len() {
        if args[i] == "--parse" {
            parse_only.push(args[i + 1].clone());
            i += 2;
        } else if args[i] == "--predict" {
            predict = true;
            i += 1;
        } else if args[i] == "--errors" {
            errors = args.get(i + 1).and_then(|n| n.parse().ok()).unwrap_or(20);
            i += 2;
        } else {
            files.push(args[i].clone());
            i += 1;
        }
    }
    if !parse_only.is_empty() {
        let areas = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/../../data/areas/areas.csv")).expect("areas");
        let parser = Parser::new(Arc::new(Gazetteer::from_csv(&areas).expect("gazetteer")), Dictionaries::default());
        for t in &parse_only {
            let p = parser.parse(t);
            let mine: Vec<String> = p.components.iter().map(|c| format!("{}={}", c.label, c.text)).collect();
            println!("{t}\n  {}  area={:?} candidates={:?}", mine.join(" "), p.area, p.area_candidates);
        }
        return;
    }
    let Some(data) = files.first() else {
        eprintln!("usage: eval DATA.conll [areas.csv] [--errors N]");
        std::process::exit(2);
    };
    let areas = files.get(1).cloned().unwrap_or_else(|| concat!(env!("CARGO_MANIFEST_DIR"), "/../../data/areas/areas.csv").to_string());
    let text = std::fs::read_to_string(data).expect("read data");
    let areas = std::fs::read_to_string(&areas).expect("read areas.csv");
    let t0 = std::time::Instant::now();
    let gazetteer = Arc::new(Gazetteer::from_csv(&areas).expect("gazetteer"));
    eprintln!("gazetteer: {} areas in {:.2?}", gazetteer.len(), t0.elapsed());
    let parser = Parser::new(gazetteer, Dictionaries::default());
    let samples = read_conll(&text);
    // Warm up caches so the timing reflects steady state.
    for s in samples.iter().take(200) {
        let _ = parser.parse(&s.text());
    }
    if predict {
        // One line per address: the gold spans, a tab, the parser's spans.
        for s in &samples {
            let p = parser.parse(&s.text());
            let mine: Vec<String> = p.components.iter().map(|c| format!("{}={}", c.label, c.text)).collect();
            println!("{}\t{}", gold_spans(s).join(" "), mine.join(" "));
        }
        return;
    }
    if let Ok(n) = std::env::var("EVAL_BENCH_ROUNDS").map(|v| v.parse::<usize>().unwrap_or(1)) {
        let texts: Vec<String> = samples.iter().map(|s| s.text()).collect();
        let t = std::time::Instant::now();
        for _ in 0..n {
            for x in &texts {
                std::hint::black_box(parser.parse(x));
            }
        }
        println!("{:.0} addresses/s", (n * texts.len()) as f64 / t.elapsed().as_secs_f64());
        return;
    }
    let report = evaluate(&samples, &parser);
    println!("{report}");
    if errors > 0 {
        let mut shown = 0;
        for s in &samples {
            if shown >= errors {
                break;
            }
            let text = s.text();
            let p = parser.parse(&text);
            let mine: Vec<String> = p.components.iter().map(|c| format!("{}={}", c.label, c.text)).collect();
            let gold = gold_spans(s);
            if mine != gold {
                shown += 1;
                println!("\n{text}\n  gold: {}\n  mine: {}", gold.join(" "), mine.join(" "));
            }
        }
    }
}

fn gold_spans(s: &civicgrid_address::eval::Sample) -> Vec<String> {
    let mut out: Vec<(String, String)> = Vec::new();
    for (t, tag) in s.tokens.iter().zip(&s.tags) {
        let (bio, label) = tag.split_once('-').unwrap_or(("O", ""));
        match out.last_mut() {
            Some(last) if bio == "I" && last.0 == label => last.1.push_str(t),
            _ if bio == "O" => {}
            _ => out.push((label.to_string(), t.clone())),
        }
    }
    out.into_iter().map(|(l, t)| format!("{l}={t}")).collect()
}
