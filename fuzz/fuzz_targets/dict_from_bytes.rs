//! `Dictionary::from_bytes` on arbitrary bytes validates instead of
//! panicking; a dictionary it accepts can be used: lookups and a repair that
//! walks it return without panicking.
//!
//! The fst crate trusts its node bytes, and libFuzzer forges the FST
//! checksum easily, so from_bytes walks the FST under `catch_unwind` and
//! turns a panic there into an error. libfuzzer-sys's panic hook would
//! abort before that `catch_unwind` is reached, so while from_bytes runs
//! this target's hook lets the panic unwind; a panic from_bytes does not
//! catch still reaches libfuzzer-sys and aborts, as does any panic after.
#![no_main]

use libfuzzer_sys::fuzz_target;
use std::borrow::Cow;
use std::cell::Cell;
use std::panic::PanicHookInfo;
use std::sync::{Once, OnceLock};
use unspin_core::lm::WordId;
use unspin_core::{Dictionary, LanguageModel, Repairer, NgramModel, Settings};

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

thread_local! {
    static LOADING: Cell<bool> = const { Cell::new(false) };
}

/// Wraps the hook in place (libfuzzer-sys's, which aborts) so that it is
/// skipped while `Dictionary::from_bytes` runs.
fn install_hook() {
    static ONCE: Once = Once::new();
    ONCE.call_once(|| {
        let abort_hook = std::panic::take_hook();
        std::panic::set_hook(Box::new(move |info: &PanicHookInfo<'_>| {
            if !LOADING.with(Cell::get) {
                abort_hook(info);
            }
        }));
    });
}

fn load(data: &[u8]) -> Option<Dictionary> {
    LOADING.with(|l| l.set(true));
    let loaded =
        std::panic::catch_unwind(|| Dictionary::from_bytes(Cow::Owned(data.to_vec()), "fuzz.dict"));
    LOADING.with(|l| l.set(false));
    match loaded {
        Ok(result) => result.ok(),
        Err(_) => panic!("Dictionary::from_bytes panicked instead of returning an error"),
    }
}

fuzz_target!(|data: &[u8]| {
    install_hook();
    let Some(dict) = load(data) else {
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
    let model = Repairer::new(vec![dict], Box::new(SharedLm(lm())), Settings::default());
    let edits = model.repair(TEXT);
    let _ = unspin_core::edit::apply(TEXT, &edits);
});
