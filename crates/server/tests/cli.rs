//! The command line: every input gets a clean error, never a panic — a
//! simulation of a handful of trials runs, one too large is refused before
//! it allocates, and a frame-ancestors value that would break the header is
//! refused at start-up; `simulate` times each of its stages.

use clap::Parser;
use riskroom_server::config::{Cli, Sub};
use riskroom_server::simulate;

fn simulate_with(trials: &str) -> anyhow::Result<String> {
    simulate_args(&["--trials", trials])
}

fn simulate_args(args: &[&str]) -> anyhow::Result<String> {
    let cli = Cli::try_parse_from(
        ["riskroom-server", "simulate", "supplier-insolvency"]
            .iter()
            .chain(args),
    )?;
    let Some(Sub::Simulate(args)) = cli.command else {
        panic!("parsed as simulate");
    };
    let mut out = Vec::new();
    simulate::run(&args, &mut out)?;
    Ok(String::from_utf8(out)?)
}

#[test]
fn a_simulation_of_one_to_twenty_trials_runs() {
    for trials in ["1", "2", "5", "19", "20"] {
        let text = simulate_with(trials).unwrap_or_else(|e| panic!("{trials}: {e}"));
        assert!(text.contains("P90"), "{trials}: {text}");
    }
}

/// The search for the best strategy, the trials and the summaries are each
/// timed and given per risk-sample, in the text and in the JSON.
#[test]
fn each_stage_is_timed_per_risk_sample() {
    let text = simulate_args(&["--trials", "2000", "--strategy", "best"]).unwrap();
    for stage in ["best strategy", "trials", "summaries", "response values"] {
        let line = text
            .lines()
            .find(|l| l.starts_with(&format!("  {stage} ")))
            .unwrap_or_else(|| panic!("no {stage} line in {text}"));
        assert!(
            line.contains(" ns over ") && line.contains("risk-samples"),
            "{line}"
        );
    }
    let json = simulate_args(&["--trials", "2000", "--strategy", "best", "--json"]).unwrap();
    let value: serde_json::Value = serde_json::from_str(&json).unwrap();
    for stage in ["best_strategy", "trials", "summaries", "response_values"] {
        let timing = &value["timing"][stage];
        assert!(
            timing["ns_per_risk_sample"].as_f64().is_some(),
            "{stage}: {timing}"
        );
        assert!(
            timing["risk_samples"].as_u64().unwrap() > 0,
            "{stage}: {timing}"
        );
    }
}

#[test]
fn too_many_trials_are_refused_in_words() {
    let error = simulate_with("1000000000000").unwrap_err().to_string();
    assert_eq!(
        error,
        "--trials must be between 1 and 10000000; it is 1000000000000"
    );
    assert!(simulate_with("0").is_err());
    assert!(simulate_with("1e12").is_err(), "not a whole number");
}

#[test]
fn a_frame_ancestors_value_that_would_break_the_header_is_refused() {
    for bad in ["'self'\nX-Evil: 1", "'self'; script-src *", "", "a,b"] {
        let error = Cli::try_parse_from(["riskroom-server", "--frame-ancestors", bad])
            .err()
            .unwrap_or_else(|| panic!("{bad:?} accepted"));
        assert!(
            error.to_string().contains("separated by spaces"),
            "{bad:?}: {error}"
        );
    }
    let cli = Cli::try_parse_from([
        "riskroom-server",
        "--frame-ancestors",
        "'self' https://intranet.example.com",
    ])
    .unwrap();
    assert_eq!(
        cli.serve.frame_ancestors,
        "'self' https://intranet.example.com"
    );
}
