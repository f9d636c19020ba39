//! Building the lattice: the penalty-independent half of decoding.
//!
//! A text is read into words and sentences ([`Words`]), each distinct word
//! walked through the dictionaries once ([`Vocabulary`], from the thread's
//! [`WalkMemo`] where an earlier text walked it), each matched
//! entry's candidates read once ([`EntryCache`]); then, sentence by
//! sentence, the edges are found, the ones that cannot pay for themselves
//! even with no edit penalty are dropped, and the rest grouped into
//! windows of words that may change together.
//!
//! Invariant: a window's edges lie inside it and are sorted by start word;
//! the language model is only asked about words of a window and the two
//! on either side.

use super::{context_at, keep_unlikelihood, to_u32, Decoder, Replacement, Tail, Window, Word};
use crate::article::{self, Article};
use crate::case::starts_uppercase;
use crate::cues::{Cues, Tally, Weighed};
use crate::dict::{self, Candidate, Dictionary, MatchWord, PhraseMatch, WordWalk};
use crate::key::normalize_word_into;
use crate::lm::{CachedModel, WordId, UNKNOWN};
use crate::token::{soft_line_break, verbatim_spans, Token, TokenKind, Tokens};
use crate::tuning::{MAX_WINDOW_WORDS, MOST_MEMOISED_WALKS, PRUNE_MARGIN};
use rustc_hash::FxHashMap;
use std::ops::Range;

/// The penalty-independent part of decoding a text.
#[derive(Debug)]
pub struct Lattice<'d> {
    pub(super) windows: Vec<Window>,
    /// Byte spans of the windows' words, window after window.
    pub(super) spans: Vec<Word>,
    /// Language-model ids of the window words as spun.
    pub(super) kept: Vec<WordId>,
    /// The windows' edges, window after window.
    pub(super) replacements: Vec<Replacement>,
    /// The candidates the edges take and their words' LM ids.
    pub(super) entries: EntryCache<'d>,
    /// How many words the text has.
    pub words: usize,
    /// What the text's cues add up to ([`Cues::weigh`]), tallied from the
    /// words read for the lattice.
    pub cues: Weighed,
}

/// A window and its share of the lattice's arrays.
pub(super) struct WindowView<'a, 'd> {
    pub(super) words: &'a [Word],
    pub(super) kept: &'a [WordId],
    pub(super) context: [WordId; 2],
    pub(super) tail: &'a [WordId],
    pub(super) replacements: &'a [Replacement],
    /// The lattice's candidates: the replacements' `candidate` indexes it.
    pub(super) candidates: &'a [CachedCandidate<'d>],
    /// The lattice's ids: the replacements' `ids` index it.
    pub(super) ids: &'a [WordId],
}

impl<'d> Lattice<'d> {
    /// Window `index` and its share of the arrays.
    pub(super) fn view(&self, index: usize) -> WindowView<'_, 'd> {
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
    /// Per word: it is part of an address or of code, which stays as
    /// written ([`verbatim_spans`]): no edit may touch it.
    verbatim: Vec<bool>,
    /// Per word: only spaces and line breaks within a sentence separate it
    /// from the word before, so a cue phrase may run on into it
    /// ([`Tally::word`]).
    cue_joined: Vec<bool>,
    /// Per word: it starts with a capital ([`MatchWord::capitalized`]).
    capitalized: Vec<bool>,
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
            verbatim: Vec::with_capacity(most_words),
            cue_joined: Vec::with_capacity(most_words),
            capitalized: Vec::with_capacity(most_words),
        };
        let verbatim = verbatim_spans(input);
        let mut verbatim = verbatim.iter().peekable();
        // The tokens since the last word of the sentence: how many, and the
        // last of them.
        let mut gap: Option<(usize, Token)> = None;
        // Whether a cue phrase may run on into the next word.
        let mut cue_run = false;
        for token in Tokens::new(input) {
            if token.breaks_sentence(input) {
                words.end_sentence();
                gap = None;
                cue_run = false;
                continue;
            }
            if token.kind != TokenKind::Word {
                if let Some((count, last)) = &mut gap {
                    *count += 1;
                    *last = token;
                }
                cue_run &= matches!(token.kind, TokenKind::Space | TokenKind::Newline);
                continue;
            }
            words.cue_joined.push(cue_run);
            cue_run = true;
            if let (Some((1, between)), Some(joiner)) = (gap, words.joiners.last_mut()) {
                *joiner = joins(input, between);
            }
            let text = std::str::from_utf8(token.bytes(input)).expect("words are valid UTF-8");
            words.capitalized.push(starts_uppercase(text));
            normalize_word_into(text, &mut words.keys);
            words.key_ends.push(words.keys.len());
            words.spans.push(Word {
                start: token.start,
                end: token.end,
            });
            while verbatim.next_if(|span| span.end <= token.start).is_some() {}
            words.verbatim.push(
                verbatim
                    .peek()
                    .is_some_and(|span| span.start <= token.start),
            );
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
            .zip(&self.capitalized)
            .map(|((&end, &joiner), &capitalized)| {
                let key = &self.keys[start..end];
                start = end;
                MatchWord {
                    key,
                    joiner,
                    capitalized,
                }
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
        let walks = WALKS.with_borrow_mut(|memo| memo.walks_of(&distinct, dictionaries));
        let vocabulary = Vocabulary {
            walks,
            ids: vec![None; distinct.len()],
        };
        (vocabulary, of_word)
    }
}

thread_local! {
    static WALKS: std::cell::RefCell<WalkMemo> = Default::default();
}

/// The dictionary walks of words, kept per thread between texts: a batch
/// of short articles brings mostly words the thread has walked before, and
/// a walk through the dictionary's FST costs more than finding the word in
/// a hash map. It holds the walks of one list of dictionaries (by their
/// [`Dictionary::identity`]), is emptied when another list asks, and is
/// emptied when it holds [`MOST_MEMOISED_WALKS`] words, which bounds its
/// memory.
#[derive(Default)]
struct WalkMemo {
    dictionaries: Vec<u64>,
    /// Word -> where its walks (one per dictionary) start in `walks`.
    index: FxHashMap<Box<str>, usize>,
    walks: Vec<WordWalk>,
}

impl WalkMemo {
    /// Per dictionary, the walk of each of `words`.
    fn walks_of(&mut self, words: &[&str], dictionaries: &[Dictionary]) -> Vec<Vec<WordWalk>> {
        let n = dictionaries.len();
        if !self
            .dictionaries
            .iter()
            .copied()
            .eq(dictionaries.iter().map(Dictionary::identity))
        {
            self.clear();
            self.dictionaries = dictionaries.iter().map(Dictionary::identity).collect();
        }
        let mut walks: Vec<Vec<WordWalk>> = vec![Vec::with_capacity(words.len()); n];
        for &word in words {
            if self.index.len() >= MOST_MEMOISED_WALKS {
                self.clear();
            }
            let at = match self.index.get(word) {
                Some(&at) => at,
                None => {
                    let at = self.walks.len();
                    self.walks
                        .extend(dictionaries.iter().map(|dict| dict.first_word(word)));
                    self.index.insert(word.into(), at);
                    at
                }
            };
            for (of_dict, walk) in walks.iter_mut().zip(&self.walks[at..at + n]) {
                of_dict.push(*walk);
            }
        }
        walks
    }

    fn clear(&mut self) {
        self.index.clear();
        self.walks.clear();
    }
}

/// The candidates of the dictionary entries a text matches, read once per
/// text: a common spun word's entry has many candidates, and reading one
/// means parsing its record, checking its UTF-8 and finding the LM ids of
/// its words.
#[derive(Debug, Default)]
pub(super) struct EntryCache<'d> {
    /// (dictionary index, [`PhraseMatch::entry`]) -> range of `candidates`.
    pub(super) index: FxHashMap<(usize, u64), Range<usize>>,
    pub(super) candidates: Vec<CachedCandidate<'d>>,
    /// The ids of the candidates' words, one candidate after the other,
    /// and those of possessive edges.
    pub(super) ids: Vec<WordId>,
    /// (dictionary index, entry) -> the keep cost of its spun phrase.
    keep_costs: FxHashMap<(usize, u64), f32>,
}

/// A candidate and what the decoder needs to know about it.
#[derive(Debug)]
pub(super) struct CachedCandidate<'d> {
    pub(super) candidate: Candidate<'d>,
    /// Its words' LM ids in [`EntryCache::ids`].
    pub(super) ids: Range<usize>,
    /// Whether its original is a name ([`Candidate::is_name`]): asked
    /// once per entry, not at every match of its spun phrase.
    name: bool,
}

impl<'d> EntryCache<'d> {
    /// The keep cost of the phrase `m` matched in `keys`: what its cue
    /// weight, or the positive cue weights of its words together, say
    /// against keeping it, whichever is more (an edge that replaces a
    /// phrase replaces its words too). Worked out once per entry.
    fn keep_cost(
        &mut self,
        which: usize,
        m: &PhraseMatch,
        keys: &[MatchWord<'_>],
        cues: &Cues,
    ) -> f32 {
        *self
            .keep_costs
            .entry((which, m.entry()))
            .or_insert_with(|| {
                let words = &keys[m.start..m.end];
                let of_words: f32 = words
                    .iter()
                    .map(|w| cues.weight(w.key).unwrap_or(0.0).max(0.0))
                    .sum();
                let phrase = words.iter().map(|w| w.key).collect::<Vec<_>>().join(" ");
                cues.weight(&phrase).unwrap_or(0.0).max(of_words)
            })
    }

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
                name: candidate.is_name(),
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
    /// Tokenizes `input`, finds every dictionary match and builds the
    /// windows to decode.
    pub fn lattice(&self, input: &[u8]) -> Lattice<'m> {
        let words = Words::read(input);
        let keys = words.match_words();
        let mut cues = Tally::new(self.cues);
        for (word, &joined) in keys.iter().zip(&words.cue_joined) {
            cues.word(word.key, joined);
        }
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
            cues: cues.finish(),
        };
        let mut scratch = SentenceScratch::default();
        let mut start = 0;
        for &end in &words.sentence_ends {
            let sentence = start..end;
            self.add_sentence(
                &keys[sentence.clone()],
                &words.verbatim[sentence.clone()],
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
    #[allow(clippy::too_many_arguments)]
    fn add_sentence(
        &self,
        keys: &[MatchWord<'_>],
        verbatim: &[bool],
        spans: &[Word],
        distinct: &[usize],
        vocabulary: &mut Vocabulary,
        scratch: &mut SentenceScratch,
        lattice: &mut Lattice<'m>,
    ) {
        self.replacements(
            keys,
            verbatim,
            distinct,
            vocabulary,
            scratch,
            &mut lattice.entries,
        );
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
        // The model cannot judge a reading with a word it does not know: it
        // would score the word as the rarest there is, for the repair if
        // the text has it ("ageing" -> "aging" would gain as much as
        // dropping that word) and against it if the candidate has it
        // ("multi-layer perceptron"). Such an edge stands on its entry's
        // confidence alone: without one it is dropped; with one the model
        // is asked about the text's own words in the candidate's place,
        // which leaves it indifferent.
        let silent = |r: &Replacement, ids: &[WordId]| {
            kept[r.start..r.end].contains(&UNKNOWN) || r.ids(ids).contains(&UNKNOWN)
        };
        let mut any_silent = false;
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
        // another.
        let mut last_span = None;
        for r in edges.iter() {
            let context = context_at(kept, r.start, lm);
            let tail = Tail::after(kept, r.end, lm);
            if last_span != Some((r.start, r.end)) {
                last_span = Some((r.start, r.end));
                self.prefetch_words(context, &kept[r.start..r.end], tail.as_slice());
            }
            self.prefetch_words(context, r.ids(ids), tail.as_slice());
        }
        let mut span: Option<Span> = None;
        edges.retain_mut(|r| {
            let words = r.start..r.end;
            let span = match &mut span {
                Some(span) if span.words == words => span,
                _ => {
                    let (context, tail) =
                        (context_at(kept, r.start, lm), Tail::after(kept, r.end, lm));
                    let (without, kept_after) = self.lm.score_words(context, &kept[words.clone()]);
                    span.insert(Span {
                        context,
                        tail,
                        without,
                        without_tail: self.lm.score_words(kept_after, tail.as_slice()).0,
                        words,
                    })
                }
            };
            if silent(r, ids) {
                r.local_gain = 0.0;
                any_silent |= r.confidence > 0.0;
                return r.confidence > 0.0;
            }
            let (with, after) = self.lm.score_words(span.context, r.ids(ids));
            let gain = with + self.lm.score_words(after, span.tail.as_slice()).0
                - span.without
                - span.without_tail;
            r.local_gain = gain;
            gain + r.weight > -PRUNE_MARGIN
        });
        if any_silent {
            let ids = &mut lattice.entries.ids;
            for r in edges.iter_mut() {
                if silent(r, ids) {
                    let at = ids.len();
                    ids.extend_from_slice(&kept[r.start..r.end]);
                    r.ids = to_u32(at)..to_u32(ids.len());
                }
            }
        }
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
                context: context_at(kept, start, lm),
                tail: Tail::after(kept, end, lm),
                replacements: members..lattice.replacements.len(),
            });
        }
    }

    /// Finds every dictionary edge of the sentence `keys` and leaves them
    /// in `scratch.edges`, sorted by start word, without edges that touch
    /// an allowed phrase, a word to keep verbatim (`verbatim`) or a word that a
    /// dictionary of higher priority has an entry for; their candidates
    /// (and the ids of their words) in `entries`. `distinct` are the words'
    /// indices in `vocabulary`.
    fn replacements(
        &self,
        keys: &[MatchWord<'_>],
        verbatim: &[bool],
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
        protected.extend_from_slice(verbatim);
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
            dict::claim(found, claimed);
            for m in found.iter() {
                let candidates = entries.read(which, dict, m, self.lm);
                let keep_cost = entries.keep_cost(which, m, keys, self.cues);
                for index in candidates {
                    let cached = &entries.candidates[index];
                    let candidate = &cached.candidate;
                    // Only a name can fail to fit the words as written.
                    if cached.name && !candidate.fits(&keys[m.start..m.end]) {
                        continue;
                    }
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
                    let confidence = candidate.confidence;
                    let weight = candidate.weight + keep_unlikelihood(confidence);
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
                        keep_cost,
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

    /// Prefetches the answers [`CachedModel::score_words`] needs for `ids`
    /// and then `tail`, from `context`.
    pub(super) fn prefetch_words(&self, mut context: [WordId; 2], ids: &[WordId], tail: &[WordId]) {
        for &id in ids.iter().chain(tail) {
            self.lm.prefetch(context, id);
            context = [context[1], id];
        }
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

/// Calls `visit` on each sentence of `input` as the decoder reads it: its
/// words as the dictionary matcher sees them (joined across a space, a
/// soft line break or a hyphen, [`joins`]), and per word whether it is
/// part of an address or code, which no edit may touch.
pub(crate) fn for_each_sentence(input: &[u8], mut visit: impl FnMut(&[MatchWord<'_>], &[bool])) {
    let words = Words::read(input);
    let keys = words.match_words();
    let mut start = 0;
    for &end in &words.sentence_ends {
        visit(&keys[start..end], &words.verbatim[start..end]);
        start = end;
    }
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
