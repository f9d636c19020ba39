//! A back-off trigram model read in place from its compiled bytes.

use super::format::{self, Layout};
use super::{prefetch_line, LanguageModel, WordId, UNKNOWN};
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
        if map.starts_with(format::LM_MAGIC_V1) {
            return NgramModel::from_bytes(&map, &name);
        }
        NgramModel::from_bytes_inner(Bytes::Mapped(map), &name)
    }

    /// Loads a model from compiled bytes held in memory. A model of the
    /// version the repository stores (`data/lm/en-us.unlm`, without hash
    /// tables) is converted to the current one first, as the build does.
    pub fn from_bytes(bytes: &[u8], name: &str) -> Result<NgramModel, LmError> {
        if bytes.starts_with(format::LM_MAGIC_V1) {
            let current = format::add_index(bytes).map_err(|message| LmError::Format {
                name: name.to_string(),
                message,
            })?;
            return NgramModel::from_bytes(&current, name);
        }
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
        // A file may have been damaged since it was written; the embedded
        // model was checked by the build.
        if !matches!(bytes, Bytes::Static(_)) && format::checksum_matches(slice) == Some(false) {
            return Err(err(
                "the checksum does not match: the file is damaged (compile it again)".into(),
            ));
        }
        // Every lookup stops at the last slot of its table at the latest,
        // so a table must end in an empty one (as every table written
        // does); a crafted file is refused here rather than read past.
        for table in [&layout.bi_keys, &layout.tri_keys] {
            if slice[table.end - 8..table.end] != format::EMPTY_SLOT.to_le_bytes() {
                return Err(err("an n-gram table does not end in an empty slot".into()));
            }
        }
        let vocab = fst::Map::new(&slice[layout.vocab.clone()]).map_err(|e| err(e.to_string()))?;
        if vocab.len() != layout.counts[0] {
            return Err(err("vocabulary size does not match the header".into()));
        }
        let mut model = NgramModel {
            bytes,
            layout,
            start: UNKNOWN,
            end: UNKNOWN,
            identity: super::new_identity(),
        };
        model.start = model.word_id("<s>");
        model.end = model.word_id("</s>");
        Ok(model)
    }

    /// The model's order (1 to 3).
    pub fn order(&self) -> usize {
        self.layout.order
    }

    /// Unigram, bigram and trigram counts.
    pub fn counts(&self) -> [usize; 3] {
        self.layout.counts
    }

    /// Whether `id` is a word of the model's vocabulary (not [`UNKNOWN`]
    /// or an id of another model).
    #[inline]
    fn knows(&self, id: WordId) -> bool {
        id != UNKNOWN && (id as usize) < self.layout.counts[0]
    }

    fn i16s(&self, range: &std::ops::Range<usize>) -> &[i16] {
        bytemuck::cast_slice(&self.bytes.as_slice()[range.clone()])
    }

    /// The vocabulary as an FST: for the words whose hashes the
    /// vocabulary table cannot tell apart.
    fn vocab_fst(&self) -> fst::Map<&[u8]> {
        fst::Map::new(&self.bytes.as_slice()[self.layout.vocab.clone()])
            .expect("the vocabulary was checked when the model was loaded")
    }

    fn score(value: i16) -> f32 {
        value as f32 / format::SCALE
    }

    #[inline]
    fn bigrams(&self) -> Table<'_> {
        Table {
            slots: bytemuck::cast_slice(&self.bytes.as_slice()[self.layout.bi_keys.clone()]),
            score_bits: format::BIGRAM_SCORE_BITS,
        }
    }

    #[inline]
    fn trigrams(&self) -> Table<'_> {
        Table {
            slots: bytemuck::cast_slice(&self.bytes.as_slice()[self.layout.tri_keys.clone()]),
            score_bits: format::TRIGRAM_SCORE_BITS,
        }
    }
}

/// A hash table of n-grams (see [`format`](mod@format)'s docs): each
/// slot holds a fingerprint of its n-gram's key and its displacement
/// above `score_bits` bits of scores.
struct Table<'a> {
    /// The home slots, then the tail, whose last slot is empty.
    slots: &'a [u64],
    score_bits: u32,
}

/// A lookup in a [`Table`] whose first slot has been read.
#[derive(Clone, Copy)]
struct Probe {
    fingerprint: u64,
    home: usize,
    found: u64,
}

impl Table<'_> {
    /// The slot where the lookup of `key` starts: its home.
    #[inline]
    fn first_slot(&self, key: u64) -> usize {
        format::slot_of(key, self.slots.len() - format::TABLE_TAIL)
    }

    /// Asks the CPU to load the slots a lookup of `key` usually reads:
    /// its home and the two after it, which lie on the next cache line
    /// for about one lookup in five.
    #[inline]
    fn prefetch(&self, key: u64) {
        let home = self.first_slot(key);
        prefetch_line(&self.slots[home]);
        prefetch_line(&self.slots[(home + 2).min(self.slots.len() - 1)]);
    }

    /// Starts looking up `key`: reads its first slot, the lookup's one
    /// cache miss most of the time. Starting several lookups before
    /// finishing any lets their misses overlap.
    #[inline]
    fn start(&self, key: u64) -> Probe {
        let home = self.first_slot(key);
        Probe {
            fingerprint: format::fingerprint(key, format::fingerprint_bits(self.score_bits)),
            home,
            found: u64::from_le(self.slots[home]),
        }
    }

    /// The scores of the n-gram of `probe`, if the table has it.
    #[inline]
    fn finish(&self, probe: Probe) -> Option<u64> {
        format::scan(
            self.slots,
            probe.home,
            probe.fingerprint,
            self.score_bits,
            probe.found,
        )
    }
}

impl LanguageModel for NgramModel {
    fn word_id(&self, word: &str) -> WordId {
        let table = bytemuck::cast_slice(&self.bytes.as_slice()[self.layout.vocab_table.clone()]);
        match format::vocab_lookup(table, format::word_hash(word.as_bytes())) {
            None => UNKNOWN,
            Some(format::SHARED_FINGERPRINT) => self
                .vocab_fst()
                .get(word)
                .map_or(UNKNOWN, |id| id as WordId),
            Some(id) => id,
        }
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

    fn prefetch(&self, context: [WordId; 2], word: WordId) {
        let [u, v] = context;
        if !self.knows(word) || !self.knows(v) || self.layout.order < 2 {
            return;
        }
        // The slots of v w and u v w, and those of u v, whose back-off the
        // query needs when the model lacks u v w: the decoder asks mostly
        // about readings the model has not seen.
        let bigrams = self.bigrams();
        bigrams.prefetch(format::pack(&[v, word]));
        if self.knows(u) && self.layout.order >= 3 {
            self.trigrams().prefetch(format::pack(&[u, v, word]));
            bigrams.prefetch(format::pack(&[u, v]));
        }
    }

    fn log10_prob(&self, context: [WordId; 2], word: WordId) -> f32 {
        if !self.knows(word) {
            return self.layout.unk;
        }
        let [u, v] = context;
        let mut backoff = 0.0;
        if self.knows(v) && self.layout.order >= 2 {
            let bigrams = self.bigrams();
            let vw = bigrams.start(format::pack(&[v, word]));
            if self.knows(u) && self.layout.order >= 3 {
                // Most trigram queries miss and back off to both bigrams:
                // the three lookups start together so that their cache
                // misses overlap instead of coming one after another.
                let trigrams = self.trigrams();
                let uvw = trigrams.start(format::pack(&[u, v, word]));
                let uv = bigrams.start(format::pack(&[u, v]));
                if let Some(prob) = trigrams.finish(uvw) {
                    return Self::score(prob as u16 as i16);
                }
                if let Some(scores) = bigrams.finish(uv) {
                    backoff += Self::score(scores as u16 as i16);
                }
            }
            if let Some(scores) = bigrams.finish(vw) {
                return backoff + Self::score((scores >> 16) as u16 as i16);
            }
            backoff += Self::score(i16::from_le(
                self.i16s(&self.layout.uni_backoff)[v as usize],
            ));
        }
        backoff
            + Self::score(i16::from_le(
                self.i16s(&self.layout.uni_prob)[word as usize],
            ))
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

    /// A damaged region anywhere in a model's body is found on load, not
    /// read as other scores; a model written before checksums still loads.
    #[test]
    fn a_damaged_model_is_refused() {
        let (_, bytes) = dense_model(200);
        assert!(NgramModel::from_bytes(&bytes, "ok").is_ok());
        for at in [
            format::HEADER_LEN,
            bytes.len() / 3,
            bytes.len() / 2,
            bytes.len() - 1,
        ] {
            let mut damaged = bytes.clone();
            damaged[at] ^= 0x10;
            let err = NgramModel::from_bytes(&damaged, "bad.unlm").unwrap_err();
            assert!(err.to_string().contains("checksum"), "{at}: {err}");
        }
        let mut unchecked = bytes.clone();
        unchecked[12..16].fill(0);
        unchecked[52..56].fill(0);
        assert!(NgramModel::from_bytes(&unchecked, "old").is_ok());
    }

    /// A file whose checksum was made to match but whose table has no
    /// empty slot to stop a lookup is refused, not read past its end.
    #[test]
    fn a_table_without_its_closing_empty_slot_is_refused() {
        let (_, bytes) = dense_model(50);
        let layout = Layout::parse(&bytes).unwrap();
        for table in [layout.bi_keys, layout.tri_keys] {
            let mut crafted = bytes.clone();
            crafted[table.end - 8..table.end].copy_from_slice(&u64::MAX.to_le_bytes());
            let sum = format::body_checksum(&crafted);
            crafted[12..16].copy_from_slice(&sum.to_le_bytes());
            let err = NgramModel::from_bytes(&crafted, "crafted.unlm").unwrap_err();
            assert!(err.to_string().contains("empty slot"), "{err}");
        }
    }

    #[test]
    fn models_of_older_versions_are_refused_with_advice() {
        for magic in [
            b"UNSPNLM2",
            b"UNSPNLM3",
            b"UNSPNLM4",
            b"UNSPNLM5",
            b"UNSPNLM6",
            b"UNSPNLM7",
        ] {
            let mut bytes = vec![0u8; 64];
            bytes[..8].copy_from_slice(magic);
            let err = NgramModel::from_bytes(&bytes, "old.unlm").unwrap_err();
            assert!(err.to_string().contains("lm compile"), "{err}");
        }
    }

    /// A model of `words` words with a pseudo-random half of their bigrams
    /// and a tenth of a fixed word's trigrams.
    fn dense_model(words: u32) -> (format::ModelParts, Vec<u8>) {
        let mut parts = format::ModelParts {
            words: (0..words).map(|i| format!("w{i:05}")).collect(),
            uni_prob: vec![-3000; words as usize],
            uni_backoff: vec![0; words as usize],
            order: 3,
            unk: -10.0,
            ..Default::default()
        };
        let keep = |a: u32, b: u32, share: u32| {
            (a.wrapping_mul(7919) ^ b.wrapping_mul(104_729)).is_multiple_of(share)
        };
        for a in 0..words {
            for b in 0..words {
                let score = |key: u64, range: u64| -((key % range) as i16);
                if keep(a, b, 2) {
                    let key = format::pack(&[a, b]);
                    parts.bigrams.push((key, score(key, 997), score(key, 89)));
                }
                if keep(a, b, 10) {
                    let key = format::pack(&[3, a, b]);
                    parts.trigrams.push((key, score(key, 991)));
                }
            }
        }
        let bytes = format::write(&parts).unwrap();
        (parts, bytes)
    }

    #[test]
    fn tables_find_every_key_and_only_those() {
        let (parts, bytes) = dense_model(300);
        let lm = NgramModel::from_bytes(&bytes, "dense").unwrap();
        let find = |table: Table<'_>, key: u64| table.finish(table.start(key));
        for &(key, prob, backoff) in &parts.bigrams {
            let scores = find(lm.bigrams(), key).unwrap();
            assert_eq!((scores >> 16) as u16 as i16, prob);
            assert_eq!(scores as u16 as i16, backoff);
            assert_eq!(find(lm.bigrams(), key ^ 1 << 60), None);
        }
        for &(key, prob) in &parts.trigrams {
            let scores = find(lm.trigrams(), key).unwrap();
            assert_eq!(scores as u16 as i16, prob);
        }
        let (a, b) = (
            parts.bigrams[7].0 >> format::ID_BITS,
            parts.bigrams[7].0 & 0x1F_FFFF,
        );
        let expected = NgramModel::score(parts.bigrams[7].1);
        assert_eq!(lm.log10_prob([UNKNOWN, a as WordId], b as WordId), expected);
        let (key, prob) = parts.trigrams[9];
        let (a, b) = ((key >> format::ID_BITS) & 0x1F_FFFF, key & 0x1F_FFFF);
        let expected = NgramModel::score(prob);
        assert_eq!(lm.log10_prob([3, a as WordId], b as WordId), expected);
        let missing = (0..300)
            .flat_map(|a| (0..300).map(move |b| format::pack(&[a, b])))
            .filter(|key| find(lm.bigrams(), *key).is_none())
            .count();
        assert_eq!(missing, 300 * 300 - parts.bigrams.len());
    }

    /// Every word of the vocabulary is found by its hash, and the FST
    /// answers for a slot that two words' fingerprints share.
    #[test]
    fn word_ids_come_from_the_table_or_else_the_fst() {
        let (parts, mut bytes) = dense_model(300);
        let lm = NgramModel::from_bytes(&bytes, "dense").unwrap();
        for (id, word) in parts.words.iter().enumerate() {
            assert_eq!(lm.word_id(word), id as WordId);
        }
        assert_eq!(lm.word_id("w00300"), UNKNOWN);
        // Mark the slot of "w00042" as shared, as a twin would have.
        let hash = format::word_hash(b"w00042");
        let entry = format::vocab_entry(hash, 42).to_le_bytes();
        let table = lm.layout.vocab_table.clone();
        let at = (table.start..table.end)
            .step_by(8)
            .find(|&at| bytes[at..at + 8] == entry)
            .unwrap();
        let shared = format::vocab_entry(hash, format::SHARED_FINGERPRINT);
        bytes[at..at + 8].copy_from_slice(&shared.to_le_bytes());
        let sum = format::body_checksum(&bytes);
        bytes[12..16].copy_from_slice(&sum.to_le_bytes());
        let doctored = NgramModel::from_bytes(&bytes, "doctored").unwrap();
        assert_eq!(doctored.word_id("w00042"), 42);
        assert_eq!(doctored.word_id("w00043"), 43);
    }

    /// Prefetching reads only slots a lookup would read: any ids, known,
    /// unknown or out of range, in any model order, and answers stay.
    #[test]
    fn prefetch_takes_any_ids_and_changes_no_answer() {
        let (mut parts, _) = dense_model(40);
        for order in [1, 2, 3] {
            parts.order = order;
            if order < 3 {
                parts.trigrams.clear();
            }
            if order < 2 {
                parts.bigrams.clear();
            }
            let lm = NgramModel::from_bytes(&format::write(&parts).unwrap(), "dense").unwrap();
            let ids = [0, 3, 17, 39, 40, 1 << 20, UNKNOWN];
            for u in ids {
                for v in ids {
                    for w in ids {
                        let before = lm.log10_prob([u, v], w);
                        lm.prefetch([u, v], w);
                        assert_eq!(lm.log10_prob([u, v], w).to_bits(), before.to_bits());
                    }
                }
            }
        }
    }
}
