//! A team's debrief in one value: every score with how it was reached, the
//! played year, and the team's strategy beside the expert playbook. Built from
//! the room alone (its seed, board and fired injects), so the console, the
//! room view and every learner's phone show the same numbers — each only
//! the members' scores its person may see ([`debrief_for`]); the others are
//! not even computed on that device.

use serde::{Deserialize, Serialize};

use crate::ids::ParticipantId;
use crate::room::{Actor, Room, Team, TeamId};
use crate::score::{self, Contributions, Explained, Part};
use crate::sim::{Strategy, Year, play_year};

/// Trials behind the debrief's quantitative score.
pub const DEBRIEF_TRIALS: usize = 20_000;

/// A member's personal score as one viewer may see it.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Seen {
    Shown(Explained),
    /// Not for this viewer; why, in a sentence.
    Private(String),
}

impl Seen {
    /// The score, when shown and given.
    pub fn score(&self) -> Option<f64> {
        match self {
            Seen::Shown(e) => e.score,
            Seen::Private(_) => None,
        }
    }
}

/// Why a member's calibration is not shown to someone else.
pub const PRIVATE_CALIBRATION: &str =
    "Shown to them and the facilitator, and to their team once its estimates are revealed.";
/// Why a member's peer score is not shown to someone else.
pub const PRIVATE_PEER: &str = "Peer ratings stay between the person and the facilitator.";
/// Why a member's combined score is not shown to someone else.
pub const PRIVATE_COMBINED: &str = "It includes their peer ratings.";

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct MemberScores {
    pub participant: ParticipantId,
    pub role: Option<String>,
    pub calibration: Seen,
    pub peer: Seen,
    /// The scenario's weighted combination, the team's scores included.
    pub combined: Seen,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct TeamDebrief {
    pub team: TeamId,
    pub strategy: Strategy,
    pub year: Year,
    pub quantitative: Explained,
    pub rubric: Explained,
    pub participation: Explained,
    pub contributions: Vec<Contributions>,
    pub members: Vec<MemberScores>,
    /// The team's agreed values beside the truth.
    pub comparisons: Vec<score::Comparison>,
    /// The parts of the combined score nobody in the team has yet
    /// ("rubric", "peer ratings", …), left out of every member's
    /// combined score alike.
    #[serde(default)]
    pub not_given_yet: Vec<String>,
}

/// The year the team's strategy lives through (same seed for every team).
pub fn team_year(room: &Room, team: &Team) -> Option<Year> {
    let scenario = room.scenario.as_deref()?;
    if scenario.risks.is_empty() {
        return None; // the truth is not visible to this viewer yet
    }
    Some(play_year(
        scenario,
        &room.fired,
        &room.team_strategy(team),
        room.seed(),
    ))
}

/// Whether `actor` may see `who`'s peer and combined scores: the
/// facilitator and the person themselves.
pub fn sees_personal(actor: &Actor, who: ParticipantId) -> bool {
    match actor {
        Actor::Facilitator => true,
        Actor::Participant(me) => *me == who,
        Actor::RoomView | Actor::Guest { .. } => false,
    }
}

/// Whether `actor` may see `who`'s calibration: as for personal scores,
/// and for the team's learners once its estimates are revealed.
pub fn sees_calibration(team: &Team, actor: &Actor, who: ParticipantId) -> bool {
    sees_personal(actor, who)
        || (team.revealed && matches!(actor, Actor::Participant(me) if team.member(*me).is_some()))
}

/// Every score of one team as the facilitator sees it, or None until the
/// scenario's truth is visible.
pub fn debrief(room: &Room, team: &Team, trials: usize) -> Option<TeamDebrief> {
    debrief_for(room, team, &Actor::Facilitator, trials)
}

/// Every score of one team as `actor` may see it (from their own view of
/// the room), or None until the scenario's truth is visible to them.
/// A member's scores they may not see are [`Seen::Private`], with why.
pub fn debrief_for(room: &Room, team: &Team, actor: &Actor, trials: usize) -> Option<TeamDebrief> {
    let scenario = room.scenario.as_deref()?;
    let year = team_year(room, team)?;
    let strategy = room.team_strategy(team);
    let seed = room.seed();
    let quantitative =
        score::quantitative(scenario, &room.fired, &strategy, room.budget, seed, trials);
    let rubric = score::rubric(scenario, team);
    let (contributions, participation) = score::participation(room, team);
    // Whether each personal part is given to anyone in the team: the same
    // on every device, so everyone's combined score counts the same parts.
    let calibration_in_team = score::calibration_in_team(room, team);
    let peer_in_team = team.peer_rated || !team.peer_ratings.is_empty();
    let w = &scenario.scoring;
    let not_given_yet = [
        ("quantitative", w.quantitative, quantitative.score.is_some()),
        ("calibration", w.calibration, calibration_in_team),
        ("rubric", w.rubric, rubric.score.is_some()),
        ("peer ratings", w.peer, peer_in_team),
        (
            "participation",
            w.participation,
            participation.score.is_some(),
        ),
    ]
    .into_iter()
    .filter(|(_, weight, given)| *weight > 0.0 && !given)
    .map(|(name, _, _)| name.to_owned())
    .collect();
    let private = |why: &str| Seen::Private(why.to_owned());
    let members = team
        .members
        .iter()
        .map(|m| {
            let calibration = sees_calibration(team, actor, m.id)
                .then(|| score::calibration(room, team, m.id, seed));
            let (peer, combined) = if sees_personal(actor, m.id) {
                let peer = score::peer(team, m.id);
                let took_part = contributions
                    .iter()
                    .any(|c| c.participant == m.id && c.total() > 0);
                let combined = score::combined_parts(
                    &scenario.scoring,
                    Part::of_team(quantitative.score),
                    Part::of_member(
                        calibration.as_ref().and_then(|c| c.score),
                        calibration_in_team,
                        score::NO_ESTIMATES,
                    ),
                    Part::of_team(rubric.score),
                    Part::of_member(peer.score, peer_in_team, score::NOT_RATED),
                    match participation.score {
                        Some(balance) if took_part => Part::Given(balance),
                        Some(_) => Part::Missed(score::NO_CONTRIBUTIONS),
                        None => Part::NotYet,
                    },
                );
                (Seen::Shown(peer), Seen::Shown(combined))
            } else {
                (private(PRIVATE_PEER), private(PRIVATE_COMBINED))
            };
            MemberScores {
                participant: m.id,
                role: m.role.clone(),
                calibration: calibration.map_or_else(|| private(PRIVATE_CALIBRATION), Seen::Shown),
                peer,
                combined,
            }
        })
        .collect();
    Some(TeamDebrief {
        team: team.id,
        strategy,
        year,
        quantitative,
        rubric,
        participation,
        contributions,
        members,
        comparisons: score::belief_vs_truth(room, team),
        not_given_yet,
    })
}
