//! Benchmark of the Monte Carlo loop as WebAssembly in headless Chromium
//! (run by `cargo xtask bench`, which parses the lines it prints). Runs in
//! slices of 10,000 trials, as the app does, because V8 optimises a wasm
//! function only between calls.

#![cfg(all(target_arch = "wasm32", feature = "wasm-bench"))]

use riskroom_core::scenario::{BUILT_IN, parse};
use riskroom_core::sim::{Simulation, Strategy, truth_model};
use wasm_bindgen_test::*;

wasm_bindgen_test_configure!(run_in_browser);

fn now_ms() -> f64 {
    web_sys::window().unwrap().performance().unwrap().now()
}

fn timed(model: &[riskroom_core::sim::model::RiskModel], trials: usize) -> f64 {
    let mut sim = Simulation::new(model.to_vec(), trials, 2026);
    let start = now_ms();
    while !sim.done() {
        sim.step(10_000);
    }
    now_ms() - start
}

/// The middle of five timings: robust to a pause of the machine.
fn median(mut ms: Vec<f64>) -> f64 {
    ms.sort_by(f64::total_cmp);
    ms[ms.len() / 2]
}

#[wasm_bindgen_test]
fn bench_built_in_scenarios() {
    for b in BUILT_IN {
        let s = parse(b.file, b.text).unwrap();
        let model = truth_model(&s, &[], &Strategy::default());
        // Warm up at full size, so the first scenario does not pay for
        // growing the memory that every later one reuses.
        timed(&model, 1_000_000);
        let ms_100k = median((0..5).map(|_| timed(&model, 100_000)).collect());
        let ms_1m = median((0..5).map(|_| timed(&model, 1_000_000)).collect());
        let ns = ms_1m * 1e6 / (1_000_000.0 * model.len() as f64);
        console_log!(
            "WASM-BENCH {} risks={} ms_100k={:.1} ms_1m={:.1} ns_per_risk_sample={:.2}",
            s.id,
            model.len(),
            ms_100k,
            ms_1m,
            ns
        );
    }
}
