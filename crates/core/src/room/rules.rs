//! Who may do what kind of thing, and when: [`Room::allows`]. `handle`
//! asks it first for every command, and every button of the app asks it
//! before it offers the command, so the two cannot drift. What depends on a
//! command's details (which card, which text) is decided in `handle`.
//! docs/permissions.md lists the same rules for people.

use super::{Actor, Command, Rejection, RoleMode, Room, Team};
use crate::scenario::Phase;

use Phase::{Assess, Briefing, Debrief, Identify, Lobby, PlayYear, Respond};

/// Most teams in one room.
pub const MAX_TEAMS: usize = 20;
/// Longest timer, in seconds (4 hours).
pub const MAX_TIMER_SECONDS: u32 = 4 * 60 * 60;
/// The fewest and most votes a learner can be given.
pub const VOTE_BUDGETS: std::ops::RangeInclusive<u32> = 1..=20;
/// The most a response may multiply a risk's probability or impact by.
pub const MAX_MULTIPLIER: f64 = 10.0;
/// A yearly rate of events is at most this.
pub const MAX_RATE: f64 = 365.0;
/// Peer ratings run from 1 to this.
pub const MAX_PEER_SCORE: u8 = 5;
/// Rubric levels run from 1 to this.
pub const MAX_RUBRIC_LEVEL: u8 = 4;
/// How long a seat code moves a seat: 15 minutes. A new code for the same
/// seat replaces the one before.
pub const SEAT_CODE_VALID_MS: u64 = 15 * 60 * 1000;
/// How long a console move link works: 15 minutes. A new link replaces
/// the one before.
pub const CONSOLE_MOVE_VALID_MS: u64 = 15 * 60 * 1000;
/// Wrong seat codes tried on one room within [`SEAT_CLAIM_WINDOW_MS`]
/// after which the room takes no seat code until the oldest of them is
/// that old: guessing a code (40 bits) stays hopeless.
pub const SEAT_CLAIM_TRIES: usize = 5;
/// The window wrong seat codes are counted in: 10 minutes.
pub const SEAT_CLAIM_WINDOW_MS: u64 = 10 * 60 * 1000;

const RAISING: &[Phase] = &[Identify, Assess];
/// A card leaves the board only before the team estimates it.
const WITHDRAWING: &[Phase] = &[Identify];
const ESTIMATING: &[Phase] = &[Assess];
const AGREEING: &[Phase] = &[Assess, Respond];
const RESPONDING: &[Phase] = &[Respond];
const ACCEPTING: &[Phase] = &[Respond, PlayYear, Debrief];
const DISCUSSING: &[Phase] = &[Identify, Assess, Respond, PlayYear, Debrief];
const INJECTING: &[Phase] = &[Briefing, Identify, Assess, Respond, PlayYear];
const MODERATING: &[Phase] = &[Identify, Assess, Respond, PlayYear, Debrief];
const DEBRIEFING: &[Phase] = &[Debrief];
/// While the board is still being built.
const NUDGING: &[Phase] = &[Identify, Assess];
const PLAYING: &[Phase] = &[PlayYear];
/// Roles and the scenario change only before the exercise is under way.
pub(super) const ROLES_OPEN: &[Phase] = &[Lobby, Briefing];
/// The phases in which the facilitator may still fix who plays what:
/// until the estimates begin.
pub(super) const ASSIGNING: &[Phase] = &[Lobby, Briefing, Identify];

/// The kind of a [`Command`], without its details: what [`Room::allows`]
/// answers about.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Action {
    Join,
    Rename,
    Leave,
    RemoveParticipant,
    HandOverSeat,
    ClaimSeat,
    OfferConsoleMove,
    TakeOverConsole,
    RenewConsoleKey,
    EndRoom,
    ChooseScenario,
    CreateTeam,
    RenameTeam,
    MoveToTeam,
    SetRoleMode,
    SetRoleSharing,
    AssignRole,
    PickRole,
    BalanceRoles,
    MarkRoleModel,
    SetAnonymity,
    AdvancePhase,
    GoBackPhase,
    StartTimer,
    PauseTimer,
    ResumeTimer,
    ExtendTimer,
    ClearTimer,
    FireInject,
    RenewRoomViewKey,
    RevealYear,
    RevealScores,
    NudgeRole,
    ShowCoverage,
    ShowRoomViewPage,
    RaiseRisk,
    EditRisk,
    WithdrawRisk,
    MergeCards,
    HideCard,
    LinkCard,
    SubmitEstimate,
    RevealEstimates,
    StartDiscussion,
    StartSecondRound,
    SetConsensus,
    ProposeResponse,
    ProposeCustomResponse,
    WithdrawResponse,
    AdoptResponse,
    AcceptCustomResponse,
    Vote,
    Unvote,
    SetVoteBudget,
    SetAdoptionRule,
    DecideResponse,
    PauseRoom,
    ShowJoinScreen,
    Comment,
    AddLesson,
    AddActionItem,
    RatePeer,
    RateRubric,
}

impl Command {
    /// Whether deciding this command needs a fresh secret from whoever
    /// holds the room (see [`Room::handle_issuing`]).
    pub fn issues_secret(&self) -> bool {
        matches!(
            self,
            Command::HandOverSeat { .. }
                | Command::OfferConsoleMove
                | Command::TakeOverConsole { .. }
                | Command::RenewConsoleKey
        )
    }

    pub fn action(&self) -> Action {
        match self {
            Command::Join { .. } => Action::Join,
            Command::Rename { .. } => Action::Rename,
            Command::Leave => Action::Leave,
            Command::RemoveParticipant { .. } => Action::RemoveParticipant,
            Command::HandOverSeat { .. } => Action::HandOverSeat,
            Command::ClaimSeat { .. } => Action::ClaimSeat,
            Command::OfferConsoleMove => Action::OfferConsoleMove,
            Command::TakeOverConsole { .. } => Action::TakeOverConsole,
            Command::RenewConsoleKey => Action::RenewConsoleKey,
            Command::EndRoom => Action::EndRoom,
            Command::ChooseScenario { .. } => Action::ChooseScenario,
            Command::CreateTeam { .. } => Action::CreateTeam,
            Command::RenameTeam { .. } => Action::RenameTeam,
            Command::MoveToTeam { .. } => Action::MoveToTeam,
            Command::SetRoleMode { .. } => Action::SetRoleMode,
            Command::SetRoleSharing { .. } => Action::SetRoleSharing,
            Command::AssignRole { .. } => Action::AssignRole,
            Command::PickRole { .. } => Action::PickRole,
            Command::BalanceRoles => Action::BalanceRoles,
            Command::MarkRoleModel { .. } => Action::MarkRoleModel,
            Command::SetAnonymity { .. } => Action::SetAnonymity,
            Command::AdvancePhase => Action::AdvancePhase,
            Command::GoBackPhase => Action::GoBackPhase,
            Command::StartTimer { .. } => Action::StartTimer,
            Command::PauseTimer => Action::PauseTimer,
            Command::ResumeTimer => Action::ResumeTimer,
            Command::ExtendTimer { .. } => Action::ExtendTimer,
            Command::ClearTimer => Action::ClearTimer,
            Command::FireInject { .. } => Action::FireInject,
            Command::RevealYear { .. } => Action::RevealYear,
            Command::RevealScores { .. } => Action::RevealScores,
            Command::NudgeRole { .. } => Action::NudgeRole,
            Command::ShowCoverage { .. } => Action::ShowCoverage,
            Command::ShowRoomViewPage { .. } => Action::ShowRoomViewPage,
            Command::RenewRoomViewKey { .. } => Action::RenewRoomViewKey,
            Command::RaiseRisk { .. } => Action::RaiseRisk,
            Command::EditRisk { .. } => Action::EditRisk,
            Command::WithdrawRisk { .. } => Action::WithdrawRisk,
            Command::MergeCards { .. } => Action::MergeCards,
            Command::HideCard { .. } => Action::HideCard,
            Command::LinkCard { .. } => Action::LinkCard,
            Command::SubmitEstimate { .. } => Action::SubmitEstimate,
            Command::RevealEstimates { .. } => Action::RevealEstimates,
            Command::StartDiscussion { .. } => Action::StartDiscussion,
            Command::StartSecondRound { .. } => Action::StartSecondRound,
            Command::SetConsensus { .. } => Action::SetConsensus,
            Command::ProposeResponse { .. } => Action::ProposeResponse,
            Command::ProposeCustomResponse { .. } => Action::ProposeCustomResponse,
            Command::WithdrawResponse { .. } => Action::WithdrawResponse,
            Command::AdoptResponse { .. } => Action::AdoptResponse,
            Command::AcceptCustomResponse { .. } => Action::AcceptCustomResponse,
            Command::Vote { .. } => Action::Vote,
            Command::Unvote { .. } => Action::Unvote,
            Command::SetVoteBudget { .. } => Action::SetVoteBudget,
            Command::SetAdoptionRule { .. } => Action::SetAdoptionRule,
            Command::PauseRoom { .. } => Action::PauseRoom,
            Command::ShowJoinScreen { .. } => Action::ShowJoinScreen,
            Command::DecideResponse { .. } => Action::DecideResponse,
            Command::Comment { .. } => Action::Comment,
            Command::AddLesson { .. } => Action::AddLesson,
            Command::AddActionItem { .. } => Action::AddActionItem,
            Command::RatePeer { .. } => Action::RatePeer,
            Command::RateRubric { .. } => Action::RateRubric,
        }
    }
}

/// Who may take an action.
enum Senders {
    /// Someone who has not joined yet (which seat they take is decided
    /// when they join).
    Guest,
    /// The facilitator, to do this.
    Facilitator(&'static str),
    /// The facilitator, or a participant still in the room (for themselves:
    /// `handle` checks whom it is about).
    FacilitatorOrJoined,
    /// A participant still in the room.
    Joined,
    /// A learner still in the room, to do this (a team is checked later).
    Learner(&'static str),
    /// A learner in a team, to do this.
    Member(&'static str),
}

/// When an action may be taken.
enum When {
    Always,
    /// In these phases; the label names the action in the refusal.
    In(&'static str, &'static [Phase]),
    /// While roles are open (the lobby and the briefing).
    RolesOpen,
    /// In the lobby, before the exercise starts.
    Lobby,
    /// Before the last phase.
    NotLast,
    /// After the first phase.
    NotFirst,
}

/// One action's rule: who, when, and whether a timer that closes input at
/// its end stops it.
struct Rule {
    who: Senders,
    when: When,
    closes_with_time: bool,
}

const fn rule(who: Senders, when: When, closes_with_time: bool) -> Rule {
    Rule {
        who,
        when,
        closes_with_time,
    }
}

fn rule_of(action: Action) -> Rule {
    use Senders::{Facilitator as F, Guest, Joined, Learner, Member};
    use When::{Always, In, RolesOpen};
    match action {
        Action::Join => rule(Guest, Always, false),
        Action::Rename | Action::Leave => rule(Joined, Always, false),
        Action::RemoveParticipant => rule(F("remove a participant"), Always, false),
        Action::HandOverSeat => rule(Senders::FacilitatorOrJoined, Always, false),
        Action::ClaimSeat => rule(Guest, Always, false),
        Action::OfferConsoleMove => rule(F("move the console"), Always, false),
        Action::TakeOverConsole => rule(Guest, Always, false),
        Action::RenewConsoleKey => rule(F("shut out other consoles"), Always, false),
        Action::EndRoom => rule(F("end the room"), Always, false),
        Action::ChooseScenario => rule(F("choose the scenario"), When::Lobby, false),
        Action::CreateTeam => rule(F("create teams"), Always, false),
        Action::RenameTeam => rule(F("rename teams"), Always, false),
        Action::MoveToTeam => rule(F("move learners between teams"), Always, false),
        Action::SetRoleMode => rule(F("choose how roles are given"), RolesOpen, false),
        Action::SetRoleSharing => rule(F("choose whether roles are shared"), RolesOpen, false),
        Action::AssignRole => rule(F("assign roles"), In("Assigning a role", ASSIGNING), false),
        Action::PickRole => rule(Learner("pick a role"), RolesOpen, false),
        Action::BalanceRoles => rule(F("deal out roles"), RolesOpen, false),
        Action::MarkRoleModel => rule(F("mark the role model"), Always, false),
        Action::SetAnonymity => rule(F("hide or show names"), Always, false),
        Action::AdvancePhase => rule(F("move the exercise on"), When::NotLast, false),
        Action::GoBackPhase => rule(F("move the exercise back"), When::NotFirst, false),
        Action::StartTimer => rule(F("start a timer"), Always, false),
        Action::PauseTimer => rule(F("pause the timer"), Always, false),
        Action::ResumeTimer => rule(F("resume the timer"), Always, false),
        Action::ExtendTimer => rule(F("extend the timer"), Always, false),
        Action::ClearTimer => rule(F("clear the timer"), Always, false),
        Action::FireInject => rule(
            F("fire an inject"),
            In("Firing an inject", INJECTING),
            false,
        ),
        Action::RenewRoomViewKey => rule(F("replace the room-view link"), Always, false),
        Action::RevealYear => rule(
            F("reveal the played year"),
            In("Revealing the year", PLAYING),
            false,
        ),
        Action::NudgeRole => rule(F("nudge a role"), In("Nudging a role", NUDGING), false),
        Action::ShowCoverage => rule(
            F("show the perspectives"),
            In("Showing the perspectives", NUDGING),
            false,
        ),
        Action::RevealScores => rule(
            F("reveal the scores"),
            In("Revealing the scores", DEBRIEFING),
            false,
        ),
        Action::ShowRoomViewPage => rule(F("turn the room view's page"), Always, false),
        Action::RaiseRisk => rule(Member("raise risks"), In("Raising a risk", RAISING), true),
        Action::EditRisk => rule(Member("edit risks"), In("Editing a risk", RAISING), true),
        Action::WithdrawRisk => rule(
            Member("withdraw risks"),
            In("Withdrawing a risk", WITHDRAWING),
            true,
        ),
        Action::MergeCards => rule(F("merge cards"), In("Merging cards", MODERATING), false),
        Action::HideCard => rule(F("hide cards"), In("Hiding a card", MODERATING), false),
        Action::LinkCard => rule(
            F("link cards to the scenario's risks"),
            In("Linking a card", MODERATING),
            false,
        ),
        Action::SubmitEstimate => {
            rule(Member("estimate risks"), In("Estimating", ESTIMATING), true)
        }
        Action::RevealEstimates => rule(
            F("reveal the estimates"),
            In("Revealing estimates", AGREEING),
            false,
        ),
        Action::StartDiscussion => rule(
            F("start the discussion"),
            In("The discussion round", ESTIMATING),
            false,
        ),
        Action::StartSecondRound => rule(
            F("start the second round"),
            In("The second round of estimates", ESTIMATING),
            false,
        ),
        Action::SetConsensus => rule(
            Member("agree on a value"),
            In("Agreeing on a value", AGREEING),
            true,
        ),
        Action::ProposeResponse | Action::ProposeCustomResponse => rule(
            Member("propose responses"),
            In("Proposing a response", RESPONDING),
            true,
        ),
        Action::WithdrawResponse => rule(
            Member("withdraw responses"),
            In("Withdrawing a response", RESPONDING),
            true,
        ),
        Action::AdoptResponse => rule(
            Member("adopt responses"),
            In("Adopting a response", RESPONDING),
            true,
        ),
        Action::AcceptCustomResponse => rule(
            F("accept a custom response"),
            In("Accepting a custom response", ACCEPTING),
            false,
        ),
        Action::Vote => rule(Member("vote"), In("Voting", RESPONDING), true),
        Action::Unvote => rule(Member("take back a vote"), In("Voting", RESPONDING), true),
        Action::SetVoteBudget => rule(F("set the vote budget"), Always, false),
        Action::PauseRoom => rule(F("pause the room"), Always, false),
        Action::ShowJoinScreen => rule(F("show how to join on the room view"), Always, false),
        Action::SetAdoptionRule => rule(F("choose who adopts responses"), Always, false),
        Action::DecideResponse => rule(
            F("adopt or drop a team's response"),
            In("Adopting a response", RESPONDING),
            false,
        ),
        Action::Comment => rule(Member("comment"), In("Commenting", DISCUSSING), false),
        Action::AddLesson => rule(
            Member("add lessons"),
            In("Adding a lesson", DEBRIEFING),
            false,
        ),
        Action::AddActionItem => rule(
            Member("add action items"),
            In("Adding an action item", DEBRIEFING),
            false,
        ),
        Action::RatePeer => rule(
            Member("rate teammates"),
            In("Rating teammates", DEBRIEFING),
            false,
        ),
        Action::RateRubric => rule(
            F("rate teams on the rubric"),
            In("Rating on the rubric", DEBRIEFING),
            false,
        ),
    }
}

impl Room {
    /// Whether `actor` may take `action` now (at `now_ms`), or why not:
    /// who they are, the phase, the timer, how roles are given. `handle`
    /// asks this first for every command; a page asks it before it offers
    /// a command.
    pub fn allows(&self, actor: &Actor, action: Action, now_ms: u64) -> Result<(), Rejection> {
        if self.ended {
            return Err(Rejection::RoomEnded);
        }
        if *actor == Actor::RoomView {
            return Err(Rejection::RoomViewCannotAct);
        }
        let rule = rule_of(action);
        match rule.who {
            Senders::Guest => match actor {
                Actor::Facilitator => return Err(Rejection::FacilitatorCannotJoin),
                Actor::Participant(_) => return Err(Rejection::AlreadyJoined),
                Actor::Guest { .. } | Actor::RoomView => {}
            },
            Senders::Facilitator(what) => {
                if *actor != Actor::Facilitator {
                    return Err(Rejection::FacilitatorOnly(what));
                }
            }
            Senders::FacilitatorOrJoined => {
                if *actor != Actor::Facilitator {
                    self.joined(actor)?;
                }
            }
            Senders::Joined => {
                self.joined(actor)?;
            }
            Senders::Learner(what) => {
                self.learner(actor, what)?;
            }
            Senders::Member(what) => {
                self.team_member(actor, what)?;
            }
        }
        if action == Action::PickRole {
            match self.role_mode {
                RoleMode::SelfSelect => {}
                RoleMode::Assign => {
                    return Err(Rejection::NotSelfSelect("assigned by the facilitator"));
                }
                RoleMode::AutoBalance => {
                    return Err(Rejection::NotSelfSelect("dealt out automatically"));
                }
            }
        }
        match rule.when {
            When::Always => {}
            When::In(label, phases) => {
                if !phases.contains(&self.phase) {
                    return Err(Rejection::WrongPhase {
                        action: label,
                        expected: phases,
                        now: self.phase,
                    });
                }
            }
            When::RolesOpen => {
                if !ROLES_OPEN.contains(&self.phase) {
                    return Err(Rejection::RolesLocked);
                }
            }
            When::Lobby => {
                if self.phase != Lobby {
                    return Err(Rejection::ScenarioLocked);
                }
            }
            When::NotLast => {
                self.phase.next().ok_or(Rejection::LastPhase)?;
            }
            When::NotFirst => {
                self.phase.previous().ok_or(Rejection::FirstPhase)?;
            }
        }
        // Learners' input stops while the room is paused, and when a timer
        // that closes input has run out.
        if rule.closes_with_time && self.paused {
            return Err(Rejection::Paused);
        }
        if rule.closes_with_time && !self.input_open(now_ms) {
            return Err(Rejection::TimeUp);
        }
        Ok(())
    }

    /// [`Room::allows`] as a yes or no, for a page deciding what to offer.
    pub fn may(&self, actor: &Actor, action: Action, now_ms: u64) -> bool {
        self.allows(actor, action, now_ms).is_ok()
    }

    /// Whether the facilitator may fire injects in this phase.
    pub fn injects_open(&self) -> bool {
        self.may(&Actor::Facilitator, Action::FireInject, 0)
    }

    /// The injects the scenario plans for this phase or an earlier one that
    /// have not fired yet: the console marks them due.
    pub fn injects_due(&self) -> Vec<&crate::scenario::Inject> {
        self.scenario.as_deref().map_or_else(Vec::new, |s| {
            s.injects
                .iter()
                .filter(|i| i.at_phase.is_some_and(|p| p <= self.phase))
                .filter(|i| !self.fired.contains(&i.id))
                .collect()
        })
    }

    /// Whether `actor` sees the debrief's scores now: the facilitator
    /// first, everyone else once the facilitator reveals them.
    pub fn scores_seen_by(&self, actor: &Actor) -> bool {
        matches!(actor, Actor::Facilitator) || self.scores_shown
    }

    /// Whether the room view shows how to join: before the exercise is
    /// under way, or when the facilitator brings it back.
    pub fn join_screen_shown(&self) -> bool {
        self.phase <= crate::scenario::Phase::Briefing || self.join_shown
    }

    /// The team's members who have not yet estimated every card on its
    /// board, in the team's order (the room view counts them; the console
    /// names them).
    pub fn yet_to_estimate(&self, team: &Team) -> Vec<crate::ids::ParticipantId> {
        let cards: Vec<_> = team
            .cards
            .iter()
            .filter(|c| c.live())
            .map(|c| c.id)
            .collect();
        team.members
            .iter()
            .map(|m| m.id)
            .filter(|&id| {
                !cards.iter().all(|&card| {
                    team.estimates
                        .iter()
                        .any(|e| e.card == card && e.author == id)
                })
            })
            .collect()
    }

    /// Whether the team's learners may give private estimates now: in
    /// Assess, until the facilitator reveals them.
    pub fn estimates_open(&self, team: &Team) -> bool {
        ESTIMATING.contains(&self.phase) && !team.revealed
    }

    /// Whether the team may agree its values now: once its estimates are
    /// revealed, while agreeing is open.
    pub fn consensus_open(&self, team: &Team) -> bool {
        AGREEING.contains(&self.phase) && team.revealed
    }

    /// What is left of the budget for a team's responses.
    pub fn budget_left(&self, team: &Team) -> f64 {
        self.budget - self.adopted_cost(team)
    }

    /// Whether adopting a response of this cost keeps the team within its
    /// budget.
    pub fn fits_budget(&self, team: &Team, cost: f64) -> bool {
        cost <= self.budget_left(team) + 1e-9
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The exercise's opening, which the lobby app draws, is the phases in
    /// which roles are still open.
    #[test]
    fn the_opening_is_while_roles_are_open() {
        for phase in Phase::ALL {
            assert_eq!(phase.is_opening(), ROLES_OPEN.contains(&phase), "{phase:?}");
        }
        assert!(Lobby.is_opening() && Briefing.is_opening() && !Identify.is_opening());
    }
}
