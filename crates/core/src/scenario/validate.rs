//! The rules a scenario must meet beyond its field types: references that
//! resolve, numbers in range, ids unique, a playbook within budget. Every
//! broken rule is reported; nothing stops at the first.

use std::collections::HashSet;

use super::path::FieldPath;
use super::{
    Effect, Frequency, Impact, InjectEffect, MAX_AMOUNT, Phase, ResponseKind, Scenario,
    group_thousands,
};

/// Problems as (field path, reason).
pub type Problems = Vec<(FieldPath, String)>;

struct Check {
    problems: Problems,
}

impl Check {
    fn fail(&mut self, path: FieldPath, reason: impl Into<String>) {
        self.problems.push((path, reason.into()));
    }

    fn text(&mut self, path: FieldPath, value: &str, max_chars: usize) {
        let len = value.trim().chars().count();
        if len == 0 {
            self.fail(path, "this text is empty");
        } else if len > max_chars {
            self.fail(
                path,
                format!("this text has {len} characters; at most {max_chars} are allowed"),
            );
        }
    }

    fn id(&mut self, path: FieldPath, id: &str, seen: &mut HashSet<String>, what: &str) {
        let ok = !id.is_empty()
            && id.len() <= 40
            && id
                .chars()
                .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-')
            && !id.starts_with('-');
        if !ok {
            self.fail(
                path.clone(),
                format!("\"{id}\" is not a usable id: use 1 to 40 lower-case letters, digits and dashes, like \"supplier-failure\""),
            );
        }
        if !seen.insert(id.to_owned()) {
            self.fail(path, format!("another {what} already has the id \"{id}\""));
        }
    }

    fn number(&mut self, path: FieldPath, value: f64, min: f64, max: f64, what: &str) -> bool {
        let shown = shown(value);
        if !value.is_finite() {
            self.fail(path, format!("{what} must be a finite number"));
            false
        } else if value < min || value > max {
            let range = match (max == MAX_AMOUNT, value < min) {
                (true, true) => format!("at least {min}"),
                (true, false) => format!("at most {}", group_thousands(max)),
                (false, _) => format!("between {min} and {max}"),
            };
            self.fail(path, format!("{what} must be {range}; it is {shown}"));
            false
        } else {
            true
        }
    }

    fn positive(&mut self, path: FieldPath, value: f64, what: &str) -> bool {
        if !value.is_finite() || value <= 0.0 {
            self.fail(path, format!("{what} must be above 0; it is {value}"));
            false
        } else if value > MAX_AMOUNT {
            self.fail(
                path,
                format!(
                    "{what} must be at most {}; it is {}",
                    group_thousands(MAX_AMOUNT),
                    shown(value)
                ),
            );
            false
        } else {
            true
        }
    }

    fn frequency(&mut self, path: &FieldPath, frequency: &Frequency) {
        match frequency {
            Frequency::Probability(p) => {
                self.number(
                    path.key("probability"),
                    *p,
                    0.0,
                    1.0,
                    "a yearly probability",
                );
            }
            Frequency::Rate(rate) => {
                self.number(
                    path.key("rate"),
                    *rate,
                    0.0,
                    365.0,
                    "a rate (events per year)",
                );
            }
        }
    }

    fn impact(&mut self, path: &FieldPath, impact: &Impact) {
        match *impact {
            Impact::Lognormal { low, high } => {
                let ok_low =
                    self.positive(path.key("low"), low, "the low end of a lognormal range");
                let ok_high = self.number(path.key("high"), high, 0.0, MAX_AMOUNT, "the high end");
                if ok_low && ok_high && high <= low {
                    self.fail(
                        path.key("high"),
                        format!("the high end ({high}) must be above the low end ({low}): a 90% range runs from the 5th to the 95th percentile"),
                    );
                }
            }
            Impact::Pert { min, mode, max } | Impact::Triangular { min, mode, max } => {
                let ok = self.number(path.key("min"), min, 0.0, MAX_AMOUNT, "the minimum loss")
                    & self.number(
                        path.key("mode"),
                        mode,
                        0.0,
                        MAX_AMOUNT,
                        "the most likely loss",
                    )
                    & self.number(path.key("max"), max, 0.0, MAX_AMOUNT, "the maximum loss");
                if ok && max <= min {
                    self.fail(
                        path.key("max"),
                        format!("the maximum ({max}) must be above the minimum ({min})"),
                    );
                } else if ok && !(min..=max).contains(&mode) {
                    self.fail(path.key("mode"), format!("the most likely loss ({mode}) must lie between the minimum ({min}) and the maximum ({max})"));
                }
            }
            Impact::Uniform { min, max } => {
                let ok = self.number(path.key("min"), min, 0.0, MAX_AMOUNT, "the minimum loss")
                    & self.number(path.key("max"), max, 0.0, MAX_AMOUNT, "the maximum loss");
                if ok && max <= min {
                    self.fail(
                        path.key("max"),
                        format!("the maximum ({max}) must be above the minimum ({min})"),
                    );
                }
            }
        }
    }
}

/// Checks every rule; returns all problems found.
pub fn validate(s: &Scenario) -> Problems {
    let mut c = Check {
        problems: Vec::new(),
    };
    let top = FieldPath::default();

    c.id(top.key("id"), &s.id, &mut HashSet::new(), "scenario");
    c.text(top.key("title"), &s.title, 120);
    c.text(top.key("summary"), &s.summary, 1_000);
    c.text(top.key("narrative"), &s.narrative, 20_000);
    if !(s.currency.len() == 3 && s.currency.chars().all(|ch| ch.is_ascii_uppercase())) {
        c.fail(
            top.key("currency"),
            format!(
                "\"{}\" is not a currency code: use three capital letters such as \"EUR\"",
                s.currency
            ),
        );
    }
    if s.horizon_years != 1 {
        c.fail(
            top.key("horizon_years"),
            format!(
                "Riskroom simulates one year; set horizon_years = 1 (it is {})",
                s.horizon_years
            ),
        );
    }
    c.number(top.key("budget"), s.budget, 0.0, MAX_AMOUNT, "the budget");
    c.positive(
        top.key("appetite").key("p90_limit"),
        s.appetite.p90_limit,
        "the P90 limit",
    );
    c.text(
        top.key("appetite").key("statement"),
        &s.appetite.statement,
        1_000,
    );

    let risk_ids: HashSet<&str> = s.risks.iter().map(|r| r.id.as_str()).collect();
    let role_ids: HashSet<&str> = s.roles.iter().map(|r| r.id.as_str()).collect();
    let response_ids: HashSet<&str> = s.responses.iter().map(|r| r.id.as_str()).collect();
    let known_risk = |c: &mut Check, path: FieldPath, id: &str| {
        if !risk_ids.contains(id) {
            c.fail(
                path,
                format!("\"{id}\" is not the id of a [[risk]] in this file"),
            );
        }
    };

    // Roles.
    if s.roles.len() < 2 {
        c.fail(
            top.key("role"),
            format!(
                "a group exercise needs at least 2 roles; this file has {}",
                s.roles.len()
            ),
        );
    }
    let mut seen = HashSet::new();
    let role_models: Vec<usize> = (0..s.roles.len())
        .filter(|&i| s.roles[i].role_model)
        .collect();
    for (i, role) in s.roles.iter().enumerate() {
        let at = top.key("role").index(i);
        c.id(at.key("id"), &role.id, &mut seen, "role");
        c.text(at.key("name"), &role.name, 60);
        c.text(at.key("summary"), &role.summary, 1_000);
        c.text(at.key("brief"), &role.brief, 10_000);
        for (j, clue) in role.clues.iter().enumerate() {
            let at = at.key("clue").index(j);
            c.text(at.key("text"), &clue.text, 1_000);
            known_risk(&mut c, at.key("risk"), &clue.risk);
        }
        for (phase, prompts) in role.prompts.by_phase() {
            let key = format!("{phase:?}").to_lowercase();
            for (j, prompt) in prompts.iter().enumerate() {
                c.text(at.key("prompts").key(&key).index(j), prompt, 500);
            }
        }
    }
    if role_models.len() > 1 {
        for &i in &role_models[1..] {
            c.fail(
                top.key("role").index(i).key("role_model"),
                format!(
                    "only one role can be the role model; \"{}\" is already",
                    s.roles[role_models[0]].id
                ),
            );
        }
    }

    // Risks.
    if s.risks.iter().all(|r| r.dormant) {
        c.fail(
            top.key("risk"),
            "the file needs at least one [[risk]] in play (not dormant)",
        );
    }
    let mut seen = HashSet::new();
    for (i, risk) in s.risks.iter().enumerate() {
        let at = top.key("risk").index(i);
        c.id(at.key("id"), &risk.id, &mut seen, "risk");
        c.text(at.key("title"), &risk.title, 120);
        c.text(at.key("description"), &risk.description, 2_000);
        c.text(at.key("category"), &risk.category, 60);
        c.frequency(&at.key("frequency"), &risk.frequency);
        c.impact(&at.key("impact"), &risk.impact);
    }

    // Responses.
    if s.responses.is_empty() {
        c.fail(
            top.key("response"),
            "the file needs at least one [[response]]",
        );
    }
    let mut seen = HashSet::new();
    for (i, response) in s.responses.iter().enumerate() {
        let at = top.key("response").index(i);
        c.id(at.key("id"), &response.id, &mut seen, "response");
        c.text(at.key("title"), &response.title, 120);
        c.text(at.key("description"), &response.description, 2_000);
        c.number(at.key("cost"), response.cost, 0.0, MAX_AMOUNT, "the cost");
        for (j, role) in response.known_by.iter().enumerate() {
            if !role_ids.contains(role.as_str()) {
                c.fail(
                    at.key("known_by").index(j),
                    format!("\"{role}\" is not the id of a [[role]] in this file"),
                );
            }
        }
        let mut touched = HashSet::new();
        for (j, effect) in response.effects.iter().enumerate() {
            let at = at.key("effect").index(j);
            known_risk(&mut c, at.key("risk"), &effect.risk);
            if !touched.insert(effect.risk.as_str()) {
                c.fail(
                    at.key("risk"),
                    format!(
                        "this response already has an effect on \"{}\": put both in one effect",
                        effect.risk
                    ),
                );
            }
            check_effect(&mut c, &at, effect);
        }
        let has = |f: fn(&Effect) -> bool| response.effects.iter().any(f);
        let needs = match response.kind {
            ResponseKind::Avoid if !has(|e| e.avoid.is_some()) => {
                Some("an \"avoid\" response needs an effect with avoid = { … }")
            }
            ResponseKind::Transfer if !has(|e| e.transfer.is_some()) => Some(
                "a \"transfer\" response needs an effect with transfer = { deductible = …, cap = … }",
            ),
            ResponseKind::Reduce if !has(|e| e.probability.is_some() || e.impact.is_some()) => {
                Some("a \"reduce\" response needs an effect with probability = … or impact = …")
            }
            ResponseKind::Accept if !response.effects.is_empty() => Some(
                "an \"accept\" response changes no risk: remove its effects or choose another kind",
            ),
            _ => None,
        };
        if let Some(reason) = needs {
            c.fail(at.key("kind"), reason);
        }
    }

    // Injects.
    let mut seen = HashSet::new();
    let mut added = HashSet::new();
    for (i, inject) in s.injects.iter().enumerate() {
        let at = top.key("inject").index(i);
        c.id(at.key("id"), &inject.id, &mut seen, "inject");
        c.text(at.key("title"), &inject.title, 120);
        c.text(at.key("text"), &inject.text, 5_000);
        if inject.at_phase == Some(Phase::Lobby) {
            c.fail(
                at.key("at_phase"),
                "an inject cannot fire in the lobby, before the exercise starts",
            );
        }
        if inject.effects.is_empty() {
            c.fail(
                at.key("effect"),
                "an inject needs at least one [[inject.effect]]",
            );
        }
        for (j, effect) in inject.effects.iter().enumerate() {
            let at = at.key("effect").index(j);
            match effect {
                InjectEffect::ChangeRisk {
                    risk,
                    frequency,
                    impact,
                } => {
                    known_risk(&mut c, at.key("risk"), risk);
                    if frequency.is_none() && impact.is_none() {
                        c.fail(
                            at.clone(),
                            "a change_risk effect needs a new frequency or a new impact",
                        );
                    }
                    if let Some(f) = frequency {
                        c.frequency(&at.key("frequency"), f);
                    }
                    if let Some(im) = impact {
                        c.impact(&at.key("impact"), im);
                    }
                }
                InjectEffect::AddRisk { risk } => {
                    known_risk(&mut c, at.key("risk"), risk);
                    if s.risk(risk).is_some_and(|r| !r.dormant) {
                        c.fail(at.key("risk"), format!("\"{risk}\" is already in play: only a risk with dormant = true can be added"));
                    }
                    added.insert(risk.as_str());
                }
                InjectEffect::ChangeBudget { by } => {
                    if c.number(
                        at.key("by"),
                        *by,
                        -MAX_AMOUNT,
                        MAX_AMOUNT,
                        "the budget change",
                    ) && s.budget + by < 0.0
                    {
                        c.fail(
                            at.key("by"),
                            format!("this would take the budget below zero ({} {by})", s.budget),
                        );
                    }
                }
            }
        }
    }
    for (i, risk) in s.risks.iter().enumerate() {
        if risk.dormant && !added.contains(risk.id.as_str()) {
            c.fail(
                top.key("risk").index(i).key("dormant"),
                format!(
                    "\"{}\" is dormant but no inject adds it, so it can never come into play",
                    risk.id
                ),
            );
        }
    }

    // Playbook.
    let book = top.key("playbook");
    c.text(book.key("summary"), &s.playbook.summary, 5_000);
    if s.playbook.picks.is_empty() {
        c.fail(
            book.key("pick"),
            "the playbook needs at least one [[playbook.pick]]",
        );
    }
    let mut picked = HashSet::new();
    let mut cost = 0.0;
    for (i, pick) in s.playbook.picks.iter().enumerate() {
        let at = book.key("pick").index(i);
        c.text(at.key("why"), &pick.why, 2_000);
        if !response_ids.contains(pick.response.as_str()) {
            c.fail(
                at.key("response"),
                format!(
                    "\"{}\" is not the id of a [[response]] in this file",
                    pick.response
                ),
            );
        } else if !picked.insert(pick.response.as_str()) {
            c.fail(
                at.key("response"),
                format!("\"{}\" is picked twice", pick.response),
            );
        } else if let Some(response) = s.response(&pick.response) {
            cost += response.cost;
        }
    }
    if cost > s.budget {
        c.fail(
            book.key("pick"),
            format!(
                "the playbook's responses cost {cost}, more than the budget of {}",
                s.budget
            ),
        );
    }

    // Rubric.
    if s.rubric.dimensions.is_empty() {
        c.fail(
            top.key("rubric").key("dimension"),
            "the rubric needs at least one [[rubric.dimension]]",
        );
    }
    let mut seen = HashSet::new();
    for (i, dimension) in s.rubric.dimensions.iter().enumerate() {
        let at = top.key("rubric").key("dimension").index(i);
        c.id(at.key("id"), &dimension.id, &mut seen, "rubric dimension");
        c.text(at.key("name"), &dimension.name, 80);
        if dimension.levels.len() != 4 {
            c.fail(
                at.key("levels"),
                format!(
                    "a dimension has 4 level descriptors, lowest first; this one has {}",
                    crate::text::count(dimension.levels.len(), "level", "levels")
                ),
            );
        }
        for (j, level) in dimension.levels.iter().enumerate() {
            c.text(at.key("levels").index(j), level, 500);
        }
    }

    // Weights.
    let w = &s.scoring;
    let at = top.key("scoring");
    let mut ok = true;
    for (key, value) in [
        ("quantitative", w.quantitative),
        ("calibration", w.calibration),
        ("rubric", w.rubric),
        ("peer", w.peer),
        ("participation", w.participation),
    ] {
        ok &= c.number(at.key(key), value, 0.0, 1.0, "a weight");
    }
    let sum = w.quantitative + w.calibration + w.rubric + w.peer + w.participation;
    if ok && (sum - 1.0).abs() > 1e-6 {
        c.fail(
            at,
            format!(
                "the weights add up to {}; they must add up to 1",
                (sum * 1e6).round() / 1e6
            ),
        );
    }

    c.problems
}

fn check_effect(c: &mut Check, at: &FieldPath, effect: &Effect) {
    if effect.probability.is_none()
        && effect.impact.is_none()
        && effect.transfer.is_none()
        && effect.avoid.is_none()
    {
        c.fail(
            at.clone(),
            "this effect changes nothing: give it probability, impact, transfer or avoid",
        );
    }
    if let Some(f) = effect.probability {
        c.number(
            at.key("probability"),
            f,
            0.0,
            10.0,
            "a probability multiplier",
        );
    }
    if let Some(f) = effect.impact {
        c.number(at.key("impact"), f, 0.0, 10.0, "an impact multiplier");
    }
    if let Some(t) = effect.transfer {
        c.number(
            at.key("transfer").key("deductible"),
            t.deductible,
            0.0,
            MAX_AMOUNT,
            "the deductible",
        );
        c.positive(at.key("transfer").key("cap"), t.cap, "the cap");
    }
    if let Some(a) = effect.avoid {
        c.number(
            at.key("avoid").key("side_cost"),
            a.side_cost,
            0.0,
            MAX_AMOUNT,
            "the side cost",
        );
        if effect.probability.is_some() || effect.impact.is_some() || effect.transfer.is_some() {
            c.fail(at.key("avoid"), "an avoided risk is out of play: drop probability, impact and transfer from this effect");
        }
    }
}

/// A number as a message shows it: as written, or with an exponent when it
/// is too long to read ("1.7e308").
fn shown(value: f64) -> String {
    if value.abs() >= MAX_AMOUNT {
        format!("{value:e}")
    } else {
        format!("{value}")
    }
}
