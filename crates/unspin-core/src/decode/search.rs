//! Searching a window: the best reading of its lattice at a penalty.
//!
//! A Viterbi search over the window's words, left to right, whose states
//! are the last two words written (the trigram model's context), keeping
//! at most [`Decoder::beam`] hypotheses per position.
//!
//! Invariant: the reading returned is the best one kept, ties going to
//! fewer edits and then to the earlier-found one, so that the output is
//! deterministic.

use super::lattice::{Lattice, WindowView};
use super::{Decoder, Penalty};
use crate::lm::WordId;
use crate::tuning::PRUNE_MARGIN;
use std::ops::Range;

/// What one reading of a lattice takes.
#[derive(Debug, Default)]
pub(super) struct Reading {
    /// Each window with edits: its index, how much better its reading is
    /// than the text, and its replacements' range of `taken`.
    pub(super) windows: Vec<(usize, f32, Range<usize>)>,
    /// Indices of replacements within their window, in input order.
    pub(super) taken: Vec<usize>,
}

impl Reading {
    fn push(&mut self, window: usize, gain: f32, taken: impl Iterator<Item = usize>) {
        let start = self.taken.len();
        self.taken.extend(taken);
        self.windows.push((window, gain, start..self.taken.len()));
    }
}

/// Buffers reused from window to window.
#[derive(Default)]
struct Scratch {
    arena: Vec<Hypothesis>,
    layers: Vec<Layer>,
    /// The replacements of the best reading, last first.
    chosen: Vec<usize>,
}

/// The hypotheses that reach one position, at most one per LM state.
///
/// A layer holds a few hypotheses (the beam keeps 8 of them going on), so
/// finding the one with the same state is a scan, cheaper than hashing.
#[derive(Default)]
struct Layer {
    /// Arena indices.
    hypotheses: Vec<usize>,
}

impl Layer {
    fn clear(&mut self) {
        self.hypotheses.clear();
    }

    /// Adds a hypothesis, keeping only the better one per LM state.
    fn push(&mut self, arena: &mut Vec<Hypothesis>, next: Hypothesis) {
        let same = self
            .hypotheses
            .iter_mut()
            .find(|at| arena[**at].context == next.context);
        match same {
            Some(at) => {
                if better(&next, &arena[*at]).is_gt() {
                    arena.push(next);
                    *at = arena.len() - 1;
                }
            }
            None => {
                arena.push(next);
                self.hypotheses.push(arena.len() - 1);
            }
        }
    }
}

/// One partial reading in a window.
#[derive(Clone, Copy)]
struct Hypothesis {
    score: f32,
    context: [WordId; 2],
    edits: u32,
    /// Arena index of the hypothesis this one extends.
    back: usize,
    /// The replacement taken to get here, or `None` for a kept word.
    via: Option<usize>,
}

const NO_BACK: usize = usize::MAX;

impl<'m> Decoder<'m> {
    /// Decodes every window at `penalty`. Given an `earlier` reading at a
    /// flat penalty, a window keeps its earlier decision unless it has an
    /// edge of a confirmed candidate that reading did not take: cheaper
    /// edges it did take only make the same path better.
    pub(super) fn read(
        &self,
        lattice: &Lattice<'_>,
        penalty: &Penalty<'_>,
        earlier: Option<&Reading>,
    ) -> Reading {
        self.read_where(lattice, penalty, earlier, |_| true)
    }

    /// Like [`Decoder::read`], for the windows with an edge `wanted`
    /// accepts: the others keep their words.
    pub(super) fn read_where(
        &self,
        lattice: &Lattice<'_>,
        penalty: &Penalty<'_>,
        earlier: Option<&Reading>,
        wanted: impl Fn(&super::Replacement) -> bool,
    ) -> Reading {
        let mut reading = Reading::default();
        let mut scratch = Scratch::default();
        let mut earlier_windows = earlier.map(|e| e.windows.iter().peekable());
        for index in 0..lattice.windows.len() {
            let window = lattice.view(index);
            if !window.replacements.iter().any(&wanted) {
                if let Some(windows) = earlier_windows.as_mut() {
                    windows.next_if(|w| w.0 == index);
                }
                continue;
            }
            if let (Some(earlier), Some(windows)) = (earlier, earlier_windows.as_mut()) {
                let before = windows.next_if(|w| w.0 == index);
                let taken = before.map_or(&[][..], |w| &earlier.taken[w.2.clone()]);
                let reconsider = window.replacements.iter().enumerate().any(|(i, r)| {
                    penalty.confirmed.get(r.candidate as usize) == Some(&true)
                        && !taken.contains(&i)
                });
                if !reconsider {
                    if let Some(&(_, gain, _)) = before {
                        reading.push(index, gain, taken.iter().copied());
                    }
                    continue;
                }
            }
            if let Some(gain) = self.decode_window(&window, penalty, &mut scratch) {
                reading.push(index, gain, scratch.chosen.iter().rev().copied());
            }
        }
        reading
    }

    /// Picks the best reading of one window. Returns how much better it is
    /// than keeping the window as it is, with the replacements it takes in
    /// `scratch.chosen` (last first); `None` when it keeps the window.
    fn decode_window(
        &self,
        window: &WindowView<'_, '_>,
        penalty: &Penalty<'_>,
        scratch: &mut Scratch,
    ) -> Option<f32> {
        let len = window.kept.len();
        let Scratch {
            arena,
            layers,
            chosen,
        } = scratch;
        // Each edge alone, in the text's own context (scored when the
        // lattice was pruned) and at this reading's penalty; the first of
        // the best on a tie, as in the search below.
        let mut best: Option<(usize, f32)> = None;
        for (index, r) in window.replacements.iter().enumerate() {
            let gain = r.local_gain + penalty.cost(r);
            if best.is_none_or(|(_, top)| gain > top) {
                best = Some((index, gain));
            }
        }
        let (best_index, best_gain) = best?;
        if window
            .replacements
            .iter()
            .all(|r| r.start == 0 && r.end == len)
        {
            // One span, so the readings are "keep" or one of its edges: no
            // language model query. Ties go to keeping.
            if best_gain <= 0.0 {
                return None;
            }
            chosen.clear();
            chosen.push(best_index);
            return Some(best_gain);
        }
        // Pruning let in edges that a neighbouring repair might lift by up
        // to PRUNE_MARGIN; where every edge falls short by more than that,
        // no reading beats the text, and the search is spared.
        if best_gain <= -PRUNE_MARGIN {
            return None;
        }
        arena.clear();
        arena.push(Hypothesis {
            score: 0.0,
            context: window.context,
            edits: 0,
            back: NO_BACK,
            via: None,
        });
        layers.iter_mut().for_each(Layer::clear);
        if layers.len() < len + 1 {
            layers.resize_with(len + 1, Layer::default);
        }
        layers[0].hypotheses.push(0);
        let beam = self.beam.max(1);
        for position in 0..len {
            // Edges only go forward, so this layer is complete: prune it.
            let mut layer = std::mem::take(&mut layers[position].hypotheses);
            layer.sort_by(|&a, &b| better(&arena[b], &arena[a]));
            layer.truncate(beam);
            let here = window.replacements.partition_point(|r| r.start < position)
                ..window.replacements.partition_point(|r| r.start <= position);
            // Ask for the first word of every step from this layer before
            // scoring any, so that the model's cache misses overlap.
            for &from in &layer {
                let context = arena[from].context;
                self.lm.prefetch(context, window.kept[position]);
                for r in &window.replacements[here.clone()] {
                    if let Some(&first) = r.ids(window.ids).first() {
                        self.lm.prefetch(context, first);
                    }
                }
            }
            for &from in &layer {
                let hypothesis = arena[from];
                let (gain, context) = self
                    .lm
                    .score_words(hypothesis.context, &window.kept[position..position + 1]);
                let next = Hypothesis {
                    score: hypothesis.score + gain,
                    context,
                    edits: hypothesis.edits,
                    back: from,
                    via: None,
                };
                layers[position + 1].push(arena, next);
                for (index, r) in window.replacements[here.clone()].iter().enumerate() {
                    let index = here.start + index;
                    let (gain, context) =
                        self.lm.score_words(hypothesis.context, r.ids(window.ids));
                    let cost = penalty.cost(r);
                    let next = Hypothesis {
                        score: hypothesis.score + gain + cost,
                        context,
                        edits: hypothesis.edits + 1,
                        back: from,
                        via: Some(index),
                    };
                    layers[r.end].push(arena, next);
                }
            }
            layers[position].hypotheses = layer;
        }
        // Finish every reading with the fixed words after the window.
        for &at in &layers[len].hypotheses {
            self.prefetch_words(arena[at].context, &[], window.tail);
        }
        let total = |h: &Hypothesis| h.score + self.lm.score_words(h.context, window.tail).0;
        let (best, best_total) = layers[len]
            .hypotheses
            .iter()
            .map(|&at| (at, total(&arena[at])))
            .reduce(|(a, sa), (b, sb)| {
                if sb > sa || (sb == sa && arena[b].edits < arena[a].edits) {
                    (b, sb)
                } else {
                    (a, sa)
                }
            })?;
        if arena[best].edits == 0 {
            return None;
        }
        let (keep_score, keep_context) = self.lm.score_words(window.context, window.kept);
        let keep_total = keep_score + self.lm.score_words(keep_context, window.tail).0;
        let gain = best_total - keep_total;

        chosen.clear();
        let mut at = best;
        while at != NO_BACK {
            if let Some(index) = arena[at].via {
                chosen.push(index);
            }
            at = arena[at].back;
        }
        Some(gain)
    }
}

/// Ordering for hypotheses: higher score first, then fewer edits.
fn better(a: &Hypothesis, b: &Hypothesis) -> std::cmp::Ordering {
    a.score
        .total_cmp(&b.score)
        .then_with(|| b.edits.cmp(&a.edits))
}
