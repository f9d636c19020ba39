//! Throughput of each stage of the pipeline on the project's own spun-news
//! fixture: `cargo bench`.

use criterion::{black_box, criterion_group, criterion_main, Criterion, Throughput};
use unspin_core::dict::{Dictionary, MatchWord};
use unspin_core::key::normalize_key;
use unspin_core::lm::{LanguageModel, NgramModel};
use unspin_core::token::{tokenize, TokenKind};
use unspin_core::Repairer;

fn spun_text(min_bytes: usize) -> Vec<u8> {
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/spun_news.txt");
    let one = std::fs::read(path).unwrap();
    one.repeat(min_bytes / one.len() + 1)
}

fn benches(c: &mut Criterion) {
    let text = spun_text(256 * 1024);
    let model = Repairer::embedded();
    let dict = Dictionary::embedded();
    let lm = NgramModel::embedded();
    let tokens = tokenize(&text);
    let keys: Vec<String> = tokens
        .iter()
        .filter(|t| t.kind == TokenKind::Word)
        .map(|t| normalize_key(std::str::from_utf8(t.bytes(&text)).unwrap()))
        .collect();
    let words: Vec<MatchWord> = keys
        .iter()
        .map(|key| MatchWord {
            key,
            joiner: Some(b' '),
            capitalized: false,
        })
        .collect();
    let ids: Vec<u32> = keys.iter().map(|k| lm.word_id(k)).collect();

    let mut group = c.benchmark_group("stages");
    group.throughput(Throughput::Bytes(text.len() as u64));
    group.sample_size(20);
    group.bench_function("tokenize", |b| b.iter(|| tokenize(black_box(&text)).len()));
    group.bench_function("dictionary lookup at every word", |b| {
        let mut found = Vec::new();
        b.iter(|| {
            found.clear();
            for start in 0..words.len() {
                dict.matches_at(&words, start, &mut found);
            }
            found.len()
        })
    });
    group.bench_function("lm trigram query at every word", |b| {
        b.iter(|| {
            ids.windows(3)
                .map(|w| lm.log10_prob([w[0], w[1]], w[2]))
                .sum::<f32>()
        })
    });
    group.bench_function("repair end to end", |b| {
        b.iter(|| model.repair(black_box(&text)).len())
    });
    group.finish();

    let sentence = b"The chairman of the Joint Chiefs of Employees met Common Wang of the Individuals's Liberation Military on Thursday, officers stated.";
    let mut group = c.benchmark_group("sentence");
    group.throughput(Throughput::Bytes(sentence.len() as u64));
    group.bench_function("decode one spun sentence", |b| {
        b.iter(|| model.repair(black_box(sentence)).len())
    });
    group.finish();
}

criterion_group!(pipeline, benches);
criterion_main!(pipeline);
