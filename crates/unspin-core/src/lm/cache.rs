//! A memo of language-model answers, kept per thread across documents.
//!
//! The decoder asks about the same words and trigrams many times: every
//! hypothesis of a window re-scores the fixed words after it,
//! [`Repairer::repair`](crate::Repairer::repair) decodes each document more than
//! once (the probe for the prior, then the repair), and the words of a
//! text recur. Vocabulary lookups walk a hash table and sometimes the FST
//! (and a number or possessive the model lacks takes a second lookup), so
//! word ids are memoised by word, and dictionary candidates by whole
//! phrase ([`CachedModel::phrase_ids`]): a common spun word has up to a few
//! dozen candidate originals, each split into words, normalised and looked
//! up at every occurrence.
//!
//! Trigram answers go through a direct-mapped table of recent answers
//! and otherwise to the model: most repeated queries repeat one made a few
//! words earlier, and a slot compare is cheaper than any hash map. The
//! table is sized to the text ([`CachedModel::for_text`]), one slot per
//! byte between [`FEWEST_RECENT_SLOTS`] and [`MOST_RECENT_SLOTS`]: a text
//! asks about one trigram per byte or so, and in a long text the search of
//! a window asks again, long after, what the pruning of its edges asked.
//! A memo of every answer was tried: on real text its hash map, grown to
//! the text, misses the cache as often as the model's compact tables do,
//! so it cost time and tens of megabytes without saving a cache miss.
//! The cache passes prefetch hints on to the model
//! ([`CachedModel::prefetch`]), with one for the recent answer's own slot:
//! on real text the decoder waits on memory more than it computes, so it
//! announces its queries before it makes them.
//!
//! The memo lives in a thread-local slot between documents: a
//! [`CachedModel`] takes it on creation and puts it back when dropped. It
//! belongs to one language model (by [`LanguageModel::identity`]; it is
//! cleared when another one asks, and a model without an identity gets a
//! fresh memo per document) and is cleared when it grows past
//! [`MAX_ENTRIES`], which bounds its memory.

use super::{LanguageModel, WordId, UNKNOWN};
use crate::key::normalize_word_into;
use rustc_hash::FxHashMap;
use std::cell::{Cell, RefCell};

/// Most memoised words and phrases kept between documents.
pub const MAX_ENTRIES: usize = 1 << 18;

/// Fewest slots of the table of recent trigram answers (16 bytes each):
/// 256 KB, quick to clear for a short text.
pub const FEWEST_RECENT_SLOTS: usize = 1 << 14;

/// Most slots of the table of recent trigram answers: 4 MB, for a text of
/// 256 KB or more (the streaming chunk, [`crate::stream::DEFAULT_CHUNK_SIZE`]).
pub const MOST_RECENT_SLOTS: usize = 1 << 18;

/// A trigram and the model's answer for it: a slot of the table of recent
/// answers.
#[derive(Clone, Copy)]
struct Answer {
    key: [WordId; 3],
    /// NaN marks an empty slot (an answer that is NaN is never kept here).
    prob: f32,
}

/// A table of recent answers: a power of two of slots, all empty.
fn recent_table(slots: usize) -> Box<[Cell<Answer>]> {
    debug_assert!(slots.is_power_of_two());
    let empty = Answer {
        key: [0; 3],
        prob: f32::NAN,
    };
    vec![Cell::new(empty); slots].into()
}

/// The slot of `key` in a table of recent answers.
#[inline]
fn recent_slot(table: &[Cell<Answer>], key: [WordId; 3]) -> &Cell<Answer> {
    let hash = (key[0] as u64).wrapping_mul(0x9E37_79B9_7F4A_7C15)
        ^ (key[1] as u64).wrapping_mul(0xC2B2_AE3D_27D4_EB4F)
        ^ (key[2] as u64).wrapping_mul(0x1656_67B1_9E37_79F9);
    &table[(hash >> (64 - table.len().trailing_zeros())) as usize]
}

/// The number word a language model that spells numbers out (like the
/// Sphinx speech model) knows in place of digits: "1" -> "one", other
/// numbers ("12", "2,500", "3.5") -> "two", ordinals "1st" / "2nd" / "3rd"
/// -> "first" / "second" / "third" by their last digit ("21st" -> "first"),
/// others ("4th", "11th") -> "fourth".
///
/// Without it "12" is an unknown word, scored as the rarest there is, and
/// any repair that removes it looks like a large gain: "in 12 months" ->
/// "in year" in clean text. Read as "two months", the phrase is judged on
/// its words like any other.
fn number_stand_in(word: &str) -> Option<&'static str> {
    let digits = word.trim_end_matches(|c: char| c.is_ascii_alphabetic());
    let suffix = &word[digits.len()..];
    let numeric = digits.starts_with(|c: char| c.is_ascii_digit())
        && digits.ends_with(|c: char| c.is_ascii_digit())
        && digits
            .chars()
            .all(|c| c.is_ascii_digit() || c == ',' || c == '.');
    if !numeric {
        return None;
    }
    let last_two = digits
        .get(digits.len().saturating_sub(2)..)
        .unwrap_or(digits);
    let teen = last_two.len() == 2 && last_two.starts_with('1');
    match suffix {
        "" if digits == "1" => Some("one"),
        "" => Some("two"),
        "st" if digits.ends_with('1') && !teen => Some("first"),
        "nd" if digits.ends_with('2') && !teen => Some("second"),
        "rd" if digits.ends_with('3') && !teen => Some("third"),
        "th" => Some("fourth"),
        _ => None,
    }
}

struct Memo {
    /// Identity of the model the answers are from (0: none).
    owner: u64,
    ids: FxHashMap<String, WordId>,
    phrases: FxHashMap<Box<str>, Box<[WordId]>>,
    recent: Box<[Cell<Answer>]>,
}

impl Default for Memo {
    fn default() -> Memo {
        Memo {
            owner: 0,
            ids: FxHashMap::default(),
            phrases: FxHashMap::default(),
            recent: recent_table(FEWEST_RECENT_SLOTS),
        }
    }
}

impl Memo {
    fn len(&self) -> usize {
        self.ids.len() + self.phrases.len()
    }
}

thread_local! {
    /// Empty while a [`CachedModel`] of this thread holds the memo.
    static MEMO: RefCell<Option<Memo>> = const { RefCell::new(None) };
}

/// A language model with memoised answers (not shared between threads).
pub struct CachedModel<'m> {
    lm: &'m dyn LanguageModel,
    ids: RefCell<FxHashMap<String, WordId>>,
    phrases: RefCell<FxHashMap<Box<str>, Box<[WordId]>>>,
    recent: Box<[Cell<Answer>]>,
}

impl Drop for CachedModel<'_> {
    fn drop(&mut self) {
        let owner = self.lm.identity();
        if owner == 0 {
            return;
        }
        let mut memo = Memo {
            owner,
            ids: std::mem::take(self.ids.get_mut()),
            phrases: std::mem::take(self.phrases.get_mut()),
            recent: std::mem::take(&mut self.recent),
        };
        if memo.len() > MAX_ENTRIES {
            // The recent answers are as right as ever: keep them.
            memo = Memo {
                owner,
                ids: FxHashMap::default(),
                phrases: FxHashMap::default(),
                recent: memo.recent,
            };
        }
        // During thread teardown the slot may be gone; the memo is then dropped.
        let _ = MEMO.try_with(|slot| *slot.borrow_mut() = Some(memo));
    }
}

impl<'m> CachedModel<'m> {
    /// A cache over `lm` for a short text, starting from this thread's
    /// memo of it.
    pub fn new(lm: &'m dyn LanguageModel) -> CachedModel<'m> {
        CachedModel::for_text(lm, 0)
    }

    /// A cache over `lm` for a text of `bytes` bytes, starting from this
    /// thread's memo of it, with a table of recent answers at least the
    /// text's size (within its bounds).
    pub fn for_text(lm: &'m dyn LanguageModel, bytes: usize) -> CachedModel<'m> {
        // Taking the memo leaves the slot empty: a fresh one is made only
        // when there is none for this model (its table of recent answers
        // alone is 256 KB to allocate and clear).
        let memo = MEMO
            .try_with(|slot| slot.borrow_mut().take())
            .ok()
            .flatten()
            .filter(|memo| memo.owner != 0 && memo.owner == lm.identity())
            .unwrap_or_default();
        let mut recent = memo.recent;
        let wanted = bytes
            .checked_next_power_of_two()
            .unwrap_or(MOST_RECENT_SLOTS)
            .clamp(FEWEST_RECENT_SLOTS, MOST_RECENT_SLOTS);
        if recent.len() < wanted {
            recent = recent_table(wanted);
        }
        CachedModel {
            lm,
            ids: RefCell::new(memo.ids),
            phrases: RefCell::new(memo.phrases),
            recent,
        }
    }

    /// See [`LanguageModel::word_id`]. A number the model does not know
    /// is looked up as a number word (`number_stand_in`), an unknown
    /// possessive as its noun ("individuals's" as "individuals").
    pub fn word_id(&self, word: &str) -> WordId {
        if let Some(&id) = self.ids.borrow().get(word) {
            return id;
        }
        let mut id = self.lm.word_id(word);
        if id == UNKNOWN {
            if let Some(stand_in) = number_stand_in(word).or_else(|| word.strip_suffix("'s")) {
                id = self.lm.word_id(stand_in);
            }
        }
        self.ids.borrow_mut().insert(word.to_string(), id);
        id
    }

    /// The model's own id of `word`, [`UNKNOWN`] if it lacks the word,
    /// without the stand-ins of [`CachedModel::word_id`].
    pub fn exact_word_id(&self, word: &str) -> WordId {
        self.lm.word_id(word)
    }

    /// Appends to `ids` the ids of the words of `phrase`, a dictionary
    /// candidate: it is split at each space and every part normalised like
    /// a dictionary key (so two spaces in a row make an empty word).
    pub fn phrase_ids(&self, phrase: &str, ids: &mut Vec<WordId>) {
        if let Some(known) = self.phrases.borrow().get(phrase) {
            ids.extend_from_slice(known);
            return;
        }
        let first = ids.len();
        let mut key = String::new();
        for part in phrase.split(' ') {
            key.clear();
            normalize_word_into(part, &mut key);
            ids.push(self.word_id(&key));
        }
        let known = ids[first..].into();
        self.phrases.borrow_mut().insert(phrase.into(), known);
    }

    /// See [`LanguageModel::log10_prob`].
    ///
    /// Inlined into the decoder's loops: most calls are answered by the
    /// table of recent answers in a few instructions, less than the call.
    #[inline]
    pub fn log10_prob(&self, context: [WordId; 2], word: WordId) -> f32 {
        let key = [context[0], context[1], word];
        let slot = recent_slot(&self.recent, key);
        let seen = slot.get();
        if seen.key == key && !seen.prob.is_nan() {
            return seen.prob;
        }
        let p = self.lm.log10_prob(context, word);
        slot.set(Answer { key, prob: p });
        p
    }

    /// The log10 probability of the words `ids` after `context`, and the
    /// context they leave.
    #[inline]
    pub fn score_words(&self, mut context: [WordId; 2], ids: &[WordId]) -> (f32, [WordId; 2]) {
        let mut score = 0.0;
        for &id in ids {
            score += self.log10_prob(context, id);
            context = [context[1], id];
        }
        (score, context)
    }

    /// See [`LanguageModel::prefetch`]: fetches the answer's slot of the
    /// table of recent answers as well as what the model needs. Reading
    /// the slot to see whether the model will be asked at all would wait
    /// for it: the table is larger than the core's own cache.
    pub fn prefetch(&self, context: [WordId; 2], word: WordId) {
        let key = [context[0], context[1], word];
        super::prefetch_line(recent_slot(&self.recent, key));
        self.lm.prefetch(context, word);
    }

    /// See [`LanguageModel::sentence_start`].
    pub fn sentence_start(&self) -> WordId {
        self.lm.sentence_start()
    }

    /// See [`LanguageModel::sentence_end`].
    pub fn sentence_end(&self) -> WordId {
        self.lm.sentence_end()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::lm::{arpa, NgramModel};

    /// Two words, "cat" and "dog", and the bigram "cat dog".
    const CAT_DOG: &str = "\\data\\\nngram 1=4\nngram 2=1\n\\1-grams:\n-1\t<s>\t-0.2\n-1\t</s>\n-2\tcat\t-0.1\n-2.5\tdog\n\n\\2-grams:\n-0.5\tcat dog\n\n\\end\\\n";

    /// A model compiled from ARPA `text`.
    fn model(text: &str) -> NgramModel {
        let (bytes, _) = arpa::compile(text.as_bytes(), "t").unwrap();
        NgramModel::from_bytes(&bytes, "t").unwrap()
    }

    /// The recent answers and word ids of one model never answer for
    /// another: two models that differ in one score, asked in turn on one
    /// thread, each give their own.
    #[test]
    fn memo_follows_the_model_across_documents() {
        let one = "\\data\\\nngram 1=3\n\\1-grams:\n-1\t<s>\n-1\t</s>\n-2\tcat\n\n\\end\\\n";
        let two = one.replace("-2\tcat", "-3\tcat");
        let (a, b) = (model(one), model(&two));
        for _ in 0..2 {
            for lm in [&a, &b] {
                let cached = CachedModel::new(lm);
                let cat = cached.word_id("cat");
                let expected = lm.log10_prob([UNKNOWN, UNKNOWN], cat);
                assert_eq!(cached.log10_prob([UNKNOWN, UNKNOWN], cat), expected);
            }
        }
    }

    /// A long text gets a table of recent answers as large as it (within
    /// bounds), which the thread keeps for the texts after it; answers
    /// stay the model's whatever the table's size.
    #[test]
    fn the_table_of_recent_answers_grows_to_the_text_and_stays() {
        // A thread of its own, whose memo starts empty.
        std::thread::spawn(|| {
            let lm = model(CAT_DOG);
            let (cat, dog) = (lm.word_id("cat"), lm.word_id("dog"));
            let answers = |cached: &CachedModel<'_>| {
                for context in [[UNKNOWN, cat], [cat, dog], [UNKNOWN, UNKNOWN]] {
                    for word in [cat, dog, UNKNOWN] {
                        assert_eq!(
                            cached.log10_prob(context, word),
                            lm.log10_prob(context, word)
                        );
                    }
                }
            };
            let short = CachedModel::for_text(&lm, 1000);
            assert_eq!(short.recent.len(), FEWEST_RECENT_SLOTS);
            answers(&short);
            drop(short);
            let long = CachedModel::for_text(&lm, 100_000);
            assert_eq!(long.recent.len(), 1 << 17);
            answers(&long);
            drop(long);
            let huge = CachedModel::for_text(&lm, usize::MAX);
            assert_eq!(huge.recent.len(), MOST_RECENT_SLOTS);
            drop(huge);
            let next = CachedModel::new(&lm);
            assert_eq!(next.recent.len(), MOST_RECENT_SLOTS);
            answers(&next);
        })
        .join()
        .unwrap();
    }

    #[test]
    fn numbers_the_model_does_not_know_stand_in_as_number_words() {
        let arpa = "\\data\\\nngram 1=6\n\\1-grams:\n-1\t<s>\n-1\t</s>\n-2\tone\n-2\ttwo\n-2\tthird\n-2\t42\n\n\\end\\\n";
        let lm = model(arpa);
        let cached = CachedModel::new(&lm);
        let (one, two, third) = (lm.word_id("one"), lm.word_id("two"), lm.word_id("third"));
        assert_eq!(cached.word_id("1"), one);
        assert_eq!(cached.word_id("12"), two);
        assert_eq!(cached.word_id("2,500"), two);
        assert_eq!(cached.word_id("3rd"), third);
        // A number the model knows is its own word; "fourth" is unknown here.
        assert_eq!(cached.word_id("42"), lm.word_id("42"));
        assert_ne!(cached.word_id("42"), two);
        assert_eq!(cached.word_id("7th"), UNKNOWN);
        assert_eq!(cached.word_id("x12"), UNKNOWN);
        assert_eq!(cached.word_id("12x"), UNKNOWN);
        assert_eq!(number_stand_in("11th"), Some("fourth"));
        assert_eq!(number_stand_in("13rd"), None);
        assert_eq!(number_stand_in("21st"), Some("first"));
        assert_eq!(number_stand_in("3.5"), Some("two"));
        assert_eq!(number_stand_in("1,"), None);
    }

    #[test]
    fn an_unknown_possessive_is_read_as_its_noun() {
        let arpa =
            "\\data\\\nngram 1=5\n\\1-grams:\n-1\t<s>\n-1\t</s>\n-2\tcat\n-2\tdog's\n-3\tdog\n\n\\end\\\n";
        let lm = model(arpa);
        let cached = CachedModel::new(&lm);
        assert_eq!(cached.word_id("cat's"), lm.word_id("cat"));
        assert_eq!(cached.word_id("dog's"), lm.word_id("dog's"));
        assert_eq!(cached.word_id("bird's"), UNKNOWN);
    }

    #[test]
    fn answers_like_the_model() {
        let lm = model(CAT_DOG);
        let cached = CachedModel::new(&lm);
        for _ in 0..2 {
            for word in ["cat", "dog", "bird"] {
                assert_eq!(cached.word_id(word), lm.word_id(word));
            }
            let (cat, dog) = (lm.word_id("cat"), lm.word_id("dog"));
            for (phrase, words) in [
                ("Cat DOG", vec![cat, dog]),
                ("cat  bird", vec![cat, UNKNOWN, UNKNOWN]),
            ] {
                let mut ids = vec![7];
                cached.phrase_ids(phrase, &mut ids);
                assert_eq!(ids[1..], words);
            }
            for context in [[UNKNOWN, cat], [cat, dog], [UNKNOWN, UNKNOWN]] {
                for word in [cat, dog, UNKNOWN] {
                    assert_eq!(
                        cached.log10_prob(context, word),
                        lm.log10_prob(context, word)
                    );
                }
            }
        }
    }
}
