//! `use_command()`: a control's own line to the core — it sends a command
//! and keeps that command's answer, so a refusal shows beside the control
//! that caused it (and what was typed stays until the core accepts it).

use riskroom_core::Command;
use yew::prelude::*;

use super::use_room::{Outcome, RoomSender, use_room};

/// Where a control's latest command stands.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub enum Sent {
    #[default]
    Nothing,
    /// Sent; no answer yet.
    Waiting,
    Accepted,
    /// Refused, with the reason in words.
    Refused(String),
}

impl Sent {
    /// The refusal to show beside the control, if the latest was refused.
    pub fn refusal(&self) -> Option<&str> {
        match self {
            Sent::Refused(reason) => Some(reason),
            _ => None,
        }
    }
}

/// A control's command line: what it sent last and how that was answered.
#[derive(Clone, PartialEq)]
pub struct CommandLine {
    pub sent: Sent,
    send: Callback<Command>,
    refuse: Callback<String>,
    clear: Callback<()>,
}

impl CommandLine {
    pub fn send(&self, command: Command) {
        self.send.emit(command);
    }

    /// Shows a problem the page found itself (a field left empty), the same
    /// way and in the same place as a refusal.
    pub fn refuse(&self, reason: impl Into<String>) {
        self.refuse.emit(reason.into());
    }

    /// Forgets the answer (the learner moved on).
    pub fn clear(&self) {
        self.clear.emit(());
    }
}

/// A command line for one control. `on_accepted` runs when the core accepts
/// (e.g. to empty a form that was kept while waiting).
#[hook]
pub fn use_command(on_accepted: Option<Callback<()>>) -> CommandLine {
    let room = use_room();
    use_command_via(room.sender(), on_accepted)
}

/// [`use_command`] for a part of the page that does not follow the room's
/// state: it sends through `sender`, so it is drawn again only when its own
/// properties or its own command's fate change.
#[hook]
pub fn use_command_via(sender: RoomSender, on_accepted: Option<Callback<()>>) -> CommandLine {
    let sent = use_state(Sent::default);
    let send = {
        let sent = sent.clone();
        Callback::from(move |command: Command| {
            sent.set(Sent::Waiting);
            let sent = sent.clone();
            let on_accepted = on_accepted.clone();
            sender.send_from(
                command,
                Callback::from(move |outcome| match outcome {
                    Outcome::Accepted => {
                        sent.set(Sent::Accepted);
                        if let Some(done) = &on_accepted {
                            done.emit(());
                        }
                    }
                    Outcome::Refused(reason) => sent.set(Sent::Refused(reason)),
                }),
            );
        })
    };
    let refuse = {
        let sent = sent.clone();
        Callback::from(move |reason: String| sent.set(Sent::Refused(reason)))
    };
    let clear = {
        let sent = sent.clone();
        Callback::from(move |()| sent.set(Sent::Nothing))
    };
    CommandLine {
        sent: (*sent).clone(),
        send,
        refuse,
        clear,
    }
}

#[derive(Properties, PartialEq)]
pub struct RefusalProps {
    pub sent: Sent,
    /// Ties the message to its control (`aria-describedby` on the control).
    #[prop_or_default]
    pub id: Option<AttrValue>,
}

/// A refusal in words, right where the control is; announced as it appears.
#[function_component(Refusal)]
pub fn refusal(props: &RefusalProps) -> Html {
    html! {
        <div class="refusal-slot" role="alert">
            if let Some(reason) = props.sent.refusal() {
                <p class="refusal" id={props.id.clone()} data-testid="refusal">{ reason.to_owned() }</p>
            }
        </div>
    }
}
