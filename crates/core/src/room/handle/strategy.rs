//! The rules for a team's strategy: proposing catalogue and custom
//! responses, withdrawing and adopting them within budget, the
//! facilitator's acceptance of a custom response's effect, and voting.

use super::{board_response, live_card};
use crate::ids::ParticipantId;
use crate::room::rules::MAX_MULTIPLIER;
use crate::room::{
    Actor, AdoptionRule, BoardResponse, BoardResponseId, CustomEffect, Event, Origin, Rejection,
    Room, Team, TeamId,
};
use crate::scenario::{Effect, MAX_AMOUNT, ResponseKind, Scenario};
use crate::text::{self, MAX_SHORT_TEXT};

impl Room {
    pub(super) fn propose_response(
        &self,
        actor: &Actor,
        response: &str,
    ) -> Result<Vec<Event>, Rejection> {
        let (me, team) = self.member(actor)?;
        self.room_for_response(team)?;
        let scenario = self.scenario()?;
        let entry = scenario
            .response(response)
            .filter(|r| {
                r.known_by.is_empty()
                    || self
                        .role_of(me)
                        .is_some_and(|role| r.known_by.iter().any(|k| k == role))
            })
            .ok_or_else(|| Rejection::UnknownCatalogueResponse(response.to_owned()))?;
        let on_board = team.responses.iter().any(|r| {
            !r.withdrawn
                && matches!(&r.origin, Origin::Catalogue { response } if *response == entry.id)
        });
        if on_board {
            return Err(Rejection::AlreadyProposed);
        }
        Ok(vec![Event::ResponseProposed {
            team: team.id,
            response: BoardResponseId(team.responses.len() as u32 + 1),
            proposer: me,
            origin: Origin::Catalogue {
                response: entry.id.clone(),
            },
            catalogue: None,
        }])
    }

    pub(super) fn propose_custom_response(
        &self,
        actor: &Actor,
        title: &str,
        kind: ResponseKind,
        cost: f64,
        effects: &[CustomEffect],
    ) -> Result<Vec<Event>, Rejection> {
        let (me, team) = self.member(actor)?;
        self.room_for_response(team)?;
        let title = text::clean_line(title, "a title for the response", MAX_SHORT_TEXT)?;
        if !cost.is_finite() || cost < 0.0 {
            return Err(Rejection::BadCost);
        }
        if cost > MAX_AMOUNT {
            return Err(Rejection::TooLarge("A cost"));
        }
        for effect in effects {
            live_card(team, effect.card)?;
            multiplier(effect.probability, "probability")?;
            multiplier(effect.impact, "impact")?;
        }
        Ok(vec![Event::ResponseProposed {
            team: team.id,
            response: BoardResponseId(team.responses.len() as u32 + 1),
            proposer: me,
            origin: Origin::Custom {
                title,
                kind,
                cost,
                effects: effects.to_vec(),
                accepted: None,
            },
            catalogue: None,
        }])
    }

    pub(super) fn withdraw_response(
        &self,
        actor: &Actor,
        response: BoardResponseId,
    ) -> Result<Vec<Event>, Rejection> {
        let (me, team) = self.member(actor)?;
        if !board_response(team, response)?.withdrawable_by(me) {
            return Err(Rejection::NotProposer);
        }
        Ok(vec![Event::ResponseWithdrawn {
            team: team.id,
            response,
        }])
    }

    pub(super) fn adopt_response(
        &self,
        actor: &Actor,
        response: BoardResponseId,
        adopted: bool,
    ) -> Result<Vec<Event>, Rejection> {
        let (_, team) = self.member(actor)?;
        let r = board_response(team, response)?;
        if r.adopted == adopted {
            return Ok(Vec::new());
        }
        self.adoption_allows(actor, team, r, adopted)?;
        self.adoption_events(team, r, adopted)
    }

    /// The facilitator adopts or drops a team's response, whatever the
    /// adoption rule, within the budget.
    pub(super) fn decide_response(
        &self,
        team: TeamId,
        response: BoardResponseId,
        adopted: bool,
    ) -> Result<Vec<Event>, Rejection> {
        let team = self.team_or(team)?;
        let r = board_response(team, response)?;
        if r.adopted == adopted {
            return Ok(Vec::new());
        }
        self.adoption_events(team, r, adopted)
    }

    /// Whether the room's adoption rule lets `actor`, a member of `team`,
    /// adopt (or drop) `r` now: what `handle` checks and what a learner's
    /// page asks before it offers the button (its refusal says why not).
    pub fn adoption_allows(
        &self,
        actor: &Actor,
        team: &Team,
        r: &BoardResponse,
        adopted: bool,
    ) -> Result<(), Rejection> {
        let votes = team.votes.iter().filter(|v| v.response == r.id).count();
        // At least half the team, rounded up.
        let needed = team.members.len().div_ceil(2).max(1);
        let title = || {
            let label = crate::room::response_label(r);
            self.scenario
                .as_deref()
                .map_or_else(|| label.clone(), |s| crate::room::label_title(s, &label))
        };
        match self.adoption {
            AdoptionRule::AnyMember => Ok(()),
            AdoptionRule::TeamVote if adopted && votes < needed => Err(Rejection::NeedsVotes {
                title: title(),
                votes,
                needed,
            }),
            AdoptionRule::TeamVote if !adopted && votes >= needed => Err(Rejection::StillVoted {
                title: title(),
                votes,
            }),
            AdoptionRule::TeamVote => Ok(()),
            AdoptionRule::RoleModel => match (actor, team.role_model) {
                (Actor::Participant(me), Some(model)) if *me == model => Ok(()),
                _ => Err(Rejection::AdoptionIsFor("the team's role model")),
            },
            AdoptionRule::Facilitator => Err(Rejection::AdoptionIsFor("the facilitator")),
        }
    }

    fn adoption_events(
        &self,
        team: &Team,
        r: &BoardResponse,
        adopted: bool,
    ) -> Result<Vec<Event>, Rejection> {
        let response = r.id;
        if adopted {
            let cost = self.response_cost(&r.origin);
            if !self.fits_budget(team, cost) {
                return Err(Rejection::OverBudget {
                    cost: money(cost),
                    budget: money(self.budget),
                    left: money(self.budget_left(team).max(0.0)),
                });
            }
        }
        Ok(vec![Event::ResponseAdopted {
            team: team.id,
            response,
            adopted,
        }])
    }

    pub(super) fn accept_custom_response(
        &self,
        team: TeamId,
        response: BoardResponseId,
        effects: &[Effect],
    ) -> Result<Vec<Event>, Rejection> {
        let scenario = self.scenario()?;
        let r = board_response(self.team_or(team)?, response)?;
        if !matches!(r.origin, Origin::Custom { .. }) {
            return Err(Rejection::NotCustom);
        }
        for effect in effects {
            check_truth_effect(scenario, effect)?;
        }
        Ok(vec![Event::CustomResponseAccepted {
            team,
            response,
            effects: effects.to_vec(),
        }])
    }

    pub(super) fn vote(
        &self,
        actor: &Actor,
        response: BoardResponseId,
    ) -> Result<Vec<Event>, Rejection> {
        let (me, team) = self.member(actor)?;
        board_response(team, response)?;
        if team
            .votes
            .iter()
            .any(|v| v.voter == me && v.response == response)
        {
            return Err(Rejection::AlreadyVoted);
        }
        if self.votes_left(team, me) == 0 {
            return Err(Rejection::NoVotesLeft(self.vote_budget));
        }
        Ok(vec![Event::Voted {
            team: team.id,
            voter: me,
            response,
        }])
    }

    /// How many votes `voter` of `team` has left to give.
    pub fn votes_left(&self, team: &Team, voter: ParticipantId) -> usize {
        (self.vote_budget as usize).saturating_sub(team.votes_of(voter))
    }

    pub(super) fn unvote(
        &self,
        actor: &Actor,
        response: BoardResponseId,
    ) -> Result<Vec<Event>, Rejection> {
        let (me, team) = self.member(actor)?;
        if !team
            .votes
            .iter()
            .any(|v| v.voter == me && v.response == response)
        {
            return Err(Rejection::NotVoted);
        }
        Ok(vec![Event::Unvoted {
            team: team.id,
            voter: me,
            response,
        }])
    }

    fn room_for_response(&self, team: &Team) -> Result<(), Rejection> {
        if team.responses.len() >= self.limits.responses_per_team as usize {
            return Err(Rejection::BoardFull(
                self.limits.responses_per_team,
                "responses",
            ));
        }
        Ok(())
    }
}

fn multiplier(value: f64, what: &str) -> Result<(), Rejection> {
    if value.is_finite() && (0.0..=MAX_MULTIPLIER).contains(&value) {
        Ok(())
    } else {
        Err(Rejection::BadEffect(format!(
            "The {what} multiplier must be between 0 and {MAX_MULTIPLIER}; it is {value}."
        )))
    }
}

fn check_truth_effect(scenario: &Scenario, e: &Effect) -> Result<(), Rejection> {
    if scenario.risk(&e.risk).is_none() {
        return Err(Rejection::UnknownRisk(e.risk.clone()));
    }
    if let Some(p) = e.probability {
        multiplier(p, "probability")?;
    }
    if let Some(i) = e.impact {
        multiplier(i, "impact")?;
    }
    if let Some(t) = e.transfer
        && !(t.deductible.is_finite() && t.deductible >= 0.0 && t.cap.is_finite() && t.cap > 0.0)
    {
        return Err(Rejection::BadEffect(
            "A transfer needs a deductible of at least 0 and a cap above 0.".into(),
        ));
    }
    if let Some(a) = e.avoid
        && !(a.side_cost.is_finite() && a.side_cost >= 0.0)
    {
        return Err(Rejection::BadEffect(
            "A side cost must be at least 0.".into(),
        ));
    }
    if e.transfer
        .is_some_and(|t| t.deductible > MAX_AMOUNT || t.cap > MAX_AMOUNT)
    {
        return Err(Rejection::TooLarge("A transfer's deductible or cap"));
    }
    if e.avoid.is_some_and(|a| a.side_cost > MAX_AMOUNT) {
        return Err(Rejection::TooLarge("A side cost"));
    }
    Ok(())
}

/// 1234567.0 → "1,234,567".
fn money(amount: f64) -> String {
    crate::scenario::group_thousands(amount)
}
