//! The reverse-synonym dictionary: spun phrase -> candidate originals.
//!
//! A [`Dictionary`] is one compiled layer (see [`compile`] for the format):
//! an FST whose keys are normalised spun phrases and whose values point into
//! a table of candidate originals, each with a log10 weight and a source.
//! [`Dictionary::matches_at`] walks the FST along the words of a sentence
//! and reports every phrase that starts at a given word, so multi-word keys
//! ("joint chiefs of employees") and single words are found in one pass.
//!
//! Possessives are matched through their stem: "Individuals’s" finds the
//! entry for "individuals" and the match remembers to put the "’s" back.

pub use unspin_formats::dict as compile;

use std::borrow::Cow;

use crate::case::{is_name, starts_uppercase};
use crate::key::normalize_key;
pub use compile::{DictError, Entry};

/// The default dictionary, compiled from `data/dict/*.csv` by build.rs.
static DEFAULT_DICT: &[u8] = include_bytes!(concat!(env!("OUT_DIR"), "/default.dict"));

/// A word of a sentence as the matcher sees it.
#[derive(Debug, Clone, Copy)]
pub struct MatchWord<'a> {
    /// The word normalised like dictionary keys (lowercase, straight apostrophes).
    pub key: &'a str,
    /// How the word is joined to the next one, if a phrase may continue
    /// across the gap: `b' '` for plain spaces, `b'-'` for a hyphen.
    pub joiner: Option<u8>,
    /// The word as written starts with a capital letter, as the words of
    /// a name do ([`Candidate::fits`]).
    pub capitalized: bool,
}

/// A dictionary phrase found in the text.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PhraseMatch {
    /// Index of the first word matched.
    pub start: usize,
    /// Index one past the last word matched.
    pub end: usize,
    /// The last word matched only through its stem: it ends in `'s`, which
    /// the replacement must keep.
    pub possessive: bool,
    /// Where the candidates are in the table.
    offset: u64,
}

impl PhraseMatch {
    /// Which entry of its dictionary the match found: matches of one
    /// dictionary with the same entry have the same candidates.
    pub fn entry(&self) -> u64 {
        self.offset
    }
}

/// Keeps the matches of `found` that touch no word already `claimed`, and
/// claims their words: a word one dictionary has an entry for is not
/// offered to the dictionaries after it. Matches of the same dictionary may
/// overlap each other.
pub fn claim(found: &mut Vec<PhraseMatch>, claimed: &mut [bool]) {
    found.retain(|m| !claimed[m.start..m.end].contains(&true));
    for m in found.iter() {
        claimed[m.start..m.end].fill(true);
    }
}

/// One candidate original for a spun phrase.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Candidate<'a> {
    pub original: &'a str,
    /// log10 P(spinner writes the spun phrase | original).
    pub weight: f32,
    pub source: &'a str,
    /// How sure it is that the spun phrase never occurs in clean text (0 to 1).
    pub confidence: f32,
}

impl Candidate<'_> {
    /// Whether this candidate may replace `spun`, the words of a match as
    /// the text writes them: a candidate of several words written as a
    /// name ("White House", "Joint Chiefs of Staff", "CBS News",
    /// [`crate::case::is_name`]) replaces only words written as a name too.
    /// A spinner keeps the case of the words it replaces: the residence
    /// comes out as "the White Home", and "a modest white home" is a house.
    /// Any other candidate fits any words.
    ///
    /// ```
    /// use unspin_core::dict::{Candidate, MatchWord};
    ///
    /// let white_house = Candidate {
    ///     original: "White House",
    ///     weight: 0.0,
    ///     source: "curated",
    ///     confidence: 0.0,
    /// };
    /// let written = |capitalized| {
    ///     ["white", "home"].map(|key| MatchWord { key, joiner: Some(b' '), capitalized })
    /// };
    /// assert!(white_house.fits(&written(true)));
    /// assert!(!white_house.fits(&written(false)));
    /// ```
    pub fn fits(&self, spun: &[MatchWord<'_>]) -> bool {
        !self.is_name() || is_name(spun.iter().map(|w| (w.capitalized, w.key)))
    }

    /// Whether the original is a name of several words.
    pub fn is_name(&self) -> bool {
        let words = self.original.split(' ');
        self.original.contains(' ') && is_name(words.map(|w| (starts_uppercase(w), w)))
    }
}

/// One compiled dictionary layer.
pub struct Dictionary {
    fst: fst::raw::Fst<Cow<'static, [u8]>>,
    table: Cow<'static, [u8]>,
    sources: Vec<String>,
    name: String,
    /// See [`Dictionary::identity`].
    identity: u64,
}

impl std::fmt::Debug for Dictionary {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Dictionary")
            .field("name", &self.name)
            .field("keys", &self.fst.len())
            .finish()
    }
}

/// A candidate record of the table, as stored (see [`compile`]).
struct Record<'a> {
    weight: f32,
    source: usize,
    confidence: f32,
    text: &'a [u8],
}

impl<'a> Record<'a> {
    /// The record at `pos`, and where the next one starts.
    fn parse(table: &'a [u8], pos: usize) -> Option<(Record<'a>, usize)> {
        let head = table.get(pos..pos + 9)?;
        let len = u16::from_le_bytes([head[7], head[8]]) as usize;
        let text = table.get(pos + 9..pos + 9 + len)?;
        let record = Record {
            weight: f32::from_le_bytes(head[..4].try_into().unwrap()),
            source: u16::from_le_bytes([head[4], head[5]]) as usize,
            confidence: head[6] as f32 / 255.0,
            text,
        };
        Some((record, pos + 9 + len))
    }
}

/// The longest phrase, in words, the matcher will try.
pub const MAX_PHRASE_WORDS: usize = 8;

impl Dictionary {
    /// The dictionary built into the binary.
    pub fn embedded() -> Dictionary {
        // build.rs compiled these bytes with this crate's own compiler, so
        // the checks for damaged or crafted files (a walk over every key,
        // a third of start-up time) are not needed.
        Dictionary::parse(Cow::Borrowed(DEFAULT_DICT), "embedded dictionary")
            .expect("the embedded dictionary is valid: build.rs compiled it")
    }

    /// Compiles CSV rows into a dictionary in memory.
    pub fn from_entries(entries: &[Entry], name: &str) -> Result<Dictionary, DictError> {
        Dictionary::from_bytes(Cow::Owned(compile::compile(entries)?), name)
    }

    /// Loads a compiled dictionary from any source, checking it fully:
    /// damaged or crafted bytes are an error, never a panic later. `name`
    /// is used in error messages.
    pub fn from_bytes(bytes: Cow<'static, [u8]>, name: &str) -> Result<Dictionary, DictError> {
        let dict = Dictionary::parse(bytes, name)?;
        let format = |message: &str| DictError::Format {
            name: name.to_string(),
            message: message.to_string(),
        };
        // The fst crate may panic on corrupt node bytes; its checksum turns
        // a damaged or foreign file into an error instead.
        dict.fst.verify().map_err(|e| format(&e.to_string()))?;
        // Walking every key visits every FST node the matcher can reach. The
        // fst crate trusts its node bytes and may panic on a crafted file
        // whose checksum was forged to match; such a file is an error here,
        // not a crash later.
        let walked =
            std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| dict.validate_table()));
        match walked {
            Ok(checked) => checked.map_err(|m| format(&m))?,
            Err(_) => return Err(format("corrupt FST")),
        }
        Ok(dict)
    }

    /// Reads the sections of a compiled dictionary, checking only its
    /// framing (magic, lengths, the FST header).
    fn parse(bytes: Cow<'static, [u8]>, name: &str) -> Result<Dictionary, DictError> {
        let format = |message: &str| DictError::Format {
            name: name.to_string(),
            message: message.to_string(),
        };
        let mut pos = 0usize;
        let mut take = |n: usize| -> Result<std::ops::Range<usize>, DictError> {
            // `pos <= bytes.len()` always; `pos + n` could overflow.
            if bytes.len() - pos < n {
                return Err(format("truncated"));
            }
            pos += n;
            Ok(pos - n..pos)
        };
        if bytes.get(..8) != Some(compile::DICT_MAGIC) {
            return Err(format("bad magic bytes"));
        }
        take(8)?;
        let n_sources = u32::from_le_bytes(bytes[take(4)?].try_into().unwrap()) as usize;
        let mut sources = Vec::with_capacity(n_sources.min(1024));
        for _ in 0..n_sources {
            let len = u16::from_le_bytes(bytes[take(2)?].try_into().unwrap()) as usize;
            let range = take(len)?;
            let source = std::str::from_utf8(&bytes[range]).map_err(|_| format("bad source"))?;
            sources.push(source.to_string());
        }
        let fst_len = u64::from_le_bytes(bytes[take(8)?].try_into().unwrap()) as usize;
        let fst_range = take(fst_len)?;
        let table_start = fst_range.end;
        let (fst_bytes, table) = match bytes {
            Cow::Borrowed(b) => (
                Cow::Borrowed(&b[fst_range]),
                Cow::Borrowed(&b[table_start..]),
            ),
            Cow::Owned(b) => (
                Cow::Owned(b[fst_range].to_vec()),
                Cow::Owned(b[table_start..].to_vec()),
            ),
        };
        let fst = fst::raw::Fst::new(fst_bytes).map_err(|e| format(&e.to_string()))?;
        static LOADED: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(1);
        Ok(Dictionary {
            fst,
            table,
            sources,
            name: name.to_string(),
            identity: LOADED.fetch_add(1, std::sync::atomic::Ordering::Relaxed),
        })
    }

    /// A number no other dictionary loaded by this process has, so that
    /// what is worked out from this one (its walks, kept between texts)
    /// is never read against another, even one loaded at the same address
    /// after this one is dropped.
    pub fn identity(&self) -> u64 {
        self.identity
    }

    /// Checks that every value points at a well-formed candidate list, so
    /// that [`Dictionary::candidates`] can index without failing.
    fn validate_table(&self) -> Result<(), String> {
        use fst::Streamer;
        let mut stream = self.fst.stream();
        while let Some((_, out)) = stream.next() {
            let mut pos = out.value() as usize;
            let count = *self.table.get(pos).ok_or("value out of range")? as usize;
            pos += 1;
            for _ in 0..count {
                let (record, next) = Record::parse(&self.table, pos).ok_or("table truncated")?;
                if record.source >= self.sources.len() {
                    return Err("source index out of range".into());
                }
                std::str::from_utf8(record.text).map_err(|_| "candidate is not UTF-8")?;
                pos = next;
            }
        }
        Ok(())
    }

    /// A name for messages: the file it came from, or "embedded dictionary".
    pub fn name(&self) -> &str {
        &self.name
    }

    /// Number of spun phrases.
    pub fn len(&self) -> usize {
        self.fst.len()
    }

    /// Whether the dictionary has no phrases.
    pub fn is_empty(&self) -> bool {
        self.fst.len() == 0
    }

    /// Candidates for a phrase key (already normalised), if it is present.
    pub fn lookup(&self, key: &str) -> Option<impl Iterator<Item = Candidate<'_>>> {
        self.fst.get(key).map(|out| self.candidates_at(out.value()))
    }

    /// Calls `visit` on every spun phrase (key) of the dictionary with its
    /// candidates, in key order.
    pub fn for_each_phrase(
        &self,
        mut visit: impl FnMut(&str, &mut dyn Iterator<Item = Candidate<'_>>),
    ) {
        use fst::Streamer;
        let mut stream = self.fst.stream();
        while let Some((key, out)) = stream.next() {
            // A key that is not UTF-8 could never match a word of text.
            if let Ok(key) = std::str::from_utf8(key) {
                visit(key, &mut self.candidates_at(out.value()));
            }
        }
    }

    /// Candidates of a match found by [`Dictionary::matches_at`].
    pub fn candidates(&self, found: &PhraseMatch) -> impl Iterator<Item = Candidate<'_>> {
        self.candidates_at(found.offset)
    }

    fn candidates_at(&self, offset: u64) -> impl Iterator<Item = Candidate<'_>> {
        let table: &[u8] = &self.table;
        let mut pos = offset as usize;
        let count = table[pos] as usize;
        pos += 1;
        (0..count).map(move |_| {
            let (record, next) = Record::parse(table, pos).expect("validated at load");
            pos = next;
            Candidate {
                original: std::str::from_utf8(record.text).expect("validated at load"),
                weight: record.weight,
                source: &self.sources[record.source],
                confidence: record.confidence,
            }
        })
    }

    /// Appends to `out` every phrase of the dictionary that starts at
    /// `words[start]`, shortest first.
    pub fn matches_at(&self, words: &[MatchWord<'_>], start: usize, out: &mut Vec<PhraseMatch>) {
        let first = self.first_word(words[start].key);
        self.matches_after(words, start, &first, out);
    }

    /// Walks the key of one word from the start of the dictionary: the
    /// first step of [`Dictionary::matches_at`], which depends on nothing
    /// but the word. A caller that matches at every word of a long text can
    /// walk each distinct word once and pass the result to
    /// [`Dictionary::matches_after`].
    pub fn first_word(&self, key: &str) -> WordWalk {
        let mut walk = walk_word(&self.fst, FstState::root(&self.fst), key);
        if let Some(after) = walk.after {
            walk.joined = Some([b' ', b'-'].map(|joiner| after.step(&self.fst, joiner)));
        }
        walk
    }

    /// The same as [`Dictionary::matches_at`], given `first`, the
    /// [`Dictionary::first_word`] of `words[start].key`.
    pub fn matches_after(
        &self,
        words: &[MatchWord<'_>],
        start: usize,
        first: &WordWalk,
        out: &mut Vec<PhraseMatch>,
    ) {
        phrases_after(&self.fst, words, start, *first, out);
    }
}

/// Where a walk through an FST stands: a node and the output so far.
#[derive(Debug, Clone, Copy)]
struct FstState {
    addr: fst::raw::CompiledAddr,
    output: u64,
}

impl FstState {
    fn root<D: AsRef<[u8]>>(fst: &fst::raw::Fst<D>) -> FstState {
        FstState {
            addr: fst.root().addr(),
            output: 0,
        }
    }

    /// Where the walk stands after one more byte, if keys go on so.
    fn step<D: AsRef<[u8]>>(self, fst: &fst::raw::Fst<D>, byte: u8) -> Option<FstState> {
        let node = fst.node(self.addr);
        let transition = node.transition(node.find_input(byte)?);
        Some(FstState {
            addr: transition.addr,
            output: fst::raw::Output::new(self.output)
                .cat(transition.out)
                .value(),
        })
    }
}

/// What walking one word's key through an FST found: the keys that end
/// with the word, and where the walk stands after it.
#[derive(Debug, Clone, Copy)]
pub struct WordWalk {
    /// The output of the key that ends at the word's stem (the word less
    /// its `'s`), if there is one.
    possessive: Option<u64>,
    /// The output of the key that ends with the word, if there is one.
    whole: Option<u64>,
    /// Where the walk stands after the word, unless no key goes on with it.
    after: Option<FstState>,
    /// Where it stands after the word and a space, and after the word and
    /// a hyphen, the joiners between words of a text, if keys go on so:
    /// worked out ahead for a [`Dictionary::first_word`], whose walk is
    /// reused, and `None` for the later words of a phrase.
    joined: Option<[Option<FstState>; 2]>,
}

impl WordWalk {
    /// Where the walk stands after the word and `joiner`, if keys go on so.
    fn joined<D: AsRef<[u8]>>(&self, fst: &fst::raw::Fst<D>, joiner: u8) -> Option<FstState> {
        match (self.joined, joiner) {
            (Some([space, _]), b' ') => space,
            (Some([_, hyphen]), b'-') => hyphen,
            _ => self.after.and_then(|after| after.step(fst, joiner)),
        }
    }
}

/// Walks `key` through `fst` from `from`.
fn walk_word<D: AsRef<[u8]>>(fst: &fst::raw::Fst<D>, from: FstState, key: &str) -> WordWalk {
    let mut node = fst.node(from.addr);
    let mut output = fst::raw::Output::new(from.output);
    let key = key.as_bytes();
    let stem_len = key
        .strip_suffix(b"'s")
        .filter(|stem| !stem.is_empty())
        .map(|stem| stem.len());
    let mut walk = WordWalk {
        possessive: None,
        whole: None,
        after: None,
        joined: None,
    };
    for (i, &byte) in key.iter().enumerate() {
        if Some(i) == stem_len && node.is_final() {
            walk.possessive = Some(output.cat(node.final_output()).value());
        }
        match node.find_input(byte) {
            Some(t) => {
                let transition = node.transition(t);
                output = output.cat(transition.out);
                node = fst.node(transition.addr);
            }
            None => return walk,
        }
    }
    if node.is_final() {
        walk.whole = Some(output.cat(node.final_output()).value());
    }
    walk.after = Some(FstState {
        addr: node.addr(),
        output: output.value(),
    });
    walk
}

/// Appends to `out` every key of `fst` that starts at `words[start]`,
/// shortest first, walking the FST word by word across joiners.
fn phrases_at<D: AsRef<[u8]>>(
    fst: &fst::raw::Fst<D>,
    words: &[MatchWord<'_>],
    start: usize,
    out: &mut Vec<PhraseMatch>,
) {
    let first = walk_word(fst, FstState::root(fst), words[start].key);
    phrases_after(fst, words, start, first, out);
}

/// [`phrases_at`], given the walk of the first word.
fn phrases_after<D: AsRef<[u8]>>(
    fst: &fst::raw::Fst<D>,
    words: &[MatchWord<'_>],
    start: usize,
    first: WordWalk,
    out: &mut Vec<PhraseMatch>,
) {
    let end = words.len().min(start + MAX_PHRASE_WORDS);
    let mut walk = first;
    for (index, word) in words.iter().enumerate().take(end).skip(start) {
        for (offset, possessive) in [(walk.possessive, true), (walk.whole, false)] {
            if let Some(offset) = offset {
                out.push(PhraseMatch {
                    start,
                    end: index + 1,
                    possessive,
                    offset,
                });
            }
        }
        if index + 1 == end {
            return;
        }
        let Some(joined) = word.joiner.and_then(|j| walk.joined(fst, j)) else {
            return;
        };
        walk = walk_word(fst, joined, words[index + 1].key);
    }
}

/// Phrases never to touch ("Home Depot", "Common Core"): a word inside an
/// occurrence of one is left as it is, whatever the dictionaries say.
/// Matching is normalised like dictionary keys.
pub struct AllowList {
    phrases: fst::raw::Fst<Vec<u8>>,
}

impl AllowList {
    /// Builds the list from phrases; blank ones are ignored.
    pub fn new<'a>(phrases: impl IntoIterator<Item = &'a str>) -> AllowList {
        let mut keys: Vec<String> = phrases
            .into_iter()
            .map(normalize_key)
            .filter(|k| !k.is_empty())
            .collect();
        keys.sort();
        keys.dedup();
        let mut builder = fst::SetBuilder::memory();
        builder
            .extend_iter(keys)
            .expect("keys are sorted and unique");
        let bytes = builder
            .into_inner()
            .expect("building in memory cannot fail");
        AllowList {
            phrases: fst::raw::Fst::new(bytes).expect("just built"),
        }
    }

    /// Reads an allow-list file's text: one phrase per line; a `#` at the
    /// start of a line or after a space starts a comment (`White Home  #
    /// the band`). A `#` inside a word ("C#") is part of the phrase.
    pub fn parse(text: &str) -> AllowList {
        AllowList::new(text.lines().map(|line| {
            let comment = line
                .match_indices('#')
                .find(|&(at, _)| at == 0 || line[..at].ends_with(char::is_whitespace))
                .map_or(line.len(), |(at, _)| at);
            line[..comment].trim()
        }))
    }

    /// Marks in `protected` every word inside an allowed phrase.
    pub fn protect(&self, words: &[MatchWord<'_>], protected: &mut [bool]) {
        let mut found = Vec::new();
        for start in 0..words.len() {
            found.clear();
            phrases_at(&self.phrases, words, start, &mut found);
            for m in &found {
                protected[m.start..m.end].iter_mut().for_each(|p| *p = true);
            }
        }
    }
}

/// A dictionary entry for tests: `source` "test", no confidence.
#[cfg(test)]
pub(crate) fn test_entry(spun: &str, original: &str, weight: f32) -> Entry {
    Entry {
        spun: spun.into(),
        original: original.into(),
        weight,
        source: "test".into(),
        confidence: 0.0,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use test_entry as entry;

    /// Normalised keys of the words of `text`, for [`match_words`].
    fn keys(text: &str) -> Vec<String> {
        text.split(' ').map(normalize_key).collect()
    }

    fn match_words(keys: &[String]) -> Vec<MatchWord<'_>> {
        keys.iter()
            .enumerate()
            .map(|(i, key)| MatchWord {
                key,
                joiner: (i + 1 < keys.len()).then_some(b' '),
                capitalized: false,
            })
            .collect()
    }

    #[test]
    fn finds_single_and_multi_word_phrases_starting_at_a_word() {
        let dict = Dictionary::from_entries(
            &[
                entry("joint chiefs of employees", "joint chiefs of staff", -0.1),
                entry("employees", "staff", -1.0),
                entry("joint", "common", -2.0),
            ],
            "t",
        )
        .unwrap();
        let k = keys("the Joint Chiefs of Employees said");
        let w = match_words(&k);
        let mut found = Vec::new();
        dict.matches_at(&w, 1, &mut found);
        let spans: Vec<_> = found.iter().map(|m| (m.start, m.end)).collect();
        assert_eq!(spans, [(1, 2), (1, 5)]);
        let best: Vec<_> = dict.candidates(&found[1]).map(|c| c.original).collect();
        assert_eq!(best, ["joint chiefs of staff"]);
        found.clear();
        dict.matches_at(&w, 4, &mut found);
        assert_eq!(found.len(), 1);
        found.clear();
        dict.matches_at(&w, 0, &mut found);
        assert!(found.is_empty());
    }

    #[test]
    fn allow_list_protects_whole_phrases() {
        let allow = AllowList::parse("# brands\nHome Depot\n\ncommon core\n");
        let k = keys("at the Home Depot near home");
        let w = match_words(&k);
        let mut protected = vec![false; w.len()];
        allow.protect(&w, &mut protected);
        assert_eq!(protected, [false, false, true, true, false, false]);
        // A comment after a phrase is not part of it; a '#' in a word is.
        let allow = AllowList::parse("Home Depot   # the store\nC# code\n");
        for (text, want) in [
            ("the Home Depot", [false, true, true]),
            ("write C# code", [false, true, true]),
        ] {
            let k = keys(text);
            let w = match_words(&k);
            let mut protected = vec![false; w.len()];
            allow.protect(&w, &mut protected);
            assert_eq!(protected, want, "{text}");
        }
    }

    #[test]
    fn possessive_matches_through_the_stem() {
        let dict = Dictionary::from_entries(&[entry("individuals", "people", -0.5)], "t").unwrap();
        let k = keys("Individuals’s army");
        let w = match_words(&k);
        let mut found = Vec::new();
        dict.matches_at(&w, 0, &mut found);
        assert_eq!(found.len(), 1);
        assert!(found[0].possessive);
    }

    #[test]
    fn candidates_sorted_by_weight_and_deduplicated() {
        let dict = Dictionary::from_entries(
            &[
                entry("stated", "said", -0.3),
                entry("stated", "declared", -1.5),
                entry("Stated", "SAID", -0.2),
                entry("stated", "stated", -0.1),
            ],
            "t",
        )
        .unwrap();
        let list: Vec<_> = dict
            .lookup("stated")
            .unwrap()
            .map(|c| (c.original, c.weight))
            .collect();
        assert_eq!(list, [("SAID", -0.2), ("declared", -1.5)]);
    }

    #[test]
    fn rejects_bad_rows_with_line_numbers() {
        let csv = "spun,original,weight,source\nstated,said,-0.3,x\nfoo,,-1,x\n";
        let err = compile::read_csv(csv.as_bytes(), "user.csv").unwrap_err();
        assert_eq!(err.to_string(), "user.csv, line 3: empty `original` phrase");
        let csv = "spun,original,weight,source\nstated,said,abc,x\n";
        let err = compile::read_csv(csv.as_bytes(), "user.csv").unwrap_err();
        assert!(err.to_string().starts_with("user.csv, line 2"), "{err}");
        let err = compile::read_csv("a,b\n1,2\n".as_bytes(), "x.csv").unwrap_err();
        assert!(err.to_string().contains("missing column `spun`"));
    }

    #[test]
    fn rejects_garbage_bytes() {
        assert!(Dictionary::from_bytes(Cow::Owned(b"nonsense".to_vec()), "x").is_err());
        let mut good = compile::compile(&[entry("a", "b", -1.0)]).unwrap();
        good.truncate(good.len() - 3);
        assert!(Dictionary::from_bytes(Cow::Owned(good), "x").is_err());
    }

    #[test]
    fn rejects_lengths_past_the_end_without_overflow() {
        // Found by fuzzing (fuzz/seeds/dict_from_bytes/huge_fst_len.bin): an
        // FST length of u64::MAX overflowed the bounds check.
        let mut bytes = b"UNSPDCT2\x01\0\0\0\x01\0s".to_vec();
        bytes.extend_from_slice(&u64::MAX.to_le_bytes());
        let err = Dictionary::from_bytes(Cow::Owned(bytes), "x").unwrap_err();
        assert!(err.to_string().contains("truncated"), "{err}");
    }

    #[test]
    fn rejects_a_corrupt_fst() {
        // Found by fuzzing: a flipped byte inside the FST made the fst crate
        // panic (subtract with overflow) while validating the table.
        let good = compile::compile(&[
            entry("stated", "said", -0.3),
            entry("12 months", "year", -0.4),
        ])
        .unwrap();
        let n_sources = u32::from_le_bytes(good[8..12].try_into().unwrap()) as usize;
        let mut fst_start = 12;
        for _ in 0..n_sources {
            fst_start += 2 + u16::from_le_bytes([good[fst_start], good[fst_start + 1]]) as usize;
        }
        let fst_len = u64::from_le_bytes(good[fst_start..fst_start + 8].try_into().unwrap());
        fst_start += 8;
        for i in fst_start..fst_start + fst_len as usize - 4 {
            let mut bad = good.clone();
            bad[i] ^= 0x55;
            if let Ok(dict) = Dictionary::from_bytes(Cow::Owned(bad), "x") {
                panic!("byte {i} flipped and still loaded: {dict:?}");
            }
        }
        let crash =
            include_bytes!("../../../../fuzz/seeds/dict_from_bytes/crash-corrupt-fst-node.bin");
        assert!(Dictionary::from_bytes(Cow::Owned(crash.to_vec()), "x").is_err());
    }
}
