//! Perspectives: which of each role's private facts (the clues of its
//! brief) reached a team's board, and which risks only that role could
//! see. The console follows it live during Identify and can nudge a role's
//! phone; the room view shows the counts when the facilitator puts them up
//! (never the facts); the debrief says, role by role, what was brought and
//! what stayed unsaid, and what the risks nobody raised cost.

use serde::{Deserialize, Serialize};

use super::{CardId, Room, Team, TeamId};
use crate::ids::ParticipantId;
use crate::scenario::Phase;
use crate::text::count;

/// One role's facts as a team heard them.
#[derive(Clone, Debug, PartialEq)]
pub struct Perspective {
    pub role: String,
    pub role_name: String,
    /// The team's members who play it (none: nobody could bring its facts).
    pub players: Vec<ParticipantId>,
    pub facts: Vec<Fact>,
}

/// One clue of a role's brief.
#[derive(Clone, Debug, PartialEq)]
pub struct Fact {
    /// Its place in the role's brief.
    pub clue: usize,
    /// The risk of the truth it points at.
    pub risk: String,
    /// The first card on the board that stands for that risk.
    pub card: Option<CardId>,
    /// No other role's brief points at this risk: only this role could see it.
    pub only_here: bool,
    /// The scenario marks it as one that decides the exercise.
    pub decisive: bool,
}

impl Perspective {
    /// How many of its facts are on the board.
    pub fn raised(&self) -> usize {
        self.facts.iter().filter(|f| f.card.is_some()).count()
    }

    /// How many are not.
    pub fn unraised(&self) -> usize {
        self.facts.len() - self.raised()
    }
}

/// What the room view shows of one team's perspectives: counts per role,
/// never the facts.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct TeamCoverage {
    pub team: TeamId,
    pub roles: Vec<RoleCoverage>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct RoleCoverage {
    pub role_name: String,
    pub raised: u32,
    pub facts: u32,
    /// Whether anyone in the team plays the role.
    pub played: bool,
}

impl Room {
    /// Every role of the scenario that holds facts, in the scenario's
    /// order, as `team`'s board heard them. Empty while the viewer cannot
    /// see the briefs (a learner sees their own role's only, until the
    /// debrief).
    pub fn perspectives(&self, team: &Team) -> Vec<Perspective> {
        let Some(scenario) = self.scenario.as_deref() else {
            return Vec::new();
        };
        scenario
            .roles
            .iter()
            .filter(|r| !r.clues.is_empty())
            .map(|role| Perspective {
                role: role.id.clone(),
                role_name: role.name.clone(),
                players: Room::players(team, &role.id),
                facts: role
                    .clues
                    .iter()
                    .enumerate()
                    .map(|(i, clue)| Fact {
                        clue: i,
                        risk: clue.risk.clone(),
                        card: team
                            .cards
                            .iter()
                            .find(|c| c.live() && c.risk.as_deref() == Some(clue.risk.as_str()))
                            .map(|c| c.id),
                        only_here: !scenario.roles.iter().any(|other| {
                            other.id != role.id && other.clues.iter().any(|o| o.risk == clue.risk)
                        }),
                        decisive: clue.decisive,
                    })
                    .collect(),
            })
            .collect()
    }

    /// The console's line for a role of `team` whose facts are not all on
    /// the board: "Finance (Grace) holds 2 facts nobody has raised, 1 of
    /// them decisive." None when every fact is there.
    pub fn unheard_line(&self, perspective: &Perspective) -> Option<String> {
        let unraised = perspective.unraised();
        if unraised == 0 {
            return None;
        }
        let names: Vec<String> = perspective
            .players
            .iter()
            .map(|id| self.name_of(*id))
            .collect();
        let who = if names.is_empty() {
            format!("{} (played by nobody in this team)", perspective.role_name)
        } else {
            format!("{} ({})", perspective.role_name, names.join(", "))
        };
        let decisive = perspective
            .facts
            .iter()
            .filter(|f| f.card.is_none() && f.decisive)
            .count();
        let tail = match decisive {
            0 => String::new(),
            n if n == unraised && n == 1 => ", a decisive one".to_owned(),
            n if n == unraised => ", all decisive".to_owned(),
            n => format!(", {n} of them decisive"),
        };
        Some(format!(
            "{who} holds {} nobody has raised{tail}.",
            count(unraised, "fact", "facts")
        ))
    }

    /// The counts the room view shows for every team (see
    /// `Command::ShowCoverage`).
    pub fn coverage(&self) -> Vec<TeamCoverage> {
        self.teams
            .iter()
            .map(|team| TeamCoverage {
                team: team.id,
                roles: self
                    .perspectives(team)
                    .iter()
                    .map(|p| RoleCoverage {
                        role_name: p.role_name.clone(),
                        raised: p.raised() as u32,
                        facts: p.facts.len() as u32,
                        played: !p.players.is_empty(),
                    })
                    .collect(),
            })
            .collect()
    }

    /// How the truth punished what stayed unsaid: the events of the played
    /// `year` whose risk had no card on `team`'s board, and the loss they
    /// left the team to bear.
    pub fn unraised_in_year(&self, team: &Team, year: &crate::sim::Year) -> (usize, f64) {
        let on_board = |risk: &str| {
            team.cards
                .iter()
                .any(|c| c.live() && c.risk.as_deref() == Some(risk))
        };
        year.events
            .iter()
            .filter(|e| !on_board(&e.risk))
            .fold((0, 0.0), |(n, loss), e| (n + 1, loss + e.retained))
    }

    /// The debrief's sentence for [`Room::unraised_in_year`].
    pub fn unraised_sentence(
        &self,
        team: &Team,
        year: &crate::sim::Year,
        currency: &str,
    ) -> String {
        match self.unraised_in_year(team, year) {
            (0, _) => "Every risk that struck in the played year was on the board.".to_owned(),
            (n, loss) => format!(
                "Risks nobody raised struck {} in the played year and left {currency} {} to bear.",
                match n {
                    1 => "once".to_owned(),
                    2 => "twice".to_owned(),
                    n => format!("{n} times"),
                },
                crate::scenario::group_thousands(loss.round())
            ),
        }
    }

    /// The perspectives' counts the room view shows instead of the boards:
    /// put up by the facilitator, while the board is being built.
    pub fn coverage_screen(&self) -> Option<&[TeamCoverage]> {
        use crate::scenario::Phase;
        self.coverage_shown
            .as_deref()
            .filter(|_| matches!(self.phase, Phase::Identify | Phase::Assess))
    }

    /// The nudge the facilitator sent to `me`'s role, as their phone says
    /// it, while facts of their brief are still missing from the board:
    /// with the sequence number it was sent at (to dismiss it once).
    pub fn nudge_for(&self, me: ParticipantId) -> Option<(u64, String)> {
        let team = self.team_of(me)?;
        let role = self.role_of(me)?;
        let nudge = team.nudges.iter().find(|n| n.role == role)?;
        let perspective = self
            .perspectives(team)
            .into_iter()
            .find(|p| p.role == role)?;
        let unraised = perspective.unraised();
        (unraised > 0).then(|| {
            (
                nudge.seq,
                format!(
                    "The facilitator asks you to bring in what your brief tells you: {} of it {} not on the board yet.",
                    count(unraised, "fact", "facts"),
                    if unraised == 1 { "is" } else { "are" }
                ),
            )
        })
    }
}

/// How much one role's players have said so far, live: the balance of
/// voices the facilitator watches to draw in a quiet role.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Voice {
    pub role_name: String,
    pub players: Vec<ParticipantId>,
    pub raised: usize,
    pub estimated: usize,
    pub proposed: usize,
    pub voted: usize,
    pub commented: usize,
    /// All of it that was added in the phase the room is in now.
    pub this_phase: usize,
}

impl Voice {
    pub fn total(&self) -> usize {
        self.raised + self.estimated + self.proposed + self.voted + self.commented
    }
}

impl Room {
    /// Each role played in `team`, with what its players have contributed
    /// so far (cards raised, estimates given in either round, responses
    /// proposed, votes, comments), in the scenario's order.
    pub fn voices(&self, team: &Team) -> Vec<Voice> {
        let Some(scenario) = self.scenario.as_deref() else {
            return Vec::new();
        };
        scenario
            .roles
            .iter()
            .filter_map(|role| {
                let players = Room::players(team, &role.id);
                if players.is_empty() {
                    return None;
                }
                let by = |id: &ParticipantId| players.contains(id);
                let now = Some(self.phase);
                let this_phase = team
                    .cards
                    .iter()
                    .filter(|c| !c.withdrawn && by(&c.author) && c.phase == now)
                    .count()
                    + team
                        .comments
                        .iter()
                        .filter(|c| c.author.as_ref().is_some_and(by) && c.phase == now)
                        .count()
                    + match self.phase {
                        Phase::Assess => team
                            .estimates
                            .iter()
                            .chain(&team.first_round)
                            .filter(|e| by(&e.author))
                            .count(),
                        Phase::Respond => {
                            team.responses.iter().filter(|r| by(&r.proposer)).count()
                                + team.votes.iter().filter(|v| by(&v.voter)).count()
                        }
                        _ => 0,
                    };
                Some(Voice {
                    this_phase,
                    role_name: role.name.clone(),
                    raised: team
                        .cards
                        .iter()
                        .filter(|c| !c.withdrawn && by(&c.author))
                        .count(),
                    estimated: team
                        .estimates
                        .iter()
                        .chain(&team.first_round)
                        .filter(|e| by(&e.author))
                        .count(),
                    proposed: team.responses.iter().filter(|r| by(&r.proposer)).count(),
                    voted: team.votes.iter().filter(|v| by(&v.voter)).count(),
                    commented: team
                        .comments
                        .iter()
                        .filter(|c| c.author.as_ref().is_some_and(by))
                        .count(),
                    players,
                })
            })
            .collect()
    }

    /// The console's line when, in the phase the room is in, a role of
    /// `team` has said much less than the others: "Legal Counsel (Cy) has
    /// added 1 thing in Identify; the busiest role 12 — draw them in."
    /// None while the voices are balanced (the quietest at least a third
    /// of the busiest) or nobody has spoken in this phase.
    pub fn quiet_line(&self, team: &Team) -> Option<String> {
        let voices = self.voices(team);
        let busiest = voices.iter().map(|v| v.this_phase).max()?;
        let quiet = voices.iter().min_by_key(|v| v.this_phase)?;
        if busiest == 0 || quiet.this_phase * 3 >= busiest {
            return None;
        }
        let names: Vec<String> = quiet.players.iter().map(|id| self.name_of(*id)).collect();
        Some(format!(
            "{} ({}) has added {} in {}; the busiest role {busiest} — draw them in.",
            quiet.role_name,
            names.join(", "),
            count(quiet.this_phase, "thing", "things"),
            self.phase.name(),
        ))
    }
}

/// A nudge the facilitator sent to the players of a role in a team.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct RoleNudge {
    pub role: String,
    /// The sequence number of the event that sent it.
    pub seq: u64,
}
