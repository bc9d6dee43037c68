//! The Monte Carlo engine against closed forms, and its determinism.
//! Tolerances are derived from the standard error of each estimate (4 SE).

use riskroom_core::scenario::{self, Avoid, Effect, Impact, Transfer};
use riskroom_core::sim::engine::retained;
use riskroom_core::sim::model::{
    Occurrence, RiskModel, Severity, Strategy, Z95, lognormal_from_range,
};
use riskroom_core::sim::{Simulation, best_strategy, play_year, report, truth_model};

const MINIMAL: &str = include_str!("data/minimal.toml");

fn risk(id: &str, occurrence: Occurrence, severity: Severity) -> RiskModel {
    RiskModel {
        id: id.into(),
        title: id.into(),
        occurrence,
        severity,
        impact_factor: 1.0,
        transfers: vec![],
    }
}

fn once(p: f64) -> Occurrence {
    Occurrence::Once { p }
}

fn poisson(rate: f64) -> Occurrence {
    Occurrence::Poisson {
        rate,
        exp_neg: (-rate).exp(),
    }
}

/// Runs and checks the mean within 4 standard errors of `expected`.
fn assert_mean(risks: Vec<RiskModel>, expected: f64, trials: usize) -> riskroom_core::sim::Summary {
    let s = Simulation::new(risks, trials, 7).run().summary(1e12);
    assert!(
        (s.mean - expected).abs() < 4.0 * s.std_error + 1e-9,
        "mean {} vs closed form {expected} (se {})",
        s.mean,
        s.std_error
    );
    s
}

#[test]
fn means_match_closed_forms() {
    // Yearly probability × lognormal mean.
    let (low, high) = (50_000.0f64, 400_000.0f64);
    let sigma = (high / low).ln() / (2.0 * Z95);
    let mu = (low * high).sqrt().ln();
    let lognormal_mean = (mu + sigma * sigma / 2.0).exp();
    assert_mean(
        vec![risk("a", once(0.2), lognormal_from_range(low, high))],
        0.2 * lognormal_mean,
        200_000,
    );
    // Poisson rate × uniform mean.
    assert_mean(
        vec![risk(
            "b",
            poisson(1.7),
            Severity::Uniform {
                min: 1_000.0,
                width: 9_000.0,
            },
        )],
        1.7 * 5_500.0,
        200_000,
    );
    // PERT and triangular means, and a sum of risks.
    let pert = Severity::from_impact(&Impact::Pert {
        min: 10.0,
        mode: 60.0,
        max: 500.0,
    });
    let tri = Severity::from_impact(&Impact::Triangular {
        min: 10.0,
        mode: 60.0,
        max: 500.0,
    });
    let pert_mean = (10.0 + 4.0 * 60.0 + 500.0) / 6.0;
    assert_mean(vec![risk("c", once(1.0), pert)], pert_mean, 100_000);
    assert_mean(vec![risk("d", once(1.0), tri)], 570.0 / 3.0, 100_000);
    assert_mean(
        vec![risk("c", once(1.0), pert), risk("d", once(0.5), tri)],
        pert_mean + 0.5 * 190.0,
        100_000,
    );
}

#[test]
fn transfers_pay_the_layer_above_the_deductible_up_to_the_cap() {
    let mut r = risk(
        "t",
        once(1.0),
        Severity::Uniform {
            min: 0.0,
            width: 100.0,
        },
    );
    r.transfers = vec![Transfer {
        deductible: 20.0,
        cap: 50.0,
    }];
    assert_eq!(retained(10.0, &r), 10.0);
    assert_eq!(retained(60.0, &r), 20.0);
    assert_eq!(retained(100.0, &r), 50.0);
    // E[retained] for X ~ U(0, 100): 50 − E[paid] = 50 − 27.5.
    assert_mean(vec![r.clone()], 22.5, 200_000);
    // Two layers apply in order: the second takes from what the first left.
    r.transfers.push(Transfer {
        deductible: 5.0,
        cap: 10.0,
    });
    assert_eq!(retained(100.0, &r), 40.0);
}

#[test]
fn percentiles_match_known_distributions() {
    let n = 200_000;
    let s = Simulation::new(
        vec![risk(
            "u",
            once(1.0),
            Severity::Uniform {
                min: 0.0,
                width: 100.0,
            },
        )],
        n,
        3,
    )
    .run()
    .summary(95.0);
    // SE of a sample quantile: sqrt(q(1−q)/n) / density.
    for (got, q) in [
        (s.percentiles.p50, 0.5),
        (s.percentiles.p90, 0.9),
        (s.percentiles.p95, 0.95),
        (s.percentiles.p99, 0.99),
    ] {
        let se = (q * (1.0 - q) / n as f64).sqrt() * 100.0;
        assert!((got - 100.0 * q).abs() < 4.0 * se, "q{q}: {got}");
    }
    let se = (0.05f64 * 0.95 / n as f64).sqrt();
    assert!((s.p_exceed_appetite - 0.05).abs() < 4.0 * se);
    // Lognormal: P90 = exp(μ + 1.2816σ).
    let (low, high) = (1_000.0f64, 100_000.0f64);
    let s = Simulation::new(
        vec![risk("l", once(1.0), lognormal_from_range(low, high))],
        n,
        5,
    )
    .run()
    .summary(1e9);
    let sigma = (high / low).ln() / (2.0 * Z95);
    let mu = (low * high).sqrt().ln();
    let p90 = (mu + 1.281_551_565_544_600_4 * sigma).exp();
    let density = (-0.5 * 1.281_551_565_544_600_4f64.powi(2)).exp()
        / (2.0 * std::f64::consts::PI).sqrt()
        / (sigma * p90);
    let se = (0.09 / n as f64).sqrt() / density;
    assert!(
        (s.percentiles.p90 - p90).abs() < 4.0 * se,
        "{} vs {p90}",
        s.percentiles.p90
    );
    // The exceedance curve starts at P(loss > 0) = 1 and falls.
    assert!((s.exceedance[0].1 - 1.0).abs() < 1e-12);
    assert!(s.exceedance.windows(2).all(|w| w[1].1 <= w[0].1));
    assert_eq!(
        s.histogram
            .counts
            .iter()
            .map(|&c| c as usize)
            .sum::<usize>(),
        n
    );
}

#[test]
fn edge_cases() {
    let zero = Simulation::new(
        vec![risk(
            "z",
            once(0.0),
            Severity::Uniform {
                min: 1.0,
                width: 1.0,
            },
        )],
        10_000,
        1,
    )
    .run()
    .summary(1.0);
    assert_eq!(
        (zero.mean, zero.percentiles.p99, zero.p_exceed_appetite),
        (0.0, 0.0, 0.0)
    );
    let nothing = Simulation::new(vec![], 1_000, 1).run().summary(1.0);
    assert_eq!(nothing.mean, 0.0);

    let s = scenario::parse("minimal.toml", MINIMAL).unwrap();
    // Full avoidance takes the risk out of the model.
    let avoid = Strategy {
        responses: vec!["custom".into()],
        effects: vec![(
            "custom".into(),
            Effect {
                risk: "supplier-failure".into(),
                probability: None,
                impact: None,
                transfer: None,
                avoid: Some(Avoid { side_cost: 5.0 }),
            },
        )],
        cost: 5.0,
    };
    let model = truth_model(&s, &[], &avoid);
    assert!(model.iter().all(|m| m.id != "supplier-failure"));
    assert_eq!(
        model.len(),
        1,
        "the dormant risk stays out until an inject adds it"
    );
    assert_eq!(truth_model(&s, &["strike".into()], &avoid).len(), 2);
    // A zero budget allows no response.
    let best = best_strategy(&s, &[], 0.0, 1, 5_000);
    assert!(best.responses.is_empty());
    assert_eq!(best.cost, 0.0);
}

#[test]
fn the_same_seed_gives_the_same_numbers_and_slices_change_nothing() {
    let s = scenario::parse("minimal.toml", MINIMAL).unwrap();
    let model = truth_model(&s, &[], &Strategy::default());
    let whole = Simulation::new(model.clone(), 50_000, 42).run();
    let mut sliced = Simulation::new(model.clone(), 50_000, 42);
    while !sliced.done() {
        sliced.step(3_333);
    }
    assert_eq!(whole.totals, sliced.totals);
    let a = serde_json::to_string(&whole.summary(500_000.0)).unwrap();
    let b = serde_json::to_string(
        &Simulation::new(model.clone(), 50_000, 42)
            .run()
            .summary(500_000.0),
    )
    .unwrap();
    assert_eq!(a, b);
    let c = Simulation::new(model, 50_000, 43).run().summary(500_000.0);
    assert_ne!(a, serde_json::to_string(&c).unwrap());
}

#[test]
fn the_best_strategy_beats_every_other_within_budget() {
    let s = scenario::parse("minimal.toml", MINIMAL).unwrap();
    let trials = 20_000;
    let best = best_strategy(&s, &[], s.budget, 9, trials);
    assert!(best.cost <= s.budget);
    // Cross-check by brute force through the full model.
    let ids: Vec<&str> = s.responses.iter().map(|r| r.id.as_str()).collect();
    for mask in 0..(1u32 << ids.len()) {
        let chosen: Vec<&str> = (0..ids.len())
            .filter(|i| mask >> i & 1 == 1)
            .map(|i| ids[i])
            .collect();
        let strategy = Strategy::from_catalogue(&s, &chosen);
        if strategy.cost > s.budget {
            continue;
        }
        let loss = riskroom_core::sim::optimise::expected_loss(&s, &[], &strategy, 9, trials);
        let net = best.loss_without - loss - strategy.cost;
        assert!(
            net <= best.net_benefit() + 1e-6,
            "{chosen:?} nets {net} > best {}",
            best.net_benefit()
        );
    }
    assert!(best.method.starts_with("exhaustive search"));
}

#[test]
fn reports_value_each_response_and_the_year_is_reproducible() {
    let s = scenario::parse("minimal.toml", MINIMAL).unwrap();
    let strategy = Strategy::from_catalogue(&s, &["second-source", "cyber-insurance"]);
    let r = report(&s, &[], &strategy, 40_000, 11, s.appetite.p90_limit);
    assert!(r.with_strategy.mean < r.baseline.mean);
    let total_benefit: f64 = r.responses.iter().map(|v| v.benefit).sum();
    // The two responses touch different risks, so their benefits add up.
    assert!(
        (total_benefit - (r.baseline.mean - r.with_strategy.mean)).abs() < 1e-6 * r.baseline.mean
    );
    assert!(r.responses.iter().all(|v| v.return_on_cost.is_some()));

    let year = play_year(&s, &["strike".into()], &strategy, 2026);
    assert_eq!(year, play_year(&s, &["strike".into()], &strategy, 2026));
    assert!(year.events.windows(2).all(|w| w[0].day <= w[1].day));
    assert!(
        year.events
            .iter()
            .all(|e| e.retained <= e.gross + 1e-9 && (1..=365).contains(&e.day))
    );
    assert!((year.gross - year.events.iter().map(|e| e.gross).sum::<f64>()).abs() < 1e-6);
    // Over many years, prevented events appear where the strategy cuts a probability.
    let prevented = (0..300u64)
        .flat_map(|seed| play_year(&s, &[], &strategy, seed).events)
        .filter(|e| e.prevented)
        .count();
    assert!(prevented > 0);
}

/// Tornado, play-the-year and reports recompute single (risk, trial) losses:
/// they must be the bits the block loop added, and add up (in risk order)
/// to each trial's total — for every kind of risk, including Poisson counts
/// past the look-up table and years with more events than a block's list.
#[test]
fn risk_losses_recompute_the_block_loop_bit_for_bit() {
    let mut risks = Vec::new();
    for b in scenario::BUILT_IN {
        let s = scenario::parse(b.file, b.text).unwrap();
        for strategy in [Strategy::default(), Strategy::playbook(&s)] {
            for mut m in truth_model(&s, &[], &strategy) {
                m.id = format!("{}/{}/{}", s.id, strategy.responses.len(), m.id);
                risks.push(m);
            }
        }
    }
    let layers = vec![
        Transfer {
            deductible: 100_000.0,
            cap: 400_000.0,
        },
        Transfer {
            deductible: 50_000.0,
            cap: 100_000.0,
        },
    ];
    let mut insured = risk("insured", poisson(0.4), lognormal_from_range(1e4, 2e6));
    insured.transfers = layers.clone();
    insured.impact_factor = 0.7;
    let mut often = risk(
        "often",
        poisson(14.0),
        Severity::from_impact(&Impact::Pert {
            min: 1.0,
            mode: 2.0,
            max: 9.0,
        }),
    );
    often.transfers = layers;
    risks.push(insured);
    risks.push(often);
    risks.push(risk(
        "sure",
        once(1.0),
        Severity::from_impact(&Impact::Triangular {
            min: 5.0,
            mode: 5.0,
            max: 8.0,
        }),
    ));
    let check = |risks: Vec<RiskModel>, trials: usize| {
        let n = risks.len();
        let mut sim = Simulation::new(risks, trials, 77);
        while !sim.done() {
            sim.step(3_001);
        }
        for t in 0..trials {
            let sum = (0..n).fold(0.0, |acc, r| acc + sim.risk_loss(r, t));
            assert_eq!(sum.to_bits(), sim.totals[t].to_bits(), "trial {t}");
        }
    };
    check(risks, 7_000);
    // Thousands of events a year: more than a block's event list holds.
    check(
        vec![risk(
            "swarm",
            poisson(2_500.0),
            Severity::Uniform {
                min: 0.0,
                width: 1.0,
            },
        )],
        300,
    );
}

/// Summaries of every built-in scenario for fixed seeds. The same file is
/// checked by the wasm build in the browser (tests/sim.rs at the root), so
/// native and wasm are proven bit-identical. Regenerate with
/// `RISKROOM_WRITE_GOLDEN=1 cargo test -p riskroom-core --test sim`.
#[test]
fn summaries_match_the_golden_file() {
    let got = riskroom_core::sim::golden::golden_digest();
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/data/golden.txt");
    if std::env::var_os("RISKROOM_WRITE_GOLDEN").is_some() {
        std::fs::write(path, &got).unwrap();
    }
    assert_eq!(got, std::fs::read_to_string(path).unwrap());
}

/// Percentiles of any sample, one trial included, are the values at the
/// ranks a sorted list gives (ceil(q·n)), never a panic.
#[test]
fn percentiles_of_every_small_sample_are_its_ranked_values() {
    use riskroom_core::sim::summary::percentiles;
    let mut x: u64 = 0x9E37_79B9_7F4A_7C15;
    for n in 1..=64usize {
        let values: Vec<f64> = (0..n)
            .map(|_| {
                x ^= x << 13;
                x ^= x >> 7;
                x ^= x << 17;
                (x % 1_000) as f64
            })
            .collect();
        let mut sorted = values.clone();
        sorted.sort_by(f64::total_cmp);
        let at = |q: f64| sorted[((q * n as f64).ceil() as usize).clamp(1, n) - 1];
        let p = percentiles(&values);
        assert_eq!(
            (p.p50, p.p90, p.p95, p.p99),
            (at(0.5), at(0.9), at(0.95), at(0.99)),
            "{n} values"
        );
    }
}

/// Each risk's part in the tail is its losses in the years from P90 on,
/// recomputed one by one and added up in trial order, to the bit — whether
/// the summary read them from the years kept as the trials ran or
/// recomputed them, for runs too short to keep any, runs in slices, and
/// risks with many events a year or with transfers.
#[test]
fn tail_parts_are_the_losses_of_the_worst_years_to_the_bit() {
    let check = |sim: &Simulation, appetite: f64| {
        let summary = sim.summary(appetite);
        let p90 = summary.percentiles.p90;
        let tail: Vec<usize> = (0..sim.totals.len())
            .filter(|&t| sim.totals[t] >= p90)
            .collect();
        for (r, risk) in sim.risks.iter().enumerate() {
            let sum: f64 = tail.iter().map(|&t| sim.risk_loss(r, t)).sum();
            let want = sum / tail.len().max(1) as f64;
            let got = summary.risks.iter().find(|s| s.id == risk.id).unwrap();
            assert_eq!(
                got.tail_mean.to_bits(),
                want.to_bits(),
                "{} over {} trials",
                risk.id,
                sim.totals.len()
            );
        }
        assert_eq!(sim.tail_sums(p90).0, tail.len());
    };
    let mut insured = risk("insured", poisson(0.4), lognormal_from_range(1e4, 2e6));
    insured.transfers = vec![Transfer {
        deductible: 100_000.0,
        cap: 400_000.0,
    }];
    let often = risk(
        "often",
        poisson(14.0),
        Severity::from_impact(&Impact::Pert {
            min: 1.0,
            mode: 2.0,
            max: 9.0,
        }),
    );
    let rare = risk("rare", once(0.05), lognormal_from_range(1e5, 1e7));
    let odd = vec![insured, often, rare];
    for b in scenario::BUILT_IN {
        let s = scenario::parse(b.file, b.text).unwrap();
        let model = truth_model(&s, &[], &Strategy::playbook(&s));
        check(
            &Simulation::new(model.clone(), 30_000, 9).run(),
            s.appetite.p90_limit,
        );
        check(
            &Simulation::new(model, 3_000, 9).run(),
            s.appetite.p90_limit,
        );
    }
    let mut sliced = Simulation::new(odd.clone(), 25_000, 4);
    while !sliced.done() {
        sliced.step(1_777);
    }
    check(&sliced, 1e6);
    check(&Simulation::new(odd, 25_000, 4).run(), 1e6);
}

/// The summary's two passes (percentiles narrowed down from a sample,
/// bars and curve points placed by multiplication) give exactly what
/// sorting and dividing give — for losses on and beside every edge, ties,
/// zeros, and a median of zero (where the sample cannot help).
#[test]
fn summaries_of_set_losses_match_sorting_and_dividing() {
    use riskroom_core::sim::summary::{BINS, CURVE_POINTS};
    let plain = |totals: &[f64], appetite: f64| {
        let n = totals.len() as f64;
        let mean = totals.iter().sum::<f64>() / n;
        let var = totals.iter().map(|x| (x - mean) * (x - mean)).sum::<f64>() / (n - 1.0);
        let mut sorted = totals.to_vec();
        sorted.sort_by(f64::total_cmp);
        let at = |q: f64| sorted[((q * n).ceil() as usize).clamp(1, totals.len()) - 1];
        let top = at(0.99).max(appetite).max(1.0) * 1.25;
        let (bar, fine) = (top / BINS as f64, top / (CURVE_POINTS * 16) as f64);
        let mut counts = vec![0u32; BINS];
        let mut fine_counts = vec![0u32; CURVE_POINTS * 16 + 1];
        for &x in totals {
            counts[((x / bar) as usize).min(BINS - 1)] += 1;
            if x > 0.0 {
                fine_counts[((x / fine) as usize).min(CURVE_POINTS * 16)] += 1;
            }
        }
        let curve: Vec<(f64, f64)> = (0..=CURVE_POINTS)
            .map(|i| {
                let above: u32 = fine_counts[i * 16..].iter().sum();
                ((i * 16) as f64 * fine, f64::from(above) / n)
            })
            .collect();
        (
            [mean, (var / n).sqrt(), at(0.5), at(0.9), at(0.95), at(0.99)],
            totals.iter().copied().fold(0.0, f64::max),
            counts,
            curve,
            totals.iter().filter(|&&x| x > appetite).count() as f64 / n,
        )
    };
    let mut x: u64 = 0x2545_F491_4F6C_DD1D;
    let mut next = move || {
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        x
    };
    let spread: Vec<f64> = (0..80_000).map(|_| (next() % 5_000_000) as f64).collect();
    // With the appetite above P99, the grid is the appetite's: every bar and
    // fine edge on it, their neighbours, and a few losses far beyond.
    let mut on_edges = spread.clone();
    let top = 1e7 * 1.25;
    for count in [BINS, CURVE_POINTS * 16] {
        for k in 0..=count {
            let edge = k as f64 * (top / count as f64);
            on_edges.extend([edge, edge.next_up(), edge.next_down()]);
        }
    }
    on_edges.extend([2e7, 1e300, 1e300]);
    let zeros: Vec<f64> = (0..70_000)
        .map(|i| match i % 3 {
            0 => (next() % 1000) as f64,
            1 => 0.0,
            _ => -0.0,
        })
        .collect();
    let ties: Vec<f64> = (0..70_000).map(|_| (next() % 7) as f64 * 1e5).collect();
    for (name, totals, appetite) in [
        ("spread", spread, 1e6),
        ("on edges", on_edges, 1e7),
        ("mostly zero", zeros, 10.0),
        ("ties", ties, 3e5),
    ] {
        let mut sim = Simulation::new(vec![], totals.len(), 1);
        sim.totals = totals.clone();
        let s = sim.summary(appetite);
        let (numbers, max, counts, curve, exceed) = plain(&totals, appetite);
        let got = [
            s.mean,
            s.std_error,
            s.percentiles.p50,
            s.percentiles.p90,
            s.percentiles.p95,
            s.percentiles.p99,
        ];
        assert_eq!(got.map(f64::to_bits), numbers.map(f64::to_bits), "{name}");
        assert_eq!(s.max.to_bits(), max.to_bits(), "{name}");
        assert_eq!(s.histogram.counts, counts, "{name}");
        assert_eq!(s.exceedance, curve, "{name}");
        assert_eq!(s.p_exceed_appetite, exceed, "{name}");
    }
}
