//! `unspin score`: is each input spun, and why.

use super::args::{Format, ScoreArgs};
use super::input::Input;
use super::repair::load_model;
use super::{EXIT_ERROR, EXIT_FOUND, EXIT_OK};
use anyhow::Result;
use std::io::{BufWriter, Write};
use unspin::Assessment;

/// How many pieces of evidence the text format lists.
const EVIDENCE_SHOWN: usize = 5;

pub fn run(args: &ScoreArgs) -> Result<i32> {
    let model = load_model(&args.model)?;
    let inputs: Vec<Input> = if args.paths.is_empty() {
        vec![Input::Stdin]
    } else {
        args.paths.iter().map(|p| Input::from_arg(p)).collect()
    };
    let stdout = std::io::stdout();
    let mut out = BufWriter::new(stdout.lock());
    let (mut failed, mut spun_found) = (false, false);
    for input in &inputs {
        let text = match input.read() {
            Ok(text) => text,
            Err(err) => {
                out.flush()?;
                eprintln!("unspin: {err}");
                failed = true;
                continue;
            }
        };
        let assessment = model.assess(&text);
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
    } else if spun_found {
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
