//! Scores: each one reached in a way a person can follow, and right on
//! cases whose answer is known.

mod common;

use common::*;
use riskroom_core::debrief::{Seen, debrief, debrief_for};
use riskroom_core::room::{Actor, BoardResponseId, CardId};
use riskroom_core::scenario;
use riskroom_core::score::{calibration, combined, participation, peer, quantitative, rubric};
use riskroom_core::sim::{Strategy, best_strategy};
use riskroom_core::{Command, ParticipantId};

#[test]
fn the_best_strategy_scores_full_marks_and_doing_nothing_scores_little() {
    let s = scenario::parse("minimal.toml", MINIMAL).unwrap();
    let trials = 20_000;
    let best = best_strategy(&s, &[], s.budget, 5, trials);
    let ids: Vec<&str> = best.responses.iter().map(String::as_str).collect();
    let q = quantitative(
        &s,
        &[],
        &Strategy::from_catalogue(&s, &ids),
        s.budget,
        5,
        trials,
    );
    let best_score = q.score.expect("the best strategy gets a score");
    assert!(best_score > 99.0, "{q:?}");
    assert_eq!(q.how.len(), 4);
    assert!(q.how[1].contains("yours reaches 100%"), "{}", q.how[1]);
    let nothing = quantitative(&s, &[], &Strategy::default(), s.budget, 5, trials);
    // Compare the scores themselves: `None < Some(_)` would pass with no
    // score at all.
    let nothing_score = nothing.score.expect("doing nothing is scored too");
    assert!(
        nothing_score <= 30.0 + 1e-9,
        "doing nothing earns none of the 70 points for value: {nothing:?}"
    );
    assert!(nothing_score < best_score, "{nothing:?} against {q:?}");
    assert!(
        nothing.how[0].contains("net benefit of EUR 0"),
        "{}",
        nothing.how[0]
    );
    // Over budget loses the budget points.
    let all = Strategy::from_catalogue(&s, &["second-source", "cyber-insurance"]);
    let tight = quantitative(&s, &[], &all, 10_000.0, 5, trials);
    assert!(
        tight.how[3].ends_with("0 of 10 points."),
        "{}",
        tight.how[3]
    );
}

#[test]
fn learner_scores_from_a_played_exercise() {
    let mut d = Drill::with_supplier_card();
    d.raise(2, "Hackers", false);
    d.advance();
    // Ada knows the truth exactly (p = 0.2, 90% range 50k–400k); Grace is far off.
    d.ok(
        &p(1),
        Command::SubmitEstimate {
            card: CardId(1),
            estimate: estimate(0.2, 50_000.0, 400_000.0),
        },
    );
    d.ok(
        &p(2),
        Command::SubmitEstimate {
            card: CardId(1),
            estimate: estimate(0.9, 1_000.0, 2_000.0),
        },
    );
    d.advance();
    d.ok(
        &p(2),
        Command::ProposeResponse {
            response: "second-source".into(),
        },
    );
    d.ok(
        &p(1),
        Command::Vote {
            response: BoardResponseId(1),
        },
    );
    d.advance();
    d.advance();
    d.ok(
        &p(1),
        Command::RatePeer {
            peer: ParticipantId(2),
            score: 5,
        },
    );
    d.ok(
        &p(2),
        Command::RatePeer {
            peer: ParticipantId(1),
            score: 3,
        },
    );
    d.ok(
        &F,
        Command::RateRubric {
            team: T1,
            dimension: "perspectives".into(),
            level: 4,
        },
    );
    let team = d.room.team(T1).unwrap();

    let ada = calibration(&d.room, team, ParticipantId(1), 1);
    let grace = calibration(&d.room, team, ParticipantId(2), 1);
    assert!(ada.score.unwrap() > 95.0, "{ada:?}");
    assert!(grace.score.unwrap() < 30.0, "{grace:?}");
    assert!(
        ada.how[0].starts_with("“Supplier”: 20% a year given, the truth is 20%"),
        "{}",
        ada.how[0]
    );

    let s = d.room.scenario.as_deref().unwrap();
    assert_eq!(rubric(s, team).score, Some(100.0));
    assert_eq!(peer(team, ParticipantId(1)).score, Some(50.0));
    assert_eq!(peer(team, ParticipantId(2)).score, Some(100.0));
    assert!(peer(team, ParticipantId(2)).how[0].starts_with("1 teammate gave 5.0"));

    let (rows, balance) = participation(&d.room, team);
    let ada_row = rows
        .iter()
        .find(|r| r.participant == ParticipantId(1))
        .unwrap();
    assert_eq!(
        (
            ada_row.raised,
            ada_row.estimated,
            ada_row.responded,
            ada_row.voted
        ),
        (1, 1, 0, 1)
    );
    let grace_row = rows
        .iter()
        .find(|r| r.participant == ParticipantId(2))
        .unwrap();
    assert_eq!(
        (
            grace_row.raised,
            grace_row.estimated,
            grace_row.responded,
            grace_row.voted
        ),
        (1, 1, 1, 0)
    );
    assert_eq!(
        balance.how[0], "Ada (Finance): raised 1, estimated 1, responded 0, voted 1, commented 0.",
        "the role by its name"
    );
    assert!(
        (balance.score.unwrap() - 100.0).abs() < 1e-9,
        "3 and 3 contributions are perfectly balanced"
    );

    let c = combined(
        &s.scoring,
        Some(80.0),
        ada.score,
        Some(100.0),
        Some(50.0),
        balance.score,
    );
    let expected = 0.4 * 80.0 + 0.2 * ada.score.unwrap() + 0.2 * 100.0 + 0.1 * 50.0 + 0.1 * 100.0;
    assert!((c.score.unwrap() - expected).abs() < 1e-9);
    assert!(
        c.how[0].starts_with("0.40 × 80 (quantitative) + 0.20 × "),
        "{}",
        c.how[0]
    );
}

#[test]
fn every_device_computes_the_same_debrief_once_the_year_is_played() {
    let mut d = Drill::with_supplier_card();
    d.advance(); // assess
    d.ok(
        &p(1),
        Command::SubmitEstimate {
            card: CardId(1),
            estimate: estimate(0.2, 50_000.0, 400_000.0),
        },
    );
    d.ok(
        &p(2),
        Command::SubmitEstimate {
            card: CardId(1),
            estimate: estimate(0.5, 10_000.0, 90_000.0),
        },
    );
    d.ok(&F, Command::RevealEstimates { team: T1 });
    d.ok(
        &p(2),
        Command::SetConsensus {
            card: CardId(1),
            estimate: estimate(0.3, 40_000.0, 300_000.0),
        },
    );
    d.advance(); // respond
    d.ok(
        &p(2),
        Command::ProposeResponse {
            response: "second-source".into(),
        },
    );
    // The team's vote decides: Grace votes for it, then Ada adopts it.
    d.ok(
        &p(2),
        Command::Vote {
            response: BoardResponseId(1),
        },
    );
    d.ok(
        &p(1),
        Command::AdoptResponse {
            response: BoardResponseId(1),
            adopted: true,
        },
    );
    let team = d.room.team(T1).unwrap().clone();
    let strategy = d.room.team_strategy(&team);
    assert_eq!(strategy.responses, vec!["second-source".to_string()]);
    assert!(strategy.cost > 0.0);
    let beliefs = d.room.adopted_beliefs(&team);
    assert_eq!(beliefs.len(), 1);
    assert_eq!(beliefs[0].title, "Supplier");
    assert!(beliefs[0].probability_factor < 1.0, "{beliefs:?}");
    // The live board by the team's beliefs: the adopted response removes
    // expected loss, and says how much.
    let belief = d.room.belief_report(&team, 4_000, 500_000.0);
    assert_eq!(belief.unagreed, 0);
    assert!(belief.adopted.mean < belief.none.mean, "{belief:?}");
    let value = &belief.responses[0];
    assert!(
        (value.benefit - (belief.none.mean - belief.adopted.mean)).abs() < 1e-6 * belief.none.mean,
        "one response: its benefit is the whole difference ({value:?})"
    );
    assert!(value.return_on_cost.unwrap() > 0.0);
    // Before the year, a learner's copy holds no truth and no debrief.
    let before = d.room.view_for(&p(1));
    assert!(before.scenario.as_ref().unwrap().risks.is_empty());
    assert!(debrief(&before, before.team(T1).unwrap(), 2_000).is_none());

    d.advance(); // play the year
    d.advance(); // debrief
    d.ok(
        &p(1),
        Command::RatePeer {
            peer: ParticipantId(2),
            score: 4,
        },
    );
    d.ok(
        &p(2),
        Command::RatePeer {
            peer: ParticipantId(1),
            score: 2,
        },
    );
    let trials = 4_000;
    let whole = d.room.scenario.as_deref().unwrap();
    for learner in [1, 2] {
        let view = d.room.view_for(&p(learner));
        let theirs = view.scenario.as_deref().unwrap();
        assert_eq!(theirs.risks, whole.risks, "the truth is revealed");
        assert_eq!(
            theirs.responses, whole.responses,
            "so is the whole catalogue"
        );
    }
    let full = debrief(&d.room, d.room.team(T1).unwrap(), trials).unwrap();
    // Equal scores prove nothing if both are missing: the year is played and
    // both learners estimated, so these are real scores.
    assert!(full.quantitative.score.is_some(), "{:?}", full.quantitative);
    for member in &full.members {
        assert!(member.calibration.score().is_some(), "{member:?}");
        assert!(member.combined.score().is_some(), "{member:?}");
    }
    // Each learner's device, from its own view, computes the same numbers
    // and holds only the member scores that learner may see.
    let member = |db: &riskroom_core::debrief::TeamDebrief, n: u32| {
        db.members
            .iter()
            .find(|m| m.participant == ParticipantId(n))
            .cloned()
            .unwrap()
    };
    for (learner, other) in [(1, 2), (2, 1)] {
        let view = d.room.view_for(&p(learner));
        let theirs = debrief_for(&view, view.team(T1).unwrap(), &p(learner), trials).unwrap();
        assert_eq!(theirs.quantitative, full.quantitative);
        assert_eq!(theirs.year, full.year);
        assert_eq!(theirs.participation, full.participation);
        assert_eq!(
            member(&theirs, learner),
            member(&full, learner),
            "learner {learner}"
        );
        let teammate = member(&theirs, other);
        assert!(
            matches!(teammate.peer, Seen::Private(_))
                && matches!(teammate.combined, Seen::Private(_)),
            "learner {learner} holds {other}'s peer score: {teammate:?}"
        );
        // The estimates were revealed: teammates see each other's calibration.
        assert_eq!(teammate.calibration, member(&full, other).calibration);
    }
    // The room view shows the team's scores and no one's personal ones.
    let room_view = d.room.view_for(&Actor::RoomView);
    let shown = debrief_for(
        &room_view,
        room_view.team(T1).unwrap(),
        &Actor::RoomView,
        trials,
    )
    .unwrap();
    assert_eq!(shown.quantitative, full.quantitative);
    for m in &shown.members {
        assert!(
            [&m.calibration, &m.peer, &m.combined]
                .iter()
                .all(|s| matches!(s, Seen::Private(_))),
            "{m:?}"
        );
    }
    assert_eq!(full.members[0].peer.score(), Some(25.0), "rated 2 of 5");
    // Belief beside truth: the minimal scenario's supplier risk is 20% a
    // year; the team agreed 30%.
    let compared = riskroom_core::score::belief_vs_truth(&d.room, d.room.team(T1).unwrap());
    assert_eq!(compared.len(), 1);
    assert!(
        compared[0]
            .verdict
            .contains("the chance too high (30% against 20%)"),
        "{}",
        compared[0].verdict
    );
    assert!(full.year.strategy_cost > 0.0);
}

#[test]
fn scores_not_given_yet_are_left_out_not_counted_as_zero() {
    let mut d = Drill::with_two_learners();
    d.advance(); // briefing
    d.advance(); // identify
    let s = d.room.scenario.as_deref().unwrap().clone();
    let team = d.room.team(T1).unwrap();

    // Nothing rated, nothing estimated, nothing contributed: no scores, and
    // each says why in words.
    let r = rubric(&s, team);
    assert_eq!(r.score, None);
    assert_eq!(
        r.how,
        vec!["Not rated yet: the facilitator has not rated the team."]
    );
    let p1 = peer(team, ParticipantId(1));
    assert_eq!(p1.score, None);
    assert_eq!(p1.how, vec!["Not rated yet by a teammate."]);
    assert_eq!(calibration(&d.room, team, ParticipantId(1), 1).score, None);
    let (_, balance) = participation(&d.room, team);
    assert_eq!(balance.score, None);
    assert!(balance.how[0].contains("nobody"), "{:?}", balance.how);

    // The combination leaves the missing ones out and rescales the rest:
    // weights 0.4 (quantitative) and 0.2 (calibration) given, so
    // (0.4 × 80 + 0.2 × 50) ÷ 0.6 = 70.
    let c = combined(&s.scoring, Some(80.0), Some(50.0), None, None, None);
    assert!((c.score.unwrap() - 70.0).abs() < 1e-9, "{c:?}");
    assert_eq!(
        c.how[0],
        "Not given yet in the team, so left out for everyone: rubric, peer ratings, participation."
    );
    assert!(
        c.how[1]
            .ends_with("÷ 0.60 = 70 (the weights of the scores counted, scaled to add up to 1)."),
        "{}",
        c.how[1]
    );
    // A rubric of 0 is a score, and pulls the combination down.
    let zero = combined(&s.scoring, Some(80.0), Some(50.0), Some(0.0), None, None);
    assert!((zero.score.unwrap() - 42.0 / 0.8).abs() < 1e-9, "{zero:?}");
    // Nothing given at all: no combination.
    let none = combined(&s.scoring, None, None, None, None, None);
    assert_eq!(none.score, None);

    // Once the facilitator rates, the rubric counts.
    d.advance(); // assess
    d.advance(); // respond
    d.advance(); // play the year
    d.advance(); // debrief
    d.ok(
        &F,
        Command::RateRubric {
            team: T1,
            dimension: "perspectives".into(),
            level: 1,
        },
    );
    let r = rubric(&s, d.room.team(T1).unwrap());
    assert_eq!(r.score, Some(0.0), "level 1 of 4 is a real 0");
    // A rubric rated in part says so.
    let mut wider = s;
    let mut extra = wider.rubric.dimensions[0].clone();
    extra.id = "extra".into();
    wider.rubric.dimensions.push(extra);
    let r = rubric(&wider, d.room.team(T1).unwrap());
    assert_eq!(
        r.how[1],
        "1 of 2 dimensions rated so far; the score averages those."
    );
}

/// Who did not take part cannot outscore those who did: a learner who
/// joined late, estimated nothing and raised nothing scores below every
/// teammate who did — on the console and on their own phone alike — and
/// a part nobody in the team has yet is left out for everyone.
#[test]
fn a_late_joiner_who_did_nothing_scores_below_those_who_took_part() {
    let mut d = Drill::with_supplier_card();
    d.raise(2, "Hackers", false);
    d.advance(); // assess
    for (n, e) in [
        (1, estimate(0.2, 50_000.0, 400_000.0)),
        (2, estimate(0.6, 5_000.0, 30_000.0)),
    ] {
        d.ok(
            &p(n),
            Command::SubmitEstimate {
                card: CardId(1),
                estimate: e,
            },
        );
    }
    d.ok(&F, Command::RevealEstimates { team: T1 });
    d.advance(); // respond
    d.join(3, "Linus"); // late, and does nothing
    d.ok(
        &p(2),
        Command::ProposeResponse {
            response: "second-source".into(),
        },
    );
    d.advance(); // play the year
    d.advance(); // debrief
    let trials = 4_000;
    let combined_of = |room: &riskroom_core::Room, actor: &Actor, n: u32| {
        let db = debrief_for(room, room.team(T1).unwrap(), actor, trials).unwrap();
        let m = db
            .members
            .iter()
            .find(|m| m.participant == ParticipantId(n))
            .unwrap()
            .clone();
        (m.combined.score().unwrap(), m, db.not_given_yet)
    };

    // No peer rating in the team yet, no rubric: left out for everyone.
    let (linus, m, not_yet) = combined_of(&d.room, &F, 3);
    assert_eq!(not_yet, ["rubric", "peer ratings"]);
    for n in [1, 2] {
        let (took_part, ..) = combined_of(&d.room, &F, n);
        assert!(linus < took_part, "Linus {linus} against p{n} {took_part}");
    }
    let riskroom_core::debrief::Seen::Shown(explained) = &m.combined else {
        panic!("{m:?}")
    };
    assert_eq!(
        explained.how[0],
        "Not given yet in the team, so left out for everyone: rubric, peer ratings."
    );
    assert_eq!(
        explained.how[1],
        "Counted as 0, as teammates have them: calibration (no estimates of the scenario's risks were given); participation (nothing was added to the board)."
    );
    // Linus's own phone reaches the same number.
    let his = d.room.view_for(&p(3));
    assert_eq!(combined_of(&his, &p(3), 3).0, linus);

    // Once teammates rate each other, peer ratings count for everyone:
    // Linus, unrated, gets 0 there too — on every device.
    d.ok(
        &p(1),
        Command::RatePeer {
            peer: ParticipantId(2),
            score: 1,
        },
    );
    d.ok(
        &p(2),
        Command::RatePeer {
            peer: ParticipantId(1),
            score: 1,
        },
    );
    let (linus, _, not_yet) = combined_of(&d.room, &F, 3);
    assert_eq!(not_yet, ["rubric"]);
    let his = d.room.view_for(&p(3));
    assert!(
        his.team(T1).unwrap().peer_ratings.is_empty(),
        "he sees no rating"
    );
    assert_eq!(combined_of(&his, &p(3), 3).0, linus);
    for n in [1, 2] {
        let (took_part, ..) = combined_of(&d.room, &F, n);
        assert!(linus < took_part, "Linus {linus} against p{n} {took_part}");
        let theirs = d.room.view_for(&p(n));
        assert_eq!(combined_of(&theirs, &p(n), n).0, took_part, "p{n}'s phone");
    }
}

#[test]
fn a_team_of_one_has_no_balance_score() {
    let d = Drill::with_supplier_card();
    let mut team = d.room.team(T1).unwrap().clone();
    team.members.retain(|m| m.id == ParticipantId(1));
    let (rows, balance) = participation(&d.room, &team);
    assert_eq!(rows.len(), 1);
    assert_eq!(rows[0].raised, 1);
    assert_eq!(balance.score, None);
    assert_eq!(
        balance.how,
        vec!["Not scored: balance needs a team of two or more."]
    );
}

#[test]
fn calibration_holds_an_estimate_to_the_truth_when_it_was_given() {
    use riskroom_core::scenario::{Frequency, InjectEffect};
    let mut d = Drill::with_supplier_card();
    d.advance(); // assess
    // Ada knows the truth of the moment exactly (20% a year, 50k–400k).
    d.ok(
        &p(1),
        Command::SubmitEstimate {
            card: CardId(1),
            estimate: estimate(0.2, 50_000.0, 400_000.0),
        },
    );
    d.advance(); // respond, where the strike is due
    d.ok(
        &F,
        Command::FireInject {
            inject: "strike".into(),
        },
    );
    assert_eq!(d.room.fired, vec!["strike".to_string()]);
    let team = d.room.team(T1).unwrap();
    let before = calibration(&d.room, team, ParticipantId(1), 1);
    let exact = before.score.expect("Ada's estimate is scored");
    assert!(exact > 95.0, "her estimate was the truth: {before:?}");
    assert!(
        before.how[0].contains("the truth is 20%"),
        "{:?}",
        before.how
    );

    // Had the strike also tripled the supplier's chance, Ada would still be
    // held to the 20% that was true when she estimated, and told so.
    let mut later = d.room.clone();
    let scenario = later.scenario.as_deref_mut().unwrap();
    let strike = scenario
        .injects
        .iter_mut()
        .find(|i| i.id == "strike")
        .unwrap();
    strike.effects.push(InjectEffect::ChangeRisk {
        risk: "supplier-failure".into(),
        frequency: Some(Frequency::Probability(0.6)),
        impact: None,
    });
    let after = calibration(&later, later.team(T1).unwrap(), ParticipantId(1), 1);
    assert_eq!(after.score, Some(exact), "{after:?}");
    assert!(
        after.how[0].contains("the truth when it was estimated (news since changed it) was 20%"),
        "{:?}",
        after.how
    );
}

/// The calibration picture's rows: each estimate's range beside the true
/// range and typical loss, whether it held the truth, and the chances
/// given beside the true ones and the played year.
#[test]
fn the_calibration_picture_shows_which_ranges_held_the_truth() {
    use riskroom_core::debrief::team_year;
    use riskroom_core::score::calibration_picture;
    let mut d = Drill::with_supplier_card();
    d.advance(); // assess
    // Ada: the truth exactly (20% a year, 50k–400k). Grace: far too low.
    d.ok(
        &p(1),
        Command::SubmitEstimate {
            card: CardId(1),
            estimate: estimate(0.2, 50_000.0, 400_000.0),
        },
    );
    d.ok(
        &p(2),
        Command::SubmitEstimate {
            card: CardId(1),
            estimate: estimate(0.9, 1_000.0, 2_000.0),
        },
    );
    d.advance(); // respond
    d.advance(); // play the year
    let team = d.room.team(T1).unwrap();
    let year = team_year(&d.room, team).unwrap();
    let seed = d.room.seed();
    let ada = calibration_picture(&d.room, team, ParticipantId(1), seed, &year);
    let grace = calibration_picture(&d.room, team, ParticipantId(2), seed, &year);
    assert_eq!(ada.rows.len(), 1);
    let row = &ada.rows[0];
    assert_eq!(
        (row.card.as_str(), row.risk.as_str()),
        ("Supplier", "supplier-failure")
    );
    assert_eq!((row.low, row.high), (50_000.0, 400_000.0));
    assert!(
        row.true_low < row.true_median && row.true_median < row.true_high,
        "{row:?}"
    );
    // The lognormal's 90% range is 50k–400k: its median is √(50k·400k) ≈ 141k.
    assert!((row.true_median / 141_421.0 - 1.0).abs() < 0.1, "{row:?}");
    assert!(row.held, "{row:?}");
    assert!((row.chance - 0.2).abs() < 1e-9 && (row.true_chance - 0.2).abs() < 1e-9);
    assert!(!row.changed);
    let struck = year
        .events
        .iter()
        .filter(|e| e.risk == "supplier-failure")
        .count() as u32;
    assert_eq!(row.struck, struck);
    assert_eq!(ada.held(), 1);
    assert_eq!(
        ada.headline("Your"),
        "Your one range held the truth — a calibrated estimator's 90% ranges hold it about 9 times in 10."
    );

    assert_eq!(grace.held(), 0);
    assert!(!grace.rows[0].held);
    assert!(
        grace
            .headline("Grace's")
            .starts_with("Grace's one range missed the truth")
    );
    assert!((grace.expected().0 - 0.9).abs() < 1e-9);
    assert_eq!(
        grace.span(),
        Some((1_000.0, grace.rows[0].true_high)),
        "the picture spans every amount it shows"
    );
    assert_eq!(
        grace.chances_sentence(),
        format!(
            "The chances given add up to 0.9 of this risk striking in a year, the true chances to 0.2; in the played year {} struck.",
            u32::from(struck > 0)
        )
    );
    // The picture's rows are the score's rows.
    let score = calibration(&d.room, team, ParticipantId(2), seed);
    assert_eq!(score.how.len(), grace.rows.len() + 1);
}

/// Several ranges: the headline counts those that held, and a learner with
/// no estimate of a linked risk has an empty picture.
#[test]
fn the_calibration_headline_counts_the_ranges_that_held() {
    use riskroom_core::score::{CalibrationPicture, RangeCheck};
    let row = |low: f64, high: f64| RangeCheck {
        card: "Card".into(),
        risk: "r".into(),
        risk_title: "R".into(),
        low,
        high,
        true_low: 10.0,
        true_median: 100.0,
        true_high: 1_000.0,
        held: low <= 100.0 && 100.0 <= high,
        chance: 0.5,
        true_chance: 0.25,
        changed: false,
        struck: u32::from(low > 50.0),
    };
    let picture = CalibrationPicture {
        rows: vec![
            row(50.0, 200.0),
            row(1.0, 20.0),
            row(90.0, 110.0),
            row(200.0, 300.0),
        ],
    };
    assert_eq!(picture.held(), 2);
    assert_eq!(
        picture.headline("Your"),
        "Your ranges held the truth twice in 4 — a calibrated estimator's 90% ranges hold it about 9 times in 10."
    );
    assert_eq!(picture.struck(), 2);
    assert_eq!(
        picture.chances_sentence(),
        "The chances given add up to 2.0 of these 4 risks striking in a year, the true chances to 1.0; in the played year 2 struck."
    );
    assert_eq!(picture.span(), Some((1.0, 1_000.0)));

    let mut d = Drill::with_supplier_card();
    d.advance();
    d.advance();
    d.advance();
    let team = d.room.team(T1).unwrap();
    let year = riskroom_core::debrief::team_year(&d.room, team).unwrap();
    let none = riskroom_core::score::calibration_picture(&d.room, team, ParticipantId(1), 1, &year);
    assert!(none.rows.is_empty());
    assert_eq!(none.span(), None);
}

/// As the score does, the picture holds an estimate to the truth of the
/// moment it was given, and says when news has changed it since.
#[test]
fn the_calibration_picture_keeps_the_truth_of_the_moment() {
    use riskroom_core::scenario::{Frequency, InjectEffect};
    use riskroom_core::score::calibration_picture;
    let mut d = Drill::with_supplier_card();
    d.advance(); // assess
    d.ok(
        &p(1),
        Command::SubmitEstimate {
            card: CardId(1),
            estimate: estimate(0.2, 50_000.0, 400_000.0),
        },
    );
    d.advance(); // respond
    d.ok(
        &F,
        Command::FireInject {
            inject: "strike".into(),
        },
    );
    let mut later = d.room.clone();
    let scenario = later.scenario.as_deref_mut().unwrap();
    let strike = scenario
        .injects
        .iter_mut()
        .find(|i| i.id == "strike")
        .unwrap();
    strike.effects.push(InjectEffect::ChangeRisk {
        risk: "supplier-failure".into(),
        frequency: Some(Frequency::Probability(0.6)),
        impact: None,
    });
    let team = later.team(T1).unwrap();
    let year = riskroom_core::debrief::team_year(&later, team).unwrap();
    let picture = calibration_picture(&later, team, ParticipantId(1), 1, &year);
    let row = &picture.rows[0];
    assert!(row.changed, "{row:?}");
    assert!((row.true_chance - 0.2).abs() < 1e-9, "{row:?}");
    assert!(row.held);
}
