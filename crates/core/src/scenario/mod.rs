//! Scenario files: the business situation, the roles with their private
//! briefs, the hidden truth model of the risks, the response catalogue,
//! injects, the expert playbook and the rubric. Written in TOML by L&D
//! admins; parsed with serde, then checked by [`validate`] so that every
//! problem is reported at once, naming the file, the field and the reason.

mod builtin;
mod path;
mod source;
mod validate;

use serde::{Deserialize, Serialize};

use crate::tagged::needed;

pub use builtin::{BUILT_IN, BuiltIn, built_in, built_ins};
pub use source::{MAX_FILE_BYTES, ScenarioError, ScenarioErrors, parse};

/// The phases of an exercise, in order.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Phase {
    Lobby,
    Briefing,
    Identify,
    Assess,
    Respond,
    PlayYear,
    Debrief,
}

impl Phase {
    pub const ALL: [Phase; 7] = [
        Phase::Lobby,
        Phase::Briefing,
        Phase::Identify,
        Phase::Assess,
        Phase::Respond,
        Phase::PlayYear,
        Phase::Debrief,
    ];

    /// The phase after this one, if any.
    pub fn next(self) -> Option<Phase> {
        let i = Phase::ALL.iter().position(|p| *p == self)?;
        Phase::ALL.get(i + 1).copied()
    }

    /// The phase before this one, if any.
    pub fn previous(self) -> Option<Phase> {
        let i = Phase::ALL.iter().position(|p| *p == self)?;
        i.checked_sub(1).map(|j| Phase::ALL[j])
    }

    /// The exercise's opening: people join, take their roles and read
    /// their briefs; no team has worked on its board yet. The console app
    /// draws these phases only.
    pub fn is_opening(self) -> bool {
        matches!(self, Phase::Lobby | Phase::Briefing)
    }

    /// What going back from this phase undoes, for the facilitator to read
    /// before confirming.
    pub fn going_back_undoes(self) -> &'static str {
        match self {
            Phase::Lobby => "",
            Phase::Briefing => "The room goes back to the lobby; roles can change again.",
            Phase::Identify => "Raising risks stops; the cards on the board stay.",
            Phase::Assess => "Estimating stops; the estimates given so far stay.",
            Phase::Respond => "Voting and adopting stop; the strategy stays as it is.",
            Phase::PlayYear => {
                "The played year is hidden again on every screen and will be revealed from the start."
            }
            Phase::Debrief => {
                "The debrief closes on every screen: ratings and notes stay, but no more can be added until you come back."
            }
        }
    }

    pub fn name(self) -> &'static str {
        match self {
            Phase::Lobby => "Lobby",
            Phase::Briefing => "Briefing",
            Phase::Identify => "Identify",
            Phase::Assess => "Assess",
            Phase::Respond => "Respond",
            Phase::PlayYear => "Play the year",
            Phase::Debrief => "Debrief",
        }
    }
}

/// The largest amount of money a scenario may name (a budget, a cost, a
/// loss, a budget change): larger than anything an exercise plays, and
/// small enough that every sum of a scenario's amounts stays finite.
pub const MAX_AMOUNT: f64 = 1e15;

/// A whole scenario.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Scenario {
    /// Short identifier: lower-case letters, digits and dashes.
    pub id: String,
    pub title: String,
    /// One paragraph shown when choosing a scenario.
    pub summary: String,
    /// The shared story everyone reads in the briefing.
    pub narrative: String,
    /// ISO 4217 code of every amount in the file, e.g. "EUR".
    pub currency: String,
    /// Riskroom simulates one year.
    #[serde(default = "one")]
    pub horizon_years: u32,
    /// What the team may spend on responses.
    pub budget: f64,
    pub appetite: Appetite,
    #[serde(rename = "role")]
    pub roles: Vec<Role>,
    #[serde(rename = "risk")]
    pub risks: Vec<Risk>,
    #[serde(rename = "response")]
    pub responses: Vec<Response>,
    #[serde(rename = "inject", default)]
    pub injects: Vec<Inject>,
    pub playbook: Playbook,
    pub rubric: Rubric,
    pub scoring: Weights,
    /// Whether the facilitator may run a discussion round after the first
    /// reveal: the pairs furthest apart are named, then everyone
    /// estimates again in private (on unless the file says otherwise).
    #[serde(default = "yes")]
    pub discussion_round: bool,
    /// Prompts for each team's role model to think aloud ("Why this risk
    /// first?"): their answers, on the board, are their teammates' to read.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub think_aloud: Vec<String>,
}

fn yes() -> bool {
    true
}

fn one() -> u32 {
    1
}

/// How much loss the organisation is willing to bear.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Appetite {
    /// The annual loss that should be exceeded in at most 1 year in 10.
    pub p90_limit: f64,
    /// The appetite in the board's words.
    pub statement: String,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Role {
    pub id: String,
    pub name: String,
    /// What the role does, visible to everyone.
    pub summary: String,
    /// What only this role knows.
    pub brief: String,
    /// The seasoned performer the group learns from (at most one role).
    #[serde(default)]
    pub role_model: bool,
    #[serde(rename = "clue", default)]
    pub clues: Vec<Clue>,
    #[serde(default)]
    pub prompts: Prompts,
}

/// A fact in a role's brief that points at a risk of the truth model.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Clue {
    pub text: String,
    /// Id of the risk this clue hints at.
    pub risk: String,
    /// A fact that decides the exercise: the console and the debrief say
    /// so when it stays unsaid.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub decisive: bool,
}

/// Nudges for a role, per phase.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Prompts {
    #[serde(default)]
    pub briefing: Vec<String>,
    #[serde(default)]
    pub identify: Vec<String>,
    #[serde(default)]
    pub assess: Vec<String>,
    #[serde(default)]
    pub respond: Vec<String>,
    #[serde(default)]
    pub debrief: Vec<String>,
}

impl Prompts {
    /// Each prompted phase with its prompts.
    pub fn by_phase(&self) -> [(Phase, &[String]); 5] {
        [
            (Phase::Briefing, &self.briefing),
            (Phase::Identify, &self.identify),
            (Phase::Assess, &self.assess),
            (Phase::Respond, &self.respond),
            (Phase::Debrief, &self.debrief),
        ]
    }
}

/// One risk of the hidden truth model.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Risk {
    pub id: String,
    pub title: String,
    pub description: String,
    pub category: String,
    pub frequency: Frequency,
    pub impact: Impact,
    /// Not in play until an inject adds it.
    #[serde(default)]
    pub dormant: bool,
}

/// How often a risk strikes in a year.
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Frequency {
    /// Chance it happens in the year (at most once).
    Probability(f64),
    /// Expected number of events per year (Poisson).
    Rate(f64),
}

impl Frequency {
    /// Chance of at least one event in the year (the same on every device:
    /// the simulation's own `exp`).
    pub fn yearly_chance(self) -> f64 {
        match self {
            Frequency::Probability(p) => p,
            Frequency::Rate(r) => 1.0 - crate::sim::math::exp(-r),
        }
    }
}

/// The loss of one event.
#[derive(Clone, Copy, Debug, PartialEq, Serialize)]
#[serde(tag = "shape", rename_all = "snake_case")]
pub enum Impact {
    /// Lognormal whose 5th and 95th percentiles are `low` and `high`.
    Lognormal {
        low: f64,
        high: f64,
    },
    /// Beta-PERT between `min` and `max`, most likely `mode`.
    Pert {
        min: f64,
        mode: f64,
        max: f64,
    },
    Triangular {
        min: f64,
        mode: f64,
        max: f64,
    },
    Uniform {
        min: f64,
        max: f64,
    },
}

/// Read as one object of every shape's fields, in any order and with
/// nothing buffered (`crate::tagged`): the shape says which it needs.
impl<'de> Deserialize<'de> for Impact {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        #[derive(Deserialize)]
        #[serde(rename_all = "snake_case")]
        enum Shape {
            Lognormal,
            Pert,
            Triangular,
            Uniform,
        }
        #[derive(Deserialize)]
        struct Fields {
            shape: Shape,
            low: Option<f64>,
            high: Option<f64>,
            min: Option<f64>,
            mode: Option<f64>,
            max: Option<f64>,
        }
        let f = Fields::deserialize(deserializer)?;
        let (min, max) = (needed(f.min, "min"), needed(f.max, "max"));
        Ok(match f.shape {
            Shape::Lognormal => Impact::Lognormal {
                low: needed(f.low, "low")?,
                high: needed(f.high, "high")?,
            },
            Shape::Pert => Impact::Pert {
                min: min?,
                mode: needed(f.mode, "mode")?,
                max: max?,
            },
            Shape::Triangular => Impact::Triangular {
                min: min?,
                mode: needed(f.mode, "mode")?,
                max: max?,
            },
            Shape::Uniform => Impact::Uniform {
                min: min?,
                max: max?,
            },
        })
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ResponseKind {
    Avoid,
    Reduce,
    Transfer,
    Accept,
}

/// A response from the catalogue.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Response {
    pub id: String,
    pub title: String,
    pub description: String,
    pub kind: ResponseKind,
    /// Cost for the year.
    pub cost: f64,
    /// Roles whose brief mentions this option; empty means everyone knows it.
    #[serde(default)]
    pub known_by: Vec<String>,
    #[serde(rename = "effect", default)]
    pub effects: Vec<Effect>,
}

/// What a response does to one risk.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Effect {
    pub risk: String,
    /// Multiplies the yearly probability or rate.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub probability: Option<f64>,
    /// Multiplies the loss of each event.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub impact: Option<f64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub transfer: Option<Transfer>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub avoid: Option<Avoid>,
}

/// Insurance or a contract: per event, the loss above `deductible` is paid
/// by someone else, up to `cap`.
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
pub struct Transfer {
    pub deductible: f64,
    pub cap: f64,
}

/// The risk is taken out of play, at an optional cost of its own.
#[derive(Clone, Copy, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Avoid {
    #[serde(default)]
    pub side_cost: f64,
}

/// An event the facilitator fires, or that fires at the start of a phase.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Inject {
    pub id: String,
    pub title: String,
    pub text: String,
    /// Fires at the start of this phase; without it the facilitator fires it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub at_phase: Option<Phase>,
    #[serde(rename = "effect", default)]
    pub effects: Vec<InjectEffect>,
}

#[derive(Clone, Debug, PartialEq, Serialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum InjectEffect {
    /// New truth for an existing risk.
    ChangeRisk {
        risk: String,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        frequency: Option<Frequency>,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        impact: Option<Impact>,
    },
    /// Brings a dormant risk into play.
    AddRisk { risk: String },
    /// Adds to (or, negative, takes from) the budget.
    ChangeBudget { by: f64 },
}

/// Read as one object of every kind's fields, in any order and with nothing
/// buffered (`crate::tagged`): the kind says which it needs.
impl<'de> Deserialize<'de> for InjectEffect {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        #[derive(Deserialize)]
        #[serde(rename_all = "snake_case")]
        enum Kind {
            ChangeRisk,
            AddRisk,
            ChangeBudget,
        }
        #[derive(Deserialize)]
        struct Fields {
            kind: Kind,
            risk: Option<String>,
            frequency: Option<Frequency>,
            impact: Option<Impact>,
            by: Option<f64>,
        }
        let f = Fields::deserialize(deserializer)?;
        Ok(match f.kind {
            Kind::ChangeRisk => InjectEffect::ChangeRisk {
                risk: needed(f.risk, "risk")?,
                frequency: f.frequency,
                impact: f.impact,
            },
            Kind::AddRisk => InjectEffect::AddRisk {
                risk: needed(f.risk, "risk")?,
            },
            Kind::ChangeBudget => InjectEffect::ChangeBudget {
                by: needed(f.by, "by")?,
            },
        })
    }
}

/// What a seasoned performer would do, in their voice.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Playbook {
    pub summary: String,
    #[serde(rename = "pick")]
    pub picks: Vec<Pick>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Pick {
    pub response: String,
    pub why: String,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Rubric {
    #[serde(rename = "dimension")]
    pub dimensions: Vec<Dimension>,
}

/// One rubric dimension with four level descriptors, lowest first.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Dimension {
    pub id: String,
    pub name: String,
    pub levels: Vec<String>,
}

/// Weights of the combined score; they add up to 1.
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
pub struct Weights {
    pub quantitative: f64,
    pub calibration: f64,
    pub rubric: f64,
    pub peer: f64,
    pub participation: f64,
}

impl Response {
    /// What choosing it costs for the year: its cost plus the side costs of
    /// the risks it avoids.
    pub fn total_cost(&self) -> f64 {
        self.cost
            + self
                .effects
                .iter()
                .filter_map(|e| e.avoid.map(|a| a.side_cost))
                .sum::<f64>()
    }
}

impl Inject {
    /// How much it adds to (or takes from) the budget.
    pub fn budget_change(&self) -> f64 {
        self.effects
            .iter()
            .map(|e| match e {
                InjectEffect::ChangeBudget { by } => *by,
                _ => 0.0,
            })
            .sum()
    }
}

impl Scenario {
    /// The budget once these injects have fired (never below zero).
    pub fn budget_after(&self, fired: &[String]) -> f64 {
        fired
            .iter()
            .filter_map(|id| self.injects.iter().find(|i| &i.id == id))
            .fold(self.budget, |budget, inject| {
                (budget + inject.budget_change()).max(0.0)
            })
    }

    pub fn role(&self, id: &str) -> Option<&Role> {
        self.roles.iter().find(|r| r.id == id)
    }

    pub fn risk(&self, id: &str) -> Option<&Risk> {
        self.risks.iter().find(|r| r.id == id)
    }

    pub fn response(&self, id: &str) -> Option<&Response> {
        self.responses.iter().find(|r| r.id == id)
    }

    pub fn role_model(&self) -> Option<&Role> {
        self.roles.iter().find(|r| r.role_model)
    }

    /// One line describing the scenario, e.g. for a checker's output.
    pub fn summary_line(&self) -> String {
        let in_play = self.risks.iter().filter(|r| !r.dormant).count();
        let dormant = self.risks.len() - in_play;
        let role_model = self.role_model().map_or_else(
            || "no role model".to_owned(),
            |r| format!("role model: {}", r.name),
        );
        let count = crate::text::count;
        format!(
            "\"{}\" ({}): {} ({role_model}), {}{}, {}, {}, budget {} {}, P90 limit {} {}",
            self.title,
            self.id,
            count(self.roles.len(), "role", "roles"),
            count(in_play, "risk", "risks"),
            if dormant > 0 {
                format!(" (+{dormant} dormant)")
            } else {
                String::new()
            },
            count(self.responses.len(), "response", "responses"),
            count(self.injects.len(), "inject", "injects"),
            self.currency,
            group_thousands(self.budget),
            self.currency,
            group_thousands(self.appetite.p90_limit),
        )
    }

    /// Serializes back to TOML (round-trips through [`parse`]).
    pub fn to_toml(&self) -> String {
        toml::to_string(self).expect("scenarios always serialize")
    }
}

/// 1234567.8 → "1,234,568".
pub fn group_thousands(amount: f64) -> String {
    let rounded = amount.round() as i64;
    let digits = rounded.unsigned_abs().to_string();
    let mut out = String::new();
    for (i, ch) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(ch);
    }
    if rounded < 0 {
        out.insert(0, '-');
    }
    out
}
