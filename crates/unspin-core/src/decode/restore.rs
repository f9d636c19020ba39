//! From a taken edge to an [`Edit`]: the restored text as the reader
//! will see it.
//!
//! The candidate takes the case of the words it replaces, a possessive
//! keeps its apostrophe and "s", a changed article is written in the
//! text's case, and the text's own whitespace between the words stays
//! where the word counts allow.
//!
//! Invariant: an edit covers exactly the bytes of the words it replaces.

use super::{Replacement, Word};
use crate::case::transfer_case;
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
    restored.push_str(&with_gaps(
        &transfer_case(&spun_words, candidate.original),
        &gaps,
    ));
    if spun.contains('’') {
        // The dictionary writes straight apostrophes; the text's style wins.
        restored = restored.replace('\'', "’");
    }
    restored.push_str(suffix);
    Edit {
        start: span_start,
        end: span_end,
        spun,
        restored,
        score,
        source: candidate.source.to_string(),
    }
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
