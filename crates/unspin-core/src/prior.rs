//! Document-level prior: how likely is it that this text was spun at all?
//!
//! A spinner leaves its vocabulary all over a document: it writes words
//! news seldom uses ("additionally", "stated", "12 months") and leaves out
//! words news uses every day ("said", "bill"), and a paper mill writes
//! listed tortured phrases ("profound learning"). Two kinds of evidence
//! are weighed, each in proportion to how specific it is:
//!
//! - the text's [cues](crate::cues): every word and phrase of the
//!   spinner's vocabulary, with its own log10 ratio of spun to clean
//!   occurrence, learned from real spun articles against clean text. A
//!   word clean prose uses often ("army", "individuals") weighs little, a
//!   word only a spinner writes weighs much, and a word the spinner
//!   replaces counts against spinning;
//! - the *fingerprints*: repairs of whole phrases ("Joint Chiefs of
//!   Employees", "profound learning") that the decoder makes when run at a
//!   neutral edit penalty (the probe), and repairs with entries that are
//!   sure their spun phrase is no clean writer's (a user's confident
//!   entries). Each counts in proportion to its score, which is how much
//!   likelier the language model finds the original phrase than the one
//!   written: a phrase no clean text has scores high, an ordinary one
//!   ("in accordance with") low. An entry that says it is less than sure
//!   of its phrase (a generated paper-mill form) counts only its share
//!   ([`Prior::sureness`]).
//!
//! The log-odds that the document is spun is [`Prior::log_odds`] plus both.
//! Evidence grows with the text, so the dependence on length is explicit:
//! a document of one sentence with one weak cue stays close to the
//! starting log-odds, which is below even, and is repaired as clean text
//! is; a spun article of a few hundred words carries dozens of cues.
//! [`Repairer::repair`](crate::Repairer::repair) sets the edit penalty between an
//! aggressive and a conservative one by that probability. `unspin score`
//! reports the same number for triage.

use crate::cues::{Found, Weighed};
use crate::edit::Edit;
use crate::tuning::{CERTAIN_LOG_ODDS, FINGERPRINT_MOST_UNITS};

/// How the evidence is weighed.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Prior {
    /// Natural log-odds that a document is spun before looking at it.
    pub log_odds: f64,
    /// Natural log-odds per log10 unit of the text's summed cue ratio.
    /// Below ln 10 (2.30), because a text's cues are not independent
    /// evidence: one spun sentence brings several.
    pub cue_scale: f64,
    /// The fingerprint score (log10 gain) that counts as one unit.
    pub evidence_unit: f64,
    /// Natural log-odds per unit of fingerprint evidence; one fingerprint
    /// counts for at most two units. At 2, one fingerprint at full strength
    /// takes a one-sentence document from 0.05 to 0.73, and less where its
    /// other words read as clean; a second fingerprint, or the spinner's
    /// cues, make it spun. Clean prose writes many of the spinner's
    /// phrases ("scale back", "legal professional", "international
    /// locations"), so one such phrase alone is weak evidence. Whole
    /// articles carry so many cues that the value hardly matters there.
    pub fingerprint_log_odds: f64,
    /// The least entry confidence that makes a probe repair of one word a
    /// fingerprint, and at which any fingerprint counts fully
    /// ([`Prior::sureness`]).
    pub fingerprint_confidence: f32,
    /// The score (log10) a fingerprint forgoes for each word it drops
    /// ("together with" -> "with" drops one). The language model gains
    /// from any shorter reading, since every word it scores costs
    /// probability, so without this a phrase of the spinner's that clean
    /// prose also writes would be evidence for its own repair in a
    /// one-sentence document. Fingerprints that keep the word count
    /// ("Joint Chiefs of Employees") are not touched.
    pub fingerprint_dropped_word: f32,
}

impl Default for Prior {
    /// Fitted by cross-validation by story on the training pairs (spun
    /// sides against their originals, `scripts/crossval.py --cues`): every
    /// held-out modern-spinner text scores above a summed cue ratio of 0,
    /// every original below it, and the logistic fit of the two gives
    /// about 1.5 log-odds per log10 unit. The starting log-odds of -3
    /// (0.05) keeps a sentence whose one or two cues are words formal prose
    /// uses ("stated", 0.9; "throughout", 0.8) well below even, while a
    /// spun paragraph of three sentences passes it (about 0.8) and a spun
    /// article is certain.
    fn default() -> Prior {
        Prior {
            log_odds: -3.0,
            cue_scale: 1.5,
            evidence_unit: 1.0,
            fingerprint_log_odds: 2.0,
            fingerprint_confidence: 0.5,
            fingerprint_dropped_word: 2.0,
        }
    }
}

/// A repair of the probe that counts as evidence of spinning: its edit,
/// scored as the decoder scored it, how many words it drops, which
/// [`Prior::assess`] discounts ([`Prior::fingerprint_dropped_word`]), and
/// how sure its entry is, which sets how much of the score counts
/// ([`Prior::sureness`]).
#[derive(Debug, Clone, PartialEq)]
pub struct Fingerprint {
    /// The repair, its score the language model's gain over the words as
    /// written, channel weights included.
    pub edit: Edit,
    /// How many fewer words the repair writes than it replaces
    /// ("together with" -> "with" drops one).
    pub dropped_words: usize,
    /// The entry's confidence that no clean writer writes its spun phrase
    /// (0 when the entry makes no such claim).
    pub confidence: f32,
}

/// The verdict on one document.
#[derive(Debug, Clone, PartialEq)]
pub struct Assessment {
    /// Probability that the document is spun, 0 to 1.
    pub spun_probability: f64,
    /// Words in the document.
    pub words: usize,
    /// The cues found, most telling first.
    pub cues: Vec<Found>,
    /// The fingerprint repairs found, each scored as evidence: the
    /// decoder's score less the discount for the words it drops.
    pub evidence: Vec<Edit>,
}

impl Prior {
    /// Whether `cues` alone make a document certainly spun, whatever
    /// fingerprints it may also have.
    pub fn is_certain(&self, cues: &Weighed) -> bool {
        self.log_odds + self.cue_scale * cues.log10_ratio >= CERTAIN_LOG_ODDS
    }

    /// The share of a fingerprint's score that counts as evidence, by its
    /// entry's `confidence`. An entry at least [`Prior::fingerprint_confidence`]
    /// sure (a listed tortured phrase) counts fully, and so does one that
    /// makes no claim (a phrase spinners were seen writing, whose evidence
    /// is the language model's score). An entry that says it is less sure
    /// (a paper-mill form generated from terms, which clean prose may
    /// write: "document cabinets", "interpersonal life") counts its share
    /// of that level: one such phrase in a clean sentence is no strong
    /// evidence, three in an abstract are.
    pub fn sureness(&self, confidence: f32) -> f64 {
        if confidence <= 0.0 {
            1.0
        } else {
            (confidence as f64 / self.fingerprint_confidence as f64).min(1.0)
        }
    }

    /// Weighs a document of `words` words with these `cues` and
    /// `fingerprints`.
    pub fn assess(
        &self,
        cues: Weighed,
        fingerprints: Vec<Fingerprint>,
        words: usize,
    ) -> Assessment {
        let mut units = 0.0;
        let evidence: Vec<Edit> = fingerprints
            .into_iter()
            .map(|f| {
                let score = f.edit.score - self.fingerprint_dropped_word * f.dropped_words as f32;
                units += self.sureness(f.confidence)
                    * (score as f64 / self.evidence_unit).clamp(0.0, FINGERPRINT_MOST_UNITS);
                Edit { score, ..f.edit }
            })
            .collect();
        let log_odds =
            self.log_odds + self.cue_scale * cues.log10_ratio + self.fingerprint_log_odds * units;
        Assessment {
            spun_probability: 1.0 / (1.0 + (-log_odds).exp()),
            words,
            cues: cues.found,
            evidence,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::cues::Cues;

    /// `n` fingerprints that each count as one unit of evidence.
    fn fingerprints(n: usize) -> Vec<Fingerprint> {
        (0..n)
            .map(|i| Fingerprint {
                edit: Edit {
                    start: i,
                    end: i + 1,
                    spun: "x".into(),
                    restored: "y".into(),
                    score: 2.0,
                    source: "t".into(),
                },
                dropped_words: 0,
                confidence: 0.0,
            })
            .collect()
    }

    fn p(text: &str) -> f64 {
        let words = text.split_whitespace().count();
        let cues = Cues::embedded().weigh(text.as_bytes());
        Prior::default()
            .assess(cues, Vec::new(), words)
            .spun_probability
    }

    #[test]
    fn one_weak_cue_in_a_sentence_is_not_evidence_of_spinning() {
        for sentence in [
            "He stated his name and address for the record.",
            "The company employs 300 individuals at its plant in Ohio.",
            "The army built a field hospital outside the town.",
        ] {
            assert!(p(sentence) < 0.5, "{sentence}: {}", p(sentence));
        }
    }

    #[test]
    fn a_spun_paragraph_is_spun_and_its_original_clean() {
        let spun = "The highest US army officer held a digital assembly with his \
                    Chinese language counterpart on Friday, the ministry stated. It was \
                    additionally the primary such dialog in over a 12 months, officers \
                    mentioned, and the legislation would take impact underneath the plan.";
        let original = "The top US military officer held a video call with his Chinese \
                        counterpart on Friday, the ministry said. It was also the first \
                        such dialogue in over a year, officials said, and the law would \
                        take effect under the plan.";
        assert!(p(spun) > 0.75, "{}", p(spun));
        assert!(p(original) < 0.05, "{}", p(original));
    }

    #[test]
    fn words_the_spinner_replaces_count_against_spinning() {
        let bare = p("The union stated its position.");
        let with_said = p("The union stated its position, the chairman said.");
        assert!(with_said < bare, "{with_said} {bare}");
    }

    /// Fingerprints can only add to the cues, so a document the cues alone
    /// make 0.9999 spun needs no probe; a short one does.
    #[test]
    fn cues_alone_can_make_a_document_certain() {
        let prior = Prior::default();
        let weighed = |log10_ratio| Weighed {
            log10_ratio,
            found: Vec::new(),
        };
        assert!(prior.is_certain(&weighed(8.2)));
        assert!(!prior.is_certain(&weighed(2.0)));
        let certain = prior.assess(weighed(8.2), Vec::new(), 300);
        assert!(certain.spun_probability >= 0.9999);
    }

    #[test]
    fn fingerprints_weigh_by_their_score() {
        let prior = Prior::default();
        let none = prior.assess(Weighed::default(), Vec::new(), 60);
        let mut weak = fingerprints(1);
        weak[0].edit.score = 0.4;
        let weak = prior.assess(Weighed::default(), weak, 60);
        let strong = prior.assess(Weighed::default(), fingerprints(3), 60);
        assert!(none.spun_probability < weak.spun_probability);
        assert!(weak.spun_probability < 0.5);
        assert!(strong.spun_probability > 0.95);
    }

    /// A fingerprint counts by how sure its entry is: fully for an entry
    /// that makes no claim or is sure, a share for a less sure one (a
    /// generated paper-mill form), so that one of those alone leaves a
    /// sentence clean and three make an abstract spun.
    #[test]
    fn fingerprints_weigh_by_their_entrys_sureness() {
        let prior = Prior::default();
        let with = |confidence: f32, n: usize| {
            let mut f = fingerprints(n);
            f.iter_mut().for_each(|f| f.confidence = confidence);
            prior.assess(Weighed::default(), f, 20).spun_probability
        };
        assert_eq!(with(0.0, 1), with(0.9, 1));
        assert!(with(0.2, 1) < with(0.0, 1));
        assert!(with(0.2, 1) < 0.5);
        assert!(with(0.2, 3) > 0.5);
        assert_eq!(prior.sureness(0.25), 0.5);
    }

    /// A repair that drops words gains from the shorter reading alone, so
    /// its evidence is discounted per word dropped, and the discounted
    /// score is what the assessment shows.
    #[test]
    fn fingerprints_that_drop_words_weigh_less() {
        let prior = Prior::default();
        let kept = prior.assess(Weighed::default(), fingerprints(1), 60);
        let mut dropping = fingerprints(1);
        dropping[0].dropped_words = 1;
        let dropping = prior.assess(Weighed::default(), dropping, 60);
        assert!(dropping.spun_probability < kept.spun_probability);
        assert_eq!(kept.evidence[0].score, 2.0);
        assert_eq!(
            dropping.evidence[0].score,
            2.0 - prior.fingerprint_dropped_word
        );
    }
}
