//! A team's debrief in one value: every score with how it was reached, the
//! played year, and the team's strategy beside the expert playbook. Built from
//! the room alone (its seed, board and fired injects), so the console, the
//! wall and every learner's phone show the same numbers.

use serde::{Deserialize, Serialize};

use crate::ids::ParticipantId;
use crate::room::{Room, Team, TeamId};
use crate::score::{self, Contributions, Explained};
use crate::sim::{Strategy, Year, play_year};

/// Trials behind the debrief's quantitative score.
pub const DEBRIEF_TRIALS: usize = 20_000;

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct MemberScores {
    pub participant: ParticipantId,
    pub role: Option<String>,
    pub calibration: Explained,
    pub peer: Explained,
    /// The scenario's weighted combination, the team's scores included.
    pub combined: Explained,
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

/// Every score of one team, or None until the scenario's truth is visible.
pub fn debrief(room: &Room, team: &Team, trials: usize) -> Option<TeamDebrief> {
    let scenario = room.scenario.as_deref()?;
    let year = team_year(room, team)?;
    let strategy = room.team_strategy(team);
    let seed = room.seed();
    let quantitative =
        score::quantitative(scenario, &room.fired, &strategy, room.budget, seed, trials);
    let rubric = score::rubric(scenario, team);
    let (contributions, participation) = score::participation(room, team);
    let members = team
        .members
        .iter()
        .map(|m| {
            let calibration = score::calibration(room, team, m.id, seed);
            let peer = score::peer(team, m.id);
            let combined = score::combined(
                &scenario.scoring,
                quantitative.score,
                calibration.score,
                rubric.score,
                peer.score,
                participation.score,
            );
            MemberScores {
                participant: m.id,
                role: m.role.clone(),
                calibration,
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
    })
}
