//! Who plays what in a team: a role a teammate already plays (taken, unless
//! the room shares roles), and the team's role model — the member the
//! facilitator marked as the one the others learn from (at most one a
//! team), the member the scenario suggests (whoever plays its seasoned
//! role), and what the console warns about.

use super::{Room, Team};
use crate::ids::ParticipantId;

impl Room {
    /// The teammate of `me` who already plays `role`, when roles are not
    /// shared: the role is taken for `me`.
    pub fn role_taken_by(&self, me: ParticipantId, role: &str) -> Option<ParticipantId> {
        if self.roles_shared {
            return None;
        }
        self.team_of(me)?
            .members
            .iter()
            .find(|m| m.id != me && m.role.as_deref() == Some(role))
            .map(|m| m.id)
    }

    /// Whether this learner is their team's role model.
    pub fn is_role_model(&self, id: ParticipantId) -> bool {
        self.team_of(id).is_some_and(|t| t.role_model == Some(id))
    }

    /// The member of `team` who plays the scenario's seasoned role, the one
    /// to mark as its role model.
    pub fn suggested_role_model(&self, team: &Team) -> Option<ParticipantId> {
        let seasoned = self.scenario.as_deref()?.role_model()?;
        team.members
            .iter()
            .find(|m| m.role.as_deref() == Some(seasoned.id.as_str()))
            .map(|m| m.id)
    }

    /// What the console says about `team`'s role model, when something is
    /// worth saying: none marked (with who the scenario suggests), or one
    /// who does not play the scenario's seasoned role.
    pub fn role_model_warning(&self, team: &Team) -> Option<String> {
        let scenario = self.scenario.as_deref()?;
        let name = |id: ParticipantId| {
            self.participant(id)
                .map_or_else(|| format!("Learner {id}"), |p| p.name.clone())
        };
        let seasoned = scenario.role_model();
        match team.role_model {
            None if team.members.is_empty() => None,
            None => Some(match (self.suggested_role_model(team), seasoned) {
                (Some(id), Some(role)) => format!(
                    "{} has no role model yet: {} plays the seasoned {}.",
                    team.name,
                    name(id),
                    role.name
                ),
                _ => format!("{} has no role model yet.", team.name),
            }),
            Some(id) => {
                let role = seasoned?;
                let plays = team.member(id)?.role.as_deref();
                (plays != Some(role.id.as_str())).then(|| {
                    let theirs = plays
                        .and_then(|r| scenario.role(r))
                        .map_or_else(|| "no role yet".to_owned(), |r| r.name.clone());
                    format!(
                        "{} plays {theirs}, not the scenario's seasoned {}.",
                        name(id),
                        role.name
                    )
                })
            }
        }
    }
}

impl Room {
    /// Whether `viewer`'s screen marks `id` as their team's role model: the
    /// facilitator's and the role model's own always; everyone else's only
    /// while names are shown, since the mark beside "Participant 1" would
    /// say who that is.
    pub fn shows_role_model(&self, viewer: &super::Actor, id: ParticipantId) -> bool {
        use super::Actor;
        self.is_role_model(id)
            && (!self.anonymous
                || matches!(viewer, Actor::Facilitator)
                || *viewer == Actor::Participant(id))
    }
}

impl Room {
    /// What the room view says at its foot about the role models, from
    /// the briefing on: who each team's is, by name ("★ role models: Ada
    /// (Team 1) · Ben (Team 2)"), the ★ marking what they raised, backed
    /// and estimated. None while no team's role model may be shown there
    /// (names hidden: the mark must not give a hidden person away).
    pub fn room_view_legend(&self) -> Option<String> {
        if self.phase == crate::scenario::Phase::Lobby {
            return None;
        }
        let several = self.teams.len() > 1;
        let models: Vec<String> = self
            .teams
            .iter()
            .filter_map(|t| {
                let m = t
                    .role_model
                    .filter(|m| self.shows_role_model(&super::Actor::RoomView, *m))?;
                let name = &self.participant(m)?.name;
                Some(if several {
                    format!("{name} ({})", t.name)
                } else {
                    name.clone()
                })
            })
            .collect();
        let label = match models.len() {
            0 => return None,
            1 => "★ role model",
            _ => "★ role models",
        };
        Some(format!("{label}: {}", models.join(" · ")))
    }
}

/// How a team's role model stands behind a response on its board.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum RoleModelBacking {
    /// They proposed it.
    Proposed,
    /// They voted for it.
    Backed,
}

impl Room {
    /// Whether `team`'s role model proposed or voted for `response`, as
    /// `viewer`'s screen may show it ([`Room::shows_role_model`]).
    pub fn role_model_backing(
        &self,
        viewer: &super::Actor,
        team: &Team,
        response: &super::BoardResponse,
    ) -> Option<RoleModelBacking> {
        let model = team
            .role_model
            .filter(|m| self.shows_role_model(viewer, *m))?;
        if response.proposer == model {
            Some(RoleModelBacking::Proposed)
        } else if team
            .votes
            .iter()
            .any(|v| v.voter == model && v.response == response.id)
        {
            Some(RoleModelBacking::Backed)
        } else {
            None
        }
    }

    /// The role model's thinking aloud, as `viewer` may see it: their
    /// comments on `team`'s cards and responses, in the order given.
    pub fn role_model_thinking<'a>(
        &'a self,
        viewer: &super::Actor,
        team: &'a Team,
    ) -> Vec<&'a super::Comment> {
        let Some(model) = team
            .role_model
            .filter(|m| self.shows_role_model(viewer, *m))
        else {
            return Vec::new();
        };
        team.comments
            .iter()
            .filter(|c| c.author == Some(model))
            .collect()
    }

    /// How much of `team`'s strategy its role model proposed or backed, in
    /// words and neither a score nor a ranking: "Ada proposed 2 and backed
    /// 1 of the 4 responses in the strategy." None without a role model
    /// `viewer` may see, or a strategy.
    pub fn role_model_share(&self, viewer: &super::Actor, team: &Team) -> Option<String> {
        let model = team
            .role_model
            .filter(|m| self.shows_role_model(viewer, *m))?;
        let name = self.participant(model)?.name.clone();
        let adopted: Vec<_> = team
            .responses
            .iter()
            .filter(|r| r.adopted && !r.withdrawn)
            .collect();
        if adopted.is_empty() {
            return None;
        }
        let (mut proposed, mut backed) = (0, 0);
        for r in &adopted {
            match self.role_model_backing(viewer, team, r) {
                Some(RoleModelBacking::Proposed) => proposed += 1,
                Some(RoleModelBacking::Backed) => backed += 1,
                None => {}
            }
        }
        let of = crate::text::count(adopted.len(), "response", "responses");
        Some(match (proposed, backed) {
            (0, 0) => format!("{name} proposed and backed none of the {of} in the strategy."),
            (p, 0) => format!("{name} proposed {p} of the {of} in the strategy."),
            (0, b) => format!("{name} backed {b} of the {of} in the strategy."),
            (p, b) => format!("{name} proposed {p} and backed {b} of the {of} in the strategy."),
        })
    }

    /// [`Room::role_model_backing`] of the response in `team`'s strategy
    /// that the played year and the debrief name `label`
    /// ([`super::response_label`]).
    pub fn role_model_backing_of(
        &self,
        viewer: &super::Actor,
        team: &Team,
        label: &str,
    ) -> Option<RoleModelBacking> {
        team.responses
            .iter()
            .filter(|r| r.adopted && !r.withdrawn)
            .find(|r| super::response_label(r) == label)
            .and_then(|r| self.role_model_backing(viewer, team, r))
    }
}
