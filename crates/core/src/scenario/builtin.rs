//! The built-in scenarios, embedded at build time from `scenarios/`.

use super::{Scenario, ScenarioErrors, parse};

/// A built-in scenario file.
#[derive(Clone, Copy, Debug)]
pub struct BuiltIn {
    pub file: &'static str,
    pub text: &'static str,
}

pub const BUILT_IN: &[BuiltIn] = &[
    BuiltIn {
        file: "supplier-insolvency.toml",
        text: include_str!("../../../../scenarios/supplier-insolvency.toml"),
    },
    BuiltIn {
        file: "ransomware-payroll.toml",
        text: include_str!("../../../../scenarios/ransomware-payroll.toml"),
    },
    BuiltIn {
        file: "product-recall.toml",
        text: include_str!("../../../../scenarios/product-recall.toml"),
    },
];

/// Every built-in scenario, parsed.
pub fn built_ins() -> Result<Vec<Scenario>, ScenarioErrors> {
    BUILT_IN.iter().map(|b| parse(b.file, b.text)).collect()
}

/// One built-in scenario by id.
pub fn built_in(id: &str) -> Option<Scenario> {
    BUILT_IN
        .iter()
        .filter_map(|b| parse(b.file, b.text).ok())
        .find(|s| s.id == id)
}
