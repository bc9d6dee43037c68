//! `RoomProvider` opens the link to one room and keeps the client's copy of
//! it in a single reducer; `use_room()` gives components that state and
//! intent methods (`room.join(..)`) that send commands for the core to judge.

use std::cell::Cell;
use std::rc::Rc;

use riskroom_core::{ClientMessage, Command, CommandId, ParticipantId, RoomCode, ServerMessage};
use yew::prelude::*;

use crate::services::identity::{self, Hat};
use crate::services::paths;
use crate::services::transport::{SocketLink, Transport};
use crate::state::{ClientAction, ClientState};

/// What `use_room()` returns.
#[derive(Clone)]
pub struct RoomHandle {
    pub state: UseReducerHandle<ClientState>,
    link: Rc<dyn Transport>,
    next_id: Rc<Cell<u64>>,
    pub code: RoomCode,
}

impl PartialEq for RoomHandle {
    fn eq(&self, other: &Self) -> bool {
        self.state == other.state && Rc::ptr_eq(&self.link, &other.link)
    }
}

impl RoomHandle {
    fn command(&self, command: Command) {
        let id = CommandId(self.next_id.get());
        self.next_id.set(id.0 + 1);
        if let Err(e) = self.link.send(&ClientMessage::Command { id, command }) {
            self.state.dispatch(ClientAction::Notice(e.0));
        }
    }

    pub fn join(&self, name: String) {
        self.command(Command::Join { name });
    }

    pub fn rename(&self, name: String) {
        self.command(Command::Rename { name });
    }

    pub fn leave(&self) {
        self.command(Command::Leave);
    }

    pub fn remove(&self, id: ParticipantId) {
        self.command(Command::RemoveParticipant { id });
    }

    pub fn choose_scenario(&self, file: String, text: String) {
        self.command(Command::ChooseScenario { file, text });
    }

    pub fn dismiss_notice(&self) {
        self.state.dispatch(ClientAction::DismissNotice);
    }
}

#[derive(Properties, PartialEq)]
pub struct RoomProviderProps {
    pub code: RoomCode,
    pub hat: Hat,
    #[prop_or_default]
    pub children: Children,
}

/// A link that is not open yet (first render), so the context always has one.
struct NoLink;

impl Transport for NoLink {
    fn send(&self, _: &ClientMessage) -> Result<(), crate::error::UserError> {
        Err(crate::error::UserError("Connecting to the room…".into()))
    }
    fn resync(&self) {}
    fn close(&self) {}
}

#[function_component(RoomProvider)]
pub fn room_provider(props: &RoomProviderProps) -> Html {
    let state = use_reducer(ClientState::default);
    let link = use_state(|| Rc::new(NoLink) as Rc<dyn Transport>);
    let next_id = use_memo((), |_| Rc::new(Cell::new(1u64)));

    {
        let state = state.clone();
        let link = link.clone();
        let hat = props.hat;
        use_effect_with(props.code.clone(), move |code: &RoomCode| {
            let hello_code = code.clone();
            let hello = move || ClientMessage::Hello {
                protocol: riskroom_core::PROTOCOL_VERSION,
                room: hello_code.clone(),
                credential: identity::credential(&hello_code, hat),
            };
            let on_message = {
                let state = state.clone();
                let code = code.clone();
                Callback::from(move |message: ServerMessage| {
                    // The token must be kept before anything else can happen.
                    if let ServerMessage::Joined { token, .. } = &message {
                        identity::save_seat(&code, token.expose());
                    }
                    state.dispatch(ClientAction::Server(message));
                })
            };
            let on_status = {
                let state = state.clone();
                Callback::from(move |status| state.dispatch(ClientAction::Status(status)))
            };
            let socket: Rc<dyn Transport> = Rc::new(SocketLink::open(
                paths::socket_url(),
                hello,
                on_message,
                on_status,
            ));
            link.set(Rc::clone(&socket));
            move || socket.close()
        });
    }

    // An event arrived out of sequence: fetch a fresh view.
    {
        let link = (*link).clone();
        use_effect_with(state.out_of_step, move |out_of_step| {
            if *out_of_step {
                link.resync();
            }
        });
    }

    let handle = RoomHandle {
        state,
        link: (*link).clone(),
        next_id: (*next_id).clone(),
        code: props.code.clone(),
    };
    html! {
        <ContextProvider<RoomHandle> context={handle}>
            { props.children.clone() }
        </ContextProvider<RoomHandle>>
    }
}

/// The room this component sits in. Panics outside a `RoomProvider`.
#[hook]
pub fn use_room() -> RoomHandle {
    use_context::<RoomHandle>().expect("use_room() inside a RoomProvider")
}
