//! Language models: how likely a word is after the two before it.
//!
//! The decoder only talks to the [`LanguageModel`] trait, so a different
//! model (a bigger n-gram table, a neural scorer) can be swapped in. The
//! implementation shipped is [`NgramModel`], a back-off trigram model read in
//! place from a compact binary (see [`format`](mod@format)) that is either embedded in
//! the binary or memory-mapped from a file; [`arpa`] compiles ARPA text
//! files (CMU Sphinx, KenLM, SRILM) into that binary.
//!
//! Words are looked up lowercased with straight apostrophes; case is the
//! decoder's business.

pub mod arpa;
mod cache;
pub use unspin_formats::lm as format;
mod ngram;

pub use cache::CachedModel;
pub use ngram::{LmError, NgramModel};

/// A word's id in a model's vocabulary.
pub type WordId = u32;

/// The id of a word the model does not know, and of "no context".
pub const UNKNOWN: WordId = u32::MAX;

/// Scores words in context.
pub trait LanguageModel: Send + Sync {
    /// The id of `word` (already lowercased), or [`UNKNOWN`].
    fn word_id(&self, word: &str) -> WordId;
    /// The sentence-start marker `<s>`.
    fn sentence_start(&self) -> WordId;
    /// The sentence-end marker `</s>`.
    fn sentence_end(&self) -> WordId;
    /// log10 P(word | context), where `context` holds the two previous
    /// words, oldest first ([`UNKNOWN`] where there is none).
    fn log10_prob(&self, context: [WordId; 2], word: WordId) -> f32;
    /// Says that `log10_prob(context, word)` will be asked soon, so that a
    /// model that reads its tables from memory can start fetching what the
    /// answer needs while other work goes on. Changes no answer; the
    /// default does nothing.
    fn prefetch(&self, context: [WordId; 2], word: WordId) {
        let _ = (context, word);
    }
    /// A number unique to this model among all models of the process, or 0.
    /// Answers of a model with an identity may be memoised across
    /// documents ([`CachedModel`]); the default, 0, opts out.
    fn identity(&self) -> u64 {
        0
    }
}

/// A fresh model identity (see [`LanguageModel::identity`]).
pub fn new_identity() -> u64 {
    static NEXT: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(1);
    NEXT.fetch_add(1, std::sync::atomic::Ordering::Relaxed)
}

/// Asks the CPU to start loading the cache line of `value`.
#[inline]
pub(crate) fn prefetch_line<T>(value: &T) {
    #[cfg(target_arch = "x86_64")]
    // SAFETY: a prefetch only hints the cache; it reads nothing the
    // program sees and cannot fault, and `value` is a valid reference.
    unsafe {
        use std::arch::x86_64::{_mm_prefetch, _MM_HINT_T0};
        _mm_prefetch::<_MM_HINT_T0>((value as *const T).cast::<i8>());
    }
    #[cfg(not(target_arch = "x86_64"))]
    let _ = value;
}
