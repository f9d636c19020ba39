//! Document-level prior: how likely is it that this text was spun at all?
//!
//! A spinner leaves fingerprints all over a document: "Chinese language
//! counterpart", "12 months in the past", "an settlement", "stated" where
//! news says "said". A clean document has almost none. The decoder run at a
//! neutral edit penalty (the *probe*) finds them: in spun news it repairs
//! from one to 25 words per hundred, in clean news about one per thousand.
//! The number of probe repairs in a document of `n` words is treated as
//! Poisson, at the clean rate or at a spun rate, and the likelihood ratio
//! gives a probability that the document is spun.
//!
//! Spinners differ in how hard they work (the modern one gives the probe
//! about one repair per ten words, a sparse thesaurus spinner one per
//! hundred), so the spun rate is not one number but a range, and the spun
//! likelihood is the average over rates spread evenly on a log scale across
//! it (a log-uniform prior). A lightly spun document is thus judged against
//! light spinners rather than the average one, while a clean document's
//! rare false alarms still fall short of the whole range.
//!
//! Not every repair is equally telling: a false alarm in clean text is a
//! close call ("global" -> "international" gains the reading a factor of
//! 3), a fingerprint is not ("court docket" -> "court", a factor of 1000),
//! so each repair counts in proportion to its score,
//! [`Prior::evidence_unit`] log10 points making one full repair, capped at
//! two. [`Model::repair`](crate::Model::repair) then sets the edit penalty
//! between an aggressive and a conservative one by that probability.
//! `unspin score` reports the same number for triage.

use crate::edit::Edit;

/// The rates the evidence is weighed against.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Prior {
    /// Probe repairs per word expected in the most lightly spun text.
    pub spun_rate_low: f64,
    /// Probe repairs per word expected in the most heavily spun text.
    pub spun_rate_high: f64,
    /// Probe repairs per word expected in clean text (false alarms).
    pub clean_rate: f64,
    /// log-odds that a document is spun before looking at it.
    pub log_odds: f64,
    /// The repair score (log10 gain) that counts as one repair of evidence.
    pub evidence_unit: f64,
}

impl Default for Prior {
    /// Rates measured on the training pairs, each story scored with a
    /// dictionary mined without it: spun news gets from under one unit of
    /// evidence per 100 words (sparse thesaurus spinners) to one per 4
    /// (the modern spinner), clean news about one per 1000.
    ///
    /// Before the evidence, a document is taken to be spun at odds of
    /// 0.6 to 1 (log-odds -0.5). With the spun rate spread over a range,
    /// a clean article with a single close call ("felony" -> "criminal" in
    /// 152 words) would come out at 0.22 at even odds, enough to lower its
    /// edit penalty into a false change that the cross-validation folds
    /// show; at these odds it stays at 0.15, while every held-out spun
    /// training story still scores 0.65 or more.
    fn default() -> Prior {
        Prior {
            spun_rate_low: 0.01,
            spun_rate_high: 0.3,
            clean_rate: 0.001,
            log_odds: -0.5,
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
        let log_odds = self.log_odds + self.log_likelihood_ratio(n, words as f64);
        Assessment {
            spun_probability: 1.0 / (1.0 + (-log_odds).exp()),
            words,
            evidence,
        }
    }

    /// ln P(`units` of evidence in `words` | spun) / P(same | clean), the
    /// spun likelihood averaged over [`RATE_STEPS`] rates spread
    /// geometrically from the low to the high spun rate. Poisson
    /// likelihoods, whose terms that do not depend on the rate cancel.
    fn log_likelihood_ratio(&self, units: f64, words: f64) -> f64 {
        let ratio_at =
            |rate: f64| units * (rate / self.clean_rate).ln() - words * (rate - self.clean_rate);
        let span = self.spun_rate_high / self.spun_rate_low;
        let ratios: [f64; RATE_STEPS] = std::array::from_fn(|i| {
            ratio_at(self.spun_rate_low * span.powf(i as f64 / (RATE_STEPS - 1) as f64))
        });
        // log of the mean of exp(ratio), without overflow.
        let top = ratios.iter().copied().fold(f64::NEG_INFINITY, f64::max);
        let mean = ratios.iter().map(|r| (r - top).exp()).sum::<f64>() / RATE_STEPS as f64;
        top + mean.ln()
    }
}

/// Spun rates the likelihood is averaged over, each 12% above the one
/// before: finer than the width of the likelihood for documents that are
/// close calls (a few hundred words); longer ones are far from the
/// boundary either way.
const RATE_STEPS: usize = 32;

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
        assert!(prior.assess(edits(1), 300).spun_probability < 0.1);
        assert!(prior.assess(edits(0), 300).spun_probability < 0.01);
    }

    /// A sparse spinner's two or three fingerprints in 300 words are far
    /// fewer than the modern spinner leaves, yet well above clean text's
    /// rate: judged against light spinners, the document is spun. Against
    /// one average spun rate (0.03 per word) it was judged clean (0.36).
    #[test]
    fn a_lightly_spun_document_counts_as_spun() {
        let mut light = edits(5);
        light.iter_mut().for_each(|e| e.score = 1.0);
        let p = Prior::default().assess(light, 313).spun_probability;
        assert!(p > 0.5, "{p}");
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
