//! From a taken edge to an [`Edit`]: the restored text as the reader
//! will see it.
//!
//! The candidate takes the case of the words it replaces, a possessive
//! keeps its apostrophe and "s", a changed article is written in the
//! text's case, and the text's own whitespace between the words stays
//! where the word counts allow.
//!
//! Invariant: an edit covers exactly the bytes of the words it replaces,
//! and the apostrophe after them when it makes a plural possessive that
//! the restored words need written as "'s" ("the individuals' rights" ->
//! "the people's rights").

use super::{Replacement, Word};
use crate::case::{capitalized, transfer_case};
use crate::dict::Candidate;
use crate::edit::Edit;

/// The edit that applies replacement `r` to `words` of `input`.
pub(super) fn make_edit(
    input: &[u8],
    words: &[Word],
    r: &Replacement,
    candidate: &Candidate<'_>,
    score: f32,
) -> Edit {
    let span_start = words[r.start].start;
    let span_end = words[r.end - 1].end;
    let spun = String::from_utf8_lossy(&input[span_start..span_end]).into_owned();
    let text = |word: &Word| std::str::from_utf8(&input[word.start..word.end]).unwrap_or("");
    // The new article, in the text's case, and what follows it as written.
    let mut restored = String::new();
    let first = match r.article {
        Some(article) => {
            let (written, next) = (&words[r.start], &words[r.start + 1]);
            restored = transfer_case(&[text(written)], article.as_str());
            restored.push_str(&String::from_utf8_lossy(&input[written.end..next.start]));
            r.start + 1
        }
        None => r.start,
    };
    let mut spun_words: Vec<&str> = words[first..r.end].iter().map(text).collect();
    let mut suffix = "";
    if r.possessive {
        let last = spun_words.last_mut().expect("a match has words");
        // The word ends in an apostrophe (one to three bytes) and "s".
        let cut = last
            .char_indices()
            .rev()
            .nth(1)
            .map_or(last.len(), |(i, _)| i);
        suffix = &last[cut..];
        *last = &last[..cut];
    }
    let gaps: Vec<&[u8]> = words[first..r.end]
        .windows(2)
        .map(|pair| &input[pair[0].end..pair[1].start])
        .collect();
    let mut phrase = transfer_case(&spun_words, candidate.original);
    if r.article.is_none() && !spun_words[0].contains(char::is_alphabetic) {
        // A number has no case to give: "12 months later" opening a
        // sentence becomes "Year later".
        if starts_sentence(&input[..span_start]) {
            phrase = capitalized(&phrase);
        }
    }
    restored.push_str(&with_gaps(&phrase, &gaps));
    if spun.contains('’') {
        // The dictionary writes straight apostrophes; the text's style wins.
        restored = restored.replace('\'', "’");
    }
    restored.push_str(suffix);
    let mut end = span_end;
    if let Some(apostrophe) = plural_possessive(input, span_start, span_end) {
        if !restored.ends_with(['s', 'S']) {
            let s = if spun.ends_with('S') { "S" } else { "s" };
            restored.push_str(apostrophe);
            restored.push_str(s);
            end += apostrophe.len();
        }
    }
    Edit {
        start: span_start,
        end,
        spun: String::from_utf8_lossy(&input[span_start..end]).into_owned(),
        restored,
        score,
        source: candidate.source.to_string(),
    }
}

/// Whether text following `before` starts a sentence: after nothing but
/// spaces and opening quotation marks or brackets on its line, or after
/// the end of a sentence (".", "!" or "?", perhaps inside a closing
/// quotation mark) and a space. A full stop that ends an abbreviation
/// ("U.S.", "p.m.", "Fig.") is not the end of a sentence.
fn starts_sentence(before: &[u8]) -> bool {
    let line = before.rsplit(|&b| b == b'\n').next().unwrap_or(before);
    let mut text = line;
    while let Some(rest) = ["\"", "'", "“", "‘", "(", "["]
        .iter()
        .find_map(|q| text.strip_suffix(q.as_bytes()))
    {
        text = rest;
    }
    let spaced = text.trim_ascii_end();
    if spaced.is_empty() {
        return true;
    }
    if spaced.len() == text.len() {
        return false;
    }
    let text = ["\"", "'", "”", "’", ")"]
        .iter()
        .fold(spaced, |t, q| t.strip_suffix(q.as_bytes()).unwrap_or(t));
    if text.ends_with(b"!") || text.ends_with(b"?") {
        return true;
    }
    let Some(word) = text.strip_suffix(b".") else {
        return false;
    };
    // The word the full stop ends: an abbreviation holds another full stop
    // ("U.S"), is one letter, or is a short capitalised one ("Fig", "Dr").
    let word = word
        .rsplit(|b| b.is_ascii_whitespace())
        .next()
        .unwrap_or_default();
    let abbreviation = word.contains(&b'.')
        || word.len() == 1
        || (word.len() <= 3 && word.first().is_some_and(u8::is_ascii_uppercase));
    !abbreviation
}

/// The apostrophe right after the words `start..end` of `input` when it
/// makes their last word a plural possessive: the word ends in "s", and
/// the apostrophe is followed by a space and another word ("the
/// individuals' rights"). Not when the words follow a quotation mark:
/// "'individuals' and" closes a quotation.
fn plural_possessive(input: &[u8], start: usize, end: usize) -> Option<&str> {
    if !input[..end].ends_with(b"s") && !input[..end].ends_with(b"S") {
        return None;
    }
    let quote_before = ["'", "‘", "’", "\"", "“"]
        .iter()
        .any(|q| input[..start].ends_with(q.as_bytes()));
    if quote_before {
        return None;
    }
    let after = &input[end..];
    let apostrophe = ["'", "’"]
        .into_iter()
        .find(|a| after.starts_with(a.as_bytes()))?;
    let rest = &after[apostrophe.len()..];
    let word_follows = matches!(rest.first(), Some(b' ' | b'\t'))
        && rest.get(1).is_some_and(|b| b.is_ascii_alphabetic());
    word_follows.then_some(apostrophe)
}

/// `phrase` (words between single spaces) with the text's own whitespace
/// between its words: each of `gaps` (what separates the words of the
/// text's span) that is whitespace when the phrase has as many words as
/// the span, else single spaces but for the last, which keeps the span's
/// line break if it had one (a phrase wrapped onto two lines stays on two
/// lines when it has two words or more).
fn with_gaps(phrase: &str, gaps: &[&[u8]]) -> String {
    let parts: Vec<&str> = phrase.split(' ').collect();
    let line_break = gaps
        .iter()
        .find(|gap| gap.contains(&b'\n') || gap.contains(&b'\r'));
    let whitespace = |gap: &[u8]| std::str::from_utf8(gap).is_ok_and(|g| g.trim().is_empty());
    let gap_at = |i: usize| -> std::borrow::Cow<'_, str> {
        let gap = if parts.len() == gaps.len() + 1 && whitespace(gaps[i]) {
            Some(gaps[i])
        } else if i + 2 == parts.len() {
            line_break.copied()
        } else {
            None
        };
        gap.map_or(" ".into(), String::from_utf8_lossy)
    };
    let mut out = String::with_capacity(phrase.len() + 2);
    for (i, part) in parts.iter().enumerate() {
        if i > 0 {
            out.push_str(&gap_at(i - 1));
        }
        out.push_str(part);
    }
    out
}
