//! How the app writes the room's numbers and names: one place for money,
//! estimates, days of the year, scores and people, so every screen says
//! them the same way.

use riskroom_core::ParticipantId;
use riskroom_core::room::{Estimate, Room, anonymous_name};
use riskroom_core::scenario::{Frequency, ResponseKind, Scenario, group_thousands};

/// An amount in a currency: "EUR 1,234,567".
pub fn money(currency: &str, amount: f64) -> String {
    format!("{currency} {}", group_thousands(amount))
}

/// An amount in the currency of the room's scenario.
pub fn room_money(room: &Room, amount: f64) -> String {
    money(
        room.scenario.as_ref().map_or("", |s| s.currency.as_str()),
        amount,
    )
}

/// A person's name as this screen's view of the room holds it (the core
/// hides names on every view but the facilitator's when the room asks).
pub fn display_name(room: &Room, id: ParticipantId) -> String {
    room.participant(id)
        .map_or_else(|| anonymous_name(id), |p| p.name.clone())
}

/// Who wrote a note or comment: a person, or the facilitator.
pub fn author_name(room: &Room, author: Option<ParticipantId>) -> String {
    author.map_or_else(|| "Facilitator".to_owned(), |id| display_name(room, id))
}

/// A role's name in the scenario.
pub fn role_name(scenario: &Scenario, role: Option<&str>) -> String {
    role.map_or_else(
        || "No role".to_owned(),
        |id| {
            scenario
                .role(id)
                .map_or_else(|| id.to_owned(), |r| r.name.clone())
        },
    )
}

/// "20% a year" or "3 times a year".
pub fn frequency_text(f: Frequency) -> String {
    match f {
        Frequency::Probability(p) => format!("{:.0}% a year", 100.0 * p),
        Frequency::Rate(r) => format!("{r} times a year"),
    }
}

/// An estimate in words.
pub fn estimate_text(e: &Estimate, currency: &str) -> String {
    format!(
        "{}, {currency} {}–{} a time",
        frequency_text(e.frequency),
        group_thousands(e.low),
        group_thousands(e.high)
    )
}

/// An estimate in a few words, for a phone: "25% a year · GBP 10k–1M".
pub fn estimate_short(room: &Room, e: &Estimate) -> String {
    format!(
        "{} · {}–{}",
        frequency_text(e.frequency),
        room_short(room, e.low),
        short_amount(e.high)
    )
}

/// Days in each month of a 365-day year.
const MONTH_DAYS: [u32; 12] = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

/// A day of the simulated year (1–365) with its month counted from the
/// exercise's start, not the calendar, since a scenario's story may begin
/// on any date: "Day 47 (month 2)".
pub fn day_label(day: u32) -> String {
    let mut left = day.clamp(1, 365);
    for (month, length) in (1..).zip(MONTH_DAYS) {
        if left <= length {
            return format!("Day {day} (month {month})");
        }
        left -= length;
    }
    format!("Day {day}")
}

/// A score as a whole number, or a dash while it is not given yet.
pub fn whole(score: Option<f64>) -> String {
    score.map_or_else(|| "—".to_owned(), |s| format!("{s:.0}"))
}

/// A response kind as a word.
pub fn kind_name(kind: ResponseKind) -> &'static str {
    match kind {
        ResponseKind::Avoid => "avoid",
        ResponseKind::Reduce => "reduce",
        ResponseKind::Transfer => "transfer",
        ResponseKind::Accept => "accept",
    }
}

/// Whether a simulated year stays within the appetite, in words: "Yes" or
/// "No: P90 EUR 400,000 over".
pub fn appetite_verdict(
    summary: &riskroom_core::sim::Summary,
    money: impl Fn(f64) -> String,
) -> String {
    if summary.within_appetite() {
        "Yes".to_owned()
    } else {
        format!(
            "No: P90 {} over",
            money(summary.percentiles.p90 - summary.appetite)
        )
    }
}

/// An amount in two significant figures, as charts and the room view
/// write it: 900, 12k, 1.5M, 250M, 3bn.
pub fn short_amount(x: f64) -> String {
    // -0 (a float sum of nothing) is written 0.
    let x = x + 0.0;
    let (value, unit) = if x >= 1e9 {
        (x / 1e9, "bn")
    } else if x >= 1e6 {
        (x / 1e6, "M")
    } else if x >= 1e3 {
        (x / 1e3, "k")
    } else {
        (x, "")
    };
    if value < 10.0 {
        let one = format!("{value:.1}");
        format!("{}{unit}", one.strip_suffix(".0").unwrap_or(&one))
    } else {
        let digits = 10f64.powf(value.log10().floor() - 1.0);
        format!("{}{unit}", (value / digits).round() * digits)
    }
}

/// A short amount in the room's currency: "GBP 1.5M".
pub fn room_short(room: &Room, amount: f64) -> String {
    let currency = room.scenario.as_ref().map_or("", |s| s.currency.as_str());
    format!("{currency} {}", short_amount(amount))
}
