//! A seat that follows the person: a short seat code, asked for by the
//! learner on their old device or by the facilitator for them, moves their
//! seat (role, brief, estimates, votes) to the device that enters it; the
//! old device's link stops working.

use riskroom_core::ids::SEAT_CODE_TYPED_CHARS;
use riskroom_core::{Command, ParticipantId};
use web_sys::HtmlInputElement;
use yew::prelude::*;

use crate::hooks::{Refusal, Sent, use_command, use_room};

#[derive(Properties, PartialEq)]
pub struct MoveSeatProps {
    pub participant: ParticipantId,
    /// Whose seat, as shown on the button ("your" on the learner's own page).
    pub whose: AttrValue,
}

/// Asks the server for a seat code and shows it with what to do with it.
#[function_component(MoveSeat)]
pub fn move_seat(props: &MoveSeatProps) -> Html {
    let room = use_room();
    let line = use_command(None);
    let ask = {
        let line = line.clone();
        let id = props.participant;
        Callback::from(move |_| line.send(Command::HandOverSeat { id }))
    };
    let code = room
        .state
        .seat_code
        .as_ref()
        .filter(|c| c.participant == props.participant);
    let until = code.map(|c| {
        let date = js_sys::Date::new(&wasm_bindgen::JsValue::from_f64(c.expires_ms as f64));
        format!("{:02}:{:02}", date.get_hours(), date.get_minutes())
    });
    html! {
        <div class="move-seat">
            <button type="button" class="secondary" onclick={ask} disabled={line.sent == Sent::Waiting}
                data-testid="move-seat">
                { format!("Move {} seat to another device", props.whose) }
            </button>
            <Refusal sent={line.sent.clone()} />
            if let (Some(code), Some(until)) = (code, until) {
                <div class="seat-code-box" role="status">
                    <p>{ "Seat code " }<strong class="seat-code" data-testid="seat-code">{ code.code.clone() }</strong></p>
                    <p class="hint">{ format!("Valid until {until}. On the other device, open room {} and enter it under “Already in this room on another device?”. This device then leaves the room.", room.code) }</p>
                </div>
            }
        </div>
    }
}

/// On the join page: take one's seat back with a seat code.
#[function_component(ClaimSeat)]
pub fn claim_seat() -> Html {
    let code = use_state(String::new);
    let line = use_command(None);
    let submit = {
        let code = code.clone();
        let line = line.clone();
        Callback::from(move |e: SubmitEvent| {
            e.prevent_default();
            line.send(Command::ClaimSeat {
                code: (*code).clone(),
            });
        })
    };
    html! {
        <form class="card claim-seat" onsubmit={submit} aria-labelledby="claim-heading">
            <h2 id="claim-heading">{ "Already in this room on another device?" }</h2>
            <p class="hint">{ "Ask the facilitator for a seat code (or get one on your other device) to carry on here as yourself, with your role and everything you gave." }</p>
            <label for="seat-code">{ "Seat code" }</label>
            <input id="seat-code" name="seat-code" autocomplete="off" autocapitalize="characters" spellcheck="false"
                maxlength={SEAT_CODE_TYPED_CHARS.to_string()} placeholder="ABCD-EFGH" value={(*code).clone()}
                oninput={ let code = code.clone();
                          move |e: InputEvent| code.set(e.target_unchecked_into::<HtmlInputElement>().value()) } />
            <button type="submit" class="secondary" disabled={line.sent == Sent::Waiting}>{ "Take my seat" }</button>
            <Refusal sent={line.sent.clone()} />
        </form>
    }
}
