//! The built-in scenarios and the documented example: they parse, validate,
//! round-trip, and meet the bar of a real tabletop-exercise package.

use std::collections::HashSet;

use riskroom_core::scenario::{self, BUILT_IN, Frequency, Impact, ResponseKind};

#[test]
fn built_ins_parse_validate_and_round_trip() {
    assert!(BUILT_IN.len() >= 3);
    let mut ids = HashSet::new();
    for built_in in BUILT_IN {
        let s = scenario::parse(built_in.file, built_in.text).unwrap_or_else(|e| panic!("{e}"));
        assert!(ids.insert(s.id.clone()), "duplicate id {}", s.id);
        let again = scenario::parse("again.toml", &s.to_toml()).unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(again, s, "{} round-trips", built_in.file);
        assert_eq!(scenario::built_in(&s.id).as_ref(), Some(&s));
    }
}

#[test]
fn built_ins_are_complete_exercise_packages() {
    for built_in in BUILT_IN {
        let s = scenario::parse(built_in.file, built_in.text).unwrap();
        let f = built_in.file;
        assert!(s.roles.len() >= 5, "{f}: at least 5 roles");
        assert_eq!(
            s.roles.iter().filter(|r| r.role_model).count(),
            1,
            "{f}: one role model"
        );
        assert!(
            s.risks.iter().filter(|r| !r.dormant).count() >= 8,
            "{f}: at least 8 risks in play"
        );
        assert!(s.responses.len() >= 10, "{f}: at least 10 responses");
        assert!(s.injects.len() >= 3, "{f}: at least 3 injects");
        assert!(!s.playbook.picks.is_empty(), "{f}: a playbook");
        assert!(
            s.rubric.dimensions.len() >= 5,
            "{f}: a rubric of 5 dimensions"
        );

        // Every role is prompted in every phase, and holds clues.
        for role in &s.roles {
            for (phase, prompts) in role.prompts.by_phase() {
                assert!(
                    !prompts.is_empty(),
                    "{f}: {} has no {phase:?} prompt",
                    role.id
                );
            }
            assert!(!role.clues.is_empty(), "{f}: {} has no clue", role.id);
        }
        // Briefs hold different facts: no two are alike.
        let briefs: HashSet<&str> = s.roles.iter().map(|r| r.brief.as_str()).collect();
        assert_eq!(briefs.len(), s.roles.len(), "{f}: briefs differ");
        // Clues reach most risks in play.
        let clued: HashSet<&str> = s
            .roles
            .iter()
            .flat_map(|r| r.clues.iter().map(|c| c.risk.as_str()))
            .collect();
        let in_play = s.risks.iter().filter(|r| !r.dormant).count();
        assert!(
            clued.len() * 4 >= in_play * 3,
            "{f}: clues point at {} of {in_play} risks",
            clued.len()
        );

        // All four kinds of response, some known to few, choices that matter.
        for kind in [
            ResponseKind::Avoid,
            ResponseKind::Reduce,
            ResponseKind::Transfer,
            ResponseKind::Accept,
        ] {
            assert!(
                s.responses.iter().any(|r| r.kind == kind),
                "{f}: no {kind:?} response"
            );
        }
        assert!(
            s.responses
                .iter()
                .filter(|r| !r.known_by.is_empty())
                .count()
                >= 3,
            "{f}: role-only responses"
        );
        let catalogue: f64 = s.responses.iter().map(|r| r.cost).sum();
        assert!(
            catalogue > 1.5 * s.budget,
            "{f}: the catalogue costs more than the budget allows"
        );

        // Both frequency kinds and several impact shapes appear.
        assert!(
            s.risks
                .iter()
                .any(|r| matches!(r.frequency, Frequency::Rate(_))),
            "{f}: a rate"
        );
        assert!(
            s.risks
                .iter()
                .any(|r| matches!(r.frequency, Frequency::Probability(_))),
            "{f}: a probability"
        );
        let shapes: HashSet<&str> = s
            .risks
            .iter()
            .map(|r| match r.impact {
                Impact::Lognormal { .. } => "lognormal",
                Impact::Pert { .. } => "pert",
                Impact::Triangular { .. } => "triangular",
                Impact::Uniform { .. } => "uniform",
            })
            .collect();
        assert!(shapes.len() >= 3, "{f}: impact shapes {shapes:?}");
        // At least one inject fires by phase and one by the facilitator.
        assert!(
            s.injects.iter().any(|i| i.at_phase.is_some()),
            "{f}: a phase inject"
        );
        assert!(
            s.injects.iter().any(|i| i.at_phase.is_none()),
            "{f}: a facilitator inject"
        );
    }
}

#[test]
fn the_documented_example_validates() {
    let doc = include_str!("../../../docs/scenario-format.md");
    let start = doc
        .find("```toml\n")
        .expect("docs/scenario-format.md has a ```toml block")
        + 8;
    let end = start + doc[start..].find("\n```").expect("the block ends");
    let example = &doc[start..end];
    let s = scenario::parse("docs/scenario-format.md", example).unwrap_or_else(|e| panic!("{e}"));
    assert!(s.roles.len() >= 3);
}
