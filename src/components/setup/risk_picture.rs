//! The facilitator's risk picture: the scenario's true risks simulated for
//! 100,000 years in the browser — in slices of 10,000 trials with a progress
//! bar, so the page never freezes — with no responses and with the expert
//! playbook, side by side.

use std::cell::RefCell;
use std::rc::Rc;

use gloo_timers::callback::Timeout;
use riskroom_core::scenario::{Scenario, group_thousands};
use riskroom_core::sim::summary::Summary;
use riskroom_core::sim::{Simulation, Strategy, truth_model};
use yew::prelude::*;

use crate::format::money;

/// Years simulated, and per slice.
pub const TRIALS: usize = 100_000;
const SLICE: usize = 10_000;

#[derive(Properties, PartialEq)]
pub struct RiskPictureProps {
    pub scenario: Rc<Scenario>,
    /// Injects fired so far (they change the truth).
    pub fired: Vec<String>,
    /// The room's seed.
    pub seed: u64,
}

#[derive(Clone, PartialEq)]
enum Run {
    Idle,
    /// Trials done out of 2 × TRIALS (no responses, then the playbook).
    Running(usize),
    Done(Box<(Summary, Summary)>),
}

#[function_component(RiskPicture)]
pub fn risk_picture(props: &RiskPictureProps) -> Html {
    let run = use_state(|| Run::Idle);
    let timer = use_mut_ref(|| None::<Timeout>);

    let start = {
        let run = run.clone();
        let scenario = Rc::clone(&props.scenario);
        let fired = props.fired.clone();
        let seed = props.seed;
        Callback::from(move |_| {
            let sims = Rc::new(RefCell::new(vec![
                Simulation::new(
                    truth_model(&scenario, &fired, &Strategy::default()),
                    TRIALS,
                    seed,
                ),
                Simulation::new(
                    truth_model(&scenario, &fired, &Strategy::playbook(&scenario)),
                    TRIALS,
                    seed,
                ),
            ]));
            run.set(Run::Running(0));
            step(
                Rc::clone(&sims),
                run.clone(),
                &timer,
                scenario.appetite.p90_limit,
            );
        })
    };

    let currency = props.scenario.currency.clone();
    let money = move |x: f64| money(&currency, x);
    html! {
        <section class="risk-picture" aria-labelledby="risk-picture-heading">
            <h2 id="risk-picture-heading">{ "Risk picture (facilitator only)" }</h2>
            <p class="hint">{ format!(
                "The scenario's true risks, simulated for {} years in this browser: what the team is up against, and what the expert playbook achieves.",
                group_thousands(TRIALS as f64)
            ) }</p>
            { match &*run {
                Run::Idle => html! {
                    <button type="button" class="secondary" onclick={start}>{ "Simulate 100,000 years" }</button>
                },
                Run::Running(done) => {
                    let percent = 100 * done / (2 * TRIALS);
                    html! {
                        <div class="progress-row">
                            <progress max="100" value={percent.to_string()} aria-label="Simulation progress"
                                data-testid="simulation-progress"></progress>
                            <span>{ format!("{percent}%") }</span>
                        </div>
                    }
                }
                Run::Done(results) => {
                    let (none, playbook) = &**results;
                    html! {
                        <table class="summary-table" data-testid="simulation-summary">
                            <thead><tr><td></td><th scope="col">{ "No responses" }</th><th scope="col">{ "Expert playbook" }</th></tr></thead>
                            <tbody>
                                <tr><th scope="row">{ "Expected annual loss" }</th><td>{ money(none.mean) }</td><td>{ money(playbook.mean) }</td></tr>
                                <tr><th scope="row">{ "1 year in 10 is worse than (P90)" }</th><td>{ money(none.percentiles.p90) }</td><td>{ money(playbook.percentiles.p90) }</td></tr>
                                <tr><th scope="row">{ format!("Within the appetite (P90 at most {})?", money(none.appetite)) }</th>
                                    <td>{ crate::format::appetite_verdict(none, &money) }</td>
                                    <td>{ crate::format::appetite_verdict(playbook, &money) }</td></tr>
                                <tr><th scope="row">{ format!("Chance of a loss above the appetite ({})", money(none.appetite)) }</th>
                                    <td>{ format!("{:.0}%", 100.0 * none.p_exceed_appetite) }</td>
                                    <td>{ format!("{:.0}%", 100.0 * playbook.p_exceed_appetite) }</td></tr>
                                <tr><th scope="row">{ "Risk driving the worst years" }</th>
                                    <td>{ none.risks.first().map(|r| r.title.clone()).unwrap_or_default() }</td>
                                    <td>{ playbook.risks.first().map(|r| r.title.clone()).unwrap_or_default() }</td></tr>
                            </tbody>
                        </table>
                    }
                }
            } }
        </section>
    }
}

/// Runs one slice, shows progress, and schedules the next (the browser
/// paints and handles input between slices).
fn step(
    sims: Rc<RefCell<Vec<Simulation>>>,
    run: UseStateHandle<Run>,
    timer: &Rc<RefCell<Option<Timeout>>>,
    appetite: f64,
) {
    let done = {
        let mut sims = sims.borrow_mut();
        match sims.iter_mut().find(|s| !s.done()) {
            Some(sim) => {
                sim.step(SLICE);
                Some(sims.iter().map(|s| s.totals.len()).sum::<usize>())
            }
            None => None,
        }
    };
    match done {
        Some(done) => {
            run.set(Run::Running(done));
            let next = Timeout::new(0, {
                let timer = Rc::clone(timer);
                move || step(sims, run, &timer, appetite)
            });
            *timer.borrow_mut() = Some(next);
        }
        None => {
            let sims = sims.borrow();
            run.set(Run::Done(Box::new((
                sims[0].summary(appetite),
                sims[1].summary(appetite),
            ))));
        }
    }
}
