//! ARPA text -> compiled model ([`super::format`]).
//!
//! ARPA is the plain-text format every n-gram toolkit writes (SRILM, KenLM's
//! `lmplz`, CMU Sphinx's converters). Orders above 3 are skipped, since the
//! compiled format stores trigrams at most; their lower orders still form a
//! valid back-off model. Words are lowercased and apostrophes straightened,
//! as the decoder looks them up; n-grams that collide after that keep the
//! first occurrence.

use super::format::{self, ModelParts};
use super::LmError;
use std::collections::HashMap;
use std::io::BufRead;

/// What [`compile`] read.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ArpaSummary {
    /// Unigrams, bigrams and trigrams kept.
    pub counts: [usize; 3],
    /// N-grams of order above 3 that were skipped.
    pub skipped_higher_order: usize,
    /// N-grams dropped because they duplicate another after normalisation.
    pub duplicates: usize,
}

fn normalize_word(word: &str) -> String {
    word.chars()
        .map(|c| if c == '’' { '\'' } else { c })
        .flat_map(char::to_lowercase)
        .collect()
}

/// The highest order a header may declare. Orders above 3 are read and
/// skipped, but the header's counts are kept by order, so a crafted
/// `ngram 4000000000000=0` must not size that list.
const MOST_DECLARED_ORDER: usize = 16;

/// Reads an ARPA model and returns its compiled bytes.
pub fn compile<R: BufRead>(reader: R, name: &str) -> Result<(Vec<u8>, ArpaSummary), LmError> {
    let err = |line: usize, message: String| LmError::Arpa {
        name: name.to_string(),
        line,
        message,
    };
    // n-grams as (words, prob, backoff), per order 1..=3.
    let mut grams: [Vec<(Vec<String>, f32, f32)>; 3] = Default::default();
    let mut summary = ArpaSummary::default();
    let mut order: Option<usize> = None;
    let mut seen_data = false;
    let mut ended = false;
    // Counts of the header (`ngram N=C`), by order, and of the sections.
    let mut declared: Vec<Option<usize>> = Vec::new();
    let mut found: Vec<usize> = Vec::new();
    let mut section_line = 0;
    // The section that just ended must hold as many n-grams as the header says.
    let check_section =
        |order: Option<usize>, found: &[usize], declared: &[Option<usize>], line: usize| {
            let Some(n) = order else { return Ok(()) };
            let got = found.get(n - 1).copied().unwrap_or(0);
            match declared.get(n - 1).copied().flatten() {
                Some(want) if want == got => Ok(()),
                Some(want) => Err(err(
                    line,
                    format!("the header says {want} {n}-grams, the section holds {got}"),
                )),
                None => Err(err(line, format!("the header gives no count of {n}-grams"))),
            }
        };
    for (index, line) in reader.lines().enumerate() {
        let number = index + 1;
        let line = line.map_err(|e| err(number, e.to_string()))?;
        let line = line.trim();
        if line.is_empty() {
            continue;
        }
        if line == "\\data\\" && !seen_data {
            seen_data = true;
            continue;
        }
        if !seen_data {
            return Err(err(number, "not an ARPA file (expected `\\data\\`)".into()));
        }
        if line == "\\end\\" {
            check_section(order, &found, &declared, section_line)?;
            ended = true;
            break;
        }
        if let Some(n) = line
            .strip_prefix('\\')
            .and_then(|l| l.strip_suffix("-grams:"))
        {
            let n: usize = n
                .parse()
                .map_err(|_| err(number, format!("bad section header `{line}`")))?;
            if n == 0 || order.is_some_and(|m| n != m + 1) || (order.is_none() && n != 1) {
                return Err(err(
                    number,
                    format!("section `{line}` out of order (sections go 1, 2, 3, …)"),
                ));
            }
            check_section(order, &found, &declared, section_line)?;
            order = Some(n);
            section_line = number;
            continue;
        }
        match order {
            None => {
                let count = line.strip_prefix("ngram ").and_then(|c| {
                    let (n, count) = c.split_once('=')?;
                    Some((
                        n.trim().parse::<usize>().ok()?,
                        count.trim().parse::<usize>().ok()?,
                    ))
                });
                match count {
                    Some((n, _)) if n > MOST_DECLARED_ORDER => {
                        return Err(err(
                            number,
                            format!("a count of {n}-grams: no model has an order above {MOST_DECLARED_ORDER}"),
                        ))
                    }
                    Some((n, count)) if n > 0 => {
                        if declared.len() < n {
                            declared.resize(n, None);
                        }
                        if declared[n - 1].replace(count).is_some() {
                            return Err(err(number, format!("two counts of {n}-grams")));
                        }
                    }
                    _ => return Err(err(number, format!("bad header line `{line}`"))),
                }
            }
            Some(n) => {
                if found.len() < n {
                    found.resize(n, 0);
                }
                found[n - 1] += 1;
                if n > 3 {
                    summary.skipped_higher_order += 1;
                    continue;
                }
                let mut fields = line.split_whitespace();
                let prob: f32 = fields
                    .next()
                    .and_then(|p| p.parse().ok())
                    .ok_or_else(|| err(number, "missing log10 probability".into()))?;
                let words: Vec<String> = fields.by_ref().take(n).map(normalize_word).collect();
                if words.len() != n {
                    return Err(err(number, format!("expected {n} words")));
                }
                let backoff: f32 = match fields.next() {
                    Some(b) => b
                        .parse()
                        .map_err(|_| err(number, format!("bad back-off weight `{b}`")))?,
                    None => 0.0,
                };
                if fields.next().is_some() {
                    return Err(err(number, "more fields than an n-gram line has".into()));
                }
                if !prob.is_finite() || !backoff.is_finite() {
                    return Err(err(number, "score is not a finite number".into()));
                }
                if prob > 0.0 {
                    return Err(err(
                        number,
                        format!("log10 probability {prob} is positive (a probability over 1)"),
                    ));
                }
                grams[n - 1].push((words, prob, backoff));
            }
        }
    }
    if !ended {
        return Err(err(
            0,
            "no `\\end\\` line: the file is cut short or not an ARPA file".into(),
        ));
    }
    if let Some(n) = (1..=declared.len())
        .find(|&n| declared[n - 1].unwrap_or(0) > 0 && found.get(n - 1).is_none())
    {
        return Err(err(
            0,
            format!("the header counts {n}-grams but there is no `\\{n}-grams:` section"),
        ));
    }
    if grams[0].is_empty() {
        return Err(err(0, "no unigrams found".into()));
    }

    let mut parts = ModelParts {
        order: grams.iter().rposition(|g| !g.is_empty()).unwrap_or(0) + 1,
        ..Default::default()
    };
    let mut unigrams: Vec<(String, f32, f32)> = Vec::with_capacity(grams[0].len());
    for (mut words, prob, backoff) in std::mem::take(&mut grams[0]) {
        unigrams.push((words.pop().unwrap(), prob, backoff));
    }
    unigrams.sort_by(|a, b| a.0.cmp(&b.0));
    let before = unigrams.len();
    unigrams.dedup_by(|later, earlier| later.0 == earlier.0);
    summary.duplicates += before - unigrams.len();
    if unigrams.len() > format::MAX_VOCAB {
        return Err(err(
            0,
            format!("vocabulary over {} words", format::MAX_VOCAB),
        ));
    }
    let ids: HashMap<&str, u32> = unigrams
        .iter()
        .enumerate()
        .map(|(i, u)| (u.0.as_str(), i as u32))
        .collect();
    let unk = match ids.get("<unk>") {
        Some(&id) => unigrams[id as usize].1,
        None => unigrams
            .iter()
            .map(|u| u.1)
            .filter(|p| *p > -90.0)
            .fold(0.0f32, f32::min),
    };
    let lookup = |words: &[String]| -> Option<Vec<u32>> {
        words.iter().map(|w| ids.get(w.as_str()).copied()).collect()
    };
    let mut bigrams: Vec<(u64, i16, i16)> = Vec::with_capacity(grams[1].len());
    for (words, prob, backoff) in &grams[1] {
        let id = lookup(words).ok_or_else(|| {
            err(
                0,
                format!("bigram `{}` uses a word with no unigram", words.join(" ")),
            )
        })?;
        bigrams.push((
            format::pack(&id),
            format::quantize(*prob),
            format::quantize(*backoff),
        ));
    }
    let mut trigrams: Vec<(u64, i16)> = Vec::with_capacity(grams[2].len());
    for (words, prob, _) in &grams[2] {
        let id = lookup(words).ok_or_else(|| {
            err(
                0,
                format!("trigram `{}` uses a word with no unigram", words.join(" ")),
            )
        })?;
        trigrams.push((format::pack(&id), format::quantize(*prob)));
    }
    bigrams.sort_by_key(|b| b.0);
    trigrams.sort_by_key(|t| t.0);
    let (n2, n3) = (bigrams.len(), trigrams.len());
    bigrams.dedup_by_key(|b| b.0);
    trigrams.dedup_by_key(|t| t.0);
    summary.duplicates += n2 - bigrams.len() + n3 - trigrams.len();

    parts.uni_prob = unigrams.iter().map(|u| format::quantize(u.1)).collect();
    parts.uni_backoff = unigrams.iter().map(|u| format::quantize(u.2)).collect();
    parts.words = unigrams.into_iter().map(|u| u.0).collect();
    parts.bigrams = bigrams;
    parts.trigrams = trigrams;
    parts.unk = unk;
    summary.counts = [parts.words.len(), parts.bigrams.len(), parts.trigrams.len()];
    let bytes = format::write(&parts).map_err(|e| err(0, e.to_string()))?;
    Ok((bytes, summary))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::lm::{LanguageModel, NgramModel, UNKNOWN};

    const TINY: &str = "\\data\\
ngram 1=5
ngram 2=3
ngram 3=1

\\1-grams:
-1.0\t<s>\t-0.5
-1.0\t</s>
-1.5\tthe\t-0.3
-2.0\tHouse\t-0.2
-2.5\tHome\t-0.1

\\2-grams:
-0.4\t<s> the\t-0.1
-0.7\tthe house\t-0.05
-1.2\tthe home

\\3-grams:
-0.2\t<s> the house

\\end\\
";

    fn tiny() -> NgramModel {
        let (bytes, summary) = compile(TINY.as_bytes(), "tiny.arpa").unwrap();
        assert_eq!(summary.counts, [5, 3, 1]);
        NgramModel::from_bytes(&bytes, "tiny").unwrap()
    }

    #[test]
    fn exact_ngrams_are_found() {
        let lm = tiny();
        let (s, the, house) = (lm.sentence_start(), lm.word_id("the"), lm.word_id("house"));
        assert!((lm.log10_prob([s, the], house) - -0.2).abs() < 1e-3);
        assert!((lm.log10_prob([UNKNOWN, the], house) - -0.7).abs() < 1e-3);
        assert!((lm.log10_prob([UNKNOWN, UNKNOWN], the) - -1.5).abs() < 1e-3);
    }

    #[test]
    fn missing_ngrams_back_off() {
        let lm = tiny();
        let (s, the, home) = (lm.sentence_start(), lm.word_id("the"), lm.word_id("home"));
        // trigram <s> the home is missing: backoff(<s> the) + P(home | the)
        assert!((lm.log10_prob([s, the], home) - (-0.1 + -1.2)).abs() < 1e-3);
        // bigram home the is missing: backoff(home) + P(the)
        assert!((lm.log10_prob([UNKNOWN, home], the) - (-0.1 + -1.5)).abs() < 1e-3);
    }

    #[test]
    fn unknown_words_get_the_lowest_unigram_score() {
        let lm = tiny();
        assert_eq!(lm.word_id("senate"), UNKNOWN);
        assert!((lm.log10_prob([UNKNOWN, UNKNOWN], UNKNOWN) - -2.5).abs() < 1e-3);
    }

    #[test]
    fn errors_name_the_line() {
        let bad = "\\data\\\nngram 1=1\n\\1-grams:\nnotanumber the\n";
        let e = compile(bad.as_bytes(), "bad.arpa").unwrap_err();
        assert_eq!(e.to_string(), "bad.arpa, line 4: missing log10 probability");
        let e = compile("hello\n".as_bytes(), "x.arpa").unwrap_err();
        assert!(e.to_string().contains("not an ARPA file"), "{e}");
    }

    #[test]
    fn higher_orders_are_skipped() {
        let four = TINY
            .replace("ngram 3=1\n", "ngram 3=1\nngram 4=1\n")
            .replace("\\end\\", "\\4-grams:\n-0.1\t<s> the house home\n\n\\end\\");
        let (_, summary) = compile(four.as_bytes(), "four").unwrap();
        assert_eq!(summary.skipped_higher_order, 1);
    }

    /// A file a strict ARPA reader refuses is refused, naming the line:
    /// a probability over 1, counts that disagree with the header, a
    /// file cut short before `\end\`, sections out of order.
    #[test]
    fn what_a_strict_reader_refuses_is_refused() {
        let cases = [
            (
                TINY.replace("-1.5\tthe\t-0.3", "0.5\tthe\t-0.3"),
                "is positive",
            ),
            (
                TINY.replace("ngram 2=3", "ngram 2=4"),
                "the header says 4 2-grams, the section holds 3",
            ),
            (TINY.replace("ngram 3=1\n", ""), "no count of 3-grams"),
            (TINY.replace("\\end\\\n", ""), "no `\\end\\` line"),
            (
                TINY.replace("\\3-grams:\n-0.2\t<s> the house\n", ""),
                "no `\\3-grams:` section",
            ),
            (TINY.replace("\\2-grams:", "\\3-grams:"), "out of order"),
            (
                TINY.replace("-1.2\tthe home", "-1.2\tthe home\t-0.1\textra"),
                "more fields",
            ),
            (format!("junk\n{TINY}"), "not an ARPA file"),
            (
                TINY.replace("ngram 3=1", "ngram 3=1\nngram 4000000000000=0"),
                "a count of 4000000000000-grams",
            ),
        ];
        for (arpa, says) in cases {
            let err = compile(arpa.as_bytes(), "bad.arpa")
                .unwrap_err()
                .to_string();
            assert!(err.contains(says), "{says}: {err}");
        }
    }
}
