//! The noisy-channel decoder.
//!
//! For each sentence, unspin picks the reading T that maximises
//! log P_lm(T) + log P_channel(spun | T) (DESIGN.md section 2). Readings are
//! paths through a lattice over the sentence's words: at every word the path
//! may keep the word, or take a dictionary edge that replaces the words of a
//! matched phrase by one of its candidate originals, paying the candidate's
//! weight plus the edit penalty (less the entry's confidence share).
//! Keeping costs nothing, so the spun text stands unless the language model
//! prefers a repair by more than the penalty: that is the keep-bias that
//! leaves clean text alone.
//!
//! Only words near dictionary matches can change, so the lattice is built
//! only over *windows*: runs of matched words, merged when they are close
//! enough to share a trigram, plus two words of fixed context on each side.
//! Outside windows no language model query is made.
//!
//! Building the lattice ([`Decoder::lattice`]) does not depend on the edit
//! penalty, so a document is tokenized and matched once and then decoded at
//! as many penalties as needed ([`Decoder::decode`]): the probe pass of the
//! document prior and the repair pass share it.
//!
//! Speed (issue 5): news repeats its words, so what depends on a word alone
//! (its walk through each dictionary, its LM id: `Vocabulary`) or on a
//! dictionary entry alone (its candidates and their ids: `EntryCache`) is
//! worked out once per text; the lattice is a few flat arrays, filled
//! without allocating per sentence or window; and the language model is
//! asked through [`CachedModel`], whose table of recent answers serves most
//! of the decoder's repeated queries. Before a sentence's edges are scored,
//! every query that scoring will make is prefetched, so that the misses in
//! the model's tables overlap (while the memo misses often enough for that
//! to pay).
//!
//! Sentences end at sentence punctuation and line breaks, but not at a
//! line that wraps onto the next mid-sentence, before a lowercase word or
//! after one ([`crate::token::soft_line_break`]): hard-wrapped text keeps
//! its context, and its phrases match across the wrap.
//!
//! Invariants: edits are disjoint, sorted, and cover whole words; the output
//! depends only on the input and the model (ties go to the reading with
//! fewer edits, then to the earlier-found one).

use crate::article::{self, Article};
use crate::case::transfer_case;
use crate::dict::{
    normalize_word_into, AllowList, Candidate, Dictionary, MatchWord, PhraseMatch, WordWalk,
};
use crate::edit::Edit;
use crate::lm::{CachedModel, WordId, UNKNOWN};
use crate::token::{soft_line_break, Token, TokenKind, Tokens};
use rustc_hash::FxHashMap;
use std::ops::Range;

/// How far (log10) an edge may fall short of paying for itself, with no
/// edit penalty and its neighbours as written, and still enter the lattice
/// (where a neighbouring repair might make it worthwhile).
const PRUNE_MARGIN: f32 = 3.0;

/// Most words a window grows to before it is closed at the next place no
/// edge spans. Text without sentence punctuation (lists, chat logs, word
/// salad) would otherwise make a chunk's whole run of matched words one
/// window, and the Viterbi arena, which keeps every hypothesis of a window
/// for the way back, would grow to hundreds of bytes per input byte.
/// Sentences this long are rare, so the cut costs ordinary text nothing;
/// where it falls, the next window sees the words before it as written.
const MAX_WINDOW_WORDS: usize = 64;

/// The default number of hypotheses kept per lattice position.
pub const DEFAULT_BEAM: usize = 8;

/// What an edge pays on top of its candidate's weight (log10): the edit
/// penalty, less the entry's confidence share, and less a further share
/// for a candidate the document has already been repaired with.
#[derive(Debug, Clone, Copy)]
struct Penalty<'a> {
    edit: f32,
    /// By candidate index in the lattice: repaired elsewhere in the text.
    confirmed: &'a [bool],
    /// The share of the penalty a confirmed candidate is spared.
    confirmed_share: f32,
}

impl<'a> Penalty<'a> {
    /// The same penalty for every edge.
    fn flat(edit: f32) -> Penalty<'a> {
        Penalty {
            edit,
            confirmed: &[],
            confirmed_share: 0.0,
        }
    }

    /// What taking `r` costs: its weight less the penalty it pays.
    fn cost(&self, r: &Replacement) -> f32 {
        let mut penalty = self.edit * (1.0 - r.confidence);
        if self.confirmed.get(r.candidate as usize) == Some(&true) {
            penalty *= 1.0 - self.confirmed_share;
        }
        r.weight - penalty
    }
}

/// A word of the input: its byte span.
#[derive(Debug, Clone, Copy)]
struct Word {
    start: usize,
    end: usize,
}

/// A dictionary edge: replace words `start..end` (of its window) by a
/// candidate original.
///
/// Kept small (the lattice of a chunk holds some hundred thousand): the
/// candidate's text and source stay in the [`EntryCache`].
#[derive(Debug, Clone)]
struct Replacement {
    start: usize,
    end: usize,
    possessive: bool,
    /// The first word is the text's "a"/"an", which the candidate's first
    /// word needs to be this article instead ("an individual" -> "a
    /// person"); the candidate replaces the words after it.
    article: Option<Article>,
    /// The candidate's index in the [`EntryCache`]'s `candidates`.
    candidate: u32,
    weight: f32,
    /// Share of the edit penalty waived (the entry's confidence).
    confidence: f32,
    /// Where the language model's ids for the words of the candidate are
    /// in the [`EntryCache`]'s `ids`.
    ids: Range<u32>,
    /// How much more likely the language model finds the candidate's words
    /// than the text's own, with the text's own words around them (the
    /// fixed words after them included), worked out when the lattice is
    /// pruned. It is the whole score of a window with this one span.
    local_gain: f32,
}

impl Replacement {
    /// The ids of the candidate's words, out of the cache's `ids`.
    fn ids<'a>(&self, ids: &'a [WordId]) -> &'a [WordId] {
        &ids[self.ids.start as usize..self.ids.end as usize]
    }
}

/// Words of one sentence that may change together, with their context.
///
/// What it holds per word and its edges are ranges of the [`Lattice`]'s
/// arrays, so that building a window allocates nothing.
#[derive(Debug)]
struct Window {
    /// The window's words in the lattice's `spans` and `kept`.
    words: Range<usize>,
    /// The two words before the window (or the sentence start).
    context: [WordId; 2],
    /// The fixed words after the window whose scores depend on it.
    tail: Tail,
    /// The window's edges in the lattice's `replacements`, sorted by start
    /// word.
    replacements: Range<usize>,
}

/// The fixed words after a window: up to two, then the sentence end if it
/// is that close.
#[derive(Debug, Clone, Copy)]
struct Tail {
    ids: [WordId; 3],
    len: usize,
}

impl Tail {
    fn as_slice(&self) -> &[WordId] {
        &self.ids[..self.len]
    }
}

/// The penalty-independent part of decoding a text.
#[derive(Debug)]
pub struct Lattice<'d> {
    windows: Vec<Window>,
    /// Byte spans of the windows' words, window after window.
    spans: Vec<Word>,
    /// Language-model ids of the window words as spun.
    kept: Vec<WordId>,
    /// The windows' edges, window after window.
    replacements: Vec<Replacement>,
    /// The candidates the edges take and their words' LM ids.
    entries: EntryCache<'d>,
    /// How many words the text has.
    pub words: usize,
}

/// A window and its share of the lattice's arrays.
struct WindowView<'a, 'd> {
    words: &'a [Word],
    kept: &'a [WordId],
    context: [WordId; 2],
    tail: &'a [WordId],
    replacements: &'a [Replacement],
    /// The lattice's candidates: the replacements' `candidate` indexes it.
    candidates: &'a [CachedCandidate<'d>],
    /// The lattice's ids: the replacements' `ids` index it.
    ids: &'a [WordId],
}

impl<'d> Lattice<'d> {
    /// Window `index` and its share of the arrays.
    fn view(&self, index: usize) -> WindowView<'_, 'd> {
        let window = &self.windows[index];
        WindowView {
            words: &self.spans[window.words.clone()],
            kept: &self.kept[window.words.clone()],
            context: window.context,
            tail: window.tail.as_slice(),
            replacements: &self.replacements[window.replacements.clone()],
            candidates: &self.entries.candidates,
            ids: &self.entries.ids,
        }
    }
}

/// What one reading of a lattice takes.
#[derive(Debug, Default)]
struct Reading {
    /// Each window with edits: its index, how much better its reading is
    /// than the text, and its replacements' range of `taken`.
    windows: Vec<(usize, f32, Range<usize>)>,
    /// Indices of replacements within their window, in input order.
    taken: Vec<usize>,
}

impl Reading {
    fn push(&mut self, window: usize, gain: f32, taken: impl Iterator<Item = usize>) {
        let start = self.taken.len();
        self.taken.extend(taken);
        self.windows.push((window, gain, start..self.taken.len()));
    }
}

/// Buffers reused from window to window.
#[derive(Default)]
struct Scratch {
    arena: Vec<Hypothesis>,
    layers: Vec<Layer>,
    /// The replacements of the best reading, last first.
    chosen: Vec<usize>,
}

/// The hypotheses that reach one position, at most one per LM state.
///
/// A layer holds a few hypotheses (the beam keeps 8 of them going on), so
/// finding the one with the same state is a scan, cheaper than hashing.
#[derive(Default)]
struct Layer {
    /// Arena indices.
    hypotheses: Vec<usize>,
}

impl Layer {
    fn clear(&mut self) {
        self.hypotheses.clear();
    }

    /// Adds a hypothesis, keeping only the better one per LM state.
    fn push(&mut self, arena: &mut Vec<Hypothesis>, next: Hypothesis) {
        let same = self
            .hypotheses
            .iter_mut()
            .find(|at| arena[**at].context == next.context);
        match same {
            Some(at) => {
                if better(&next, &arena[*at]).is_gt() {
                    arena.push(next);
                    *at = arena.len() - 1;
                }
            }
            None => {
                arena.push(next);
                self.hypotheses.push(arena.len() - 1);
            }
        }
    }
}

/// One partial reading in a window.
#[derive(Clone, Copy)]
struct Hypothesis {
    score: f32,
    context: [WordId; 2],
    edits: u32,
    /// Arena index of the hypothesis this one extends.
    back: usize,
    /// The replacement taken to get here, or `None` for a kept word.
    via: Option<usize>,
}

const NO_BACK: usize = usize::MAX;

/// Everything the decoder needs.
pub struct Decoder<'m> {
    /// Dictionaries in priority order: a word matched by one dictionary is
    /// not offered to the ones after it.
    pub dictionaries: &'m [Dictionary],
    /// Phrases never to touch.
    pub allow: Option<&'m AllowList>,
    /// The language model, through a per-document cache.
    pub lm: &'m CachedModel<'m>,
    /// Most hypotheses kept per lattice position.
    pub beam: usize,
}

/// Every word of a text, normalised for matching, and where its sentences
/// end.
#[derive(Default)]
struct Words {
    spans: Vec<Word>,
    /// How each word joins the next (see [`MatchWord::joiner`]); `None` for
    /// the last word of a sentence.
    joiners: Vec<Option<u8>>,
    /// All normalised keys, one after the other.
    keys: String,
    key_ends: Vec<usize>,
    /// Index one past the last word of each sentence.
    sentence_ends: Vec<usize>,
}

impl Words {
    /// Reads the words and sentences of `input`.
    fn read(input: &[u8]) -> Words {
        // Words of English text average under six bytes with their space;
        // room for more costs only address space, not memory.
        let most_words = input.len() / 4 + 1;
        let mut words = Words {
            spans: Vec::with_capacity(most_words),
            joiners: Vec::with_capacity(most_words),
            keys: String::with_capacity(input.len()),
            key_ends: Vec::with_capacity(most_words),
            sentence_ends: Vec::new(),
        };
        // The tokens since the last word of the sentence: how many, and the
        // last of them.
        let mut gap: Option<(usize, Token)> = None;
        for token in Tokens::new(input) {
            if token.breaks_sentence(input) {
                words.end_sentence();
                gap = None;
                continue;
            }
            if token.kind != TokenKind::Word {
                if let Some((count, last)) = &mut gap {
                    *count += 1;
                    *last = token;
                }
                continue;
            }
            if let (Some((1, between)), Some(joiner)) = (gap, words.joiners.last_mut()) {
                *joiner = joins(input, between);
            }
            let text = std::str::from_utf8(token.bytes(input)).expect("words are valid UTF-8");
            normalize_word_into(text, &mut words.keys);
            words.key_ends.push(words.keys.len());
            words.spans.push(Word {
                start: token.start,
                end: token.end,
            });
            words.joiners.push(None);
            gap = Some((0, token));
        }
        words.end_sentence();
        words
    }

    /// Ends the sentence being read, unless it has no words.
    fn end_sentence(&mut self) {
        let start = self.sentence_ends.last().copied().unwrap_or(0);
        if self.spans.len() > start {
            self.sentence_ends.push(self.spans.len());
        }
    }

    /// The words as the dictionary matcher sees them.
    fn match_words(&self) -> Vec<MatchWord<'_>> {
        let mut start = 0;
        self.key_ends
            .iter()
            .zip(&self.joiners)
            .map(|(&end, &joiner)| {
                let key = &self.keys[start..end];
                start = end;
                MatchWord { key, joiner }
            })
            .collect()
    }
}

/// The distinct words of a text, so that what depends only on a word is
/// worked out once per text: its walk through each dictionary and its
/// language-model id. News repeats its words a lot ("the", "said", names),
/// and both cost more than finding the word in a hash map.
struct Vocabulary {
    /// Per dictionary, per distinct word, its [`Dictionary::first_word`].
    walks: Vec<Vec<WordWalk>>,
    /// Per distinct word, its language-model id once looked up.
    ids: Vec<Option<WordId>>,
}

impl Vocabulary {
    /// The vocabulary of the words `keys`, and the index of each word's
    /// distinct word in it.
    fn new(keys: &[MatchWord<'_>], dictionaries: &[Dictionary]) -> (Vocabulary, Vec<usize>) {
        let mut index: FxHashMap<&str, usize> = FxHashMap::default();
        let mut distinct = Vec::new();
        let of_word: Vec<usize> = keys
            .iter()
            .map(|word| {
                *index.entry(word.key).or_insert_with(|| {
                    distinct.push(word.key);
                    distinct.len() - 1
                })
            })
            .collect();
        let walks = dictionaries
            .iter()
            .map(|dict| distinct.iter().map(|key| dict.first_word(key)).collect())
            .collect();
        let vocabulary = Vocabulary {
            walks,
            ids: vec![None; distinct.len()],
        };
        (vocabulary, of_word)
    }
}

/// The candidates of the dictionary entries a text matches, read once per
/// text: a common spun word's entry has many candidates, and reading one
/// means parsing its record, checking its UTF-8 and finding the LM ids of
/// its words.
#[derive(Debug, Default)]
struct EntryCache<'d> {
    /// (dictionary index, [`PhraseMatch::entry`]) -> range of `candidates`.
    index: FxHashMap<(usize, u64), Range<usize>>,
    candidates: Vec<CachedCandidate<'d>>,
    /// The ids of the candidates' words, one candidate after the other,
    /// and those of possessive edges.
    ids: Vec<WordId>,
}

/// A candidate and what the decoder needs to know about it.
#[derive(Debug)]
struct CachedCandidate<'d> {
    candidate: Candidate<'d>,
    /// Its words' LM ids in [`EntryCache::ids`].
    ids: Range<usize>,
}

impl<'d> EntryCache<'d> {
    /// The range of `candidates` holding the candidates of match `m` of
    /// `dict`, the dictionary at index `which`.
    fn read(
        &mut self,
        which: usize,
        dict: &'d Dictionary,
        m: &PhraseMatch,
        lm: &CachedModel<'_>,
    ) -> Range<usize> {
        let key = (which, m.entry());
        if let Some(range) = self.index.get(&key) {
            return range.clone();
        }
        let first = self.candidates.len();
        for candidate in dict.candidates(m) {
            let at = self.ids.len();
            lm.phrase_ids(candidate.original, &mut self.ids);
            self.candidates.push(CachedCandidate {
                candidate,
                ids: at..self.ids.len(),
            });
        }
        let range = first..self.candidates.len();
        self.index.insert(key, range.clone());
        range
    }
}

/// Buffers for finding the edges of a sentence, reused from sentence to
/// sentence.
#[derive(Default)]
struct SentenceScratch {
    /// Per word: a dictionary of higher priority (or the allow list) has it.
    claimed: Vec<bool>,
    /// Per word: the allow list has it.
    protected: Vec<bool>,
    found: Vec<PhraseMatch>,
    /// The sentence's edges, sorted by start word.
    edges: Vec<Replacement>,
    /// Per word, its language-model id (only filled near edges).
    kept: Vec<WordId>,
}

impl<'m> Decoder<'m> {
    /// Repairs `input` at one edit penalty: [`Decoder::lattice`] then
    /// [`Decoder::decode`].
    pub fn repair(&self, input: &[u8], edit_penalty: f32) -> Vec<Edit> {
        self.decode(input, &self.lattice(input), edit_penalty)
    }

    /// Tokenizes `input`, finds every dictionary match and builds the
    /// windows to decode.
    pub fn lattice(&self, input: &[u8]) -> Lattice<'m> {
        let words = Words::read(input);
        let keys = words.match_words();
        let (mut vocabulary, distinct) = Vocabulary::new(&keys, self.dictionaries);
        // Sized for spun news, where most words are in windows, so that the
        // arrays seldom grow by copying; larger sizes (the edges are several
        // per window) cost more memory than they save time.
        let n = keys.len();
        let mut lattice = Lattice {
            windows: Vec::with_capacity(n / 4),
            spans: Vec::with_capacity(n),
            kept: Vec::with_capacity(n),
            replacements: Vec::with_capacity(n),
            entries: EntryCache::default(),
            words: n,
        };
        let mut scratch = SentenceScratch::default();
        let mut start = 0;
        for &end in &words.sentence_ends {
            let sentence = start..end;
            self.add_sentence(
                &keys[sentence.clone()],
                &words.spans[sentence.clone()],
                &distinct[sentence],
                &mut vocabulary,
                &mut scratch,
                &mut lattice,
            );
            start = end;
        }
        lattice
    }

    /// Adds the windows of one sentence, its words `keys` at `spans`, to
    /// the lattice. `distinct` are the words' indices in `vocabulary`.
    fn add_sentence(
        &self,
        keys: &[MatchWord<'_>],
        spans: &[Word],
        distinct: &[usize],
        vocabulary: &mut Vocabulary,
        scratch: &mut SentenceScratch,
        lattice: &mut Lattice<'m>,
    ) {
        self.replacements(keys, distinct, vocabulary, scratch, &mut lattice.entries);
        let SentenceScratch { edges, kept, .. } = scratch;
        let ids = &lattice.entries.ids;
        if edges.is_empty() {
            return;
        }
        let lm = self.lm;
        // The language model sees only the words of edges and the two on
        // either side of each: look up just those.
        kept.clear();
        kept.resize(keys.len(), UNKNOWN);
        let mut looked_up = 0;
        for r in edges.iter() {
            let near = r.start.saturating_sub(2).max(looked_up)..(r.end + 2).min(keys.len());
            looked_up = looked_up.max(near.end);
            for i in near {
                let id = &mut vocabulary.ids[distinct[i]];
                kept[i] = *id.get_or_insert_with(|| lm.word_id(keys[i].key));
            }
        }
        let kept = &*kept;
        let context_at = |start: usize| match start {
            0 => [UNKNOWN, lm.sentence_start()],
            1 => [lm.sentence_start(), kept[0]],
            s => [kept[s - 2], kept[s - 1]],
        };
        let tail_after = |end: usize| {
            let tail_end = (end + 2).min(kept.len());
            let mut tail = Tail {
                ids: [UNKNOWN; 3],
                len: tail_end - end,
            };
            tail.ids[..tail.len].copy_from_slice(&kept[end..tail_end]);
            if tail_end == kept.len() {
                tail.ids[tail.len] = lm.sentence_end();
                tail.len += 1;
            }
            tail
        };
        // An edge that loses by a clear margin even with no edit penalty,
        // in the text's own context, is not worth a place in the lattice.
        // The edges of one match share their words, so what does not
        // depend on the candidate is worked out once per span.
        struct Span {
            words: Range<usize>,
            context: [WordId; 2],
            tail: Tail,
            /// The score of the words as they are, and of the tail after them.
            without: f32,
            without_tail: f32,
        }
        // Ask for every answer the pruning needs before any is used, so
        // that the model's cache misses overlap instead of coming one after
        // another (unless the memo answers nearly everything anyway).
        if lm.prefetch_pays() {
            let mut last_span = None;
            for r in edges.iter() {
                let context = context_at(r.start);
                let tail = tail_after(r.end);
                if last_span != Some((r.start, r.end)) {
                    last_span = Some((r.start, r.end));
                    self.prefetch_words(context, &kept[r.start..r.end], tail.as_slice());
                }
                self.prefetch_words(context, r.ids(ids), tail.as_slice());
            }
        }
        let mut span: Option<Span> = None;
        edges.retain_mut(|r| {
            let words = r.start..r.end;
            let span = match &mut span {
                Some(span) if span.words == words => span,
                _ => {
                    let (context, tail) = (context_at(r.start), tail_after(r.end));
                    let (without, kept_after) = self.score_words(context, &kept[words.clone()]);
                    span.insert(Span {
                        context,
                        tail,
                        without,
                        without_tail: self.score_words(kept_after, tail.as_slice()).0,
                        words,
                    })
                }
            };
            // The model cannot judge a word it does not know, so it cannot
            // say that replacing one is a repair ("ageing" -> "aging" would
            // gain as much as dropping the rarest word there is): such an
            // edge stands only on its entry's confidence.
            if r.confidence == 0.0 && kept[r.start..r.end].contains(&UNKNOWN) {
                return false;
            }
            let (with, after) = self.score_words(span.context, r.ids(ids));
            let gain = with + self.score_words(after, span.tail.as_slice()).0
                - span.without
                - span.without_tail;
            r.local_gain = gain;
            gain + r.weight > -PRUNE_MARGIN
        });
        let mut edges = edges.iter().peekable();
        while let Some(first) = edges.next() {
            // Gather the edges that share a trigram with this window, up to
            // MAX_WINDOW_WORDS words unless the next edge overlaps.
            let start = first.start;
            let mut end = first.end;
            let members = lattice.replacements.len();
            let mut member = |r: &Replacement| {
                let mut r = r.clone();
                r.start -= start;
                r.end -= start;
                lattice.replacements.push(r);
            };
            member(first);
            while let Some(next) = edges
                .next_if(|r| r.start < end + 2 && (r.start < end || end - start < MAX_WINDOW_WORDS))
            {
                end = end.max(next.end);
                member(next);
            }
            let words = lattice.spans.len()..lattice.spans.len() + (end - start);
            lattice.spans.extend_from_slice(&spans[start..end]);
            lattice.kept.extend_from_slice(&kept[start..end]);
            lattice.windows.push(Window {
                words,
                context: context_at(start),
                tail: tail_after(end),
                replacements: members..lattice.replacements.len(),
            });
        }
    }

    /// Finds every dictionary edge of the sentence `keys` and leaves them
    /// in `scratch.edges`, sorted by start word, without edges that touch
    /// an allowed phrase or a word that a dictionary of higher priority has
    /// an entry for; their candidates (and the ids of their words) in
    /// `entries`. `distinct` are the words' indices in `vocabulary`.
    fn replacements(
        &self,
        keys: &[MatchWord<'_>],
        distinct: &[usize],
        vocabulary: &Vocabulary,
        scratch: &mut SentenceScratch,
        entries: &mut EntryCache<'m>,
    ) {
        let SentenceScratch {
            claimed,
            protected,
            found,
            edges,
            ..
        } = scratch;
        edges.clear();
        protected.clear();
        protected.resize(keys.len(), false);
        if let Some(allow) = self.allow {
            allow.protect(keys, protected);
        }
        // Words no later dictionary may touch.
        claimed.clone_from(protected);
        let dictionaries = self.dictionaries.iter().zip(&vocabulary.walks);
        for (which, (dict, walks)) in dictionaries.enumerate() {
            found.clear();
            for start in 0..keys.len() {
                dict.matches_after(keys, start, &walks[distinct[start]], found);
            }
            found.retain(|m| !claimed[m.start..m.end].contains(&true));
            for m in found.iter() {
                claimed[m.start..m.end].iter_mut().for_each(|c| *c = true);
                let candidates = entries.read(which, dict, m, self.lm);
                for index in candidates {
                    let cached = &entries.candidates[index];
                    let candidate = &cached.candidate;
                    let mut ids = cached.ids.clone();
                    if m.possessive {
                        // The edge's own copy of the ids, with "'s" put back.
                        let possessive =
                            self.possessive_id(candidate.original, keys[m.end - 1].key);
                        let at = entries.ids.len();
                        entries.ids.extend_from_within(ids);
                        *entries.ids.last_mut().expect("a phrase has a word") = possessive;
                        ids = at..entries.ids.len();
                    }
                    let (weight, confidence) = (candidate.weight, candidate.confidence);
                    edges.push(Replacement {
                        start: m.start,
                        end: m.end,
                        possessive: m.possessive,
                        article: None,
                        candidate: u32::try_from(index).expect("fewer than 2^32 candidates"),
                        weight,
                        confidence,
                        ids: to_u32(ids.start)..to_u32(ids.end),
                        local_gain: 0.0,
                    });
                }
            }
        }
        self.agree_articles(keys, protected, edges, entries);
        // Stable: within a start word, higher-priority dictionaries first.
        // With one dictionary the edges come sorted already.
        if !edges.is_sorted_by_key(|r| r.start) {
            edges.sort_by_key(|r| r.start);
        }
    }

    /// Lets each edge right after "a"/"an" whose candidate needs the other
    /// article ("an individual" -> "person") cover the article and write
    /// the one its candidate needs ([`crate::article`]), paying the chance
    /// that the spinner changed the article along with the word.
    fn agree_articles(
        &self,
        keys: &[MatchWord<'_>],
        protected: &[bool],
        edges: &mut [Replacement],
        entries: &mut EntryCache<'_>,
    ) {
        for r in edges.iter_mut() {
            let original = entries.candidates[r.candidate as usize].candidate.original;
            let Some(article) = article_change(keys, protected, r.start, original) else {
                continue;
            };
            let at = entries.ids.len();
            entries.ids.push(self.lm.word_id(article.as_str()));
            entries
                .ids
                .extend_from_within(r.ids.start as usize..r.ids.end as usize);
            r.ids = to_u32(at)..to_u32(entries.ids.len());
            r.start -= 1;
            r.article = Some(article);
            r.weight += article::CHANGED_WITH_WORD_LOG10;
        }
    }

    /// The LM id of the last word of `original` for a possessive match of
    /// the text's `spun` ("individuals's"), in the form the text's word is
    /// scored in, so that the two readings differ only in their words:
    /// with "'s" put back when the model knows `spun` as it stands (the
    /// candidate's possessive then unknown if the model lacks it), else as
    /// the bare noun, which is how [`CachedModel::word_id`] reads an
    /// unknown possessive.
    fn possessive_id(&self, original: &str, spun: &str) -> WordId {
        let last = original.rsplit(' ').next().unwrap_or(original);
        let mut key = String::new();
        normalize_word_into(last, &mut key);
        if self.lm.exact_word_id(spun) != UNKNOWN {
            key.push_str("'s");
            self.lm.exact_word_id(&key)
        } else {
            self.lm.word_id(&key)
        }
    }

    /// Picks the best reading of every window and returns the edits, in
    /// input order.
    pub fn decode(&self, input: &[u8], lattice: &Lattice<'_>, edit_penalty: f32) -> Vec<Edit> {
        let reading = self.read(lattice, &Penalty::flat(edit_penalty), None);
        self.edits(lattice, &reading, |words, r, candidate, gain| {
            make_edit(input, words, r, candidate, gain)
        })
    }

    /// Like [`Decoder::decode`], then once more with every candidate that
    /// reading took spared `confirmed_share` of the penalty wherever else
    /// its phrase occurs in the text.
    ///
    /// A spinner rewrites a document with one thesaurus: once "workplace"
    /// has been read as "office" where the language model is sure of it,
    /// the other "workplace"s of the same text are more likely "office"
    /// too, even where the context alone is too weak to say so. The share
    /// is for the caller to set by how sure it is that the text is spun
    /// at all ([`Model::repair`](crate::Model::repair) uses the document
    /// prior's probability), so that a false alarm in clean text is not
    /// spread.
    pub fn decode_confirming(
        &self,
        input: &[u8],
        lattice: &Lattice<'_>,
        edit_penalty: f32,
        confirmed_share: f32,
    ) -> Vec<Edit> {
        let make = |words: &[Word], r: &Replacement, candidate: &Candidate<'_>, gain| {
            make_edit(input, words, r, candidate, gain)
        };
        let first = self.read(lattice, &Penalty::flat(edit_penalty), None);
        if first.windows.is_empty() || confirmed_share <= 0.0 {
            return self.edits(lattice, &first, make);
        }
        let mut confirmed = vec![false; lattice.entries.candidates.len()];
        for &(window, _, ref taken) in &first.windows {
            let replacements = &lattice.replacements[lattice.windows[window].replacements.clone()];
            for &index in &first.taken[taken.clone()] {
                confirmed[replacements[index].candidate as usize] = true;
            }
        }
        let penalty = Penalty {
            edit: edit_penalty,
            confirmed: &confirmed,
            confirmed_share,
        };
        let reading = self.read(lattice, &penalty, Some(&first));
        self.edits(lattice, &reading, make)
    }

    /// Like [`Decoder::decode`], for the document prior, which weighs only
    /// how many edits there are and their scores: the edits have their
    /// spans and scores but empty `spun`, `restored` and `source`, which
    /// saves working out the restored text's case.
    pub(crate) fn decode_scores(&self, lattice: &Lattice<'_>, edit_penalty: f32) -> Vec<Edit> {
        let reading = self.read(lattice, &Penalty::flat(edit_penalty), None);
        self.edits(lattice, &reading, |words, r, _, gain| {
            span_edit(words, r, gain)
        })
    }

    /// Decodes every window at `penalty`. Given an `earlier` reading at a
    /// flat penalty, a window keeps its earlier decision unless it has an
    /// edge of a confirmed candidate that reading did not take: cheaper
    /// edges it did take only make the same path better.
    fn read(
        &self,
        lattice: &Lattice<'_>,
        penalty: &Penalty<'_>,
        earlier: Option<&Reading>,
    ) -> Reading {
        let mut reading = Reading::default();
        let mut scratch = Scratch::default();
        let mut earlier_windows = earlier.map(|e| e.windows.iter().peekable());
        for index in 0..lattice.windows.len() {
            let window = lattice.view(index);
            if let (Some(earlier), Some(windows)) = (earlier, earlier_windows.as_mut()) {
                let before = windows.next_if(|w| w.0 == index);
                let taken = before.map_or(&[][..], |w| &earlier.taken[w.2.clone()]);
                let reconsider = window.replacements.iter().enumerate().any(|(i, r)| {
                    penalty.confirmed.get(r.candidate as usize) == Some(&true)
                        && !taken.contains(&i)
                });
                if !reconsider {
                    if let Some(&(_, gain, _)) = before {
                        reading.push(index, gain, taken.iter().copied());
                    }
                    continue;
                }
            }
            if let Some(gain) = self.decode_window(&window, penalty, &mut scratch) {
                reading.push(index, gain, scratch.chosen.iter().rev().copied());
            }
        }
        reading
    }

    /// Makes an edit of each replacement `reading` takes with
    /// `make(window words, replacement, candidate, window gain)`.
    fn edits(
        &self,
        lattice: &Lattice<'_>,
        reading: &Reading,
        mut make: impl FnMut(&[Word], &Replacement, &Candidate<'_>, f32) -> Edit,
    ) -> Vec<Edit> {
        let mut edits = Vec::with_capacity(reading.taken.len());
        for &(index, gain, ref taken) in &reading.windows {
            let window = lattice.view(index);
            for &i in &reading.taken[taken.clone()] {
                let r = &window.replacements[i];
                let candidate = &window.candidates[r.candidate as usize].candidate;
                edits.push(make(window.words, r, candidate, gain));
            }
        }
        edits
    }

    /// Prefetches the answers [`Decoder::score_words`] needs for `ids`
    /// and then `tail`, from `context`.
    fn prefetch_words(&self, mut context: [WordId; 2], ids: &[WordId], tail: &[WordId]) {
        for &id in ids.iter().chain(tail) {
            self.lm.prefetch(context, id);
            context = [context[1], id];
        }
    }

    fn score_words(&self, mut context: [WordId; 2], ids: &[WordId]) -> (f32, [WordId; 2]) {
        let mut score = 0.0;
        for &id in ids {
            score += self.lm.log10_prob(context, id);
            context = [context[1], id];
        }
        (score, context)
    }

    /// Picks the best reading of one window. Returns how much better it is
    /// than keeping the window as it is, with the replacements it takes in
    /// `scratch.chosen` (last first); `None` when it keeps the window.
    fn decode_window(
        &self,
        window: &WindowView<'_, '_>,
        penalty: &Penalty<'_>,
        scratch: &mut Scratch,
    ) -> Option<f32> {
        let len = window.kept.len();
        let Scratch {
            arena,
            layers,
            chosen,
        } = scratch;
        if window
            .replacements
            .iter()
            .all(|r| r.start == 0 && r.end == len)
        {
            // One span, so the readings are "keep" or one of its edges, each
            // already scored in this context when the lattice was pruned:
            // no language model query. Ties go as in the search below: to
            // keeping, then to the earlier edge.
            let mut best: Option<(usize, f32)> = None;
            for (index, r) in window.replacements.iter().enumerate() {
                let gain = r.local_gain + penalty.cost(r);
                if best.is_none_or(|(_, top)| gain > top) {
                    best = Some((index, gain));
                }
            }
            let (index, gain) = best.filter(|&(_, gain)| gain > 0.0)?;
            chosen.clear();
            chosen.push(index);
            return Some(gain);
        }
        arena.clear();
        arena.push(Hypothesis {
            score: 0.0,
            context: window.context,
            edits: 0,
            back: NO_BACK,
            via: None,
        });
        layers.iter_mut().for_each(Layer::clear);
        if layers.len() < len + 1 {
            layers.resize_with(len + 1, Layer::default);
        }
        layers[0].hypotheses.push(0);
        let beam = self.beam.max(1);
        for position in 0..len {
            // Edges only go forward, so this layer is complete: prune it.
            let mut layer = std::mem::take(&mut layers[position].hypotheses);
            layer.sort_by(|&a, &b| better(&arena[b], &arena[a]));
            layer.truncate(beam);
            let here = window.replacements.partition_point(|r| r.start < position)
                ..window.replacements.partition_point(|r| r.start <= position);
            for &from in &layer {
                let hypothesis = arena[from];
                let (gain, context) =
                    self.score_words(hypothesis.context, &window.kept[position..position + 1]);
                let next = Hypothesis {
                    score: hypothesis.score + gain,
                    context,
                    edits: hypothesis.edits,
                    back: from,
                    via: None,
                };
                layers[position + 1].push(arena, next);
                for (index, r) in window.replacements[here.clone()].iter().enumerate() {
                    let index = here.start + index;
                    let (gain, context) = self.score_words(hypothesis.context, r.ids(window.ids));
                    let cost = penalty.cost(r);
                    let next = Hypothesis {
                        score: hypothesis.score + gain + cost,
                        context,
                        edits: hypothesis.edits + 1,
                        back: from,
                        via: Some(index),
                    };
                    layers[r.end].push(arena, next);
                }
            }
            layers[position].hypotheses = layer;
        }
        // Finish every reading with the fixed words after the window.
        let total = |h: &Hypothesis| h.score + self.score_words(h.context, window.tail).0;
        let (best, best_total) = layers[len]
            .hypotheses
            .iter()
            .map(|&at| (at, total(&arena[at])))
            .reduce(|(a, sa), (b, sb)| {
                if sb > sa || (sb == sa && arena[b].edits < arena[a].edits) {
                    (b, sb)
                } else {
                    (a, sa)
                }
            })?;
        if arena[best].edits == 0 {
            return None;
        }
        let (keep_score, keep_context) = self.score_words(window.context, window.kept);
        let keep_total = keep_score + self.score_words(keep_context, window.tail).0;
        let gain = best_total - keep_total;

        chosen.clear();
        let mut at = best;
        while at != NO_BACK {
            if let Some(index) = arena[at].via {
                chosen.push(index);
            }
            at = arena[at].back;
        }
        Some(gain)
    }
}

/// The article to write before `original` where it replaces the words
/// from `start` on, when the text has "a" or "an" just before them (joined
/// by plain spaces, not on the allow list) and `original` needs the other.
fn article_change(
    keys: &[MatchWord<'_>],
    protected: &[bool],
    start: usize,
    original: &str,
) -> Option<Article> {
    let before = start.checked_sub(1)?;
    if protected[before] || keys[before].joiner != Some(b' ') {
        return None;
    }
    let written = Article::parse(keys[before].key)?;
    Article::before(original).filter(|&wanted| wanted != written)
}

/// An edit with the span and score of replacement `r` of `words` but no
/// text: for passes that only count or locate what they would change.
fn span_edit(words: &[Word], r: &Replacement, gain: f32) -> Edit {
    Edit {
        start: words[r.start].start,
        end: words[r.end - 1].end,
        spun: String::new(),
        restored: String::new(),
        score: gain,
        source: String::new(),
    }
}

/// The edit that applies replacement `r` to `words` of `input`.
fn make_edit(
    input: &[u8],
    words: &[Word],
    r: &Replacement,
    candidate: &Candidate<'_>,
    score: f32,
) -> Edit {
    let span_start = words[r.start].start;
    let span_end = words[r.end - 1].end;
    let spun = String::from_utf8_lossy(&input[span_start..span_end]).into_owned();
    let text = |word: &Word| std::str::from_utf8(&input[word.start..word.end]).unwrap_or("");
    // The new article, in the text's case, and what follows it as written.
    let mut restored = String::new();
    let first = match r.article {
        Some(article) => {
            let (written, next) = (&words[r.start], &words[r.start + 1]);
            restored = transfer_case(&[text(written)], article.as_str());
            restored.push_str(&String::from_utf8_lossy(&input[written.end..next.start]));
            r.start + 1
        }
        None => r.start,
    };
    let mut spun_words: Vec<&str> = words[first..r.end].iter().map(text).collect();
    let mut suffix = "";
    if r.possessive {
        let last = spun_words.last_mut().expect("a match has words");
        // The word ends in an apostrophe (one to three bytes) and "s".
        let cut = last
            .char_indices()
            .rev()
            .nth(1)
            .map_or(last.len(), |(i, _)| i);
        suffix = &last[cut..];
        *last = &last[..cut];
    }
    let gaps: Vec<&[u8]> = words[first..r.end]
        .windows(2)
        .map(|pair| &input[pair[0].end..pair[1].start])
        .collect();
    restored.push_str(&with_gaps(
        &transfer_case(&spun_words, candidate.original),
        &gaps,
    ));
    if spun.contains('’') {
        // The dictionary writes straight apostrophes; the text's style wins.
        restored = restored.replace('\'', "’");
    }
    restored.push_str(suffix);
    Edit {
        start: span_start,
        end: span_end,
        spun,
        restored,
        score,
        source: candidate.source.to_string(),
    }
}

/// `phrase` (words between single spaces) with the text's own whitespace
/// between its words: each of `gaps` (what separates the words of the
/// text's span) that is whitespace when the phrase has as many words as
/// the span, else single spaces but for the last, which keeps the span's
/// line break if it had one (a phrase wrapped onto two lines stays on two
/// lines when it has two words or more).
fn with_gaps(phrase: &str, gaps: &[&[u8]]) -> String {
    let parts: Vec<&str> = phrase.split(' ').collect();
    let line_break = gaps
        .iter()
        .find(|gap| gap.contains(&b'\n') || gap.contains(&b'\r'));
    let whitespace = |gap: &[u8]| std::str::from_utf8(gap).is_ok_and(|g| g.trim().is_empty());
    let gap_at = |i: usize| -> std::borrow::Cow<'_, str> {
        let gap = if parts.len() == gaps.len() + 1 && whitespace(gaps[i]) {
            Some(gaps[i])
        } else if i + 2 == parts.len() {
            line_break.copied()
        } else {
            None
        };
        gap.map_or(" ".into(), String::from_utf8_lossy)
    };
    let mut out = String::with_capacity(phrase.len() + 2);
    for (i, part) in parts.iter().enumerate() {
        if i > 0 {
            out.push_str(&gap_at(i - 1));
        }
        out.push_str(part);
    }
    out
}

/// `n` as a u32, for the compact indices of [`Replacement`].
fn to_u32(n: usize) -> u32 {
    u32::try_from(n).expect("a lattice holds fewer than 2^32 ids")
}

/// How a word joins the next one when the one token `between` them is all
/// that separates them, if a dictionary phrase may run across it.
fn joins(input: &[u8], between: Token) -> Option<u8> {
    match between.kind {
        TokenKind::Space => Some(b' '),
        TokenKind::Newline if soft_line_break(input, between.start, between.end) => Some(b' '),
        TokenKind::Punct if between.bytes(input) == b"-" => Some(b'-'),
        _ => None,
    }
}

/// Ordering for hypotheses: higher score first, then fewer edits.
fn better(a: &Hypothesis, b: &Hypothesis) -> std::cmp::Ordering {
    a.score
        .total_cmp(&b.score)
        .then_with(|| b.edits.cmp(&a.edits))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::dict::Entry;
    use crate::lm::{arpa, NgramModel};

    /// A model of a tiny world where people "said" things at "the house".
    const ARPA: &str = "\\data\\
ngram 1=14
ngram 2=9

\\1-grams:
-1.0\t<s>\t-0.5
-1.0\t</s>
-1.2\tthe\t-0.3
-2.0\thouse\t-0.3
-2.2\thome\t-0.3
-1.5\tsaid\t-0.3
-3.0\tstated\t-0.3
-1.8\tthey\t-0.3
-2.0\tpeople's\t-0.3
-1.3\ta\t-0.3
-2.0\tan\t-0.3
-2.5\tperson\t-0.3
-3.2\tindividual\t-0.3
-3.0\tadult\t-0.3

\\2-grams:
-0.3\tthe house\t-0.1
-1.5\tthe home\t-0.1
-0.2\tthey said\t-0.1
-1.8\tthey stated\t-0.1
-0.4\t<s> they\t-0.1
-0.3\tsaid </s>
-0.5\ta person\t-0.1
-1.5\tan individual\t-0.1
-1.0\tan adult\t-0.1

\\end\\
";

    /// Runs `test` with a decoder over the tiny model and a dictionary of
    /// `entries` (spun, original, weight).
    fn with_decoder<R>(entries: &[(&str, &str, f32)], test: impl FnOnce(&Decoder<'_>) -> R) -> R {
        let entries: Vec<Entry> = entries
            .iter()
            .map(|(spun, original, weight)| Entry {
                spun: spun.to_string(),
                original: original.to_string(),
                weight: *weight,
                source: "test".into(),
                confidence: 0.0,
            })
            .collect();
        let dicts = [Dictionary::from_entries(&entries, "test").unwrap()];
        let (bytes, _) = arpa::compile(ARPA.as_bytes(), "tiny").unwrap();
        let lm = NgramModel::from_bytes(&bytes, "tiny").unwrap();
        let lm = CachedModel::new(&lm);
        test(&Decoder {
            dictionaries: &dicts,
            allow: None,
            lm: &lm,
            beam: DEFAULT_BEAM,
        })
    }

    fn repaired(input: &str, entries: &[(&str, &str, f32)], penalty: f32) -> String {
        with_decoder(entries, |decoder| {
            let edits = decoder.repair(input.as_bytes(), penalty);
            String::from_utf8(crate::edit::apply(input.as_bytes(), &edits)).unwrap()
        })
    }

    #[test]
    fn repairs_when_the_language_model_prefers_the_original() {
        let dict = [("stated", "said", -0.5), ("home", "house", -0.5)];
        assert_eq!(repaired("They stated.", &dict, 0.5), "They said.");
        assert_eq!(
            repaired("at the home, they stated", &dict, 0.5),
            "at the house, they said"
        );
    }

    #[test]
    fn a_high_penalty_keeps_the_text() {
        let dict = [("stated", "said", -0.5)];
        assert_eq!(repaired("They stated.", &dict, 5.0), "They stated.");
    }

    #[test]
    fn keeps_text_the_language_model_prefers() {
        // "house" -> "home" is in the dictionary, but the LM prefers "house".
        let dict = [("house", "home", -0.1)];
        assert_eq!(repaired("the house", &dict, 0.0), "the house");
    }

    #[test]
    fn long_runs_without_punctuation_are_cut_into_bounded_windows() {
        let dict = [("stated", "said", -0.5), ("home", "house", -0.5)];
        with_decoder(&dict, |decoder| {
            let input = "they stated the home ".repeat(200);
            let lattice = decoder.lattice(input.as_bytes());
            assert!(lattice.windows.len() > 1);
            assert!(lattice
                .windows
                .iter()
                .all(|w| w.words.len() <= MAX_WINDOW_WORDS + 1));
            let edits = decoder.decode(input.as_bytes(), &lattice, 0.0);
            let repaired = String::from_utf8(crate::edit::apply(input.as_bytes(), &edits)).unwrap();
            assert_eq!(repaired, "they said the house ".repeat(200));
        });
    }

    #[test]
    fn case_possessive_and_apostrophe_style_come_from_the_text() {
        let dict = [("home", "house", -0.1), ("stated", "said", -0.5)];
        assert_eq!(repaired("Home’s", &dict, 0.0), "House’s");
        // The tiny model knows "people's" but not "house's": the readings
        // are compared as possessives, and the unknown one loses.
        let house = [("people", "house", 0.0)];
        assert_eq!(repaired("the People’s", &house, 0.0), "the People’s");
        assert_eq!(repaired("THEY STATED", &dict, 0.5), "THEY SAID");
    }

    #[test]
    fn a_repair_after_a_or_an_takes_the_article_its_word_needs() {
        let person = [("individual", "person", 0.0)];
        assert_eq!(
            repaired("they said an individual", &person, 0.0),
            "they said a person"
        );
        // The article keeps the text's case and what follows it as written.
        assert_eq!(
            repaired("They said An  individual", &person, 0.0),
            "They said A  person"
        );
        // Where the article already fits, only the word changes.
        let adult = [("individual", "adult", 0.0)];
        assert_eq!(
            repaired("they said an individual", &adult, 0.0),
            "they said an adult"
        );
    }

    #[test]
    fn a_confirmed_candidate_is_repaired_where_the_context_alone_is_too_weak() {
        // "they said" makes the first repair sure; at a sentence start the
        // language model alone does not pay for the second.
        let dict = [("stated", "said", -0.5)];
        let input = "They stated. Stated the house.";
        with_decoder(&dict, |decoder| {
            let lattice = decoder.lattice(input.as_bytes());
            let text = |edits: Vec<Edit>| {
                String::from_utf8(crate::edit::apply(input.as_bytes(), &edits)).unwrap()
            };
            let plain = decoder.decode(input.as_bytes(), &lattice, 1.5);
            assert_eq!(text(plain.clone()), "They said. Stated the house.");
            let confirming = decoder.decode_confirming(input.as_bytes(), &lattice, 1.5, 1.0);
            assert_eq!(text(confirming), "They said. Said the house.");
            let unshared = decoder.decode_confirming(input.as_bytes(), &lattice, 1.5, 0.0);
            assert_eq!(unshared, plain);
        });
        // Nothing to confirm: the weak case alone stays.
        with_decoder(&dict, |decoder| {
            let input = "Stated the house.";
            let lattice = decoder.lattice(input.as_bytes());
            assert!(decoder
                .decode_confirming(input.as_bytes(), &lattice, 1.5, 1.0)
                .is_empty());
        });
    }

    #[test]
    fn a_word_the_model_does_not_know_is_replaced_only_on_confidence() {
        // "statd" is not in the tiny model: dropping it would look like a
        // large gain to the language model, which cannot judge it.
        assert_eq!(
            repaired("They statd.", &[("statd", "said", 0.0)], 0.5),
            "They statd."
        );
        let confident = [Entry {
            spun: "statd".into(),
            original: "said".into(),
            weight: 0.0,
            source: "test".into(),
            confidence: 1.0,
        }];
        let dicts = [Dictionary::from_entries(&confident, "test").unwrap()];
        let (bytes, _) = arpa::compile(ARPA.as_bytes(), "tiny").unwrap();
        let lm = NgramModel::from_bytes(&bytes, "tiny").unwrap();
        let lm = CachedModel::new(&lm);
        let decoder = Decoder {
            dictionaries: &dicts,
            allow: None,
            lm: &lm,
            beam: DEFAULT_BEAM,
        };
        let input = b"They statd.";
        let edits = decoder.repair(input, 0.5);
        assert_eq!(crate::edit::apply(input, &edits), b"They said.");
    }

    /// A candidate the document was repaired with elsewhere is spared the
    /// share of the penalty; beyond a share of 1 it gains the rest.
    #[test]
    fn a_confirmed_candidate_pays_less_than_its_penalty() {
        let edge = |candidate| Replacement {
            start: 0,
            end: 1,
            possessive: false,
            article: None,
            candidate,
            weight: -1.0,
            confidence: 0.0,
            ids: 0..0,
            local_gain: 0.0,
        };
        let confirmed = [true, false];
        let cost = |share, candidate| {
            let penalty = Penalty {
                edit: 0.5,
                confirmed: &confirmed,
                confirmed_share: share,
            };
            penalty.cost(&edge(candidate))
        };
        assert_eq!(cost(0.0, 0), -1.5);
        assert_eq!(cost(1.0, 0), -1.0);
        assert_eq!(cost(1.5, 0), -0.75);
        assert_eq!(cost(1.5, 1), -1.5);
    }

    #[test]
    fn phrases_do_not_cross_sentence_breaks() {
        let dict = [("the home", "the house", -0.1)];
        assert_eq!(repaired("the. home", &dict, 0.0), "the. home");
        assert_eq!(repaired("the\n\nhome", &dict, 0.0), "the\n\nhome");
        assert_eq!(repaired("the.\nHome", &dict, 0.0), "the.\nHome");
        assert_eq!(repaired("THE\nHome", &dict, 0.0), "THE\nHome");
        assert_eq!(repaired("the home", &dict, 0.0), "the house");
    }

    /// A line wrapped inside a phrase (a lowercase word next) does not
    /// stop it, and the repair keeps the text's whitespace where it can.
    #[test]
    fn phrases_run_across_wrapped_lines_keeping_the_whitespace() {
        let dict = [("the home", "the house", -0.1)];
        assert_eq!(repaired("the\nhome", &dict, 0.0), "the\nhouse");
        assert_eq!(repaired("the \r\n  home", &dict, 0.0), "the \r\n  house");
        assert_eq!(repaired("the  home", &dict, 0.0), "the  house");
        // One word for two: the line break goes with the space.
        let dict = [("they stated", "said", -0.1)];
        assert_eq!(repaired("they\nstated", &dict, 0.0), "said");
    }

    #[test]
    fn edits_are_sorted_disjoint_and_deterministic() {
        let dict = [("stated", "said", -0.5), ("home", "house", -0.5)];
        with_decoder(&dict, |decoder| {
            let input = "They stated: the home. They stated the home they stated.".as_bytes();
            let lattice = decoder.lattice(input);
            assert_eq!(lattice.words, 10);
            let edits = decoder.decode(input, &lattice, 1.0);
            assert!(edits.len() >= 3, "{edits:?}");
            for pair in edits.windows(2) {
                assert!(pair[0].end <= pair[1].start);
            }
            assert_eq!(edits, decoder.repair(input, 1.0));
        });
    }
}
