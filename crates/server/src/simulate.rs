//! `riskroom-server simulate`: the Monte Carlo engine from the command line,
//! for admins checking a scenario's numbers and for benchmarks. Times each
//! stage apart — the search for the best strategy, the trials, the
//! summaries, the responses' values — and gives each per risk-sample (one
//! risk in one simulated year).

use std::io::Write;
use std::path::Path;
use std::time::{Duration, Instant};

use anyhow::{Context, bail};
use riskroom_core::scenario::{self, Scenario, group_thousands};
use riskroom_core::sim::optimise::search_size;
use riskroom_core::sim::report::{response_values, response_values_size, runs};
use riskroom_core::sim::{MAX_TRIALS, Report, Strategy, best_strategy};
use serde_json::{Value, json};

use crate::config::SimulateArgs;

/// One stage's wall time and the risk-samples it simulated or summed up.
struct Stage {
    name: &'static str,
    what: &'static str,
    time: Duration,
    risk_samples: usize,
}

impl Stage {
    fn ns_per_risk_sample(&self) -> f64 {
        self.time.as_secs_f64() * 1e9 / self.risk_samples.max(1) as f64
    }

    fn json(&self) -> Value {
        json!({
            "ms": self.time.as_secs_f64() * 1e3,
            "risk_samples": self.risk_samples,
            "ns_per_risk_sample": self.ns_per_risk_sample(),
        })
    }
}

/// Runs `f`, and how long it took.
fn timed<T>(f: impl FnOnce() -> T) -> (T, Duration) {
    let started = Instant::now();
    let value = f();
    (value, started.elapsed())
}

fn load(name: &str) -> anyhow::Result<Scenario> {
    if let Some(s) = scenario::built_in(name) {
        return Ok(s);
    }
    if Path::new(name).exists() {
        return crate::scenarios::load_file(Path::new(name)).map_err(|e| anyhow::anyhow!("{e}"));
    }
    let ids: Vec<String> = scenario::built_ins()
        .map(|all| all.into_iter().map(|s| s.id).collect())
        .unwrap_or_default();
    bail!(
        "\"{name}\" is neither a file nor a built-in scenario ({})",
        ids.join(", ")
    )
}

pub fn run(args: &SimulateArgs, out: &mut impl Write) -> anyhow::Result<()> {
    if !(1..=MAX_TRIALS).contains(&args.trials) {
        bail!(
            "--trials must be between 1 and {MAX_TRIALS}; it is {}",
            args.trials
        );
    }
    let s = load(&args.scenario)?;
    let fired: Vec<String> = args
        .injects
        .split(',')
        .filter(|i| !i.is_empty())
        .map(str::to_owned)
        .collect();
    for id in &fired {
        if !s.injects.iter().any(|i| &i.id == id) {
            bail!("the scenario has no inject \"{id}\"");
        }
    }
    let budget = s.budget_after(&fired);
    let mut stages = Vec::new();
    let (strategy, best) = match args.strategy.as_str() {
        "none" => (Strategy::default(), None),
        "playbook" => (Strategy::playbook(&s), None),
        "best" => {
            let trials = (args.trials / 5).max(1_000);
            let (best, time) = timed(|| best_strategy(&s, &fired, budget, args.seed, trials));
            stages.push(Stage {
                name: "best strategy",
                what: "each risk under every combination of its responses",
                time,
                risk_samples: search_size(&s, &fired, trials),
            });
            let ids: Vec<&str> = best.responses.iter().map(String::as_str).collect();
            (Strategy::from_catalogue(&s, &ids), Some(best))
        }
        list => {
            let ids: Vec<&str> = list.split(',').filter(|i| !i.is_empty()).collect();
            for id in &ids {
                if s.response(id).is_none() {
                    bail!("the scenario has no response \"{id}\"");
                }
            }
            (Strategy::from_catalogue(&s, &ids), None)
        }
    };
    let appetite = s.appetite.p90_limit;
    let ([baseline, with], time) = timed(|| runs(&s, &fired, &strategy, args.trials, args.seed));
    let risk_samples = (baseline.risks.len() + with.risks.len()) * args.trials;
    stages.push(Stage {
        name: "trials",
        what: "no responses, and with the strategy",
        time,
        risk_samples,
    });
    let ((baseline, with_strategy), time) =
        timed(|| (baseline.summary(appetite), with.summary(appetite)));
    stages.push(Stage {
        name: "summaries",
        what: "of those trials",
        time,
        risk_samples,
    });
    let (responses, time) =
        timed(|| response_values(&s, &fired, &strategy, args.trials, args.seed));
    stages.push(Stage {
        name: "response values",
        what: "the risks each response touches, with and without it",
        time,
        risk_samples: response_values_size(&s, &fired, &strategy, args.trials),
    });
    let r = Report {
        baseline,
        with_strategy,
        strategy: strategy.clone(),
        responses,
    };
    let elapsed: Duration = stages.iter().map(|stage| stage.time).sum();

    if args.json {
        let value = json!({
            "scenario": s.id,
            "trials": args.trials,
            "seed": args.seed,
            "injects": fired,
            "budget": budget,
            "strategy": r.strategy,
            "best": best,
            "baseline": r.baseline,
            "with_strategy": r.with_strategy,
            "responses": r.responses,
            "wall_time_ms": elapsed.as_secs_f64() * 1e3,
            "timing": stages
                .iter()
                .map(|stage| (stage.name.replace(' ', "_"), stage.json()))
                .collect::<serde_json::Map<_, _>>(),
        });
        writeln!(out, "{}", serde_json::to_string_pretty(&value)?).context("writing")?;
        return Ok(());
    }
    let c = &s.currency;
    let m = |x: f64| format!("{c} {}", group_thousands(x));
    writeln!(
        out,
        "{} — {} trials, seed {}",
        s.title, args.trials, args.seed
    )?;
    if !fired.is_empty() {
        writeln!(out, "injects fired: {}", fired.join(", "))?;
    }
    if let Some(best) = &best {
        writeln!(
            out,
            "best strategy within {} ({}): {}",
            m(budget),
            best.method,
            best.responses.join(", ")
        )?;
    }
    writeln!(
        out,
        "strategy: {} (cost {})",
        if strategy.responses.is_empty() {
            "none".to_owned()
        } else {
            strategy.responses.join(", ")
        },
        m(strategy.cost)
    )?;
    writeln!(
        out,
        "{:<28} {:>18} {:>18}",
        "", "no responses", "with strategy"
    )?;
    let row = |out: &mut dyn Write, label: &str, a: f64, b: f64| {
        writeln!(out, "{label:<28} {:>18} {:>18}", m(a), m(b))
    };
    let (b, w) = (&r.baseline, &r.with_strategy);
    row(out, "expected annual loss", b.mean, w.mean)?;
    row(out, "  standard error", b.std_error, w.std_error)?;
    row(out, "P50", b.percentiles.p50, w.percentiles.p50)?;
    row(out, "P90", b.percentiles.p90, w.percentiles.p90)?;
    row(out, "P95", b.percentiles.p95, w.percentiles.p95)?;
    row(out, "P99", b.percentiles.p99, w.percentiles.p99)?;
    writeln!(
        out,
        "{:<28} {:>17.1}% {:>17.1}%",
        format!("P(loss > {})", group_thousands(s.appetite.p90_limit)),
        100.0 * b.p_exceed_appetite,
        100.0 * w.p_exceed_appetite
    )?;
    if !r.responses.is_empty() {
        writeln!(
            out,
            "\nresponse value (expected loss removed, the others in place):"
        )?;
        for v in &r.responses {
            let roc = v
                .return_on_cost
                .map_or("free".to_owned(), |x| format!("{x:.2} per unit of cost"));
            writeln!(
                out,
                "  {:<32} cost {:>14}  benefit {:>14}  {roc}",
                v.response,
                m(v.cost),
                m(v.benefit)
            )?;
        }
    }
    writeln!(
        out,
        "\nrisks driving the tail (mean loss in the worst 10% of years, no responses):"
    )?;
    for risk in b.risks.iter().take(5) {
        writeln!(
            out,
            "  {:<40} {:>16}  (mean {})",
            risk.title,
            m(risk.tail_mean),
            m(risk.mean)
        )?;
    }
    writeln!(
        out,
        "\nwall time {:.1} ms, per risk-sample (one risk in one simulated year):",
        elapsed.as_secs_f64() * 1e3
    )?;
    for stage in &stages {
        writeln!(
            out,
            "  {:<16} {:>9.1} ms {:>8.2} ns over {:>15} risk-samples ({})",
            stage.name,
            stage.time.as_secs_f64() * 1e3,
            stage.ns_per_risk_sample(),
            group_thousands(stage.risk_samples as f64),
            stage.what
        )?;
    }
    Ok(())
}
