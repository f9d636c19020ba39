//! The compiled n-gram model format, shared by the library (reading) and
//! build.rs (which writes an empty model when none is committed yet); it
//! depends on nothing of the crate but `fst`.
//!
//! Every section starts at a multiple of 8 bytes, so the sections can be
//! read in place from an embedded or memory-mapped buffer:
//!
//! ```text
//! 0   "UNSPNLM2"
//! 8   u32 order (1..=3), u32 zero
//! 16  u64 unigram count, u64 bigram count, u64 trigram count
//! 40  u64 vocabulary FST length
//! 48  f32 log10 probability of an unknown word, u32 zero
//! 56  i16 unigram log10 probs      (x 1/1000), then i16 unigram backoffs
//!     u64 bigram keys (sorted),    i16 bigram probs, i16 bigram backoffs
//!     u64 trigram keys (sorted),   i16 trigram probs
//!     u32 bigram index: bigrams starting with word a are at
//!         [index[a], index[a + 1]) of the bigram arrays (unigrams + 1 entries)
//!     u32 trigram index: trigrams extending bigram i are at
//!         [index[i], index[i + 1]) of the trigram arrays (bigrams + 1 entries)
//!     vocabulary: fst::Map word -> id
//! ```
//!
//! Word ids are the words' ranks in byte order. An n-gram key packs the ids
//! of its words, oldest first, [`ID_BITS`] bits each. Scores are log10
//! values quantised to thousandths and clamped to the i16 range.
//!
//! The two indexes turn a binary search among millions of keys (some twenty
//! cache misses) into a search among the few that share the context.
//! Version 1 ("UNSPNLM1") is the same without them; it is how the embedded
//! model is stored in the repository (`data/lm/en-us.unlm`), and
//! [`add_index`] (run by build.rs) derives version 2 from it.

/// Magic bytes at the start of a compiled model.
pub const LM_MAGIC: &[u8; 8] = b"UNSPNLM2";
/// Magic bytes of the version without indexes.
pub const LM_MAGIC_V1: &[u8; 8] = b"UNSPNLM1";
/// Bits per word id in an n-gram key; the vocabulary holds at most 2^21 - 1 words.
pub const ID_BITS: u32 = 21;
/// The largest vocabulary the format can hold.
pub const MAX_VOCAB: usize = (1 << ID_BITS) - 1;
/// Quantisation scale of stored scores.
pub const SCALE: f32 = 1000.0;
/// Size of the fixed header.
pub const HEADER_LEN: usize = 56;

/// Packs word ids (oldest first) into an n-gram key.
pub fn pack(ids: &[u32]) -> u64 {
    ids.iter()
        .fold(0u64, |key, &id| (key << ID_BITS) | id as u64)
}

/// Quantises a log10 score.
pub fn quantize(score: f32) -> i16 {
    (score * SCALE)
        .round()
        .clamp(i16::MIN as f32, i16::MAX as f32) as i16
}

/// Where each section lies in a compiled model.
#[derive(Debug, Clone)]
pub struct Layout {
    pub order: usize,
    pub counts: [usize; 3],
    pub unk: f32,
    pub uni_prob: std::ops::Range<usize>,
    pub uni_backoff: std::ops::Range<usize>,
    pub bi_keys: std::ops::Range<usize>,
    pub bi_prob: std::ops::Range<usize>,
    pub bi_backoff: std::ops::Range<usize>,
    pub tri_keys: std::ops::Range<usize>,
    pub tri_prob: std::ops::Range<usize>,
    /// Empty in version 1.
    pub bi_index: std::ops::Range<usize>,
    /// Empty in version 1.
    pub tri_index: std::ops::Range<usize>,
    pub vocab: std::ops::Range<usize>,
}

fn padded(len: usize) -> usize {
    len.div_ceil(8) * 8
}

impl Layout {
    fn new(order: usize, counts: [usize; 3], vocab_len: usize, unk: f32, indexed: bool) -> Layout {
        let mut pos = HEADER_LEN;
        let mut section = |len: usize| {
            let range = pos..pos + len;
            pos += padded(len);
            range
        };
        let [n1, n2, n3] = counts;
        Layout {
            order,
            counts,
            unk,
            uni_prob: section(n1 * 2),
            uni_backoff: section(n1 * 2),
            bi_keys: section(n2 * 8),
            bi_prob: section(n2 * 2),
            bi_backoff: section(n2 * 2),
            tri_keys: section(n3 * 8),
            tri_prob: section(n3 * 2),
            bi_index: section(if indexed { (n1 + 1) * 4 } else { 0 }),
            tri_index: section(if indexed { (n2 + 1) * 4 } else { 0 }),
            vocab: section(vocab_len),
        }
    }

    /// Reads and checks the header of a compiled model (version 2).
    pub fn parse(bytes: &[u8]) -> Result<Layout, String> {
        if bytes.get(..8) == Some(LM_MAGIC_V1) {
            return Err(
                "an unindexed model from an older unspin: run `unspin lm compile` again".into(),
            );
        }
        Layout::parse_version(bytes, true)
    }

    fn parse_version(bytes: &[u8], indexed: bool) -> Result<Layout, String> {
        let magic = if indexed { LM_MAGIC } else { LM_MAGIC_V1 };
        if bytes.len() < HEADER_LEN || &bytes[..8] != magic {
            return Err("not a compiled unspin language model (bad magic bytes)".into());
        }
        let u32_at = |p: usize| u32::from_le_bytes(bytes[p..p + 4].try_into().unwrap());
        let u64_at = |p: usize| u64::from_le_bytes(bytes[p..p + 8].try_into().unwrap()) as usize;
        let order = u32_at(8) as usize;
        if !(1..=3).contains(&order) {
            return Err(format!("unsupported order {order}"));
        }
        let counts = [u64_at(16), u64_at(24), u64_at(32)];
        if counts[0] > MAX_VOCAB || counts[1] > bytes.len() || counts[2] > bytes.len() {
            return Err("implausible n-gram counts".into());
        }
        let unk = f32::from_le_bytes(bytes[48..52].try_into().unwrap());
        let layout = Layout::new(order, counts, u64_at(40), unk, indexed);
        if layout.vocab.end > bytes.len() {
            return Err("truncated".into());
        }
        Ok(layout)
    }
}

/// An n-gram model in memory, ready to be written out.
#[derive(Debug, Default, Clone)]
pub struct ModelParts {
    /// Vocabulary in byte order; a word's id is its index.
    pub words: Vec<String>,
    pub uni_prob: Vec<i16>,
    pub uni_backoff: Vec<i16>,
    /// Sorted by key.
    pub bigrams: Vec<(u64, i16, i16)>,
    /// Sorted by key.
    pub trigrams: Vec<(u64, i16)>,
    pub order: usize,
    pub unk: f32,
}

/// Serialises a model. `parts.words` must be sorted and unique, and the
/// n-gram lists sorted by key.
pub fn write(parts: &ModelParts) -> Result<Vec<u8>, fst::Error> {
    let mut vocab = fst::MapBuilder::memory();
    for (id, word) in parts.words.iter().enumerate() {
        vocab.insert(word, id as u64)?;
    }
    let vocab = vocab.into_inner()?;
    let counts = [parts.words.len(), parts.bigrams.len(), parts.trigrams.len()];
    let layout = Layout::new(parts.order, counts, vocab.len(), parts.unk, true);
    let mut out = vec![0u8; layout.vocab.start + padded(vocab.len())];
    out[..8].copy_from_slice(LM_MAGIC);
    out[8..12].copy_from_slice(&(parts.order as u32).to_le_bytes());
    for (i, n) in counts.iter().enumerate() {
        out[16 + 8 * i..24 + 8 * i].copy_from_slice(&(*n as u64).to_le_bytes());
    }
    out[40..48].copy_from_slice(&(vocab.len() as u64).to_le_bytes());
    out[48..52].copy_from_slice(&parts.unk.to_le_bytes());
    fn put<const N: usize>(out: &mut [u8], start: usize, items: impl Iterator<Item = [u8; N]>) {
        for (i, b) in items.enumerate() {
            out[start + N * i..start + N * (i + 1)].copy_from_slice(&b);
        }
    }
    put(
        &mut out,
        layout.uni_prob.start,
        parts.uni_prob.iter().map(|v| v.to_le_bytes()),
    );
    put(
        &mut out,
        layout.uni_backoff.start,
        parts.uni_backoff.iter().map(|v| v.to_le_bytes()),
    );
    put(
        &mut out,
        layout.bi_keys.start,
        parts.bigrams.iter().map(|v| v.0.to_le_bytes()),
    );
    put(
        &mut out,
        layout.bi_prob.start,
        parts.bigrams.iter().map(|v| v.1.to_le_bytes()),
    );
    put(
        &mut out,
        layout.bi_backoff.start,
        parts.bigrams.iter().map(|v| v.2.to_le_bytes()),
    );
    put(
        &mut out,
        layout.tri_keys.start,
        parts.trigrams.iter().map(|v| v.0.to_le_bytes()),
    );
    put(
        &mut out,
        layout.tri_prob.start,
        parts.trigrams.iter().map(|v| v.1.to_le_bytes()),
    );
    let bigram_keys: Vec<u64> = parts.bigrams.iter().map(|b| b.0).collect();
    let trigram_keys: Vec<u64> = parts.trigrams.iter().map(|t| t.0).collect();
    let (bi_index, tri_index) = build_index(parts.words.len(), &bigram_keys, &trigram_keys);
    put(
        &mut out,
        layout.bi_index.start,
        bi_index.iter().map(|v| v.to_le_bytes()),
    );
    put(
        &mut out,
        layout.tri_index.start,
        tri_index.iter().map(|v| v.to_le_bytes()),
    );
    out[layout.vocab.clone()].copy_from_slice(&vocab);
    Ok(out)
}

/// The bigram and trigram indexes of sorted key arrays. A trigram whose
/// first two words are not a bigram falls inside the range of the bigram
/// before it, where its full key still tells it apart.
fn build_index(n_words: usize, bigrams: &[u64], trigrams: &[u64]) -> (Vec<u32>, Vec<u32>) {
    let mut bi_index = Vec::with_capacity(n_words + 1);
    let mut at = 0;
    for word in 0..=n_words as u64 {
        while at < bigrams.len() && (bigrams[at] >> ID_BITS) < word {
            at += 1;
        }
        bi_index.push(at as u32);
    }
    let mut tri_index = Vec::with_capacity(bigrams.len() + 1);
    let mut at = 0;
    for &bigram in bigrams {
        while at < trigrams.len() && (trigrams[at] >> ID_BITS) < bigram {
            at += 1;
        }
        tri_index.push(at as u32);
    }
    tri_index.push(trigrams.len() as u32);
    (bi_index, tri_index)
}

/// Derives version 2 (with indexes) from version 1 bytes; version 2 bytes
/// come back as they are.
pub fn add_index(bytes: &[u8]) -> Result<Vec<u8>, String> {
    if bytes.get(..8) == Some(LM_MAGIC) {
        Layout::parse(bytes)?;
        return Ok(bytes.to_vec());
    }
    let old = Layout::parse_version(bytes, false)?;
    let new = Layout::new(old.order, old.counts, old.vocab.len(), old.unk, true);
    let mut out = vec![0u8; new.vocab.start + padded(new.vocab.len())];
    out[..HEADER_LEN].copy_from_slice(&bytes[..HEADER_LEN]);
    out[..8].copy_from_slice(LM_MAGIC);
    for (from, to) in [
        (&old.uni_prob, &new.uni_prob),
        (&old.uni_backoff, &new.uni_backoff),
        (&old.bi_keys, &new.bi_keys),
        (&old.bi_prob, &new.bi_prob),
        (&old.bi_backoff, &new.bi_backoff),
        (&old.tri_keys, &new.tri_keys),
        (&old.tri_prob, &new.tri_prob),
        (&old.vocab, &new.vocab),
    ] {
        out[to.clone()].copy_from_slice(&bytes[from.clone()]);
    }
    let keys = |range: &std::ops::Range<usize>| -> Vec<u64> {
        bytes[range.clone()]
            .chunks_exact(8)
            .map(|c| u64::from_le_bytes(c.try_into().unwrap()))
            .collect()
    };
    let (bi_index, tri_index) =
        build_index(old.counts[0], &keys(&old.bi_keys), &keys(&old.tri_keys));
    for (index, range) in [(&bi_index, &new.bi_index), (&tri_index, &new.tri_index)] {
        for (i, v) in index.iter().enumerate() {
            let at = range.start + 4 * i;
            out[at..at + 4].copy_from_slice(&v.to_le_bytes());
        }
    }
    Ok(out)
}
