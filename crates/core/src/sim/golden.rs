//! A digest of simulation results that native and WebAssembly builds must
//! both reproduce exactly (tests on both targets compare it with one file).

use super::{Simulation, Strategy, truth_model};
use crate::scenario::{BUILT_IN, parse};

/// One line per built-in scenario: its id and the exact bits of the summary
/// numbers for 20,000 trials at seed 2026, without and with the playbook.
pub fn golden_digest() -> String {
    let mut out = String::new();
    for b in BUILT_IN {
        let s = parse(b.file, b.text).expect("built-ins are valid");
        for (label, strategy) in [
            ("none", Strategy::default()),
            ("playbook", Strategy::playbook(&s)),
        ] {
            let sim = Simulation::new(truth_model(&s, &[], &strategy), 20_000, 2026).run();
            let sum = sim.summary(s.appetite.p90_limit);
            let numbers = [
                sum.mean,
                sum.std_error,
                sum.percentiles.p50,
                sum.percentiles.p90,
                sum.percentiles.p95,
                sum.percentiles.p99,
                sum.max,
                sum.p_exceed_appetite,
            ];
            let bits: Vec<String> = numbers
                .iter()
                .map(|x| format!("{:016x}", x.to_bits()))
                .collect();
            out.push_str(&format!(
                "{} {label} {} mean={:.2}\n",
                s.id,
                bits.join(" "),
                sum.mean
            ));
        }
    }
    out
}
