//! What actors ask a room to do. Verb-noun names; who may send each, and in
//! which phase, is decided by `Room::allows` (`rules.rs`) and listed in docs/permissions.md.

use serde::{Deserialize, Serialize};

use super::{BoardResponseId, CardId, TeamId};
use crate::ids::ParticipantId;
use crate::scenario::{Effect, ResponseKind};

/// Who decides that a response on a team's board is part of its strategy
/// (the facilitator always may, from the console).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum AdoptionRule {
    /// The team's vote: a member adopts a response at least half the team
    /// voted for, and drops one only once it has fewer votes than that.
    #[default]
    TeamVote,
    /// Any member of the team.
    AnyMember,
    /// The team's role model confirms.
    RoleModel,
    /// Only the facilitator.
    Facilitator,
}

impl AdoptionRule {
    pub const ALL: [AdoptionRule; 4] = [
        AdoptionRule::TeamVote,
        AdoptionRule::AnyMember,
        AdoptionRule::RoleModel,
        AdoptionRule::Facilitator,
    ];

    /// The rule in words, as the room view and the console say it.
    pub fn describe(self) -> &'static str {
        match self {
            AdoptionRule::TeamVote => "the team's vote: at least half the team",
            AdoptionRule::AnyMember => "any member of the team",
            AdoptionRule::RoleModel => "the team's role model",
            AdoptionRule::Facilitator => "the facilitator",
        }
    }
}

/// How learners get their roles.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum RoleMode {
    /// The facilitator assigns every role.
    Assign,
    /// Each joiner gets the role its team has least of.
    AutoBalance,
    /// Learners pick their own role.
    SelfSelect,
}

/// What a comment is about.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize)]
#[serde(tag = "on", content = "id", rename_all = "snake_case")]
pub enum Target {
    Card(CardId),
    Response(BoardResponseId),
}

/// Read as one object of its two fields, in either order and with nothing
/// buffered (`crate::tagged`).
impl<'de> Deserialize<'de> for Target {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        #[derive(Deserialize)]
        #[serde(rename_all = "snake_case")]
        enum On {
            Card,
            Response,
        }
        #[derive(Deserialize)]
        struct Fields {
            on: On,
            id: u32,
        }
        let f = Fields::deserialize(deserializer)?;
        Ok(match f.on {
            On::Card => Target::Card(CardId(f.id)),
            On::Response => Target::Response(BoardResponseId(f.id)),
        })
    }
}

/// A custom response's effect on one card: multipliers of its probability
/// and impact, as the team believes them.
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CustomEffect {
    pub card: CardId,
    #[serde(default = "one")]
    pub probability: f64,
    #[serde(default = "one")]
    pub impact: f64,
}

fn one() -> f64 {
    1.0
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(remote = "Self", rename_all = "snake_case", deny_unknown_fields)]
pub enum Command {
    // People.
    /// A guest takes a seat under a display name.
    Join {
        name: String,
    },
    /// A participant changes their own display name.
    Rename {
        name: String,
    },
    /// A participant leaves; their seat token stops working.
    Leave,
    /// The facilitator removes a participant; with `cards`, the cards they
    /// raised are hidden from the board too; with `block`, their name may
    /// not join this room again.
    RemoveParticipant {
        id: ParticipantId,
        #[serde(default)]
        cards: bool,
        #[serde(default)]
        block: bool,
    },
    /// Makes a seat code for participant `id` (the facilitator, or the
    /// participant for their own seat): typed on another device, it moves
    /// the seat there. The plain code reaches only the sender, in
    /// `ServerMessage::SeatCode`.
    HandOverSeat {
        id: ParticipantId,
    },
    /// A page that has not joined takes the seat a seat code was made for,
    /// with everything of it: role, brief, estimates, votes.
    ClaimSeat {
        code: String,
    },
    /// The facilitator makes a one-time link that moves the console to
    /// another device (valid for `CONSOLE_MOVE_VALID_MS`; a new one
    /// replaces it). The plain move code reaches only the sender, in
    /// `ServerMessage::ConsoleMoveOffered`.
    OfferConsoleMove,
    /// A page that holds no key takes the console over with a move code:
    /// it is issued a new facilitator key, and every other console is shut
    /// out.
    TakeOverConsole {
        code: String,
    },
    /// The facilitator's console is issued a new key, and every other
    /// console (and any move link not used yet) is shut out.
    RenewConsoleKey,
    /// The facilitator ends the room; nothing more can change.
    EndRoom,
    /// The facilitator picks the scenario (a whole TOML file; `file` names it
    /// in messages). Checked by the same rules as `check-scenario`.
    ChooseScenario {
        file: String,
        text: String,
    },

    // Teams and roles.
    CreateTeam {
        name: String,
    },
    RenameTeam {
        team: TeamId,
        name: String,
    },
    MoveToTeam {
        participant: ParticipantId,
        team: TeamId,
    },
    SetRoleMode {
        mode: RoleMode,
    },
    /// Whether teammates may play the same role (when learners pick); off,
    /// a role one member of a team plays is taken for the others.
    SetRoleSharing {
        shared: bool,
    },
    /// The facilitator gives a learner a role (`None` takes it away).
    AssignRole {
        participant: ParticipantId,
        role: Option<String>,
    },
    /// A learner picks their role (self-select mode).
    PickRole {
        role: String,
    },
    /// The facilitator deals roles to everyone without one, evenly.
    BalanceRoles,
    /// The facilitator marks a team's role model (or, with `None`, unmarks
    /// it): at most one a team, a member of that team.
    MarkRoleModel {
        team: TeamId,
        participant: Option<ParticipantId>,
    },
    SetAnonymity {
        anonymous: bool,
    },

    // Phases and timers.
    AdvancePhase,
    /// Undoes an accidental advance.
    GoBackPhase,
    StartTimer {
        seconds: u32,
        close_input: bool,
    },
    PauseTimer,
    ResumeTimer,
    ExtendTimer {
        seconds: u32,
    },
    ClearTimer,
    FireInject {
        inject: String,
    },
    /// The facilitator replaces the room-view link: the hash of the key of
    /// the next generation (derived by the console from its facilitator
    /// key); every room view on the old link is shut out.
    RenewRoomViewKey {
        room_view: crate::ids::SecretHash,
    },
    /// The facilitator reveals the played year to the whole room, up to
    /// this many events (0 starts it again): every screen shows the same.
    RevealYear {
        shown: u32,
    },
    /// The facilitator reveals the debrief's scores to the room (or hides
    /// them again): learners and the room view see them together.
    RevealScores {
        shown: bool,
    },
    /// The facilitator nudges the players of `role` in `team` to bring in
    /// the facts of their brief that are not on the board yet.
    NudgeRole {
        team: super::TeamId,
        role: String,
    },
    /// The facilitator puts each team's perspectives up on the room view
    /// (how many of each role's facts reached the board, never the facts),
    /// as they stand now; or takes them down.
    ShowCoverage {
        shown: bool,
    },
    /// The facilitator turns the room view to this page of the phase's
    /// lists (counted from 0; see `Room::screen`).
    ShowRoomViewPage {
        page: u32,
    },

    // The board.
    /// Raises a risk card; `clue` is the index of a clue in the author's brief.
    RaiseRisk {
        title: String,
        #[serde(default)]
        description: String,
        #[serde(default)]
        clue: Option<usize>,
    },
    /// The author changes their card's words.
    EditRisk {
        card: CardId,
        title: String,
        description: String,
    },
    /// The author takes their card off the board, for everyone.
    WithdrawRisk {
        card: CardId,
    },
    /// The facilitator merges a duplicate into another card.
    MergeCards {
        team: TeamId,
        card: CardId,
        into: CardId,
    },
    /// The facilitator hides (or shows again) a card.
    HideCard {
        team: TeamId,
        card: CardId,
        hidden: bool,
    },
    /// The facilitator links a card to a truth-model risk (or unlinks it).
    LinkCard {
        team: TeamId,
        card: CardId,
        risk: Option<String>,
    },
    /// A learner's private estimate of a card.
    SubmitEstimate {
        card: CardId,
        estimate: super::Estimate,
    },
    /// The facilitator shows a team everyone's estimates at once.
    RevealEstimates {
        team: TeamId,
    },
    /// After the first reveal the facilitator opens the discussion: every
    /// screen of the team, and the room view, names the pair furthest
    /// apart on each risk.
    StartDiscussion {
        team: TeamId,
    },
    /// After the first reveal and the talk, the facilitator asks a team
    /// to estimate again in private: the first round is kept, and the
    /// second is revealed together like the first.
    StartSecondRound {
        team: TeamId,
    },
    /// The value the team agreed on.
    SetConsensus {
        card: CardId,
        estimate: super::Estimate,
    },
    /// Puts a catalogue response on the board.
    ProposeResponse {
        response: String,
    },
    ProposeCustomResponse {
        title: String,
        kind: ResponseKind,
        cost: f64,
        effects: Vec<CustomEffect>,
    },
    WithdrawResponse {
        response: BoardResponseId,
    },
    /// Makes a board response part of the strategy (or not), within budget.
    AdoptResponse {
        response: BoardResponseId,
        adopted: bool,
    },
    /// The facilitator accepts a custom response's effect on the truth
    /// model, adjusted as they see fit.
    AcceptCustomResponse {
        team: TeamId,
        response: BoardResponseId,
        effects: Vec<Effect>,
    },
    Vote {
        response: BoardResponseId,
    },
    Unvote {
        response: BoardResponseId,
    },
    SetVoteBudget {
        votes: u32,
    },
    /// The facilitator brings the join screen (code, link, QR code) back to
    /// the room view in any phase, for late joiners, or hides it again.
    ShowJoinScreen {
        shown: bool,
    },
    /// The facilitator pauses the room (every learner's input stops, with
    /// the reason on their screen) or lets it carry on.
    PauseRoom {
        paused: bool,
    },
    /// The facilitator sets who decides what goes into a team's strategy.
    SetAdoptionRule {
        rule: AdoptionRule,
    },
    /// The facilitator adopts or drops a team's response from the console,
    /// whatever the room's adoption rule (within the budget).
    DecideResponse {
        team: TeamId,
        response: BoardResponseId,
        adopted: bool,
    },
    Comment {
        on: Target,
        text: String,
    },

    // Debrief.
    AddLesson {
        text: String,
    },
    AddActionItem {
        text: String,
        owner: String,
    },
    /// A learner rates a teammate from 1 to 5.
    RatePeer {
        peer: ParticipantId,
        score: u8,
    },
    /// The facilitator rates a team on a rubric dimension from 1 to 4.
    RateRubric {
        team: TeamId,
        dimension: String,
        level: u8,
    },
}

crate::tagged_serde!(Command, "type");
