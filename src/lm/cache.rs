//! A per-document memo of language-model answers.
//!
//! The decoder asks about the same words and trigrams many times: every
//! hypothesis of a window re-scores the fixed words after it, and
//! [`Model::repair`](crate::Model::repair) decodes each document twice (the
//! probe for the prior, then the repair). A vocabulary lookup walks an FST
//! and a trigram query binary-searches millions of keys, while a hash-map
//! hit is a few nanoseconds, so the decoder asks through this cache. It
//! lives for one document, which bounds its size.

use super::{LanguageModel, WordId};
use rustc_hash::FxHashMap;
use std::cell::RefCell;

/// A language model with memoised answers (not shared between threads).
pub struct CachedModel<'m> {
    lm: &'m dyn LanguageModel,
    ids: RefCell<FxHashMap<String, WordId>>,
    probs: RefCell<FxHashMap<[WordId; 3], f32>>,
}

impl<'m> CachedModel<'m> {
    pub fn new(lm: &'m dyn LanguageModel) -> CachedModel<'m> {
        CachedModel {
            lm,
            ids: RefCell::default(),
            probs: RefCell::default(),
        }
    }

    /// See [`LanguageModel::word_id`].
    pub fn word_id(&self, word: &str) -> WordId {
        if let Some(&id) = self.ids.borrow().get(word) {
            return id;
        }
        let id = self.lm.word_id(word);
        self.ids.borrow_mut().insert(word.to_string(), id);
        id
    }

    /// See [`LanguageModel::log10_prob`].
    pub fn log10_prob(&self, context: [WordId; 2], word: WordId) -> f32 {
        let key = [context[0], context[1], word];
        if let Some(&p) = self.probs.borrow().get(&key) {
            return p;
        }
        let p = self.lm.log10_prob(context, word);
        self.probs.borrow_mut().insert(key, p);
        p
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
    use crate::lm::{arpa, NgramModel, UNKNOWN};

    #[test]
    fn answers_like_the_model() {
        let arpa = "\\data\\\n\\1-grams:\n-1\t<s>\t-0.2\n-1\t</s>\n-2\tcat\t-0.1\n-2.5\tdog\n\n\\2-grams:\n-0.5\tcat dog\n\n\\end\\\n";
        let (bytes, _) = arpa::compile(arpa.as_bytes(), "t").unwrap();
        let lm = NgramModel::from_bytes(&bytes, "t").unwrap();
        let cached = CachedModel::new(&lm);
        for _ in 0..2 {
            for word in ["cat", "dog", "bird"] {
                assert_eq!(cached.word_id(word), lm.word_id(word));
            }
            let (cat, dog) = (lm.word_id("cat"), lm.word_id("dog"));
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
