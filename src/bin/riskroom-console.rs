//! Entry point of the console app (`console.html`): the facilitator's
//! console and the room view of a room on the server.

fn main() {
    riskroom::start_console();
}
