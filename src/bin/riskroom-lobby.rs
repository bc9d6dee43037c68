//! Entry point of the lobby app (`join.html`): the learner's first screen —
//! the join form, the lobby and the briefing — which hands over to the
//! learner's app past the briefing.

fn main() {
    riskroom::start_lobby();
}
