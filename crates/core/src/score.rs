//! Scores, each with the sentences that say how it was reached:
//! quantitative (the team's strategy against the best the catalogue allows),
//! calibration (each learner's estimates against the truth), the
//! facilitator's rubric, peer ratings (anonymous), participation balance
//! (from the board), and the combination the scenario's weights set: there,
//! a part a learner could have earned and did not counts as 0, and only a
//! part nobody in the team has yet is left out, for everyone alike
//! ([`combined_parts`]).

use serde::{Deserialize, Serialize};

use crate::ids::ParticipantId;
use crate::room::{Estimate, Room, Team};
use crate::scenario::{Scenario, Weights, group_thousands};
use crate::sim::engine::Sampler;
use crate::sim::model::Severity;
use crate::sim::rng::{Stream, risk_key};
use crate::sim::{Simulation, Strategy, best_strategy, truth_model};

/// A score from 0 to 100 and how it was reached; no score while there is
/// nothing to score yet (the facilitator has not rated, no teammate has,
/// no estimates) — which is not the same as a score of 0.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Explained {
    pub score: Option<f64>,
    pub how: Vec<String>,
}

impl Explained {
    fn scored(score: f64, how: Vec<String>) -> Self {
        Self {
            score: Some(score),
            how,
        }
    }

    fn pending(why: &str) -> Self {
        Self {
            score: None,
            how: vec![why.to_owned()],
        }
    }
}

fn pct(x: f64) -> String {
    format!("{:.0}%", 100.0 * x)
}

/// The team's strategy against the best within budget, by simulation of the
/// truth (same seed for all, so differences are the strategies').
pub fn quantitative(
    scenario: &Scenario,
    fired: &[String],
    team: &Strategy,
    budget: f64,
    seed: u64,
    trials: usize,
) -> Explained {
    let money = |x: f64| format!("{} {}", scenario.currency, group_thousands(x));
    let appetite = scenario.appetite.p90_limit;
    let base = Simulation::new(
        truth_model(scenario, fired, &Strategy::default()),
        trials,
        seed,
    )
    .run();
    let with = Simulation::new(truth_model(scenario, fired, team), trials, seed).run();
    let (base, with) = (base.summary(appetite), with.summary(appetite));
    let best = best_strategy(scenario, fired, budget, seed, trials.min(50_000));
    let removed = base.mean - with.mean;
    let net = removed - team.cost;
    let best_net = best.net_benefit();
    let mut how = vec![format!(
        "The team's strategy removes {} of expected annual loss ({} → {}) for {}: a net benefit of {}.",
        money(removed),
        money(base.mean),
        money(with.mean),
        money(team.cost),
        money(net)
    )];
    let value_part = if best_net > 0.0 {
        (net / best_net).clamp(0.0, 1.0)
    } else if net >= 0.0 {
        1.0
    } else {
        0.0
    };
    how.push(format!(
        "The best strategy within {} is {} (found by {}); it nets {}; yours reaches {} of that: {:.0} of 70 points.",
        money(budget),
        if best.responses.is_empty() {
            "to do nothing".to_owned()
        } else {
            best.responses
                .iter()
                .map(|id| crate::room::label_title(scenario, id))
                .collect::<Vec<_>>()
                .join(", ")
        },
        best.method,
        money(best_net),
        pct(value_part),
        70.0 * value_part
    ));
    let tail_part = if with.within_appetite() {
        1.0
    } else if base.percentiles.p90 > appetite {
        ((base.percentiles.p90 - with.percentiles.p90) / (base.percentiles.p90 - appetite))
            .clamp(0.0, 1.0)
    } else {
        0.0
    };
    how.push(format!(
        "P90 annual loss {} against an appetite of {} (with no responses: {}): {:.0} of 20 points.",
        money(with.percentiles.p90),
        money(appetite),
        money(base.percentiles.p90),
        20.0 * tail_part
    ));
    let within = team.cost <= budget + 1e-9;
    how.push(format!(
        "Cost {} against a budget of {}: {} of 10 points.",
        money(team.cost),
        money(budget),
        if within { 10 } else { 0 }
    ));
    Explained::scored(
        70.0 * value_part + 20.0 * tail_part + if within { 10.0 } else { 0.0 },
        how,
    )
}

/// Expected interval score of the 90% range [low, high] against draws of
/// `severity` (α = 0.1): width plus 20× the expected miss on each side.
fn interval_score(low: f64, high: f64, draws: &[f64]) -> f64 {
    let n = draws.len().max(1) as f64;
    let below: f64 = draws.iter().map(|x| (low - x).max(0.0)).sum::<f64>() / n;
    let above: f64 = draws.iter().map(|x| (x - high).max(0.0)).sum::<f64>() / n;
    (high - low) + 20.0 * (below + above)
}

/// How well one learner's estimates match the truth, over the cards linked
/// to a truth-model risk.
pub fn calibration(room: &Room, team: &Team, learner: ParticipantId, seed: u64) -> Explained {
    let Some(scenario) = room.scenario.as_deref() else {
        return Explained::pending("No scenario yet.");
    };
    let now = crate::sim::model::truth_risks(scenario, &room.fired);
    let mut parts = Vec::new();
    let mut how = Vec::new();
    for e in team.final_estimates().filter(|e| e.author == learner) {
        let (Some(value), Some(card)) = (e.value, team.card(e.card)) else {
            continue;
        };
        let Some(id) = card.risk.as_ref() else {
            continue;
        };
        // Held to the truth as it stood when the estimate was given; a risk
        // that news brought into play later is held to its truth now.
        let then =
            crate::sim::model::truth_risks(scenario, &room.fired[..e.fired.min(room.fired.len())]);
        let current = now.iter().find(|r| &r.id == id);
        let Some(risk) = then.iter().find(|r| &r.id == id).or(current) else {
            continue;
        };
        let changed = current.is_some_and(|r| r != risk);
        let Estimate {
            frequency,
            low,
            high,
        } = value;
        let (mine, truth) = (frequency.yearly_chance(), risk.frequency.yearly_chance());
        let brier = (mine - truth).powi(2) + truth * (1.0 - truth);
        let prob_score = 1.0 - ((mine - truth).abs() / 0.5).min(1.0);
        let draws = impact_draws(risk, seed);
        let (tl, th) = (draws[draws.len() / 20], draws[draws.len() * 19 / 20]);
        let ideal = interval_score(tl, th, &draws);
        let yours = interval_score(low, high, &draws);
        let range_score = (ideal / yours).min(1.0);
        how.push(format!(
            "“{}”: {} a year given, the truth {} {} (Brier {:.3}); the 90% range given, {}–{}, scores {:.0} against the true range {}–{}.",
            card.title,
            pct(mine),
            if changed {
                "when it was estimated (news since changed it) was"
            } else {
                "is"
            },
            pct(truth),
            brier,
            group_thousands(low),
            group_thousands(high),
            100.0 * range_score,
            group_thousands(tl),
            group_thousands(th)
        ));
        parts.push(0.5 * prob_score + 0.5 * range_score);
    }
    if parts.is_empty() {
        return Explained::pending("Not scored: no estimates of risks linked to the scenario.");
    }
    let score = 100.0 * parts.iter().sum::<f64>() / parts.len() as f64;
    how.push(format!(
        "Average over {}, half probability and half range: {score:.0}.",
        crate::text::count(parts.len(), "estimate", "estimates")
    ));
    Explained::scored(score, how)
}

/// 4,000 draws of one event's loss of a truth-model risk, sorted.
fn impact_draws(risk: &crate::scenario::Risk, seed: u64) -> Vec<f64> {
    let sampler = Sampler::new(&Severity::from_impact(&risk.impact));
    let key = risk_key(seed, &risk.id);
    let mut draws: Vec<f64> = (0..4_000u64)
        .map(|t| sampler.sample(&mut Stream::new(key, t)))
        .collect();
    draws.sort_by(f64::total_cmp);
    draws
}

/// A team's agreed value for one card beside the truth it stands for.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Comparison {
    pub card: String,
    pub risk: String,
    pub agreed: Estimate,
    /// The true chance of at least one event in the year.
    pub true_chance: f64,
    /// The true 5th and 95th percentiles of one event's loss.
    pub true_low: f64,
    pub true_high: f64,
    /// The comparison in words.
    pub verdict: String,
}

/// Where the team over- or under-estimated: each agreed value on a card
/// linked to a scenario risk, beside the truth (after the fired injects).
pub fn belief_vs_truth(room: &Room, team: &Team) -> Vec<Comparison> {
    let Some(scenario) = room.scenario.as_deref() else {
        return Vec::new();
    };
    let risks = crate::sim::model::truth_risks(scenario, &room.fired);
    let seed = room.seed();
    team.cards
        .iter()
        .filter(|c| c.live())
        .filter_map(|card| {
            let agreed = card.consensus?;
            let risk = risks.iter().find(|r| Some(&r.id) == card.risk.as_ref())?;
            let draws = impact_draws(risk, seed);
            let (true_low, true_high) = (draws[draws.len() / 20], draws[draws.len() * 19 / 20]);
            let (mine, truth) = (
                agreed.frequency.yearly_chance(),
                risk.frequency.yearly_chance(),
            );
            let chance =
                if (mine - truth).abs() <= 0.05 || (mine / truth.max(1e-9) - 1.0).abs() <= 0.25 {
                    format!(
                        "the chance about right ({} against {})",
                        pct(mine),
                        pct(truth)
                    )
                } else if mine > truth {
                    format!("the chance too high ({} against {})", pct(mine), pct(truth))
                } else {
                    format!("the chance too low ({} against {})", pct(mine), pct(truth))
                };
            // Compare the middles of the ranges (geometric, as losses spread
            // over orders of magnitude).
            let ratio = (agreed.low * agreed.high).sqrt() / (true_low * true_high).sqrt().max(1e-9);
            let impact = if ratio > 1.5 {
                format!("the loss {ratio:.1} times too high")
            } else if ratio < 1.0 / 1.5 {
                format!("the loss {:.1} times too low", 1.0 / ratio)
            } else {
                "the loss about right".to_owned()
            };
            Some(Comparison {
                card: card.title.clone(),
                risk: risk.title.clone(),
                agreed,
                true_chance: truth,
                true_low,
                true_high,
                verdict: format!(
                    "“{}” ({}): the team put {chance}, and {impact} (true 90% range {}–{}).",
                    card.title,
                    risk.title,
                    group_thousands(true_low),
                    group_thousands(true_high)
                ),
            })
        })
        .collect()
}

/// The facilitator's rubric levels (1–4) as a score.
pub fn rubric(scenario: &Scenario, team: &Team) -> Explained {
    let mut how = Vec::new();
    let mut sum = 0.0;
    for (dimension, level) in &team.rubric {
        let name = scenario
            .rubric
            .dimensions
            .iter()
            .find(|d| &d.id == dimension)
            .map_or(dimension.as_str(), |d| d.name.as_str());
        how.push(format!("{name}: level {level} of 4."));
        sum += f64::from(level.saturating_sub(1)) / 3.0;
    }
    if team.rubric.is_empty() {
        return Explained::pending("Not rated yet: the facilitator has not rated the team.");
    }
    let score = 100.0 * sum / team.rubric.len() as f64;
    let of = scenario.rubric.dimensions.len();
    if team.rubric.len() < of {
        how.push(format!(
            "{} of {of} dimensions rated so far; the score averages those.",
            team.rubric.len()
        ));
    }
    how.push(format!("Levels 1–4 map to 0–100; average {score:.0}."));
    Explained::scored(score, how)
}

/// A learner's peer ratings, aggregated so no rater can be told apart.
pub fn peer(team: &Team, learner: ParticipantId) -> Explained {
    let scores: Vec<u8> = team
        .peer_ratings
        .iter()
        .filter(|r| r.to == learner)
        .map(|r| r.score)
        .collect();
    if scores.is_empty() {
        return Explained::pending("Not rated yet by a teammate.");
    }
    let mean = scores.iter().map(|&s| f64::from(s)).sum::<f64>() / scores.len() as f64;
    let raters = match scores.len() {
        1 => "1 teammate".to_owned(),
        n => format!("{n} teammates"),
    };
    Explained::scored(
        100.0 * (mean - 1.0) / 4.0,
        vec![format!(
            "{raters} gave {mean:.1} out of 5 on average (ratings 1–5 map to 0–100)."
        )],
    )
}

/// Contributions per member: raised, estimated, responded, voted, commented.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Contributions {
    pub participant: ParticipantId,
    pub role: Option<String>,
    pub raised: u32,
    pub estimated: u32,
    pub responded: u32,
    pub voted: u32,
    pub commented: u32,
}

impl Contributions {
    pub fn total(&self) -> u32 {
        self.raised + self.estimated + self.responded + self.voted + self.commented
    }
}

/// Participation per member, counted from the board (the fold of the event
/// log: cards raised, estimates given, responses proposed, votes standing,
/// comments, lessons and action items), and a balance index: the evenness
/// (normalised entropy) of contributions across the team's members. Every
/// device that sees the board computes the same figures.
pub fn participation(room: &Room, team: &Team) -> (Vec<Contributions>, Explained) {
    let mut rows: Vec<Contributions> = team
        .members
        .iter()
        .map(|m| Contributions {
            participant: m.id,
            role: m.role.clone(),
            ..Contributions::default()
        })
        .collect();
    let mut count = |who: Option<ParticipantId>, field: fn(&mut Contributions)| {
        if let Some(row) = who.and_then(|id| rows.iter_mut().find(|r| r.participant == id)) {
            field(row);
        }
    };
    // A withdrawn card's words are gone; it no longer counts.
    for c in team.cards.iter().filter(|c| !c.withdrawn) {
        count(Some(c.author), |c| c.raised += 1);
    }
    for e in team.final_estimates() {
        count(Some(e.author), |c| c.estimated += 1);
    }
    for r in &team.responses {
        count(Some(r.proposer), |c| c.responded += 1);
    }
    for v in &team.votes {
        count(Some(v.voter), |c| c.voted += 1);
    }
    let notes = team.lessons.iter().chain(&team.actions).map(|n| n.author);
    for author in team.comments.iter().map(|c| c.author).chain(notes) {
        count(author, |c| c.commented += 1);
    }
    let total: f64 = rows.iter().map(|r| f64::from(r.total())).sum();
    let n = rows.len();
    if n < 2 {
        return (
            rows,
            Explained::pending("Not scored: balance needs a team of two or more."),
        );
    }
    if total == 0.0 {
        return (
            rows,
            Explained::pending("Not scored: nobody in the team has contributed yet."),
        );
    }
    let entropy: f64 = rows
        .iter()
        .map(|r| f64::from(r.total()) / total)
        .filter(|&p| p > 0.0)
        .map(|p| -p * crate::sim::math::ln(p))
        .sum();
    let score = 100.0 * entropy / crate::sim::math::ln(n as f64);
    let mut how: Vec<String> = rows
        .iter()
        .map(|r| {
            let name = room
                .participant(r.participant)
                .map_or("?", |p| p.name.as_str());
            // The role's name as the scenario gives it, its id failing that.
            let role = r.role.as_deref().map(|id| {
                room.scenario
                    .as_deref()
                    .and_then(|s| s.role(id))
                    .map_or(id, |role| role.name.as_str())
            });
            format!(
                "{name}{}: raised {}, estimated {}, responded {}, voted {}, commented {}.",
                role.map(|role| format!(" ({role})")).unwrap_or_default(),
                r.raised,
                r.estimated,
                r.responded,
                r.voted,
                r.commented
            )
        })
        .collect();
    how.push(format!(
        "Balance {score:.0}: 100 when every member contributed equally, 0 when one did everything."
    ));
    (rows, Explained::scored(score, how))
}

/// One part of a learner's combined score.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Part {
    /// Given: this score, 0 to 100.
    Given(f64),
    /// Someone in the team has it, this learner has not: it counts as 0.
    /// The words say what was not done or given ("no estimates of the
    /// scenario's risks were given").
    Missed(&'static str),
    /// Nobody in the team has it yet: it is left out for everyone.
    NotYet,
}

impl Part {
    /// A score the whole team shares (quantitative, rubric): given, or
    /// not given yet for anyone.
    pub fn of_team(score: Option<f64>) -> Self {
        score.map_or(Part::NotYet, Part::Given)
    }

    /// A learner's own score, when `in_team` says whether anyone in the
    /// team has one: without one of their own it counts as 0 (`missed`
    /// says why), unless nobody has it yet.
    pub fn of_member(score: Option<f64>, in_team: bool, missed: &'static str) -> Self {
        match score {
            Some(s) => Part::Given(s),
            None if in_team => Part::Missed(missed),
            None => Part::NotYet,
        }
    }

    fn counted(self) -> Option<f64> {
        match self {
            Part::Given(s) => Some(s),
            Part::Missed(_) => Some(0.0),
            Part::NotYet => None,
        }
    }
}

/// Why a learner's calibration counts as 0.
pub const NO_ESTIMATES: &str = "no estimates of the scenario's risks were given";
/// Why a learner's peer score counts as 0.
pub const NOT_RATED: &str = "no teammate has given a rating";
/// Why a learner's participation counts as 0.
pub const NO_CONTRIBUTIONS: &str = "nothing was added to the board";

/// Whether anyone in the team has a calibration score: a member estimated
/// a card linked to one of the scenario's risks. Every device that sees
/// the team's board can tell (whether or not it sees the values).
pub fn calibration_in_team(room: &Room, team: &Team) -> bool {
    let Some(scenario) = room.scenario.as_deref() else {
        return false;
    };
    let now = crate::sim::model::truth_risks(scenario, &room.fired);
    team.final_estimates()
        .filter(|e| team.member(e.author).is_some())
        .any(|e| {
            let Some(id) = team.card(e.card).and_then(|c| c.risk.as_ref()) else {
                return false;
            };
            let fired = &room.fired[..e.fired.min(room.fired.len())];
            now.iter().any(|r| &r.id == id)
                || crate::sim::model::truth_risks(scenario, fired)
                    .iter()
                    .any(|r| &r.id == id)
        })
}

/// The scenario's weighted combination of the five scores, each given or
/// not given yet for the whole team (see [`combined_parts`], of which
/// this is the case where nothing is missed).
pub fn combined(
    weights: &Weights,
    quantitative: Option<f64>,
    calibration: Option<f64>,
    rubric: Option<f64>,
    peer: Option<f64>,
    participation: Option<f64>,
) -> Explained {
    combined_parts(
        weights,
        Part::of_team(quantitative),
        Part::of_team(calibration),
        Part::of_team(rubric),
        Part::of_team(peer),
        Part::of_team(participation),
    )
}

/// The scenario's weighted combination of a learner's five scores. Who did
/// not take part cannot outscore those who did: a part the learner could
/// have earned and did not (no estimates: calibration; no contributions:
/// participation; no rating received while teammates were rated: peer)
/// counts as 0. Only a part nobody in the team has yet (no peer rating
/// given in the team, the rubric not rated) is left out — for everyone in
/// the team alike — and the weights of the others are rescaled to sum to
/// one; the result names the parts not given yet.
pub fn combined_parts(
    weights: &Weights,
    quantitative: Part,
    calibration: Part,
    rubric: Part,
    peer: Part,
    participation: Part,
) -> Explained {
    let parts = [
        ("quantitative", weights.quantitative, quantitative),
        ("calibration", weights.calibration, calibration),
        ("rubric", weights.rubric, rubric),
        ("peer ratings", weights.peer, peer),
        ("participation", weights.participation, participation),
    ];
    let weighted = || parts.iter().filter(|(_, w, _)| *w > 0.0);
    let counted: Vec<(&str, f64, f64)> = weighted()
        .filter_map(|&(name, w, part)| part.counted().map(|s| (name, w, s)))
        .collect();
    let not_yet: Vec<&str> = weighted()
        .filter(|(_, _, part)| *part == Part::NotYet)
        .map(|(name, _, _)| *name)
        .collect();
    let missed: Vec<String> = weighted()
        .filter_map(|(name, _, part)| match part {
            Part::Missed(why) => Some(format!("{name} ({why})")),
            _ => None,
        })
        .collect();
    let weight: f64 = counted.iter().map(|(_, w, _)| w).sum();
    if counted.is_empty() || weight <= 0.0 {
        return Explained::pending("Not scored: none of the weighted scores is given yet.");
    }
    let sum: f64 = counted.iter().map(|(_, w, s)| w * s).sum();
    let score = if not_yet.is_empty() {
        sum
    } else {
        sum / weight
    };
    let terms: Vec<String> = counted
        .iter()
        .map(|(name, w, s)| format!("{w:.2} × {s:.0} ({name})"))
        .collect();
    let mut how = Vec::new();
    if !not_yet.is_empty() {
        how.push(format!(
            "Not given yet in the team, so left out for everyone: {}.",
            not_yet.join(", ")
        ));
    }
    if !missed.is_empty() {
        how.push(format!(
            "Counted as 0, as teammates have them: {}.",
            missed.join("; ")
        ));
    }
    how.push(if not_yet.is_empty() {
        format!("{} = {score:.0}.", terms.join(" + "))
    } else {
        format!(
            "({}) ÷ {weight:.2} = {score:.0} (the weights of the scores counted, scaled to add up to 1).",
            terms.join(" + ")
        )
    });
    Explained::scored(score, how)
}

/// One estimate of a learner beside the truth it is held to, as numbers a
/// picture can draw: the calibration score's rows, in the same order.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct RangeCheck {
    /// The card's title (the learner's words).
    pub card: String,
    /// The scenario risk the card stands for, and its title.
    pub risk: String,
    pub risk_title: String,
    /// The learner's 90% range of one event's loss.
    pub low: f64,
    pub high: f64,
    /// The true 5th percentile, median (the typical loss) and 95th
    /// percentile of one event's loss, as the calibration score draws them.
    pub true_low: f64,
    pub true_median: f64,
    pub true_high: f64,
    /// Whether the learner's range holds the true typical loss.
    pub held: bool,
    /// The chance of at least one event in a year the learner gave, and
    /// the true one.
    pub chance: f64,
    pub true_chance: f64,
    /// News since the estimate changed the truth (the row keeps the truth
    /// of the moment the estimate was given, as the score does).
    pub changed: bool,
    /// Events of this risk in the played year, prevented ones included:
    /// the chance is of the risk striking, whatever was done about it.
    pub struck: u32,
}

/// A learner's calibration as a picture shows it: each estimate's range
/// and chance beside the truth, and what they add up to.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct CalibrationPicture {
    pub rows: Vec<RangeCheck>,
}

/// How often a calibrated estimator's 90% ranges hold the truth, in words.
pub const CALIBRATED_RANGES: &str =
    "a calibrated estimator's 90% ranges hold it about 9 times in 10";

impl CalibrationPicture {
    /// How many of the ranges held the true typical loss.
    pub fn held(&self) -> usize {
        self.rows.iter().filter(|r| r.held).count()
    }

    /// The risks that struck in the played year.
    pub fn struck(&self) -> usize {
        self.rows.iter().filter(|r| r.struck > 0).count()
    }

    /// How many of the risks the learner's chances expect to strike in a
    /// year (the sum of the chances), and the true chances.
    pub fn expected(&self) -> (f64, f64) {
        self.rows.iter().fold((0.0, 0.0), |(mine, truth), r| {
            (mine + r.chance, truth + r.true_chance)
        })
    }

    /// The smallest and largest amounts the picture must show (all ranges,
    /// true and estimated), or None with no rows.
    pub fn span(&self) -> Option<(f64, f64)> {
        self.rows
            .iter()
            .flat_map(|r| [r.low, r.high, r.true_low, r.true_median, r.true_high])
            .fold(None, |span, x| match span {
                None => Some((x, x)),
                Some((lo, hi)) => Some((x.min(lo), x.max(hi))),
            })
    }

    /// "Your ranges held the truth 3 times in 8 — a calibrated estimator's
    /// 90% ranges hold it about 9 times in 10." `whose` is "Your" or a
    /// name's possessive ("Ada's").
    pub fn headline(&self, whose: &str) -> String {
        let held = self.held();
        match self.rows.len() {
            0 => format!("{whose} estimates hold no range of a risk linked to the scenario."),
            1 => format!(
                "{whose} one range {} the truth — {CALIBRATED_RANGES}.",
                if held == 1 { "held" } else { "missed" }
            ),
            n => {
                let times = match held {
                    1 => "once".to_owned(),
                    2 => "twice".to_owned(),
                    k => format!("{k} times"),
                };
                format!("{whose} ranges held the truth {times} in {n} — {CALIBRATED_RANGES}.")
            }
        }
    }

    /// The chances given against the true ones and the played year: "The
    /// chances given add up to 1.4 of these 3 risks striking in a year, the
    /// true chances to 0.7; in the played year 1 struck."
    pub fn chances_sentence(&self) -> String {
        let (mine, truth) = self.expected();
        let n = self.rows.len();
        let these = if n == 1 {
            "this risk".to_owned()
        } else {
            format!("these {n} risks")
        };
        format!(
            "The chances given add up to {mine:.1} of {these} striking in a year, the true chances to {truth:.1}; in the played year {} struck.",
            self.struck()
        )
    }
}

/// A learner's estimates of risks linked to the scenario, each beside the
/// truth as it stood when it was given (as [`calibration`] scores them),
/// with whether its range held the true typical loss and whether the risk
/// struck in the played `year`.
pub fn calibration_picture(
    room: &Room,
    team: &Team,
    learner: ParticipantId,
    seed: u64,
    year: &crate::sim::Year,
) -> CalibrationPicture {
    let rows = team
        .final_estimates()
        .filter(|e| e.author == learner)
        .filter_map(|e| range_check(room, team, e, seed, year))
        .collect();
    CalibrationPicture { rows }
}

/// One estimate of a card linked to the scenario beside the truth as it
/// stood when it was given; None for a card linked to no risk, or an
/// estimate this viewer cannot see.
pub fn range_check(
    room: &Room,
    team: &Team,
    e: &crate::room::PrivateEstimate,
    seed: u64,
    year: &crate::sim::Year,
) -> Option<RangeCheck> {
    let scenario = room.scenario.as_deref()?;
    let (value, card) = (e.value?, team.card(e.card)?);
    let id = card.risk.as_ref()?;
    let now = crate::sim::model::truth_risks(scenario, &room.fired);
    let then =
        crate::sim::model::truth_risks(scenario, &room.fired[..e.fired.min(room.fired.len())]);
    let current = now.iter().find(|r| &r.id == id);
    let risk = then.iter().find(|r| &r.id == id).or(current)?;
    let draws = impact_draws(risk, seed);
    let (true_low, true_median, true_high) = (
        draws[draws.len() / 20],
        draws[draws.len() / 2],
        draws[draws.len() * 19 / 20],
    );
    Some(RangeCheck {
        card: card.title.clone(),
        risk: risk.id.clone(),
        risk_title: risk.title.clone(),
        low: value.low,
        high: value.high,
        true_low,
        true_median,
        true_high,
        held: value.low <= true_median && true_median <= value.high,
        chance: value.frequency.yearly_chance(),
        true_chance: risk.frequency.yearly_chance(),
        changed: current.is_some_and(|r| r != risk),
        struck: year.events.iter().filter(|y| &y.risk == id).count() as u32,
    })
}
