//! Entry point of the learner's app (`join.html`): the join form and the
//! learner's pages, the whole download of a phone that opens a join link.

fn main() {
    riskroom::start_learner();
}
