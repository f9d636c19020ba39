//! The compiled n-gram model format, shared by the core library (reading)
//! and its build script (which writes an empty model when none is
//! committed yet).
//!
//! Every section starts at a multiple of 8 bytes, so the sections can be
//! read in place from an embedded or memory-mapped buffer:
//!
//! ```text
//! 0   "UNSPNLM8"
//! 8   u32 order (1..=3), u32 checksum of the body (bytes 56..)
//! 16  u64 unigram count, u64 bigram count, u64 trigram count
//! 40  u64 vocabulary FST length
//! 48  f32 log10 probability of an unknown word, u32 1 (checksum set;
//!     0 in files written before checksums, which are not checked)
//! 56  i16 unigram log10 probs      (x 1/1000), then i16 unigram backoffs
//!     u64 bigram table
//!     u64 trigram table
//!     vocabulary: fst::Map word -> id
//!     u64 vocabulary table
//! ```
//!
//! Word ids are the words' ranks in byte order. An n-gram key packs the ids
//! of its words, oldest first, [`ID_BITS`] bits each. Scores are log10
//! values quantised to thousandths and clamped to the i16 range.
//!
//! The bigrams and the trigrams are each an open-addressing hash table, in
//! the way of KenLM's probing tables: a slot holds a fingerprint of its
//! n-gram's key ([`fingerprint`]), how far the slot is from the key's home
//! slot ([`slot_of`], the displacement), and, in the same eight bytes, the
//! n-gram's scores ([`entry`]). A query thus reads one cache line most of
//! the time, and finds everything it needs there; the tables, under eleven
//! bytes an n-gram, are about half the size of tables that keep whole
//! keys with their scores beside them, so more of them stays in the cache.
//!
//! The entries are laid out in the order of their home slots, each in the
//! first free slot at or after its home ([`home_slots`] homes, four for
//! every three n-grams, then [`TABLE_TAIL`] slots for the last homes'
//! overflow, the last always empty). A lookup probes from the key's home
//! and stops at the first entry whose home lies past it, which its
//! displacement tells ([`scan`]): most queries are for n-grams the model
//! does not have (the back-off path), and in a table this full an
//! unordered probe for an absent key would pass some eight entries before
//! reaching an empty slot, the ordered one two or three.
//!
//! A fingerprint has 27 bits for a bigram and 43 for a trigram, and an
//! entry is taken for the key only if it also has the key's home: a query
//! for an absent n-gram is taken for a present one about once in 10^8
//! bigram lookups, and practically never for trigrams; it then reads that
//! n-gram's scores, a small error in one score, which the model's own
//! estimation error dwarfs. Two n-grams of the model that the lookup
//! could confuse are found when the table is built ([`write()`] fails).
//!
//! The vocabulary table finds a word's id the same way, by a hash of the
//! word ([`word_hash`]): each slot holds the top 43 bits of a word's hash
//! and its id ([`vocab_entry`]). A lookup compares hashes only, as KenLM's
//! probing tables do: an unknown word is taken for a known one only if
//! their hashes agree in all 43 bits, less than once in 10^12 lookups. Where
//! two words of the vocabulary share those bits, their slot says so
//! ([`SHARED_FINGERPRINT`]) and the FST answers. The FST alone would do,
//! but walking it costs some two thousand instructions a word, a
//! hash and a probe a few dozen.
//!
//! Version 1 ("UNSPNLM1") holds the n-grams in sorted arrays instead of
//! tables; it is how the embedded model is stored in the repository
//! (`data/lm/en-us.unlm`), and [`add_index`] (run by build.rs) derives the
//! current version from it; a version 1 file given to `--lm` is converted
//! the same way when it is loaded. Files of versions 2 to 7 (earlier
//! derived formats) are refused with the advice to run `unspin lm compile`
//! again.

/// Magic bytes at the start of a compiled model.
pub const LM_MAGIC: &[u8; 8] = b"UNSPNLM8";
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
    /// The n-gram keys: sorted in version 1, with the scores in the
    /// arrays after them at the same index; in the current version a hash
    /// table's slots, each holding its n-gram's scores, and the score
    /// arrays empty.
    pub bi_keys: std::ops::Range<usize>,
    pub bi_prob: std::ops::Range<usize>,
    pub bi_backoff: std::ops::Range<usize>,
    pub tri_keys: std::ops::Range<usize>,
    pub tri_prob: std::ops::Range<usize>,
    pub vocab: std::ops::Range<usize>,
    /// The vocabulary's hash table (empty in version 1).
    pub vocab_table: std::ops::Range<usize>,
}

/// How a version stores its n-grams.
#[derive(Debug, Clone, Copy, PartialEq)]
enum Storage {
    /// Version 1: sorted arrays.
    Sorted,
    /// The current version: hash tables of keys, with scores alongside.
    Tables,
}

impl Storage {
    fn of(magic: &[u8]) -> Option<Storage> {
        if magic == LM_MAGIC {
            Some(Storage::Tables)
        } else if magic == LM_MAGIC_V1 {
            Some(Storage::Sorted)
        } else {
            None
        }
    }
}

fn padded(len: usize) -> usize {
    len.div_ceil(8) * 8
}

impl Layout {
    fn new(
        order: usize,
        counts: [usize; 3],
        vocab_len: usize,
        unk: f32,
        storage: Storage,
    ) -> Layout {
        let mut pos = HEADER_LEN;
        let mut section = |len: usize| {
            let range = pos..pos + len;
            pos += padded(len);
            range
        };
        let [n1, n2, n3] = counts;
        let rows = |n: usize| match storage {
            Storage::Tables => table_slots(n),
            _ => n,
        };
        let (n2, n3) = (rows(n2), rows(n3));
        // The scores live in the table slots of the current version.
        let scores = |n: usize| match storage {
            Storage::Tables => 0,
            Storage::Sorted => n * 2,
        };
        Layout {
            order,
            counts,
            unk,
            uni_prob: section(n1 * 2),
            uni_backoff: section(n1 * 2),
            bi_keys: section(n2 * 8),
            bi_prob: section(scores(n2)),
            bi_backoff: section(scores(n2)),
            tri_keys: section(n3 * 8),
            tri_prob: section(scores(n3)),
            vocab: section(vocab_len),
            vocab_table: section(match storage {
                Storage::Tables => vocab_slots(n1) * 8,
                Storage::Sorted => 0,
            }),
        }
    }

    /// Reads and checks the header of a compiled model (current version).
    pub fn parse(bytes: &[u8]) -> Result<Layout, String> {
        match bytes.get(..8).and_then(Storage::of) {
            Some(Storage::Tables) | None => Layout::parse_any(bytes),
            Some(_) => Err("a model from an older unspin: run `unspin lm compile` again".into()),
        }
    }

    /// Reads and checks the header of a model of version 1 or the current one.
    fn parse_any(bytes: &[u8]) -> Result<Layout, String> {
        let storage = bytes
            .get(..8)
            .filter(|_| bytes.len() >= HEADER_LEN)
            .and_then(Storage::of);
        let Some(storage) = storage else {
            // Versions 2 to 7 were derived at build time; none is converted.
            return Err(if bytes.starts_with(b"UNSPNLM") {
                "a model from another unspin: run `unspin lm compile` again".into()
            } else {
                "not a compiled unspin language model (bad magic bytes)".into()
            });
        };
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
        let layout = Layout::new(order, counts, u64_at(40), unk, storage);
        if layout.vocab_table.end > bytes.len() {
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
    let sorted = write_sorted(parts)?;
    let layout = Layout::parse_any(&sorted).expect("a model just written is valid");
    with_tables(&sorted, &layout).map_err(|e| fst::Error::Io(std::io::Error::other(e)))
}

/// Serialises a model in version 1 (see [`write()`]).
fn write_sorted(parts: &ModelParts) -> Result<Vec<u8>, fst::Error> {
    let mut vocab = fst::MapBuilder::memory();
    for (id, word) in parts.words.iter().enumerate() {
        vocab.insert(word, id as u64)?;
    }
    let vocab = vocab.into_inner()?;
    let counts = [parts.words.len(), parts.bigrams.len(), parts.trigrams.len()];
    let layout = Layout::new(parts.order, counts, vocab.len(), parts.unk, Storage::Sorted);
    let mut out = vec![0u8; layout.vocab.start + padded(vocab.len())];
    out[..8].copy_from_slice(LM_MAGIC_V1);
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
    out[layout.vocab.clone()].copy_from_slice(&vocab);
    Ok(out)
}

/// The content of an empty slot of an n-gram or vocabulary table: no
/// n-gram's entry (its fingerprint is never 0) and no word's (see
/// [`vocab_entry`]).
pub const EMPTY_SLOT: u64 = 0;

/// The fingerprint of an n-gram key, in the low `bits` bits: a hash of
/// the key independent of [`slot_of`]'s, never 0 so that an entry is never
/// [`EMPTY_SLOT`].
#[inline]
pub fn fingerprint(key: u64, bits: u32) -> u64 {
    let mut hash = key ^ (key >> 31);
    hash = hash.wrapping_mul(0xD6E8_FEB8_6659_FD93);
    hash ^= hash >> 29;
    (hash >> (64 - bits)).max(1)
}

/// Bits of a bigram entry that hold its scores: the probability, then the
/// back-off, 16 bits each.
pub const BIGRAM_SCORE_BITS: u32 = 32;

/// Bits of a trigram entry that hold its probability.
pub const TRIGRAM_SCORE_BITS: u32 = 16;

/// Bits of an entry, just above its scores, that hold its displacement:
/// how many slots past its home it lies, or [`FAR`] for that many or more.
pub const DISPLACEMENT_BITS: u32 = 5;

/// The displacement stored for an entry this many or more slots past its
/// home; a lookup cannot tell where such an entry's home is, only that it
/// is at least this far back.
pub const FAR: u64 = (1 << DISPLACEMENT_BITS) - 1;

/// Bits of the fingerprint of an entry with `score_bits` bits of scores:
/// the rest of its eight bytes.
pub fn fingerprint_bits(score_bits: u32) -> u32 {
    64 - score_bits - DISPLACEMENT_BITS
}

/// The scores of a bigram entry.
pub fn bigram_scores(prob: i16, backoff: i16) -> u64 {
    (prob as u16 as u64) << 16 | backoff as u16 as u64
}

/// The scores of a trigram entry.
pub fn trigram_scores(prob: i16) -> u64 {
    prob as u16 as u64
}

/// A table slot holding the n-gram `key`, `displacement` slots past its
/// home, with `scores` in the low `score_bits` bits.
pub fn entry(key: u64, score_bits: u32, scores: u64, displacement: usize) -> u64 {
    let displacement = (displacement as u64).min(FAR);
    let tag = fingerprint(key, fingerprint_bits(score_bits)) << DISPLACEMENT_BITS | displacement;
    tag << score_bits | scores
}

/// Home slots of the hash table for `keys` n-grams: four for every three,
/// a little fuller than KenLM's default of three for two, so that the
/// installed binary stays under 50 MB. Plus one, so that a table of no
/// n-grams has a home.
pub fn home_slots(keys: usize) -> usize {
    keys + keys / 3 + 1
}

/// Slots after the last home: room for the entries that overflow it, and
/// an empty slot at the end where every lookup stops.
pub const TABLE_TAIL: usize = 64;

/// Slots of the hash table for `keys` n-grams.
pub fn table_slots(keys: usize) -> usize {
    home_slots(keys) + TABLE_TAIL
}

/// The scores of the n-gram whose home is `home` and fingerprint
/// `fingerprint` in `table`, whose entries have `score_bits` bits of
/// scores, if the table has it; `first` is the content of slot `home`,
/// read by the caller (so that several lookups can read their first slots
/// before any of them goes on).
///
/// The entries lie in the order of their homes: an entry whose
/// displacement is less than the distance probed so far has its home past
/// `home`, and so has every entry after it.
#[inline]
pub fn scan(
    table: &[u64],
    home: usize,
    fingerprint: u64,
    score_bits: u32,
    first: u64,
) -> Option<u64> {
    let mut found = first;
    let mut distance = 0u64;
    loop {
        if found == EMPTY_SLOT {
            return None;
        }
        let tag = found >> score_bits;
        let displacement = tag & FAR;
        let here = distance.min(FAR);
        if displacement < here {
            return None;
        }
        if displacement == here && tag >> DISPLACEMENT_BITS == fingerprint {
            return Some(found & ((1 << score_bits) - 1));
        }
        distance += 1;
        found = u64::from_le(table[home + distance as usize]);
    }
}

/// Slots of the vocabulary table for `words` words: twice as many, since
/// the table is small and looked up once per distinct word of a text.
pub fn vocab_slots(words: usize) -> usize {
    2 * words + 1
}

/// The home slot of `key` in a table of `homes` home slots: a hash of the
/// key scaled to the table (by multiplication, as the number of homes is
/// not a power of two), so that homes follow the order of the hashes.
pub fn slot_of(key: u64, homes: usize) -> usize {
    let hash = key.wrapping_mul(0x9E37_79B9_7F4A_7C15);
    ((hash as u128 * homes as u128) >> 64) as usize
}

/// The slot probed after `slot` in a table of `slots` slots (the
/// vocabulary table, which wraps around).
pub fn next_slot(slot: usize, slots: usize) -> usize {
    if slot + 1 == slots {
        0
    } else {
        slot + 1
    }
}

/// The hash of a word for the vocabulary table: FNV-1a over its bytes,
/// then MurmurHash3's 64-bit finaliser, so that every bit of the hash
/// depends on every byte of the word. Part of the format: a model's table
/// is only valid with the hash it was built with.
pub fn word_hash(word: &[u8]) -> u64 {
    let mut hash: u64 = 0xcbf2_9ce4_8422_2325;
    for &byte in word {
        hash ^= byte as u64;
        hash = hash.wrapping_mul(0x0000_0100_0000_01b3);
    }
    hash ^= hash >> 33;
    hash = hash.wrapping_mul(0xff51_afd7_ed55_8ccd);
    hash ^= hash >> 33;
    hash = hash.wrapping_mul(0xc4ce_b9fe_1a85_ec53);
    hash ^ (hash >> 33)
}

/// The bits of a vocabulary table slot that hold the word's id.
const ID_MASK: u64 = (1 << ID_BITS) - 1;

/// The id in the vocabulary table of a fingerprint that several words of
/// the vocabulary share (one more than the largest id there can be): the
/// FST tells them apart.
pub const SHARED_FINGERPRINT: u32 = MAX_VOCAB as u32;

/// The bits of a word's hash that the vocabulary table keeps: all but
/// the [`ID_BITS`] low ones.
fn word_fingerprint(hash: u64) -> u64 {
    hash & !ID_MASK
}

/// The first slot to probe for a word of hash `hash` in a vocabulary table
/// of `slots` slots. It depends on the fingerprint alone, so that words
/// that share one share their probe sequence too.
fn vocab_slot(hash: u64, slots: usize) -> usize {
    slot_of(word_fingerprint(hash), slots)
}

/// A vocabulary table slot: the word's fingerprint, and its id in the low
/// bits. A word's slot is never [`EMPTY_SLOT`]: its id is never 0 with a
/// fingerprint of 0 (one chance in 2^43 that a word's is 0, and then the
/// word reads as unknown if its id is 0 too).
pub fn vocab_entry(hash: u64, id: u32) -> u64 {
    word_fingerprint(hash) | id as u64
}

/// The id that the vocabulary `table` holds for a word of hash `hash`
/// (perhaps [`SHARED_FINGERPRINT`]), or `None` if it holds none. Probes
/// each slot at most once, so that a damaged table without an empty slot
/// cannot make it loop.
pub fn vocab_lookup(table: &[u64], hash: u64) -> Option<u32> {
    let mut slot = vocab_slot(hash, table.len());
    for _ in 0..table.len() {
        let entry = u64::from_le(table[slot]);
        if entry == EMPTY_SLOT {
            return None;
        }
        if word_fingerprint(entry) == word_fingerprint(hash) {
            return Some((entry & ID_MASK) as u32);
        }
        slot = next_slot(slot, table.len());
    }
    None
}

/// The vocabulary table of the FST `vocab` (see the module docs).
fn build_vocab_table(vocab: &[u8]) -> Result<Vec<u64>, fst::Error> {
    use fst::Streamer;
    let vocab = fst::Map::new(vocab)?;
    let slots = vocab_slots(vocab.len());
    let mut table = vec![EMPTY_SLOT; slots];
    let mut words = vocab.stream();
    while let Some((word, id)) = words.next() {
        insert_word(&mut table, word_hash(word), id as u32);
    }
    Ok(table)
}

/// Enters the word of hash `hash` and id `id` in the vocabulary `table`,
/// or marks its slot [`SHARED_FINGERPRINT`] if a word of the same
/// fingerprint is there already.
fn insert_word(table: &mut [u64], hash: u64, id: u32) {
    let mut slot = vocab_slot(hash, table.len());
    loop {
        let entry = table[slot];
        if entry == EMPTY_SLOT {
            table[slot] = vocab_entry(hash, id);
            return;
        }
        if word_fingerprint(entry) == word_fingerprint(hash) {
            table[slot] = vocab_entry(hash, SHARED_FINGERPRINT);
            return;
        }
        slot = next_slot(slot, table.len());
    }
}

/// The hash table of the n-grams `keys` with their `scores` (see the module
/// docs), or why it cannot be built: two n-grams a lookup would confuse,
/// or more overflow past the last home than the tail holds.
fn build_table(
    keys_and_scores: impl ExactSizeIterator<Item = (u64, u64)>,
    score_bits: u32,
) -> Result<Vec<u64>, String> {
    let n = keys_and_scores.len();
    let homes = home_slots(n);
    let mut table = vec![EMPTY_SLOT; table_slots(n)];
    let mut placed: Vec<(usize, u64, u64)> = keys_and_scores
        .map(|(key, scores)| (slot_of(key, homes), key, scores))
        .collect();
    placed.sort_unstable();
    let mut free = 0;
    for &(home, key, scores) in &placed {
        let slot = home.max(free);
        if slot + 1 >= table.len() {
            return Err("the n-grams overflow the table's tail".into());
        }
        table[slot] = entry(key, score_bits, scores, slot - home);
        free = slot + 1;
    }
    let bits = fingerprint_bits(score_bits);
    for &(home, key, scores) in &placed {
        let found = scan(
            &table,
            home,
            fingerprint(key, bits),
            score_bits,
            table[home],
        );
        if found != Some(scores) {
            return Err(format!(
                "n-gram key {key:#x} is confused with another of the same home and fingerprint"
            ));
        }
    }
    Ok(table)
}

/// Derives the current version (hash tables) from the bytes of a version 1
/// model; bytes of the current version come back as they are.
pub fn add_index(bytes: &[u8]) -> Result<Vec<u8>, String> {
    let old = Layout::parse_any(bytes)?;
    if bytes[..8] == *LM_MAGIC {
        return Ok(bytes.to_vec());
    }
    with_tables(bytes, &old)
}

/// The current version of the model in `bytes`, an older version laid out
/// as `old` (its n-grams in sorted arrays).
fn with_tables(bytes: &[u8], old: &Layout) -> Result<Vec<u8>, String> {
    let new = Layout::new(
        old.order,
        old.counts,
        old.vocab.len(),
        old.unk,
        Storage::Tables,
    );
    let mut out = vec![0u8; new.vocab_table.end];
    out[..HEADER_LEN].copy_from_slice(&bytes[..HEADER_LEN]);
    out[..8].copy_from_slice(LM_MAGIC);
    for (from, to) in [
        (&old.uni_prob, &new.uni_prob),
        (&old.uni_backoff, &new.uni_backoff),
        (&old.vocab, &new.vocab),
    ] {
        out[to.clone()].copy_from_slice(&bytes[from.clone()]);
    }
    let u64s = |range: &std::ops::Range<usize>| {
        bytes[range.clone()]
            .chunks_exact(8)
            .map(|c| u64::from_le_bytes(c.try_into().unwrap()))
    };
    let i16s = |range: &std::ops::Range<usize>| {
        bytes[range.clone()]
            .chunks_exact(2)
            .map(|c| i16::from_le_bytes([c[0], c[1]]))
    };
    let bigrams = u64s(&old.bi_keys)
        .zip(i16s(&old.bi_prob).zip(i16s(&old.bi_backoff)))
        .map(|(key, (prob, backoff))| (key, bigram_scores(prob, backoff)));
    let trigrams = u64s(&old.tri_keys)
        .zip(i16s(&old.tri_prob))
        .map(|(key, prob)| (key, trigram_scores(prob)));
    let vocab_table =
        build_vocab_table(&bytes[old.vocab.clone()]).map_err(|e| format!("vocabulary: {e}"))?;
    let bigram_table =
        build_table(bigrams, BIGRAM_SCORE_BITS).map_err(|e| format!("bigrams: {e}"))?;
    let trigram_table =
        build_table(trigrams, TRIGRAM_SCORE_BITS).map_err(|e| format!("trigrams: {e}"))?;
    for (table, to) in [
        (bigram_table, &new.bi_keys),
        (trigram_table, &new.tri_keys),
        (vocab_table, &new.vocab_table),
    ] {
        for (slot, entry) in table.iter().enumerate() {
            let at = to.start + 8 * slot;
            out[at..at + 8].copy_from_slice(&entry.to_le_bytes());
        }
    }
    let sum = body_checksum(&out);
    out[12..16].copy_from_slice(&sum.to_le_bytes());
    out[52..56].copy_from_slice(&CHECKSUM_SET.to_le_bytes());
    Ok(out)
}

/// The value at byte 52 of a model whose body checksum is at byte 12.
pub const CHECKSUM_SET: u32 = 1;

/// A checksum of everything after the header of a current-version model:
/// FNV-1a over its 8-byte words, folded to 32 bits. A damaged region
/// changes it but for a chance of one in 2^32.
pub fn body_checksum(bytes: &[u8]) -> u32 {
    let mut hash: u64 = 0xcbf2_9ce4_8422_2325;
    let body = bytes.get(HEADER_LEN..).unwrap_or(&[]);
    let mut words = body.chunks_exact(8);
    for word in &mut words {
        hash ^= u64::from_le_bytes(word.try_into().expect("8 bytes"));
        hash = hash.wrapping_mul(0x0000_0100_0000_01b3);
    }
    for &byte in words.remainder() {
        hash ^= byte as u64;
        hash = hash.wrapping_mul(0x0000_0100_0000_01b3);
    }
    (hash ^ (hash >> 32)) as u32
}

/// Whether the body of a current-version model matches its checksum;
/// `None` for a model written before checksums (nothing to check).
pub fn checksum_matches(bytes: &[u8]) -> Option<bool> {
    let u32_at = |p: usize| Some(u32::from_le_bytes(bytes.get(p..p + 4)?.try_into().ok()?));
    if u32_at(52)? != CHECKSUM_SET {
        return None;
    }
    Some(u32_at(12)? == body_checksum(bytes))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parts() -> ModelParts {
        ModelParts {
            words: ["</s>", "<s>", "a", "b"].map(String::from).to_vec(),
            uni_prob: vec![-1000, -9000, -700, -800],
            uni_backoff: vec![0, -100, -200, -300],
            bigrams: vec![(pack(&[1, 2]), -300, -20), (pack(&[2, 3]), -400, -30)],
            trigrams: vec![(pack(&[1, 2, 3]), -100)],
            order: 3,
            unk: -10.0,
        }
    }

    #[test]
    fn the_vocabulary_table_finds_every_word_and_no_other() {
        let parts = ModelParts {
            words: (0..5000).map(|i| format!("w{i:05}")).collect(),
            ..parts()
        };
        let bytes = write_sorted(&parts).unwrap();
        let layout = Layout::parse_any(&bytes).unwrap();
        let table = build_vocab_table(&bytes[layout.vocab]).unwrap();
        assert_eq!(table.len(), vocab_slots(5000));
        for (id, word) in parts.words.iter().enumerate() {
            assert_eq!(
                vocab_lookup(&table, word_hash(word.as_bytes())),
                Some(id as u32)
            );
        }
        for absent in ["w5000", "w0000 ", "", "W00001", "w0001"] {
            assert_eq!(vocab_lookup(&table, word_hash(absent.as_bytes())), None);
        }
        // A damaged table with no empty slot still answers.
        let full = vec![vocab_entry(word_hash(b"w00000"), 0); 7];
        assert_eq!(vocab_lookup(&full, word_hash(b"absent")), None);
    }

    #[test]
    fn words_that_share_a_fingerprint_are_marked_for_the_fst() {
        let mut table = vec![EMPTY_SLOT; vocab_slots(3)];
        let (hash, other) = (word_hash(b"cat"), word_hash(b"dog"));
        // The same bits above the id: the same fingerprint.
        let twin = hash ^ 1;
        insert_word(&mut table, hash, 7);
        insert_word(&mut table, other, 8);
        assert_eq!(vocab_lookup(&table, hash), Some(7));
        insert_word(&mut table, twin, 9);
        assert_eq!(vocab_lookup(&table, hash), Some(SHARED_FINGERPRINT));
        assert_eq!(vocab_lookup(&table, twin), Some(SHARED_FINGERPRINT));
        assert_eq!(vocab_lookup(&table, other), Some(8));
    }

    /// Deterministic pseudo-random keys.
    fn keys(seed: u64) -> impl Iterator<Item = u64> {
        let mut x = seed;
        std::iter::repeat_with(move || {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            x >> 1
        })
    }

    /// Looks `key` up in `table` as a reader does.
    fn find(table: &[u64], key: u64, score_bits: u32) -> Option<u64> {
        let home = slot_of(key, table.len() - TABLE_TAIL);
        let fingerprint = fingerprint(key, fingerprint_bits(score_bits));
        scan(table, home, fingerprint, score_bits, table[home])
    }

    #[test]
    fn a_table_finds_every_ngram_and_no_other() {
        let present: Vec<u64> = keys(1).take(20_000).collect();
        let table = build_table(
            present.iter().map(|&k| (k, k & 0xffff_ffff)),
            BIGRAM_SCORE_BITS,
        )
        .unwrap();
        assert_eq!(table.len(), table_slots(present.len()));
        assert_eq!(table.last(), Some(&EMPTY_SLOT));
        for &key in &present {
            assert_eq!(
                find(&table, key, BIGRAM_SCORE_BITS),
                Some(key & 0xffff_ffff)
            );
        }
        let set: std::collections::HashSet<u64> = present.iter().copied().collect();
        for key in keys(2).filter(|k| !set.contains(k)).take(20_000) {
            assert_eq!(find(&table, key, BIGRAM_SCORE_BITS), None, "{key:#x}");
        }
    }

    /// Entries more than [`FAR`] slots past their home store only that
    /// they are far; lookups still find them, and stop for absent keys.
    #[test]
    fn entries_far_from_their_home_are_found() {
        let n = 60;
        let homes = home_slots(n);
        let crowded: Vec<u64> = keys(3)
            .filter(|&k| slot_of(k, homes) == 0)
            .take(n)
            .collect();
        let table =
            build_table(crowded.iter().map(|&k| (k, k & 0xffff)), TRIGRAM_SCORE_BITS).unwrap();
        assert!(table[FAR as usize + 5] != EMPTY_SLOT);
        for &key in &crowded {
            assert_eq!(find(&table, key, TRIGRAM_SCORE_BITS), Some(key & 0xffff));
        }
        let absent_at_home = keys(4)
            .filter(|&k| slot_of(k, homes) == 0 && !crowded.contains(&k))
            .take(50);
        for key in absent_at_home.chain(keys(5).take(2_000)) {
            assert_eq!(find(&table, key, TRIGRAM_SCORE_BITS), None, "{key:#x}");
        }
    }

    #[test]
    fn version_1_models_convert_to_the_current_one() {
        let current = write(&parts()).unwrap();
        assert!(add_index(&current).unwrap() == current);
        let sorted = write_sorted(&parts()).unwrap();
        assert!(add_index(&sorted).unwrap() == current);
    }
}
