//! Scenario files: a valid file parses and round-trips; each rule broken in
//! a copy of it gives the exact message an admin will read.

use riskroom_core::scenario::{self, Frequency, Impact, Scenario};

const MINIMAL: &str = include_str!("data/minimal.toml");

fn errors_of(text: &str) -> Vec<String> {
    match scenario::parse("acme.toml", text) {
        Ok(_) => vec![],
        Err(errors) => errors.0.iter().map(ToString::to_string).collect(),
    }
}

/// The minimal file with `from` replaced by `to` (which must occur).
fn mutated(from: &str, to: &str) -> String {
    assert!(
        MINIMAL.contains(from),
        "test setup: {from:?} not in minimal.toml"
    );
    MINIMAL.replacen(from, to, 1)
}

#[test]
fn the_minimal_file_is_valid() {
    let s = scenario::parse("minimal.toml", MINIMAL).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(s.id, "minimal");
    assert_eq!(s.roles.len(), 2);
    assert_eq!(s.role_model().unwrap().id, "finance");
    assert_eq!(s.risks[0].frequency, Frequency::Probability(0.2));
    assert_eq!(
        s.risks[1].impact,
        Impact::Pert {
            min: 10_000.0,
            mode: 60_000.0,
            max: 500_000.0
        }
    );
    assert_eq!(s.roles[0].prompts.identify.len(), 1);
}

#[test]
fn scenarios_round_trip_through_toml() {
    let s = scenario::parse("minimal.toml", MINIMAL).unwrap();
    let again: Scenario =
        scenario::parse("again.toml", &s.to_toml()).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(again, s);
}

/// Each row: (replace this, with this, the exact messages expected).
#[test]
fn each_rule_has_its_message() {
    let rows: &[(&str, &str, &[&str])] = &[
        (
            "budget = 100_000",
            "budget = ",
            &[
                "acme.toml:10: (top level): this is not valid TOML: string values must be quoted, expected literal string",
            ],
        ),
        (
            "budget = 100_000",
            "budget = \"lots\"",
            &["acme.toml:10: budget: expected a number, found text \"lots\""],
        ),
        (
            "budget = 100_000\n",
            "",
            &["acme.toml: (top level): the field `budget` is missing here"],
        ),
        (
            "kind = \"reduce\"",
            "kind = \"lessen\"",
            &[
                "acme.toml:63: response[1].kind: \"lessen\" is not allowed here; use one of \"avoid\", \"reduce\", \"transfer\", \"accept\"",
            ],
        ),
        (
            "shape = \"pert\"",
            "shape = \"normal\"",
            &[
                "acme.toml:48: risk[2].impact.shape: \"normal\" is not allowed here; use one of \"lognormal\", \"pert\", \"triangular\", \"uniform\"",
            ],
        ),
        (
            "currency = \"EUR\"",
            "currency = \"EUR\"\ncolour = \"red\"",
            &[
                "acme.toml:9: colour: there is no field called `colour` here (check its spelling and where it sits; docs/scenario-format.md lists every field)",
            ],
        ),
        (
            "role_model = true",
            "role_model = true\nrolemodel = true\nbreif = \"x\"",
            &[
                "acme.toml:22: role[1].rolemodel: there is no field called `rolemodel` here (check its spelling and where it sits; docs/scenario-format.md lists every field)",
                "acme.toml:23: role[1].breif: there is no field called `breif` here (check its spelling and where it sits; docs/scenario-format.md lists every field)",
            ],
        ),
        (
            "frequency = { probability = 0.2 }",
            "frequency = { probability = 1.2 }",
            &[
                "acme.toml:39: risk[1].frequency.probability: a yearly probability must be between 0 and 1; it is 1.2",
            ],
        ),
        (
            "frequency = { rate = 0.5 }",
            "frequency = { rate = -1 }",
            &[
                "acme.toml:47: risk[2].frequency.rate: a rate (events per year) must be between 0 and 365; it is -1",
            ],
        ),
        (
            "low = 50_000, high = 400_000",
            "low = 500_000, high = 400_000",
            &[
                "acme.toml:40: risk[1].impact.high: the high end (400000) must be above the low end (500000): a 90% range runs from the 5th to the 95th percentile",
            ],
        ),
        (
            "min = 10_000, mode = 60_000, max = 500_000",
            "min = 10_000, mode = 600_000, max = 500_000",
            &[
                "acme.toml:48: risk[2].impact.mode: the most likely loss (600000) must lie between the minimum (10000) and the maximum (500000)",
            ],
        ),
        (
            "min = 20_000, max = 80_000",
            "min = 80_000, max = 80_000",
            &[
                "acme.toml:57: risk[3].impact.max: the maximum (80000) must be above the minimum (80000)",
            ],
        ),
        (
            "cost = 40_000",
            "cost = -5",
            &["acme.toml:64: response[1].cost: the cost must be at least 0; it is -5"],
        ),
        (
            "budget = 100_000",
            "budget = -1",
            &[
                "acme.toml:10: budget: the budget must be at least 0; it is -1",
                "acme.toml:95: inject[1].effect[2].by: this would take the budget below zero (-1 -10000)",
                "acme.toml:99: playbook.pick: the playbook's responses cost 40000, more than the budget of -1",
            ],
        ),
        (
            "budget = 100_000",
            "budget = 1.7e308",
            &[
                "acme.toml:10: budget: the budget must be at most 1,000,000,000,000,000; it is 1.7e308",
            ],
        ),
        (
            "p90_limit = 500_000",
            "p90_limit = 0",
            &["acme.toml:13: appetite.p90_limit: the P90 limit must be above 0; it is 0"],
        ),
        (
            "probability = 0.5 }]",
            "probability = 11 }]",
            &[
                "acme.toml:66: response[1].effect[1].probability: a probability multiplier must be between 0 and 10; it is 11",
            ],
        ),
        (
            "horizon_years = 1",
            "horizon_years = 3",
            &[
                "acme.toml:9: horizon_years: Riskroom simulates one year; set horizon_years = 1 (it is 3)",
            ],
        ),
        (
            "currency = \"EUR\"",
            "currency = \"euro\"",
            &[
                "acme.toml:8: currency: \"euro\" is not a currency code: use three capital letters such as \"EUR\"",
            ],
        ),
        (
            "risk = \"supplier-failure\"\n",
            "risk = \"supplier-fail\"\n",
            &[
                "acme.toml:26: role[1].clue[1].risk: \"supplier-fail\" is not the id of a [[risk]] in this file",
            ],
        ),
        (
            "known_by = [\"operations\"]",
            "known_by = [\"ops\"]",
            &[
                "acme.toml:65: response[1].known_by[1]: \"ops\" is not the id of a [[role]] in this file",
            ],
        ),
        (
            "response = \"second-source\"",
            "response = \"third-source\"",
            &[
                "acme.toml:99: playbook.pick[1].response: \"third-source\" is not the id of a [[response]] in this file",
            ],
        ),
        (
            "kind = \"add_risk\"\nrisk = \"port-strike\"",
            "kind = \"add_risk\"\nrisk = \"cyber\"",
            &[
                "acme.toml:55: risk[3].dormant: \"port-strike\" is dormant but no inject adds it, so it can never come into play",
                "acme.toml:91: inject[1].effect[1].risk: \"cyber\" is already in play: only a risk with dormant = true can be added",
            ],
        ),
        (
            "id = \"operations\"",
            "id = \"finance\"",
            &[
                "acme.toml:29: role[2].id: another role already has the id \"finance\"",
                "acme.toml:65: response[1].known_by[1]: \"operations\" is not the id of a [[role]] in this file",
            ],
        ),
        (
            "id = \"cyber\"",
            "id = \"Cyber Risk\"",
            &[
                "acme.toml:43: risk[2].id: \"Cyber Risk\" is not a usable id: use 1 to 40 lower-case letters, digits and dashes, like \"supplier-failure\"",
                "acme.toml:74: response[2].effect[1].risk: \"cyber\" is not the id of a [[risk]] in this file",
            ],
        ),
        (
            "name = \"Operations\"",
            "name = \"Operations\"\nrole_model = true",
            &[
                "acme.toml:31: role[2].role_model: only one role can be the role model; \"finance\" is already",
            ],
        ),
        (
            "kind = \"transfer\"",
            "kind = \"avoid\"",
            &[
                "acme.toml:72: response[2].kind: an \"avoid\" response needs an effect with avoid = { … }",
            ],
        ),
        (
            "kind = \"accept\"\ncost = 0",
            "kind = \"accept\"\ncost = 0\neffect = [{ risk = \"cyber\", impact = 0.9 }]",
            &[
                "acme.toml:80: response[3].kind: an \"accept\" response changes no risk: remove its effects or choose another kind",
            ],
        ),
        (
            "by = -10_000",
            "by = 1.7e308",
            &[
                "acme.toml:95: inject[1].effect[2].by: the budget change must be at most 1,000,000,000,000,000; it is 1.7e308",
            ],
        ),
        (
            "by = -10_000",
            "by = -200_000",
            &[
                "acme.toml:95: inject[1].effect[2].by: this would take the budget below zero (100000 -200000)",
            ],
        ),
        (
            "cost = 40_000",
            "cost = 140_000",
            &[
                "acme.toml:99: playbook.pick: the playbook's responses cost 140000, more than the budget of 100000",
            ],
        ),
        (
            "levels = [\"One voice.\", ",
            "levels = [",
            &[
                "acme.toml:104: rubric.dimension[1].levels: a dimension has 4 level descriptors, lowest first; this one has 3 levels",
            ],
        ),
        (
            "participation = 0.1",
            "participation = 0.2",
            &["acme.toml:106: scoring: the weights add up to 1.1; they must add up to 1"],
        ),
        (
            "at_phase = \"respond\"",
            "at_phase = \"lobby\"",
            &[
                "acme.toml:87: inject[1].at_phase: an inject cannot fire in the lobby, before the exercise starts",
            ],
        ),
        (
            "title = \"Supplier fails\"",
            "title = \"  \"",
            &["acme.toml:36: risk[1].title: this text is empty"],
        ),
    ];
    let mut wrong = Vec::new();
    for (from, to, want) in rows {
        let got = errors_of(&mutated(from, to));
        if got != *want {
            wrong.push(format!(
                "replacing {from:?} with {to:?}\n  got:  {got:?}\n  want: {want:?}"
            ));
        }
    }
    assert!(wrong.is_empty(), "{}", wrong.join("\n"));
}

#[test]
fn many_problems_are_reported_at_once_in_file_order() {
    let text = MINIMAL
        .replacen("currency = \"EUR\"", "currency = \"eur\"", 1)
        .replacen(
            "frequency = { probability = 0.2 }",
            "frequency = { probability = 2 }",
            1,
        )
        .replacen("participation = 0.1", "participation = 0.5", 1);
    let got = errors_of(&text);
    assert_eq!(got.len(), 3, "{got:#?}");
    assert!(got[0].starts_with("acme.toml:8: currency"));
    assert!(got[1].starts_with("acme.toml:39: risk[1].frequency.probability"));
    assert!(got[2].starts_with("acme.toml:106: scoring"));
}

#[test]
fn oversized_files_are_refused_before_parsing() {
    let big = format!("{MINIMAL}\n# {}\n", "x".repeat(scenario::MAX_FILE_BYTES));
    assert_eq!(
        errors_of(&big),
        ["acme.toml: (top level): the file is 514 KB; a scenario file can be at most 512 KB"]
    );
}
