//! The perspectives on the room view, when the facilitator puts them up:
//! for each team, how many of each role's facts reached its board — the
//! counts only, never the facts.

use yew::prelude::*;

use crate::hooks::use_room;

#[function_component(CoverageScreen)]
pub fn coverage_screen() -> Html {
    let room = use_room();
    let Some(r) = room.state.room.as_ref() else {
        return html! {};
    };
    let Some(coverage) = r.coverage_screen() else {
        return html! {};
    };
    let screen = r.screen();
    let shown: Vec<_> = coverage
        .iter()
        .filter(|c| screen.teams.contains(&c.team))
        .collect();
    html! {
        <div class={classes!("rv-teams", format!("rv-teams-{}", shown.len().clamp(1, 4)))} data-testid="room-view-coverage">
            { for shown.iter().map(|c| {
                let name = r.team(c.team).map(|t| t.name.clone()).unwrap_or_default();
                let raised: u32 = c.roles.iter().map(|x| x.raised).sum();
                let facts: u32 = c.roles.iter().map(|x| x.facts).sum();
                html! {
                    <section class="rv-team" key={c.team.0}>
                        <h2>{ name }</h2>
                        <p class="rv-big">{ format!("{raised} of {facts} facts from the briefs on the board") }</p>
                        <ul class="rv-rows">
                            { for c.roles.iter().map(|x| html! {
                                <li class="rv-row" data-testid="room-view-role-coverage">
                                    <span class="rv-title">{ x.role_name.clone() }</span>
                                    <span class="rv-aside">{
                                        if !x.played {
                                            "nobody plays it".to_owned()
                                        } else if x.raised == x.facts {
                                            format!("✓ all {}", x.facts)
                                        } else {
                                            format!("{} of {}", x.raised, x.facts)
                                        }
                                    }</span>
                                </li>
                            }) }
                        </ul>
                    </section>
                }
            }) }
        </div>
    }
}
