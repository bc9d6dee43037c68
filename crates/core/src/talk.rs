//! What the discussion taught: a team that ran the discussion round gave
//! two private rounds of estimates, one before the talk and one after.
//! Each is measured against the truth the same way the debrief's
//! calibration is (does the 90% range hold the true typical loss; how far
//! is the yearly chance from the true one), over the estimates a learner
//! gave in both rounds — so before and after compare like with like. The
//! role model's influence on the second round (did estimates move toward
//! theirs, and was that toward the truth) is the facilitator's to see.

use serde::{Deserialize, Serialize};

use crate::ids::ParticipantId;
use crate::room::{PrivateEstimate, Room, Team};
use crate::score::{RangeCheck, range_check};
use crate::sim::Year;
use crate::text::count;

/// One round's estimates against the truth.
#[derive(Clone, Copy, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct RoundMeasure {
    /// Ranges of risks linked to the scenario.
    pub ranges: usize,
    /// How many held the true typical loss.
    pub held: usize,
    /// The mean distance of the yearly chances from the true ones, in
    /// percentage points (None without ranges).
    pub chance_error: Option<f64>,
}

impl RoundMeasure {
    fn of<'a>(checks: impl Iterator<Item = &'a RangeCheck>) -> Self {
        let (ranges, held, error) = checks.fold((0, 0, 0.0), |(n, h, err), c| {
            (
                n + 1,
                h + usize::from(c.held),
                err + 100.0 * (c.chance - c.true_chance).abs(),
            )
        });
        Self {
            ranges,
            held,
            chance_error: (ranges > 0).then(|| error / ranges as f64),
        }
    }
}

/// Before and after the talk, for a learner or the whole team.
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
pub struct TalkMeasure {
    pub before: RoundMeasure,
    pub after: RoundMeasure,
}

impl TalkMeasure {
    /// "After talking, the team's ranges held the truth 7 times in 10, up
    /// from 4; the chances given were 8 points from the true ones on
    /// average, down from 15." `whose` is "the team's", "your" or "Ada's".
    pub fn sentence(&self, whose: &str) -> String {
        let (b, a) = (self.before, self.after);
        if a.ranges == 0 {
            return format!(
                "No range of {whose} was given in both rounds for a risk linked to the scenario."
            );
        }
        let trend = |after: usize, before: usize| match after.cmp(&before) {
            std::cmp::Ordering::Greater => format!(", up from {before}"),
            std::cmp::Ordering::Less => format!(", down from {before}"),
            std::cmp::Ordering::Equal => ", as before".to_owned(),
        };
        let mut text = format!(
            "After talking, {whose} ranges held the truth {} in {}{}",
            times(a.held),
            a.ranges,
            trend(a.held, b.held)
        );
        if let (Some(after), Some(before)) = (a.chance_error, b.chance_error) {
            let (after, before) = (after.round(), before.round());
            let change = if after < before {
                format!(", down from {before:.0}")
            } else if after > before {
                format!(", up from {before:.0}")
            } else {
                ", as before".to_owned()
            };
            text.push_str(&format!(
                "; the chances given were {after:.0} points from the true ones on average{change}"
            ));
        }
        text.push('.');
        text
    }
}

fn times(n: usize) -> String {
    match n {
        1 => "once".to_owned(),
        2 => "twice".to_owned(),
        n => format!("{n} times"),
    }
}

/// The pairs of estimates (first round, second round) of one learner's
/// card, for every card they estimated in both rounds.
fn pairs<'a>(
    team: &'a Team,
    learner: Option<ParticipantId>,
) -> impl Iterator<Item = (&'a PrivateEstimate, &'a PrivateEstimate)> + 'a {
    team.first_round
        .iter()
        .filter(move |f| learner.is_none_or(|l| f.author == l))
        .filter(|f| team.member(f.author).is_some())
        .filter_map(|f| {
            let s = team
                .estimates
                .iter()
                .find(|e| e.card == f.card && e.author == f.author)?;
            Some((f, s))
        })
}

/// Before and after the talk for `learner`, or the whole team (None);
/// None when the team ran no second round.
pub fn talk_measure(
    room: &Room,
    team: &Team,
    learner: Option<ParticipantId>,
    seed: u64,
    year: &Year,
) -> Option<TalkMeasure> {
    if team.first_round.is_empty() {
        return None;
    }
    let checks: Vec<(RangeCheck, RangeCheck)> = pairs(team, learner)
        .filter_map(|(f, s)| {
            Some((
                range_check(room, team, f, seed, year)?,
                range_check(room, team, s, seed, year)?,
            ))
        })
        .collect();
    Some(TalkMeasure {
        before: RoundMeasure::of(checks.iter().map(|(b, _)| b)),
        after: RoundMeasure::of(checks.iter().map(|(_, a)| a)),
    })
}

/// How the second round moved against the role model's first estimates.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Influence {
    /// Second estimates (of teammates, of cards the role model estimated in
    /// the first round) whose yearly chance changed.
    pub moved: usize,
    /// Of those, how many moved closer to the role model's chance.
    pub toward_model: usize,
    /// Of those, how many came closer to the true chance too.
    pub toward_model_and_truth: usize,
}

impl Influence {
    /// "Of 12 estimates that changed, 9 moved toward the role model's; 7
    /// of those 9 came closer to the truth."
    pub fn sentence(&self) -> String {
        if self.moved == 0 {
            return "No teammate changed a chance the role model had given in the first round."
                .to_owned();
        }
        format!(
            "Of {} that changed, {} moved toward the role model's; {} of those came closer to the truth.",
            count(self.moved, "teammate's estimate", "teammates' estimates"),
            self.toward_model,
            self.toward_model_and_truth
        )
    }
}

/// The role model's influence on `team`'s second round (None without a
/// second round or a role model).
pub fn role_model_influence(room: &Room, team: &Team, seed: u64, year: &Year) -> Option<Influence> {
    let model = team.role_model?;
    if team.first_round.is_empty() {
        return None;
    }
    let mut influence = Influence::default();
    for (f, s) in pairs(team, None).filter(|(f, _)| f.author != model) {
        let Some(theirs) = team
            .first_round
            .iter()
            .find(|m| m.author == model && m.card == f.card)
            .and_then(|m| m.value)
        else {
            continue;
        };
        let (Some(before), Some(after)) = (f.value, s.value) else {
            continue;
        };
        let (c1, c2, cm) = (
            before.frequency.yearly_chance(),
            after.frequency.yearly_chance(),
            theirs.frequency.yearly_chance(),
        );
        if (c1 - c2).abs() < 1e-12 {
            continue;
        }
        influence.moved += 1;
        if (c2 - cm).abs() < (c1 - cm).abs() {
            influence.toward_model += 1;
            let truth = range_check(room, team, s, seed, year).map(|c| c.true_chance);
            if truth.is_some_and(|t| (c2 - t).abs() < (c1 - t).abs()) {
                influence.toward_model_and_truth += 1;
            }
        }
    }
    Some(influence)
}

/// The two members of a team whose revealed estimates of a card lie
/// furthest apart: the pair the discussion asks to explain.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct FarApart {
    pub card: crate::room::CardId,
    pub a: ParticipantId,
    pub b: ParticipantId,
}

/// An estimate's expected loss a year on a log scale: how far apart two
/// estimates are, chance and range together.
fn log_expected_loss(e: &crate::room::Estimate) -> f64 {
    let chance = e.frequency.yearly_chance().max(1e-6);
    (chance * (e.low.max(1.0) * e.high.max(1.0)).sqrt()).ln()
}

impl Room {
    /// Whether the facilitator opened `team`'s discussion and its second
    /// round has not started: the time to talk.
    pub fn discussing(&self, team: &Team) -> bool {
        self.phase == crate::scenario::Phase::Assess
            && team.discussion
            && team.revealed
            && team.first_round.is_empty()
    }

    /// Whether the facilitator may open `team`'s discussion now.
    pub fn discussion_open(&self, team: &Team) -> bool {
        self.phase == crate::scenario::Phase::Assess
            && !team.discussion
            && self.second_round_possible(team).is_ok()
    }

    /// Why `team` cannot have its discussion and second round, if it
    /// cannot: the scenario offers them, the team's first estimates were
    /// revealed, and it had no second round yet.
    pub fn second_round_possible(&self, team: &Team) -> Result<(), crate::room::Rejection> {
        use crate::room::Rejection;
        let scenario = self.scenario.as_deref().ok_or(Rejection::NoScenario)?;
        if !scenario.discussion_round {
            return Err(Rejection::NoDiscussionRound);
        }
        if !team.first_round.is_empty() {
            return Err(Rejection::SecondRoundStarted(team.name.clone()));
        }
        if !team.revealed || team.estimates.iter().all(|e| e.value.is_none()) {
            return Err(Rejection::RevealFirst(team.name.clone()));
        }
        Ok(())
    }

    /// While `team` is discussing: for each live card two members
    /// estimated, the two whose estimates lie furthest apart (expected
    /// loss a year, on a log scale; the earlier pair on a tie), in board
    /// order.
    pub fn furthest_apart(&self, team: &Team) -> Vec<FarApart> {
        if !self.discussing(team) {
            return Vec::new();
        }
        team.cards
            .iter()
            .filter(|c| c.live())
            .filter_map(|card| {
                let given: Vec<(ParticipantId, f64)> = team
                    .estimates
                    .iter()
                    .filter(|e| e.card == card.id && team.member(e.author).is_some())
                    .filter_map(|e| Some((e.author, log_expected_loss(&e.value?))))
                    .collect();
                let mut best: Option<(f64, ParticipantId, ParticipantId)> = None;
                for (i, (a, x)) in given.iter().enumerate() {
                    for (b, y) in &given[i + 1..] {
                        let gap = (x - y).abs();
                        if best.is_none_or(|(g, _, _)| gap > g) {
                            best = Some((gap, *a, *b));
                        }
                    }
                }
                best.map(|(_, a, b)| FarApart {
                    card: card.id,
                    a,
                    b,
                })
            })
            .collect()
    }
}
