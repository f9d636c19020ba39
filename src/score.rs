//! `unspin score`: is each input spun, and why.

use crate::args::{Format, InputFormat, ScoreArgs};
use crate::input::describe;
use crate::input::Input;
use crate::repairer::load_repairer;
use crate::{EXIT_ERROR, EXIT_FOUND, EXIT_OK};
use anyhow::{anyhow, bail, Result};
use std::io::{BufWriter, Write};
use std::path::Path;
use unspin_core::stream::{self, StreamError};
use unspin_core::Assessment;

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
    let repairer = load_repairer(&args.model)?;
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
        let markup = args.input_format.markup_of(match input {
            Input::File(path) => Some(path.as_path()),
            Input::Stdin => None,
        });
        let assessment = match judge(&repairer, input, markup, *walked) {
            Ok(Some(assessment)) => assessment,
            Ok(None) => {
                eprintln!("unspin: {}: binary file skipped", input.name());
                continue;
            }
            Err(err) => {
                out.flush()?;
                eprintln!("unspin: {err}");
                failed = true;
                continue;
            }
        };
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

/// The most pieces of evidence kept per input (the strongest), so that
/// memory and the JSON line stay bounded whatever the input's size.
const EVIDENCE_KEPT: usize = 100;

/// An input's verdict: the highest probability of its chunks (a file over
/// a chunk is judged a chunk at a time, as a repair judges it), its words,
/// cues and fingerprint repairs in all, and the strongest of those.
struct Verdict {
    spun_probability: f64,
    words: usize,
    repairs: usize,
    /// At most [`EVIDENCE_KEPT`], in input order.
    evidence: Vec<unspin_core::Edit>,
    /// Each cue with its count over all chunks, most telling first; at
    /// most [`EVIDENCE_KEPT`].
    cues: Vec<unspin_core::cues::Found>,
}

/// Judges one input as it streams; `None` for a binary file found in a
/// folder.
fn judge(
    repairer: &unspin_core::Repairer,
    input: &Input,
    markup: unspin_core::markup::Markup,
    walked: bool,
) -> Result<Option<Verdict>> {
    let name = input.name();
    let reader: Box<dyn std::io::Read> = match input {
        Input::Stdin => Box::new(std::io::stdin().lock()),
        Input::File(path) => {
            if path.is_dir() {
                bail!("{name}: is a directory");
            }
            Box::new(std::fs::File::open(path).map_err(|e| anyhow!("{name}: {}", describe(&e)))?)
        }
    };
    let options = stream::Options {
        markup,
        skip_binary: walked,
        ..stream::Options::default()
    };
    let mut verdict = Verdict {
        spun_probability: 0.0,
        words: 0,
        repairs: 0,
        evidence: Vec::new(),
        cues: Vec::new(),
    };
    let mut chunks = 0;
    let judged = stream::assess_chunks(repairer, reader, &options, |_, a: Assessment| {
        chunks += 1;
        verdict.spun_probability = verdict.spun_probability.max(a.spun_probability);
        verdict.words += a.words;
        verdict.repairs += a.evidence.len();
        verdict.evidence.extend(a.evidence);
        merge_cues(&mut verdict.cues, a.cues);
        if verdict.evidence.len() > EVIDENCE_KEPT {
            verdict
                .evidence
                .sort_by(|x, y| y.score.total_cmp(&x.score).then(x.start.cmp(&y.start)));
            verdict.evidence.truncate(EVIDENCE_KEPT);
            verdict.evidence.sort_by_key(|e| e.start);
        }
    });
    match judged {
        Ok(()) => {}
        Err(StreamError::Binary) => return Ok(None),
        Err(StreamError::Read(err)) => bail!("{name}: {}", describe(&err)),
        Err(StreamError::PageTooLarge) => bail!(
            "{name}: an HTML page over {} MiB, too large to read whole: not judged",
            stream::MAX_PAGE >> 20
        ),
        Err(StreamError::Visit(never)) => match never {},
    }
    if chunks == 0 {
        // An empty input: what an assessment of nothing says.
        let a = repairer.assess(b"");
        verdict.spun_probability = a.spun_probability;
    }
    Ok(Some(verdict))
}

/// Adds a chunk's cues to an input's, counts summed, keeping the most
/// telling [`EVIDENCE_KEPT`].
fn merge_cues(all: &mut Vec<unspin_core::cues::Found>, chunk: Vec<unspin_core::cues::Found>) {
    for found in chunk {
        match all.iter_mut().find(|f| f.cue == found.cue) {
            Some(f) => f.count += found.count,
            None => all.push(found),
        }
    }
    all.sort_by(|a, b| {
        b.log10_ratio
            .abs()
            .total_cmp(&a.log10_ratio.abs())
            .then_with(|| a.cue.cmp(&b.cue))
    });
    all.truncate(EVIDENCE_KEPT);
}

fn text_line(name: &str, spun: bool, a: &Verdict) -> String {
    let verdict = if spun { "spun" } else { "clean" };
    let mut line = format!(
        "{name}\t{verdict}\t{:.3}\t{} words",
        a.spun_probability, a.words
    );
    let mut strongest: Vec<_> = a.evidence.iter().collect();
    strongest.sort_by(|x, y| y.score.total_cmp(&x.score));
    let fingerprints = strongest
        .iter()
        .map(|e| format!("{:?} -> {:?}", e.spun, e.restored));
    let cues = a.cues.iter().map(|c| {
        let times = if c.count > 1 {
            format!(" x{}", c.count)
        } else {
            String::new()
        };
        format!("{:?}{times} {:+.2}", c.cue, c.log10_ratio)
    });
    let shown: Vec<String> = fingerprints.chain(cues).collect();
    for (i, item) in shown.iter().take(EVIDENCE_SHOWN).enumerate() {
        line.push_str(if i == 0 { ": " } else { ", " });
        line.push_str(item);
    }
    if shown.len() > EVIDENCE_SHOWN {
        line.push_str(", ...");
    }
    line
}

fn json_line(name: &str, spun: bool, a: &Verdict) -> String {
    serde_json::json!({
        "path": name,
        "spun": spun,
        "spun_probability": a.spun_probability,
        "words": a.words,
        "fingerprints": a.repairs,
        "cues": a.cues,
        "evidence": a.evidence,
    })
    .to_string()
}
