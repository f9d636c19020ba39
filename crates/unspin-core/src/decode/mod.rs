//! The noisy-channel decoder.
//!
//! For each sentence, unspin picks the reading T that maximises
//! log P_lm(T) + log P_channel(spun | T) (DESIGN.md section 2). Readings are
//! paths through a lattice over the sentence's words: at every word the path
//! may keep the word, or take a dictionary edge that replaces the words of a
//! matched phrase by one of its candidate originals, paying the candidate's
//! weight plus the edit penalty (less the entry's confidence share). An
//! entry's confidence also makes keeping its spun phrase less likely
//! ([`keep_unlikelihood`]).
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
//! Speed: news repeats its words, so what depends on a word alone
//! (its walk through each dictionary, its LM id: `Vocabulary`) or on a
//! dictionary entry alone (its candidates and their ids: `EntryCache`, both
//! in `lattice`) is
//! worked out once per text, and the walks once per thread while they fit
//! its memo (`WalkMemo`); the lattice is a few flat arrays, filled
//! without allocating per sentence or window; and the language model is
//! asked through [`CachedModel`], whose table of recent answers serves most
//! of the decoder's repeated queries. Before a sentence's edges are scored,
//! every query that scoring will make and the recent answers lack is
//! prefetched, so that the misses in the model's tables overlap.
//!
//! Sentences end at sentence punctuation and line breaks, but not at a
//! line that wraps onto the next mid-sentence, before a lowercase word or
//! after one ([`crate::token::soft_line_break`]): hard-wrapped text keeps
//! its context, and its phrases match across the wrap.
//!
//! Invariants: edits are disjoint, sorted, and cover whole words; the output
//! depends only on the input and the model (ties go to the reading with
//! fewer edits, then to the earlier-found one).
//!
//! The parts, in the order a text goes through them: `lattice` finds the
//! edges and builds the windows, `search` picks each window's best reading
//! at a penalty, `restore` writes the edits that reading takes. This file
//! holds what they share (the edge, the window, the penalty) and the
//! [`Decoder`]'s entry points.

mod lattice;
mod restore;
mod search;

pub(crate) use lattice::for_each_sentence;
pub use lattice::Lattice;

use crate::article::Article;
use crate::cues::Cues;
use crate::dict::{AllowList, Candidate, Dictionary};
use crate::edit::Edit;
use crate::lm::{CachedModel, WordId, UNKNOWN};
use crate::prior::Fingerprint;
use crate::tuning::MOST_CONFIDENCE;
use restore::make_edit;
use search::Reading;
use std::ops::Range;

pub use crate::tuning::DEFAULT_BEAM;

/// How bold the repair pass over one document is: everything the document
/// prior's probability that it is spun sets.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Boldness {
    /// The edit penalty of a document surely spun.
    pub spun_penalty: f32,
    /// The edit penalty of a document surely clean.
    pub clean_penalty: f32,
    /// The probability that this document is spun.
    pub spun_probability: f32,
    /// The share of the penalty spared, wherever else its phrase occurs,
    /// for a candidate the first reading took
    /// ([`Decoder::decode_confirming`]).
    pub confirmed_share: f32,
    /// The share of each edge's keep cost that keeping its spun phrase
    /// costs (the cue weight of the phrase, [`crate::cues`]).
    pub keep_share: f32,
}

impl Boldness {
    /// The edit penalty of a document spun with probability `p`.
    pub fn penalty_at(&self, p: f32) -> f32 {
        p * self.spun_penalty + (1.0 - p) * self.clean_penalty
    }
}

/// What an edge pays on top of its candidate's weight (log10): the edit
/// penalty, less the entry's confidence share, and less a further share
/// for a candidate the document has already been repaired with.
#[derive(Debug, Clone, Copy)]
struct Penalty<'a> {
    edit: f32,
    /// The document's boldness, when the penalty comes from one: an entry
    /// more confident that its phrase is a spinner's than the prior is
    /// that the document is spun pays the penalty its own confidence
    /// would set.
    boldness: Option<Boldness>,
    /// By candidate index in the lattice: repaired elsewhere in the text.
    confirmed: &'a [bool],
    /// The share of the penalty a confirmed candidate is spared.
    confirmed_share: f32,
    /// The share of each edge's [`Replacement::keep_cost`] that keeping
    /// its spun phrase costs: how sure the caller is that the text is spun.
    keep_share: f32,
}

impl<'a> Penalty<'a> {
    /// The same penalty for every edge.
    fn flat(edit: f32) -> Penalty<'a> {
        Penalty {
            edit,
            boldness: None,
            confirmed: &[],
            confirmed_share: 0.0,
            keep_share: 0.0,
        }
    }

    /// The penalty of a document of this boldness, without confirmations.
    fn of(boldness: Boldness) -> Penalty<'a> {
        Penalty {
            edit: boldness.penalty_at(boldness.spun_probability),
            boldness: Some(boldness),
            confirmed: &[],
            confirmed_share: 0.0,
            keep_share: boldness.keep_share,
        }
    }

    /// What taking `r` costs: its weight less the penalty it pays.
    fn cost(&self, r: &Replacement) -> f32 {
        let edit = match self.boldness {
            Some(b) if r.confidence > b.spun_probability => b.penalty_at(r.confidence),
            _ => self.edit,
        };
        let mut penalty = edit * (1.0 - r.confidence);
        if self.confirmed.get(r.candidate as usize) == Some(&true) {
            penalty *= 1.0 - self.confirmed_share;
        }
        r.weight + self.keep_share * r.keep_cost - penalty
    }
}

/// How much less likely (log10) a spun phrase is as written than the
/// language model says, for a dictionary entry of `confidence`: the entry
/// is that sure the phrase never occurs in clean text, so keeping it has
/// likelihood 1 - `confidence` (at most 1000 to 1 against, so that an
/// entry of confidence 1 still leaves the model a say between several
/// candidates).
///
/// The language model alone cannot know this. A trigram model of news
/// finds "singular price decomposition" about as likely as "singular
/// value decomposition", and "help vector machines" more likely than
/// "support vector machines"; that a paper mill is nearly the only
/// writer of the former is what the tortured-phrase list says.
pub fn keep_unlikelihood(confidence: f32) -> f32 {
    -(1.0 - confidence.clamp(0.0, MOST_CONFIDENCE)).log10()
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
/// candidate's text and source stay in the [`EntryCache`](lattice::EntryCache).
#[derive(Debug, Clone)]
struct Replacement {
    start: usize,
    end: usize,
    possessive: bool,
    /// The first word is the text's "a"/"an", which the candidate's first
    /// word needs to be this article instead ("an individual" -> "a
    /// person"); the candidate replaces the words after it.
    article: Option<Article>,
    /// The candidate's index in the [`EntryCache`](lattice::EntryCache)'s `candidates`.
    candidate: u32,
    /// The candidate's weight, plus the [`keep_unlikelihood`] of its
    /// entry's confidence.
    weight: f32,
    /// Share of the edit penalty waived (the entry's confidence).
    confidence: f32,
    /// How much less likely (log10) the spun phrase is as an original than
    /// as a spinner's word, in a text that is surely spun: its cue weight
    /// ([`crate::cues`]), when above 0. The spinner writes "stated" where
    /// news says "said" 30 times as often, so in spun text a "stated" is
    /// seldom the writer's own.
    keep_cost: f32,
    /// Where the language model's ids for the words of the candidate are
    /// in the [`EntryCache`](lattice::EntryCache)'s `ids`.
    ids: Range<u32>,
    /// How much more likely the language model finds the candidate's words
    /// than the text's own, with the text's own words around them (the
    /// fixed words after them included), worked out when the lattice is
    /// pruned. It is the whole score of a window with this one span.
    local_gain: f32,
}

impl Replacement {
    /// Whether taking this edge is evidence of spinning on its own: it
    /// replaces several words, or its entry is at least `least_confidence`
    /// sure.
    fn is_fingerprint(&self, least_confidence: f32) -> bool {
        self.end - self.start > 1 || self.confidence >= least_confidence
    }

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
pub(crate) struct Tail {
    ids: [WordId; 3],
    len: usize,
}

impl Tail {
    /// The tail after the words before `end` of a sentence read as `kept`.
    pub(crate) fn after(kept: &[WordId], end: usize, lm: &CachedModel<'_>) -> Tail {
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
    }

    pub(crate) fn as_slice(&self) -> &[WordId] {
        &self.ids[..self.len]
    }
}

/// The two words before word `start` of a sentence read as `kept`, the
/// trigram context it is scored in (the sentence start stands in for
/// missing ones).
pub(crate) fn context_at(kept: &[WordId], start: usize, lm: &CachedModel<'_>) -> [WordId; 2] {
    match start {
        0 => [UNKNOWN, lm.sentence_start()],
        1 => [lm.sentence_start(), kept[0]],
        s => [kept[s - 2], kept[s - 1]],
    }
}

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
    /// The cue weights that set each spun phrase's keep cost.
    pub cues: &'m Cues,
}

impl<'m> Decoder<'m> {
    /// Repairs `input` at one edit penalty: [`Decoder::lattice`] then
    /// [`Decoder::decode`].
    pub fn repair(&self, input: &[u8], edit_penalty: f32) -> Vec<Edit> {
        self.decode(input, &self.lattice(input), edit_penalty)
    }

    /// Picks the best reading of every window and returns the edits, in
    /// input order.
    pub fn decode(&self, input: &[u8], lattice: &Lattice<'_>, edit_penalty: f32) -> Vec<Edit> {
        let reading = self.read(lattice, &Penalty::flat(edit_penalty), None);
        self.edits(lattice, &reading, |words, r, candidate, gain| {
            make_edit(input, words, r, candidate, gain)
        })
    }

    /// Decodes `input` at the penalty `boldness` sets, then once more with
    /// every candidate that reading took spared its `confirmed_share` of
    /// the penalty wherever else its phrase occurs in the text.
    ///
    /// A spinner rewrites a document with one thesaurus: once "workplace"
    /// has been read as "office" where the language model is sure of it,
    /// the other "workplace"s of the same text are more likely "office"
    /// too, even where the context alone is too weak to say so. The share
    /// is for the caller to set by how sure it is that the text is spun
    /// at all ([`Repairer::repair`](crate::Repairer::repair) uses the document
    /// prior's probability), so that a false alarm in clean text is not
    /// spread. Both passes charge keeping a spun phrase `keep_share` of its
    /// keep cost (again by how sure the caller is that the text is spun).
    pub fn decode_confirming(
        &self,
        input: &[u8],
        lattice: &Lattice<'_>,
        boldness: Boldness,
    ) -> Vec<Edit> {
        let make = |words: &[Word], r: &Replacement, candidate: &Candidate<'_>, gain| {
            make_edit(input, words, r, candidate, gain)
        };
        let first = self.read(lattice, &Penalty::of(boldness), None);
        if first.windows.is_empty() || boldness.confirmed_share <= 0.0 {
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
            confirmed: &confirmed,
            confirmed_share: boldness.confirmed_share,
            ..Penalty::of(boldness)
        };
        let reading = self.read(lattice, &penalty, Some(&first));
        self.edits(lattice, &reading, make)
    }

    /// The edits of the probe reading at `edit_penalty` that replace a
    /// phrase of several words, or come from an entry of at least
    /// `least_confidence`: the fingerprints the document prior counts beside the
    /// text's cues ("Joint Chiefs of Employees", a listed tortured phrase,
    /// a user's entry it is sure of). Their scores say how much likelier
    /// the language model finds the original than the phrase as written;
    /// each says how many words it drops and how sure its entry is, for
    /// the prior to weigh. A text where no such edge was matched is not
    /// decoded.
    pub fn decode_fingerprints(
        &self,
        input: &[u8],
        lattice: &Lattice<'_>,
        edit_penalty: f32,
        least_confidence: f32,
    ) -> Vec<Fingerprint> {
        // A window without a fingerprint edge can yield no fingerprint, and
        // windows are read independently: only the others are read.
        let fingerprint = |r: &Replacement| r.is_fingerprint(least_confidence);
        let reading = self.read_where(lattice, &Penalty::flat(edit_penalty), None, fingerprint);
        self.edits_where(
            lattice,
            &reading,
            fingerprint,
            |words, r, candidate, gain| Fingerprint {
                edit: make_edit(input, words, r, candidate, gain),
                dropped_words: (r.end - r.start).saturating_sub(r.ids.len()),
                confidence: r.confidence,
            },
        )
    }

    /// Makes an edit of each replacement `reading` takes with
    /// `make(window words, replacement, candidate, window gain)`.
    fn edits(
        &self,
        lattice: &Lattice<'_>,
        reading: &Reading,
        make: impl FnMut(&[Word], &Replacement, &Candidate<'_>, f32) -> Edit,
    ) -> Vec<Edit> {
        self.edits_where(lattice, reading, |_| true, make)
    }

    /// Like [`Decoder::edits`], for the replacements `wanted` accepts, and
    /// whatever `make` makes of them.
    fn edits_where<T>(
        &self,
        lattice: &Lattice<'_>,
        reading: &Reading,
        wanted: impl Fn(&Replacement) -> bool,
        mut make: impl FnMut(&[Word], &Replacement, &Candidate<'_>, f32) -> T,
    ) -> Vec<T> {
        let mut edits = Vec::with_capacity(reading.taken.len());
        for &(index, gain, ref taken) in &reading.windows {
            let window = lattice.view(index);
            for &i in &reading.taken[taken.clone()] {
                let r = &window.replacements[i];
                if !wanted(r) {
                    continue;
                }
                let candidate = &window.candidates[r.candidate as usize].candidate;
                edits.push(make(window.words, r, candidate, gain));
            }
        }
        edits
    }
}

/// `n` as a u32, for the compact indices of [`Replacement`].
fn to_u32(n: usize) -> u32 {
    u32::try_from(n).expect("a lattice holds fewer than 2^32 ids")
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
            .map(|&(spun, original, weight)| entry(spun, original, weight, 0.0))
            .collect();
        with_entries(&entries, test)
    }

    fn entry(spun: &str, original: &str, weight: f32, confidence: f32) -> Entry {
        Entry {
            confidence,
            ..crate::dict::test_entry(spun, original, weight)
        }
    }

    /// Runs `test` with a decoder over the tiny model and a dictionary of
    /// `entries`.
    fn with_entries<R>(entries: &[Entry], test: impl FnOnce(&Decoder<'_>) -> R) -> R {
        let dicts = [Dictionary::from_entries(entries, "test").unwrap()];
        let (bytes, _) = arpa::compile(ARPA.as_bytes(), "tiny").unwrap();
        let lm = NgramModel::from_bytes(&bytes, "tiny").unwrap();
        let lm = CachedModel::new(&lm);
        test(&Decoder {
            dictionaries: &dicts,
            allow: None,
            lm: &lm,
            beam: DEFAULT_BEAM,
            cues: Cues::embedded(),
        })
    }

    /// The same `penalty` whatever the document, sparing confirmed
    /// candidates `share` of it.
    fn flat(penalty: f32, share: f32) -> Boldness {
        Boldness {
            spun_penalty: penalty,
            clean_penalty: penalty,
            spun_probability: 0.0,
            confirmed_share: share,
            keep_share: 0.0,
        }
    }

    fn repaired(input: &str, entries: &[(&str, &str, f32)], penalty: f32) -> String {
        with_decoder(entries, |decoder| repaired_by(decoder, input, penalty))
    }

    /// `input` repaired at `penalty` with a dictionary of `entry` alone.
    fn repaired_with_entry(entry: Entry, input: &str, penalty: f32) -> String {
        with_entries(&[entry], |decoder| repaired_by(decoder, input, penalty))
    }

    fn repaired_by(decoder: &Decoder<'_>, input: &str, penalty: f32) -> String {
        let edits = decoder.repair(input.as_bytes(), penalty);
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
    fn word_walks_kept_between_texts_belong_to_their_dictionary() {
        // One thread reads "stated" with a dictionary that has no entry for
        // it, then with one that has: the walk kept from the first, which
        // found nothing, must not stand for the second's.
        let house = [("home", "house", -0.5)];
        assert_eq!(repaired("They stated.", &house, 0.5), "They stated.");
        let said = [("stated", "said", -0.5)];
        assert_eq!(repaired("They stated.", &said, 0.5), "They said.");
    }

    /// The lattice tallies the text's cues from the words it reads; the
    /// tally must be the one the text's own tokens give.
    #[test]
    fn the_lattice_tallies_the_cues_the_text_has() {
        with_decoder(&[("stated", "said", -0.5)], |decoder| {
            for text in [
                "Officials stated the regulation additionally covers 12 months in the past.",
                "It took 12. Months later\n\n12\n\nmonths",
                "It took 12\nmonths, buying and\nselling; twelve-months in the past",
                "It took 12, months later; 12-months, buying (and selling)",
                "He said: \"individuals stated it\" - 12 months in the  past!",
                "",
            ] {
                assert_eq!(
                    decoder.lattice(text.as_bytes()).cues,
                    decoder.cues.weigh(text.as_bytes()),
                    "{text:?}"
                );
            }
        });
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
                .all(|w| w.words.len() <= crate::tuning::MAX_WINDOW_WORDS + 1));
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
        // A plural possessive whose original is not plural: "'s". (The
        // tiny model knows neither word: the entry's confidence decides.)
        let sure = |original| entry("individuals", original, 0.0, 0.9);
        for (text, restored) in [
            ("the individuals' rights", "the people's rights"),
            ("the individuals’ rights", "the people’s rights"),
            ("THE INDIVIDUALS' RIGHTS", "THE PEOPLE'S RIGHTS"),
            // A quotation, not a possessive: the quote mark stays.
            ("the 'individuals' and", "the 'people' and"),
        ] {
            assert_eq!(repaired_with_entry(sure("people"), text, 0.5), restored);
        }
        assert_eq!(
            repaired_with_entry(sure("persons"), "the individuals' rights", 0.5),
            "the persons' rights"
        );
        // A number has no case: the sentence it opens gives one.
        let year = entry("12 months", "year", 0.0, 0.9);
        for (text, restored) in [
            ("It ended. 12 months later", "It ended. Year later"),
            ("12 months later", "Year later"),
            ("It ended \"12 months later", "It ended \"year later"),
            ("It ended. \"12 months later", "It ended. \"Year later"),
            ("(12 months later", "(Year later"),
            ("in the U.S. 12 months later", "in the U.S. year later"),
            ("at 3 p.m. 12 months later", "at 3 p.m. year later"),
            ("They waited 12 months.", "They waited year."),
        ] {
            assert_eq!(repaired_with_entry(year.clone(), text, 0.5), restored);
        }
    }

    /// Words of a web or e-mail address, or of code, name things:
    /// rewriting them breaks the link or the code, however spun they look.
    #[test]
    fn words_of_addresses_and_code_are_never_changed() {
        let dict = [("home", "house", -0.1), ("stated", "said", -0.5)];
        assert_eq!(repaired("they stated", &dict, 0.0), "they said");
        for text in [
            "they https://example.com/they-stated",
            "see www.the-home.com/stated now",
            "write to stated@the.home",
            "call `home.stated()` now",
            "```\nthey stated\n```\n",
        ] {
            assert_eq!(repaired(text, &dict, 0.0), text);
        }
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
            let confirming = decoder.decode_confirming(input.as_bytes(), &lattice, flat(1.5, 1.0));
            assert_eq!(text(confirming), "They said. Said the house.");
            let unshared = decoder.decode_confirming(input.as_bytes(), &lattice, flat(1.5, 0.0));
            assert_eq!(unshared, plain);
        });
        // Nothing to confirm: the weak case alone stays.
        with_decoder(&dict, |decoder| {
            let input = "Stated the house.";
            let lattice = decoder.lattice(input.as_bytes());
            assert!(decoder
                .decode_confirming(input.as_bytes(), &lattice, flat(1.5, 1.0))
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
        let confident = entry("statd", "said", 0.0, 1.0);
        assert_eq!(
            repaired_with_entry(confident, "They statd.", 0.5),
            "They said."
        );
    }

    /// A reading with a word the model does not know ("mansion" is not in
    /// the tiny model) is decided by the entry's confidence alone: never
    /// without one, however the model would score the unknown word, and
    /// with one as if the model were indifferent (it would otherwise
    /// score "mansion" as the rarest word there is, and keep "house").
    #[test]
    fn a_candidate_the_model_does_not_know_stands_on_confidence() {
        let repaired_with = |confidence| {
            repaired_with_entry(
                entry("house", "mansion", -0.1, confidence),
                "the house",
                0.0,
            )
        };
        assert_eq!(repaired_with(0.0), "the house");
        assert_eq!(repaired_with(0.5), "the mansion");
    }

    /// An entry's confidence that its spun phrase never occurs in clean
    /// text makes keeping the phrase that much less likely: the model
    /// prefers "the house" to "the home" by 1.2 (log10), which an entry 90%
    /// sure that "the house" is a spinner's does not overrule, and one 99%
    /// sure does.
    #[test]
    fn confidence_makes_keeping_the_spun_phrase_less_likely() {
        assert_eq!(keep_unlikelihood(0.0), 0.0);
        assert!((keep_unlikelihood(0.9) - 1.0).abs() < 1e-5);
        assert!((keep_unlikelihood(1.0) - 3.0).abs() < 1e-3);
        let repaired_with = |confidence| {
            repaired_with_entry(entry("house", "home", -0.1, confidence), "the house", 0.5)
        };
        assert_eq!(repaired_with(0.9), "the house");
        assert_eq!(repaired_with(0.99), "the home");
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
            keep_cost: 0.0,
        };
        let confirmed = [true, false];
        let cost = |share, candidate| {
            let penalty = Penalty {
                confirmed: &confirmed,
                confirmed_share: share,
                ..Penalty::flat(0.5)
            };
            penalty.cost(&edge(candidate))
        };
        assert_eq!(cost(0.0, 0), -1.5);
        assert_eq!(cost(1.0, 0), -1.0);
        assert_eq!(cost(1.5, 0), -0.75);
        assert_eq!(cost(1.5, 1), -1.5);
    }

    /// In a spun document, keeping a word the spinner writes far more
    /// often than clean text costs its cue weight, in proportion to how
    /// sure the prior is; an entry surer of itself than the prior is of
    /// the document pays the penalty its own confidence would set.
    #[test]
    fn keep_cost_and_confidence_follow_the_boldness() {
        let edge = |keep_cost, confidence| Replacement {
            start: 0,
            end: 1,
            possessive: false,
            article: None,
            candidate: 0,
            weight: -1.0,
            confidence,
            ids: 0..0,
            local_gain: 0.0,
            keep_cost,
        };
        let boldness = |p: f32| Boldness {
            spun_penalty: 1.0,
            clean_penalty: 8.0,
            spun_probability: p,
            confirmed_share: 0.0,
            keep_share: p,
        };
        let cost =
            |p, keep_cost, confidence| Penalty::of(boldness(p)).cost(&edge(keep_cost, confidence));
        // A document as likely spun as not: penalty 4.5.
        assert!((cost(0.5, 0.0, 0.0) - (-5.5)).abs() < 1e-5);
        assert!((cost(0.5, 0.8, 0.0) - (-5.1)).abs() < 1e-5);
        // An entry 90% sure: the penalty at 0.9 (1.7), a tenth of it paid.
        assert!((cost(0.5, 0.0, 0.9) - (-1.17)).abs() < 1e-5);
        // A document surer than the entry: the document's penalty.
        assert!((cost(0.95, 0.0, 0.9) - (-1.0 - 0.135)).abs() < 1e-5);
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
