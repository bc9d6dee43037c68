//! Entry point of the learner's app: every phase of a learner's page, which
//! the lobby app (`join.html`) hands over to as the briefing starts.

fn main() {
    riskroom::start_learner();
}
