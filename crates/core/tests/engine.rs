//! The exercise engine, phase by phase: a whole exercise as commands, the
//! refusals a person meets, and the permission table of docs/permissions.md
//! checked command by command, actor by actor, phase by phase.

mod common;

use common::*;
use riskroom_core::room::{
    Actor, AdoptionRule, BoardResponseId, CardId, CustomEffect, Origin, RoleMode, Target, TeamId,
};
use riskroom_core::scenario::{Effect, Frequency, Phase, ResponseKind};
use riskroom_core::{Command, Event, ParticipantId, Room, Secret};

#[test]
fn a_whole_exercise_runs_as_commands() {
    let mut d = Drill::with_two_learners();
    let ada = p(1);
    let grace = p(2);
    assert_eq!(d.room.role_of(ParticipantId(1)), Some("finance"));
    assert_eq!(d.room.role_of(ParticipantId(2)), Some("operations"));
    d.ok(
        &F,
        Command::MarkRoleModel {
            team: TeamId(1),
            participant: Some(ParticipantId(1)),
        },
    );

    // Briefing.
    d.advance();
    assert_eq!(d.room.phase, Phase::Briefing);
    d.ok(
        &F,
        Command::StartTimer {
            seconds: 300,
            close_input: false,
        },
    );

    // Identify: a card from a clue is linked to its truth risk; free text is not.
    d.advance();
    assert!(d.room.timer.is_none(), "a timer belongs to its phase");
    d.ok(
        &ada,
        Command::RaiseRisk {
            title: "Supplier may fail".into(),
            description: "".into(),
            clue: Some(0),
        },
    );
    d.ok(
        &grace,
        Command::RaiseRisk {
            title: "Hackers".into(),
            description: "Ransomware\n\non the plant".into(),
            clue: None,
        },
    );
    d.ok(
        &grace,
        Command::RaiseRisk {
            title: "Supplier goes bust".into(),
            description: "".into(),
            clue: None,
        },
    );
    let team = d.room.team(T1).unwrap();
    assert_eq!(team.cards[0].risk.as_deref(), Some("supplier-failure"));
    assert!(team.cards[0].from_clue);
    assert_eq!(team.cards[1].risk, None);
    assert_eq!(team.cards[1].description, "Ransomware\n\non the plant");
    // The facilitator merges the duplicate and links the free-text card.
    d.ok(
        &F,
        Command::MergeCards {
            team: T1,
            card: CardId(3),
            into: CardId(1),
        },
    );
    d.ok(
        &F,
        Command::LinkCard {
            team: T1,
            card: CardId(2),
            risk: Some("cyber".into()),
        },
    );
    d.ok(
        &ada,
        Command::Comment {
            on: Target::Card(CardId(2)),
            text: "Our backups are offline weekly".into(),
        },
    );

    // Assess: private estimates, hidden from each other until the reveal.
    d.advance();
    d.ok(
        &ada,
        Command::SubmitEstimate {
            card: CardId(1),
            estimate: estimate(0.25, 40_000.0, 300_000.0),
        },
    );
    d.ok(
        &grace,
        Command::SubmitEstimate {
            card: CardId(1),
            estimate: estimate(0.1, 80_000.0, 600_000.0),
        },
    );
    let grace_sees = d.room.view_for(&grace);
    let estimates = &grace_sees.team(T1).unwrap().estimates;
    assert_eq!(estimates.len(), 2);
    assert!(
        estimates
            .iter()
            .find(|e| e.author == ParticipantId(1))
            .unwrap()
            .value
            .is_none(),
        "Ada's value is hidden from Grace"
    );
    assert!(
        estimates
            .iter()
            .find(|e| e.author == ParticipantId(2))
            .unwrap()
            .value
            .is_some()
    );
    assert_eq!(
        d.refused(
            &ada,
            Command::SetConsensus {
                card: CardId(1),
                estimate: estimate(0.2, 50_000.0, 400_000.0)
            }
        ),
        "The facilitator has not revealed the estimates yet; agree on a value after the reveal."
    );
    assert!(d.room.estimates_open(d.room.team(T1).unwrap()));
    d.ok(&F, Command::RevealEstimates { team: T1 });
    assert!(!d.room.estimates_open(d.room.team(T1).unwrap()));
    assert_eq!(
        d.refused(
            &grace,
            Command::SubmitEstimate {
                card: CardId(1),
                estimate: estimate(0.3, 50_000.0, 400_000.0)
            }
        ),
        "The estimates are revealed, so private estimates are closed: agree the team's value instead."
    );
    assert!(
        d.room
            .view_for(&grace)
            .team(T1)
            .unwrap()
            .estimates
            .iter()
            .all(|e| e.value.is_some())
    );
    d.ok(
        &ada,
        Command::SetConsensus {
            card: CardId(1),
            estimate: estimate(0.2, 50_000.0, 400_000.0),
        },
    );

    // Respond: the inject due now fires when the facilitator fires it; the
    // budget shrinks.
    let events = d.ok(&F, Command::AdvancePhase);
    assert!(
        !events
            .iter()
            .any(|e| matches!(e, Event::InjectFired { .. })),
        "an inject never fires by itself"
    );
    assert!(d.room.injects_due().iter().any(|i| i.id == "strike"));
    d.ok(
        &F,
        Command::FireInject {
            inject: "strike".into(),
        },
    );
    assert!(d.room.injects_due().is_empty());
    assert_eq!(d.room.budget, 90_000.0);
    // Only Operations knows the second source.
    assert_eq!(
        d.refused(
            &ada,
            Command::ProposeResponse {
                response: "second-source".into()
            }
        ),
        "The scenario's catalogue has no response “second-source”."
    );
    d.ok(
        &grace,
        Command::ProposeResponse {
            response: "second-source".into(),
        },
    );
    d.ok(
        &ada,
        Command::ProposeResponse {
            response: "cyber-insurance".into(),
        },
    );
    d.ok(
        &ada,
        Command::ProposeCustomResponse {
            title: "Offline backups".into(),
            kind: ResponseKind::Reduce,
            cost: 30_000.0,
            effects: vec![CustomEffect {
                card: CardId(2),
                probability: 1.0,
                impact: 0.5,
            }],
        },
    );
    // Everyone on the team now sees the second source, Ada included.
    assert!(
        d.room
            .view_for(&ada)
            .scenario
            .unwrap()
            .response("second-source")
            .is_some()
    );
    for r in [1, 2] {
        d.ok(
            &ada,
            Command::Vote {
                response: BoardResponseId(r),
            },
        );
    }
    d.ok(
        &grace,
        Command::Vote {
            response: BoardResponseId(1),
        },
    );
    d.ok(
        &ada,
        Command::Vote {
            response: BoardResponseId(3),
        },
    );
    assert_eq!(
        d.refused(
            &ada,
            Command::Vote {
                response: BoardResponseId(1)
            }
        ),
        "You have already voted for this response."
    );
    d.ok(&F, Command::SetVoteBudget { votes: 3 });
    d.ok(
        &grace,
        Command::AdoptResponse {
            response: BoardResponseId(1),
            adopted: true,
        },
    );
    d.ok(
        &grace,
        Command::AdoptResponse {
            response: BoardResponseId(2),
            adopted: true,
        },
    );
    assert_eq!(
        d.refused(
            &ada,
            Command::AdoptResponse {
                response: BoardResponseId(3),
                adopted: true
            }
        ),
        "Adopting it would cost 30,000, over the budget of 90,000 (25,000 left)."
    );
    d.ok(
        &F,
        Command::AcceptCustomResponse {
            team: T1,
            response: BoardResponseId(3),
            effects: vec![Effect {
                risk: "cyber".into(),
                probability: None,
                impact: Some(0.6),
                transfer: None,
                avoid: None,
            }],
        },
    );
    assert!(matches!(
        &d.room.team(T1).unwrap().responses[2].origin,
        Origin::Custom { accepted: Some(effects), .. } if effects[0].impact == Some(0.6)
    ));
    assert_eq!(
        d.refused(
            &grace,
            Command::WithdrawResponse {
                response: BoardResponseId(3),
            },
        ),
        "Only whoever proposed a response can withdraw it; the team can drop it from the strategy instead."
    );
    d.ok(
        &ada,
        Command::WithdrawResponse {
            response: BoardResponseId(3),
        },
    );
    assert_eq!(
        d.room.team(T1).unwrap().votes_of(ParticipantId(1)),
        2,
        "votes on a withdrawn response return"
    );
    assert_eq!(d.room.adopted_cost(d.room.team(T1).unwrap()), 65_000.0);

    // Play the year, then debrief: the playbook reaches learners only now.
    d.advance();
    assert!(
        d.room
            .view_for(&ada)
            .scenario
            .unwrap()
            .playbook
            .picks
            .is_empty()
    );
    d.advance();
    assert_eq!(
        d.room.view_for(&ada).scenario.unwrap().playbook.picks.len(),
        1
    );
    d.ok(
        &ada,
        Command::AddLesson {
            text: "Share the brief early".into(),
        },
    );
    d.ok(
        &grace,
        Command::AddActionItem {
            text: "Qualify a second supplier".into(),
            owner: "Grace".into(),
        },
    );
    d.ok(
        &ada,
        Command::RatePeer {
            peer: ParticipantId(2),
            score: 5,
        },
    );
    d.ok(
        &grace,
        Command::RatePeer {
            peer: ParticipantId(1),
            score: 4,
        },
    );
    d.ok(
        &F,
        Command::RateRubric {
            team: T1,
            dimension: "perspectives".into(),
            level: 3,
        },
    );
    assert_eq!(
        d.refused(&F, Command::AdvancePhase),
        "The exercise is already at its last phase."
    );
    d.ok(&F, Command::EndRoom);
    assert_eq!(
        d.refused(
            &ada,
            Command::AddLesson {
                text: "late".into()
            }
        ),
        "This room has ended; nothing more can change."
    );

    // The log is the truth: replaying it gives the same room.
    assert_eq!(Room::replay(&d.log).unwrap(), d.room);
    // Peer ratings stay anonymous: each learner sees the ratings they gave,
    // and the ratings they received under a rater id that names nobody.
    let ratings = d.room.view_for(&ada).team(T1).unwrap().peer_ratings.clone();
    assert_eq!(ratings.len(), 2, "{ratings:?}");
    assert!(ratings.iter().any(|r| r.from == ParticipantId(1)));
    let received = ratings.iter().find(|r| r.to == ParticipantId(1)).unwrap();
    assert!(d.room.participant(received.from).is_none(), "{received:?}");
}

#[test]
fn refusals_name_the_problem_in_plain_words() {
    let mut d = Drill::with_two_learners();
    let ada = p(1);
    let rows: Vec<(Command, &str)> = vec![
        (
            Command::RaiseRisk {
                title: "x".into(),
                description: "".into(),
                clue: None,
            },
            "Raising a risk happens in the Identify or Assess phase; the room is in the Lobby phase.",
        ),
        (
            Command::AdvancePhase,
            "Only the facilitator can move the exercise on.",
        ),
        (
            Command::PickRole {
                role: "finance".into(),
            },
            "Roles are dealt out automatically; you cannot pick your own.",
        ),
        (
            Command::RatePeer {
                peer: ParticipantId(2),
                score: 5,
            },
            "Rating teammates happens in the Debrief phase; the room is in the Lobby phase.",
        ),
    ];
    for (command, want) in rows {
        assert_eq!(d.refused(&ada, command), want);
    }
    let rows: Vec<(Command, &str)> = vec![
        (Command::GoBackPhase, "The exercise is at its first phase."),
        (
            Command::StartTimer {
                seconds: 0,
                close_input: true,
            },
            "A timer runs from 1 second to 4 hours; 0 seconds is outside that.",
        ),
        (
            Command::PauseTimer,
            "There is no timer running for this phase.",
        ),
        (
            Command::AssignRole {
                participant: ParticipantId(1),
                role: Some("ceo".into()),
            },
            "The scenario has no role “ceo”.",
        ),
        (
            Command::MoveToTeam {
                participant: ParticipantId(1),
                team: TeamId(9),
            },
            "There is no team team 9 in this room.",
        ),
        (
            Command::SetVoteBudget { votes: 0 },
            "A vote budget is between 1 and 20 votes.",
        ),
        (
            Command::FireInject {
                inject: "strike".into(),
            },
            "Firing an inject happens in the Briefing, Identify, Assess, Respond or Play the year phase; the room is in the Lobby phase.",
        ),
        (
            Command::CreateTeam { name: "  ".into() },
            "Please enter a team name.",
        ),
        (
            Command::SubmitEstimate {
                card: CardId(1),
                estimate: estimate(0.5, 1.0, 2.0),
            },
            "Only learners can estimate risks.",
        ),
    ];
    for (command, want) in rows {
        assert_eq!(d.refused(&F, command), want);
    }

    // Estimates are checked.
    d.advance();
    d.advance();
    d.ok(
        &ada,
        Command::RaiseRisk {
            title: "Supplier".into(),
            description: "".into(),
            clue: None,
        },
    );
    assert_eq!(
        d.refused(
            &ada,
            Command::RaiseRisk {
                title: "From a clue".into(),
                description: "".into(),
                clue: Some(5)
            }
        ),
        "Your brief has no clue number 6."
    );
    d.advance();
    let bad = [
        (
            estimate(1.5, 1.0, 2.0),
            "A yearly probability is between 0% and 100%.",
        ),
        (
            estimate(0.5, 0.0, 2.0),
            "The low end of the loss range must be above 0.",
        ),
        (
            estimate(0.5, 5.0, 2.0),
            "The high end of the loss range must be above the low end.",
        ),
        (
            riskroom_core::room::Estimate {
                frequency: Frequency::Rate(-1.0),
                low: 1.0,
                high: 2.0,
            },
            "A rate is between 0 and 365 events a year.",
        ),
    ];
    for (e, want) in bad {
        assert_eq!(
            d.refused(
                &ada,
                Command::SubmitEstimate {
                    card: CardId(1),
                    estimate: e
                }
            ),
            want
        );
    }
    assert_eq!(
        d.refused(
            &ada,
            Command::SubmitEstimate {
                card: CardId(7),
                estimate: estimate(0.5, 1.0, 2.0)
            }
        ),
        "There is no card 7 on your team's board."
    );
}

#[test]
fn timers_close_input_when_time_is_up_and_extending_reopens_it() {
    let mut d = Drill::with_two_learners();
    d.advance();
    d.advance();
    d.ok(
        &F,
        Command::StartTimer {
            seconds: 60,
            close_input: true,
        },
    );
    d.now += 30_000;
    d.ok(
        &p(1),
        Command::RaiseRisk {
            title: "Early".into(),
            description: "".into(),
            clue: None,
        },
    );
    d.ok(&F, Command::PauseTimer);
    d.now += 600_000; // paused time does not count
    assert_eq!(d.room.timer.as_ref().unwrap().remaining_ms(d.now), 30_000);
    d.ok(&F, Command::ResumeTimer);
    d.now += 31_000;
    assert_eq!(
        d.refused(
            &p(1),
            Command::RaiseRisk {
                title: "Late".into(),
                description: "".into(),
                clue: None
            }
        ),
        "Time is up for this phase: the facilitator can extend the timer."
    );
    d.ok(&F, Command::ExtendTimer { seconds: 120 });
    assert_eq!(d.room.timer.as_ref().unwrap().remaining_ms(d.now), 120_000);
    d.ok(
        &p(1),
        Command::RaiseRisk {
            title: "Late".into(),
            description: "".into(),
            clue: None,
        },
    );
    d.ok(&F, Command::ClearTimer);
    assert!(d.room.timer.is_none());
}

#[test]
fn teams_roles_and_going_back() {
    let mut d = Drill::new();
    d.ok(
        &F,
        Command::CreateTeam {
            name: "Blue".into(),
        },
    );
    for (n, name) in [(1, "Ada"), (2, "Grace"), (3, "Linus"), (4, "Barbara")] {
        d.join(n, name);
    }
    // Joiners are spread over the teams.
    assert_eq!(d.room.team(TeamId(1)).unwrap().members.len(), 2);
    assert_eq!(d.room.team(TeamId(2)).unwrap().members.len(), 2);
    d.ok(
        &F,
        Command::SetRoleMode {
            mode: RoleMode::SelfSelect,
        },
    );
    d.choose_minimal();
    assert_eq!(
        d.room.role_of(ParticipantId(1)),
        None,
        "self-select deals no roles"
    );
    d.ok(
        &p(1),
        Command::PickRole {
            role: "operations".into(),
        },
    );
    assert_eq!(
        d.refused(
            &p(1),
            Command::PickRole {
                role: "boss".into()
            }
        ),
        "The scenario has no role “boss”."
    );
    d.ok(&F, Command::BalanceRoles);
    assert!(
        d.room
            .teams
            .iter()
            .flat_map(|t| &t.members)
            .all(|m| m.role.is_some())
    );
    d.ok(
        &F,
        Command::MoveToTeam {
            participant: ParticipantId(1),
            team: TeamId(2),
        },
    );
    assert_eq!(d.room.team(TeamId(2)).unwrap().members.len(), 3);
    assert_eq!(
        d.room.role_of(ParticipantId(1)),
        Some("operations"),
        "a learner keeps their role when moving"
    );
    d.advance();
    d.advance();
    assert_eq!(
        d.refused(
            &p(1),
            Command::PickRole {
                role: "finance".into()
            }
        ),
        "Roles can only change before the identify phase."
    );
    d.ok(&F, Command::GoBackPhase);
    assert_eq!(d.room.phase, Phase::Briefing);
    // A role a teammate plays is taken, unless the room shares roles.
    let holder = d
        .room
        .team(TeamId(2))
        .unwrap()
        .members
        .iter()
        .find(|m| m.id != ParticipantId(1) && m.role.as_deref() == Some("finance"))
        .map(|m| d.room.participant(m.id).unwrap().name.clone());
    if let Some(holder) = holder {
        assert_eq!(
            d.refused(
                &p(1),
                Command::PickRole {
                    role: "finance".into()
                }
            ),
            format!("{holder} already plays Finance in your team: pick another role.")
        );
        d.ok(&F, Command::SetRoleSharing { shared: true });
    }
    d.ok(
        &p(1),
        Command::PickRole {
            role: "finance".into(),
        },
    );
    // A learner sees their own team's board only.
    d.advance();
    // Linus is alone in team 1 now.
    d.ok(
        &p(3),
        Command::RaiseRisk {
            title: "Team 1 only".into(),
            description: "".into(),
            clue: None,
        },
    );
    let seen_by_ada = d.room.view_for(&p(1));
    assert!(seen_by_ada.team(TeamId(1)).unwrap().cards.is_empty());
    assert_eq!(
        d.room.view_for(&p(3)).team(TeamId(1)).unwrap().cards.len(),
        1
    );
    assert_eq!(d.room.view_for(&F).team(TeamId(1)).unwrap().cards.len(), 1);
}

#[test]
fn anonymity_hides_other_names_from_learners() {
    let mut d = Drill::with_two_learners();
    d.ok(&F, Command::SetAnonymity { anonymous: true });
    let ada_sees = d.room.view_for(&p(1));
    let names: Vec<_> = ada_sees
        .participants
        .iter()
        .map(|p| p.name.as_str())
        .collect();
    assert_eq!(names, ["Ada", "Participant 2"]);
    let facilitator_sees = d.room.view_for(&F);
    assert_eq!(facilitator_sees.participants[1].name, "Grace");
}

/// Who may send a command.
#[derive(Clone, Copy, PartialEq)]
enum Sender {
    Facilitator,
    Learner,
    /// The facilitator, or a learner about themselves.
    FacilitatorOrLearner,
    Guest,
    /// The room view on the projector: may send nothing.
    RoomView,
}

use Phase::*;
const ANY: &[Phase] = &[
    Lobby, Briefing, Identify, Assess, Respond, PlayYear, Debrief,
];

/// A row of the permission table: a command, who may send it, in which phases.
struct Row {
    name: &'static str,
    who: Sender,
    phases: &'static [Phase],
    command: Command,
    /// Which learner sends it (1 = Ada, the author of card 1; 2 = Grace).
    learner: u32,
    tweak: fn(&mut Room),
}

fn row(name: &'static str, who: Sender, phases: &'static [Phase], command: Command) -> Row {
    Row {
        name,
        who,
        phases,
        command,
        learner: 1,
        tweak: |_| {},
    }
}

fn permission_rows() -> Vec<Row> {
    use Sender::*;
    let e = || estimate(0.3, 10_000.0, 90_000.0);
    vec![
        row(
            "join",
            Guest,
            ANY,
            Command::Join {
                name: "Linus".into(),
            },
        ),
        row(
            "rename",
            Learner,
            ANY,
            Command::Rename {
                name: "Ada L.".into(),
            },
        ),
        row("leave", Learner, ANY, Command::Leave),
        row(
            "remove_participant",
            Facilitator,
            ANY,
            Command::RemoveParticipant {
                id: ParticipantId(2),
                cards: false,
                block: false,
            },
        ),
        row("end_room", Facilitator, ANY, Command::EndRoom),
        row(
            "hand_over_seat",
            FacilitatorOrLearner,
            ANY,
            Command::HandOverSeat {
                id: ParticipantId(1),
            },
        ),
        Row {
            tweak: |r| {
                r.seat_codes.push(riskroom_core::room::SeatCodeIssue {
                    participant: ParticipantId(2),
                    code: test_seat_code().hash(),
                    expires_ms: u64::MAX,
                });
            },
            ..row(
                "claim_seat",
                Guest,
                ANY,
                Command::ClaimSeat {
                    code: test_seat_code().grouped(),
                },
            )
        },
        row(
            "offer_console_move",
            Facilitator,
            ANY,
            Command::OfferConsoleMove,
        ),
        Row {
            tweak: |r| {
                r.console_move = Some(riskroom_core::room::ConsoleMoveOffer {
                    code: Secret::from_client("move-code").hash(),
                    expires_ms: u64::MAX,
                });
            },
            ..row(
                "take_over_console",
                Guest,
                ANY,
                Command::TakeOverConsole {
                    code: "move-code".into(),
                },
            )
        },
        row(
            "renew_console_key",
            Facilitator,
            ANY,
            Command::RenewConsoleKey,
        ),
        row(
            "choose_scenario",
            Facilitator,
            &[Lobby],
            Command::ChooseScenario {
                file: "m.toml".into(),
                text: MINIMAL.into(),
            },
        ),
        row(
            "create_team",
            Facilitator,
            ANY,
            Command::CreateTeam {
                name: "Blue".into(),
            },
        ),
        row(
            "rename_team",
            Facilitator,
            ANY,
            Command::RenameTeam {
                team: T1,
                name: "Red".into(),
            },
        ),
        row(
            "move_to_team",
            Facilitator,
            ANY,
            Command::MoveToTeam {
                participant: ParticipantId(1),
                team: TeamId(2),
            },
        ),
        row(
            "set_role_mode",
            Facilitator,
            &[Lobby, Briefing],
            Command::SetRoleMode {
                mode: RoleMode::Assign,
            },
        ),
        row(
            "set_role_sharing",
            Facilitator,
            &[Lobby, Briefing],
            Command::SetRoleSharing { shared: true },
        ),
        row(
            "assign_role",
            Facilitator,
            &[Lobby, Briefing, Identify],
            Command::AssignRole {
                participant: ParticipantId(1),
                role: Some("operations".into()),
            },
        ),
        Row {
            tweak: |r| {
                r.role_mode = RoleMode::SelfSelect;
                r.roles_shared = true;
            },
            ..row(
                "pick_role",
                Learner,
                &[Lobby, Briefing],
                Command::PickRole {
                    role: "operations".into(),
                },
            )
        },
        Row {
            tweak: |r| {
                for t in &mut r.teams {
                    for m in &mut t.members {
                        m.role = None;
                    }
                }
            },
            ..row(
                "balance_roles",
                Facilitator,
                &[Lobby, Briefing],
                Command::BalanceRoles,
            )
        },
        row(
            "mark_role_model",
            Facilitator,
            ANY,
            Command::MarkRoleModel {
                team: TeamId(1),
                participant: Some(ParticipantId(2)),
            },
        ),
        row(
            "set_anonymity",
            Facilitator,
            ANY,
            Command::SetAnonymity { anonymous: true },
        ),
        row(
            "advance_phase",
            Facilitator,
            &[Lobby, Briefing, Identify, Assess, Respond, PlayYear],
            Command::AdvancePhase,
        ),
        row(
            "go_back_phase",
            Facilitator,
            &[Briefing, Identify, Assess, Respond, PlayYear, Debrief],
            Command::GoBackPhase,
        ),
        row(
            "start_timer",
            Facilitator,
            ANY,
            Command::StartTimer {
                seconds: 300,
                close_input: true,
            },
        ),
        Row {
            tweak: with_timer,
            ..row("pause_timer", Facilitator, ANY, Command::PauseTimer)
        },
        Row {
            tweak: with_timer,
            ..row(
                "extend_timer",
                Facilitator,
                ANY,
                Command::ExtendTimer { seconds: 60 },
            )
        },
        Row {
            tweak: with_timer,
            ..row("clear_timer", Facilitator, ANY, Command::ClearTimer)
        },
        Row {
            tweak: |r| {
                r.fired.clear();
            },
            ..row(
                "fire_inject",
                Facilitator,
                &[Briefing, Identify, Assess, Respond, PlayYear],
                Command::FireInject {
                    inject: "strike".into(),
                },
            )
        },
        row(
            "nudge_role",
            Facilitator,
            &[Identify, Assess],
            Command::NudgeRole {
                team: T1,
                role: "finance".into(),
            },
        ),
        row(
            "show_coverage",
            Facilitator,
            &[Identify, Assess],
            Command::ShowCoverage { shown: true },
        ),
        row(
            "renew_room_view_key",
            Facilitator,
            ANY,
            Command::RenewRoomViewKey {
                room_view: key().room_view_key_at(1).hash(),
            },
        ),
        row(
            "pause_room",
            Facilitator,
            ANY,
            Command::PauseRoom { paused: true },
        ),
        row(
            "show_join_screen",
            Facilitator,
            ANY,
            Command::ShowJoinScreen { shown: true },
        ),
        row(
            "set_adoption_rule",
            Facilitator,
            ANY,
            Command::SetAdoptionRule {
                rule: AdoptionRule::AnyMember,
            },
        ),
        row(
            "decide_response",
            Facilitator,
            &[Respond],
            Command::DecideResponse {
                team: T1,
                response: BoardResponseId(1),
                adopted: true,
            },
        ),
        row(
            "reveal_year",
            Facilitator,
            &[PlayYear],
            Command::RevealYear { shown: 0 },
        ),
        row(
            "reveal_scores",
            Facilitator,
            &[Debrief],
            Command::RevealScores { shown: true },
        ),
        row(
            "show_room_view_page",
            Facilitator,
            ANY,
            Command::ShowRoomViewPage { page: 0 },
        ),
        row(
            "raise_risk",
            Learner,
            &[Identify, Assess],
            Command::RaiseRisk {
                title: "New".into(),
                description: "".into(),
                clue: None,
            },
        ),
        row(
            "edit_risk",
            Learner,
            &[Identify, Assess],
            Command::EditRisk {
                card: CardId(1),
                title: "Renamed".into(),
                description: "".into(),
            },
        ),
        row(
            "withdraw_risk",
            Learner,
            &[Identify],
            Command::WithdrawRisk { card: CardId(1) },
        ),
        row(
            "merge_cards",
            Facilitator,
            &[Identify, Assess, Respond, PlayYear, Debrief],
            Command::MergeCards {
                team: T1,
                card: CardId(2),
                into: CardId(1),
            },
        ),
        row(
            "hide_card",
            Facilitator,
            &[Identify, Assess, Respond, PlayYear, Debrief],
            Command::HideCard {
                team: T1,
                card: CardId(2),
                hidden: true,
            },
        ),
        row(
            "link_card",
            Facilitator,
            &[Identify, Assess, Respond, PlayYear, Debrief],
            Command::LinkCard {
                team: T1,
                card: CardId(2),
                risk: Some("cyber".into()),
            },
        ),
        Row {
            learner: 2,
            // Private estimates close at the reveal (tested on its own).
            tweak: |r| r.teams[0].revealed = false,
            ..row(
                "submit_estimate",
                Learner,
                &[Assess],
                Command::SubmitEstimate {
                    card: CardId(1),
                    estimate: e(),
                },
            )
        },
        Row {
            tweak: |r| r.teams[0].revealed = false,
            ..row(
                "reveal_estimates",
                Facilitator,
                &[Assess, Respond],
                Command::RevealEstimates { team: T1 },
            )
        },
        Row {
            tweak: |r| {
                r.teams[0].revealed = true;
                r.teams[0].first_round.clear();
            },
            ..row(
                "start_discussion",
                Facilitator,
                &[Assess],
                Command::StartDiscussion { team: T1 },
            )
        },
        Row {
            tweak: |r| {
                r.teams[0].revealed = true;
                r.teams[0].first_round.clear();
            },
            ..row(
                "start_second_round",
                Facilitator,
                &[Assess],
                Command::StartSecondRound { team: T1 },
            )
        },
        row(
            "set_consensus",
            Learner,
            &[Assess, Respond],
            Command::SetConsensus {
                card: CardId(1),
                estimate: e(),
            },
        ),
        row(
            "propose_response",
            Learner,
            &[Respond],
            Command::ProposeResponse {
                response: "cyber-insurance".into(),
            },
        ),
        row(
            "propose_custom_response",
            Learner,
            &[Respond],
            Command::ProposeCustomResponse {
                title: "Drill".into(),
                kind: ResponseKind::Reduce,
                cost: 1_000.0,
                effects: vec![CustomEffect {
                    card: CardId(1),
                    probability: 0.9,
                    impact: 1.0,
                }],
            },
        ),
        // Response 2 is Ada's (learner 1); only she may withdraw it.
        row(
            "withdraw_response",
            Learner,
            &[Respond],
            Command::WithdrawResponse {
                response: BoardResponseId(2),
            },
        ),
        row(
            "adopt_response",
            Learner,
            &[Respond],
            Command::AdoptResponse {
                response: BoardResponseId(1),
                adopted: true,
            },
        ),
        row(
            "accept_custom_response",
            Facilitator,
            &[Respond, PlayYear, Debrief],
            Command::AcceptCustomResponse {
                team: T1,
                response: BoardResponseId(2),
                effects: vec![],
            },
        ),
        row(
            "vote",
            Learner,
            &[Respond],
            Command::Vote {
                response: BoardResponseId(2),
            },
        ),
        row(
            "unvote",
            Learner,
            &[Respond],
            Command::Unvote {
                response: BoardResponseId(1),
            },
        ),
        row(
            "set_vote_budget",
            Facilitator,
            ANY,
            Command::SetVoteBudget { votes: 5 },
        ),
        row(
            "comment",
            Learner,
            &[Identify, Assess, Respond, PlayYear, Debrief],
            Command::Comment {
                on: Target::Card(CardId(1)),
                text: "Agreed".into(),
            },
        ),
        row(
            "add_lesson",
            Learner,
            &[Debrief],
            Command::AddLesson {
                text: "Talk early".into(),
            },
        ),
        row(
            "add_action_item",
            Learner,
            &[Debrief],
            Command::AddActionItem {
                text: "Second source".into(),
                owner: "Ops".into(),
            },
        ),
        row(
            "rate_peer",
            Learner,
            &[Debrief],
            Command::RatePeer {
                peer: ParticipantId(2),
                score: 4,
            },
        ),
        row(
            "rate_rubric",
            Facilitator,
            &[Debrief],
            Command::RateRubric {
                team: T1,
                dimension: "perspectives".into(),
                level: 2,
            },
        ),
    ]
}

fn with_timer(room: &mut Room) {
    room.timer = Some(riskroom_core::room::Timer {
        phase: room.phase,
        duration_ms: 600_000,
        running_since_ms: Some(1_000),
        used_ms: 0,
        close_input: false,
    });
}

/// A room with something of everything: two learners, two teams, two cards
/// (card 1 by Ada from a clue), a revealed estimate, a catalogue response
/// and a custom one on the board, one vote.
fn fixture() -> Room {
    let mut d = Drill::with_two_learners();
    d.ok(
        &F,
        Command::CreateTeam {
            name: "Blue".into(),
        },
    );
    d.advance();
    d.advance();
    d.ok(
        &p(1),
        Command::RaiseRisk {
            title: "Supplier".into(),
            description: "".into(),
            clue: Some(0),
        },
    );
    d.ok(
        &p(2),
        Command::RaiseRisk {
            title: "Cyber".into(),
            description: "".into(),
            clue: None,
        },
    );
    d.advance();
    d.ok(
        &p(1),
        Command::SubmitEstimate {
            card: CardId(1),
            estimate: estimate(0.2, 1.0e4, 1.0e5),
        },
    );
    d.ok(&F, Command::RevealEstimates { team: T1 });
    d.advance();
    d.ok(
        &p(2),
        Command::ProposeResponse {
            response: "second-source".into(),
        },
    );
    d.ok(
        &p(1),
        Command::ProposeCustomResponse {
            title: "Backups".into(),
            kind: ResponseKind::Reduce,
            cost: 5_000.0,
            effects: vec![],
        },
    );
    d.ok(
        &p(1),
        Command::Vote {
            response: BoardResponseId(1),
        },
    );
    d.room
}

fn phase_list(phases: &[Phase]) -> String {
    if phases == ANY {
        "any".into()
    } else {
        phases
            .iter()
            .map(|p| p.name())
            .collect::<Vec<_>>()
            .join(", ")
    }
}

#[test]
fn the_permission_table_holds_for_every_actor_in_every_phase() {
    let base = fixture();
    let mut table =
        String::from("| Command | Who may send it | In which phases |\n|---|---|---|\n");
    let mut wrong = Vec::new();
    for r in permission_rows() {
        let who = match r.who {
            Sender::Facilitator => "the facilitator",
            Sender::Learner => "a learner in a team",
            Sender::FacilitatorOrLearner => "the facilitator, or a learner for their own seat",
            Sender::Guest => "someone who has not joined yet",
            Sender::RoomView => "nobody",
        };
        table.push_str(&format!(
            "| `{}` | {who} | {} |\n",
            r.name,
            phase_list(r.phases)
        ));
        for phase in ANY {
            for (kind, actor) in [
                (Sender::Facilitator, F),
                (Sender::Learner, p(r.learner)),
                (Sender::Guest, guest(9)),
                (Sender::RoomView, Actor::RoomView),
            ] {
                let mut room = base.clone();
                room.phase = *phase;
                room.timer = None;
                (r.tweak)(&mut room);
                let sender_fits = kind == r.who
                    || (r.who == Sender::FacilitatorOrLearner
                        && matches!(kind, Sender::Facilitator | Sender::Learner));
                let allowed = sender_fits && r.phases.contains(phase);
                if r.name == "fire_inject" {
                    // What the console shows agrees with the rule.
                    assert_eq!(room.injects_open(), r.phases.contains(phase), "{phase:?}");
                }
                let got = room.handle_issuing(
                    &actor,
                    &r.command,
                    2_000,
                    &riskroom_core::scenario::parse,
                    Some(&test_secret()),
                );
                // The query every button asks agrees with the rule too.
                let offered = room.allows(&actor, r.command.action(), 2_000);
                if offered.is_ok() != allowed {
                    wrong.push(format!(
                        "allows({}) for {:?} in {phase:?}: {:?}",
                        r.name, actor, offered
                    ));
                }
                if got.is_ok() != allowed {
                    wrong.push(format!(
                        "{} by {:?} in {phase:?}: {:?}",
                        r.name,
                        actor,
                        got.map(|_| "accepted")
                    ));
                }
            }
        }
    }
    assert!(wrong.is_empty(), "{}", wrong.join("\n"));
    let docs = include_str!("../../../docs/permissions.md");
    assert!(
        docs.contains(&table),
        "docs/permissions.md must hold this table:\n{table}"
    );
}

#[test]
fn custom_origins_record_the_facilitators_acceptance() {
    let mut room = fixture();
    let events = room
        .handle(
            &F,
            &Command::AcceptCustomResponse {
                team: T1,
                response: BoardResponseId(2),
                effects: vec![Effect {
                    risk: "nope".into(),
                    probability: None,
                    impact: Some(0.5),
                    transfer: None,
                    avoid: None,
                }],
            },
            2_000,
        )
        .unwrap_err();
    assert_eq!(events.to_string(), "The scenario has no risk “nope”.");
    let refused = room
        .handle(
            &F,
            &Command::AcceptCustomResponse {
                team: T1,
                response: BoardResponseId(1),
                effects: vec![],
            },
            2_000,
        )
        .unwrap_err();
    assert_eq!(
        refused.to_string(),
        "Only a custom response needs the facilitator's acceptance."
    );
    // Accepted: the truth-model effect is recorded on the custom response.
    let effect = Effect {
        risk: "cyber".into(),
        probability: None,
        impact: Some(0.5),
        transfer: None,
        avoid: None,
    };
    let events = room
        .handle(
            &F,
            &Command::AcceptCustomResponse {
                team: T1,
                response: BoardResponseId(2),
                effects: vec![effect.clone()],
            },
            2_000,
        )
        .unwrap();
    for event in events {
        let stamped = riskroom_core::Stamped {
            seq: room.seq + 1,
            at_ms: 2_000,
            event,
        };
        room.apply(&stamped).unwrap();
    }
    assert!(matches!(
        &room.team(T1).unwrap().responses[1].origin,
        Origin::Custom { accepted: Some(effects), .. } if *effects == vec![effect]
    ));
}

#[test]
fn a_rooms_limits_are_kept_with_plain_refusals() {
    use riskroom_core::room::Limits;
    use riskroom_core::{RoomCode, Stamped};
    let limits = Limits {
        participants: 2,
        cards_per_team: 1,
        responses_per_team: 1,
        notes_per_team: 1,
        text_chars: 10,
    };
    let opening =
        Room::opening_with(RoomCode::parse("K7WQ3M").unwrap(), "Small", &key(), limits).unwrap();
    let room = Room::open(&Stamped {
        seq: 1,
        at_ms: 0,
        event: opening.clone(),
    })
    .unwrap();
    let mut d = Drill {
        room,
        log: vec![Stamped {
            seq: 1,
            at_ms: 0,
            event: opening,
        }],
        now: 1_000,
    };
    d.join(1, "Ada");
    d.join(2, "Grace");
    assert_eq!(
        d.refused(
            &guest(3),
            Command::Join {
                name: "Linus".into()
            }
        ),
        "This room is full: it takes at most 2 people."
    );
    // People coming and going: four times the room's places over its life.
    d.ok(&p(2), Command::Leave);
    for n in 3..=8 {
        d.join(n, &format!("Guest {n}"));
        d.ok(&p(n), Command::Leave);
    }
    assert_eq!(d.room.participants.len(), 8);
    assert_eq!(
        d.refused(
            &guest(9),
            Command::Join {
                name: "Linus".into()
            }
        ),
        "8 people have joined this room over its life, the most one room keeps. Ask the facilitator to open a new room."
    );
    // Back to where the rest of the test starts: Grace and Ada in the room.
    let mut d = {
        let room = Room::open(&d.log[0]).unwrap();
        let mut fresh = Drill {
            room,
            log: vec![d.log[0].clone()],
            now: 1_000,
        };
        fresh.join(1, "Ada");
        fresh.join(2, "Grace");
        fresh
    };
    d.choose_minimal();
    d.advance();
    d.advance();
    assert_eq!(
        d.refused(
            &p(1),
            Command::RaiseRisk {
                title: "Supplier".into(),
                description: "far too long a story".into(),
                clue: None
            }
        ),
        "A description can be at most 10 characters long (20 given)."
    );
    d.ok(
        &p(1),
        Command::RaiseRisk {
            title: "Supplier".into(),
            description: "short".into(),
            clue: None,
        },
    );
    assert_eq!(
        d.refused(
            &p(2),
            Command::RaiseRisk {
                title: "Cyber".into(),
                description: String::new(),
                clue: None
            }
        ),
        "Your team's board is full: at most 1 allowed (cards)."
    );
    d.ok(
        &p(1),
        Command::Comment {
            on: Target::Card(CardId(1)),
            text: "ok".into(),
        },
    );
    assert_eq!(
        d.refused(
            &p(2),
            Command::Comment {
                on: Target::Card(CardId(1)),
                text: "me too".into()
            }
        ),
        "Your team's board is full: at most 1 allowed (comments and notes)."
    );
    // The limits travel in the opening event, so a replay keeps them.
    assert_eq!(Room::replay(&d.log).unwrap().limits, limits);
}

/// The facilitator reveals the played year to the whole room: no further
/// than the year goes, and from the start again once the room goes back
/// before it.
#[test]
fn the_year_is_revealed_to_the_room_by_the_facilitator() {
    let mut d = Drill::with_supplier_card();
    d.advance(); // assess
    d.advance(); // respond
    d.advance(); // play the year
    let longest = riskroom_core::debrief::team_year(&d.room, d.room.team(T1).unwrap())
        .unwrap()
        .events
        .len() as u32;
    d.ok(&F, Command::RevealYear { shown: longest });
    assert_eq!(d.room.year_shown, longest);
    let refused = d.refused(&F, Command::RevealYear { shown: longest + 1 });
    assert_eq!(
        refused,
        format!("The played year has {longest} events: there is no further one to reveal.")
    );
    assert_eq!(
        d.refused(&p(1), Command::RevealYear { shown: 0 }),
        "Only the facilitator can reveal the played year."
    );
    d.ok(&F, Command::GoBackPhase);
    assert_eq!(d.room.year_shown, 0, "the year starts again");
}

/// Who adopts a response is the room's rule, enforced by the core: the
/// team's vote by default, the role model, or the facilitator; the
/// facilitator can always decide from the console, within the budget.
#[test]
fn the_adoption_rule_decides_who_puts_a_response_in_the_strategy() {
    let mut d = Drill::with_supplier_card();
    d.advance(); // assess
    d.advance(); // respond
    d.ok(
        &p(2),
        Command::ProposeResponse {
            response: "second-source".into(),
        },
    );
    let adopt = |adopted| Command::AdoptResponse {
        response: BoardResponseId(1),
        adopted,
    };
    let vote = Command::Vote {
        response: BoardResponseId(1),
    };
    // The team's vote: half of two is one vote.
    let refused = d.refused(&p(1), adopt(true));
    assert!(
        refused.contains("needs the votes of at least 1 of the team to be adopted; it has 0"),
        "{refused}"
    );
    d.ok(&p(2), vote);
    d.ok(&p(1), adopt(true));
    let refused = d.refused(&p(1), adopt(false));
    assert!(
        refused.contains("still has the votes of 1 of the team"),
        "{refused}"
    );
    d.ok(
        &p(2),
        Command::Unvote {
            response: BoardResponseId(1),
        },
    );
    d.ok(&p(1), adopt(false));

    // The role model confirms.
    d.ok(
        &F,
        Command::SetAdoptionRule {
            rule: AdoptionRule::RoleModel,
        },
    );
    assert_eq!(
        d.refused(&p(1), adopt(true)),
        "In this room the team's role model adopts and drops responses."
    );
    d.ok(
        &F,
        Command::MarkRoleModel {
            team: TeamId(1),
            participant: Some(ParticipantId(2)),
        },
    );
    d.ok(&p(2), adopt(true));

    // The facilitator alone, from the console.
    d.ok(
        &F,
        Command::SetAdoptionRule {
            rule: AdoptionRule::Facilitator,
        },
    );
    assert_eq!(
        d.refused(&p(2), adopt(false)),
        "In this room the facilitator adopts and drops responses."
    );
    d.ok(
        &F,
        Command::DecideResponse {
            team: T1,
            response: BoardResponseId(1),
            adopted: false,
        },
    );
    assert!(!d.room.team(T1).unwrap().responses[0].adopted);
    assert_eq!(
        d.refused(
            &p(1),
            Command::DecideResponse {
                team: T1,
                response: BoardResponseId(1),
                adopted: true
            }
        ),
        "Only the facilitator can adopt or drop a team's response."
    );
}

/// Pausing the room stops every learner's input, with the reason; the
/// facilitator still steers; carrying on lets input in again.
#[test]
fn a_paused_room_takes_no_input_from_learners() {
    let mut d = Drill::with_supplier_card();
    d.ok(&F, Command::PauseRoom { paused: true });
    assert_eq!(
        d.refused(
            &p(1),
            Command::RaiseRisk {
                title: "More".into(),
                description: String::new(),
                clue: None
            }
        ),
        "The facilitator has paused the room: wait for them to carry on."
    );
    assert!(
        !d.room
            .may(&p(1), riskroom_core::room::Action::RaiseRisk, d.now)
    );
    d.advance(); // the facilitator still steers: assess
    d.ok(&F, Command::PauseRoom { paused: false });
    d.ok(
        &p(1),
        Command::SubmitEstimate {
            card: CardId(1),
            estimate: estimate(0.2, 50_000.0, 400_000.0),
        },
    );
}

/// The room view pages a list longer than its screen: only the facilitator
/// turns the page, never past the last, and a new phase starts at the
/// first page.
#[test]
fn the_facilitator_turns_the_room_views_page() {
    use riskroom_core::room::ROOM_VIEW_ROWS_TALL;
    let mut d = Drill::with_supplier_card();
    assert_eq!(d.room.screen().pages, 1);
    assert_eq!(d.room.screen().page_label(), None);
    for n in 1..=ROOM_VIEW_ROWS_TALL {
        d.raise(2, &format!("Risk {n}"), false);
    }
    // One card more than a page holds: a second page.
    let screen = d.room.screen();
    assert_eq!((screen.pages, screen.rows), (2, ROOM_VIEW_ROWS_TALL));
    assert_eq!(
        screen.rows_of(ROOM_VIEW_ROWS_TALL + 1),
        0..ROOM_VIEW_ROWS_TALL
    );
    assert_eq!(
        d.refused(&p(1), Command::ShowRoomViewPage { page: 1 }),
        "Only the facilitator can turn the room view's page."
    );
    assert_eq!(
        d.refused(&F, Command::ShowRoomViewPage { page: 2 }),
        "The room view has 2 pages in this phase."
    );
    d.ok(&F, Command::ShowRoomViewPage { page: 1 });
    let screen = d.room.screen();
    assert_eq!(screen.page, 1);
    assert_eq!(screen.page_label().as_deref(), Some("Page 2 of 2"));
    assert_eq!(
        screen.rows_of(ROOM_VIEW_ROWS_TALL + 1),
        ROOM_VIEW_ROWS_TALL..ROOM_VIEW_ROWS_TALL + 1
    );
    d.advance(); // assess: nothing revealed, nothing to page
    assert_eq!((d.room.room_view_page, d.room.screen().pages), (0, 1));
}

/// The debrief pages by team after the teams compared, and its scores
/// reach the room when the facilitator reveals them.
#[test]
fn the_debrief_scores_are_revealed_by_the_facilitator() {
    let mut d = Drill::with_supplier_card();
    d.ok(
        &F,
        Command::CreateTeam {
            name: "Blue".into(),
        },
    );
    d.ok(
        &F,
        Command::MoveToTeam {
            participant: ParticipantId(2),
            team: TeamId(2),
        },
    );
    for _ in 0..4 {
        d.advance(); // assess, respond, play the year, debrief
    }
    assert_eq!(
        d.refused(&p(1), Command::RevealScores { shown: true }),
        "Only the facilitator can reveal the scores."
    );
    assert!(!d.room.scores_shown);
    d.ok(&F, Command::RevealScores { shown: true });
    assert!(d.room.scores_shown);
    let screen = d.room.screen();
    assert_eq!((screen.pages, screen.focus), (3, None));
    d.ok(&F, Command::ShowRoomViewPage { page: 2 });
    assert_eq!(d.room.screen().focus, Some(TeamId(2)));
    d.ok(&F, Command::GoBackPhase);
    assert!(!d.room.scores_shown, "going back hides the scores again");
    assert_eq!(d.room.room_view_page, 0);
}

/// A seat code is decided by the core: who may make one, for whom, how
/// long it moves the seat, and that only its hash is kept and never sent.
#[test]
fn a_seat_code_moves_a_seat_only_while_it_is_valid() {
    let mut d = Drill::with_supplier_card();
    let events = d.ok(
        &F,
        Command::HandOverSeat {
            id: ParticipantId(1),
        },
    );
    assert_eq!(
        events,
        vec![Event::SeatCodeIssued {
            participant: ParticipantId(1),
            code: test_seat_code().hash(),
            expires_ms: d.now + 15 * 60 * 1000,
        }]
    );
    // Nobody is sent the hash: the event is withheld from every view.
    let stamped = d.log.last().unwrap().clone();
    for actor in [F, p(1), p(2), Actor::RoomView] {
        assert_eq!(stamped.event.redacted_for(&actor, &d.room), Event::Withheld);
        assert!(d.room.view_for(&actor).seat_codes.is_empty());
    }
    assert_eq!(
        d.refused(
            &p(2),
            Command::HandOverSeat {
                id: ParticipantId(1)
            }
        ),
        "You can hand over only your own seat; the facilitator can hand over anyone's."
    );
    assert_eq!(
        d.refused(
            &guest(5),
            Command::HandOverSeat {
                id: ParticipantId(1)
            }
        ),
        "Join the room first."
    );
    assert_eq!(
        d.refused(
            &F,
            Command::HandOverSeat {
                id: ParticipantId(7)
            }
        ),
        "There is no participant p7 in this room."
    );
    // Without a code drawn by whoever holds the room, none is made.
    let refused = d
        .room
        .handle(
            &p(1),
            &Command::HandOverSeat {
                id: ParticipantId(1),
            },
            d.now,
        )
        .unwrap_err();
    assert_eq!(refused, riskroom_core::Rejection::NotIssued);

    let claim = |code: &str| Command::ClaimSeat { code: code.into() };
    let wrong = "That seat code is not right or has expired. Ask the facilitator for a new one.";
    assert_eq!(d.refused(&guest(5), claim("K7WQ-3M9V")), wrong);
    assert_eq!(
        d.refused(&p(2), claim(&test_seat_code().grouped())),
        "You have already joined this room."
    );
    // Fifteen minutes on, the code is spent.
    d.now += 15 * 60 * 1000;
    assert_eq!(
        d.refused(&guest(5), claim(&test_seat_code().grouped())),
        wrong
    );
    // Ada makes a new one herself, and a guest page takes her seat.
    d.ok(
        &p(1),
        Command::HandOverSeat {
            id: ParticipantId(1),
        },
    );
    // Typed forgivingly: lower case, a space for the dash.
    let typed = test_seat_code().grouped().to_lowercase().replace('-', " ");
    let events = d.ok(&guest(5), claim(&typed));
    assert_eq!(
        events,
        vec![Event::SeatMoved {
            participant: ParticipantId(1),
            seat: Some(seat(5).hash()),
        }]
    );
    let token = |n| riskroom_core::Credential::Participant { token: seat(n) };
    assert_eq!(d.room.authenticate(&token(5)), Ok(p(1)));
    assert_eq!(
        d.room.authenticate(&token(1)).unwrap_err().to_string(),
        "Your seat in room K7WQ3M moved to another device. Carry on there, or ask the facilitator for a seat code to bring it back here."
    );
    assert_eq!(d.room.role_of(ParticipantId(1)), Some("finance"));
    assert_eq!(d.room.team(T1).unwrap().cards[0].author, ParticipantId(1));
    // Used up; others see the move without any hash.
    assert_eq!(
        d.refused(&guest(6), claim(&test_seat_code().grouped())),
        wrong
    );
    let moved = d
        .log
        .iter()
        .rev()
        .find(|s| matches!(s.event, Event::SeatMoved { .. }))
        .unwrap();
    assert_eq!(
        moved.event.redacted_for(&F, &d.room),
        Event::SeatMoved {
            participant: ParticipantId(1),
            seat: None
        }
    );
    assert_eq!(Room::replay(&d.log).unwrap(), d.room);
}

/// The facilitator removes someone, with their cards and for good: the
/// cards leave the board, the name cannot join again, another name can.
#[test]
fn a_removed_learner_can_be_kept_out_with_their_cards() {
    let mut d = Drill::with_supplier_card();
    d.raise(1, "Rude words", false);
    d.raise(2, "Cyber", false);
    let events = d.ok(
        &F,
        Command::RemoveParticipant {
            id: ParticipantId(1),
            cards: true,
            block: true,
        },
    );
    assert_eq!(events.len(), 3, "{events:?}");
    let team = d.room.team(T1).unwrap();
    let live: Vec<_> = team
        .cards
        .iter()
        .filter(|c| c.live())
        .map(|c| c.title.as_str())
        .collect();
    assert_eq!(live, ["Cyber"]);
    assert!(
        team.cards
            .iter()
            .filter(|c| !c.live())
            .all(|c| c.set_aside())
    );
    for name in ["Ada", " ADA "] {
        assert_eq!(
            d.refused(&guest(5), Command::Join { name: name.into() }),
            format!(
                "The facilitator has removed “{}” from this room.",
                name.trim()
            )
        );
    }
    assert_eq!(
        d.refused(&p(2), Command::Rename { name: "ada".into() }),
        "The facilitator has removed “ada” from this room."
    );
    // Learners' copies do not say the removal was for good.
    let stamped = d
        .log
        .iter()
        .find(|s| matches!(s.event, Event::ParticipantRemoved { .. }))
        .unwrap();
    assert_eq!(
        stamped.event.redacted_for(&p(2), &d.room),
        Event::ParticipantRemoved {
            id: ParticipantId(1),
            block: false
        }
    );
    assert_eq!(d.room.view_for(&F).blocked, vec![ParticipantId(1)]);
    // Without `block`, the same name may come back.
    d.ok(
        &F,
        Command::RemoveParticipant {
            id: ParticipantId(2),
            cards: false,
            block: false,
        },
    );
    assert!(
        d.room.team(T1).unwrap().cards[2].live(),
        "Grace's card stays"
    );
    d.join(6, "Grace");
    assert_eq!(Room::replay(&d.log).unwrap(), d.room);
}

/// Learners own their words: the author edits and withdraws their card
/// while the team raises risks; a withdrawn card leaves every board, its
/// duplicates come back, its estimates go.
#[test]
fn learners_edit_and_withdraw_their_own_cards() {
    let mut d = Drill::with_supplier_card();
    d.raise(2, "Supplier again", false);
    d.raise(2, "Supplier once more", false);
    d.ok(
        &F,
        Command::MergeCards {
            team: T1,
            card: CardId(2),
            into: CardId(1),
        },
    );
    d.ok(
        &p(1),
        Command::EditRisk {
            card: CardId(1),
            title: "Single supplier".into(),
            description: "Only one plant".into(),
        },
    );
    assert_eq!(
        d.refused(&p(2), Command::WithdrawRisk { card: CardId(1) }),
        "Only the author of a card can withdraw it; the facilitator can hide it instead."
    );
    assert_eq!(
        d.refused(&F, Command::WithdrawRisk { card: CardId(1) }),
        "Only learners can withdraw risks."
    );
    // Estimated once (in Assess, then back to Identify).
    d.advance();
    assert_eq!(
        d.refused(&p(1), Command::WithdrawRisk { card: CardId(1) }),
        "Withdrawing a risk happens in the Identify phase; the room is in the Assess phase."
    );
    d.ok(
        &p(2),
        Command::SubmitEstimate {
            card: CardId(1),
            estimate: estimate(0.2, 1e4, 1e5),
        },
    );
    d.ok(&F, Command::GoBackPhase);
    d.ok(&p(1), Command::WithdrawRisk { card: CardId(1) });
    let team = d.room.team(T1).unwrap();
    let card = team.card(CardId(1)).unwrap();
    assert!(card.withdrawn && !card.live() && !card.set_aside());
    assert_eq!((card.title.as_str(), card.description.as_str()), ("", ""));
    assert_eq!(card.risk, None);
    assert!(
        team.card(CardId(2)).unwrap().live(),
        "the duplicate is back"
    );
    assert!(team.estimates.is_empty(), "estimates of it are gone");
    // Gone for good: no edit, no comment, no second withdrawal, no showing again.
    for (actor, command) in [
        (
            p(1),
            Command::EditRisk {
                card: CardId(1),
                title: "Back".into(),
                description: String::new(),
            },
        ),
        (p(1), Command::WithdrawRisk { card: CardId(1) }),
        (
            p(2),
            Command::Comment {
                on: Target::Card(CardId(1)),
                text: "Where did it go?".into(),
            },
        ),
        (
            F,
            Command::HideCard {
                team: T1,
                card: CardId(1),
                hidden: false,
            },
        ),
    ] {
        assert_eq!(
            d.refused(&actor, command),
            "There is no card 1 on your team's board."
        );
    }
    // A card merged into one merged away follows it on.
    d.raise(2, "Another", false);
    for (card, into) in [(4, 2), (2, 3)] {
        d.ok(
            &F,
            Command::MergeCards {
                team: T1,
                card: CardId(card),
                into: CardId(into),
            },
        );
    }
    d.ok(&p(2), Command::WithdrawRisk { card: CardId(2) });
    let team = d.room.team(T1).unwrap();
    assert_eq!(team.card(CardId(4)).unwrap().merged_into, Some(CardId(3)));
    // Time up closes withdrawing like raising.
    d.ok(
        &F,
        Command::StartTimer {
            seconds: 1,
            close_input: true,
        },
    );
    d.now += 2_000;
    assert_eq!(
        d.refused(&p(2), Command::WithdrawRisk { card: CardId(3) }),
        "Time is up for this phase: the facilitator can extend the timer."
    );
    // Everyone's board, folded from their own events, agrees.
    assert_eq!(Room::replay(&d.log).unwrap(), d.room);
}

/// Each team has its own role model (at most one, a member); moving one
/// away leaves the team without; the console's warnings name who the
/// scenario suggests and a role model who does not play the seasoned role.
#[test]
fn every_team_has_its_own_role_model() {
    let mut d = Drill::new();
    d.ok(
        &F,
        Command::CreateTeam {
            name: "Blue".into(),
        },
    );
    for (n, name) in [(1, "Ada"), (2, "Grace"), (3, "Linus"), (4, "Barbara")] {
        d.join(n, name);
    }
    d.choose_minimal();
    let team = |d: &Drill, id: u32| d.room.team(TeamId(id)).unwrap().clone();
    let (one, two) = (team(&d, 1), team(&d, 2));
    let seasoned = |t: &riskroom_core::room::Team| {
        t.members
            .iter()
            .find(|m| m.role.as_deref() == Some("finance"))
            .map(|m| m.id)
    };
    // Nobody marked: the console is told who plays the seasoned role.
    assert_eq!(d.room.suggested_role_model(&one), seasoned(&one));
    let warning = d.room.role_model_warning(&one).unwrap();
    assert!(
        warning.starts_with("Team 1 has no role model yet:"),
        "{warning}"
    );
    assert!(
        warning.ends_with("plays the seasoned Finance."),
        "{warning}"
    );

    let (a, b) = (one.members[0].id, two.members[0].id);
    d.ok(
        &F,
        Command::MarkRoleModel {
            team: TeamId(1),
            participant: Some(a),
        },
    );
    d.ok(
        &F,
        Command::MarkRoleModel {
            team: TeamId(2),
            participant: Some(b),
        },
    );
    // Marking Team 2's did not unmark Team 1's.
    assert_eq!(team(&d, 1).role_model, Some(a));
    assert_eq!(team(&d, 2).role_model, Some(b));
    assert!(d.room.is_role_model(a) && d.room.is_role_model(b));
    // A second one in Team 1 replaces the first.
    let a2 = one.members[1].id;
    d.ok(
        &F,
        Command::MarkRoleModel {
            team: TeamId(1),
            participant: Some(a2),
        },
    );
    assert_eq!(team(&d, 1).role_model, Some(a2));
    assert!(!d.room.is_role_model(a));
    // Only a member of the team.
    assert_eq!(
        d.refused(
            &F,
            Command::MarkRoleModel {
                team: TeamId(1),
                participant: Some(b),
            },
        ),
        "A team's role model is one of its members, and this learner is not in Team 1."
    );
    // One who does not play the seasoned role is named.
    let plays_finance = |id| d.room.role_of(id) == Some("finance");
    match (plays_finance(a2), d.room.role_model_warning(&team(&d, 1))) {
        (true, None) => {}
        (false, Some(w)) => assert!(w.ends_with("not the scenario's seasoned Finance."), "{w}"),
        other => panic!("{other:?}"),
    }
    // Shown on every screen while names are shown; with names hidden, only
    // on the facilitator's and the role model's own.
    assert!(d.room.shows_role_model(&Actor::RoomView, a2));
    assert!(d.room.shows_role_model(&p(b.0), a2));
    d.ok(&F, Command::SetAnonymity { anonymous: true });
    assert!(d.room.shows_role_model(&F, a2));
    assert!(d.room.shows_role_model(&p(a2.0), a2));
    assert!(!d.room.shows_role_model(&p(b.0), a2));
    assert!(!d.room.shows_role_model(&Actor::RoomView, a2));
    d.ok(&F, Command::SetAnonymity { anonymous: false });
    // Moving a role model to another team leaves their team without one.
    d.ok(
        &F,
        Command::MoveToTeam {
            participant: a2,
            team: TeamId(2),
        },
    );
    assert_eq!(team(&d, 1).role_model, None);
    assert_eq!(team(&d, 2).role_model, Some(b));
    assert!(!d.room.is_role_model(a2));
    // The room view explains its mark where its lists carry it.
    assert_eq!(d.room.room_view_legend(), None, "not in the lobby");
    d.advance(); // briefing
    d.advance(); // identify
    let names = |d: &Drill, id: ParticipantId| d.room.participant(id).unwrap().name.clone();
    assert_eq!(
        d.room.room_view_legend(),
        Some(format!(
            "★ role model: {} ({})",
            names(&d, b),
            team(&d, 2).name
        ))
    );
    d.ok(&F, Command::SetAnonymity { anonymous: true });
    assert_eq!(d.room.room_view_legend(), None, "names hidden");
    d.ok(&F, Command::SetAnonymity { anonymous: false });
    // Unmarking.
    d.ok(
        &F,
        Command::MarkRoleModel {
            team: TeamId(2),
            participant: None,
        },
    );
    assert_eq!(team(&d, 2).role_model, None);
    assert_eq!(d.room.room_view_legend(), None, "no role model left");
}

/// A log written when a room had one role model still replays: the one
/// marked becomes their team's, and only theirs.
#[test]
fn an_old_logs_role_model_is_their_teams() {
    let mut d = Drill::new();
    d.ok(
        &F,
        Command::CreateTeam {
            name: "Blue".into(),
        },
    );
    d.join(1, "Ada");
    d.join(2, "Grace");
    let mut room = d.room.clone();
    let ada = ParticipantId(1);
    let at = room.seq + 1;
    let event: riskroom_core::room::Event =
        serde_json::from_str(r#"{"type":"role_model_marked","participant":1}"#).unwrap();
    room.apply(&riskroom_core::room::Stamped {
        seq: at,
        at_ms: 0,
        event,
    })
    .unwrap();
    let home = room.team_of(ada).unwrap().id;
    for t in &room.teams {
        assert_eq!(t.role_model, (t.id == home).then_some(ada));
    }
}

/// Nothing adopted costs 0, not -0 (which screens would write "-0").
#[test]
fn nothing_adopted_costs_a_plain_zero() {
    let d = Drill::with_two_learners();
    let cost = d.room.adopted_cost(d.room.team(TeamId(1)).unwrap());
    assert_eq!(cost, 0.0);
    assert!(cost.is_sign_positive(), "{cost:?}");
}

/// A name of nothing visible, or one that turns the text around, is refused
/// and changes nothing; so is such a card title.
#[test]
fn names_and_titles_show_something_and_keep_their_direction() {
    let mut d = Drill::with_supplier_card();
    let before = d.room.clone();
    assert!(
        d.refused(
            &guest(9),
            Command::Join {
                name: "\u{200B}\u{2060}".into()
            }
        )
        .starts_with("Please enter"),
    );
    assert!(
        d.refused(
            &guest(9),
            Command::Join {
                name: "Joan\u{202E}gnp".into()
            }
        )
        .ends_with("cannot hold characters that reverse the direction of text."),
    );
    assert_eq!(d.room, before, "nothing changed");
    d.advance(); // assess: raising is still open
    assert!(
        d.refused(
            &p(1),
            Command::RaiseRisk {
                title: "\u{FEFF}".into(),
                description: String::new(),
                clue: None,
            }
        )
        .starts_with("Please enter"),
    );
}

/// Whether the role model proposed or backed a response, as each screen may
/// show it: by name while names are shown, to the room view too; with names
/// hidden, only on the facilitator's screen and the role model's own.
#[test]
fn a_response_shows_whether_the_role_model_proposed_or_backed_it() {
    use riskroom_core::room::RoleModelBacking::{Backed, Proposed};
    let mut d = Drill::with_supplier_card();
    d.ok(
        &F,
        Command::MarkRoleModel {
            team: T1,
            participant: Some(ParticipantId(1)),
        },
    );
    d.advance(); // assess
    d.advance(); // respond
    d.ok(
        &p(1),
        Command::ProposeResponse {
            response: "cyber-insurance".into(),
        },
    );
    d.ok(
        &p(2),
        Command::ProposeResponse {
            response: "second-source".into(),
        },
    );
    let backing = |d: &Drill, viewer: &Actor| {
        let team = d.room.team(T1).unwrap();
        team.responses
            .iter()
            .map(|x| d.room.role_model_backing(viewer, team, x))
            .collect::<Vec<_>>()
    };
    assert_eq!(backing(&d, &Actor::RoomView), [Some(Proposed), None]);
    let graces = d.room.team(T1).unwrap().responses[1].id;
    d.ok(&p(1), Command::Vote { response: graces });
    assert_eq!(backing(&d, &p(2)), [Some(Proposed), Some(Backed)]);
    d.ok(&F, Command::SetAnonymity { anonymous: true });
    assert_eq!(backing(&d, &Actor::RoomView), [None, None]);
    assert_eq!(backing(&d, &p(2)), [None, None]);
    assert_eq!(backing(&d, &F), [Some(Proposed), Some(Backed)]);
    assert_eq!(backing(&d, &p(1)), [Some(Proposed), Some(Backed)]);
}
