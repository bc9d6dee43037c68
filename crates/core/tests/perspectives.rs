//! Perspectives: which role's facts reached the board, the console's line
//! for a role whose facts are missing, the nudge that reaches only that
//! role's phone, the counts the room view is shown (never the facts), and
//! the briefs read by the team in the debrief.

mod common;

use common::*;
use riskroom_core::room::{Actor, RoleCoverage, TeamId};
use riskroom_core::{Command, Event, ParticipantId};

/// The minimal scenario with two facts for Operations: one on the risk
/// Finance also knows, one only Operations knows, which decides the day.
fn scenario() -> String {
    MINIMAL.replace(
        "brief = \"The supplier is single-source.\"",
        "brief = \"The supplier is single-source.\"\n\n[[role.clue]]\ntext = \"Our only supplier missed two deliveries.\"\nrisk = \"supplier-failure\"\n\n[[role.clue]]\ntext = \"The plant's control system still runs Windows XP.\"\nrisk = \"cyber\"\ndecisive = true",
    )
}

fn drill() -> Drill {
    let mut d = Drill::new();
    d.join(1, "Ada");
    d.join(2, "Grace");
    d.ok(
        &F,
        Command::ChooseScenario {
            file: "m.toml".into(),
            text: scenario(),
        },
    );
    d.advance(); // briefing
    d.advance(); // identify
    d
}

#[test]
fn the_console_sees_which_facts_reached_the_board() {
    let mut d = drill();
    let team = d.room.team(TeamId(1)).unwrap().clone();
    let p = d.room.perspectives(&team);
    assert_eq!(p.len(), 2, "both roles hold facts");
    let (finance, ops) = (&p[0], &p[1]);
    assert_eq!(finance.players, vec![ParticipantId(1)]);
    assert_eq!(ops.players, vec![ParticipantId(2)]);
    assert_eq!((finance.raised(), finance.unraised()), (0, 1));
    assert!(!finance.facts[0].only_here, "Operations knows it too");
    assert!(ops.facts[1].only_here && ops.facts[1].decisive);
    assert_eq!(
        d.room.unheard_line(ops).as_deref(),
        Some("Operations (Grace) holds 2 facts nobody has raised, 1 of them decisive.")
    );
    assert_eq!(
        d.room.unheard_line(finance).as_deref(),
        Some("Finance (Ada) holds 1 fact nobody has raised.")
    );

    // Ada raises her fact: it covers Grace's first one too (same risk).
    d.raise(1, "Supplier", true);
    let team = d.room.team(TeamId(1)).unwrap().clone();
    let p = d.room.perspectives(&team);
    assert_eq!(p[0].unraised(), 0);
    assert_eq!(d.room.unheard_line(&p[0]), None);
    assert_eq!(p[1].raised(), 1);
    assert_eq!(
        d.room.unheard_line(&p[1]).as_deref(),
        Some("Operations (Grace) holds 1 fact nobody has raised, a decisive one.")
    );
    // Withdrawn, it no longer counts.
    d.ok(
        &p1(),
        Command::WithdrawRisk {
            card: riskroom_core::room::CardId(1),
        },
    );
    let team = d.room.team(TeamId(1)).unwrap().clone();
    assert_eq!(d.room.perspectives(&team)[0].unraised(), 1);
}

fn p1() -> Actor {
    p(1)
}

#[test]
fn a_nudge_reaches_only_the_roles_phone() {
    let mut d = drill();
    let events = d.ok(
        &F,
        Command::NudgeRole {
            team: TeamId(1),
            role: "operations".into(),
        },
    );
    let seq = d.room.seq;
    assert!(matches!(&events[0], Event::RoleNudged { role, .. } if role == "operations"));
    let (line_seq, line) = d.room.nudge_for(ParticipantId(2)).unwrap();
    assert_eq!(line_seq, seq);
    assert_eq!(
        line,
        "The facilitator asks you to bring in what your brief tells you: 2 facts of it are not on the board yet."
    );
    assert_eq!(
        d.room.nudge_for(ParticipantId(1)),
        None,
        "Finance was not nudged"
    );
    // Only Grace's view holds it, and only her page is sent it.
    let stamped = d.log.last().unwrap().clone();
    assert_eq!(
        stamped.redacted_for(&p(1), &d.room).event,
        Event::Withheld,
        "Ada's page"
    );
    assert_eq!(
        stamped.redacted_for(&Actor::RoomView, &d.room).event,
        Event::Withheld
    );
    assert_eq!(stamped.redacted_for(&p(2), &d.room).event, stamped.event);
    assert!(d.room.view_for(&p(1)).teams[0].nudges.is_empty());
    assert_eq!(d.room.view_for(&p(2)).teams[0].nudges.len(), 1);
    // From her own view, her phone words it the same.
    assert_eq!(
        d.room
            .view_for(&p(2))
            .nudge_for(ParticipantId(2))
            .map(|(_, l)| l),
        Some(line)
    );
    // Refusals: a role nobody in the team plays, a role the scenario lacks,
    // a learner nudging.
    assert_eq!(
        d.refused(
            &F,
            Command::NudgeRole {
                team: TeamId(1),
                role: "legal".into()
            }
        ),
        "The scenario has no role “legal”."
    );
    assert_eq!(
        d.refused(
            &p(1),
            Command::NudgeRole {
                team: TeamId(1),
                role: "operations".into()
            }
        ),
        "Only the facilitator can nudge a role."
    );
    // Once the facts are on the board the nudge says nothing more.
    d.raise(1, "Supplier", true);
    d.ok(
        &p(2),
        Command::RaiseRisk {
            title: "Old control system".into(),
            description: String::new(),
            clue: Some(1),
        },
    );
    assert_eq!(d.room.nudge_for(ParticipantId(2)), None);
}

#[test]
fn the_room_view_is_shown_counts_never_facts() {
    let mut d = drill();
    d.raise(1, "Supplier", true);
    d.ok(&F, Command::ShowCoverage { shown: true });
    let view = d.room.view_for(&Actor::RoomView);
    let shown = view.coverage_shown.as_ref().unwrap();
    assert_eq!(
        shown[0].roles,
        vec![
            RoleCoverage {
                role_name: "Finance".into(),
                raised: 1,
                facts: 1,
                played: true
            },
            RoleCoverage {
                role_name: "Operations".into(),
                raised: 1,
                facts: 2,
                played: true
            },
        ]
    );
    // The snapshot holds no words of a brief.
    let json = serde_json::to_string(&view).unwrap();
    assert!(!json.contains("Windows XP") && !json.contains("missed two deliveries"));
    d.ok(&F, Command::ShowCoverage { shown: false });
    assert_eq!(d.room.coverage_shown, None);
    assert!(d.ok(&F, Command::ShowCoverage { shown: false }).is_empty());
}

#[test]
fn the_debrief_reads_every_brief_to_the_team_and_no_words_to_the_wall() {
    let mut d = drill();
    for _ in 0..4 {
        d.advance(); // assess, respond, the year, the debrief
    }
    let ada = d.room.view_for(&p(1));
    let scenario = ada.scenario.as_deref().unwrap();
    let ops = scenario.role("operations").unwrap();
    assert_eq!(ops.clues.len(), 2);
    assert!(
        ops.clues[1].text.contains("Windows XP"),
        "Ada reads Grace's brief"
    );
    let team = ada.team(TeamId(1)).unwrap();
    assert_eq!(ada.perspectives(team)[1].unraised(), 2);
    let wall = d.room.view_for(&Actor::RoomView);
    let ops = wall
        .scenario
        .as_deref()
        .unwrap()
        .role("operations")
        .unwrap();
    assert_eq!(ops.clues.len(), 2, "the wall counts the facts");
    assert!(ops.clues.iter().all(|c| c.text.is_empty()) && ops.brief.is_empty());
    // Before the debrief a learner reads only their own brief.
    let mut d = drill();
    d.advance();
    let ada = d.room.view_for(&p(1));
    assert!(
        ada.scenario
            .as_deref()
            .unwrap()
            .role("operations")
            .unwrap()
            .clues
            .is_empty()
    );
}

#[test]
fn the_debrief_counts_what_the_risks_nobody_raised_cost() {
    use riskroom_core::sim::{Year, YearEvent};
    let mut d = drill();
    d.raise(1, "Supplier", true);
    let event = |risk: &str, retained: f64| YearEvent {
        day: 10,
        risk: risk.into(),
        title: risk.into(),
        gross: retained,
        retained,
        prevented: false,
    };
    let year = |events: Vec<YearEvent>| Year {
        seed: 1,
        events,
        gross: 0.0,
        retained: 0.0,
        strategy_cost: 0.0,
        savings: Vec::new(),
    };
    let team = d.room.team(TeamId(1)).unwrap().clone();
    let struck = year(vec![
        event("supplier-failure", 400_000.0),
        event("cyber", 120_000.0),
        event("cyber", 30_000.4),
        event("port-strike", 5_000.0),
    ]);
    assert_eq!(d.room.unraised_in_year(&team, &struck), (3, 155_000.4));
    assert_eq!(
        d.room.unraised_sentence(&team, &struck, "EUR"),
        "Risks nobody raised struck 3 times in the played year and left EUR 155,000 to bear."
    );
    let once = year(vec![event("cyber", 1_000.0)]);
    assert_eq!(
        d.room.unraised_sentence(&team, &once, "EUR"),
        "Risks nobody raised struck once in the played year and left EUR 1,000 to bear."
    );
    let covered = year(vec![event("supplier-failure", 1.0)]);
    assert_eq!(
        d.room.unraised_sentence(&team, &covered, "EUR"),
        "Every risk that struck in the played year was on the board."
    );
}

#[test]
fn the_console_sees_the_balance_of_voices_and_the_quiet_role() {
    let mut d = drill();
    let team = |d: &Drill| d.room.team(TeamId(1)).unwrap().clone();
    assert_eq!(d.room.quiet_line(&team(&d)), None, "nobody has spoken");
    for title in ["Supplier", "Cash", "Port"] {
        d.ok(
            &p(1),
            Command::RaiseRisk {
                title: title.into(),
                description: String::new(),
                clue: None,
            },
        );
    }
    let voices = d.room.voices(&team(&d));
    assert_eq!(voices.len(), 2);
    assert_eq!(
        (
            voices[0].role_name.as_str(),
            voices[0].raised,
            voices[0].total()
        ),
        ("Finance", 3, 3)
    );
    assert_eq!(voices[1].total(), 0);
    assert_eq!(
        d.room.quiet_line(&team(&d)).as_deref(),
        Some(
            "Operations (Grace) has added 0 things in Identify; the busiest role 3 — draw them in."
        )
    );
    // One comment from Grace is a third of three: balanced enough.
    d.ok(
        &p(2),
        Command::Comment {
            on: riskroom_core::room::Target::Card(riskroom_core::room::CardId(1)),
            text: "It happened before.".into(),
        },
    );
    assert_eq!(d.room.voices(&team(&d))[1].commented, 1);
    assert_eq!(d.room.quiet_line(&team(&d)), None);
    // A new phase starts the count again: what was said in Identify is
    // not this phase's.
    d.advance();
    let voices = d.room.voices(&team(&d));
    assert_eq!((voices[0].total(), voices[0].this_phase), (3, 0));
    assert_eq!(
        d.room.quiet_line(&team(&d)),
        None,
        "nobody has spoken in Assess yet"
    );
    d.ok(
        &p(1),
        Command::SubmitEstimate {
            card: riskroom_core::room::CardId(1),
            estimate: estimate(0.2, 50_000.0, 400_000.0),
        },
    );
    assert_eq!(
        d.room.quiet_line(&team(&d)).as_deref(),
        Some("Operations (Grace) has added 0 things in Assess; the busiest role 1 — draw them in.")
    );
}
