//! The dictionary compiler on arbitrary CSV bytes: errors, never panics.
//! When reading and compiling succeed, the compiled bytes load, and every
//! spun phrase looks up (unless each of its originals is the phrase itself,
//! which the compiler drops) with only originals the CSV gave for it.
#![no_main]

use libfuzzer_sys::fuzz_target;
use std::borrow::Cow;
use std::collections::BTreeMap;
use unspin_formats::dict::{compile, read_csv};
use unspin_formats::key::normalize_key;
use unspin_core::Dictionary;

fuzz_target!(|data: &[u8]| {
    let Ok(entries) = read_csv(data, "fuzz.csv") else {
        return;
    };
    let Ok(bytes) = compile(&entries) else {
        return;
    };
    let dict = Dictionary::from_bytes(Cow::Owned(bytes), "fuzz.dict")
        .expect("a dictionary the compiler wrote must load");
    // key -> originals (whitespace collapsed) that differ from the key.
    let mut expected: BTreeMap<String, Vec<String>> = BTreeMap::new();
    for e in &entries {
        let key = normalize_key(&e.spun);
        let original = e.original.split_whitespace().collect::<Vec<_>>().join(" ");
        let list = expected.entry(key.clone()).or_default();
        if normalize_key(&original) != key {
            list.push(original);
        }
    }
    let mut with_candidates = 0;
    for (key, originals) in &expected {
        match dict.lookup(key) {
            None => assert!(originals.is_empty(), "key {key:?} missing"),
            Some(candidates) => {
                assert!(
                    !originals.is_empty(),
                    "key {key:?} should have been dropped"
                );
                with_candidates += 1;
                let mut n = 0;
                let mut last = f32::INFINITY;
                for c in candidates {
                    n += 1;
                    assert!(
                        originals.iter().any(|o| o == c.original),
                        "{key:?}: unknown candidate {:?}",
                        c.original
                    );
                    assert!(c.weight <= last, "{key:?}: candidates not sorted by weight");
                    assert!((0.0..=1.0).contains(&c.confidence));
                    last = c.weight;
                }
                assert!((1..=unspin_formats::dict::MAX_CANDIDATES).contains(&n));
            }
        }
    }
    assert_eq!(dict.len(), with_candidates);
});
