//! `Dictionary::from_bytes` on arbitrary bytes validates instead of
//! panicking; a dictionary it accepts can be used: lookups and a repair that
//! walks it return without panicking.
#![no_main]

use libfuzzer_sys::fuzz_target;
use std::borrow::Cow;
use std::sync::OnceLock;
use unspin::lm::WordId;
use unspin::{Dictionary, LanguageModel, Model, NgramModel, Settings};

const TEXT: &[u8] = "The Joint Chiefs of Employees stated it was a 12 months of dialog. \
a b c ab abc the of Individuals’s Home a a a a a a a a a."
    .as_bytes();

fn lm() -> &'static NgramModel {
    static LM: OnceLock<NgramModel> = OnceLock::new();
    LM.get_or_init(NgramModel::embedded)
}

/// The embedded language model, loaded once and shared by every run.
struct SharedLm(&'static NgramModel);

impl LanguageModel for SharedLm {
    fn word_id(&self, word: &str) -> WordId {
        self.0.word_id(word)
    }
    fn sentence_start(&self) -> WordId {
        self.0.sentence_start()
    }
    fn sentence_end(&self) -> WordId {
        self.0.sentence_end()
    }
    fn log10_prob(&self, context: [WordId; 2], word: WordId) -> f32 {
        self.0.log10_prob(context, word)
    }
}

fuzz_target!(|data: &[u8]| {
    let Ok(dict) = Dictionary::from_bytes(Cow::Owned(data.to_vec()), "fuzz.dict") else {
        return;
    };
    for key in [
        "a",
        "b",
        "ab",
        "abc",
        "stated",
        "12 months",
        "joint chiefs of employees",
        "",
    ] {
        if let Some(candidates) = dict.lookup(key) {
            for c in candidates {
                let _ = (c.original.len(), c.weight, c.source.len(), c.confidence);
            }
        }
    }
    let model = Model::new(vec![dict], Box::new(SharedLm(lm())), Settings::default());
    let edits = model.repair(TEXT);
    let _ = unspin::edit::apply(TEXT, &edits);
});
