//! The rules for the risk board: raising, editing and withdrawing risk
//! cards, the facilitator's merging, hiding and linking, private estimates, their
//! reveal, the team's consensus, and comments.

use super::live_card;
use crate::room::rules::MAX_RATE;
use crate::room::{Actor, CardId, Estimate, Event, Rejection, Room, Target, TeamId};
use crate::scenario::{Frequency, MAX_AMOUNT};
use crate::text::{self, MAX_SHORT_TEXT};

impl Room {
    /// A card's title and description as the board keeps them, or why not.
    fn card_text(&self, title: &str, description: &str) -> Result<(String, String), Rejection> {
        let title = text::clean_line(title, "a title for the risk", MAX_SHORT_TEXT)?;
        let description = text::clean_block(
            description,
            "a description",
            self.limits.text_chars as usize,
            true,
        )?;
        Ok((title, description))
    }

    pub(super) fn raise_risk(
        &self,
        actor: &Actor,
        title: &str,
        description: &str,
        clue: Option<usize>,
    ) -> Result<Vec<Event>, Rejection> {
        let (me, team) = self.member(actor)?;
        if team.cards.len() >= self.limits.cards_per_team as usize {
            return Err(Rejection::BoardFull(self.limits.cards_per_team, "cards"));
        }
        let (title, description) = self.card_text(title, description)?;
        let risk = match clue {
            Some(index) => {
                let role = self
                    .role_of(me)
                    .and_then(|r| self.scenario.as_ref()?.role(r));
                let clue = role
                    .and_then(|r| r.clues.get(index))
                    .ok_or(Rejection::UnknownClue(index + 1))?;
                Some(clue.risk.clone())
            }
            None => None,
        };
        Ok(vec![Event::RiskRaised {
            team: team.id,
            card: CardId(team.cards.len() as u32 + 1),
            author: me,
            title,
            description,
            from_clue: risk.is_some(),
            risk,
        }])
    }

    pub(super) fn edit_risk(
        &self,
        actor: &Actor,
        card: CardId,
        title: &str,
        description: &str,
    ) -> Result<Vec<Event>, Rejection> {
        let (me, team) = self.member(actor)?;
        let existing = live_card(team, card)?;
        if existing.author != me {
            return Err(Rejection::NotAuthor);
        }
        let (title, description) = self.card_text(title, description)?;
        if existing.title == title && existing.description == description {
            return Ok(Vec::new());
        }
        Ok(vec![Event::RiskEdited {
            team: team.id,
            card,
            title,
            description,
        }])
    }

    /// The author takes their card off the board (hidden or merged by the
    /// facilitator or not): its words go, for everyone.
    pub(super) fn withdraw_risk(
        &self,
        actor: &Actor,
        card: CardId,
    ) -> Result<Vec<Event>, Rejection> {
        let (me, team) = self.member(actor)?;
        let existing = team
            .card(card)
            .filter(|c| !c.withdrawn)
            .ok_or(Rejection::UnknownCard(card))?;
        if existing.author != me {
            return Err(Rejection::NotAuthorWithdraw);
        }
        Ok(vec![Event::RiskWithdrawn {
            team: team.id,
            card,
        }])
    }

    pub(super) fn merge_cards(
        &self,
        team: TeamId,
        card: CardId,
        into: CardId,
    ) -> Result<Vec<Event>, Rejection> {
        let t = self.team_or(team)?;
        live_card(t, card)?;
        live_card(t, into)?;
        if card == into {
            return Err(Rejection::BadMerge);
        }
        Ok(vec![Event::CardsMerged { team, card, into }])
    }

    pub(super) fn hide_card(
        &self,
        team: TeamId,
        card: CardId,
        hidden: bool,
    ) -> Result<Vec<Event>, Rejection> {
        let c = self
            .team_or(team)?
            .card(card)
            .filter(|c| !c.withdrawn)
            .ok_or(Rejection::UnknownCard(card))?;
        if c.hidden == hidden {
            return Ok(Vec::new());
        }
        Ok(vec![Event::CardHidden { team, card, hidden }])
    }

    pub(super) fn link_card(
        &self,
        team: TeamId,
        card: CardId,
        risk: Option<&str>,
    ) -> Result<Vec<Event>, Rejection> {
        let scenario = self.scenario()?;
        let c = live_card(self.team_or(team)?, card)?;
        if let Some(risk) = risk
            && scenario.risk(risk).is_none()
        {
            return Err(Rejection::UnknownRisk(risk.to_owned()));
        }
        if c.risk.as_deref() == risk {
            return Ok(Vec::new());
        }
        Ok(vec![Event::CardLinked {
            team,
            card,
            risk: risk.map(str::to_owned),
        }])
    }

    pub(super) fn submit_estimate(
        &self,
        actor: &Actor,
        card: CardId,
        estimate: Estimate,
    ) -> Result<Vec<Event>, Rejection> {
        let (me, team) = self.member(actor)?;
        // After the reveal everyone has seen the spread: a new or
        // changed private estimate would only echo it.
        if team.revealed {
            return Err(Rejection::AlreadyRevealed);
        }
        live_card(team, card)?;
        check_estimate(&estimate)?;
        Ok(vec![Event::EstimateSubmitted {
            team: team.id,
            card,
            author: me,
            estimate: Some(estimate),
        }])
    }

    pub(super) fn reveal_estimates(&self, team: TeamId) -> Result<Vec<Event>, Rejection> {
        if self.team_or(team)?.revealed {
            return Ok(Vec::new());
        }
        Ok(vec![Event::EstimatesRevealed {
            team,
            estimates: None,
        }])
    }

    /// The discussion: where the scenario offers it, once the team's first
    /// estimates were revealed, before its second round.
    pub(super) fn start_discussion(&self, team: TeamId) -> Result<Vec<Event>, Rejection> {
        let t = self.team_or(team)?;
        self.second_round_possible(t)?;
        if t.discussion {
            return Ok(Vec::new());
        }
        Ok(vec![Event::DiscussionStarted { team }])
    }

    /// The second round, on the same conditions, only once.
    pub(super) fn start_second_round(&self, team: TeamId) -> Result<Vec<Event>, Rejection> {
        self.second_round_possible(self.team_or(team)?)?;
        Ok(vec![Event::SecondRoundStarted { team }])
    }

    pub(super) fn set_consensus(
        &self,
        actor: &Actor,
        card: CardId,
        estimate: Estimate,
    ) -> Result<Vec<Event>, Rejection> {
        let (_, team) = self.member(actor)?;
        if !team.revealed {
            return Err(Rejection::NotRevealed);
        }
        live_card(team, card)?;
        check_estimate(&estimate)?;
        Ok(vec![Event::ConsensusSet {
            team: team.id,
            card,
            estimate,
        }])
    }

    pub(super) fn comment(
        &self,
        actor: &Actor,
        on: Target,
        raw: &str,
    ) -> Result<Vec<Event>, Rejection> {
        let (me, team) = self.member(actor)?;
        self.room_for_note(team)?;
        match on {
            Target::Card(card) => {
                team.card(card)
                    .filter(|c| !c.withdrawn)
                    .ok_or(Rejection::UnknownCard(card))?;
            }
            Target::Response(response) => {
                team.response(response)
                    .ok_or(Rejection::UnknownResponse(response))?;
            }
        }
        let text = text::clean_block(raw, "a comment", self.limits.text_chars as usize, false)?;
        Ok(vec![Event::Commented {
            team: team.id,
            author: Some(me),
            on,
            text,
        }])
    }
}

fn check_estimate(e: &Estimate) -> Result<(), Rejection> {
    let bad = |m: &str| Err(Rejection::BadEstimate(m.to_owned()));
    match e.frequency {
        Frequency::Probability(p) if !(0.0..=1.0).contains(&p) => {
            return bad("A yearly probability is between 0% and 100%.");
        }
        Frequency::Rate(r) if !(r.is_finite() && (0.0..=MAX_RATE).contains(&r)) => {
            return bad("A rate is between 0 and 365 events a year.");
        }
        _ => {}
    }
    if !(e.low.is_finite() && e.low > 0.0) {
        return bad("The low end of the loss range must be above 0.");
    }
    if !(e.high.is_finite() && e.high > e.low) {
        return bad("The high end of the loss range must be above the low end.");
    }
    if e.high > MAX_AMOUNT {
        return Err(Rejection::TooLarge("The high end of the loss range"));
    }
    Ok(())
}
