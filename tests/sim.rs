//! The Monte Carlo engine compiled to WebAssembly and run in headless
//! Chromium gives bit for bit the numbers of the native build: both check
//! the same golden file.

#![cfg(target_arch = "wasm32")]

use wasm_bindgen_test::*;

wasm_bindgen_test_configure!(run_in_browser);

#[wasm_bindgen_test]
fn wasm_summaries_equal_the_native_golden_file() {
    let golden = include_str!("../crates/core/tests/data/golden.txt");
    assert_eq!(riskroom_core::sim::golden::golden_digest(), golden);
}
