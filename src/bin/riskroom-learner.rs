//! Entry point of the learner's app: every phase of a learner's page, which
//! the lobby app (`join.html`) hands over to past the briefing.

fn main() {
    riskroom::start_learner();
}
