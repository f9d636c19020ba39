//! The noisy-channel decoder.
//!
//! For each sentence, unspin picks the reading T that maximises
//! log P_lm(T) + log P_channel(spun | T) (DESIGN.md section 2). Readings are
//! paths through a lattice over the sentence's words: at every word the path
//! may keep the word, or take a dictionary edge that replaces the words of a
//! matched phrase by one of its candidate originals, paying the candidate's
//! weight plus the edit penalty (less the entry's confidence share).
//! Keeping a word costs nothing, unless the dictionary has a *keep row* for
//! it (a row whose original is the spun word itself): its weight is
//! log10 P(the spinner leaves the word as it is), and keeping the word pays
//! it, scaled by how sure the caller is that the text is spun (`keep_scale`).
//! Words the spinner nearly always replaces ("stated", "12 months") are then
//! cheaper to repair in a spun text, and no more so in a clean one. The spun
//! text stands unless the language model prefers a repair by more than the
//! penalty: that is the keep-bias that leaves clean text alone.
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
//! Invariants: edits are disjoint, sorted, and cover whole words; the output
//! depends only on the input and the model (ties go to the reading with
//! fewer edits, then to the earlier-found one).

use crate::case::transfer_case;
use crate::dict::{normalize_word_into, AllowList, Dictionary, MatchWord, PhraseMatch};
use crate::edit::Edit;
use crate::lm::{CachedModel, WordId, UNKNOWN};
use crate::token::{tokenize, Token, TokenKind};

/// How far (log10) an edge may fall short of paying for itself, with no
/// edit penalty and its neighbours as written, and still enter the lattice
/// (where a neighbouring repair might make it worthwhile).
const PRUNE_MARGIN: f32 = 3.0;

/// The default number of hypotheses kept per lattice position.
pub const DEFAULT_BEAM: usize = 8;

/// What repairing and keeping cost in one decoding pass (log10 units).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Costs {
    /// Paid by every repair, less the entry's confidence share: the
    /// keep-bias.
    pub edit_penalty: f32,
    /// How much of the keep weights keeping a word pays: 1 in a text that
    /// is surely spun, 0 in one that is surely clean.
    pub keep_scale: f32,
}

impl Costs {
    /// An edit penalty alone, no keep weights.
    pub fn penalty(edit_penalty: f32) -> Costs {
        Costs {
            edit_penalty,
            keep_scale: 0.0,
        }
    }
}

/// A word of the input: its byte span.
#[derive(Debug, Clone, Copy)]
struct Word {
    start: usize,
    end: usize,
}

/// A dictionary edge: replace words `start..end` (of its window) by `original`.
#[derive(Debug)]
struct Replacement<'d> {
    start: usize,
    end: usize,
    possessive: bool,
    original: &'d str,
    weight: f32,
    source: &'d str,
    /// Share of the edit penalty waived (the entry's confidence).
    confidence: f32,
    /// Where the language model's ids for the words of `original` are in
    /// the window's `ids`.
    ids: std::ops::Range<usize>,
}

/// Words of one sentence that may change together, with their context.
#[derive(Debug)]
struct Window<'d> {
    /// Byte spans of the window's words.
    words: Vec<Word>,
    /// log10 P(the spinner leaves the word as it is), per word (0: no keep row).
    keep_weights: Vec<f32>,
    /// Language-model ids of the window's words as spun.
    kept: Vec<WordId>,
    /// The two words before the window (or the sentence start).
    context: [WordId; 2],
    /// The fixed words after the window whose scores depend on it (up to
    /// two, then the sentence end if it is that close).
    tail: Vec<WordId>,
    /// Edges, sorted by start word.
    replacements: Vec<Replacement<'d>>,
    /// The replacements' words as language-model ids, one after the other.
    ids: Vec<WordId>,
}

/// The penalty-independent part of decoding a text.
#[derive(Debug)]
pub struct Lattice<'d> {
    windows: Vec<Window<'d>>,
    /// How many words the text has.
    pub words: usize,
}

/// Buffers reused from window to window.
#[derive(Default)]
struct Scratch {
    arena: Vec<Hypothesis>,
    layers: Vec<Layer>,
}

/// The hypotheses that reach one position, at most one per LM state.
#[derive(Default)]
struct Layer {
    /// Arena indices.
    hypotheses: Vec<usize>,
    /// LM state -> index into `hypotheses`.
    by_context: rustc_hash::FxHashMap<[WordId; 2], usize>,
}

impl Layer {
    fn clear(&mut self) {
        self.hypotheses.clear();
        self.by_context.clear();
    }

    /// Adds a hypothesis, keeping only the better one per LM state.
    fn push(&mut self, arena: &mut Vec<Hypothesis>, next: Hypothesis) {
        match self.by_context.entry(next.context) {
            std::collections::hash_map::Entry::Occupied(slot) => {
                let at = &mut self.hypotheses[*slot.get()];
                if better(&next, &arena[*at]).is_gt() {
                    arena.push(next);
                    *at = arena.len() - 1;
                }
            }
            std::collections::hash_map::Entry::Vacant(slot) => {
                slot.insert(self.hypotheses.len());
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

/// The words of the sentence being read, normalised for matching.
#[derive(Default)]
struct Sentence {
    words: Vec<Word>,
    joiners: Vec<Option<u8>>,
    /// All normalised keys, one after the other.
    keys: String,
    key_ends: Vec<usize>,
}

impl Sentence {
    fn clear(&mut self) {
        self.words.clear();
        self.joiners.clear();
        self.keys.clear();
        self.key_ends.clear();
    }

    fn push(&mut self, word: Word, text: &str) {
        normalize_word_into(text, &mut self.keys);
        self.key_ends.push(self.keys.len());
        self.words.push(word);
        self.joiners.push(None);
    }

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

impl<'m> Decoder<'m> {
    /// Repairs `input` at one edit penalty: [`Decoder::lattice`] then
    /// [`Decoder::decode`].
    pub fn repair(&self, input: &[u8], costs: Costs) -> Vec<Edit> {
        self.decode(input, &self.lattice(input), costs)
    }

    /// Tokenizes `input`, finds every dictionary match and builds the
    /// windows to decode.
    pub fn lattice(&self, input: &[u8]) -> Lattice<'m> {
        let tokens = tokenize(input);
        let mut lattice = Lattice {
            windows: Vec::new(),
            words: 0,
        };
        let mut sentence = Sentence::default();
        let mut last_word: Option<usize> = None;
        for (index, token) in tokens.iter().enumerate() {
            if token.breaks_sentence(input) {
                self.add_sentence(&sentence, &mut lattice);
                sentence.clear();
                last_word = None;
                continue;
            }
            if token.kind != TokenKind::Word {
                continue;
            }
            if let (Some(prev), Some(joiner)) = (last_word, sentence.joiners.last_mut()) {
                *joiner = joins(input, &tokens[prev + 1..index]);
            }
            let text = std::str::from_utf8(token.bytes(input)).expect("words are valid UTF-8");
            let word = Word {
                start: token.start,
                end: token.end,
            };
            sentence.push(word, text);
            last_word = Some(index);
            lattice.words += 1;
        }
        self.add_sentence(&sentence, &mut lattice);
        lattice
    }

    /// Adds the windows of one sentence to the lattice.
    fn add_sentence(&self, sentence: &Sentence, lattice: &mut Lattice<'m>) {
        if sentence.words.is_empty() {
            return;
        }
        let keys = sentence.match_words();
        let (replacements, ids, keep_weights) = self.replacements(&keys);
        if replacements.is_empty() {
            return;
        }
        let lm = self.lm;
        let kept: Vec<WordId> = keys.iter().map(|k| lm.word_id(k.key)).collect();
        let context_at = |start: usize| match start {
            0 => [UNKNOWN, lm.sentence_start()],
            1 => [lm.sentence_start(), kept[0]],
            s => [kept[s - 2], kept[s - 1]],
        };
        let tail_after = |end: usize| {
            let tail_end = (end + 2).min(kept.len());
            let mut tail = kept[end..tail_end].to_vec();
            if tail_end == kept.len() {
                tail.push(lm.sentence_end());
            }
            tail
        };
        // An edge that loses by a clear margin even with no edit penalty,
        // in the text's own context, is not worth a place in the lattice.
        let mut replacements = replacements;
        replacements.retain(|r| {
            let (context, tail) = (context_at(r.start), tail_after(r.end));
            let (with, after) = self.score_words(context, &ids[r.ids.clone()]);
            let (without, kept_after) = self.score_words(context, &kept[r.start..r.end]);
            // Keeping pays the keep weights in full: the most an edge can gain.
            let keep: f32 = keep_weights[r.start..r.end].iter().sum();
            let gain = with + self.score_words(after, &tail).0
                - without
                - self.score_words(kept_after, &tail).0;
            gain + r.weight - keep > -PRUNE_MARGIN
        });
        let mut replacements = replacements.into_iter().peekable();
        while let Some(first) = replacements.next() {
            // Gather the edges that share a trigram with this window.
            let start = first.start;
            let mut end = first.end;
            let mut members = vec![first];
            while let Some(next) = replacements.next_if(|r| r.start < end + 2) {
                end = end.max(next.end);
                members.push(next);
            }
            for r in &mut members {
                r.start -= start;
                r.end -= start;
            }
            let context = context_at(start);
            let tail = tail_after(end);
            // The window's own copy of its replacements' ids.
            let mut window_ids = Vec::new();
            for r in &mut members {
                let range = window_ids.len()..window_ids.len() + r.ids.len();
                window_ids.extend_from_slice(&ids[r.ids.clone()]);
                r.ids = range;
            }
            lattice.windows.push(Window {
                words: sentence.words[start..end].to_vec(),
                keep_weights: keep_weights[start..end].to_vec(),
                kept: kept[start..end].to_vec(),
                context,
                tail,
                replacements: members,
                ids: window_ids,
            });
        }
    }

    /// Every dictionary edge of the sentence, sorted by start word, without
    /// edges that touch an allowed phrase or a word that a dictionary of
    /// higher priority has an entry for; the ids of their words; and each
    /// word's keep weight (from a single-word keep row, else 0).
    fn replacements(
        &self,
        keys: &[MatchWord<'_>],
    ) -> (Vec<Replacement<'m>>, Vec<WordId>, Vec<f32>) {
        // Words no later dictionary may touch.
        let mut claimed = vec![false; keys.len()];
        if let Some(allow) = self.allow {
            allow.protect(keys, &mut claimed);
        }
        let mut found: Vec<PhraseMatch> = Vec::new();
        let mut out = Vec::new();
        let mut ids = Vec::new();
        let mut keep_weights = vec![0.0; keys.len()];
        let mut normalized = String::new();
        for dict in self.dictionaries {
            found.clear();
            for start in 0..keys.len() {
                dict.matches_at(keys, start, &mut found);
            }
            found.retain(|m| !claimed[m.start..m.end].contains(&true));
            for m in &found {
                claimed[m.start..m.end].iter_mut().for_each(|c| *c = true);
                for candidate in dict.candidates(m) {
                    if m.end - m.start == 1 {
                        normalized.clear();
                        normalize_word_into(candidate.original, &mut normalized);
                        if normalized == keys[m.start].key_stem(m.possessive) {
                            keep_weights[m.start] = candidate.weight.min(0.0);
                            continue;
                        }
                    }
                    let first = ids.len();
                    self.lm_words(candidate.original, m.possessive, &mut ids);
                    out.push(Replacement {
                        start: m.start,
                        end: m.end,
                        possessive: m.possessive,
                        original: candidate.original,
                        weight: candidate.weight,
                        source: candidate.source,
                        confidence: candidate.confidence,
                        ids: first..ids.len(),
                    });
                }
            }
        }
        // Stable: within a start word, higher-priority dictionaries first.
        out.sort_by_key(|r| r.start);
        (out, ids, keep_weights)
    }

    /// Appends the ids of the words of `original` to `ids`; a possessive
    /// match puts "'s" back on the last word.
    fn lm_words(&self, original: &str, possessive: bool, ids: &mut Vec<WordId>) {
        self.lm.phrase_ids(original, ids);
        if possessive {
            let last = original.rsplit(' ').next().unwrap_or(original);
            let mut key = String::new();
            normalize_word_into(last, &mut key);
            key.push_str("'s");
            *ids.last_mut().expect("a phrase has a word") = self.lm.word_id(&key);
        }
    }

    /// Picks the best reading of every window and returns the edits, in
    /// input order.
    pub fn decode(&self, input: &[u8], lattice: &Lattice<'_>, costs: Costs) -> Vec<Edit> {
        let mut edits = Vec::new();
        let mut scratch = Scratch::default();
        for window in &lattice.windows {
            self.decode_window(input, window, costs, &mut scratch, &mut edits);
        }
        edits
    }

    fn score_words(&self, mut context: [WordId; 2], ids: &[WordId]) -> (f32, [WordId; 2]) {
        let mut score = 0.0;
        for &id in ids {
            score += self.lm.log10_prob(context, id);
            context = [context[1], id];
        }
        (score, context)
    }

    /// Picks the best reading of one window and appends its edits.
    fn decode_window(
        &self,
        input: &[u8],
        window: &Window<'_>,
        costs: Costs,
        scratch: &mut Scratch,
        edits: &mut Vec<Edit>,
    ) {
        let len = window.kept.len();
        let Scratch { arena, layers } = scratch;
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
            for &from in &layer {
                let hypothesis = arena[from];
                let (gain, context) =
                    self.score_words(hypothesis.context, &window.kept[position..position + 1]);
                let keep = costs.keep_scale * window.keep_weights[position];
                let next = Hypothesis {
                    score: hypothesis.score + gain + keep,
                    context,
                    edits: hypothesis.edits,
                    back: from,
                    via: None,
                };
                layers[position + 1].push(arena, next);
                let here = window.replacements.partition_point(|r| r.start < position)
                    ..window.replacements.partition_point(|r| r.start <= position);
                for (index, r) in window.replacements[here.clone()].iter().enumerate() {
                    let index = here.start + index;
                    let ids = &window.ids[r.ids.clone()];
                    let (gain, context) = self.score_words(hypothesis.context, ids);
                    let cost = r.weight - costs.edit_penalty * (1.0 - r.confidence);
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
        let total = |h: &Hypothesis| h.score + self.score_words(h.context, &window.tail).0;
        let Some(best) = layers[len].hypotheses.iter().copied().reduce(|a, b| {
            let (ha, hb) = (&arena[a], &arena[b]);
            let (sa, sb) = (total(ha), total(hb));
            if sb > sa || (sb == sa && hb.edits < ha.edits) {
                b
            } else {
                a
            }
        }) else {
            return;
        };
        if arena[best].edits == 0 {
            return;
        }
        let (keep_score, keep_context) = self.score_words(window.context, &window.kept);
        let keep_weights: f32 = window.keep_weights.iter().sum();
        let keep_total = keep_score
            + costs.keep_scale * keep_weights
            + self.score_words(keep_context, &window.tail).0;
        let gain = total(&arena[best]) - keep_total;

        let mut chosen = Vec::new();
        let mut at = best;
        while at != NO_BACK {
            if let Some(index) = arena[at].via {
                chosen.push(index);
            }
            at = arena[at].back;
        }
        for &index in chosen.iter().rev() {
            edits.push(make_edit(
                input,
                &window.words,
                &window.replacements[index],
                gain,
            ));
        }
    }
}

/// The edit that applies replacement `r` to `words` of `input`.
fn make_edit(input: &[u8], words: &[Word], r: &Replacement<'_>, score: f32) -> Edit {
    let span_start = words[r.start].start;
    let span_end = words[r.end - 1].end;
    let spun = String::from_utf8_lossy(&input[span_start..span_end]).into_owned();
    let mut spun_words: Vec<&str> = words[r.start..r.end]
        .iter()
        .map(|w| std::str::from_utf8(&input[w.start..w.end]).unwrap_or(""))
        .collect();
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
    let mut restored = transfer_case(&spun_words, r.original);
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
        source: r.source.to_string(),
    }
}

/// How a word joins the next one across the `gap` tokens between them, if
/// a dictionary phrase may run across it.
fn joins(input: &[u8], gap: &[Token]) -> Option<u8> {
    match gap {
        [t] if t.kind == TokenKind::Space => Some(b' '),
        [t] if t.kind == TokenKind::Punct && t.bytes(input) == b"-" => Some(b'-'),
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
ngram 1=9
ngram 2=6

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

\\2-grams:
-0.3\tthe house\t-0.1
-1.5\tthe home\t-0.1
-0.2\tthey said\t-0.1
-1.8\tthey stated\t-0.1
-0.4\t<s> they\t-0.1
-0.3\tsaid </s>

\\end\\
";

    fn decoder_parts(entries: &[(&str, &str, f32)]) -> (Vec<Dictionary>, NgramModel) {
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
        let dict = Dictionary::from_entries(&entries, "test").unwrap();
        let (bytes, _) = arpa::compile(ARPA.as_bytes(), "tiny").unwrap();
        (vec![dict], NgramModel::from_bytes(&bytes, "tiny").unwrap())
    }

    fn repaired(input: &str, entries: &[(&str, &str, f32)], penalty: f32) -> String {
        let (dicts, lm) = decoder_parts(entries);
        let lm = CachedModel::new(&lm);
        let decoder = Decoder {
            dictionaries: &dicts,
            allow: None,
            lm: &lm,
            beam: 8,
        };
        let edits = decoder.repair(input.as_bytes(), Costs::penalty(penalty));
        String::from_utf8(crate::edit::apply(input.as_bytes(), &edits)).unwrap()
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
    fn keep_weights_make_repairs_cheaper_in_proportion_to_keep_scale() {
        // "the home" -> "the house" gains 1.2 in the LM but costs 2.0 at this
        // weight and penalty; a keep row of -1.0 for "home" tips it, but
        // only when keeping pays it.
        let (dicts, lm) = decoder_parts(&[("home", "house", -1.5), ("home", "home", -1.0)]);
        let lm = CachedModel::new(&lm);
        let decoder = Decoder {
            dictionaries: &dicts,
            allow: None,
            lm: &lm,
            beam: DEFAULT_BEAM,
        };
        let input = "the home".as_bytes();
        let at = |keep_scale| {
            let costs = Costs {
                edit_penalty: 0.5,
                keep_scale,
            };
            let edits = decoder.repair(input, costs);
            String::from_utf8(crate::edit::apply(input, &edits)).unwrap()
        };
        assert_eq!(at(0.0), "the home");
        assert_eq!(at(1.0), "the house");
    }

    #[test]
    fn case_possessive_and_apostrophe_style_come_from_the_text() {
        let dict = [("individuals", "people", -0.1), ("stated", "said", -0.5)];
        assert_eq!(repaired("Individuals’s", &dict, 0.0), "People’s");
        assert_eq!(repaired("THEY STATED", &dict, 0.5), "THEY SAID");
    }

    #[test]
    fn phrases_do_not_cross_sentence_breaks() {
        let dict = [("the home", "the house", -0.1)];
        assert_eq!(repaired("the. home", &dict, 0.0), "the. home");
        assert_eq!(repaired("the\nhome", &dict, 0.0), "the\nhome");
        assert_eq!(repaired("the home", &dict, 0.0), "the house");
    }

    #[test]
    fn edits_are_sorted_disjoint_and_deterministic() {
        let (dicts, lm) = decoder_parts(&[("stated", "said", -0.5), ("home", "house", -0.5)]);
        let lm = CachedModel::new(&lm);
        let decoder = Decoder {
            dictionaries: &dicts,
            allow: None,
            lm: &lm,
            beam: DEFAULT_BEAM,
        };
        let input = "They stated: the home. They stated the home they stated.".as_bytes();
        let lattice = decoder.lattice(input);
        assert_eq!(lattice.words, 10);
        let edits = decoder.decode(input, &lattice, Costs::penalty(1.0));
        assert!(edits.len() >= 3, "{edits:?}");
        for pair in edits.windows(2) {
            assert!(pair[0].end <= pair[1].start);
        }
        assert_eq!(edits, decoder.repair(input, Costs::penalty(1.0)));
    }
}
