//! Learning a crawl's spinner from its spun text alone.
//!
//! A crawl scraped from the same sites was spun by the same tool, and what
//! that tool does is written all over it: a word it always replaces is
//! missing although news uses it every day, and a phrase it writes recurs
//! in contexts where one original reads far better. [`learn`] estimates the
//! spinner by expectation-maximisation over the dictionaries' edges, with
//! the language model as the prior over originals:
//!
//! 1. weigh every occurrence of every dictionary phrase in its context:
//!    each candidate original's posterior against keeping the words,
//!    from the language model's gain and the current weights
//!    ([`Expected`]);
//! 2. add the posteriors up into expected swaps per edge, and count how
//!    often each phrase concerned is written in the crawl ([`PhraseCounts`]);
//! 3. re-estimate each edge's channel weight, log10 P(spun | original),
//!    as its expected swaps over the occurrences of its original in the
//!    crawl's originals, smoothed toward the built-in weight
//!    ([`estimate`]);
//! 4. weigh again with the new weights, until no weight moves or
//!    [`Options::iterations`] is reached.
//!
//! A word the crawl never writes ("said" in a crawl that always writes
//! "stated") gets a weight near 0; a word the crawl writes everywhere
//! keeps a low one whatever the language model prefers in some contexts.
//! What is written into the dictionary is limited by what a spinner is
//! known to do ([`Smoothing`], [`publishable`]), and the built-in phrases
//! a learned one would hide are carried along ([`with_overlapping`]).
//!
//! Invariants: only counts are kept, so memory is bounded by the
//! vocabulary of the dictionaries, not by the crawl's size; documents are
//! added up in the order they come, whatever the threads, and the learned
//! edges come out sorted, so the same crawl gives the same dictionary.

use crate::decode::{context_at, for_each_sentence, Tail};
use crate::dict::{self, Entry, MatchWord};
use crate::key::normalize_key;
use crate::lm::{CachedModel, WordId, UNKNOWN};
use crate::parallel::ordered_map;
use crate::{Dictionary, Repairer};
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

/// The expected counts of a pass over the crawl.
///
/// Each occurrence of a dictionary phrase is weighed on its own, in the
/// text's own context: the language model's gain for each candidate
/// original over the words as written, plus the candidate's current
/// weight, against keeping the words (which costs nothing), give the
/// posterior of each reading, and each candidate is credited its
/// posterior. This ignores that neighbouring words may be spun too (the
/// decoder weighs them together), and the edit penalty and document
/// prior, which set how bold a repair is, not what the spinner does.
#[derive(Debug, Clone, Default)]
pub struct Expected {
    /// Spun phrase -> original -> expected swaps.
    swaps: FxHashMap<String, FxHashMap<String, f64>>,
    /// Spun phrase -> occurrences.
    occurrences: FxHashMap<String, u64>,
    /// Documents weighed.
    pub documents: u64,
    /// log10 of the crawl's likelihood under the current weights, relative
    /// to keeping every word.
    pub log_likelihood: f64,
}

/// The fewest expected swaps of a phrase for its edges to be
/// re-estimated in the rounds (and its originals counted).
const LEAST_SWAPS: f64 = 0.5;

/// The smallest posterior credited: smaller ones add nothing an
/// estimate could see, only entries to the tables.
const LEAST_POSTERIOR: f64 = 1e-4;

/// Weights that differ from the built-in ones: (spun phrase, original key)
/// -> log10 weight.
pub type Weights = FxHashMap<(String, String), f32>;

impl Expected {
    /// Adds another pass's (or document's) counts.
    pub fn merge(&mut self, other: Expected) {
        self.documents += other.documents;
        self.log_likelihood += other.log_likelihood;
        for (spun, n) in other.occurrences {
            *self.occurrences.entry(spun).or_default() += n;
        }
        for (spun, by) in other.swaps {
            let mine = self.swaps.entry(spun).or_default();
            for (original, p) in by {
                *mine.entry(original).or_default() += p;
            }
        }
    }

    /// The expected swaps of all spun phrases.
    pub fn repairs(&self) -> f64 {
        self.swaps.values().flat_map(|by| by.values()).sum()
    }

    /// Every phrase whose occurrences [`estimate`] needs: the spun phrases
    /// expected to be swapped at least `least` times and every candidate
    /// original of theirs in `base`.
    pub fn phrases(&self, base: &[Dictionary], least: f64) -> Vec<String> {
        let mut phrases = Vec::new();
        for (spun, by) in &self.swaps {
            if by.values().sum::<f64>() < least {
                continue;
            }
            phrases.push(spun.clone());
            if let Some(candidates) = base.iter().find_map(|d| d.lookup(spun)) {
                phrases.extend(candidates.map(|c| normalize_key(c.original)));
            }
        }
        phrases.sort();
        phrases.dedup();
        phrases
    }

    /// Weighs every dictionary phrase of `text` (see the type's docs) with
    /// the dictionaries `base`, the language model `lm` and `weights` where
    /// they differ from the built-in ones.
    pub fn of_document(
        base: &[Dictionary],
        lm: &dyn crate::LanguageModel,
        weights: &Weights,
        text: &[u8],
    ) -> Expected {
        let lm = CachedModel::for_text(lm, text.len());
        let mut expected = Expected {
            documents: 1,
            ..Expected::default()
        };
        for_each_sentence(text, |words, verbatim| {
            expected.add_sentence(base, &lm, weights, words, verbatim)
        });
        expected
    }

    /// Weighs the phrases of one sentence, read and scored as the decoder
    /// reads and scores it: words of an address or code are matched by no
    /// dictionary.
    fn add_sentence(
        &mut self,
        base: &[Dictionary],
        lm: &CachedModel<'_>,
        weights: &Weights,
        words: &[MatchWord<'_>],
        verbatim: &[bool],
    ) {
        let ids: Vec<WordId> = words.iter().map(|word| lm.word_id(word.key)).collect();
        let n = words.len();
        let score = |context: [WordId; 2], phrase: &[WordId], tail: &[WordId]| {
            let (score, after) = lm.score_words(context, phrase);
            f64::from(score + lm.score_words(after, tail).0)
        };
        // A word matched by a dictionary of higher priority is not offered
        // to the ones after it, as in the decoder.
        let mut claimed = verbatim.to_vec();
        let mut found = Vec::new();
        let mut candidate_ids = Vec::new();
        let mut logits: Vec<(String, f64)> = Vec::new();
        for dict in base {
            found.clear();
            for start in 0..n {
                dict.matches_at(words, start, &mut found);
            }
            dict::claim(&mut found, &mut claimed);
            for m in found.iter().filter(|m| !m.possessive) {
                let spun_ids = &ids[m.start..m.end];
                if spun_ids.contains(&UNKNOWN) {
                    continue;
                }
                let tail = Tail::after(&ids, m.end, lm);
                let tail = tail.as_slice();
                let context = context_at(&ids, m.start, lm);
                let kept = score(context, spun_ids, tail);
                let mut spun = String::new();
                for word in &words[m.start..m.end] {
                    spun.push_str(word.key);
                    if let Some(c) = word.joiner {
                        spun.push(c as char);
                    }
                }
                spun.truncate(spun.trim_end_matches([' ', '-']).len());
                logits.clear();
                for candidate in dict.candidates(m) {
                    if !candidate.fits(&words[m.start..m.end]) {
                        continue;
                    }
                    let key = normalize_key(candidate.original);
                    if key == spun || logits.iter().any(|(k, _)| *k == key) {
                        continue;
                    }
                    candidate_ids.clear();
                    lm.phrase_ids(candidate.original, &mut candidate_ids);
                    if candidate_ids.contains(&UNKNOWN) {
                        continue;
                    }
                    let gain = score(context, &candidate_ids, tail) - kept;
                    let weight = weights
                        .get(&(spun.clone(), key.clone()))
                        .copied()
                        .unwrap_or(candidate.weight);
                    logits.push((key, (gain + weight as f64).min(30.0)));
                }
                *self.occurrences.entry(spun.clone()).or_default() += 1;
                let total: f64 = 1.0 + logits.iter().map(|(_, l)| 10f64.powf(*l)).sum::<f64>();
                self.log_likelihood += total.log10();
                for (key, logit) in logits.drain(..) {
                    let posterior = 10f64.powf(logit) / total;
                    if posterior >= LEAST_POSTERIOR {
                        *self
                            .swaps
                            .entry(spun.clone())
                            .or_default()
                            .entry(key)
                            .or_default() += posterior;
                    }
                }
            }
        }
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
/// dictionary matcher joins them (a space, or a hyphen), in sentences read
/// as the decoder reads them, outside addresses and code.
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
        for_each_sentence(text, |words, verbatim| {
            self.count_sentence(words, verbatim, &mut counts)
        });
        counts
    }

    fn count_sentence(
        &self,
        words: &[MatchWord<'_>],
        verbatim: &[bool],
        counts: &mut FxHashMap<String, u64>,
    ) {
        let mut phrase = String::new();
        for start in 0..words.len() {
            if !self.first_words.contains(words[start].key) {
                continue;
            }
            phrase.clear();
            for (n, word) in words[start..].iter().enumerate().take(self.longest) {
                if verbatim[start + n] {
                    break;
                }
                phrase.push_str(word.key);
                if let Some(count) = self.phrases.get(&phrase) {
                    *counts.entry(count.clone()).or_default() += 1;
                }
                match word.joiner {
                    Some(c) if n + 1 < self.longest => phrase.push(c as char),
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
    /// The fewest expected swaps of a phrase for its edges to be learned.
    pub min_swaps: f64,
    /// The least share of a phrase's occurrences expected to be swapped
    /// for its edges to be learned: a spinner rewrites the words it knows
    /// nearly every time, while the language model's preference for
    /// another word in some contexts of a common one ("on" -> "in") is
    /// spread thin over all of them.
    pub min_swap_rate: f64,
    /// The least share of its phrase's expected swaps an edge must carry
    /// for its weight to be learned (else it keeps the built-in weight):
    /// the language model spreads a spun word's posterior over its
    /// candidates' synonyms, and a spinner maps a word to few originals.
    pub min_share: f64,
    /// The least learned probability of an edge, P(spun | original), for
    /// its weight to be learned (else it keeps the built-in weight): a
    /// spinner writes its image for a good share of its original's
    /// occurrences, while a word it wrote for some other original is
    /// otherwise credited to a common word the language model favours, in
    /// a sliver of that word's occurrences ("utilization" for one "use" in
    /// fifty).
    pub min_image_rate: f64,
}

impl Default for Smoothing {
    /// A built-in weight is worth 20 occurrences of its original, so that
    /// a handful of swaps moves an edge little and a crawl-wide habit
    /// moves it all the way; a phrase needs 3 expected swaps, so that a
    /// few close calls of the language model are not learned as a habit.
    fn default() -> Smoothing {
        Smoothing {
            prior: 20.0,
            min_swaps: 3.0,
            min_swap_rate: 0.5,
            min_share: 0.25,
            min_image_rate: 0.1,
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
    /// [`SOURCE`] for the edges of a learned phrase; the built-in source
    /// for a built-in phrase carried along ([`with_overlapping`]).
    pub source: String,
    /// The built-in entry's confidence, kept.
    pub confidence: f32,
    /// How often `original` is expected to have been spun into `spun`.
    pub swaps: f64,
    /// How often `spun` occurs in the crawl.
    pub spun_count: u64,
    /// How often `original` is expected to occur in the crawl's originals
    /// (as written, or spun).
    pub original_count: f64,
    /// The expected share of the occurrences of `spun` that the spinner
    /// wrote (for any original).
    pub swap_rate: f64,
}

/// Re-estimates the edges of every phrase `expected` saw swapped often
/// enough, from the candidates of the first dictionary of `base` that has
/// the phrase: each candidate's weight is its expected swaps over the
/// occurrences of its original in the crawl's originals (as written, less its
/// own expected swaps, plus the swaps that restore it), smoothed toward
/// its built-in weight. Sorted by spun phrase, then weight (highest
/// first), then original.
pub fn estimate(
    expected: &Expected,
    counts: &PhraseCounts,
    base: &[Dictionary],
    smoothing: &Smoothing,
) -> Vec<LearnedEdge> {
    let mut restored: FxHashMap<&str, f64> = FxHashMap::default();
    let mut replaced: FxHashMap<&str, f64> = FxHashMap::default();
    for (spun, by) in &expected.swaps {
        for (original, p) in by {
            *restored.entry(original).or_default() += p;
            *replaced.entry(spun).or_default() += p;
        }
    }
    let mut edges = Vec::new();
    let spun_phrases: BTreeMap<&String, &FxHashMap<String, f64>> = expected.swaps.iter().collect();
    for (spun, by) in spun_phrases {
        let swaps_of_spun = replaced[spun.as_str()];
        if swaps_of_spun < LEAST_SWAPS {
            continue;
        }
        let Some(candidates) = base.iter().find_map(|d| d.lookup(spun)) else {
            continue;
        };
        let spun_count = expected.occurrences.get(spun).copied().unwrap_or(0);
        let swap_rate = swaps_of_spun / spun_count.max(1) as f64;
        let mut seen = FxHashSet::default();
        let start = edges.len();
        for candidate in candidates {
            let key = normalize_key(candidate.original);
            if key == *spun || !seen.insert(key.clone()) {
                continue;
            }
            let swaps = by.get(&key).copied().unwrap_or(0.0);
            let written = (counts.get(&key) as f64
                - replaced.get(key.as_str()).copied().unwrap_or(0.0))
            .max(0.0);
            let original_count = written + restored.get(key.as_str()).copied().unwrap_or(0.0);
            let p = (swaps + smoothing.prior * 10f64.powf(candidate.weight as f64))
                / (original_count + smoothing.prior);
            let p = if swaps >= smoothing.min_share * swaps_of_spun && p >= smoothing.min_image_rate
            {
                p
            } else {
                0.0
            };
            edges.push(LearnedEdge {
                spun: spun.clone(),
                original: candidate.original.to_string(),
                // Rounded as the CSV writes it, so that the CSV and the
                // compiled dictionary are the same model.
                weight: ((p.log10() * 1000.0).round() / 1000.0)
                    .min(0.0)
                    .max(candidate.weight as f64) as f32,
                prior_weight: candidate.weight,
                source: SOURCE.to_string(),
                confidence: candidate.confidence,
                swaps,
                spun_count,
                original_count,
                swap_rate,
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

/// The edges of the phrases with the evidence `smoothing` asks for to be
/// written into a dictionary: the others only carry the rounds, in which
/// an edge the built-in model thought unlikely may gather its evidence.
pub fn publishable(edges: Vec<LearnedEdge>, smoothing: &Smoothing) -> Vec<LearnedEdge> {
    edges
        .into_iter()
        .filter(|e| {
            e.swap_rate >= smoothing.min_swap_rate
                && e.swap_rate * e.spun_count as f64 >= smoothing.min_swaps
        })
        .collect()
}

/// `learned` with, unchanged, every built-in phrase of `base` that shares
/// a word with a learned phrase, sorted as [`estimate`] sorts.
///
/// The learned dictionary is consulted first, and a word one dictionary
/// matches is not offered to the next: without them, a learned "moment"
/// would hide the built-in "moment soon", and a learned "joint chiefs of
/// employees" the built-in "employees".
pub fn with_overlapping(mut learned: Vec<LearnedEdge>, base: &[Dictionary]) -> Vec<LearnedEdge> {
    let split = |phrase: &str| -> Vec<String> {
        phrase
            .split([' ', '-'])
            .filter(|w| !w.is_empty())
            .map(str::to_string)
            .collect()
    };
    let learned_phrases: FxHashSet<String> = learned.iter().map(|e| e.spun.clone()).collect();
    let learned_words: FxHashSet<String> = learned_phrases.iter().flat_map(|p| split(p)).collect();
    let mut carried: FxHashSet<String> = FxHashSet::default();
    for dict in base {
        dict.for_each_phrase(|key, candidates| {
            let words = split(key);
            // A phrase longer than the matcher reads is never matched.
            if words.len() > crate::dict::MAX_PHRASE_WORDS
                || learned_phrases.contains(key)
                || carried.contains(key)
                || !words.iter().any(|w| learned_words.contains(w))
            {
                return;
            }
            carried.insert(key.to_string());
            for c in candidates {
                learned.push(LearnedEdge {
                    spun: key.to_string(),
                    original: c.original.to_string(),
                    weight: c.weight,
                    prior_weight: c.weight,
                    source: c.source.to_string(),
                    confidence: c.confidence,
                    swaps: 0.0,
                    spun_count: 0,
                    original_count: 0.0,
                    swap_rate: 0.0,
                });
            }
        });
    }
    learned.sort_by(|a, b| {
        a.spun
            .cmp(&b.spun)
            .then_with(|| b.weight.total_cmp(&a.weight))
            .then_with(|| a.original.cmp(&b.original))
    });
    learned
}

/// The learned edges as weights for [`Expected::of_document`].
pub fn weights(edges: &[LearnedEdge]) -> Weights {
    edges
        .iter()
        .map(|e| ((e.spun.clone(), normalize_key(&e.original)), e.weight))
        .collect()
}

/// The learned edges as dictionary rows.
pub fn entries(edges: &[LearnedEdge]) -> Vec<Entry> {
    edges
        .iter()
        .map(|e| Entry {
            spun: e.spun.clone(),
            original: e.original.clone(),
            weight: e.weight,
            source: e.source.clone(),
            confidence: e.confidence,
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
    /// The most weigh, count and re-estimate rounds.
    pub iterations: usize,
    /// Documents weighed at once, each on its own thread.
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
    /// A pass over the crawl starts: weighing (round `round`, from 1) or
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
    pub documents: u64,
    /// The expected swaps in the crawl.
    pub swaps: f64,
    /// log10 of the crawl's likelihood relative to keeping every word,
    /// under the weights the round started from.
    pub log_likelihood: f64,
    /// Edges re-estimated, and how many changed since the last round.
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
    /// By group, as the built-in model judges the documents.
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
    let mut counts = PhraseCounts::default();
    let mut learned = Learned::default();
    let mut current = Weights::default();
    let mut all_edges = Vec::new();
    for round in 1..=options.iterations.max(1) {
        progress(Progress::Pass {
            round,
            counting: false,
        });
        let mut expected = Expected::default();
        let mut mixture: Vec<GroupMixture> = Vec::new();
        let mut docs = documents();
        let base = repairer.dictionaries();
        let _ = ordered_map(
            options.threads,
            || Ok::<_, ()>(docs.next()),
            |doc: Document| {
                let found =
                    Expected::of_document(base, repairer.language_model(), &current, &doc.text);
                // The mixture is the built-in model's view, once.
                let p = (round == 1).then(|| repairer.assess(&doc.text).spun_probability);
                (doc.group, doc.text.len(), found, p)
            },
            |(group, bytes, found, p)| {
                expected.merge(found);
                if let Some(p) = p {
                    if mixture.len() <= group {
                        mixture.resize(group + 1, GroupMixture::default());
                    }
                    let m = &mut mixture[group];
                    m.documents += 1;
                    m.spun += u64::from(p > 0.5);
                    m.probability += p;
                }
                progress(Progress::Document { bytes });
                Ok(())
            },
        );
        if round == 1 {
            learned.mixture = mixture;
        }
        let missing = counts.missing(expected.phrases(base, LEAST_SWAPS));
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
        let edges = estimate(&expected, &counts, base, &options.smoothing);
        let changed = changed_edges(&all_edges, &edges, options.tolerance);
        let summary = Round {
            round,
            documents: expected.documents,
            swaps: expected.repairs(),
            log_likelihood: expected.log_likelihood,
            edges: edges.len(),
            changed,
        };
        learned.rounds.push(summary);
        progress(Progress::Round(summary));
        current = weights(&edges);
        all_edges = edges;
        if changed == 0 {
            break;
        }
    }
    learned.edges = with_overlapping(
        publishable(all_edges, &options.smoothing),
        repairer.dictionaries(),
    );
    let repairer = if learned.edges.is_empty() {
        repairer
    } else {
        let dict = Dictionary::from_entries(&entries(&learned.edges), "learned dictionary")?;
        repairer.with_first_dictionary(dict)
    };
    Ok((repairer, learned))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{NgramModel, Settings};

    use crate::dict::test_entry as entry;

    /// A crawl whose spinner always writes "stated" for "said", and which
    /// uses "house" as news does.
    fn crawl() -> Vec<Document> {
        let who = [
            "The minister",
            "A spokesman",
            "The mayor",
            "Police",
            "The company",
        ];
        let what = [
            "the plan would go ahead",
            "no one was hurt",
            "talks would resume next week",
            "the house was empty",
            "prices would rise",
            "the report was wrong",
        ];
        let mut documents = Vec::new();
        for (i, w) in who.iter().enumerate() {
            for (j, t) in what.iter().enumerate() {
                let text = format!(
                    "{w} stated on Monday that {t}. Officials stated {t}, {w} stated later.\n"
                );
                documents.push(Document {
                    text: text.into_bytes(),
                    group: (i + j) % 2,
                });
            }
        }
        documents
    }

    fn repairer() -> Repairer {
        repairer_with(Settings::default())
    }

    fn repairer_with(settings: Settings) -> Repairer {
        let base = Dictionary::from_entries(
            &[entry("stated", "said", -3.0), entry("house", "home", -3.0)],
            "test dictionary",
        )
        .unwrap();
        Repairer::new(vec![base], Box::new(NgramModel::embedded()), settings)
    }

    fn learned(threads: usize) -> Learned {
        let documents = crawl();
        let options = Options {
            threads,
            ..Options::default()
        };
        learn(
            repairer(),
            || documents.clone().into_iter(),
            &options,
            |_| {},
        )
        .unwrap()
        .1
    }

    #[test]
    fn phrases_are_counted_within_runs_of_words() {
        let set = PhraseSet::new(["white house".to_string(), "house".to_string()]);
        let counts = set.count(b"The White House said. White\nHouse; the house, white. House");
        assert_eq!(counts["white house"], 2);
        // "house" inside "white house" counts too: occurrences, not parses.
        assert_eq!(counts["house"], 4);
    }

    /// Phrases are read as the decoder reads them, so that what is
    /// learned is what a repair can match: not across a spaced hyphen,
    /// and not inside an address.
    #[test]
    fn phrases_are_counted_where_the_decoder_matches_them() {
        let set = PhraseSet::new(["large-scale".to_string()]);
        let counts =
            set.count(b"large-scale cuts, large -scale cuts, https://example.com/large-scale");
        assert_eq!(counts["large-scale"], 1);
    }

    /// A phrase is weighed in the context the decoder scores it in: the
    /// words before it in its sentence, across a comma, as the language
    /// model has no punctuation.
    #[test]
    fn phrases_are_weighed_in_the_decoders_context() {
        let model = repairer();
        let weigh = |text: &[u8]| {
            let expected = Expected::of_document(
                model.dictionaries(),
                model.language_model(),
                &Weights::default(),
                text,
            );
            expected.swaps["stated"]["said"]
        };
        let with_commas = weigh(b"The minister, who stated it, left.");
        let without = weigh(b"The minister who stated it left.");
        assert!(with_commas > 0.0);
        assert_eq!(with_commas, without);
    }

    /// The spinner's habit is learned from the spun text alone: the edge
    /// the built-in model gave 1 in 1000 ends near certain, and a word
    /// the crawl uses as news does is left to the built-in model.
    #[test]
    fn a_crawl_wide_habit_is_learned_and_ordinary_words_are_not() {
        let learned = learned(1);
        let said = learned
            .edges
            .iter()
            .find(|e| e.spun == "stated" && e.original == "said")
            .expect("stated -> said is learned");
        assert!(said.weight > -1.0, "{said:?}");
        assert!(said.swap_rate > 0.5, "{said:?}");
        assert_eq!(said.spun_count, 90);
        assert!(learned.edges.iter().all(|e| e.spun != "house"));
        // The crawl's likelihood rises from round to round.
        let rounds = &learned.rounds;
        assert!(rounds.len() >= 2);
        assert!(rounds
            .windows(2)
            .all(|r| r[1].log_likelihood >= r[0].log_likelihood));
        // Both groups are reported, every document in one of them.
        assert_eq!(learned.mixture.len(), 2);
        assert_eq!(learned.mixture.iter().map(|m| m.documents).sum::<u64>(), 30);
    }

    /// An edge is learned where the crawl shows the spinner writing its
    /// spun word for a good share of the original's occurrences, not
    /// where the language model credits a spun word to a common word it
    /// favours: "utilization" for 5 of 200 "use"s keeps its built-in
    /// weight, "stated" for 50 of 60 "said"s is learned.
    #[test]
    fn an_image_of_a_sliver_of_its_original_is_not_learned() {
        let base = [Dictionary::from_entries(
            &[
                entry("stated", "said", -3.0),
                entry("utilization", "use", -3.0),
            ],
            "test dictionary",
        )
        .unwrap()];
        let mut expected = Expected::default();
        for (spun, original, swaps, written) in
            [("stated", "said", 50.0, 60), ("utilization", "use", 5.0, 6)]
        {
            expected
                .swaps
                .entry(spun.to_string())
                .or_default()
                .insert(original.to_string(), swaps);
            expected.occurrences.insert(spun.to_string(), written);
        }
        let counts = PhraseCounts {
            counts: [("said", 10), ("use", 195)]
                .into_iter()
                .map(|(p, n)| (p.to_string(), n))
                .collect(),
        };
        let weight = |smoothing: &Smoothing, spun: &str| {
            let edges = estimate(&expected, &counts, &base, smoothing);
            edges.iter().find(|e| e.spun == spun).unwrap().weight
        };
        let default = Smoothing::default();
        assert!(weight(&default, "stated") > -0.5);
        assert_eq!(weight(&default, "utilization"), -3.0);
        // Without the floor, the sliver would be learned.
        let floorless = Smoothing {
            min_image_rate: 0.0,
            ..default
        };
        assert!(weight(&floorless, "utilization") > -2.0);
    }

    /// The learned dictionary repairs what the built-in weights left
    /// alone in some contexts (at the edit penalty of a spun document: how sure the prior
    /// is that a short text is spun is its own matter).
    #[test]
    fn the_learned_dictionary_repairs_the_crawl() {
        let documents = crawl();
        let text = &documents[0].text;
        let spun = Settings {
            fixed_penalty: Some(1.0),
            ..Settings::default()
        };
        let before = repairer_with(spun).repair(text);
        let (adapted, _) = learn(
            repairer_with(spun),
            || documents.clone().into_iter(),
            &Options::default(),
            |_| {},
        )
        .unwrap();
        let after = adapted.repair(text);
        let saids = |edits: &[crate::Edit]| edits.iter().filter(|e| e.restored == "said").count();
        assert!(saids(&before) < 3, "{before:?}");
        assert_eq!(saids(&after), 3, "{after:?}");
    }

    /// A learned phrase does not hide the built-in phrases that share a
    /// word with it: they are carried into the learned dictionary as they
    /// are, and the others are left to the built-in one.
    #[test]
    fn built_in_phrases_sharing_a_word_are_carried() {
        let base = Dictionary::from_entries(
            &[
                entry("moment", "time", -2.0),
                entry("moment", "minute", -2.5),
                entry("moment soon", "minute", -0.5),
                entry("last moment", "last minute", -0.5),
                entry("stated", "said", -1.0),
            ],
            "base",
        )
        .unwrap();
        let learned = LearnedEdge {
            spun: "moment".into(),
            original: "time".into(),
            weight: -0.2,
            prior_weight: -2.0,
            source: SOURCE.into(),
            confidence: 0.0,
            swaps: 10.0,
            spun_count: 12,
            original_count: 11.0,
            swap_rate: 0.9,
        };
        let edges = with_overlapping(vec![learned], &[base]);
        let rows: Vec<(&str, &str, f32, &str)> = edges
            .iter()
            .map(|e| {
                (
                    e.spun.as_str(),
                    e.original.as_str(),
                    e.weight,
                    e.source.as_str(),
                )
            })
            .collect();
        assert_eq!(
            rows,
            [
                ("last moment", "last minute", -0.5, "test"),
                ("moment", "time", -0.2, SOURCE),
                ("moment soon", "minute", -0.5, "test"),
            ]
        );
    }

    #[test]
    fn learning_does_not_depend_on_the_threads() {
        let (one, two) = (learned(1), learned(2));
        assert_eq!(one.edges, two.edges);
        assert_eq!(one.rounds.len(), two.rounds.len());
    }
}
