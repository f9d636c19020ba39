//! A back-off trigram model read in place from its compiled bytes.

use super::format::{self, Layout};
use super::{LanguageModel, WordId, UNKNOWN};
use std::borrow::Cow;
use std::path::Path;

/// The model built into the binary: `data/lm/en-us.unlm`, copied to
/// `$OUT_DIR` by build.rs (an empty model when that file is missing).
static EMBEDDED: &Aligned<[u8]> =
    &Aligned(*include_bytes!(concat!(env!("OUT_DIR"), "/model.unlm")));

#[repr(C, align(8))]
struct Aligned<T: ?Sized>(T);

/// Why a model could not be loaded or compiled.
#[derive(Debug, thiserror::Error)]
pub enum LmError {
    #[error("{name}: {message}")]
    Format { name: String, message: String },
    #[error("{name}: {source}")]
    Io {
        name: String,
        #[source]
        source: std::io::Error,
    },
    #[error("{name}, line {line}: {message}")]
    Arpa {
        name: String,
        line: usize,
        message: String,
    },
}

enum Bytes {
    Static(&'static [u8]),
    Mapped(memmap2::Mmap),
    /// Backed by u64s so that the sections are 8-aligned.
    Owned(Vec<u64>, usize),
}

impl Bytes {
    fn as_slice(&self) -> &[u8] {
        match self {
            Bytes::Static(b) => b,
            Bytes::Mapped(m) => m,
            Bytes::Owned(words, len) => &bytemuck::cast_slice(words)[..*len],
        }
    }
}

/// A back-off trigram model (see the module docs of [`super::format`]).
pub struct NgramModel {
    bytes: Bytes,
    layout: Layout,
    vocab: fst::Map<Cow<'static, [u8]>>,
    start: WordId,
    end: WordId,
    identity: u64,
}

impl std::fmt::Debug for NgramModel {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("NgramModel")
            .field("order", &self.layout.order)
            .field("counts", &self.layout.counts)
            .finish()
    }
}

impl NgramModel {
    /// The model built into the binary.
    pub fn embedded() -> NgramModel {
        NgramModel::from_bytes_inner(Bytes::Static(&EMBEDDED.0), "embedded language model")
            .expect("the embedded model is valid: the build checked it")
    }

    /// Memory-maps a compiled model file.
    pub fn open(path: &Path) -> Result<NgramModel, LmError> {
        let name = path.display().to_string();
        let io = |source| LmError::Io {
            name: name.clone(),
            source,
        };
        let file = std::fs::File::open(path).map_err(io)?;
        // SAFETY: the map is read-only; a file truncated underneath us is
        // the one hazard, as with every memory-mapped reader.
        let map = unsafe { memmap2::Mmap::map(&file) }.map_err(io)?;
        NgramModel::from_bytes_inner(Bytes::Mapped(map), &name)
    }

    /// Loads a model from compiled bytes held in memory.
    pub fn from_bytes(bytes: &[u8], name: &str) -> Result<NgramModel, LmError> {
        let mut words = vec![0u64; bytes.len().div_ceil(8)];
        bytemuck::cast_slice_mut::<u64, u8>(&mut words)[..bytes.len()].copy_from_slice(bytes);
        NgramModel::from_bytes_inner(Bytes::Owned(words, bytes.len()), name)
    }

    fn from_bytes_inner(bytes: Bytes, name: &str) -> Result<NgramModel, LmError> {
        let err = |message: String| LmError::Format {
            name: name.to_string(),
            message,
        };
        let slice = bytes.as_slice();
        if !(slice.as_ptr() as usize).is_multiple_of(8) {
            return Err(err("model bytes are not 8-aligned".into()));
        }
        let layout = Layout::parse(slice).map_err(err)?;
        let vocab_bytes = slice[layout.vocab.clone()].to_vec();
        let vocab = fst::Map::new(Cow::Owned(vocab_bytes)).map_err(|e| err(e.to_string()))?;
        if vocab.len() != layout.counts[0] {
            return Err(err("vocabulary size does not match the header".into()));
        }
        let start = vocab.get("<s>").map_or(UNKNOWN, |id| id as WordId);
        let end = vocab.get("</s>").map_or(UNKNOWN, |id| id as WordId);
        Ok(NgramModel {
            bytes,
            layout,
            vocab,
            start,
            end,
            identity: super::new_identity(),
        })
    }

    /// The model's order (1 to 3).
    pub fn order(&self) -> usize {
        self.layout.order
    }

    /// Unigram, bigram and trigram counts.
    pub fn counts(&self) -> [usize; 3] {
        self.layout.counts
    }

    fn i16s(&self, range: &std::ops::Range<usize>) -> &[i16] {
        bytemuck::cast_slice(&self.bytes.as_slice()[range.clone()])
    }

    fn keys(&self, range: &std::ops::Range<usize>) -> &[u64] {
        bytemuck::cast_slice(&self.bytes.as_slice()[range.clone()])
    }

    fn table(&self, range: &std::ops::Range<usize>) -> &[u32] {
        bytemuck::cast_slice(&self.bytes.as_slice()[range.clone()])
    }

    fn score(value: i16) -> f32 {
        i16::from_le(value) as f32 / format::SCALE
    }

    /// Where `key` is in `keys`, probing the hash table `table`.
    fn find(keys: &[u64], table: &[u32], key: u64) -> Option<usize> {
        if table.is_empty() {
            return None;
        }
        let mut slot = format::slot_of(key, table.len());
        loop {
            let entry = u32::from_le(table[slot]);
            if entry == format::EMPTY_SLOT {
                return None;
            }
            if keys.get(entry as usize).map(|k| u64::from_le(*k)) == Some(key) {
                return Some(entry as usize);
            }
            slot = (slot + 1) & (table.len() - 1);
        }
    }

    fn bigram(&self, a: WordId, b: WordId) -> Option<usize> {
        let keys = self.keys(&self.layout.bi_keys);
        Self::find(
            keys,
            self.table(&self.layout.bi_table),
            format::pack(&[a, b]),
        )
    }

    fn trigram(&self, u: WordId, v: WordId, w: WordId) -> Option<usize> {
        let keys = self.keys(&self.layout.tri_keys);
        Self::find(
            keys,
            self.table(&self.layout.tri_table),
            format::pack(&[u, v, w]),
        )
    }
}

impl LanguageModel for NgramModel {
    fn word_id(&self, word: &str) -> WordId {
        self.vocab.get(word).map_or(UNKNOWN, |id| id as WordId)
    }

    fn sentence_start(&self) -> WordId {
        self.start
    }

    fn sentence_end(&self) -> WordId {
        self.end
    }

    fn identity(&self) -> u64 {
        self.identity
    }

    fn log10_prob(&self, context: [WordId; 2], word: WordId) -> f32 {
        if word == UNKNOWN || word as usize >= self.layout.counts[0] {
            return self.layout.unk;
        }
        let [u, v] = context;
        let known = |id: WordId| id != UNKNOWN && (id as usize) < self.layout.counts[0];
        let mut backoff = 0.0;
        if known(v) && self.layout.order >= 2 {
            if known(u) && self.layout.order >= 3 {
                if let Some(i) = self.trigram(u, v, word) {
                    return Self::score(self.i16s(&self.layout.tri_prob)[i]);
                }
                if let Some(uv) = self.bigram(u, v) {
                    backoff += Self::score(self.i16s(&self.layout.bi_backoff)[uv]);
                }
            }
            if let Some(i) = self.bigram(v, word) {
                return backoff + Self::score(self.i16s(&self.layout.bi_prob)[i]);
            }
            backoff += Self::score(self.i16s(&self.layout.uni_backoff)[v as usize]);
        }
        backoff + Self::score(self.i16s(&self.layout.uni_prob)[word as usize])
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn embedded_model_prefers_news_wording() {
        let lm = NgramModel::embedded();
        assert_eq!(lm.order(), 3);
        let id = |w: &str| lm.word_id(w);
        let said = lm.log10_prob([id("officials"), id("have")], id("said"));
        let stated = lm.log10_prob([id("officials"), id("have")], id("stated"));
        assert!(said > stated, "{said} <= {stated}");
        let house = lm.log10_prob([UNKNOWN, id("white")], id("house"));
        let home = lm.log10_prob([UNKNOWN, id("white")], id("home"));
        assert!(house > home + 1.0, "{house} vs {home}");
        assert_eq!(lm.word_id("qwzxv"), UNKNOWN);
    }

    #[test]
    fn unindexed_models_are_refused_with_advice() {
        let mut bytes = vec![0u8; 64];
        bytes[..8].copy_from_slice(format::LM_MAGIC_V1);
        let err = NgramModel::from_bytes(&bytes, "old.unlm").unwrap_err();
        assert!(err.to_string().contains("lm compile"), "{err}");
    }
}
