//! A team's board re-simulated by its own beliefs, worked out after the
//! page has painted and again only when the board changes.

use std::rc::Rc;

use gloo_timers::callback::Timeout;
use riskroom_core::room::{BeliefReport, TeamId};
use yew::prelude::*;

use crate::hooks::use_room;

/// Years simulated for the live board.
pub const BELIEF_TRIALS: usize = 20_000;

/// The team's belief report, or None while it is being worked out.
#[hook]
pub fn use_belief(team: TeamId) -> Option<Rc<BeliefReport>> {
    let room = use_room();
    let report = use_state(|| None::<Rc<BeliefReport>>);
    let r = room.state.room.clone();
    // What the simulation depends on: the cards, the responses, the room.
    let key = r.as_ref().and_then(|r| {
        let t = r.team(team)?;
        Some(
            serde_json::to_string(&(&t.cards, &t.responses, &r.scenario.as_ref().map(|s| &s.id)))
                .unwrap_or_default(),
        )
    });
    {
        let report = report.clone();
        use_effect_with(key, move |key| {
            // After the page has painted: the simulation takes a few
            // milliseconds and must not hold up typing.
            let pending = key.is_some().then(|| {
                Timeout::new(30, move || {
                    if let Some(room) = r.as_ref()
                        && let Some(t) = room.team(team)
                    {
                        let appetite = room.scenario.as_ref().map_or(0.0, |s| s.appetite.p90_limit);
                        report.set(Some(Rc::new(room.belief_report(
                            t,
                            BELIEF_TRIALS,
                            appetite,
                        ))));
                    }
                })
            });
            move || drop(pending)
        });
    }
    (*report).clone()
}
