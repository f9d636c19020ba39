//! unspin: repair synonym-spun text.
//!
//! A spinner replaced words of an original text by poor synonyms ("said" ->
//! "stated", "year" -> "12 months"). unspin finds the spun phrases with a
//! reverse dictionary ([`dict`]), weighs the candidate originals with a
//! language model ([`lm`]) in a noisy-channel decoder ([`decode`]), and
//! returns the repairs as byte-span [`Edit`]s over the input, so that
//! everything it does not repair passes through byte for byte.
//!
//! ```
//! let repairer = unspin_core::Repairer::embedded();
//! let input = "The Joint Chiefs of Employees met.".as_bytes();
//! let repaired = unspin_core::edit::apply(input, &repairer.repair(input));
//! assert_eq!(repaired, b"The Joint Chiefs of Staff met.");
//! ```
//!
//! The library knows nothing of files, terminals or command lines; the
//! `unspin` binary at the workspace root does. The formats of its data
//! files are in the `unspin-formats` crate, which its build script shares.

pub mod article;
pub mod case;
pub mod cues;
pub mod decode;
pub mod dict;
pub mod edit;
pub mod learn;
pub mod lm;
pub use unspin_formats::key;
pub mod markup;
pub mod parallel;
pub mod prior;
pub mod stream;
pub mod token;
pub mod tuning;

pub use cues::Cues;
pub use dict::{AllowList, Dictionary};
pub use edit::Edit;
pub use lm::{LanguageModel, NgramModel};
pub use prior::{Assessment, Prior};

/// How eager unspin is to change text.
///
/// Each repair costs an edit penalty (log10) on top of its dictionary
/// weight. The penalty is chosen per document: the [`Prior`] weighs the
/// document's [cues] and the fingerprints a probe pass at
/// `probe_penalty` finds into a probability p that it is spun, and the
/// repair pass uses `p * spun_penalty + (1 - p) *
/// clean_penalty`, divided by `strength`. A candidate that repair pass
/// took somewhere is then spared `p * consistency` of the penalty wherever
/// else its phrase occurs ([`decode::Decoder::decode_confirming`]); beyond
/// 1, the rest is a bonus: a spinner rewrites a word of its dictionary
/// nearly every time (88% of the time in the training pairs), so a swap
/// seen once in a document is likely at its other occurrences too.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Settings {
    /// Penalty of the probe pass that gathers evidence.
    pub probe_penalty: f32,
    /// Penalty for a document that is surely spun.
    pub spun_penalty: f32,
    /// Penalty for a document that is surely clean.
    pub clean_penalty: f32,
    /// Divides the penalties: above 1 repairs more (recall), below 1 less
    /// (precision).
    pub strength: f32,
    /// Share of the penalty spared, in a surely spun document, for a
    /// candidate the document has been repaired with elsewhere (0: none;
    /// above 1 the penalty turns into a bonus).
    pub consistency: f32,
    /// Share of a spun phrase's cue weight that keeping it costs in a
    /// surely spun document (scaled by the document's probability): the
    /// per-word side of the spinner model, in which a word the spinner
    /// writes far more often than clean text does is seldom original.
    pub keep_cost: f32,
    /// Use this penalty for every document and skip the prior (and with
    /// it `consistency` and `keep_cost`: each sentence is decoded on its
    /// own).
    pub fixed_penalty: Option<f32>,
    /// How the cues and fingerprints are weighed into a probability.
    pub prior: Prior,
    /// Hypotheses kept per lattice position.
    pub beam: usize,
}

impl Default for Settings {
    /// The operating point chosen by cross-validation by story on the
    /// training pairs (`scripts/crossval.py`), at the precision end of the
    /// curve it traces: a wrong change costs a reader more than a missed
    /// repair. The clean penalty keeps a document the prior calls clean as
    /// it is written: the largest language-model gain of a spinner's
    /// favourite word in clean prose is about 7 ("He additionally stated"
    /// -> "also"), and a short clean paragraph dense in such words
    /// ("stated", "mentioned", "additionally") reaches a probability of
    /// about 0.25, where the penalty is still above 7. `keep_cost` at 1
    /// takes a spun word's whole cue weight, which moved the curve outward
    /// where a larger share only moved along it.
    fn default() -> Settings {
        Settings {
            probe_penalty: 1.0,
            spun_penalty: 1.0,
            clean_penalty: 10.0,
            strength: 1.0,
            consistency: 1.75,
            keep_cost: 1.0,
            fixed_penalty: None,
            prior: Prior::default(),
            beam: decode::DEFAULT_BEAM,
        }
    }
}

/// Repairs text: dictionaries, a language model and settings, all a
/// repair needs.
pub struct Repairer {
    dictionaries: Vec<Dictionary>,
    allow: Option<AllowList>,
    /// The prior's cue table, when not the embedded one.
    cues: Option<Cues>,
    lm: Box<dyn LanguageModel>,
    settings: Settings,
}

impl Repairer {
    /// The dictionary and language model built into the binary, with the
    /// default settings.
    pub fn embedded() -> Repairer {
        Repairer::new(
            vec![Dictionary::embedded()],
            Box::new(NgramModel::embedded()),
            Settings::default(),
        )
    }

    /// A model from parts. `dictionaries` are all consulted at each word,
    /// in priority order: where two have the same phrase, the first wins.
    pub fn new(
        dictionaries: Vec<Dictionary>,
        lm: Box<dyn LanguageModel>,
        settings: Settings,
    ) -> Repairer {
        Repairer {
            dictionaries,
            allow: None,
            cues: None,
            lm,
            settings,
        }
    }

    /// The same model, leaving the phrases of `allow` untouched.
    pub fn with_allow_list(self, allow: AllowList) -> Repairer {
        Repairer {
            allow: Some(allow),
            ..self
        }
    }

    /// The same model, weighing documents with `cues` instead of the
    /// embedded table (for a table built from other spun text).
    pub fn with_cues(self, cues: Cues) -> Repairer {
        Repairer {
            cues: Some(cues),
            ..self
        }
    }

    /// The cue table the prior weighs documents with.
    pub fn cues(&self) -> &Cues {
        self.cues.as_ref().unwrap_or_else(|| Cues::embedded())
    }

    /// The language model.
    pub fn language_model(&self) -> &dyn LanguageModel {
        self.lm.as_ref()
    }

    /// The dictionaries, in priority order.
    pub fn dictionaries(&self) -> &[Dictionary] {
        &self.dictionaries
    }

    /// The same model with `dict` consulted before its own dictionaries
    /// (a dictionary learned for one crawl, [`learn`]).
    pub fn with_first_dictionary(mut self, dict: Dictionary) -> Repairer {
        self.dictionaries.insert(0, dict);
        self
    }

    /// The settings in use.
    pub fn settings(&self) -> Settings {
        self.settings
    }

    fn decoder<'a>(&'a self, lm: &'a lm::CachedModel<'a>) -> decode::Decoder<'a> {
        decode::Decoder {
            dictionaries: &self.dictionaries,
            allow: self.allow.as_ref(),
            lm,
            beam: self.settings.beam,
            cues: self.cues(),
        }
    }

    /// A penalty from the settings, scaled by the strength.
    fn scaled(&self, penalty: f32) -> f32 {
        penalty / self.settings.strength.max(1e-3)
    }

    /// How likely `input` is to be spun, and the evidence for it.
    pub fn assess(&self, input: &[u8]) -> Assessment {
        let lm = lm::CachedModel::for_text(self.lm.as_ref(), input.len());
        let decoder = self.decoder(&lm);
        self.assess_lattice(&decoder, input, &decoder.lattice(input), true)
    }

    /// The assessment of `input`. Fingerprints only ever raise the
    /// probability, so where the cues alone already make the document
    /// [certainly spun](Prior::is_certain) they are looked for only when
    /// `all_evidence` asks for them (to show them), not to repair.
    fn assess_lattice(
        &self,
        decoder: &decode::Decoder<'_>,
        input: &[u8],
        lattice: &decode::Lattice<'_>,
        all_evidence: bool,
    ) -> Assessment {
        let prior = &self.settings.prior;
        let cues = lattice.cues.clone();
        if !all_evidence && prior.is_certain(&cues) {
            return prior.assess(cues, Vec::new(), lattice.words);
        }
        let probe_penalty = self.scaled(self.settings.probe_penalty);
        let fingerprints = decoder.decode_fingerprints(
            input,
            lattice,
            probe_penalty,
            prior.fingerprint_confidence,
        );
        prior.assess(cues, fingerprints, lattice.words)
    }

    /// How bold the repair of a document with this assessment is.
    pub fn boldness(&self, assessment: &Assessment) -> decode::Boldness {
        let p = assessment.spun_probability as f32;
        decode::Boldness {
            spun_penalty: self.scaled(self.settings.spun_penalty),
            clean_penalty: self.scaled(self.settings.clean_penalty),
            spun_probability: p,
            confirmed_share: p * self.settings.consistency,
            keep_share: p * self.settings.keep_cost,
        }
    }

    /// The edits that repair `input`: sorted, disjoint, on word boundaries.
    pub fn repair(&self, input: &[u8]) -> Vec<Edit> {
        let lm = lm::CachedModel::for_text(self.lm.as_ref(), input.len());
        let decoder = self.decoder(&lm);
        let lattice = decoder.lattice(input);
        if let Some(penalty) = self.settings.fixed_penalty {
            return decoder.decode(input, &lattice, penalty);
        }
        let assessment = self.assess_lattice(&decoder, input, &lattice, false);
        decoder.decode_confirming(input, &lattice, self.boldness(&assessment))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn repaired(text: &str, settings: Settings) -> String {
        let repairer = Repairer::new(
            vec![Dictionary::embedded()],
            Box::new(NgramModel::embedded()),
            settings,
        );
        String::from_utf8(edit::apply(
            text.as_bytes(),
            &repairer.repair(text.as_bytes()),
        ))
        .unwrap()
    }

    /// `text` hard-wrapped at `width` columns inside its sentences: before
    /// a lowercase word, or before a capital after a word that ends in a
    /// lowercase letter or a comma (the same bytes, some spaces made line
    /// breaks).
    fn wrapped(text: &str, width: usize) -> String {
        let mut out = String::new();
        let mut column = 0;
        let mut previous = "";
        for (i, word) in text.split(' ').enumerate() {
            if i > 0 {
                let mid_sentence = word.starts_with(|c: char| c.is_lowercase())
                    || (word.starts_with(|c: char| c.is_uppercase())
                        && previous.ends_with(|c: char| c.is_lowercase() || c == ','));
                let wrap = column + word.len() > width && mid_sentence;
                out.push(if wrap { '\n' } else { ' ' });
                column = if wrap { 0 } else { column + 1 };
            }
            out.push_str(word);
            previous = word;
            column = match word.rfind('\n') {
                Some(at) => word.len() - at - 1,
                None => column + word.len(),
            };
        }
        out
    }

    /// A line wrapped inside a sentence goes on with the sentence, before a
    /// lowercase word or a capitalised one: the repairs of hard-wrapped
    /// text are those of the text unwrapped, scores and all.
    #[test]
    fn hard_wrapped_text_is_repaired_as_if_unwrapped() {
        let text = concat!(
            "The highest US army officer held a digital assembly with his Chinese language ",
            "counterpart on Friday, the ministry stated. It was the first such dialog in over ",
            "a 12 months, officers mentioned, and the legislation would take effect after ",
            "the talks.\n\nThe chairman of the Joint Chiefs of Employees met Common Wang.\n",
        );
        let repairer = Repairer::embedded();
        for width in [20, 40, 60] {
            let wrapped = wrapped(text, width);
            assert!(wrapped.matches('\n').count() > 3 + 60 / width, "{wrapped}");
            assert_eq!(wrapped.len(), text.len());
            let before_capital = wrapped.split('\n').skip(1);
            assert!(
                before_capital
                    .filter(|line| line.starts_with(char::is_uppercase))
                    .count()
                    > 1
            );
            // The same repairs; a line break inside a repaired phrase is
            // kept where the phrase has room for it.
            let flat = |s: String| s.replace('\n', " ");
            let edits: Vec<Edit> = repairer
                .repair(wrapped.as_bytes())
                .into_iter()
                .map(|e| Edit {
                    spun: flat(e.spun),
                    restored: flat(e.restored),
                    ..e
                })
                .collect();
            assert_eq!(edits, repairer.repair(text.as_bytes()), "{wrapped}");
        }
    }

    /// "Critics of the legislation" is sure to be "law"; "the legislation
    /// would take" is not, alone, but in the same spun text it is read the
    /// same way.
    #[test]
    fn a_spun_document_is_repaired_consistently() {
        let spun = "Officers mentioned the legislation would additionally take effect. \
                    Critics of the legislation stated it was rushed, whether or not \
                    the invoice passes the Home this 12 months.";
        // A bolder spun penalty than the default, so that the first
        // sentence's "legislation" is a close call the second decides.
        let bold = Settings {
            spun_penalty: 0.5,
            ..Settings::default()
        };
        let alone = Settings {
            consistency: 0.0,
            ..bold
        };
        assert_eq!(
            repaired(spun, alone),
            "Officers said the legislation would also take effect. \
             Critics of the law said it was rushed, whether \
             the bill passes the House this year."
        );
        assert_eq!(
            repaired(spun, bold),
            "Officers said the law would also take effect. \
             Critics of the law said it was rushed, whether \
             the bill passes the House this year."
        );
        // At a fixed penalty each sentence is decoded on its own.
        let fixed = Settings {
            fixed_penalty: Some(0.5),
            ..Settings::default()
        };
        assert!(repaired(spun, fixed).contains("the legislation would"));
    }

    /// A spinner keeps the case of the words it replaces: "the White Home"
    /// is the residence, "a small white home" a house. Each sentence alone
    /// is a document of one sentence, as a trap is.
    #[test]
    fn a_name_is_restored_only_where_written_as_one() {
        for (spun, original) in [
            (
                "Reporters waited outside the White Home all day.",
                "Reporters waited outside the White House all day.",
            ),
            ("WHITE HOME STAFF STATED IT.", "WHITE HOUSE STAFF SAID IT."),
            (
                "The report went to the Home Guidelines Committee.",
                "The report went to the House Rules Committee.",
            ),
        ] {
            assert_eq!(repaired(spun, Settings::default()), original);
        }
        for clean in [
            "The family moved into a small white home near the river.",
            "The company's state division reported higher sales in Texas.",
            "The justice division of the law school runs a free legal clinic.",
        ] {
            assert_eq!(repaired(clean, Settings::default()), clean);
        }
    }
}
