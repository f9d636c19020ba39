//! Case transfer: the restored phrase takes the case of the spun span.
//!
//! The dictionary stores originals in lowercase unless their case is their
//! own ("US", "Pentagon"); the text decides the rest. "Common Liu" becomes
//! "General Liu", "HOME" becomes "HOUSE", "Joint Chiefs of Employees"
//! becomes "Joint Chiefs of Staff". A word of the original that carries an
//! uppercase letter keeps its spelling, unless the whole span is in
//! capitals ("WHITE HOME" -> "WHITE HOUSE").
//!
//! Case also says whether a phrase is a name ([`is_name`]). A spinner keeps
//! the case of the words it replaces, so "the White House" comes out as
//! "the White Home", while "a modest white home" is a house; a dictionary
//! candidate written as a name replaces only words written as one
//! ([`Candidate::fits`](crate::dict::Candidate::fits)).

/// The case pattern of one word.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Shape {
    Lower,
    /// First letter uppercase, the rest not all uppercase.
    Title,
    /// Every letter uppercase, at least two of them.
    Upper,
    /// No letters: a number, which says nothing of the span's case.
    Caseless,
    /// An odd mix ("iPhone").
    Other,
}

fn shape(word: &str) -> Shape {
    let mut letters = word.chars().filter(|c| c.is_alphabetic());
    let Some(first) = letters.next() else {
        return Shape::Caseless;
    };
    let rest: Vec<char> = letters.collect();
    if first.is_uppercase() {
        if !rest.is_empty() && rest.iter().all(|c| c.is_uppercase()) {
            Shape::Upper
        } else {
            Shape::Title
        }
    } else if rest.iter().all(|c| !c.is_uppercase()) {
        Shape::Lower
    } else {
        Shape::Other
    }
}

fn apply(shape: Shape, word: &str) -> String {
    match shape {
        Shape::Upper => word.to_uppercase(),
        _ if word.chars().any(char::is_uppercase) => word.to_string(),
        Shape::Title => capitalized(word),
        Shape::Lower | Shape::Caseless | Shape::Other => word.to_string(),
    }
}

/// `text` with its first letter in uppercase.
pub(crate) fn capitalized(text: &str) -> String {
    let mut chars = text.chars();
    chars
        .next()
        .map_or_else(String::new, |c| c.to_uppercase().chain(chars).collect())
}

/// Writes `original` (words separated by single spaces) in the case of the
/// spun words it replaces.
///
/// With as many words on both sides, each word takes the case of its
/// counterpart. Otherwise the first word takes the first spun word's case,
/// and the others are title-cased only if the span reads as a name (two or
/// more capitalised words, lowercase only for joining words like "of"),
/// uppercased only if the whole span was.
pub fn transfer_case(spun_words: &[&str], original: &str) -> String {
    let shapes: Vec<Shape> = spun_words.iter().map(|w| shape(w)).collect();
    let words: Vec<&str> = original.split(' ').collect();
    // Numbers have no case: "12 MONTHS" is an uppercase span.
    let cased = || shapes.iter().filter(|&&x| x != Shape::Caseless);
    let all = |s: Shape| cased().next().is_some() && cased().all(|&x| x == s);
    let titles = shapes.iter().filter(|&&x| x == Shape::Title).count();
    let name_like = titles >= 2 && is_name(spun_words.iter().map(|w| (starts_uppercase(w), *w)));
    let rest_shape = if all(Shape::Upper) {
        Shape::Upper
    } else if name_like {
        Shape::Title
    } else {
        Shape::Lower
    };
    // A number first says nothing of the case: the first cased word does
    // ("12 Months" -> "Year").
    let first_shape = cased().next().copied().unwrap_or(Shape::Lower);
    let mut out = String::with_capacity(original.len());
    for (i, word) in words.iter().enumerate() {
        if i > 0 {
            out.push(' ');
        }
        let s = if rest_shape == Shape::Upper {
            Shape::Upper
        } else if words.len() == shapes.len() {
            shapes[i]
        } else if i == 0 {
            first_shape
        } else {
            rest_shape
        };
        // A joining word takes a capital only from its own counterpart
        // ("Joint Chiefs Of Employees Meet", a headline).
        let s =
            if s == Shape::Title && i > 0 && is_joining_word(word) && words.len() != shapes.len() {
                Shape::Lower
            } else {
                s
            };
        out.push_str(&apply(s, word));
    }
    out
}

/// Whether `words`, each given with whether it starts with a capital, are
/// written as a name ("Joint Chiefs of Staff", "White House", "CBS
/// News"): the first capitalised, and every other one too but for short
/// joining words like "of". A single capitalised word counts.
pub fn is_name<'a>(words: impl IntoIterator<Item = (bool, &'a str)>) -> bool {
    let mut words = words.into_iter();
    words.next().is_some_and(|(capital, _)| capital)
        && words.all(|(capital, word)| capital || is_joining_word(word))
}

/// Short words that stay lowercase inside a capitalised name.
fn is_joining_word(word: &str) -> bool {
    matches!(
        word,
        "of" | "the" | "and" | "for" | "in" | "on" | "at" | "to" | "a" | "an" | "de" | "du"
    )
}

/// Whether the first letter of `text` is uppercase.
pub fn starts_uppercase(text: &str) -> bool {
    text.chars()
        .find(|c| c.is_alphabetic())
        .is_some_and(char::is_uppercase)
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn word_by_word_when_lengths_match() {
        assert_eq!(
            transfer_case(
                &["Joint", "Chiefs", "of", "Employees"],
                "joint chiefs of staff"
            ),
            "Joint Chiefs of Staff"
        );
        assert_eq!(transfer_case(&["Common"], "general"), "General");
        assert_eq!(transfer_case(&["HOME"], "house"), "HOUSE");
        assert_eq!(transfer_case(&["stated"], "said"), "said");
    }

    #[test]
    fn phrases_of_other_lengths() {
        assert_eq!(
            transfer_case(&["Chinese", "language"], "chinese"),
            "Chinese"
        );
        assert_eq!(transfer_case(&["12", "months"], "year"), "year");
        assert_eq!(
            transfer_case(&["All", "the", "pieces"], "everything"),
            "Everything"
        );
        assert_eq!(transfer_case(&["Numerous"], "a number of"), "A number of");
        assert_eq!(
            transfer_case(&["WHITE", "HOME"], "white house"),
            "WHITE HOUSE"
        );
        assert_eq!(transfer_case(&["NUMEROUS"], "a number of"), "A NUMBER OF");
        assert_eq!(transfer_case(&["12", "MONTHS"], "year"), "YEAR");
        assert_eq!(transfer_case(&["12", "MONTHS"], "one year"), "ONE YEAR");
    }

    #[test]
    fn intrinsic_case_is_kept() {
        assert_eq!(transfer_case(&["us"], "US"), "US");
        assert_eq!(transfer_case(&["Individuals"], "people"), "People");
        assert_eq!(
            transfer_case(&["White", "home"], "White House"),
            "White House"
        );
    }

    #[test]
    fn a_span_in_capitals_stays_in_capitals() {
        assert_eq!(
            transfer_case(&["WHITE", "HOME"], "White House"),
            "WHITE HOUSE"
        );
    }

    #[test]
    fn a_headline_keeps_its_capitals_word_for_word() {
        assert_eq!(
            transfer_case(
                &["Joint", "Chiefs", "Of", "Employees"],
                "joint chiefs of staff"
            ),
            "Joint Chiefs Of Staff"
        );
        assert_eq!(
            transfer_case(
                &["Joint", "Chiefs", "of", "Employees"],
                "joint chiefs of staff"
            ),
            "Joint Chiefs of Staff"
        );
        // Of other lengths, a name's joining words stay lowercase.
        assert_eq!(
            transfer_case(&["Secretary", "Individuals"], "secretary of state"),
            "Secretary of State"
        );
    }

    #[test]
    fn a_number_first_leaves_the_case_to_the_next_word() {
        assert_eq!(transfer_case(&["12", "Months"], "year"), "Year");
        assert_eq!(transfer_case(&["12", "months"], "year"), "year");
        assert_eq!(transfer_case(&["12", "MONTHS"], "year"), "YEAR");
    }

    fn written(phrase: &str) -> bool {
        is_name(phrase.split(' ').map(|w| (starts_uppercase(w), w)))
    }

    #[test]
    fn names_are_capitalised_but_for_joining_words() {
        assert!(written("White House"));
        assert!(written("Joint Chiefs of Staff"));
        assert!(written("CBS News"));
        assert!(written("Pentagon"));
        assert!(!written("white house"));
        assert!(!written("House floor"));
        assert!(!written("of Staff"));
    }

    proptest! {
        #[test]
        fn first_letter_case_follows_the_spun_word(spun in "[A-Za-z][a-z]{0,8}", original in "[a-z]{1,8}( [a-z]{1,8}){0,2}") {
            let out = transfer_case(&[spun.as_str()], &original);
            prop_assert_eq!(starts_uppercase(&out), starts_uppercase(&spun));
            prop_assert_eq!(out.to_lowercase(), original);
        }
    }
}
