//! Indefinite articles: "a" or "an" before a word.
//!
//! Spinners that write fluent English fix the article when they swap the
//! word after it ("a person" -> "an individual"), so restoring the word
//! means restoring its article too: "an person" is wrong for the reader,
//! and the language model rightly finds it so unlikely that the repair
//! would lose to keeping the spun word. The decoder therefore lets a
//! repair after "a"/"an" take the article its restored word needs.
//!
//! Which article a word takes follows its first sound, not its first
//! letter ("an hour", "a university"). [`Article::before`] applies the
//! spelling rule (a vowel letter takes "an") except for the words of
//! `data/articles.csv`, where the CMU pronouncing dictionary says otherwise
//! (`scripts/build_articles.py`).

use rustc_hash::FxHashMap;
use std::sync::LazyLock;

/// An indefinite article.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Article {
    A,
    An,
}

pub use crate::tuning::ARTICLE_CHANGED_WITH_WORD_LOG10 as CHANGED_WITH_WORD_LOG10;

/// The words the spelling rule gets wrong, from data/articles.csv.
static EXCEPTIONS: LazyLock<FxHashMap<&'static str, Article>> = LazyLock::new(|| {
    include_str!("../../../data/articles.csv")
        .lines()
        .skip(1)
        .filter_map(|line| {
            let (word, article) = line.split_once(',')?;
            Some((word, Article::parse(article)?))
        })
        .collect()
});

impl Article {
    /// The article `word` (lowercase, as dictionary keys are) is, if it is one.
    pub fn parse(word: &str) -> Option<Article> {
        match word {
            "a" => Some(Article::A),
            "an" => Some(Article::An),
            _ => None,
        }
    }

    /// The article that goes before `phrase` (lowercase): by its first
    /// word's sound. `None` unless that word is two or more letters: the
    /// article of "1990s", "u.s." or a letter read out ("a U-turn", "an
    /// F") is not known here.
    pub fn before(phrase: &str) -> Option<Article> {
        let word = phrase
            .split([' ', '-'])
            .next()
            .unwrap_or(phrase)
            .trim_end_matches("'s");
        if word.len() < 2 || !word.bytes().all(|b| b.is_ascii_alphabetic()) {
            return None;
        }
        let first = char::from(word.as_bytes()[0]);
        if let Some(&article) = EXCEPTIONS.get(word) {
            return Some(article);
        }
        Some(if "aeiou".contains(first) {
            Article::An
        } else {
            Article::A
        })
    }

    /// The article as written in lowercase.
    pub fn as_str(self) -> &'static str {
        match self {
            Article::A => "a",
            Article::An => "an",
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_article_follows_the_first_sound() {
        assert_eq!(Article::before("person"), Some(Article::A));
        assert_eq!(Article::before("individual"), Some(Article::An));
        assert_eq!(Article::before("hour"), Some(Article::An));
        assert_eq!(Article::before("honest mistake"), Some(Article::An));
        assert_eq!(Article::before("university"), Some(Article::A));
        assert_eq!(Article::before("one-time payment"), Some(Article::A));
        assert_eq!(Article::before("european's"), Some(Article::A));
        assert_eq!(Article::before("1990s"), None);
        assert_eq!(Article::before("u.s. official"), None);
        assert_eq!(Article::before("u-turn"), None);
    }

    #[test]
    fn only_a_and_an_are_articles() {
        assert_eq!(Article::parse("a"), Some(Article::A));
        assert_eq!(Article::parse("an"), Some(Article::An));
        assert_eq!(Article::parse("the"), None);
    }

    #[test]
    fn the_exceptions_file_is_sorted_and_each_entry_defies_the_spelling_rule() {
        let lines: Vec<&str> = include_str!("../../../data/articles.csv")
            .lines()
            .skip(1)
            .collect();
        assert!(lines.len() > 100, "the file lost its rows");
        assert!(lines.is_sorted());
        for (word, article) in lines.iter().map(|l| l.split_once(',').unwrap()) {
            let by_letter = if "aeiou".contains(&word[..1]) {
                "an"
            } else {
                "a"
            };
            assert_ne!(article, by_letter, "{word} needs no exception");
        }
        assert_eq!(EXCEPTIONS.len(), lines.len());
    }
}
