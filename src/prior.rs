//! Document-level prior: how likely is it that this text was spun at all?
//!
//! A spinner leaves fingerprints all over a document: "Chinese language
//! counterpart", "12 months in the past", "an settlement", "stated" where
//! news says "said". A clean document has almost none. The decoder run at a
//! neutral edit penalty (the *probe*) finds them: in spun news it repairs
//! several words per hundred, in clean news about one per thousand. Treating
//! the number of probe repairs in a document of `n` words as Poisson with
//! one of those two rates gives a likelihood ratio, hence a probability that
//! the document is spun. Not every repair is equally telling: a false alarm
//! in clean text is a close call ("global" -> "international" gains the
//! reading a factor of 3), a fingerprint is not ("court docket" -> "court",
//! a factor of 1000), so each repair counts in proportion to its score,
//! [`Prior::evidence_unit`] log10 points making one full repair, capped at
//! two. [`Model::repair`](crate::Model::repair) then sets
//! the edit penalty between an aggressive and a conservative one by that
//! probability. `unspin score` reports the same number for triage.

use crate::edit::Edit;

/// The two rates the evidence is weighed against.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Prior {
    /// Probe repairs per word expected in spun text.
    pub spun_rate: f64,
    /// Probe repairs per word expected in clean text (false alarms).
    pub clean_rate: f64,
    /// log-odds that a document is spun before looking at it.
    pub log_odds: f64,
    /// The repair score (log10 gain) that counts as one repair of evidence.
    pub evidence_unit: f64,
}

impl Default for Prior {
    /// Rates measured on the training pairs: spun news gets about one unit
    /// of evidence per 10 words, its clean originals about one per 1000;
    /// the spun rate is set lower, as articles unspin has not seen match
    /// less.
    fn default() -> Prior {
        Prior {
            spun_rate: 0.03,
            clean_rate: 0.001,
            log_odds: 0.0,
            evidence_unit: 2.0,
        }
    }
}

/// The verdict on one document.
#[derive(Debug, Clone, PartialEq)]
pub struct Assessment {
    /// Probability that the document is spun, 0 to 1.
    pub spun_probability: f64,
    /// Words in the document.
    pub words: usize,
    /// The probe repairs the verdict rests on.
    pub evidence: Vec<Edit>,
}

impl Prior {
    /// Weighs `evidence` (the probe's repairs) found in `words` words.
    pub fn assess(&self, evidence: Vec<Edit>, words: usize) -> Assessment {
        let n: f64 = evidence
            .iter()
            .map(|e| (e.score as f64 / self.evidence_unit).clamp(0.0, 2.0))
            .sum();
        let log_ratio = n * (self.spun_rate / self.clean_rate).ln()
            - words as f64 * (self.spun_rate - self.clean_rate);
        let log_odds = self.log_odds + log_ratio;
        Assessment {
            spun_probability: 1.0 / (1.0 + (-log_odds).exp()),
            words,
            evidence,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// `n` repairs that each count as one unit of evidence.
    fn edits(n: usize) -> Vec<Edit> {
        (0..n)
            .map(|i| Edit {
                start: i,
                end: i + 1,
                spun: "x".into(),
                restored: "y".into(),
                score: 2.0,
                source: "t".into(),
            })
            .collect()
    }

    #[test]
    fn many_repairs_mean_spun_few_mean_clean() {
        let prior = Prior::default();
        assert!(prior.assess(edits(15), 300).spun_probability > 0.99);
        assert!(prior.assess(edits(1), 300).spun_probability < 0.01);
        assert!(prior.assess(edits(0), 300).spun_probability < 0.001);
    }

    #[test]
    fn one_repair_in_a_short_line_leans_spun() {
        assert!(Prior::default().assess(edits(1), 8).spun_probability > 0.9);
    }

    #[test]
    fn close_calls_weigh_less_than_fingerprints() {
        let prior = Prior::default();
        let mut weak = edits(3);
        weak.iter_mut().for_each(|e| e.score = 0.4);
        assert!(
            prior.assess(weak, 200).spun_probability < prior.assess(edits(3), 200).spun_probability
        );
    }

    #[test]
    fn probability_grows_with_evidence() {
        let prior = Prior::default();
        let p: Vec<f64> = (0..10)
            .map(|n| prior.assess(edits(n), 200).spun_probability)
            .collect();
        assert!(p.windows(2).all(|w| w[0] < w[1]), "{p:?}");
    }
}
