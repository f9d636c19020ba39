//! The noisy-channel decoder.
//!
//! For each sentence, unspin picks the reading T that maximises
//! log P_lm(T) + log P_channel(spun | T) (DESIGN.md section 2). Readings are
//! paths through a lattice over the sentence's words: at every word the path
//! may keep the word, or take a dictionary edge that replaces the words of a
//! matched phrase by one of its candidate originals, paying the candidate's
//! weight plus the edit penalty (less the entry's confidence share).
//! Keeping costs nothing, so the spun text
//! stands unless the language model prefers a repair by more than the
//! penalty: that is the keep-bias that leaves clean text alone.
//!
//! Only words near dictionary matches can change, so the lattice is built
//! only over *windows*: runs of matched words, merged when they are close
//! enough to share a trigram, plus two words of fixed context on each side.
//! Outside windows no language model query is made.
//!
//! Invariants: edits are disjoint, sorted, and cover whole words; the output
//! depends only on the input and the model (ties go to the reading with
//! fewer edits, then to the earlier-found one).

use crate::case::transfer_case;
use crate::dict::{normalize_key, AllowList, Dictionary, MatchWord, PhraseMatch};
use crate::edit::Edit;
use crate::lm::{LanguageModel, WordId, UNKNOWN};
use crate::token::{tokenize, Token, TokenKind};

/// The default number of hypotheses kept per lattice position.
pub const DEFAULT_BEAM: usize = 32;

/// A word of the sentence being decoded.
struct Word {
    start: usize,
    end: usize,
}

/// A dictionary edge: replace words `start..end` by `original`.
struct Replacement<'d> {
    start: usize,
    end: usize,
    possessive: bool,
    original: &'d str,
    weight: f32,
    source: &'d str,
    /// Share of the edit penalty waived (the entry's confidence).
    confidence: f32,
}

/// Words `start..end` of a sentence and the replacements inside them.
struct Window<'r, 'd> {
    replacements: &'r [Replacement<'d>],
    start: usize,
    end: usize,
}

/// One partial reading in the lattice.
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
    /// Dictionaries in priority order: where two match the same words, only
    /// the first one's candidates are used.
    pub dictionaries: &'m [Dictionary],
    /// Phrases never to touch.
    pub allow: Option<&'m AllowList>,
    pub lm: &'m dyn LanguageModel,
    /// log10 cost added for each replaced phrase, on top of its weight.
    /// Larger means fewer, surer edits.
    pub edit_penalty: f32,
    /// Most hypotheses kept per lattice position.
    pub beam: usize,
}

/// What the decoder found in a text.
#[derive(Debug, Clone, PartialEq)]
pub struct Decoded {
    /// The repairs, sorted and disjoint.
    pub edits: Vec<Edit>,
    /// How many words the text has.
    pub words: usize,
}

impl Decoder<'_> {
    /// Finds the edits that repair `input`.
    pub fn repair(&self, input: &[u8]) -> Decoded {
        let mut word_count = 0;
        let tokens = tokenize(input);
        let mut edits = Vec::new();
        let mut words: Vec<Word> = Vec::new();
        let mut keys: Vec<MatchWord> = Vec::new();
        let mut last_word: Option<usize> = None;
        for (index, token) in tokens.iter().enumerate() {
            if token.breaks_sentence(input) {
                self.repair_sentence(input, &words, &keys, &mut edits);
                words.clear();
                keys.clear();
                last_word = None;
                continue;
            }
            if token.kind != TokenKind::Word {
                continue;
            }
            if let (Some(prev), Some(key)) = (last_word, keys.last_mut()) {
                key.joiner = joiner(input, &tokens[prev + 1..index]);
            }
            let text = std::str::from_utf8(token.bytes(input)).expect("words are valid UTF-8");
            keys.push(MatchWord {
                key: normalize_key(text),
                joiner: None,
            });
            words.push(Word {
                start: token.start,
                end: token.end,
            });
            last_word = Some(index);
            word_count += 1;
        }
        self.repair_sentence(input, &words, &keys, &mut edits);
        Decoded {
            edits,
            words: word_count,
        }
    }

    fn repair_sentence(
        &self,
        input: &[u8],
        words: &[Word],
        keys: &[MatchWord],
        edits: &mut Vec<Edit>,
    ) {
        if words.is_empty() {
            return;
        }
        let replacements = self.replacements(keys);
        if replacements.is_empty() {
            return;
        }
        let kept: Vec<WordId> = keys.iter().map(|k| self.lm.word_id(&k.key)).collect();
        // Group replacements into windows that do not share a trigram.
        let mut first = 0;
        while first < replacements.len() {
            let start = replacements[first].start;
            let mut end = replacements[first].end;
            let mut last = first + 1;
            while last < replacements.len() && replacements[last].start < end + 2 {
                end = end.max(replacements[last].end);
                last += 1;
            }
            let window = Window {
                replacements: &replacements[first..last],
                start,
                end,
            };
            self.decode_window(input, words, &kept, window, edits);
            first = last;
        }
    }

    /// Every dictionary edge of the sentence, sorted by start word, without
    /// edges that touch an allowed phrase or a word that a dictionary of
    /// higher priority has an entry for.
    fn replacements<'d>(&'d self, keys: &[MatchWord]) -> Vec<Replacement<'d>> {
        // Words no later dictionary may touch.
        let mut claimed = vec![false; keys.len()];
        if let Some(allow) = self.allow {
            allow.protect(keys, &mut claimed);
        }
        let mut found: Vec<PhraseMatch> = Vec::new();
        let mut out = Vec::new();
        for dict in self.dictionaries {
            found.clear();
            for start in 0..keys.len() {
                dict.matches_at(keys, start, &mut found);
            }
            found.retain(|m| !claimed[m.start..m.end].contains(&true));
            for m in &found {
                claimed[m.start..m.end].iter_mut().for_each(|c| *c = true);
                for candidate in dict.candidates(m) {
                    out.push(Replacement {
                        start: m.start,
                        end: m.end,
                        possessive: m.possessive,
                        original: candidate.original,
                        weight: candidate.weight,
                        source: candidate.source,
                        confidence: candidate.confidence,
                    });
                }
            }
        }
        // Stable: within a start word, higher-priority dictionaries first.
        out.sort_by_key(|r| r.start);
        out
    }

    fn lm_words(&self, original: &str, possessive: bool) -> Vec<WordId> {
        let mut ids: Vec<WordId> = Vec::new();
        let mut parts = original.split(' ').peekable();
        while let Some(part) = parts.next() {
            let mut key = normalize_key(part);
            if possessive && parts.peek().is_none() {
                key.push_str("'s");
            }
            ids.push(self.lm.word_id(&key));
        }
        ids
    }

    /// Picks the best reading of one window and appends its edits.
    fn decode_window(
        &self,
        input: &[u8],
        words: &[Word],
        kept: &[WordId],
        window: Window<'_, '_>,
        edits: &mut Vec<Edit>,
    ) {
        let lm = self.lm;
        let Window {
            replacements,
            start,
            end,
        } = window;
        let context = match start {
            0 => [UNKNOWN, lm.sentence_start()],
            1 => [lm.sentence_start(), kept[0]],
            s => [kept[s - 2], kept[s - 1]],
        };
        let tail_end = (end + 2).min(words.len());
        let mut tail: Vec<WordId> = kept[end..tail_end].to_vec();
        if tail_end == words.len() {
            tail.push(lm.sentence_end());
        }
        let score_words = |mut context: [WordId; 2], ids: &[WordId]| {
            let mut score = 0.0;
            for &id in ids {
                score += lm.log10_prob(context, id);
                context = [context[1], id];
            }
            (score, context)
        };
        let replacement_words: Vec<Vec<WordId>> = replacements
            .iter()
            .map(|r| self.lm_words(r.original, r.possessive))
            .collect();

        let mut arena: Vec<Hypothesis> = Vec::new();
        let mut layers: Vec<Vec<usize>> = vec![Vec::new(); end - start + 1];
        arena.push(Hypothesis {
            score: 0.0,
            context,
            edits: 0,
            back: NO_BACK,
            via: None,
        });
        layers[0].push(0);
        let beam = self.beam.max(1);
        for position in start..end {
            let mut layer = std::mem::take(&mut layers[position - start]);
            layer.sort_by(|&a, &b| better(&arena[b], &arena[a]));
            layer.truncate(beam);
            for &from in &layer {
                let hypothesis = arena[from];
                let (gain, context) =
                    score_words(hypothesis.context, &kept[position..position + 1]);
                let next = Hypothesis {
                    score: hypothesis.score + gain,
                    context,
                    edits: hypothesis.edits,
                    back: from,
                    via: None,
                };
                push(&mut arena, &mut layers[position + 1 - start], next);
                for (index, r) in replacements.iter().enumerate() {
                    if r.start != position {
                        continue;
                    }
                    let (gain, context) =
                        score_words(hypothesis.context, &replacement_words[index]);
                    let next = Hypothesis {
                        score: hypothesis.score + gain + r.weight
                            - self.edit_penalty * (1.0 - r.confidence),
                        context,
                        edits: hypothesis.edits + 1,
                        back: from,
                        via: Some(index),
                    };
                    push(&mut arena, &mut layers[r.end - start], next);
                }
            }
        }
        // Finish every reading with the fixed words after the window.
        let finals = std::mem::take(&mut layers[end - start]);
        let total = |h: &Hypothesis| h.score + score_words(h.context, &tail).0;
        let Some(best) = finals.iter().copied().reduce(|a, b| {
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
        let (keep_score, keep_context) = score_words(context, &kept[start..end]);
        let keep_total = keep_score + score_words(keep_context, &tail).0;
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
            edits.push(self.make_edit(input, words, &replacements[index], gain));
        }
    }

    fn make_edit(&self, input: &[u8], words: &[Word], r: &Replacement<'_>, score: f32) -> Edit {
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
}

/// How word `a` joins the next word across `gap` tokens, if a dictionary
/// phrase may run across it.
fn joiner(input: &[u8], gap: &[Token]) -> Option<u8> {
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

/// Adds a hypothesis to a layer, merging it with one in the same LM state.
fn push(arena: &mut Vec<Hypothesis>, layer: &mut Vec<usize>, next: Hypothesis) {
    if let Some(slot) = layer
        .iter_mut()
        .find(|i| arena[**i].context == next.context)
    {
        if better(&next, &arena[*slot]).is_gt() {
            arena.push(next);
            *slot = arena.len() - 1;
        }
        return;
    }
    arena.push(next);
    layer.push(arena.len() - 1);
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
        let decoder = Decoder {
            dictionaries: &dicts,
            allow: None,
            lm: &lm,
            edit_penalty: penalty,
            beam: 8,
        };
        let edits = decoder.repair(input.as_bytes()).edits;
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
        let decoder = Decoder {
            dictionaries: &dicts,
            allow: None,
            lm: &lm,
            edit_penalty: 1.0,
            beam: DEFAULT_BEAM,
        };
        let input = "They stated: the home. They stated the home they stated.".as_bytes();
        let decoded = decoder.repair(input);
        assert_eq!(decoded.words, 10);
        let edits = decoded.edits;
        assert!(edits.len() >= 3, "{edits:?}");
        for pair in edits.windows(2) {
            assert!(pair[0].end <= pair[1].start);
        }
        assert_eq!(edits, decoder.repair(input).edits);
    }
}
