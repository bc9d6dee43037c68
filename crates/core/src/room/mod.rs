//! The room as a pure state machine: [`Room::handle`] decides whether a
//! command from an actor is allowed and which events it produces;
//! [`Room::apply`] folds an event into the state; [`Room::view_for`] and
//! [`Event::redacted_for`] project both for one actor. The server, the
//! browser and every test run this same code.

mod command;
mod coverage;
mod event;
mod fold;
mod handle;
mod rejection;
mod role_model;
mod rules;
mod scale;
mod screen;
mod strategy;
mod view;

use serde::{Deserialize, Serialize};

pub use command::{AdoptionRule, Command, CustomEffect, RoleMode, Target};
pub use coverage::{Fact, Perspective, RoleCoverage, RoleNudge, TeamCoverage, Voice};
pub use event::{Event, Stamped};
pub use handle::ReadScenario;
pub use rejection::Rejection;
pub use role_model::RoleModelBacking;
pub use rules::{
    Action, CONSOLE_MOVE_VALID_MS, MAX_MULTIPLIER, MAX_PEER_SCORE, MAX_RATE, MAX_RUBRIC_LEVEL,
    MAX_TEAMS, MAX_TIMER_SECONDS, SEAT_CLAIM_TRIES, SEAT_CLAIM_WINDOW_MS, SEAT_CODE_VALID_MS,
    VOTE_BUDGETS,
};
pub use scale::{LIKELIHOOD_CHOICES, loss_scale, round_amount};
pub use screen::{
    NARRATIVE_PAGE_CHARS, READING_PAGE_CHARS, ROOM_VIEW_ROWS_SHORT, ROOM_VIEW_ROWS_TALL, Screen,
    narrative_pages, text_pages,
};
pub use strategy::{BeliefReport, BeliefValue, label_title, response_label};
pub use view::{anonymous_name, masked_rater};

use crate::ids::{Credential, ParticipantId, RoomCode, Secret, SecretHash};
use crate::scenario::{Frequency, Phase, ResponseKind, Scenario};

/// Votes each learner has unless the facilitator sets another number.
pub const DEFAULT_VOTE_BUDGET: u32 = 3;

/// A room's size limits (the server sets them from its configuration when
/// the room opens; they travel in the opening event so replays agree).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Limits {
    /// People in the room at once (and [`JOINS_PER_PLACE`] times as many
    /// over its life).
    pub participants: u32,
    /// Cards on one team's board (merged and hidden ones count).
    pub cards_per_team: u32,
    /// Responses on one team's board.
    pub responses_per_team: u32,
    /// Comments, lessons and action items on one team's board.
    pub notes_per_team: u32,
    /// Longest description, comment, lesson or action item, in characters
    /// (names and titles have fixed limits, so they fit on every screen).
    #[serde(default = "default_text_chars")]
    pub text_chars: u32,
}

/// How many joins over a room's life each place in it allows: far more
/// than a class that comes and goes, few enough that a room people keep
/// passing through stays small.
pub const JOINS_PER_PLACE: usize = 4;

fn default_text_chars() -> u32 {
    crate::text::MAX_LONG_TEXT as u32
}

impl Default for Limits {
    fn default() -> Self {
        Self {
            participants: 500,
            cards_per_team: 200,
            responses_per_team: 200,
            notes_per_team: 2_000,
            text_chars: default_text_chars(),
        }
    }
}

/// Who is asking. Decided by the server from the connection's credential,
/// never taken from the message itself.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Actor {
    /// Holds the room's facilitator key.
    Facilitator,
    /// A learner who has joined (and holds that seat's token).
    Participant(ParticipantId),
    /// The room view on the projector: sees what the whole room may see,
    /// controls nothing.
    RoomView,
    /// A connection that has not joined yet. `seat` is the hash of the token it
    /// will be given if it joins.
    Guest { seat: SecretHash },
}

macro_rules! id_type {
    ($(#[$doc:meta])* $name:ident, $prefix:literal) => {
        $(#[$doc])*
        #[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
        #[serde(transparent)]
        pub struct $name(pub u32);

        impl std::fmt::Display for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                write!(f, concat!($prefix, "{}"), self.0)
            }
        }
    };
}

id_type!(
    /// A team within a room.
    TeamId,
    "team "
);
id_type!(
    /// A risk card on a team's board.
    CardId,
    "card "
);
id_type!(
    /// A response on a team's board (from the catalogue or custom).
    BoardResponseId,
    "response "
);

/// A person in the room.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Participant {
    pub id: ParticipantId,
    pub name: String,
    /// Hash of the seat token; only the server's copy of the state has it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub seat: Option<SecretHash>,
    /// False once they left or were removed.
    pub active: bool,
}

/// A learner's place in a team.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Member {
    pub id: ParticipantId,
    /// Id of the scenario role they play.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub role: Option<String>,
}

/// A risk raised onto a team's board.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Card {
    pub id: CardId,
    pub author: ParticipantId,
    pub title: String,
    pub description: String,
    /// The truth-model risk it stands for: set when raised from a clue, or
    /// linked later by the facilitator.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub risk: Option<String>,
    /// Raised from a clue of the author's brief.
    pub from_clue: bool,
    /// Hidden by the facilitator (moderation).
    pub hidden: bool,
    /// Merged into another card (a duplicate).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub merged_into: Option<CardId>,
    /// Taken off the board by its author: its words are gone.
    #[serde(default, skip_serializing_if = "is_false")]
    pub withdrawn: bool,
    /// The value the team agreed on after the reveal.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub consensus: Option<Estimate>,
    /// The phase it was raised in (older logs: unknown).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub phase: Option<Phase>,
}

impl Card {
    /// On the board: neither hidden, merged away nor withdrawn.
    pub fn live(&self) -> bool {
        !self.hidden && self.merged_into.is_none() && !self.withdrawn
    }

    /// Set aside by the facilitator (hidden or merged), not withdrawn by
    /// its author: what the console lists to show again.
    pub fn set_aside(&self) -> bool {
        !self.live() && !self.withdrawn
    }
}

/// A belief about a risk: how often, and the 90% range of one event's loss.
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
pub struct Estimate {
    pub frequency: Frequency,
    pub low: f64,
    pub high: f64,
}

/// One learner's private estimate of one card.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct PrivateEstimate {
    pub card: CardId,
    pub author: ParticipantId,
    /// None in views of learners before the reveal (they see that it exists).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub value: Option<Estimate>,
    /// How many injects had fired when it was given: it is scored against
    /// the truth as it stood then, not against news that came later.
    #[serde(default)]
    pub fired: usize,
}

/// Where a board response comes from.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(remote = "Self", rename_all = "snake_case")]
pub enum Origin {
    /// A response of the scenario's catalogue, by id.
    Catalogue { response: String },
    /// Written by the team.
    Custom {
        title: String,
        kind: ResponseKind,
        cost: f64,
        effects: Vec<CustomEffect>,
        /// The facilitator's accepted effect on truth-model risks; until
        /// set, the response counts for the team's belief only.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        accepted: Option<Vec<crate::scenario::Effect>>,
    },
}

crate::tagged_serde!(Origin, "from");

/// A response on a team's board.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct BoardResponse {
    pub id: BoardResponseId,
    pub proposer: ParticipantId,
    pub origin: Origin,
    /// Part of the team's strategy (its cost counts against the budget).
    pub adopted: bool,
    pub withdrawn: bool,
}

impl BoardResponse {
    /// Only whoever proposed a response may withdraw it; the team may still
    /// drop it from the strategy.
    pub fn withdrawable_by(&self, who: ParticipantId) -> bool {
        self.proposer == who
    }
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Vote {
    pub voter: ParticipantId,
    pub response: BoardResponseId,
}

/// A comment on a card or a response.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Comment {
    /// None for the facilitator.
    pub author: Option<ParticipantId>,
    pub on: Target,
    pub text: String,
    /// The phase it was written in (older logs: unknown).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub phase: Option<Phase>,
}

/// A lesson learned or an action item from the debrief.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Note {
    /// None for the facilitator.
    pub author: Option<ParticipantId>,
    pub text: String,
    /// Who will do it (action items only).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub owner: Option<String>,
}

/// One learner's rating of a teammate, 1 (lowest) to 5.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct PeerRating {
    pub from: ParticipantId,
    pub to: ParticipantId,
    pub score: u8,
}

/// A team and its shared strategy board.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Team {
    pub id: TeamId,
    pub name: String,
    pub members: Vec<Member>,
    pub cards: Vec<Card>,
    pub estimates: Vec<PrivateEstimate>,
    /// Whether the facilitator has revealed the team's estimates.
    pub revealed: bool,
    pub responses: Vec<BoardResponse>,
    pub votes: Vec<Vote>,
    pub comments: Vec<Comment>,
    pub lessons: Vec<Note>,
    pub actions: Vec<Note>,
    pub peer_ratings: Vec<PeerRating>,
    /// The facilitator's rubric levels (1–4), by dimension id.
    pub rubric: Vec<(String, u8)>,
    /// Someone in the team has rated a teammate: peer ratings count in
    /// the team's combined scores (every device knows it, not who rated).
    #[serde(default, skip_serializing_if = "is_false")]
    pub peer_rated: bool,
    /// The member the facilitator marked as the team's role model: the
    /// seasoned one the others learn from (at most one a team).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub role_model: Option<ParticipantId>,
    /// The facilitator started the discussion after the first reveal: the
    /// pairs furthest apart are named until the second round starts.
    #[serde(default, skip_serializing_if = "is_false")]
    pub discussion: bool,
    /// The first round's estimates, kept when the facilitator started the
    /// second round (the second round is `estimates`).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub first_round: Vec<PrivateEstimate>,
    /// The latest nudge the facilitator sent to each role's players.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub nudges: Vec<RoleNudge>,
}

impl Team {
    /// Each member's latest estimate of each card: the second round's
    /// where they gave one, else the first's. What the debrief scores.
    pub fn final_estimates(&self) -> impl Iterator<Item = &PrivateEstimate> {
        self.estimates
            .iter()
            .chain(self.first_round.iter().filter(|f| {
                !self
                    .estimates
                    .iter()
                    .any(|e| e.card == f.card && e.author == f.author)
            }))
    }

    fn new(id: TeamId, name: String) -> Self {
        Self {
            id,
            name,
            members: Vec::new(),
            cards: Vec::new(),
            estimates: Vec::new(),
            revealed: false,
            responses: Vec::new(),
            votes: Vec::new(),
            comments: Vec::new(),
            lessons: Vec::new(),
            actions: Vec::new(),
            peer_ratings: Vec::new(),
            rubric: Vec::new(),
            peer_rated: false,
            role_model: None,
            discussion: false,
            first_round: Vec::new(),
            nudges: Vec::new(),
        }
    }

    pub fn member(&self, id: ParticipantId) -> Option<&Member> {
        self.members.iter().find(|m| m.id == id)
    }

    pub fn card(&self, id: CardId) -> Option<&Card> {
        self.cards.iter().find(|c| c.id == id)
    }

    pub fn response(&self, id: BoardResponseId) -> Option<&BoardResponse> {
        self.responses.iter().find(|r| r.id == id)
    }

    /// Votes cast by one learner.
    pub fn votes_of(&self, voter: ParticipantId) -> usize {
        self.votes.iter().filter(|v| v.voter == voter).count()
    }
}

/// A countdown for the current phase.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Timer {
    pub phase: Phase,
    /// Total length, extensions included.
    pub duration_ms: u64,
    /// When it was last started or resumed; None while paused.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub running_since_ms: Option<u64>,
    /// Time already used before the last start.
    pub used_ms: u64,
    /// Refuse new input in this phase once time is up.
    pub close_input: bool,
}

impl Timer {
    /// Milliseconds left at `now_ms` (0 when up).
    pub fn remaining_ms(&self, now_ms: u64) -> u64 {
        let running = self
            .running_since_ms
            .map_or(0, |since| now_ms.saturating_sub(since));
        self.duration_ms
            .saturating_sub(self.used_ms.saturating_add(running))
    }
}

/// One room's whole state: the fold of its events.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Room {
    pub code: RoomCode,
    pub title: String,
    /// Hash of the facilitator key; only the server's copy of the state has it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub facilitator: Option<SecretHash>,
    /// Hash of the room-view key; only the server's copy of the state has it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub room_view: Option<SecretHash>,
    /// How many times the facilitator replaced the room-view link: the
    /// console derives the current key from it.
    #[serde(default)]
    pub room_view_generation: u32,
    /// Everyone who ever joined, in join order.
    pub participants: Vec<Participant>,
    /// Sequence number of the last event folded in.
    pub seq: u64,
    pub ended: bool,
    pub phase: Phase,
    /// Title of the chosen scenario, for everyone.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub scenario_title: Option<String>,
    /// The chosen scenario: whole for the facilitator; for a learner, only
    /// what they may see (see [`Room::view_for`]).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub scenario: Option<Box<Scenario>>,
    pub teams: Vec<Team>,
    pub role_mode: RoleMode,
    /// Whether teammates who pick their roles may pick the same one.
    #[serde(default, skip_serializing_if = "is_false")]
    pub roles_shared: bool,
    pub vote_budget: u32,
    /// Who decides what goes into a team's strategy.
    #[serde(default)]
    pub adoption: AdoptionRule,
    /// Paused by the facilitator: learners' input stops until it carries on.
    #[serde(default)]
    pub paused: bool,
    /// The facilitator asked the room view to show how to join, whatever
    /// the phase.
    #[serde(default)]
    pub join_shown: bool,
    /// Names hidden on shared views.
    pub anonymous: bool,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub timer: Option<Timer>,
    /// The team's budget for responses (the scenario's, changed by injects).
    pub budget: f64,
    /// Ids of fired injects, in order.
    pub fired: Vec<String>,
    /// Events of the played year revealed to the room so far (each team's
    /// year shows at most its own); all of them in the debrief.
    #[serde(default)]
    pub year_shown: u32,
    /// The debrief's scores are revealed to the room (the facilitator
    /// sees them first).
    #[serde(default)]
    pub scores_shown: bool,
    /// The perspectives' counts the facilitator put up on the room view
    /// (a snapshot; see `Command::ShowCoverage`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub coverage_shown: Option<Vec<TeamCoverage>>,
    /// The room view's page in this phase, as the facilitator turned it
    /// (see [`Room::screen`]).
    #[serde(default)]
    pub room_view_page: u32,
    pub limits: Limits,
    /// Seat codes made and not used yet (the server's copy only): typed on
    /// another device before they expire, they move a seat there.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub seat_codes: Vec<SeatCodeIssue>,
    /// The console move link made and not used yet (the server's copy
    /// only).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub console_move: Option<ConsoleMoveOffer>,
    /// Hashes of seat tokens whose seat moved to another device (the
    /// server's copy only): they no longer open the room.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub moved_seats: Vec<SecretHash>,
    /// Participants the facilitator removed for good (the facilitator's
    /// copy only): their names may not join again.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub blocked: Vec<ParticipantId>,
}

/// A seat code made for a participant, by its hash.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct SeatCodeIssue {
    pub participant: ParticipantId,
    pub code: SecretHash,
    /// It moves the seat until then.
    pub expires_ms: u64,
}

/// A console move link's code (its hash) and until when it works.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ConsoleMoveOffer {
    pub code: SecretHash,
    pub expires_ms: u64,
}

fn is_false(b: &bool) -> bool {
    !*b
}

impl Room {
    /// The first event of a new room.
    pub fn opening(code: RoomCode, title: &str, key: &Secret) -> Result<Event, Rejection> {
        Self::opening_with(code, title, key, Limits::default())
    }

    /// The first event of a new room with these limits, opened by the
    /// holder of the facilitator `key` (only its hashes are kept, and the
    /// hash of the room-view key derived from it).
    pub fn opening_with(
        code: RoomCode,
        title: &str,
        key: &Secret,
        limits: Limits,
    ) -> Result<Event, Rejection> {
        let title = crate::text::clean_line(title, "a room title", crate::text::MAX_TITLE_CHARS)?;
        Ok(Event::RoomOpened {
            code,
            title,
            facilitator: Some(key.hash()),
            room_view: Some(key.room_view_key().hash()),
            limits,
        })
    }

    /// Builds a room from its opening event.
    pub fn open(first: &Stamped) -> Result<Self, Rejection> {
        match &first.event {
            Event::RoomOpened {
                code,
                title,
                facilitator,
                room_view,
                limits,
            } if first.seq == 1 => Ok(Self {
                limits: *limits,
                code: code.clone(),
                title: title.clone(),
                facilitator: facilitator.clone(),
                room_view: room_view.clone(),
                room_view_generation: 0,
                participants: Vec::new(),
                seq: 1,
                ended: false,
                phase: Phase::Lobby,
                scenario_title: None,
                scenario: None,
                teams: vec![Team::new(TeamId(1), "Team 1".into())],
                role_mode: RoleMode::AutoBalance,
                roles_shared: false,
                vote_budget: DEFAULT_VOTE_BUDGET,
                adoption: AdoptionRule::default(),
                paused: false,
                join_shown: false,
                anonymous: false,
                timer: None,
                budget: 0.0,
                fired: Vec::new(),
                year_shown: 0,
                scores_shown: false,
                room_view_page: 0,
                coverage_shown: None,
                seat_codes: Vec::new(),
                console_move: None,
                moved_seats: Vec::new(),
                blocked: Vec::new(),
            }),
            Event::RoomOpened { .. } => Err(Rejection::OutOfOrder {
                expected: 1,
                got: first.seq,
            }),
            _ => Err(Rejection::NotAnOpening),
        }
    }

    /// Numbers `event` as the room's next one, stamped at `at_ms`, and folds
    /// it in: the one way a decided event joins the log, on the server and
    /// in a browser running a room on its own alike.
    pub fn commit(&mut self, event: Event, at_ms: u64) -> Result<Stamped, Rejection> {
        let stamped = Stamped {
            seq: self.seq + 1,
            at_ms,
            event,
        };
        self.apply(&stamped)?;
        Ok(stamped)
    }

    /// Folds a whole log into a room.
    pub fn replay<'a>(log: impl IntoIterator<Item = &'a Stamped>) -> Result<Self, Rejection> {
        let mut log = log.into_iter();
        let mut room = Self::open(log.next().ok_or(Rejection::NotAnOpening)?)?;
        for stamped in log {
            room.apply(stamped)?;
        }
        Ok(room)
    }

    pub fn participant(&self, id: ParticipantId) -> Option<&Participant> {
        self.participants.iter().find(|p| p.id == id)
    }

    /// A participant's name as this copy of the room holds it (masked
    /// while names are hidden), or the anonymous name of someone it does
    /// not know.
    pub fn name_of(&self, id: ParticipantId) -> String {
        self.participant(id)
            .map_or_else(|| anonymous_name(id), |p| p.name.clone())
    }

    /// The members of `team` who play `role`.
    pub fn players(team: &Team, role: &str) -> Vec<ParticipantId> {
        team.members
            .iter()
            .filter(|m| m.role.as_deref() == Some(role))
            .map(|m| m.id)
            .collect()
    }

    /// Participants who are still in the room.
    pub fn active_participants(&self) -> impl Iterator<Item = &Participant> {
        self.participants.iter().filter(|p| p.active)
    }

    pub fn team(&self, id: TeamId) -> Option<&Team> {
        self.teams.iter().find(|t| t.id == id)
    }

    /// The team a learner is in.
    pub fn team_of(&self, id: ParticipantId) -> Option<&Team> {
        self.teams.iter().find(|t| t.member(id).is_some())
    }

    /// The role a learner plays, if any.
    pub fn role_of(&self, id: ParticipantId) -> Option<&str> {
        self.team_of(id)
            .and_then(|t| t.member(id))
            .and_then(|m| m.role.as_deref())
    }

    /// Total cost of a team's adopted responses (avoid side costs included).
    pub fn adopted_cost(&self, team: &Team) -> f64 {
        team.responses
            .iter()
            .filter(|r| r.adopted && !r.withdrawn)
            .map(|r| self.response_cost(&r.origin))
            // A float sum of nothing is -0; nothing adopted costs 0.
            .fold(0.0, |total, cost| total + cost)
    }

    /// What a board response costs for the year.
    pub fn response_cost(&self, origin: &Origin) -> f64 {
        match origin {
            Origin::Catalogue { response } => self
                .scenario
                .as_ref()
                .and_then(|s| s.response(response))
                .map_or(0.0, crate::scenario::Response::total_cost),
            Origin::Custom { cost, .. } => *cost,
        }
    }

    /// Who a new connection is: its credential's holder, or (with none) a
    /// guest on `fresh_seat`. An ended room still admits everyone it
    /// admitted before (and guests, who may look), so every screen keeps
    /// the debrief; `allows` refuses every command there.
    pub fn admit(
        &self,
        credential: Option<&Credential>,
        fresh_seat: SecretHash,
    ) -> Result<Actor, Rejection> {
        match credential {
            Some(credential) => self.authenticate(credential),
            None => Ok(Actor::Guest { seat: fresh_seat }),
        }
    }

    /// Who a credential makes its holder, or why it does not.
    pub fn authenticate(&self, credential: &Credential) -> Result<Actor, Rejection> {
        match credential {
            Credential::Facilitator { key } => {
                if self.facilitator.as_ref() == Some(&key.hash()) {
                    Ok(Actor::Facilitator)
                } else {
                    Err(Rejection::WrongFacilitatorKey(self.code.clone()))
                }
            }
            Credential::RoomView { key } => {
                if self.room_view.as_ref() == Some(&key.hash()) {
                    Ok(Actor::RoomView)
                } else {
                    Err(Rejection::WrongRoomViewKey(self.code.clone()))
                }
            }
            Credential::Participant { token } => {
                if !token.is_well_formed() {
                    return Err(Rejection::BadSeatToken);
                }
                let hash = token.hash();
                if self.moved_seats.contains(&hash) {
                    return Err(Rejection::SeatMovedAway(self.code.clone()));
                }
                match self
                    .participants
                    .iter()
                    .find(|p| p.seat.as_ref() == Some(&hash))
                {
                    Some(p) if p.active => Ok(Actor::Participant(p.id)),
                    Some(p) if self.blocked.contains(&p.id) => {
                        Err(Rejection::SeatBlocked(self.code.clone()))
                    }
                    // A seat that left or was removed does not open again.
                    Some(_) => Err(Rejection::UnknownSeat(self.code.clone())),
                    // A seat not taken yet: its holder may join with it.
                    None => Ok(Actor::Guest { seat: hash }),
                }
            }
        }
    }

    /// Whether the current phase still takes learners' input at `now_ms`.
    pub fn input_open(&self, now_ms: u64) -> bool {
        match &self.timer {
            Some(t) if t.phase == self.phase && t.close_input => t.remaining_ms(now_ms) > 0,
            _ => true,
        }
    }
}
