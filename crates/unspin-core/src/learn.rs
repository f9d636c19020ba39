//! Learning a crawl's spinner from its spun text alone.
//!
//! A crawl scraped from the same sites was spun by the same tool, and what
//! that tool does is written all over it: a word it always replaces is
//! missing although news uses it every day, and a phrase it writes recurs
//! in contexts where one original reads far better. [`learn`] estimates the
//! spinner by expectation-maximisation over the dictionaries' edges, with
//! the language model as the prior over originals:
//!
//! 1. decode every document with the current model ([`Repairer`]);
//! 2. count, per spun phrase, how often the decoder replaced it and by
//!    what, and how often each phrase occurs in the crawl at all;
//! 3. re-estimate each edge's channel weight, log10 P(spun | original),
//!    from those counts, smoothed toward the built-in weight
//!    ([`estimate`]);
//! 4. decode again with the learned edges consulted first, until the
//!    edges stop changing or [`Options::iterations`] is reached.
//!
//! The counts are those of the best reading ("hard" or Viterbi EM), not
//! expected counts over all readings: the decoder returns one reading,
//! and the document prior already decides how bold it is. The weight of
//! an edge is its swaps over every occurrence of its original in the
//! decoded crawl (kept as written, or restored), so a word the crawl
//! never shows as written ("said" in a crawl that always writes "stated")
//! gets a weight near 0, and a word the crawl shows everywhere keeps a low
//! one whatever the decoder took.
//!
//! Invariants: only counts are kept, so memory is bounded by the
//! vocabulary of the dictionaries, not by the crawl's size; counts are
//! sums, so the result does not depend on the order in which documents
//! are counted, and the learned edges come out sorted.

use crate::dict::Entry;
use crate::key::{normalize_key, normalize_word_into};
use crate::parallel::ordered_map;
use crate::token::{soft_line_break, TokenKind, Tokens};
use crate::{Dictionary, Edit, Repairer};
use rustc_hash::{FxHashMap, FxHashSet};
use std::collections::BTreeMap;

/// The source name of learned dictionary rows.
pub const SOURCE: &str = "learned";

/// One document of a crawl, and the group it belongs to (a folder or a
/// site), whose mixture of spun and clean documents is reported.
#[derive(Debug, Clone)]
pub struct Document {
    pub text: Vec<u8>,
    pub group: usize,
}

/// What decoding one document found.
#[derive(Debug, Clone, Default)]
pub struct DocumentSwaps {
    /// (spun phrase, original) of each repair, as dictionary keys.
    pub swaps: Vec<(String, String)>,
    /// The probability that the document is spun (1 at a fixed penalty).
    pub spun_probability: f64,
    /// The summed scores of the repairs (log10).
    pub score: f64,
}

/// Decodes `text` with `repairer` and returns its swaps.
pub fn document_swaps(repairer: &Repairer, text: &[u8]) -> DocumentSwaps {
    let (edits, p) = repairer.repair_assessed(text);
    DocumentSwaps {
        swaps: edits
            .iter()
            .filter_map(|e| swap_of(repairer.dictionaries(), e))
            .collect(),
        spun_probability: p.unwrap_or(1.0),
        score: edits.iter().map(|e| e.score as f64).sum(),
    }
}

/// The dictionary phrase a repair replaced and the original it wrote, as
/// keys: a repair that also rewrote an article ("an individual" -> "a
/// person") or kept a possessive "'s" is brought back to its entry.
fn swap_of(dictionaries: &[Dictionary], edit: &Edit) -> Option<(String, String)> {
    let known = |key: &str| dictionaries.iter().any(|d| d.lookup(key).is_some());
    let spun = normalize_key(&edit.spun);
    let original = normalize_key(&edit.restored);
    if known(&spun) {
        return Some((spun, original));
    }
    if let (Some(s), Some(o)) = (spun.strip_suffix("'s"), original.strip_suffix("'s")) {
        if known(s) {
            return Some((s.to_string(), o.to_string()));
        }
    }
    let after_article = |key: &str| {
        key.split_once(' ')
            .filter(|(article, _)| matches!(*article, "a" | "an"))
            .map(|(_, rest)| rest.to_string())
    };
    match (after_article(&spun), after_article(&original)) {
        (Some(s), Some(o)) if known(&s) => Some((s, o)),
        _ => None,
    }
}

/// The swaps of a whole pass over the crawl.
#[derive(Debug, Clone, Default)]
pub struct Tally {
    /// Spun phrase -> original -> how often the decoder wrote it.
    swaps: FxHashMap<String, FxHashMap<String, u64>>,
    /// Documents decoded.
    pub documents: u64,
    /// The sum of their scores: the crawl's gain over keeping every word.
    pub score: f64,
}

impl Tally {
    /// Adds one document's swaps.
    pub fn add(&mut self, found: &DocumentSwaps) {
        self.documents += 1;
        self.score += found.score;
        for (spun, original) in &found.swaps {
            *self
                .swaps
                .entry(spun.clone())
                .or_default()
                .entry(original.clone())
                .or_default() += 1;
        }
    }

    /// How many repairs were counted.
    pub fn repairs(&self) -> u64 {
        self.swaps.values().flat_map(|by| by.values()).sum()
    }

    /// Every phrase whose occurrences [`estimate`] needs: the spun phrases
    /// repaired and every candidate original of theirs in `base`.
    pub fn phrases(&self, base: &[Dictionary]) -> Vec<String> {
        let mut phrases = Vec::new();
        for spun in self.swaps.keys() {
            phrases.push(spun.clone());
            if let Some(candidates) = base.iter().find_map(|d| d.lookup(spun)) {
                phrases.extend(candidates.map(|c| normalize_key(c.original)));
            }
        }
        phrases.sort();
        phrases.dedup();
        phrases
    }
}

/// How often phrases occur in the crawl as written. The crawl does not
/// change between passes, so each phrase is counted once, the first time
/// it is needed.
#[derive(Debug, Clone, Default)]
pub struct PhraseCounts {
    counts: FxHashMap<String, u64>,
}

/// Phrases to count in a pass: words of a phrase are joined as the
/// dictionary matcher joins them (a space, or a hyphen), within runs of
/// words no punctuation or line break interrupts.
#[derive(Debug, Clone, Default)]
pub struct PhraseSet {
    phrases: FxHashSet<String>,
    first_words: FxHashSet<String>,
    longest: usize,
}

impl PhraseSet {
    /// The set of `phrases` (keys).
    pub fn new(phrases: impl IntoIterator<Item = String>) -> PhraseSet {
        let mut set = PhraseSet::default();
        for phrase in phrases {
            let words = phrase.split([' ', '-']).count();
            set.longest = set.longest.max(words);
            if let Some(first) = phrase.split([' ', '-']).next() {
                set.first_words.insert(first.to_string());
            }
            set.phrases.insert(phrase);
        }
        set
    }

    /// Whether there is nothing to count.
    pub fn is_empty(&self) -> bool {
        self.phrases.is_empty()
    }

    /// How often each phrase of the set occurs in `text`.
    pub fn count(&self, text: &[u8]) -> FxHashMap<String, u64> {
        let mut counts = FxHashMap::default();
        // The current run: each word's key and how it joins the next.
        let mut run: Vec<(String, Option<char>)> = Vec::new();
        let mut pending: Option<char> = None;
        for token in Tokens::new(text) {
            match token.kind {
                TokenKind::Word => {
                    if let Some(last) = run.last_mut() {
                        last.1 = pending;
                        if pending.is_none() {
                            self.count_run(&run, &mut counts);
                            run.clear();
                        }
                    }
                    let mut key = String::new();
                    normalize_word_into(
                        std::str::from_utf8(token.bytes(text)).unwrap_or(""),
                        &mut key,
                    );
                    run.push((key, None));
                    pending = Some(' ');
                    continue;
                }
                TokenKind::Space if pending == Some(' ') => continue,
                TokenKind::Newline
                    if pending == Some(' ') && soft_line_break(text, token.start, token.end) =>
                {
                    continue
                }
                TokenKind::Punct if pending == Some(' ') && token.bytes(text) == b"-" => {
                    pending = Some('-');
                    continue;
                }
                _ => pending = None,
            }
        }
        self.count_run(&run, &mut counts);
        counts
    }

    fn count_run(&self, run: &[(String, Option<char>)], counts: &mut FxHashMap<String, u64>) {
        let mut phrase = String::new();
        for start in 0..run.len() {
            if !self.first_words.contains(&run[start].0) {
                continue;
            }
            phrase.clear();
            for (n, (word, joiner)) in run[start..].iter().enumerate().take(self.longest) {
                phrase.push_str(word);
                if let Some(count) = self.phrases.get(&phrase) {
                    *counts.entry(count.clone()).or_default() += 1;
                }
                match joiner {
                    Some(c) if n + 1 < self.longest => phrase.push(*c),
                    _ => break,
                }
            }
        }
    }
}

impl PhraseCounts {
    /// The phrases of `wanted` not counted yet.
    pub fn missing(&self, wanted: Vec<String>) -> PhraseSet {
        PhraseSet::new(wanted.into_iter().filter(|p| !self.counts.contains_key(p)))
    }

    /// Records the counts of a pass over the whole crawl for `set`: each
    /// phrase of the set is counted, 0 if never found.
    pub fn record(&mut self, set: &PhraseSet, found: FxHashMap<String, u64>) {
        for phrase in &set.phrases {
            self.counts.entry(phrase.clone()).or_insert(0);
        }
        for (phrase, n) in found {
            *self.counts.entry(phrase).or_default() += n;
        }
    }

    /// How often `phrase` occurs as written (0 if never counted).
    pub fn get(&self, phrase: &str) -> u64 {
        self.counts.get(phrase).copied().unwrap_or(0)
    }
}

/// How the learned weights are smoothed toward the built-in ones.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Smoothing {
    /// How many occurrences of an original the built-in weight is worth:
    /// an edge's weight is log10 of (swaps + `prior` x built-in
    /// probability) / (occurrences of the original + `prior`).
    pub prior: f64,
    /// The fewest repairs of a one-word phrase for it to be learned; a
    /// phrase of several words needs one (a spinner's multi-word phrase is
    /// evidence on its own).
    pub min_swaps: u64,
}

impl Default for Smoothing {
    /// A built-in weight is worth 20 occurrences of its original, so that
    /// a handful of repairs moves an edge little and a crawl-wide habit
    /// moves it all the way; a single word needs 3 repairs, so that one
    /// close call of the language model is not learned as a habit.
    fn default() -> Smoothing {
        Smoothing {
            prior: 20.0,
            min_swaps: 3,
        }
    }
}

/// A learned edge and its evidence.
#[derive(Debug, Clone, PartialEq)]
pub struct LearnedEdge {
    /// The spun phrase (a key).
    pub spun: String,
    /// The original, as the built-in dictionary writes it.
    pub original: String,
    /// The learned log10 P(spun | original).
    pub weight: f32,
    /// The built-in weight it was smoothed toward.
    pub prior_weight: f32,
    /// How often the decoder wrote `original` for `spun`.
    pub swaps: u64,
    /// How often `spun` occurs in the crawl.
    pub spun_count: u64,
    /// How often `original` occurs in the decoded crawl (as written or
    /// restored).
    pub original_count: u64,
    /// The share of the occurrences of `spun` that the decoder replaced
    /// (by any original).
    pub swap_rate: f64,
}

/// Re-estimates the edges of every phrase `tally` saw repaired often
/// enough, from the candidates of the first dictionary of `base` that has
/// the phrase: each candidate's weight is its swaps over the occurrences of
/// its original in the decoded crawl, smoothed toward its built-in weight.
/// Sorted by spun phrase, then weight (highest first), then original.
pub fn estimate(
    tally: &Tally,
    counts: &PhraseCounts,
    base: &[Dictionary],
    smoothing: &Smoothing,
) -> Vec<LearnedEdge> {
    // How often each phrase was written by the decoder, and replaced.
    let mut restored: FxHashMap<&str, u64> = FxHashMap::default();
    let mut replaced: FxHashMap<&str, u64> = FxHashMap::default();
    for (spun, by) in &tally.swaps {
        for (original, n) in by {
            *restored.entry(original).or_default() += n;
            *replaced.entry(spun).or_default() += n;
        }
    }
    let mut edges = Vec::new();
    let spun_phrases: BTreeMap<&String, &FxHashMap<String, u64>> = tally.swaps.iter().collect();
    for (spun, by) in spun_phrases {
        let swaps_of_spun = replaced[spun.as_str()];
        let several_words = spun.contains([' ', '-']);
        if swaps_of_spun < smoothing.min_swaps && !several_words {
            continue;
        }
        let Some(candidates) = base.iter().find_map(|d| d.lookup(spun)) else {
            continue;
        };
        let spun_count = counts.get(spun).max(swaps_of_spun);
        let mut seen = FxHashSet::default();
        let start = edges.len();
        for candidate in candidates {
            let key = normalize_key(candidate.original);
            if !seen.insert(key.clone()) {
                continue;
            }
            let swaps = by.get(&key).copied().unwrap_or(0);
            let written = counts
                .get(&key)
                .saturating_sub(replaced.get(key.as_str()).copied().unwrap_or(0));
            let original_count = written + restored.get(key.as_str()).copied().unwrap_or(0);
            let p = (swaps as f64 + smoothing.prior * 10f64.powf(candidate.weight as f64))
                / (original_count as f64 + smoothing.prior);
            edges.push(LearnedEdge {
                spun: spun.clone(),
                original: candidate.original.to_string(),
                // Rounded as the CSV writes it, so that the CSV and the
                // compiled dictionary are the same model.
                weight: ((p.log10() * 1000.0).round() / 1000.0).min(0.0) as f32,
                prior_weight: candidate.weight,
                swaps,
                spun_count,
                original_count,
                swap_rate: swaps_of_spun as f64 / spun_count as f64,
            });
        }
        edges[start..].sort_by(|a, b| {
            b.weight
                .total_cmp(&a.weight)
                .then_with(|| a.original.cmp(&b.original))
        });
    }
    edges
}

/// The learned edges as dictionary rows.
pub fn entries(edges: &[LearnedEdge]) -> Vec<Entry> {
    edges
        .iter()
        .map(|e| Entry {
            spun: e.spun.clone(),
            original: e.original.clone(),
            weight: e.weight,
            source: SOURCE.to_string(),
            confidence: 0.0,
        })
        .collect()
}

/// How many edges of `new` are not in `old` with nearly the same weight
/// (within `tolerance`), or are in `old` and gone from `new`.
pub fn changed_edges(old: &[LearnedEdge], new: &[LearnedEdge], tolerance: f32) -> usize {
    let index = |edges: &[LearnedEdge]| -> FxHashMap<(String, String), f32> {
        edges
            .iter()
            .map(|e| ((e.spun.clone(), e.original.clone()), e.weight))
            .collect()
    };
    let (old, new) = (index(old), index(new));
    let moved = new
        .iter()
        .filter(|(k, w)| old.get(*k).is_none_or(|o| (*o - **w).abs() > tolerance))
        .count();
    moved + old.keys().filter(|k| !new.contains_key(*k)).count()
}

/// How learning goes.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Options {
    /// The most decode, count and re-estimate rounds.
    pub iterations: usize,
    /// Documents decoded at once, each on its own thread.
    pub threads: usize,
    pub smoothing: Smoothing,
    /// Learning stops once a round changes no edge's weight by more than
    /// this (log10).
    pub tolerance: f32,
}

impl Default for Options {
    fn default() -> Options {
        Options {
            iterations: 4,
            threads: 1,
            smoothing: Smoothing::default(),
            tolerance: 0.05,
        }
    }
}

/// What [`learn`] tells its caller as it goes.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Progress {
    /// A pass over the crawl starts: decoding (round `round`, from 1) or
    /// counting phrases.
    Pass { round: usize, counting: bool },
    /// A document of `bytes` bytes has been through the pass.
    Document { bytes: usize },
    /// A round is over.
    Round(Round),
}

/// What one round found.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Round {
    pub round: usize,
    /// Documents decoded and repairs made.
    pub documents: u64,
    pub repairs: u64,
    /// The crawl's summed repair scores (log10).
    pub score: f64,
    /// Edges learned, and how many changed since the last round.
    pub edges: usize,
    pub changed: usize,
}

/// The share of the documents of one group that the prior calls spun.
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub struct GroupMixture {
    pub documents: u64,
    /// Documents with a spun probability over one half.
    pub spun: u64,
    /// The sum of their spun probabilities.
    pub probability: f64,
}

/// The result of [`learn`].
#[derive(Debug, Clone, Default)]
pub struct Learned {
    pub edges: Vec<LearnedEdge>,
    /// The rounds run.
    pub rounds: Vec<Round>,
    /// By group, as the first round's decoding judged the documents.
    pub mixture: Vec<GroupMixture>,
}

/// Learns the spinner of the crawl `documents` yields (each call a new
/// pass over the same documents, in the same order) from `repairer`'s
/// dictionaries and language model; see the module docs. `repairer` is
/// handed back with the learned dictionary consulted first when any edge
/// was learned. `progress` hears of every pass and document.
pub fn learn<I, F>(
    repairer: Repairer,
    mut documents: F,
    options: &Options,
    mut progress: impl FnMut(Progress),
) -> Result<(Repairer, Learned), crate::dict::DictError>
where
    F: FnMut() -> I,
    I: Iterator<Item = Document>,
{
    let base_count = repairer.dictionaries().len();
    let mut repairer = repairer;
    let mut counts = PhraseCounts::default();
    let mut learned = Learned::default();
    for round in 1..=options.iterations.max(1) {
        progress(Progress::Pass {
            round,
            counting: false,
        });
        let mut tally = Tally::default();
        let mut docs = documents();
        let mut mixture: Vec<GroupMixture> = Vec::new();
        let _ = ordered_map(
            options.threads,
            || Ok::<_, ()>(docs.next()),
            |doc: Document| {
                let found = document_swaps(&repairer, &doc.text);
                (doc.group, doc.text.len(), found)
            },
            |(group, bytes, found)| {
                tally.add(&found);
                if mixture.len() <= group {
                    mixture.resize(group + 1, GroupMixture::default());
                }
                let m = &mut mixture[group];
                m.documents += 1;
                m.spun += u64::from(found.spun_probability > 0.5);
                m.probability += found.spun_probability;
                progress(Progress::Document { bytes });
                Ok(())
            },
        );
        if round == 1 {
            learned.mixture = mixture;
        }
        let base = &repairer.dictionaries()[repairer.dictionaries().len() - base_count..];
        let missing = counts.missing(tally.phrases(base));
        if !missing.is_empty() {
            progress(Progress::Pass {
                round,
                counting: true,
            });
            let mut found: FxHashMap<String, u64> = FxHashMap::default();
            let mut docs = documents();
            let _ = ordered_map(
                options.threads,
                || Ok::<_, ()>(docs.next()),
                |doc: Document| (doc.text.len(), missing.count(&doc.text)),
                |(bytes, counted)| {
                    for (phrase, n) in counted {
                        *found.entry(phrase).or_default() += n;
                    }
                    progress(Progress::Document { bytes });
                    Ok(())
                },
            );
            counts.record(&missing, found);
        }
        let edges = estimate(&tally, &counts, base, &options.smoothing);
        let changed = changed_edges(&learned.edges, &edges, options.tolerance);
        let summary = Round {
            round,
            documents: tally.documents,
            repairs: tally.repairs(),
            score: tally.score,
            edges: edges.len(),
            changed,
        };
        learned.rounds.push(summary);
        progress(Progress::Round(summary));
        if repairer.dictionaries().len() > base_count {
            repairer = repairer.without_first_dictionary();
        }
        learned.edges = edges;
        if !learned.edges.is_empty() {
            let dict = Dictionary::from_entries(&entries(&learned.edges), "learned dictionary")?;
            repairer = repairer.with_first_dictionary(dict);
        }
        if changed == 0 {
            break;
        }
    }
    Ok((repairer, learned))
}
