//! The engine's fixed numbers, each with the reason for its value.
//!
//! What a user may change lives in [`Settings`](crate::Settings) and
//! [`Prior`](crate::prior::Prior), whose defaults are documented there (the
//! operating point chosen by cross-validation on the training pairs). What
//! is here is not a setting: each value is fixed by what it protects
//! (memory, speed, a probability's meaning) or by one measurement of the
//! spinner, and changing it changes the method. Keeping them together
//! lets a reader see every such number at once.

/// The default number of hypotheses kept per lattice position. Windows
/// rarely hold more than a few overlapping edges, so eight keeps every
/// reading that could win while bounding the search on pathological text.
pub const DEFAULT_BEAM: usize = 8;

/// How far (log10) an edge may fall short of paying for itself, with no
/// edit penalty and its neighbours as written, and still enter the lattice
/// (where a neighbouring repair might make it worthwhile).
///
/// Most edges that enter are thesaurus candidates (weights near -2.5)
/// that the search then never takes, and every one costs it time. 2.5 is
/// the smallest margin at which no development text is repaired
/// differently than with a wider one; below it repairs are lost.
///
/// The search takes the same view at a given penalty: a window none of
/// whose edges comes within this margin of paying for itself, penalty
/// included, keeps its words without a search.
pub const PRUNE_MARGIN: f32 = 2.5;

/// Most words a window grows to before it is closed at the next place no
/// edge spans. Text without sentence punctuation (lists, chat logs, word
/// salad) would otherwise make a chunk's whole run of matched words one
/// window, and the Viterbi arena, which keeps every hypothesis of a window
/// for the way back, would grow to hundreds of bytes per input byte.
/// Sentences this long are rare, so the cut costs ordinary text nothing;
/// where it falls, the next window sees the words before it as written.
pub const MAX_WINDOW_WORDS: usize = 64;

/// The most confidence a dictionary entry can claim that its phrase never
/// occurs in clean text: keeping such a phrase has likelihood at least
/// 1 - 0.999, so that an entry of confidence 1 still leaves the language
/// model a say between several candidates.
pub const MOST_CONFIDENCE: f32 = 0.999;

/// log10 of the chance that a spinner, swapping the word after "a"/"an"
/// for one that needs the other article, changes the article too: on the
/// training pairs it did so in 9 of 21 such swaps (the others read "an
/// settlement", "a individual"). A repair that changes the article back
/// pays it on top of its candidate's weight.
pub const ARTICLE_CHANGED_WITH_WORD_LOG10: f32 = -0.37;

/// Log-odds past which a document is certainly spun: a probability of
/// 0.9999, where what more evidence could add moves the edit penalty by
/// under a thousandth.
pub const CERTAIN_LOG_ODDS: f64 = 9.2;

/// The most evidence units one fingerprint repair counts for in the
/// document prior: a single phrase the language model finds a thousand
/// times likelier in its original form is strong evidence, but one topic
/// repeated is not proof, so no fingerprint alone can make a document
/// certain.
pub const FINGERPRINT_MOST_UNITS: f64 = 2.0;

/// The most words whose dictionary walks a thread keeps between texts.
/// A walk is about a hundred bytes per dictionary, so this bounds the memo
/// at a few megabytes per thread, while holding the words that recur from
/// article to article many times over (a day of news uses some tens of
/// thousands of distinct words, most of them rare).
pub const MOST_MEMOISED_WALKS: usize = 1 << 15;
