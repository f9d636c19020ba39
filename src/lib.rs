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
//! let model = unspin::Model::embedded();
//! let input = "The Joint Chiefs of Employees met.".as_bytes();
//! let repaired = unspin::edit::apply(input, &model.repair(input));
//! assert_eq!(repaired, b"The Joint Chiefs of Staff met.");
//! ```
//!
//! The library knows nothing of files or terminals; the `unspin` binary
//! (src/main.rs, src/cli/) does.

pub mod case;
pub mod decode;
pub mod dict;
pub mod edit;
pub mod lm;
pub mod token;

pub use decode::Settings;
pub use dict::Dictionary;
pub use edit::Edit;
pub use lm::{LanguageModel, NgramModel};

/// Dictionaries, a language model and settings: all a repair needs.
pub struct Model {
    dictionaries: Vec<Dictionary>,
    lm: Box<dyn LanguageModel>,
    settings: Settings,
}

impl Model {
    /// The dictionary and language model built into the binary, with the
    /// default settings.
    pub fn embedded() -> Model {
        Model::new(
            vec![Dictionary::embedded()],
            Box::new(NgramModel::embedded()),
            Settings::default(),
        )
    }

    /// A model from parts: `dictionaries` are all consulted at each word.
    pub fn new(
        dictionaries: Vec<Dictionary>,
        lm: Box<dyn LanguageModel>,
        settings: Settings,
    ) -> Model {
        Model {
            dictionaries,
            lm,
            settings,
        }
    }

    /// The settings in use.
    pub fn settings(&self) -> Settings {
        self.settings
    }

    /// The edits that repair `input`: sorted, disjoint, on word boundaries.
    pub fn repair(&self, input: &[u8]) -> Vec<Edit> {
        decode::Decoder {
            dictionaries: &self.dictionaries,
            lm: self.lm.as_ref(),
            settings: self.settings,
        }
        .repair(input)
    }
}

/// Repairs `input` with `model`: shorthand for [`Model::repair`].
pub fn repair(input: &[u8], model: &Model) -> Vec<Edit> {
    model.repair(input)
}
