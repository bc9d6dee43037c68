//! Native benchmark of the Monte Carlo loop: 1,000,000 trials of each
//! built-in scenario's true risks, reported per risk-sample (one risk in one
//! trial). `cargo xtask bench` runs it and the same workload as wasm in
//! headless Chromium, and writes both into BENCHMARKS.md.

use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use riskroom_core::scenario::{BUILT_IN, parse};
use riskroom_core::sim::{Simulation, Strategy, truth_model};

const TRIALS: usize = 1_000_000;

fn simulate(c: &mut Criterion) {
    let mut group = c.benchmark_group("simulate_1m_trials");
    group.sample_size(10);
    for b in BUILT_IN {
        let s = parse(b.file, b.text).unwrap();
        let model = truth_model(&s, &[], &Strategy::default());
        group.throughput(Throughput::Elements((TRIALS * model.len()) as u64));
        group.bench_function(&s.id, |bench| {
            bench.iter(|| {
                let sim = Simulation::new(model.clone(), TRIALS, 2026).run();
                std::hint::black_box(sim.totals.len())
            });
        });
    }
    group.finish();
}

/// What comes after the trials: the summary of 1,000,000 annual losses
/// (percentiles, histogram, exceedance curve, each risk's part in the
/// tail), to set beside the trials themselves.
fn summarise(c: &mut Criterion) {
    let mut group = c.benchmark_group("summary_1m_trials");
    group.sample_size(10);
    for b in BUILT_IN {
        let s = parse(b.file, b.text).unwrap();
        let model = truth_model(&s, &[], &Strategy::default());
        let sim = Simulation::new(model.clone(), TRIALS, 2026).run();
        group.throughput(Throughput::Elements((TRIALS * model.len()) as u64));
        group.bench_function(&s.id, |bench| {
            bench.iter(|| std::hint::black_box(sim.summary(s.appetite.p90_limit).mean));
        });
    }
    group.finish();
}

criterion_group!(benches, simulate, summarise);
criterion_main!(benches);
