//! `unspin score`: is each input spun, and why.

use super::args::{Format, InputFormat, ScoreArgs};
use super::input::Input;
use super::repair::load_model;
use super::{EXIT_ERROR, EXIT_FOUND, EXIT_OK};
use anyhow::{bail, Result};
use std::io::{BufWriter, Write};
use std::path::Path;
use unspin::Assessment;

/// A path as inputs: a folder becomes its files, walked recursively in
/// name order with the batch mode's defaults (hidden files and `.git`,
/// `.hg`, `.svn` skipped, .gitignore not honoured).
fn expand(path: &Path) -> Vec<(Input, bool)> {
    if !path.is_dir() {
        return vec![(Input::from_arg(path), false)];
    }
    let mut files = Vec::new();
    let walk = ignore::WalkBuilder::new(path)
        .standard_filters(false)
        .hidden(true)
        .sort_by_file_name(|a, b| a.cmp(b))
        .filter_entry(|e| !matches!(e.file_name().to_str(), Some(".git" | ".hg" | ".svn")))
        .build();
    for entry in walk {
        match entry {
            Ok(e) if e.file_type().is_some_and(|t| t.is_file()) => {
                files.push((Input::File(e.into_path()), true))
            }
            Ok(_) => {}
            // Reported when read: the walk error names the path.
            Err(err) => eprintln!("unspin: {err}"),
        }
    }
    files
}

/// How many pieces of evidence the text format lists.
const EVIDENCE_SHOWN: usize = 5;

pub fn run(args: &ScoreArgs) -> Result<i32> {
    if args.input_format == InputFormat::Jsonl {
        bail!("score reads text or HTML: --input-format jsonl is not supported");
    }
    let model = load_model(&args.model)?;
    // Each input, and whether it was found by walking a folder.
    let inputs: Vec<(Input, bool)> = if args.paths.is_empty() {
        vec![(Input::Stdin, false)]
    } else {
        args.paths.iter().flat_map(|p| expand(p)).collect()
    };
    let stdout = std::io::stdout();
    let mut out = BufWriter::new(stdout.lock());
    let (mut failed, mut spun_found) = (false, false);
    for (input, walked) in &inputs {
        let text = match input.read() {
            Ok(text) => text,
            Err(err) => {
                out.flush()?;
                eprintln!("unspin: {err}");
                failed = true;
                continue;
            }
        };
        if *walked && text.contains(&0) {
            eprintln!("unspin: {}: binary file skipped", input.name());
            continue;
        }
        // A web page is judged on its running text, not on its markup.
        let markup = args.input_format.markup_of(match input {
            Input::File(path) => Some(path.as_path()),
            Input::Stdin => None,
        });
        let assessment = model.assess(&markup.prose(&text));
        let spun = assessment.spun_probability > args.threshold;
        spun_found |= spun;
        if args.check {
            continue;
        }
        match args.format {
            Format::Text => writeln!(out, "{}", text_line(&input.name(), spun, &assessment))?,
            Format::Json => writeln!(out, "{}", json_line(&input.name(), spun, &assessment))?,
        }
    }
    out.flush()?;
    Ok(if failed {
        EXIT_ERROR
    } else if args.check && spun_found {
        EXIT_FOUND
    } else {
        EXIT_OK
    })
}

fn text_line(name: &str, spun: bool, a: &Assessment) -> String {
    let verdict = if spun { "spun" } else { "clean" };
    let repairs = match a.evidence.len() {
        1 => "1 repair".to_string(),
        n => format!("{n} repairs"),
    };
    let mut line = format!(
        "{name}\t{verdict}\t{:.3}\t{repairs} in {} words",
        a.spun_probability, a.words
    );
    let mut strongest: Vec<_> = a.evidence.iter().collect();
    strongest.sort_by(|x, y| y.score.total_cmp(&x.score));
    for (i, e) in strongest.iter().take(EVIDENCE_SHOWN).enumerate() {
        line.push_str(if i == 0 { ": " } else { ", " });
        line.push_str(&format!("{:?} -> {:?}", e.spun, e.restored));
    }
    line
}

fn json_line(name: &str, spun: bool, a: &Assessment) -> String {
    serde_json::json!({
        "path": name,
        "spun": spun,
        "spun_probability": a.spun_probability,
        "words": a.words,
        "evidence": a.evidence,
    })
    .to_string()
}
