//! Entry point of the lobby app (`join.html`): the learner's first screen —
//! the join form and the lobby — which hands over to the learner's app as
//! the briefing starts.

fn main() {
    riskroom::start_lobby();
}
