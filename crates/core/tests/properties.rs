//! Properties of the engine over random command streams from random actors,
//! run through the `Session` the server and a browser-held room both use:
//! nothing panics; a refusal (and a decision whose write failed) changes
//! nothing; the room view changes nothing and holds nothing private;
//! invariants hold (unique ids, one team and one role per learner, vote
//! budgets, hidden estimates); the live state equals the replay of its log;
//! and every connection that folds exactly the mail it is sent holds
//! `Room::view_for` of the actor the session says it is.
//!
//! Case counts: 256 per property by default; set PROPTEST_CASES for longer
//! runs (`PROPTEST_CASES=20000 cargo test -p riskroom-core --test properties`).

mod common;

use std::collections::HashSet;

use common::*;
use proptest::prelude::*;
use riskroom_core::protocol::You;
use riskroom_core::room::{
    Actor, AdoptionRule, BoardResponseId, CardId, CustomEffect, Estimate, RoleMode, Screen, Target,
    TeamId,
};
use riskroom_core::scenario::{Effect, Frequency, Phase, ResponseKind};
use riskroom_core::session::{ConnId, Delivery, Mail, Session};
use riskroom_core::{
    ClientMessage, Command, CommandId, Credential, ParticipantId, Room, Secret, ServerMessage,
};

const SEATS: u32 = 5;

fn arb_actor() -> impl Strategy<Value = Actor> {
    prop_oneof![
        3 => Just(F),
        6 => (1..=SEATS).prop_map(p),
        2 => (1..=SEATS).prop_map(guest),
    ]
}

fn arb_estimate() -> impl Strategy<Value = Estimate> {
    (
        prop_oneof![
            (-0.2f64..1.2).prop_map(Frequency::Probability),
            (-1.0f64..5.0).prop_map(Frequency::Rate)
        ],
        extreme(-10.0f64..1e6),
        extreme(-10.0f64..2e6),
    )
        .prop_map(|(frequency, low, high)| Estimate {
            frequency,
            low,
            high,
        })
}

/// Mostly `usual`, sometimes a finite number at the edge of what floats
/// hold, or just past what an amount may be.
fn extreme(usual: std::ops::Range<f64>) -> impl Strategy<Value = f64> {
    prop_oneof![
        8 => usual,
        1 => prop::sample::select(vec![
            f64::MAX,
            -f64::MAX,
            1.7e308,
            1e300,
            1e16,
            1.000_000_000_000_001e15,
            f64::MIN_POSITIVE,
            -0.0,
        ]),
    ]
}

fn small_text() -> impl Strategy<Value = String> {
    prop_oneof![
        prop::sample::select(vec![
            "Ada",
            "Grace",
            "ada",
            "Linus",
            "Supplier",
            "",
            "  ",
            "Cyber risk"
        ])
        .prop_map(str::to_owned),
        "\\PC{0,20}",
    ]
}

fn card() -> impl Strategy<Value = CardId> {
    (1u32..5).prop_map(CardId)
}

fn response() -> impl Strategy<Value = BoardResponseId> {
    (1u32..5).prop_map(BoardResponseId)
}

fn team() -> impl Strategy<Value = TeamId> {
    (1u32..4).prop_map(TeamId)
}

fn participant() -> impl Strategy<Value = ParticipantId> {
    (1u32..=SEATS + 1).prop_map(ParticipantId)
}

fn role() -> impl Strategy<Value = String> {
    prop::sample::select(vec!["finance", "operations", "ceo"]).prop_map(str::to_owned)
}

fn arb_command() -> impl Strategy<Value = Command> {
    let people = prop_oneof![
        small_text().prop_map(|name| Command::Join { name }),
        small_text().prop_map(|name| Command::Rename { name }),
        Just(Command::Leave),
        (participant(), any::<bool>(), any::<bool>())
            .prop_map(|(id, cards, block)| Command::RemoveParticipant { id, cards, block }),
        participant().prop_map(|id| Command::HandOverSeat { id }),
        small_text().prop_map(|code| Command::ClaimSeat { code }),
        prop::bool::weighted(0.02).prop_map(|end| if end {
            Command::EndRoom
        } else {
            Command::BalanceRoles
        }),
        prop::bool::ANY.prop_map(|broken| Command::ChooseScenario {
            file: "m.toml".into(),
            text: if broken {
                MINIMAL.replace("budget = 100_000", "budget = -1")
            } else {
                MINIMAL.into()
            },
        }),
        small_text().prop_map(|name| Command::CreateTeam { name }),
        (team(), small_text()).prop_map(|(team, name)| Command::RenameTeam { team, name }),
        (participant(), team())
            .prop_map(|(participant, team)| Command::MoveToTeam { participant, team }),
        prop::sample::select(vec![
            RoleMode::Assign,
            RoleMode::AutoBalance,
            RoleMode::SelfSelect
        ])
        .prop_map(|mode| Command::SetRoleMode { mode }),
        (participant(), prop::option::of(role()))
            .prop_map(|(participant, role)| Command::AssignRole { participant, role }),
        role().prop_map(|role| Command::PickRole { role }),
        (team(), prop::option::of(participant()))
            .prop_map(|(team, participant)| Command::MarkRoleModel { team, participant }),
        prop::bool::ANY.prop_map(|anonymous| Command::SetAnonymity { anonymous }),
    ];
    let flow = prop_oneof![
        5 => Just(Command::AdvancePhase),
        1 => Just(Command::GoBackPhase),
        1 => (0u32..200, prop::bool::ANY).prop_map(|(seconds, close_input)| Command::StartTimer { seconds, close_input }),
        1 => Just(Command::PauseTimer),
        1 => Just(Command::ResumeTimer),
        1 => (0u32..100).prop_map(|seconds| Command::ExtendTimer { seconds }),
        1 => Just(Command::ClearTimer),
        1 => prop::sample::select(vec!["strike", "flood"]).prop_map(|i| Command::FireInject { inject: i.into() }),
        1 => (0u32..6).prop_map(|shown| Command::RevealYear { shown }),
        1 => Just(Command::RenewRoomViewKey { room_view: key().room_view_key_at(1).hash() }),
        1 => prop::sample::select(AdoptionRule::ALL.to_vec()).prop_map(|rule| Command::SetAdoptionRule { rule }),
        1 => any::<bool>().prop_map(|paused| Command::PauseRoom { paused }),
        1 => any::<bool>().prop_map(|shown| Command::ShowJoinScreen { shown }),
        1 => any::<bool>().prop_map(|shown| Command::RevealScores { shown }),
        1 => (team(), role()).prop_map(|(team, role)| Command::NudgeRole { team, role }),
        1 => any::<bool>().prop_map(|shown| Command::ShowCoverage { shown }),
        1 => team().prop_map(|team| Command::StartSecondRound { team }),
        1 => team().prop_map(|team| Command::StartDiscussion { team }),
        1 => (0u32..3).prop_map(|page| Command::ShowRoomViewPage { page }),
    ];
    let board = prop_oneof![
        4 => (small_text(), prop::option::of(0usize..3))
            .prop_map(|(title, clue)| Command::RaiseRisk { title, description: "d".into(), clue }),
        1 => (card(), small_text()).prop_map(|(card, title)| Command::EditRisk { card, title, description: String::new() }),
        1 => card().prop_map(|card| Command::WithdrawRisk { card }),
        1 => (team(), card(), card()).prop_map(|(team, card, into)| Command::MergeCards { team, card, into }),
        1 => (team(), card(), prop::bool::ANY).prop_map(|(team, card, hidden)| Command::HideCard { team, card, hidden }),
        1 => (team(), card(), prop::option::of(prop::sample::select(vec!["cyber", "supplier-failure", "nope"])))
            .prop_map(|(team, card, risk)| Command::LinkCard { team, card, risk: risk.map(str::to_owned) }),
        4 => (card(), arb_estimate()).prop_map(|(card, estimate)| Command::SubmitEstimate { card, estimate }),
        2 => team().prop_map(|team| Command::RevealEstimates { team }),
        2 => (card(), arb_estimate()).prop_map(|(card, estimate)| Command::SetConsensus { card, estimate }),
    ];
    let respond = prop_oneof![
        3 => prop::sample::select(vec!["second-source", "cyber-insurance", "live-with-it", "nope"])
            .prop_map(|r| Command::ProposeResponse { response: r.into() }),
        2 => (extreme(-10.0f64..100_000.0), card(), 0.0f64..12.0).prop_map(|(cost, card, impact)| Command::ProposeCustomResponse {
            title: "Custom".into(),
            kind: ResponseKind::Reduce,
            cost,
            effects: vec![CustomEffect { card, probability: 1.0, impact }],
        }),
        1 => response().prop_map(|response| Command::WithdrawResponse { response }),
        3 => (response(), prop::bool::ANY).prop_map(|(response, adopted)| Command::AdoptResponse { response, adopted }),
        1 => (team(), response(), 0.0f64..2.0).prop_map(|(team, response, impact)| Command::AcceptCustomResponse {
            team,
            response,
            effects: vec![Effect { risk: "cyber".into(), probability: None, impact: Some(impact), transfer: None, avoid: None }],
        }),
        4 => response().prop_map(|response| Command::Vote { response }),
        2 => response().prop_map(|response| Command::Unvote { response }),
        1 => (0u32..5).prop_map(|votes| Command::SetVoteBudget { votes }),
        2 => (card(), small_text()).prop_map(|(card, text)| Command::Comment { on: Target::Card(card), text }),
    ];
    let debrief = prop_oneof![
        small_text().prop_map(|text| Command::AddLesson { text }),
        (small_text(), small_text())
            .prop_map(|(text, owner)| Command::AddActionItem { text, owner }),
        (participant(), 0u8..7).prop_map(|(peer, score)| Command::RatePeer { peer, score }),
        (
            team(),
            prop::sample::select(vec!["perspectives", "nope"]),
            0u8..6
        )
            .prop_map(|(team, d, level)| Command::RateRubric {
                team,
                dimension: d.into(),
                level
            }),
    ];
    prop_oneof![2 => people, 4 => flow, 6 => board, 5 => respond, 2 => debrief]
}

/// Whether a command is the facilitator's to send.
fn facilitators(command: &Command) -> bool {
    matches!(
        command,
        Command::RemoveParticipant { .. }
            | Command::EndRoom
            | Command::ChooseScenario { .. }
            | Command::CreateTeam { .. }
            | Command::RenameTeam { .. }
            | Command::MoveToTeam { .. }
            | Command::SetRoleMode { .. }
            | Command::AssignRole { .. }
            | Command::BalanceRoles
            | Command::MarkRoleModel { .. }
            | Command::SetAnonymity { .. }
            | Command::AdvancePhase
            | Command::GoBackPhase
            | Command::StartTimer { .. }
            | Command::PauseTimer
            | Command::ResumeTimer
            | Command::ExtendTimer { .. }
            | Command::ClearTimer
            | Command::FireInject { .. }
            | Command::RevealYear { .. }
            | Command::RevealScores { .. }
            | Command::NudgeRole { .. }
            | Command::ShowCoverage { .. }
            | Command::StartSecondRound { .. }
            | Command::StartDiscussion { .. }
            | Command::ShowRoomViewPage { .. }
            | Command::RenewRoomViewKey { .. }
            | Command::SetAdoptionRule { .. }
            | Command::PauseRoom { .. }
            | Command::ShowJoinScreen { .. }
            | Command::DecideResponse { .. }
            | Command::MergeCards { .. }
            | Command::HideCard { .. }
            | Command::LinkCard { .. }
            | Command::RevealEstimates { .. }
            | Command::AcceptCustomResponse { .. }
            | Command::SetVoteBudget { .. }
            | Command::RateRubric { .. }
    )
}

/// One step: a random command with a likely sender, or (when `planned`)
/// a move that fits the room's current phase, built from `pick`.
#[derive(Clone, Debug)]
struct Step {
    actor: Actor,
    command: Command,
    wait: u64,
    planned: bool,
    pick: u32,
    estimate: Estimate,
}

fn arb_step() -> impl Strategy<Value = Step> {
    (
        arb_command(),
        0u8..10,
        1..=SEATS,
        arb_actor(),
        0u64..20_000,
        any::<u32>(),
        arb_estimate(),
    )
        .prop_map(|(command, roll, learner, anyone, wait, pick, estimate)| {
            let actor = if roll >= 9 {
                anyone
            } else if facilitators(&command) {
                F
            } else if matches!(command, Command::Join { .. }) {
                guest(learner)
            } else {
                p(learner)
            };
            Step {
                actor,
                command,
                wait,
                planned: roll < 5,
                pick,
                estimate,
            }
        })
}

/// A move that makes sense in the room's phase, by an active learner or the
/// facilitator, so that long streams reach every phase with a full board.
fn planned_move(room: &Room, pick: u32, estimate: Estimate) -> (Actor, Command) {
    use riskroom_core::scenario::Phase::*;
    let learners: Vec<ParticipantId> = room
        .teams
        .iter()
        .flat_map(|t| t.members.iter().map(|m| m.id))
        .collect();
    let Some(&me) = learners.get(pick as usize % learners.len().max(1)) else {
        return (F, Command::AdvancePhase);
    };
    let team = room.team_of(me).unwrap();
    let cards = team.cards.len().max(1) as u32;
    let responses = team.responses.len().max(1) as u32;
    let n = pick / 7;
    let learner = Actor::Participant(me);
    match (room.phase, n % 6) {
        (Lobby | Briefing, 0..=2) => (F, Command::AdvancePhase),
        (Lobby | Briefing, _) => (
            learner,
            Command::Rename {
                name: format!("Learner {}", n % 50),
            },
        ),
        (Identify, 0) => (F, Command::AdvancePhase),
        (Identify, k) => (
            learner,
            Command::RaiseRisk {
                title: format!("Risk {k}"),
                description: String::new(),
                clue: k.is_multiple_of(2).then_some(0),
            },
        ),
        (Assess, 0) => (F, Command::AdvancePhase),
        (Assess, 1) => (F, Command::RevealEstimates { team: team.id }),
        (Assess, 2) => (
            learner,
            Command::SetConsensus {
                card: CardId(n % cards + 1),
                estimate,
            },
        ),
        (Assess, _) => (
            learner,
            Command::SubmitEstimate {
                card: CardId(n % cards + 1),
                estimate,
            },
        ),
        (Respond, 0) => (F, Command::AdvancePhase),
        (Respond, 1) => (
            learner,
            Command::ProposeResponse {
                response: ["second-source", "cyber-insurance", "live-with-it"][(n % 3) as usize]
                    .into(),
            },
        ),
        (Respond, 2) => (
            learner,
            Command::AdoptResponse {
                response: BoardResponseId(n % responses + 1),
                adopted: n.is_multiple_of(2),
            },
        ),
        (Respond, 3) => (
            learner,
            Command::ProposeCustomResponse {
                title: "Custom".into(),
                kind: ResponseKind::Reduce,
                cost: f64::from(n % 50) * 1_000.0,
                effects: vec![CustomEffect {
                    card: CardId(n % cards + 1),
                    probability: 0.5,
                    impact: 1.0,
                }],
            },
        ),
        (Respond, 4) => (
            learner,
            Command::Unvote {
                response: BoardResponseId(n % responses + 1),
            },
        ),
        (Respond, _) => (
            learner,
            Command::Vote {
                response: BoardResponseId(n % responses + 1),
            },
        ),
        (PlayYear, 0) => (F, Command::AdvancePhase),
        (PlayYear, 1..=2) => (F, Command::RevealYear { shown: n % 4 }),
        (PlayYear, _) => (F, Command::GoBackPhase),
        (Debrief, 0) => (F, Command::GoBackPhase),
        (Debrief, 1) => (
            F,
            Command::RateRubric {
                team: team.id,
                dimension: "perspectives".into(),
                level: (n % 4 + 1) as u8,
            },
        ),
        (Debrief, 2) => (
            learner,
            Command::AddLesson {
                text: format!("Lesson {n}"),
            },
        ),
        (Debrief, _) => {
            let peer = learners[(pick as usize + 1) % learners.len()];
            (
                learner,
                Command::RatePeer {
                    peer,
                    score: (n % 5 + 1) as u8,
                },
            )
        }
    }
}

/// A browser on one connection of the session: who it was told it is, its
/// folded copy of the room, and whether the session closed it.
struct Client {
    conn: ConnId,
    you: Option<You>,
    state: Option<Room>,
    closed: bool,
    /// The last seat code this page was given.
    seat_code: Option<String>,
}

impl Client {
    /// Folds what the session sent this connection, as the app's reducer does.
    fn receive(&mut self, message: &ServerMessage) -> Result<(), TestCaseError> {
        match message {
            ServerMessage::Welcome { you, room, .. } => {
                self.you = Some(you.clone());
                self.state = Some(room.clone());
            }
            ServerMessage::Resumed { you } => self.you = Some(you.clone()),
            ServerMessage::Joined { id, .. } => self.you = Some(You::Participant { id: *id }),
            ServerMessage::Events { events } => {
                let state = self.state.as_mut().expect("events after a welcome");
                for e in events {
                    state
                        .apply(e)
                        .map_err(|e| TestCaseError::fail(format!("fold: {e}")))?;
                }
            }
            ServerMessage::Closed { .. } => self.closed = true,
            ServerMessage::SeatCode { code, .. } => self.seat_code = Some(code.clone()),
            _ => {}
        }
        Ok(())
    }
}

/// Delivers a session's mail to the clients it names.
fn deliver(clients: &mut [Client], delivery: &Delivery) -> Result<(), TestCaseError> {
    for mail in &delivery.mail {
        deliver_mail(clients, mail)?;
    }
    for (conn, last) in &delivery.close {
        let client = clients.iter_mut().find(|c| c.conn == *conn).unwrap();
        client.receive(last)?;
        prop_assert!(
            client.closed,
            "a connection is closed with a Closed message"
        );
    }
    Ok(())
}

fn deliver_mail(clients: &mut [Client], mail: &Mail) -> Result<(), TestCaseError> {
    for conn in &mail.to {
        let client = clients.iter_mut().find(|c| c.conn == *conn).unwrap();
        prop_assert!(!client.closed, "mail to a closed connection");
        for message in &mail.messages {
            client.receive(message)?;
        }
    }
    Ok(())
}

fn check_invariants(room: &Room) -> Result<(), TestCaseError> {
    // Numbers stay numbers: a non-finite one would travel as JSON null and
    // come back as something else, or not at all.
    let json = serde_json::to_string(room).unwrap();
    let back: Room = serde_json::from_str(&json)
        .map_err(|e| TestCaseError::fail(format!("the room does not read back: {e}")))?;
    prop_assert!(&back == room, "the room reads back as it was");
    prop_assert!(room.budget.is_finite());
    for team in &room.teams {
        prop_assert!(room.adopted_cost(team).is_finite());
        prop_assert!(room.budget_left(team).is_finite());
        for x in &team.responses {
            prop_assert!(room.response_cost(&x.origin).is_finite());
        }
    }
    let mut in_teams = HashSet::new();
    for team in &room.teams {
        for (i, card) in team.cards.iter().enumerate() {
            prop_assert_eq!(
                card.id,
                CardId(i as u32 + 1),
                "card ids are unique and in order"
            );
        }
        for (i, r) in team.responses.iter().enumerate() {
            prop_assert_eq!(r.id, BoardResponseId(i as u32 + 1));
            prop_assert!(!(r.adopted && r.withdrawn));
        }
        let mut votes = HashSet::new();
        for v in &team.votes {
            prop_assert!(
                votes.insert((v.voter, v.response)),
                "one vote per learner per response"
            );
            let r = team.response(v.response).unwrap();
            prop_assert!(!r.withdrawn, "no votes on a withdrawn response");
        }
        for m in &team.members {
            prop_assert!(in_teams.insert(m.id), "a learner is in one team only");
            prop_assert!(room.participant(m.id).is_some_and(|p| p.active));
            if let (Some(role), Some(s)) = (&m.role, &room.scenario) {
                prop_assert!(s.role(role).is_some(), "roles come from the scenario");
            }
        }
        let mut pairs = HashSet::new();
        for r in &team.peer_ratings {
            prop_assert!(r.from != r.to && (1..=5).contains(&r.score));
            prop_assert!(pairs.insert((r.from, r.to)));
        }
    }
    // Hidden estimates never reach a learner before the reveal.
    for p in room.active_participants() {
        let view = room.view_for(&Actor::Participant(p.id));
        for team in &view.teams {
            if !team.revealed {
                for e in &team.estimates {
                    prop_assert!(
                        e.author == p.id || e.value.is_none(),
                        "an estimate leaked before the reveal"
                    );
                }
            }
            if view.team_of(p.id).map(|t| t.id) != Some(team.id) {
                prop_assert!(
                    team.cards.is_empty() && team.estimates.is_empty(),
                    "another team's board leaked"
                );
            }
        }
        if let Some(s) = &view.scenario
            && room.phase < Phase::PlayYear
        {
            prop_assert!(s.risks.is_empty(), "the truth model leaked before the year");
        }
    }
    // The room view holds nothing private, and pages as the console does.
    let room_view = room.view_for(&Actor::RoomView);
    let screen = room.screen();
    prop_assert_eq!(
        &room_view.screen(),
        &screen,
        "the console pages the room view it sees"
    );
    prop_assert!(screen.page < screen.pages);
    for team in room.room_view_teams() {
        let len = room.room_view_items(team);
        let shown: usize = (0..screen.pages)
            .map(|page| {
                Screen {
                    page,
                    ..screen.clone()
                }
                .rows_of(len)
                .len()
            })
            .sum();
        prop_assert!(
            room.phase == Phase::Debrief || shown == len,
            "every item is on one page of the room view"
        );
    }
    prop_assert!(room_view.facilitator.is_none() && room_view.room_view.is_none());
    // No seat code's hash, moved seat or block list leaves the server, and
    // only the facilitator knows who was removed for good.
    for actor in room
        .active_participants()
        .map(|p| Actor::Participant(p.id))
        .chain([Actor::RoomView, Actor::Facilitator])
    {
        let view = room.view_for(&actor);
        prop_assert!(view.seat_codes.is_empty() && view.moved_seats.is_empty());
        prop_assert!(actor == Actor::Facilitator || view.blocked.is_empty());
    }
    prop_assert!(room_view.participants.iter().all(|p| p.seat.is_none()));
    for team in &room_view.teams {
        prop_assert!(
            team.peer_ratings.is_empty(),
            "peer ratings on the room view"
        );
        prop_assert!(
            team.revealed || team.estimates.iter().all(|e| e.value.is_none()),
            "an estimate on the room view before the reveal"
        );
        prop_assert!(
            room.phase == Phase::Debrief || team.rubric.is_empty(),
            "the rubric on the room view before the debrief"
        );
    }
    if let Some(s) = &room_view.scenario {
        prop_assert!(
            s.roles.iter().all(|r| r.brief.is_empty()
                && r.clues.iter().all(|c| c.text.is_empty())
                && (room.phase == Phase::Debrief || r.clues.is_empty())),
            "a private brief on the room view"
        );
        prop_assert!(
            room.phase >= Phase::PlayYear || s.risks.is_empty(),
            "the truth model on the room view before the year"
        );
    }
    Ok(())
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 256, failure_persistence: None, ..ProptestConfig::default() })]

    #[test]
    fn random_streams_keep_every_invariant_and_every_view(
        steps in prop::collection::vec(arb_step(), 1..200)
    ) {
        // Three learners in two teams on the minimal scenario, then anything,
        // through the session the server and a browser-held room both run:
        // the facilitator, the room view, one page per seat and a page that
        // has not joined, each folding exactly the mail it is sent.
        let mut d = Drill::with_two_learners();
        d.ok(&F, Command::CreateTeam { name: "Blue".into() });
        d.join(3, "Linus");
        let mut session = Session::resume(&d.log, []).unwrap();
        let mut log = d.log.clone();
        let mut made = 0u32;
        let mut fresh = move || { made += 1; Secret::from_client(format!("fresh-{made}")) };
        let credentials = [
            Some(Credential::Facilitator { key: key() }),
            Some(Credential::RoomView { key: key().room_view_key() }),
            None,
        ]
        .into_iter()
        .chain((1..=SEATS).map(|n| Some(Credential::Participant { token: seat(n) })));
        let mut clients = Vec::new();
        for credential in credentials {
            let (conn, mail) = session.connect(credential.as_ref(), None, fresh()).unwrap();
            clients.push(Client { conn, you: None, state: None, closed: false, seat_code: None });
            for m in &mail {
                deliver_mail(&mut clients, m)?;
            }
        }
        let room_view = clients[1].conn;
        prop_assert_eq!(session.actor(room_view), Some(&Actor::RoomView));
        let mut now = d.now;
        for (i, step) in steps.into_iter().enumerate() {
            now += step.wait;
            let (actor, command) = if step.planned {
                planned_move(session.room(), step.pick, step.estimate)
            } else {
                (step.actor, step.command)
            };
            // Now and then a seat moves: the facilitator hands one over, and
            // the page that has not joined types the code it was given.
            let active: Vec<ParticipantId> =
                session.room().active_participants().map(|p| p.id).collect();
            let code = clients[0].seat_code.clone();
            let guest_page = clients
                .iter()
                .find(|c| !c.closed && matches!(session.actor(c.conn), Some(Actor::Guest { .. })))
                .map(|c| c.conn);
            let (actor, command, page) = match (step.pick % 17, active.is_empty(), code, guest_page) {
                (0, false, _, _) => (
                    F,
                    Command::HandOverSeat { id: active[(step.pick as usize / 17) % active.len()] },
                    None,
                ),
                (1, _, Some(code), Some(page)) => {
                    let guest = session.actor(page).unwrap().clone();
                    (guest, Command::ClaimSeat { code }, Some(page))
                }
                _ => (actor, command, None),
            };
            // The page of that person; a person with no page open asks
            // through the room view, which must refuse everything.
            let conn = page.unwrap_or_else(|| {
                clients
                    .iter()
                    .find(|c| !c.closed && session.actor(c.conn) == Some(&actor))
                    .map_or(room_view, |c| c.conn)
            });
            let before = session.room().clone();
            let votes_before = before.vote_budget;
            let decision = session.decide(
                [(conn, CommandId(i as u64 + 1), command.clone())],
                now,
                &riskroom_core::scenario::parse,
                &mut fresh,
            );
            let accepted = !decision.events.is_empty();
            if conn == room_view {
                prop_assert!(!accepted, "the room view changed the room");
            }
            if decision.events.is_empty() {
                prop_assert_eq!(session.room(), &before, "a refused command changed the room");
            }
            // Now and then the write fails: everything goes back.
            if step.pick % 23 == 0 && !decision.events.is_empty() {
                let delivery = session.unstored(decision, "The disk is full.");
                prop_assert_eq!(session.room(), &before, "an unstored decision left a trace");
                deliver(&mut clients, &delivery)?;
            } else {
                log.extend(decision.events.iter().cloned());
                let delivery = session.stored(decision);
                deliver(&mut clients, &delivery)?;
            }
            if accepted && matches!(command, Command::Vote { .. }) && let Actor::Participant(id) = actor
                && let Some(team) = session.room().team_of(id)
            {
                prop_assert!(team.votes_of(id) <= votes_before as usize, "vote budget kept");
            }
            check_invariants(session.room())?;
            for client in clients.iter().filter(|c| !c.closed) {
                let actor = session.actor(client.conn).unwrap();
                prop_assert_eq!(client.you.as_ref(), Some(&You::from(actor)), "client {} is who the session says", client.conn);
                prop_assert_eq!(client.state.as_ref(), Some(&session.room().view_for(actor)), "client {:?} drifted", actor);
            }
        }
        prop_assert_eq!(&Room::replay(&log).unwrap(), session.room());
    }

    /// Whatever bytes arrive, decoding and handling them never panics, and a
    /// message that is refused changes nothing.
    #[test]
    fn decode_and_handle_never_panic(
        text in prop_oneof![
            "\\PC{0,200}",
            arb_command().prop_map(|c| serde_json::to_string(&ClientMessage::Command { id: riskroom_core::CommandId(1), command: c }).unwrap()),
            (arb_command(), 0usize..200, "\\PC{0,3}").prop_map(|(c, at, junk)| {
                let mut s = serde_json::to_string(&ClientMessage::Command { id: riskroom_core::CommandId(1), command: c }).unwrap();
                let at = (0..=at.min(s.len())).rev().find(|i| s.is_char_boundary(*i)).unwrap_or(0);
                s.insert_str(at, &junk);
                s
            }),
        ],
        actor in arb_actor(),
    ) {
        let mut d = Drill::with_two_learners();
        d.advance();
        d.advance();
        if let Ok(ClientMessage::Command { command, .. }) = serde_json::from_str::<ClientMessage>(&text) {
            let _ = d.run(&actor, &command);
        }
    }
}

/// The projection check on a fixed stream: two teammates estimate before
/// the reveal; each one's client must hold only its own value until then.
#[test]
fn clients_fold_to_their_views_on_a_fixed_stream() {
    let mut d = Drill::with_two_learners();
    let mut ada = d.room.view_for(&p(1));
    let mut grace = d.room.view_for(&p(2));
    let mut steps: Vec<(Actor, Command)> =
        vec![(F, Command::AdvancePhase), (F, Command::AdvancePhase)];
    steps.push((
        p(1),
        Command::RaiseRisk {
            title: "Supplier".into(),
            description: String::new(),
            clue: Some(0),
        },
    ));
    steps.push((F, Command::AdvancePhase));
    steps.push((
        p(1),
        Command::SubmitEstimate {
            card: CardId(1),
            estimate: estimate(0.2, 1e4, 1e5),
        },
    ));
    steps.push((
        p(2),
        Command::SubmitEstimate {
            card: CardId(1),
            estimate: estimate(0.4, 2e4, 3e5),
        },
    ));
    steps.push((F, Command::RevealEstimates { team: T1 }));
    steps.push((F, Command::AdvancePhase));
    steps.push((
        p(2),
        Command::ProposeResponse {
            response: "second-source".into(),
        },
    ));
    for (actor, command) in steps {
        let events = d.ok(&actor, command);
        let from = d.log.len() - events.len();
        let mut room = Room::replay(&d.log[..from]).unwrap();
        for stamped in &d.log[from..] {
            room.apply(stamped).unwrap();
            for (client, who) in [(&mut ada, p(1)), (&mut grace, p(2))] {
                if room.refreshes(&stamped.event, &who) {
                    *client = room.view_for(&who);
                } else {
                    client.apply(&stamped.redacted_for(&who, &room)).unwrap();
                }
            }
        }
        assert_eq!(ada, d.room.view_for(&p(1)));
        assert_eq!(grace, d.room.view_for(&p(2)));
    }
    assert!(
        ada.scenario
            .as_ref()
            .unwrap()
            .response("second-source")
            .is_some(),
        "Ada learnt the response from the board"
    );
}
