//! `RoomProvider` opens the link to one room and keeps the client's copy of
//! it in a single reducer; `use_room()` gives components that state and
//! intent methods (`room.leave()`) that send commands for the core to judge.

use std::cell::{Cell, RefCell};
use std::collections::BTreeMap;
use std::rc::Rc;

use riskroom_core::{ClientMessage, Command, CommandId, RoomCode, ServerMessage};
use yew::prelude::*;

use crate::services::identity::{self, PageKind};
use crate::services::link;
use crate::services::transport::Transport;
use crate::state::{ClientAction, ClientState};

/// Commands sent but not yet answered, by id: sent again, with the same id,
/// after a reconnect (the server acknowledges a repeat without applying it).
type Pending = Rc<RefCell<BTreeMap<u64, Command>>>;

/// How a command sent from one control was answered.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Outcome {
    Accepted,
    /// Refused, with the core's reason in words.
    Refused(String),
}

/// Who waits for the answer to a command, by id: the control that sent it,
/// so a refusal shows beside that control rather than at the top of the page.
type Listeners = Rc<RefCell<BTreeMap<u64, Callback<Outcome>>>>;

/// What `use_room()` returns.
#[derive(Clone)]
pub struct RoomContext {
    pub state: UseReducerHandle<ClientState>,
    /// The state's version as this context was made (the handle reads the
    /// latest state, whatever the context was made with).
    version: u64,
    link: Rc<dyn Transport>,
    next_id: Rc<Cell<u64>>,
    pending: Pending,
    listeners: Listeners,
    pub code: RoomCode,
}

/// Equal while it was made with the same state: the reducer gives every
/// change a new version and keeps the old state otherwise, so comparing
/// the two copies of the room field by field would tell nothing more.
impl PartialEq for RoomContext {
    fn eq(&self, other: &Self) -> bool {
        self.version == other.version && Rc::ptr_eq(&self.link, &other.link)
    }
}

/// What sends commands to the room, without following its state (it holds
/// none of it): equal from one drawing of the page to the next, so a part
/// of the page that takes it as a property is drawn again only when its own
/// data changes.
#[derive(Clone)]
pub struct RoomSender {
    link: Rc<dyn Transport>,
    next_id: Rc<Cell<u64>>,
    pending: Pending,
    listeners: Listeners,
    notices: UseReducerDispatcher<ClientState>,
}

impl PartialEq for RoomSender {
    fn eq(&self, other: &Self) -> bool {
        Rc::ptr_eq(&self.link, &other.link)
    }
}

impl RoomSender {
    /// Sends a command for the core to judge; a refusal comes back as a notice.
    pub fn send(&self, command: Command) {
        self.dispatch(command, None);
    }

    /// Sends a command; `on_outcome` hears whether the core took it.
    pub fn send_from(&self, command: Command, on_outcome: Callback<Outcome>) {
        self.dispatch(command, Some(on_outcome));
    }

    fn dispatch(&self, command: Command, on_outcome: Option<Callback<Outcome>>) {
        let id = CommandId(self.next_id.get());
        self.next_id.set(id.0 + 1);
        self.pending.borrow_mut().insert(id.0, command.clone());
        if let Some(on_outcome) = on_outcome {
            self.listeners.borrow_mut().insert(id.0, on_outcome);
        }
        if self
            .link
            .send(&ClientMessage::Command { id, command })
            .is_err()
        {
            self.notices.dispatch(ClientAction::Notice(
                "Not connected right now: your change will be sent when the connection is back."
                    .into(),
            ));
        }
    }
}

impl RoomContext {
    /// What sends commands to the room, for parts of a page that do not
    /// follow its state.
    pub fn sender(&self) -> RoomSender {
        RoomSender {
            link: Rc::clone(&self.link),
            next_id: Rc::clone(&self.next_id),
            pending: Rc::clone(&self.pending),
            listeners: Rc::clone(&self.listeners),
            notices: self.state.dispatcher(),
        }
    }

    /// Sends a command for the core to judge; a refusal comes back as a notice.
    pub fn send(&self, command: Command) {
        self.sender().dispatch(command, None);
    }

    /// Sends a command whose answer goes to `on_outcome` (the control that
    /// sent it) instead of the page's notice.
    pub fn send_from(&self, command: Command, on_outcome: Callback<Outcome>) {
        self.sender().send_from(command, on_outcome);
    }

    pub fn rename(&self, name: String) {
        self.send(Command::Rename { name });
    }

    pub fn leave(&self) {
        self.send(Command::Leave);
    }

    pub fn remove(&self, removal: crate::components::widgets::participant_list::Removal) {
        self.send(Command::RemoveParticipant {
            id: removal.id,
            cards: removal.cards,
            block: removal.block,
        });
    }

    pub fn choose_scenario(&self, file: String, text: String) {
        self.send(Command::ChooseScenario { file, text });
    }

    /// Shows a problem found in the page itself, the same way as a refusal.
    pub fn notice(&self, text: String) {
        self.state.dispatch(ClientAction::Notice(text));
    }

    pub fn dismiss_notice(&self) {
        self.state.dispatch(ClientAction::DismissNotice);
    }
}

#[derive(Properties, PartialEq)]
pub struct RoomProviderProps {
    pub code: RoomCode,
    pub page: PageKind,
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
    // Ids start from a random base per page, so a reload never reuses one.
    let next_id = use_memo((), |_| {
        Rc::new(Cell::new(
            ((js_sys::Math::random() * f64::from(1u32 << 30)) as u64) << 20 | 1,
        ))
    });
    let pending: Pending = (*use_memo((), |_| Rc::new(RefCell::new(BTreeMap::new())))).clone();
    let listeners: Listeners = (*use_memo((), |_| Rc::new(RefCell::new(BTreeMap::new())))).clone();
    // The last event folded in, so a reconnect can resume from it.
    let last_seq = use_memo((), |_| Rc::new(Cell::new(None::<u64>)));

    {
        let state = state.clone();
        let link = link.clone();
        let page = props.page;
        let pending = pending.clone();
        let listeners = listeners.clone();
        let last_seq = (*last_seq).clone();
        use_effect_with(props.code.clone(), move |code: &RoomCode| {
            let hello_code = code.clone();
            let hello_seq = Rc::clone(&last_seq);
            // Set when a hello goes out: its answer (a welcome, or resumed)
            // is the moment to send again what was not answered. A fresh
            // view within a connection is not.
            let greeted = Rc::new(Cell::new(false));
            let hello_greeted = Rc::clone(&greeted);
            let hello = move || {
                hello_greeted.set(true);
                ClientMessage::Hello {
                    protocol: riskroom_core::PROTOCOL_VERSION,
                    room: hello_code.clone(),
                    credential: identity::credential(&hello_code, page),
                    last_seq: hello_seq.get(),
                }
            };
            let socket_slot: Rc<RefCell<Option<Rc<dyn Transport>>>> = Rc::new(RefCell::new(None));
            let on_message = {
                let state = state.clone();
                let code = code.clone();
                let slot = Rc::clone(&socket_slot);
                Callback::from(move |message: ServerMessage| {
                    match &message {
                        // The token must be kept before anything else can happen.
                        ServerMessage::Joined {
                            token: Some(token), ..
                        } => {
                            identity::save_seat(&code, token.expose());
                        }
                        // So is a console key the server issued.
                        ServerMessage::ConsoleKey { key } => {
                            identity::replace_facilitator_key(&code, key.expose());
                        }
                        ServerMessage::Welcome { room, .. } => last_seq.set(Some(room.seq)),
                        ServerMessage::Events { events } => {
                            if let Some(last) = events.last() {
                                last_seq.set(Some(last.seq.max(last_seq.get().unwrap_or(0))));
                            }
                        }
                        ServerMessage::Ack { id, .. } => {
                            pending.borrow_mut().remove(&id.0);
                            if let Some(listener) = listeners.borrow_mut().remove(&id.0) {
                                listener.emit(Outcome::Accepted);
                            }
                        }
                        ServerMessage::Rejected {
                            id: Some(id),
                            reason,
                        } => {
                            pending.borrow_mut().remove(&id.0);
                            let listener = listeners.borrow_mut().remove(&id.0);
                            // The control that sent it shows the refusal.
                            if let Some(listener) = listener {
                                listener.emit(Outcome::Refused(reason.clone()));
                                return;
                            }
                        }
                        ServerMessage::Closed { .. } => last_seq.set(None),
                        _ => {}
                    }
                    let reconnected = matches!(
                        message,
                        ServerMessage::Welcome { .. } | ServerMessage::Resumed { .. }
                    ) && greeted.replace(false);
                    state.dispatch(ClientAction::Server(message));
                    // Whatever was not answered before the link dropped goes again.
                    if reconnected && let Some(socket) = slot.borrow().as_ref() {
                        for (id, command) in pending.borrow().iter() {
                            let _ = socket.send(&ClientMessage::Command {
                                id: CommandId(*id),
                                command: command.clone(),
                            });
                        }
                    }
                })
            };
            let on_status = {
                let state = state.clone();
                Callback::from(move |status| state.dispatch(ClientAction::Status(status)))
            };
            let socket = link::open_link(code, hello, on_message, on_status);
            *socket_slot.borrow_mut() = Some(Rc::clone(&socket));
            link.set(Rc::clone(&socket));
            move || {
                socket_slot.borrow_mut().take();
                socket.close();
            }
        });
    }

    // An event arrived out of sequence: fetch a fresh view.
    {
        let link = (*link).clone();
        let last_seq = (*last_seq).clone();
        use_effect_with(state.out_of_step, move |out_of_step| {
            if *out_of_step {
                last_seq.set(None);
                link.resync();
            }
        });
    }

    let handle = RoomContext {
        version: state.version,
        state,
        link: (*link).clone(),
        next_id: (*next_id).clone(),
        pending,
        listeners,
        code: props.code.clone(),
    };
    html! {
        <ContextProvider<RoomContext> context={handle}>
            { props.children.clone() }
        </ContextProvider<RoomContext>>
    }
}

/// The room this component sits in. Panics outside a `RoomProvider`.
#[hook]
pub fn use_room() -> RoomContext {
    use_context::<RoomContext>().expect("use_room() inside a RoomProvider")
}
