//! The facilitator's set-up of people: teams, roles (assigned, dealt evenly
//! or picked by learners), the role model, anonymity and the vote budget.

use riskroom_core::room::{Action, AdoptionRule, VOTE_BUDGETS};
use riskroom_core::room::{RoleMode, TeamId};
use riskroom_core::text::MAX_NAME_CHARS;
use riskroom_core::{Command, ParticipantId};
use web_sys::{HtmlInputElement, HtmlSelectElement};
use yew::prelude::*;

use crate::hooks::use_room;

fn select_value(e: &Event) -> String {
    e.target_unchecked_into::<HtmlSelectElement>().value()
}

#[function_component(TeamSetup)]
pub fn team_setup() -> Html {
    let room = use_room();
    let new_team = use_state(String::new);
    let Some(r) = room.state.room.as_ref() else {
        return html! {};
    };
    let roles: Vec<(String, String, bool)> = r
        .scenario
        .as_ref()
        .map(|s| {
            s.roles
                .iter()
                .map(|x| (x.id.clone(), x.name.clone(), x.role_model))
                .collect()
        })
        .unwrap_or_default();
    let role_name = |id: &str| {
        roles
            .iter()
            .find(|(rid, _, _)| rid == id)
            .map_or(id.to_owned(), |(_, n, _)| n.clone())
    };
    let send = {
        let room = room.clone();
        move |command: Command| room.send(command)
    };
    let mode = r.role_mode;
    let set_mode = {
        let send = send.clone();
        Callback::from(move |e: Event| {
            let mode = match select_value(&e).as_str() {
                "assign" => RoleMode::Assign,
                "self_select" => RoleMode::SelfSelect,
                _ => RoleMode::AutoBalance,
            };
            send(Command::SetRoleMode { mode });
        })
    };
    let add_team = {
        let send = send.clone();
        let new_team = new_team.clone();
        Callback::from(move |e: SubmitEvent| {
            e.prevent_default();
            send(Command::CreateTeam {
                name: (*new_team).clone(),
            });
            new_team.set(String::new());
        })
    };
    let teams: Vec<(TeamId, String)> = r.teams.iter().map(|t| (t.id, t.name.clone())).collect();
    let may_assign = room.state.may(Action::AssignRole);

    let member_row = |id: ParticipantId, role: Option<&str>, team: TeamId| {
        let name = r
            .participant(id)
            .map(|p| p.name.clone())
            .unwrap_or_default();
        let is_model = r.team(team).is_some_and(|t| t.role_model == Some(id));
        let on_role = {
            let send = send.clone();
            Callback::from(move |e: Event| {
                let v = select_value(&e);
                send(Command::AssignRole {
                    participant: id,
                    role: (!v.is_empty()).then_some(v),
                });
            })
        };
        let on_team = {
            let send = send.clone();
            Callback::from(move |e: Event| {
                if let Ok(n) = select_value(&e).parse::<u32>() {
                    send(Command::MoveToTeam {
                        participant: id,
                        team: TeamId(n),
                    });
                }
            })
        };
        let on_model = {
            let send = send.clone();
            Callback::from(move |_| {
                send(Command::MarkRoleModel {
                    team,
                    participant: (!is_model).then_some(id),
                })
            })
        };
        let role_label = format!("Role of {name}");
        let team_label = format!("Team of {name}");
        html! {
            <tr key={id.0}>
                <th scope="row">
                    { name.clone() }
                    if is_model { <span class="badge role-model">{ "Role model" }</span> }
                </th>
                <td>
                    <select aria-label={role_label} onchange={on_role} disabled={roles.is_empty() || !may_assign}>
                        <option value="" selected={role.is_none()}>{ "No role yet" }</option>
                        { for roles.iter().map(|(rid, rname, model)| html! {
                            <option value={rid.clone()} selected={role == Some(rid.as_str())}>
                                { if *model { format!("{rname} (seasoned)") } else { rname.clone() } }
                            </option>
                        }) }
                    </select>
                </td>
                if teams.len() > 1 {
                    <td>
                        <select aria-label={team_label} onchange={on_team}>
                            { for teams.iter().map(|(tid, tname)| html! {
                                <option value={tid.0.to_string()} selected={*tid == team}>{ tname.clone() }</option>
                            }) }
                        </select>
                    </td>
                }
                <td>
                    <button type="button" class="link-button" onclick={on_model}>
                        { if is_model { format!("Unmark {name}") } else { format!("Mark {name} as role model") } }
                    </button>
                </td>
            </tr>
        }
    };

    html! {
        <section class="panel team-setup" aria-labelledby="team-setup-heading">
            <h2 id="team-setup-heading">{ "Teams and roles" }</h2>
            <div class="inline-fields">
            if room.state.may(Action::SetRoleMode) {
                <div>
                    <label for="role-mode">{ "How learners get roles" }</label>
                    <select id="role-mode" onchange={set_mode}>
                        <option value="auto_balance" selected={mode == RoleMode::AutoBalance}>{ "Dealt evenly as they join" }</option>
                        <option value="assign" selected={mode == RoleMode::Assign}>{ "I assign them" }</option>
                        <option value="self_select" selected={mode == RoleMode::SelfSelect}>{ "Learners pick" }</option>
                    </select>
                </div>
                <button type="button" class="secondary" onclick={ let send = send.clone(); move |_| send(Command::BalanceRoles) }>
                    { "Deal roles to everyone without one" }
                </button>
                <label class="check">
                    <input type="checkbox" checked={r.roles_shared} data-testid="roles-shared"
                        onchange={ let send = send.clone();
                                   move |e: Event| send(Command::SetRoleSharing { shared: e.target_unchecked_into::<HtmlInputElement>().checked() }) } />
                    { "Teammates may play the same role" }
                </label>
            }
                <label class="check">
                    <input type="checkbox" checked={r.anonymous}
                        onchange={ let send = send.clone();
                                   move |e: Event| send(Command::SetAnonymity { anonymous: e.target_unchecked_into::<HtmlInputElement>().checked() }) } />
                    { "Hide names on shared screens" }
                </label>
                <div>
                    <label for="vote-budget">{ "Votes per learner" }</label>
                    <input id="vote-budget" type="number" min={VOTE_BUDGETS.start().to_string()} max={VOTE_BUDGETS.end().to_string()} value={r.vote_budget.to_string()}
                        onchange={ let send = send.clone();
                                   move |e: Event| if let Ok(votes) = e.target_unchecked_into::<HtmlInputElement>().value().parse() {
                                       send(Command::SetVoteBudget { votes })
                                   } } />
                </div>
                <div>
                    <label for="adoption-rule">{ "Responses are adopted by" }</label>
                    <select id="adoption-rule"
                        onchange={ let send = send.clone();
                                   move |e: Event| {
                                       let i: usize = e.target_unchecked_into::<web_sys::HtmlSelectElement>().value().parse().unwrap_or(0);
                                       if let Some(rule) = AdoptionRule::ALL.get(i) {
                                           send(Command::SetAdoptionRule { rule: *rule })
                                       }
                                   } }>
                        { for AdoptionRule::ALL.iter().enumerate().map(|(i, rule)| html! {
                            <option value={i.to_string()} selected={r.adoption == *rule}>{ rule.describe() }</option>
                        }) }
                    </select>
                </div>
            </div>
            if !room.state.may(Action::SetRoleMode) {
                <p class="hint">{ if room.state.may(Action::AssignRole) {
                    "Roles can still be fixed here until the estimates begin; how they are given is settled."
                } else {
                    "Roles are settled; the role model, the teams, names on shared screens, votes and who adopts responses can still change."
                } }</p>
            }
            { for r.teams.iter().map(|t| html! {
                <div class="team-block" key={t.id.0}>
                    <h3>{ format!("{} · {}", t.name, riskroom_core::text::count(t.members.len(), "person", "people")) }</h3>
                    if t.members.is_empty() {
                        <p class="hint">{ "Nobody in this team yet." }</p>
                    } else {
                        <table class="people-table">
                            <thead><tr>
                                <th scope="col">{ "Learner" }</th>
                                <th scope="col">{ "Role" }</th>
                                if teams.len() > 1 { <th scope="col">{ "Team" }</th> }
                                <th scope="col">{ "Role model" }</th>
                            </tr></thead>
                            <tbody>
                                { for t.members.iter().map(|m| member_row(m.id, m.role.as_deref(), t.id)) }
                            </tbody>
                        </table>
                    }
                    if let Some(model) = t.role_model {
                        <p class="hint" data-testid="team-role-model">{ format!("{}'s role model: {} ({})", t.name,
                            r.participant(model).map(|p| p.name.clone()).unwrap_or_default(),
                            r.role_of(model).map(&role_name).unwrap_or_else(|| "no role yet".into())) }</p>
                    }
                    if let Some(warning) = r.role_model_warning(t) {
                        <p class="warning" data-testid="role-model-warning">{ warning }</p>
                    }
                </div>
            }) }
            <form class="inline-fields" onsubmit={add_team}>
                <div>
                    <label for="new-team">{ "Another team, playing the same scenario" }</label>
                    <input id="new-team" maxlength={MAX_NAME_CHARS.to_string()} placeholder="Team 2" value={(*new_team).clone()}
                        oninput={ let new_team = new_team.clone();
                                  move |e: InputEvent| new_team.set(e.target_unchecked_into::<HtmlInputElement>().value()) } />
                </div>
                <button type="submit" class="secondary">{ "Add team" }</button>
            </form>
        </section>
    }
}
