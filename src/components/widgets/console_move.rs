//! Moving the console to another device: the server makes this console a
//! one-time move link (shown with its QR code); the device that opens it is
//! issued a new key and runs the room, and every other console closes.
//! "Shut out every other console" does the same for this console itself.

use riskroom_core::Command;
use yew::prelude::*;

use crate::components::QrCode;
use crate::hooks::{Refusal, Sent, use_command, use_room};
use crate::services::{identity, paths};

#[derive(Properties, PartialEq)]
pub struct MoveConsoleProps {
    /// The app's address as other devices reach it.
    pub base: AttrValue,
}

/// Asks for a move link and shows it; offers to shut out other consoles.
#[function_component(MoveConsole)]
pub fn move_console(props: &MoveConsoleProps) -> Html {
    let room = use_room();
    let offer = use_command(None);
    let renew = use_command(None);
    let ask = {
        let offer = offer.clone();
        Callback::from(move |_| offer.send(Command::OfferConsoleMove))
    };
    let shut_out = {
        let renew = renew.clone();
        Callback::from(move |_| {
            let sure = web_sys::window()
                .and_then(|w| {
                    w.confirm_with_message(
                        "Close every other console of this room, on every device? This one carries on.",
                    )
                    .ok()
                })
                .unwrap_or(false);
            if sure {
                renew.send(Command::RenewConsoleKey);
            }
        })
    };
    let link = room.state.console_move.as_ref().and_then(|m| {
        let root = identity::room_view_root_text(&room.code)?;
        let date = js_sys::Date::new(&wasm_bindgen::JsValue::from_f64(m.expires_ms as f64));
        let until = format!("{:02}:{:02}", date.get_hours(), date.get_minutes());
        Some((
            paths::console_move_url(&props.base, &room.code, &m.code, &root),
            until,
        ))
    });
    html! {
        <details class="panel console-move" data-testid="console-move">
            <summary>{ "Move this console to another device" }</summary>
            <p class="hint">{ "Make a link, then open it on the other device (or scan its QR code there). That device then runs the room and this console closes." }</p>
            <button type="button" class="secondary" onclick={ask} disabled={offer.sent == Sent::Waiting}
                data-testid="offer-console-move">
                { if link.is_some() { "Make a new move link" } else { "Make a move link" } }
            </button>
            <Refusal sent={offer.sent.clone()} />
            if let Some((url, until)) = link {
                <div class="console-move-link" role="status">
                    <QrCode text={url.clone()} label={"QR code of the console's move link".to_owned()} />
                    <p><input readonly=true value={url} aria-label="Move link" data-testid="console-move-link" /></p>
                    <p class="hint">{ format!("Works once, until {until}. Anyone who opens it runs the room: keep it private.") }</p>
                </div>
            }
            <p class="hint">{ "A console left open elsewhere, or a link that went too far?" }</p>
            <button type="button" class="secondary" onclick={shut_out} disabled={renew.sent == Sent::Waiting}
                data-testid="shut-out-consoles">
                { "Shut out every other console" }
            </button>
            <Refusal sent={renew.sent.clone()} />
            if renew.sent == Sent::Accepted {
                <p role="status" data-testid="consoles-shut-out">{ "Every other console is closed; this one carries on." }</p>
            }
        </details>
    }
}

#[derive(Properties, PartialEq)]
pub struct TakeOverConsoleProps {
    /// The move link's code.
    pub code: AttrValue,
}

/// On the device that opened a move link: takes the console over as soon
/// as the room is live, or says why it cannot.
#[function_component(TakeOverConsole)]
pub fn take_over_console(props: &TakeOverConsoleProps) -> Html {
    let room = use_room();
    let line = use_command(None);
    let live = room.state.status == crate::state::LinkStatus::Live;
    {
        let line = line.clone();
        let code = props.code.to_string();
        use_effect_with(live, move |live| {
            if *live && line.sent == Sent::Nothing {
                line.send(Command::TakeOverConsole { code });
            }
        });
    }
    html! {
        <main class="console">
            <h1>{ format!("Room {}", room.code) }</h1>
            if matches!(line.sent, Sent::Refused(_)) {
                <Refusal sent={line.sent.clone()} />
                <p><a href={paths::base_url()}>{ "Go to the start page" }</a></p>
            } else {
                <p role="status">{ "Taking the console over…" }</p>
            }
        </main>
    }
}
