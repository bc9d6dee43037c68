//! What the team writes and rates in the debrief: lessons, action items,
//! peer ratings and the facilitator's rubric.

use riskroom_core::room::{Command, Note, Room, Team, TeamId};
use riskroom_core::scenario::{Phase, Scenario};
use riskroom_core::text::MAX_NAME_CHARS;
use web_sys::{HtmlInputElement, HtmlTextAreaElement};
use yew::prelude::*;

use super::Offers;
use crate::format::{author_name, display_name, role_name};
use crate::hooks::use_room::RoomContext;
use crate::hooks::{Refusal, Sent, use_command};

#[derive(Clone, Copy, PartialEq)]
pub(super) enum NoteKind {
    Lesson,
    Action,
}

pub(super) fn notes_part(r: &Room, team: &Team, offers: &Offers, kind: NoteKind, id: &str) -> Html {
    let (title, notes, testid, empty) = match kind {
        NoteKind::Lesson => (
            "Lessons learned",
            &team.lessons,
            "lessons",
            "No lessons yet.",
        ),
        NoteKind::Action => (
            "Action items",
            &team.actions,
            "actions",
            "No action items yet.",
        ),
    };
    let item = |note: &Note| {
        html! {
            <li>
                <span class="prose">{ note.text.clone() }</span>
                <span class="note-meta">
                    if let Some(owner) = &note.owner {
                        { format!("Owner: {owner}. ") }
                    }
                    { format!("Added by {}.", author_name(r, note.author)) }
                </span>
            </li>
        }
    };
    html! {
        <section class="debrief-part notes">
            <h3 id={id.to_owned()}>{ title }</h3>
            <ul class="note-list" data-testid={testid}>
                { for notes.iter().map(item) }
            </ul>
            if notes.is_empty() {
                <p class="empty">{ empty }</p>
            }
            if offers.member && offers.notes_open {
                <NoteForm kind={kind} team={team.id} max_chars={r.limits.text_chars} />
            } else if offers.facilitator && r.phase == Phase::Debrief {
                <p class="hint no-print">{ "Learners add these from their own devices." }</p>
            }
        </section>
    }
}

#[derive(Properties, PartialEq)]
pub(super) struct NoteFormProps {
    kind: NoteKind,
    team: TeamId,
    max_chars: u32,
}

#[function_component(NoteForm)]
pub(super) fn note_form(props: &NoteFormProps) -> Html {
    let text = use_state(String::new);
    let owner = use_state(String::new);
    let emptied = {
        let (text, owner) = (text.clone(), owner.clone());
        Callback::from(move |()| {
            text.set(String::new());
            owner.set(String::new());
        })
    };
    let line = use_command(Some(emptied));
    let kind = props.kind;
    let onsubmit = {
        let (text, owner) = (text.clone(), owner.clone());
        let line = line.clone();
        Callback::from(move |e: SubmitEvent| {
            e.prevent_default();
            let command = match kind {
                NoteKind::Lesson => Command::AddLesson {
                    text: (*text).clone(),
                },
                NoteKind::Action => Command::AddActionItem {
                    text: (*text).clone(),
                    owner: (*owner).clone(),
                },
            };
            line.send(command);
        })
    };
    let on_text = {
        let text = text.clone();
        Callback::from(move |e: InputEvent| {
            text.set(e.target_unchecked_into::<HtmlTextAreaElement>().value());
        })
    };
    let on_owner = {
        let owner = owner.clone();
        Callback::from(move |e: InputEvent| {
            owner.set(e.target_unchecked_into::<HtmlInputElement>().value());
        })
    };
    let base = match kind {
        NoteKind::Lesson => "lesson",
        NoteKind::Action => "action",
    };
    let text_id = format!("{base}-text-{}", props.team.0);
    let owner_id = format!("{base}-owner-{}", props.team.0);
    html! {
        <form class="note-form no-print" {onsubmit} data-testid={format!("{base}-form")}>
            <label for={text_id.clone()}>{ match kind {
                NoteKind::Lesson => "A lesson the team learned",
                NoteKind::Action => "An action to take back to work",
            } }</label>
            <textarea id={text_id} rows="3" required=true maxlength={props.max_chars.to_string()}
                value={(*text).clone()} oninput={on_text} />
            if kind == NoteKind::Action {
                <label for={owner_id.clone()}>{ "Who owns it" }</label>
                <input id={owner_id} type="text" required=true maxlength={MAX_NAME_CHARS.to_string()}
                    autocomplete="off" value={(*owner).clone()} oninput={on_owner} />
            }
            <button type="submit" class="primary" disabled={line.sent == Sent::Waiting}>{ match kind {
                NoteKind::Lesson => "Add lesson",
                NoteKind::Action => "Add action item",
            } }</button>
            <Refusal sent={line.sent.clone()} />
        </form>
    }
}

pub(super) fn peer_ratings(
    room: &RoomContext,
    r: &Room,
    team: &Team,
    scenario: &Scenario,
    offers: &Offers,
    id: &str,
) -> Html {
    let Some(me) = offers.me else {
        return html! {};
    };
    let peers: Vec<_> = team.members.iter().filter(|m| m.id != me).collect();
    html! {
        <section class="debrief-part ratings no-print">
            <h3 id={id.to_owned()}>{ "Rate your teammates" }</h3>
            <p class="hint">{ "1: held the team back; 3: a solid teammate; 5: made a big difference. Teammates see only their average, never who gave what." }</p>
            if peers.is_empty() {
                <p class="empty">{ "You have no teammates to rate." }</p>
            }
            { for peers.into_iter().map(|m| {
                let given = team
                    .peer_ratings
                    .iter()
                    .find(|p| p.from == me && p.to == m.id)
                    .map(|p| p.score);
                let name = display_name(r, m.id);
                html! {
                    <fieldset class="level-picker" key={m.id.0} data-testid="peer-rating">
                        <legend>{ format!("{name} ({})", role_name(scenario, m.role.as_deref())) }</legend>
                        <div class="levels">
                            { for (1..=5u8).map(|score| {
                                let onclick = {
                                    let (room, peer) = (room.clone(), m.id);
                                    Callback::from(move |_| room.send(Command::RatePeer { peer, score }))
                                };
                                let pressed = given == Some(score);
                                html! {
                                    <button type="button" class={classes!("level", pressed.then_some("chosen"))}
                                        aria-pressed={if pressed { "true" } else { "false" }} {onclick}>
                                        { score }
                                    </button>
                                }
                            }) }
                        </div>
                        <p class="given">{ match given {
                            Some(score) => format!("You gave {name} {score} out of 5."),
                            None => format!("You have not rated {name} yet."),
                        } }</p>
                    </fieldset>
                }
            }) }
        </section>
    }
}

pub(super) fn rubric_form(room: &RoomContext, team: &Team, scenario: &Scenario, id: &str) -> Html {
    html! {
        <section class="debrief-part rubric no-print">
            <h3 id={id.to_owned()}>{ format!("Rate {} on the rubric", team.name) }</h3>
            <p class="hint">{ "Pick the level that best describes what you saw, for each dimension." }</p>
            { for scenario.rubric.dimensions.iter().map(|dimension| {
                let current = team
                    .rubric
                    .iter()
                    .find(|(d, _)| d == &dimension.id)
                    .map(|(_, level)| *level);
                html! {
                    <fieldset class="level-picker rubric-dimension" key={dimension.id.clone()} data-testid="rubric-dimension">
                        <legend>{ dimension.name.clone() }</legend>
                        <div class="rubric-levels">
                            { for dimension.levels.iter().zip(1..=4u8).map(|(description, level)| {
                                let onclick = {
                                    let (room, team, dimension) = (room.clone(), team.id, dimension.id.clone());
                                    Callback::from(move |_| room.send(Command::RateRubric {
                                        team,
                                        dimension: dimension.clone(),
                                        level,
                                    }))
                                };
                                let pressed = current == Some(level);
                                html! {
                                    <button type="button" class={classes!("rubric-level", pressed.then_some("chosen"))}
                                        aria-pressed={if pressed { "true" } else { "false" }} {onclick}>
                                        <span class="rubric-level-number">{ format!("Level {level}") }</span>
                                        <span class="rubric-level-text">{ description.clone() }</span>
                                    </button>
                                }
                            }) }
                        </div>
                    </fieldset>
                }
            }) }
        </section>
    }
}
