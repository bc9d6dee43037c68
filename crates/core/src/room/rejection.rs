//! Why a command was refused, in words a facilitator or learner understands.

use crate::ids::{ParticipantId, RoomCode, SeatCodeError};
use crate::scenario::{Phase, ScenarioErrors};
use crate::text::TextError;

use super::{BoardResponseId, CardId, TeamId};

#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum Rejection {
    #[error(transparent)]
    Text(#[from] TextError),
    #[error("Someone in this room is already called “{0}”. Add an initial or a surname.")]
    NameTaken(String),
    #[error("You have already joined this room.")]
    AlreadyJoined,
    #[error("Join the room first.")]
    NotJoined,
    #[error("The facilitator runs the room and does not join it as a learner.")]
    FacilitatorCannotJoin,
    #[error("Only the facilitator can {0}.")]
    FacilitatorOnly(&'static str),
    #[error("Only learners can {0}.")]
    LearnersOnly(&'static str),
    #[error("There is no participant {0} in this room.")]
    UnknownParticipant(ParticipantId),
    #[error("This room has ended; nothing more can change.")]
    RoomEnded,
    #[error(
        "This facilitator key does not open room {0}: if the console moved to another device, run the room there, or make a move link there to bring it back here."
    )]
    WrongFacilitatorKey(RoomCode),
    #[error(
        "This room-view link does not open room {0}: open the room view again from the console."
    )]
    WrongRoomViewKey(RoomCode),
    #[error("The room view shows the room and changes nothing in it.")]
    RoomViewCannotAct,
    #[error("This seat in room {0} is no longer valid: join again with your name.")]
    UnknownSeat(RoomCode),
    #[error(
        "This seat token was not made by Riskroom (it must be 128 random bits, as 32 hex digits): reload the page to get one."
    )]
    BadSeatToken,
    #[error(
        "Your seat in room {0} moved to another device. Carry on there, or ask the facilitator for a seat code to bring it back here."
    )]
    SeatMovedAway(RoomCode),
    #[error("The facilitator removed you from room {0}, and you cannot join it again.")]
    SeatBlocked(RoomCode),
    #[error("The facilitator has removed “{0}” from this room.")]
    NameBlocked(String),
    #[error("You can hand over only your own seat; the facilitator can hand over anyone's.")]
    NotYourSeat,
    #[error(
        "Seat codes and console links are made where the room is held (the server, or the browser window running the room)."
    )]
    NotIssued,
    #[error(
        "This console link was used, replaced or has expired: make a new one on the console you are moving from."
    )]
    WrongConsoleMoveCode,
    #[error("This page already runs the console.")]
    AlreadyConsole,
    #[error(transparent)]
    BadSeatCode(#[from] SeatCodeError),
    #[error("That seat code is not right or has expired. Ask the facilitator for a new one.")]
    WrongSeatCode,
    #[error(
        "Too many wrong seat codes were tried in this room. Try again in {} or ask the facilitator for help.", crate::text::count(*.0 as usize, "minute", "minutes")
    )]
    SeatClaimsPaused(u64),
    #[error("The scenario file has problems:\n{0}")]
    Scenario(ScenarioErrors),
    #[error("The scenario can only be changed in the lobby, before the exercise starts.")]
    ScenarioLocked,
    #[error("Choose a scenario before starting the exercise.")]
    NoScenario,
    #[error("There is no team {0} in this room.")]
    UnknownTeam(TeamId),
    #[error("You are not in a team yet: ask the facilitator to put you in one.")]
    NoTeam,
    #[error("The scenario has no role “{0}”.")]
    UnknownRole(String),
    #[error("This scenario runs no discussion round.")]
    NoDiscussionRound,
    #[error("{0} is already in its second round of estimates.")]
    SecondRoundStarted(String),
    #[error("Reveal {0}'s first estimates before the second round: the talk comes between them.")]
    RevealFirst(String),
    #[error("Nobody in {0} plays that role.")]
    RoleNotPlayed(String),
    #[error("Roles are {0}; you cannot pick your own.")]
    NotSelfSelect(&'static str),
    #[error("Roles can only change before the identify phase.")]
    RolesLocked,
    #[error("{action} happens in the {expected} phase; the room is in the {now} phase.", expected = phases(.expected), now = .now.name())]
    WrongPhase {
        action: &'static str,
        expected: &'static [Phase],
        now: Phase,
    },
    #[error(
        "“{title}” needs the votes of at least {needed} of the team to be adopted; it has {votes}."
    )]
    NeedsVotes {
        title: String,
        votes: usize,
        needed: usize,
    },
    #[error(
        "“{title}” still has the votes of {votes} of the team: take votes back before dropping it."
    )]
    StillVoted { title: String, votes: usize },
    #[error("In this room {0} adopts and drops responses.")]
    AdoptionIsFor(&'static str),
    #[error("The facilitator has paused the room: wait for them to carry on.")]
    Paused,
    #[error("That is not the hash of a room-view key.")]
    BadRoomViewKey,
    #[error("The played year has {0} events: there is no further one to reveal.")]
    NoSuchYearEvent(usize),
    #[error("The room view has {0} pages in this phase.")]
    NoSuchRoomViewPage(u32),
    #[error("The exercise is already at its last phase.")]
    LastPhase,
    #[error("The exercise is at its first phase.")]
    FirstPhase,
    #[error("Time is up for this phase: the facilitator can extend the timer.")]
    TimeUp,
    #[error("There is no timer running for this phase.")]
    NoTimer,
    #[error("A timer runs from 1 second to 4 hours; {0} seconds is outside that.")]
    BadDuration(u32),
    #[error("The scenario has no inject “{0}”.")]
    UnknownInject(String),
    #[error("The inject “{0}” has already been fired.")]
    AlreadyFired(String),
    #[error("There is no {0} on your team's board.")]
    UnknownCard(CardId),
    #[error("There is no {0} on that team's board.")]
    UnknownResponse(BoardResponseId),
    #[error("Your brief has no clue number {0}.")]
    UnknownClue(usize),
    #[error("The scenario has no risk “{0}”.")]
    UnknownRisk(String),
    #[error("The scenario's catalogue has no response “{0}”.")]
    UnknownCatalogueResponse(String),
    #[error("Only the author of a card can edit it.")]
    NotAuthor,
    #[error("{by} already plays {role} in your team: pick another role.")]
    RoleTaken { role: String, by: String },
    #[error("A team's role model is one of its members, and this learner is not in {0}.")]
    RoleModelNotInTeam(String),
    #[error("Only the author of a card can withdraw it; the facilitator can hide it instead.")]
    NotAuthorWithdraw,
    #[error(
        "Only whoever proposed a response can withdraw it; the team can drop it from the strategy instead."
    )]
    NotProposer,
    #[error("A card cannot be merged into itself or into a card that is gone.")]
    BadMerge,
    #[error("{0}")]
    BadEstimate(String),
    #[error(
        "The facilitator has not revealed the estimates yet; agree on a value after the reveal."
    )]
    NotRevealed,
    #[error(
        "The estimates are revealed, so private estimates are closed: agree the team's value instead."
    )]
    AlreadyRevealed,
    #[error("That response is already on the board.")]
    AlreadyProposed,
    #[error("That response has been withdrawn.")]
    Withdrawn,
    #[error("Adopting it would cost {cost}, over the budget of {budget} ({left} left).")]
    OverBudget {
        cost: String,
        budget: String,
        left: String,
    },
    #[error("A cost must be a number of at least 0.")]
    BadCost,
    /// An amount above [`crate::scenario::MAX_AMOUNT`], or one a sum would
    /// carry past it: the words name it.
    #[error("{0} must be at most {max}.", max = crate::scenario::group_thousands(crate::scenario::MAX_AMOUNT))]
    TooLarge(&'static str),
    #[error("{0}")]
    BadEffect(String),
    #[error("Only a custom response needs the facilitator's acceptance.")]
    NotCustom,
    #[error("You have used all {0} of your votes; take one back to vote again.")]
    NoVotesLeft(u32),
    #[error("You have already voted for this response.")]
    AlreadyVoted,
    #[error("You have not voted for this response.")]
    NotVoted,
    #[error("A peer rating is a whole number from 1 to 5.")]
    BadScore,
    #[error("You can only rate your own teammates, and not yourself.")]
    NotATeammate,
    #[error("A rubric level is a whole number from 1 to 4.")]
    BadLevel,
    #[error("The rubric has no dimension “{0}”.")]
    UnknownDimension(String),
    #[error("A vote budget is between 1 and 20 votes.")]
    BadVoteBudget,
    #[error("This room is full: it takes at most {0} people.")]
    RoomFull(u32),
    #[error(
        "{0} people have joined this room over its life, the most one room keeps. Ask the facilitator to open a new room."
    )]
    TooManyJoins(usize),
    #[error("Your team's board is full: at most {0} allowed ({1}).")]
    BoardFull(u32, &'static str),
    #[error("A room can have at most {0} teams.")]
    TooManyTeams(usize),
    #[error("A room's history must start with its opening.")]
    NotAnOpening,
    #[error("Event {got} arrived where event {expected} was due.")]
    OutOfOrder { expected: u64, got: u64 },
}

fn phases(list: &[Phase]) -> String {
    let names: Vec<&str> = list.iter().map(|p| p.name()).collect();
    match names.as_slice() {
        [] => String::new(),
        [one] => (*one).to_owned(),
        [init @ .., last] => format!("{} or {last}", init.join(", ")),
    }
}
