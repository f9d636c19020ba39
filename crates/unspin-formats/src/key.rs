//! Dictionary and language-model keys: how a phrase of text is written
//! when it is looked up.
//!
//! The compiled dictionary stores its spun phrases, and the language model
//! its words, in this form, and every lookup normalises the text the same
//! way; so there is exactly one normalisation, here, and the fast path for
//! single words is checked against it.

/// Normalises a phrase to its dictionary key: lowercase, curly apostrophes
/// made straight, runs of whitespace made one space, trimmed.
pub fn normalize_key(phrase: &str) -> String {
    let mut key = String::with_capacity(phrase.len());
    normalize_into(phrase, &mut key);
    key
}

/// Appends the normalised form of `phrase` (see [`normalize_key`]) to `out`.
pub fn normalize_into(phrase: &str, out: &mut String) {
    let start = out.len();
    let mut pending_space = false;
    for c in phrase.chars() {
        if c.is_whitespace() {
            pending_space = out.len() > start;
            continue;
        }
        if pending_space {
            out.push(' ');
            pending_space = false;
        }
        match c {
            c if c.is_ascii() => out.push(c.to_ascii_lowercase()),
            '’' | '‘' | 'ʼ' => out.push('\''),
            c => out.extend(c.to_lowercase()),
        }
    }
}

/// Appends the normalised form of one word of text to `out`: the same
/// result as [`normalize_into`], faster for the common case.
///
/// Nearly every word of English text is ASCII without whitespace, and its
/// key is then just its lowercase copy; that skips the per-character
/// decoding and case tables of the general path, a sizeable share of the
/// decoder's time on news. Anything else takes the general path.
pub fn normalize_word_into(word: &str, out: &mut String) {
    // `char::is_whitespace` in ASCII: tab, line feed, vertical tab, form
    // feed, carriage return and space.
    let plain = word
        .bytes()
        .all(|b| b.is_ascii() && !matches!(b, b'\t'..=b'\r' | b' '));
    if plain {
        let start = out.len();
        out.push_str(word);
        out[start..].make_ascii_lowercase();
    } else {
        normalize_into(word, out);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    proptest::proptest! {
        #[test]
        fn the_word_fast_path_normalises_like_the_general_one(
            word in "[a-zA-Z0-9'’ \t\x0b\x0c\r\nÀ-ÿİ-]{0,12}",
            before in "[a-z ]{0,3}",
        ) {
            let (mut fast, mut general) = (before.clone(), before);
            normalize_word_into(&word, &mut fast);
            normalize_into(&word, &mut general);
            proptest::prop_assert_eq!(fast, general);
        }
    }

    #[test]
    fn keys_are_normalised() {
        assert_eq!(
            normalize_key("  Individuals’s   LIBERATION\tMilitary "),
            "individuals's liberation military"
        );
    }
}
