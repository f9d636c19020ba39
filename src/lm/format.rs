//! The compiled n-gram model format, shared by the library (reading) and
//! build.rs (which writes an empty model when none is committed yet); it
//! depends on nothing of the crate but `fst`.
//!
//! Every section starts at a multiple of 8 bytes, so the sections can be
//! read in place from an embedded or memory-mapped buffer:
//!
//! ```text
//! 0   "UNSPNLM3"
//! 8   u32 order (1..=3), u32 zero
//! 16  u64 unigram count, u64 bigram count, u64 trigram count
//! 40  u64 vocabulary FST length
//! 48  f32 log10 probability of an unknown word, u32 zero
//! 56  i16 unigram log10 probs      (x 1/1000), then i16 unigram backoffs
//!     u64 bigram keys (sorted),    i16 bigram probs, i16 bigram backoffs
//!     u64 trigram keys (sorted),   i16 trigram probs
//!     u32 bigram hash table, u32 trigram hash table (see below)
//!     vocabulary: fst::Map word -> id
//! ```
//!
//! Word ids are the words' ranks in byte order. An n-gram key packs the ids
//! of its words, oldest first, [`ID_BITS`] bits each. Scores are log10
//! values quantised to thousandths and clamped to the i16 range.
//!
//! The hash tables turn a lookup among millions of sorted keys (a binary
//! search: some twenty cache misses) into one or two probes. Each has a
//! power-of-two number of slots, at least 4/3 of its keys; a key starts at
//! slot [`slot_of`] and probes linearly. A slot is `u32::MAX` when empty;
//! otherwise its low [`position_bits`] bits hold the position of a key in
//! the sorted array and the bits above them a fingerprint of that key
//! ([`tag`]). Reading a key is a random access to another array (a cache
//! miss), and most queries are for n-grams the model does not have (the
//! back-off path): the fingerprint rejects nearly all non-matching slots
//! without that read.
//!
//! Version 1 ("UNSPNLM1") is the same without the tables; it is how the
//! embedded model is stored in the repository (`data/lm/en-us.unlm`), and
//! [`add_index`] (run by build.rs) derives the current version from it.
//! Version 2 ("UNSPNLM2") had tables of bare positions, without
//! fingerprints; [`add_index`] rebuilds its tables too.

/// Magic bytes at the start of a compiled model.
pub const LM_MAGIC: &[u8; 8] = b"UNSPNLM3";
/// Magic bytes of the version whose hash tables hold no fingerprints.
pub const LM_MAGIC_V2: &[u8; 8] = b"UNSPNLM2";
/// Magic bytes of the version without hash tables.
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
    pub bi_table: std::ops::Range<usize>,
    /// Empty in version 1.
    pub tri_table: std::ops::Range<usize>,
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
            bi_table: section(if indexed { table_slots(n2) * 4 } else { 0 }),
            tri_table: section(if indexed { table_slots(n3) * 4 } else { 0 }),
            vocab: section(vocab_len),
        }
    }

    /// Reads and checks the header of a compiled model (current version).
    pub fn parse(bytes: &[u8]) -> Result<Layout, String> {
        if bytes.get(..8) == Some(LM_MAGIC_V1) || bytes.get(..8) == Some(LM_MAGIC_V2) {
            return Err("a model from an older unspin: run `unspin lm compile` again".into());
        }
        Layout::parse_version(bytes, LM_MAGIC)
    }

    /// Reads and checks the header of a model of the version of `magic`
    /// (versions 2 and 3 share their layout).
    fn parse_version(bytes: &[u8], magic: &[u8; 8]) -> Result<Layout, String> {
        let indexed = magic != LM_MAGIC_V1;
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
    put(
        &mut out,
        layout.bi_table.start,
        build_table(&bigram_keys).iter().map(|v| v.to_le_bytes()),
    );
    put(
        &mut out,
        layout.tri_table.start,
        build_table(&trigram_keys).iter().map(|v| v.to_le_bytes()),
    );
    out[layout.vocab.clone()].copy_from_slice(&vocab);
    Ok(out)
}

/// An empty hash-table slot.
pub const EMPTY_SLOT: u32 = u32::MAX;

/// Slots of the hash table for `keys` keys: a power of two, at least 4/3 as many.
pub fn table_slots(keys: usize) -> usize {
    (keys + keys / 3 + 1).next_power_of_two()
}

/// The first slot to probe for `key` in a table of `slots` slots.
pub fn slot_of(key: u64, slots: usize) -> usize {
    (key.wrapping_mul(0x9E37_79B9_7F4A_7C15) >> 32) as usize & (slots - 1)
}

/// Bits of a slot that hold a key's position in a table of `keys` keys:
/// enough to write `keys` itself, so that a position (at most `keys - 1`)
/// never has all of them set and no occupied slot reads as [`EMPTY_SLOT`].
/// The bits above them hold the fingerprint.
pub fn position_bits(keys: usize) -> u32 {
    (usize::BITS - keys.leading_zeros()).min(32)
}

/// The fingerprint of `key` in a slot whose low `position_bits` bits hold
/// the position: the top bits of a hash independent of [`slot_of`]'s (a
/// second multiplier), so that keys probing the same slots differ in it.
pub fn tag(key: u64, position_bits: u32) -> u32 {
    let hash = (key.wrapping_mul(0xC2B2_AE3D_27D4_EB4F) >> 32) as u32;
    hash.checked_shr(position_bits)
        .map_or(0, |fingerprint| fingerprint << position_bits)
}

/// The hash table of a key array (see the module docs).
fn build_table(keys: &[u64]) -> Vec<u32> {
    let slots = table_slots(keys.len());
    let bits = position_bits(keys.len());
    let mut table = vec![EMPTY_SLOT; slots];
    for (position, &key) in keys.iter().enumerate() {
        let mut slot = slot_of(key, slots);
        while table[slot] != EMPTY_SLOT {
            slot = (slot + 1) & (slots - 1);
        }
        table[slot] = tag(key, bits) | position as u32;
    }
    table
}

/// Derives the current version (with hash tables) from version 1 or 2
/// bytes; bytes of the current version come back as they are.
pub fn add_index(bytes: &[u8]) -> Result<Vec<u8>, String> {
    if bytes.get(..8) == Some(LM_MAGIC) {
        Layout::parse(bytes)?;
        return Ok(bytes.to_vec());
    }
    let magic = if bytes.get(..8) == Some(LM_MAGIC_V2) {
        LM_MAGIC_V2
    } else {
        LM_MAGIC_V1
    };
    let old = Layout::parse_version(bytes, magic)?;
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
    for (from, to) in [
        (&old.bi_keys, &new.bi_table),
        (&old.tri_keys, &new.tri_table),
    ] {
        for (i, v) in build_table(&keys(from)).iter().enumerate() {
            let at = to.start + 4 * i;
            out[at..at + 4].copy_from_slice(&v.to_le_bytes());
        }
    }
    Ok(out)
}
