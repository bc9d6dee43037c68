//! What happened to a room, in past tense; folded by `Room::apply`.

use serde::{Deserialize, Serialize};

use super::{BoardResponseId, CardId, Estimate, Origin, PrivateEstimate, RoleMode, Target, TeamId};
use crate::ids::{ParticipantId, RoomCode, SecretHash};
use crate::scenario::{Effect, Inject, Phase, Playbook, Response, Scenario};

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(remote = "Self", rename_all = "snake_case")]
pub enum Event {
    RoomOpened {
        code: RoomCode,
        title: String,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        facilitator: Option<SecretHash>,
        /// Hash of the room-view key (see [`crate::Secret::room_view_key`]).
        #[serde(default, skip_serializing_if = "Option::is_none")]
        room_view: Option<SecretHash>,
        /// The room's size limits, fixed when it opens.
        #[serde(default)]
        limits: super::Limits,
    },
    ParticipantJoined {
        id: ParticipantId,
        name: String,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        seat: Option<SecretHash>,
        /// The team they were placed in.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        team: Option<TeamId>,
    },
    ParticipantRenamed {
        id: ParticipantId,
        name: String,
    },
    ParticipantLeft {
        id: ParticipantId,
    },
    ParticipantRemoved {
        id: ParticipantId,
        /// Their name may not join this room again (the facilitator's copy
        /// only).
        #[serde(default, skip_serializing_if = "is_false")]
        block: bool,
    },
    /// A seat code was made for a participant: its hash (never sent to
    /// anyone) and until when it moves the seat.
    SeatCodeIssued {
        participant: ParticipantId,
        code: SecretHash,
        expires_ms: u64,
    },
    /// A console move link was made: its code's hash (never sent to
    /// anyone) and until when it works.
    ConsoleMoveOffered {
        code: SecretHash,
        expires_ms: u64,
    },
    /// The console has a new facilitator key (moved to another device, or
    /// every other console shut out): its hash, the server's copy only.
    /// The key before it stops working, and so does any move link.
    ConsoleKeyRenewed {
        #[serde(default, skip_serializing_if = "Option::is_none")]
        facilitator: Option<SecretHash>,
    },
    /// The facilitator nudged the players of `role` in `team` to bring in
    /// their brief's facts.
    RoleNudged {
        team: TeamId,
        role: String,
    },
    /// The perspectives' counts as the room view shows them (None: taken
    /// down).
    CoverageShown {
        #[serde(default, skip_serializing_if = "Option::is_none")]
        coverage: Option<Vec<super::TeamCoverage>>,
    },
    /// A participant's seat moved to another device: the hash of the new
    /// seat token (the server's copy only); the old token stops working.
    SeatMoved {
        participant: ParticipantId,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        seat: Option<SecretHash>,
    },
    RoomEnded,
    ScenarioChosen {
        title: String,
        /// Whole for the facilitator; what a learner may see for learners.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        scenario: Option<Box<Scenario>>,
    },
    TeamCreated {
        team: TeamId,
        name: String,
    },
    TeamRenamed {
        team: TeamId,
        name: String,
    },
    MovedToTeam {
        participant: ParticipantId,
        team: TeamId,
    },
    RoleModeSet {
        mode: RoleMode,
    },
    RoleSharingSet {
        shared: bool,
    },
    RoleAssigned {
        participant: ParticipantId,
        role: Option<String>,
    },
    /// A team's role model marked (or, with `None`, unmarked). Logs written
    /// before role models were per team have no `team`: the one marked was
    /// the room's only role model.
    RoleModelMarked {
        participant: Option<ParticipantId>,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        team: Option<TeamId>,
    },
    AnonymitySet {
        anonymous: bool,
    },
    PhaseChanged {
        phase: Phase,
        /// On reaching the debrief, learners receive the expert playbook.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        playbook: Option<Playbook>,
    },
    TimerStarted {
        seconds: u32,
        close_input: bool,
    },
    TimerPaused,
    TimerResumed,
    TimerExtended {
        seconds: u32,
    },
    TimerCleared,
    InjectFired {
        inject: String,
        /// The inject itself, for learners (whose scenario lacks unfired ones).
        #[serde(default, skip_serializing_if = "Option::is_none")]
        text: Option<Inject>,
    },
    /// The room-view link was replaced: the new key's hash (the server's
    /// copy only); the generation counts up.
    RoomViewKeyRenewed {
        #[serde(default, skip_serializing_if = "Option::is_none")]
        room_view: Option<SecretHash>,
    },
    /// The played year is revealed to the room up to this many events.
    YearRevealed {
        shown: u32,
    },
    /// The debrief's scores are revealed to the room, or hidden again.
    ScoresRevealed {
        shown: bool,
    },
    /// The room view turned to this page.
    RoomViewPageShown {
        page: u32,
    },
    RiskRaised {
        team: TeamId,
        card: CardId,
        author: ParticipantId,
        title: String,
        description: String,
        risk: Option<String>,
        from_clue: bool,
    },
    RiskEdited {
        team: TeamId,
        card: CardId,
        title: String,
        description: String,
    },
    /// The author took the card off the board: its words are gone, cards
    /// merged into it go where it went (back on the board when it was
    /// not merged itself), and the estimates of it are dropped.
    RiskWithdrawn {
        team: TeamId,
        card: CardId,
    },
    CardsMerged {
        team: TeamId,
        card: CardId,
        into: CardId,
    },
    CardHidden {
        team: TeamId,
        card: CardId,
        hidden: bool,
    },
    CardLinked {
        team: TeamId,
        card: CardId,
        risk: Option<String>,
    },
    EstimateSubmitted {
        team: TeamId,
        card: CardId,
        author: ParticipantId,
        /// None in what other learners receive before the reveal.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        estimate: Option<Estimate>,
    },
    EstimatesRevealed {
        team: TeamId,
        /// Every estimate of the team, for learners who could not see them.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        estimates: Option<Vec<PrivateEstimate>>,
    },
    DiscussionStarted {
        team: TeamId,
    },
    SecondRoundStarted {
        team: TeamId,
    },
    ConsensusSet {
        team: TeamId,
        card: CardId,
        estimate: Estimate,
    },
    ResponseProposed {
        team: TeamId,
        response: BoardResponseId,
        proposer: ParticipantId,
        origin: Origin,
        /// The catalogue entry, for learners whose role did not know it.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        catalogue: Option<Response>,
    },
    ResponseWithdrawn {
        team: TeamId,
        response: BoardResponseId,
    },
    ResponseAdopted {
        team: TeamId,
        response: BoardResponseId,
        adopted: bool,
    },
    CustomResponseAccepted {
        team: TeamId,
        response: BoardResponseId,
        effects: Vec<Effect>,
    },
    Voted {
        team: TeamId,
        voter: ParticipantId,
        response: BoardResponseId,
    },
    Unvoted {
        team: TeamId,
        voter: ParticipantId,
        response: BoardResponseId,
    },
    VoteBudgetSet {
        votes: u32,
    },
    JoinScreenShown {
        shown: bool,
    },
    RoomPaused {
        paused: bool,
    },
    AdoptionRuleSet {
        rule: super::AdoptionRule,
    },
    Commented {
        team: TeamId,
        author: Option<ParticipantId>,
        on: Target,
        text: String,
    },
    LessonAdded {
        team: TeamId,
        author: Option<ParticipantId>,
        text: String,
    },
    ActionItemAdded {
        team: TeamId,
        author: Option<ParticipantId>,
        text: String,
        owner: String,
    },
    PeerRated {
        team: TeamId,
        from: ParticipantId,
        to: ParticipantId,
        score: u8,
    },
    /// What those who may not see a peer rating receive instead: someone in
    /// the team rated a teammate (so every device knows peer ratings count
    /// in the team's combined scores).
    TeammateRated {
        team: TeamId,
    },
    RubricRated {
        team: TeamId,
        dimension: String,
        level: u8,
    },
    /// Stands in for an event this actor may not see, keeping the sequence.
    Withheld,
}

crate::tagged_serde!(Event, "type");

fn is_false(b: &bool) -> bool {
    !*b
}

/// An event with its place in the room's log and the server time it was accepted.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Stamped {
    pub seq: u64,
    /// Milliseconds since the Unix epoch.
    pub at_ms: u64,
    pub event: Event,
}
