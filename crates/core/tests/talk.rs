//! Estimate, talk, estimate: the discussion round keeps both rounds, names
//! the pair furthest apart on each risk while the team talks, and the
//! debrief measures before against after — closed forms on constructed
//! estimates of the minimal scenario's supplier failure (a yearly chance of
//! 20%, a typical loss of about 141,000).

mod common;

use common::*;
use riskroom_core::room::{CardId, TeamId};
use riskroom_core::talk::{FarApart, Influence, role_model_influence, talk_measure};
use riskroom_core::{Command, ParticipantId};

fn estimate_as(d: &mut Drill, n: u32, p: f64, low: f64, high: f64) {
    d.ok(
        &common::p(n),
        Command::SubmitEstimate {
            card: CardId(1),
            estimate: estimate(p, low, high),
        },
    );
}

/// Ada (the role model) and Grace estimate, talk, and estimate again.
fn two_rounds() -> Drill {
    let mut d = Drill::with_supplier_card();
    d.ok(
        &F,
        Command::MarkRoleModel {
            team: T1,
            participant: Some(ParticipantId(1)),
        },
    );
    d.advance(); // assess
    estimate_as(&mut d, 1, 0.5, 300_000.0, 900_000.0);
    estimate_as(&mut d, 2, 0.8, 1_000_000.0, 2_000_000.0);
    let team = d.room.team(T1).unwrap().clone();
    assert!(!d.room.discussing(&team), "not before the reveal");
    assert_eq!(
        d.refused(&F, Command::StartSecondRound { team: T1 }),
        "Reveal Team 1's first estimates before the second round: the talk comes between them."
    );
    d.ok(&F, Command::RevealEstimates { team: T1 });
    let team = d.room.team(T1).unwrap().clone();
    assert!(
        !d.room.discussing(&team),
        "the spread first, until the facilitator opens the talk"
    );
    assert!(d.room.discussion_open(&team) && d.room.furthest_apart(&team).is_empty());
    d.ok(&F, Command::StartDiscussion { team: T1 });
    let team = d.room.team(T1).unwrap().clone();
    assert!(d.room.discussing(&team) && !d.room.discussion_open(&team));
    assert_eq!(
        d.room.furthest_apart(&team),
        vec![FarApart {
            card: CardId(1),
            a: ParticipantId(1),
            b: ParticipantId(2)
        }]
    );
    d.ok(&F, Command::StartSecondRound { team: T1 });
    let team = d.room.team(T1).unwrap().clone();
    assert!(!team.revealed && team.estimates.is_empty() && team.first_round.len() == 2);
    assert!(d.room.furthest_apart(&team).is_empty(), "the talk is over");
    assert_eq!(
        d.refused(&F, Command::StartSecondRound { team: T1 }),
        "Team 1 is already in its second round of estimates."
    );
    estimate_as(&mut d, 1, 0.25, 100_000.0, 200_000.0);
    estimate_as(&mut d, 2, 0.31, 100_000.0, 300_000.0);
    d.ok(&F, Command::RevealEstimates { team: T1 });
    d
}

#[test]
fn the_talk_is_measured_before_and_after_against_the_truth() {
    let d = two_rounds();
    let team = d.room.team(T1).unwrap();
    let year = riskroom_core::debrief::team_year(&d.room, team).unwrap();
    let seed = d.room.seed();
    let whole = talk_measure(&d.room, team, None, seed, &year).unwrap();
    assert_eq!((whole.before.ranges, whole.before.held), (2, 0));
    assert_eq!((whole.after.ranges, whole.after.held), (2, 2));
    // Chances 50% and 80% against 20%: 30 and 60 points off; then 25% and
    // 31%: 5 and 11.
    assert!((whole.before.chance_error.unwrap() - 45.0).abs() < 1e-9);
    assert!((whole.after.chance_error.unwrap() - 8.0).abs() < 1e-9);
    assert_eq!(
        whole.sentence("the team's"),
        "After talking, the team's ranges held the truth twice in 2, up from 0; the chances given were 8 points from the true ones on average, down from 45."
    );
    let grace = talk_measure(&d.room, team, Some(ParticipantId(2)), seed, &year).unwrap();
    assert_eq!((grace.before.held, grace.after.held), (0, 1));
    assert_eq!(
        grace.sentence("Grace's"),
        "After talking, Grace's ranges held the truth once in 1, up from 0; the chances given were 11 points from the true ones on average, down from 60."
    );
    // Grace moved from 80% toward Ada's 50%, and to 31%: nearer the true 20%.
    assert_eq!(
        role_model_influence(&d.room, team, seed, &year),
        Some(Influence {
            moved: 1,
            toward_model: 1,
            toward_model_and_truth: 1
        })
    );
    assert_eq!(
        role_model_influence(&d.room, team, seed, &year)
            .unwrap()
            .sentence(),
        "Of 1 teammate's estimate that changed, 1 moved toward the role model's; 1 of those came closer to the truth."
    );
    // The debrief scores each learner's latest estimate.
    let scored: Vec<_> = team
        .final_estimates()
        .map(|e| e.value.unwrap().low)
        .collect();
    assert_eq!(scored, vec![100_000.0, 100_000.0]);
}

#[test]
fn a_learner_who_did_not_estimate_again_keeps_the_first_round() {
    let mut d = Drill::with_supplier_card();
    d.advance();
    estimate_as(&mut d, 1, 0.5, 300_000.0, 900_000.0);
    estimate_as(&mut d, 2, 0.8, 1_000_000.0, 2_000_000.0);
    d.ok(&F, Command::RevealEstimates { team: T1 });
    d.ok(&F, Command::StartSecondRound { team: T1 });
    estimate_as(&mut d, 1, 0.25, 100_000.0, 200_000.0);
    let team = d.room.team(T1).unwrap();
    let latest: Vec<_> = team
        .final_estimates()
        .map(|e| (e.author, e.value.unwrap().frequency.yearly_chance()))
        .collect();
    assert_eq!(
        latest,
        vec![(ParticipantId(1), 0.25), (ParticipantId(2), 0.8)]
    );
    let year = riskroom_core::debrief::team_year(&d.room, team).unwrap();
    let whole = talk_measure(&d.room, team, None, d.room.seed(), &year).unwrap();
    assert_eq!(whole.after.ranges, 1, "only what was given in both rounds");
    assert_eq!(
        role_model_influence(&d.room, team, d.room.seed(), &year),
        None,
        "no role model"
    );
}

#[test]
fn a_scenario_can_leave_the_discussion_round_out() {
    let mut d = Drill::new();
    d.join(1, "Ada");
    d.join(2, "Grace");
    d.ok(
        &F,
        Command::ChooseScenario {
            file: "m.toml".into(),
            text: MINIMAL.replacen("\n[appetite]", "discussion_round = false\n\n[appetite]", 1),
        },
    );
    d.advance();
    d.advance();
    d.raise(1, "Supplier", true);
    d.advance();
    estimate_as(&mut d, 1, 0.5, 300_000.0, 900_000.0);
    d.ok(&F, Command::RevealEstimates { team: TeamId(1) });
    let team = d.room.team(TeamId(1)).unwrap().clone();
    assert!(!d.room.discussion_open(&team));
    for command in [
        Command::StartDiscussion { team: TeamId(1) },
        Command::StartSecondRound { team: TeamId(1) },
    ] {
        assert_eq!(
            d.refused(&F, command),
            "This scenario runs no discussion round."
        );
    }
}

#[test]
fn the_exports_carry_what_the_talk_taught() {
    let mut d = two_rounds();
    d.advance(); // respond
    d.advance(); // the year
    d.advance(); // debrief
    let team = d.room.team(T1).unwrap();
    let debrief = riskroom_core::debrief::debrief_for(&d.room, team, &F, 2_000).unwrap();
    let rows = riskroom_core::export::report_rows(&d.room, team, &debrief);
    let talk: Vec<Vec<String>> = rows
        .iter()
        .skip_while(|r| r.get(1).map(String::as_str) != Some("Talk: who"))
        .skip(1)
        .take_while(|r| r.iter().any(|c| !c.is_empty()))
        .map(|r| r[..7].to_vec())
        .collect();
    let row = |cells: [&str; 7]| cells.iter().map(|c| (*c).to_owned()).collect::<Vec<_>>();
    assert_eq!(
        talk,
        vec![
            row(["Team 1", "The team", "2", "0", "2", "45.0", "8.0"]),
            row(["Team 1", "Ada", "1", "0", "1", "30.0", "5.0"]),
            row(["Team 1", "Grace", "1", "0", "1", "60.0", "11.0"]),
        ]
    );
    let json =
        serde_json::to_value(riskroom_core::export::report(&d.room, team, &debrief)).unwrap();
    assert_eq!(json["talk"]["team"]["after"]["held"], 2);
    assert_eq!(json["talk"]["members"][1]["name"], "Grace");
}

#[test]
fn the_role_models_thinking_and_share_of_the_strategy_are_in_words() {
    use riskroom_core::room::{Actor, AdoptionRule, BoardResponseId, Target};
    let mut d = two_rounds();
    // Ada thinks aloud on her card; Grace comments too.
    for (n, text) in [
        (1, "First because the terms changed twice."),
        (2, "Agreed."),
    ] {
        d.ok(
            &common::p(n),
            Command::Comment {
                on: Target::Card(CardId(1)),
                text: text.into(),
            },
        );
    }
    let team = d.room.team(T1).unwrap().clone();
    let thinking: Vec<&str> = d
        .room
        .role_model_thinking(&common::p(2), &team)
        .iter()
        .map(|c| c.text.as_str())
        .collect();
    assert_eq!(thinking, vec!["First because the terms changed twice."]);
    // With names hidden, a teammate cannot be shown whose thinking it is.
    d.ok(&F, Command::SetAnonymity { anonymous: true });
    let team = d.room.team(T1).unwrap().clone();
    assert!(d.room.role_model_thinking(&common::p(2), &team).is_empty());
    d.ok(&F, Command::SetAnonymity { anonymous: false });

    d.advance(); // respond
    d.ok(
        &F,
        Command::SetAdoptionRule {
            rule: AdoptionRule::AnyMember,
        },
    );
    for (n, response) in [(1, "cyber-insurance"), (2, "live-with-it")] {
        d.ok(
            &common::p(n),
            Command::ProposeResponse {
                response: response.into(),
            },
        );
    }
    let team = d.room.team(T1).unwrap().clone();
    assert_eq!(
        d.room.role_model_share(&F, &team),
        None,
        "nothing adopted yet"
    );
    d.ok(
        &common::p(1),
        Command::Vote {
            response: BoardResponseId(2),
        },
    );
    for id in [1, 2] {
        d.ok(
            &common::p(2),
            Command::AdoptResponse {
                response: BoardResponseId(id),
                adopted: true,
            },
        );
    }
    let team = d.room.team(T1).unwrap().clone();
    assert_eq!(
        d.room.role_model_share(&common::p(2), &team).as_deref(),
        Some("Ada proposed 1 and backed 1 of the 2 responses in the strategy.")
    );
    assert_eq!(
        d.room.role_model_share(&Actor::RoomView, &team).as_deref(),
        d.room.role_model_share(&F, &team).as_deref()
    );
}
