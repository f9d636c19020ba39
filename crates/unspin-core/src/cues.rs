//! Cues: how much a word or phrase says about whether a text was spun.
//!
//! A spinner's output is full of words it writes and short of words it
//! replaces. Some of what it writes occurs in no clean text ("12 months in
//! the past", "buying and selling", "Chinese language counterpart"); much of
//! it is ordinary English that clean prose uses every day ("stated",
//! "individuals", "army"). So a word's worth as evidence is a number of its
//! own: log10 of how much more often it occurs in spun text than in clean
//! text, measured on real spun articles against their originals and clean
//! references by `scripts/build_cues.py`, and committed as
//! `data/prior/cues.csv`. A word the spinner nearly always replaces ("said",
//! "bill") has a negative number: finding it is evidence that the text is
//! clean.
//!
//! [`Cues::weigh`] adds up the cues of a text. A cue repeated in one text is
//! one topic, not independent evidence, so its `n` occurrences count
//! `1 + ln n` times.
//!
//! ```
//! let cues = unspin_core::cues::Cues::embedded();
//! let spun = cues.weigh(b"Officials stated the regulation additionally covers 12 months in the past.");
//! let clean = cues.weigh(b"Officials said the bill also covers last year.");
//! assert!(spun.log10_ratio > 1.0);
//! assert!(clean.log10_ratio < 0.0);
//! ```
//!
//! Invariant: the weight of a text depends only on its words (lowercased,
//! apostrophes unified), never on their case, spacing or punctuation
//! between phrases, and the same text always gets the same weight.

use crate::key::normalize_word_into;
use crate::token::{TokenKind, Tokens};
use rustc_hash::FxHashMap;
use std::sync::OnceLock;

static EMBEDDED: &str = include_str!("../../../data/prior/cues.csv");

/// The longest phrase a cue may be, in words.
pub const MAX_PHRASE_WORDS: usize = 5;

/// A table of cues and their weights.
#[derive(Debug, Default)]
pub struct Cues {
    /// Every normalised cue ("stated", "12 months in the past") and every
    /// run of a multi-word cue's first words ("12", "12 months", ...): one
    /// map, so that matching a text asks it once per word tried.
    phrases: FxHashMap<Box<str>, Phrase>,
}

/// What the table knows of a phrase.
#[derive(Debug, Default, Clone, Copy)]
struct Phrase {
    /// Its log10 ratio, if it is a cue.
    weight: Option<f32>,
    /// It is the start of a longer cue: a phrase is extended by its next
    /// word only while this holds.
    extends: bool,
}

/// A cue found in a text.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct Found {
    /// The cue, normalised.
    pub cue: String,
    /// How often it occurs.
    pub count: u32,
    /// Its log10 ratio of spun to clean occurrence.
    pub log10_ratio: f32,
}

/// What the cues of one text add up to.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Weighed {
    /// The summed, damped log10 ratio: above 0 leans spun, below clean.
    pub log10_ratio: f64,
    /// Each distinct cue found, most telling first (by absolute weight).
    pub found: Vec<Found>,
}

/// A malformed row of a cue table.
#[derive(Debug, thiserror::Error)]
#[error("cue table line {line}: {message}")]
pub struct CueError {
    pub line: usize,
    pub message: String,
}

impl Cues {
    /// The table built into the binary (`data/prior/cues.csv`).
    pub fn embedded() -> &'static Cues {
        static CUES: OnceLock<Cues> = OnceLock::new();
        CUES.get_or_init(|| Cues::parse(EMBEDDED).expect("the embedded cue table is valid"))
    }

    /// Reads a table with a header line naming `cue,log10_ratio` first
    /// (other columns may follow) and at least one row `cue,log10_ratio,...`.
    /// A file that is not such a table is refused: read as one, it would
    /// turn the cues off without a word.
    pub fn parse(csv: &str) -> Result<Cues, CueError> {
        let csv = csv.strip_prefix('\u{FEFF}').unwrap_or(csv);
        let header = csv.lines().next().unwrap_or_default();
        if !header.starts_with("cue,log10_ratio") {
            return Err(CueError {
                line: 1,
                message: "expected the header `cue,log10_ratio`".into(),
            });
        }
        let mut cues = Cues::default();
        for (i, line) in csv.lines().enumerate().skip(1) {
            let bad = |message: &str| CueError {
                line: i + 1,
                message: message.into(),
            };
            let mut fields = line.split(',');
            let (Some(cue), Some(weight)) = (fields.next(), fields.next()) else {
                return Err(bad("expected `cue,log10_ratio`"));
            };
            let weight: f32 = weight
                .parse()
                .ok()
                .filter(|w: &f32| w.is_finite())
                .ok_or_else(|| bad("log10_ratio is not a number"))?;
            let words: Vec<&str> = cue.split(' ').collect();
            if cue.is_empty() || words.len() > MAX_PHRASE_WORDS || words.contains(&"") {
                return Err(bad("a cue is 1 to 5 words separated by single spaces"));
            }
            for n in 1..words.len() {
                let prefix = words[..n].join(" ").into();
                cues.phrases.entry(prefix).or_default().extends = true;
            }
            cues.phrases.entry(cue.into()).or_default().weight = Some(weight);
        }
        if cues.phrases.is_empty() {
            return Err(CueError {
                line: 1,
                message: "no cues: the table has no rows".into(),
            });
        }
        Ok(cues)
    }

    /// The weight of a cue, if it is one.
    pub fn weight(&self, cue: &str) -> Option<f32> {
        self.phrases.get(cue).and_then(|phrase| phrase.weight)
    }

    /// Adds up the cues of `text`. Phrases are matched within runs of
    /// words that no punctuation or line break interrupts (a line wrapped
    /// mid-sentence does not).
    pub fn weigh(&self, text: &[u8]) -> Weighed {
        let mut tally = Tally::new(self);
        let mut key = String::new();
        // Whether the next word goes on the run of the last one.
        let mut joined = false;
        for token in Tokens::new(text) {
            match token.kind {
                TokenKind::Word => {
                    let word = std::str::from_utf8(token.bytes(text)).unwrap_or("");
                    key.clear();
                    normalize_word_into(word, &mut key);
                    tally.word(&key, joined);
                    joined = true;
                }
                TokenKind::Space => {}
                TokenKind::Newline if !token.breaks_sentence(text) => {}
                _ => joined = false,
            }
        }
        tally.finish()
    }

    /// Counts the cues among the words of one unbroken run, longest match
    /// first: the words of a matched phrase do not count again as words,
    /// since the phrase's own ratio already says what they are worth
    /// together ("stated that" is not "stated" and "that" twice over).
    fn count_run<'s>(&'s self, keys: &str, ends: &[usize], counts: &mut FxHashMap<&'s str, u32>) {
        let mut i = 0;
        while i < ends.len() {
            let start = if i == 0 { 0 } else { ends[i - 1] + 1 };
            // The longest cue starting at word i, and its length in words.
            let mut matched: Option<(&'s str, usize)> = None;
            for n in 1..=MAX_PHRASE_WORDS.min(ends.len() - i) {
                let Some((phrase, known)) =
                    self.phrases.get_key_value(&keys[start..ends[i + n - 1]])
                else {
                    break;
                };
                if known.weight.is_some() {
                    matched = Some((phrase, n));
                }
                if !known.extends {
                    break;
                }
            }
            let len = match matched {
                Some((cue, len)) => {
                    *counts.entry(cue).or_default() += 1;
                    len
                }
                None => 1,
            };
            i += len;
        }
    }
}

/// The cues of a text, added up word by word: [`Cues::weigh`] feeds it
/// from the text's tokens, and the decoder from the words it has already
/// read, so that a text is not read twice.
pub struct Tally<'c> {
    cues: &'c Cues,
    /// The normalised words of the current run, separated by single
    /// spaces as in the table's phrases, each ending where `ends` says: a
    /// phrase of the run is a slice of `keys`.
    keys: String,
    ends: Vec<usize>,
    counts: FxHashMap<&'c str, u32>,
}

impl<'c> Tally<'c> {
    /// An empty tally of the cues of `cues`.
    pub fn new(cues: &'c Cues) -> Tally<'c> {
        Tally {
            cues,
            keys: String::new(),
            ends: Vec::new(),
            counts: FxHashMap::default(),
        }
    }

    /// Adds the next word of the text, normalised
    /// ([`normalize_word_into`]); `joined` if only spaces and line breaks
    /// within a sentence separate it from the word before, so that a
    /// phrase may run on from that word into this one.
    pub fn word(&mut self, key: &str, joined: bool) {
        if !joined {
            self.end_run();
        }
        if !self.ends.is_empty() {
            self.keys.push(' ');
        }
        self.keys.push_str(key);
        self.ends.push(self.keys.len());
    }

    fn end_run(&mut self) {
        self.cues
            .count_run(&self.keys, &self.ends, &mut self.counts);
        self.keys.clear();
        self.ends.clear();
    }

    /// What the cues of the words added add up to.
    pub fn finish(mut self) -> Weighed {
        self.end_run();
        let phrases = &self.cues.phrases;
        let mut found: Vec<Found> = self
            .counts
            .into_iter()
            .map(|(cue, count)| Found {
                cue: cue.to_string(),
                count,
                log10_ratio: phrases[cue].weight.expect("only cues are counted"),
            })
            .collect();
        found.sort_by(|a, b| {
            b.log10_ratio
                .abs()
                .total_cmp(&a.log10_ratio.abs())
                .then_with(|| a.cue.cmp(&b.cue))
        });
        let log10_ratio = found
            .iter()
            .map(|f| f.log10_ratio as f64 * (1.0 + (f.count as f64).ln()))
            .sum();
        Weighed { log10_ratio, found }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn table() -> Cues {
        Cues::parse(
            "cue,log10_ratio,observed,expected\n\
             stated,0.9,58,2.5\n\
             said,-0.7,57,309\n\
             12 months,0.8,23,1\n\
             12 months in the past,1.2,10,0\n",
        )
        .unwrap()
    }

    #[test]
    fn words_and_phrases_add_up_case_blind() {
        let w = table().weigh(b"He STATED it 12 months in the past, not 12 months ago.");
        let cues: Vec<&str> = w.found.iter().map(|f| f.cue.as_str()).collect();
        assert_eq!(cues, ["12 months in the past", "stated", "12 months"]);
        assert!((w.log10_ratio - 2.9).abs() < 1e-6, "{w:?}");
        // The longest phrase wins; its words do not count again.
        let w = table().weigh(b"12 months in the past");
        assert_eq!(w.found.len(), 1, "{w:?}");
    }

    #[test]
    fn a_repeated_cue_counts_less_than_its_occurrences() {
        let w = table().weigh(b"said said said said");
        assert_eq!(w.found[0].count, 4);
        let expected = -0.7 * (1.0 + 4f64.ln());
        assert!((w.log10_ratio - expected).abs() < 1e-6);
    }

    #[test]
    fn phrases_stop_at_punctuation_and_line_breaks() {
        let w = table().weigh(b"It took 12. Months later\n\n12\n\nmonths");
        assert!(w.found.is_empty(), "{w:?}");
        let wrapped = table().weigh(b"It took 12\nmonths.");
        assert_eq!(wrapped.found.len(), 1);
        let w = table().weigh(b"It took 12 months.");
        assert_eq!(w.found.len(), 1);
    }

    #[test]
    fn the_embedded_table_knows_the_spinners_favourites() {
        let cues = Cues::embedded();
        for strong in ["stated", "additionally", "buying and selling"] {
            assert!(cues.weight(strong).unwrap() > 0.3, "{strong}");
        }
        for replaced in ["said", "bill"] {
            assert!(cues.weight(replaced).unwrap() < -0.3, "{replaced}");
        }
    }

    #[test]
    fn malformed_rows_are_refused_with_their_line() {
        for bad in ["stated\n", "stated,high\n", ",1\n", "a b c d e f,1\n"] {
            let err = Cues::parse(&format!("cue,log10_ratio\n{bad}")).unwrap_err();
            assert_eq!(err.line, 2, "{bad:?}");
        }
    }

    /// A file that is not a cue table (no header, another header, no
    /// rows) is refused rather than read as a table without cues.
    #[test]
    fn what_is_not_a_cue_table_is_refused() {
        for (bad, says) in [
            ("foo\n", "header"),
            ("", "header"),
            ("word,weight\nstated,1\n", "header"),
            ("cue,log10_ratio,observed\n", "no cues"),
        ] {
            let err = Cues::parse(bad).unwrap_err();
            assert!(err.to_string().contains(says), "{bad:?}: {err}");
        }
        assert!(Cues::parse("\u{FEFF}cue,log10_ratio\nstated,1\n").is_ok());
    }
}
