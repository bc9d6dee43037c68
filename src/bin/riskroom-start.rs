//! Entry point of the start app (`start.html`): the start page, which hands
//! over to the whole app for a console.

fn main() {
    riskroom::start_start_page();
}
