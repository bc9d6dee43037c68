//! Entry point of the console app (`console.html`): the facilitator's
//! console of a room on the server in the lobby and the briefing, which
//! hands over to the whole app past them.

fn main() {
    riskroom::start_console();
}
