//! How a [`Ctx`] gathers findings: each effect in order, a bounded number of reasons a rank,
//! the work and depth budgets, and the verdict they make.

use super::{ContentVerdict, Ctx, MAX_DEPTH, MAX_REASONS, MAX_WORK};
use crate::Effect;

/// What a [`Ctx`] had found at some point.
pub(super) struct Checkpoint {
    events: usize,
    max: Option<Effect>,
    reasons: [usize; 3],
    dropped: [usize; 3],
}

/// Reasons kept per rank while walking (the verdict shows fewer).
const KEPT_REASONS: usize = 4 * MAX_REASONS;

impl Ctx {
    pub(super) fn new() -> Self {
        Ctx {
            events: Vec::new(),
            max: None,
            reasons: [Vec::new(), Vec::new(), Vec::new()],
            dropped: [0; 3],
            work: 0,
            exhausted: false,
            too_deep: false,
            in_osascript: false,
            via: Vec::new(),
            name_reads: false,
            editor_tool: false,
            patch_tool: false,
            windows_shell: None,
            code_lang: None,
            program: None,
            search_tool: false,
            event_tool: false,
            one_thing: false,
            bound_data: false,
            graphql_judged: false,
            graphql_target: false,
            fast: true,
            sends: false,
            writes_path: false,
            pushes: false,
            moves: false,
            folded: None,
            filling: false,
        }
    }

    /// True if a reason for `effect` could still be shown (its rank is not below the
    /// highest so far): callers skip building reasons that cannot be.
    pub(crate) fn wants(&self, effect: Effect) -> bool {
        let rank = usize::from(effect.rank()).min(2);
        self.max.is_none_or(|m| effect.rank() >= m.rank())
            && self
                .reasons
                .get(rank)
                .is_some_and(|r| r.len() < KEPT_REASONS)
    }

    /// Records an effect without a reason (only when [`Ctx::wants`] is false).
    pub(crate) fn note(&mut self, effect: Effect) {
        if self.max.is_none_or(|m| effect.rank() > m.rank()) {
            self.add(effect, "unexplained finding");
            return;
        }
        self.events.push(effect);
        if let Some(d) = self.dropped.get_mut(usize::from(effect.rank()).min(2)) {
            *d += 1;
        }
    }

    /// Records a finding; the reason gets the innermost wrapper it was seen through.
    pub(crate) fn add(&mut self, effect: Effect, reason: impl Into<String>) {
        self.events.push(effect);
        self.max = Some(self.max.map_or(effect, |m| m.max(effect)));
        let rank = usize::from(effect.rank()).min(2);
        let Some(kept) = self.reasons.get_mut(rank) else {
            return;
        };
        let mut reason = reason.into();
        if let Some(v) = self.via.last() {
            reason.push_str(" (via ");
            reason.push_str(v);
            reason.push(')');
        }
        if kept.iter().any(|(e, r)| *e == effect && *r == reason) {
            return;
        }
        if kept.len() < KEPT_REASONS {
            kept.push((effect, reason));
        } else if let Some(d) = self.dropped.get_mut(rank) {
            *d += 1;
        }
    }

    /// Spends `n` units of the work budget; false (and an escalation) once it is spent.
    pub(crate) fn tick(&mut self, n: usize) -> bool {
        self.work = self.work.saturating_add(n);
        if self.work > MAX_WORK {
            if !self.exhausted {
                self.exhausted = true;
                self.add(
                    Effect::Destructive,
                    "limits: input needs more analysis than the work budget allows",
                );
            }
            return false;
        }
        true
    }

    /// True if a nested reading at `depth` is allowed; escalates once when it is not.
    pub(crate) fn deeper(&mut self, depth: usize) -> bool {
        if depth > MAX_DEPTH {
            if !self.too_deep {
                self.too_deep = true;
                self.add(
                    Effect::Destructive,
                    format!("limits: nesting deeper than {MAX_DEPTH} levels"),
                );
            }
            return false;
        }
        self.tick(1)
    }

    /// Runs `f` with `via` named in the reasons it adds.
    pub(crate) fn via<R>(&mut self, via: impl Into<String>, f: impl FnOnce(&mut Ctx) -> R) -> R {
        self.via.push(via.into());
        let r = f(self);
        self.via.pop();
        r
    }

    /// The highest effect found so far.
    #[cfg(test)]
    pub(crate) fn max_effect(&self) -> Option<Effect> {
        self.max
    }

    /// The findings so far, to go back to with [`Ctx::forget_reads_since`].
    pub(super) fn checkpoint(&self) -> Checkpoint {
        Checkpoint {
            events: self.events.len(),
            max: self.max,
            reasons: self.reasons.each_ref().map(Vec::len),
            dropped: self.dropped,
        }
    }

    /// Forgets the findings since `cp` when every one of them is a read.
    pub(super) fn forget_reads_since(&mut self, cp: &Checkpoint) {
        if self.max_since(cp.events) != Some(Effect::Read) {
            return;
        }
        self.events.truncate(cp.events);
        self.max = cp.max;
        for (kept, n) in self.reasons.iter_mut().zip(cp.reasons) {
            kept.truncate(n);
        }
        self.dropped = cp.dropped;
    }

    /// A mark to compare findings before and after a sub-analysis.
    pub(crate) fn mark(&self) -> usize {
        self.events.len()
    }

    /// The highest effect among findings added since `mark`.
    pub(crate) fn max_since(&self, mark: usize) -> Option<Effect> {
        self.events
            .get(mark..)
            .unwrap_or_default()
            .iter()
            .copied()
            .reduce(|a, b| a.max(b))
    }

    pub(super) fn verdict(self) -> Option<ContentVerdict> {
        let effect = self.max?;
        let rank = usize::from(effect.rank()).min(2);
        let kept = self.reasons.into_iter().nth(rank).unwrap_or_default();
        let mut more = self.dropped.get(rank).copied().unwrap_or(0);
        // Admin reasons first: the verdict is admin when any is.
        let (mut reasons, rest): (Vec<_>, Vec<_>) =
            kept.into_iter().partition(|(e, _)| *e == effect);
        reasons.extend(rest);
        more += reasons.len().saturating_sub(MAX_REASONS);
        let mut reasons: Vec<String> = reasons
            .into_iter()
            .take(MAX_REASONS)
            .map(|(_, r)| r)
            .collect();
        if more > 0 {
            reasons.push(format!("and {more} more"));
        }
        Some(ContentVerdict { effect, reasons })
    }
}
