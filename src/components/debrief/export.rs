//! The after-action report as files — JSON with the whole debrief, the
//! board, the lessons and action items, and CSV rows a spreadsheet reads —
//! as the core writes them, offered for download.

use std::rc::Rc;

use gloo_timers::callback::Timeout;
use riskroom_core::debrief::{DEBRIEF_TRIALS, TeamDebrief, debrief};
use riskroom_core::export;
use wasm_bindgen::{JsCast, JsValue};
use web_sys::{Blob, BlobPropertyBag, HtmlAnchorElement, Url};
use yew::prelude::*;

use crate::hooks::use_room::RoomContext;
use crate::state::ClientAction;

pub(super) fn export(room: &RoomContext, d: &Rc<TeamDebrief>, id: &str) -> Html {
    let file = |kind: ExportKind| {
        let (room, d) = (room.clone(), Rc::clone(d));
        Callback::from(move |_| {
            // Made on demand from this device's copy of the room.
            let Some(r) = room.state.room.as_ref() else {
                return;
            };
            let Some(team) = r.team(d.team) else {
                return;
            };
            let base = export::file_base(r, team);
            let (name, mime, text) = match kind {
                ExportKind::Json => (
                    format!("{base}.json"),
                    "application/json",
                    serde_json::to_string_pretty(&export::report(r, team, &d)).unwrap_or_default(),
                ),
                ExportKind::Csv => (
                    format!("{base}.csv"),
                    "text/csv;charset=utf-8",
                    // A byte-order mark, so spreadsheets read names as UTF-8.
                    format!("\u{feff}{}", export::report_csv(r, team, &d)),
                ),
                // Every team's debrief, worked out now on this console.
                ExportKind::AllTeams => {
                    let debriefs: Vec<_> = r
                        .teams
                        .iter()
                        .filter_map(|t| Some((t, debrief(r, t, DEBRIEF_TRIALS)?)))
                        .collect();
                    let pairs: Vec<_> = debriefs.iter().map(|(t, x)| (*t, x)).collect();
                    (
                        format!("{}.csv", export::all_teams_file_base(r)),
                        "text/csv;charset=utf-8",
                        format!(
                            "\u{feff}{}",
                            export::to_csv(&export::all_teams_rows(r, &pairs))
                        ),
                    )
                }
            };
            offer_file(&room, &name, mime, &text);
        })
    };
    let print = Callback::from(|_| {
        if let Some(window) = web_sys::window() {
            let _ = window.print();
        }
    });
    html! {
        <section class="debrief-part debrief-export no-print">
            <h3 id={id.to_owned()}>{ "After-action report" }</h3>
            <p class="hint">{ "Print this page as the team's report, or take the numbers away as a file." }</p>
            <div class="export-buttons">
                <button type="button" class="primary" onclick={print} data-testid="print-report">{ "Print report" }</button>
                <button type="button" class="secondary" onclick={file(ExportKind::Json)} data-testid="export-json">{ "Download JSON" }</button>
                <button type="button" class="secondary" onclick={file(ExportKind::Csv)} data-testid="export-csv">{ "Download CSV" }</button>
                if room.state.is_facilitator() && room.state.room.as_ref().is_some_and(|r| r.teams.len() > 1) {
                    <button type="button" class="secondary" onclick={file(ExportKind::AllTeams)} data-testid="export-all-teams">{ "Download CSV of every team" }</button>
                }
            </div>
        </section>
    }
}

#[derive(Clone, Copy)]
pub(super) enum ExportKind {
    Json,
    Csv,
    /// Every team's report in one CSV (the console's).
    AllTeams,
}

/// Offers `text` as a file to save; a failure shows as a notice.
pub(super) fn offer_file(room: &RoomContext, name: &str, mime: &str, text: &str) {
    if download(name, mime, text).is_err() {
        room.state.dispatch(ClientAction::Notice(format!(
            "{name} could not be made in this browser. Try Print report instead."
        )));
    }
}

/// Saves `text` as a file through a Blob, an object URL and a temporary
/// link (the way a page can hand the browser a file it made itself).
pub(super) fn download(name: &str, mime: &str, text: &str) -> Result<(), JsValue> {
    let parts = js_sys::Array::of1(&JsValue::from_str(text));
    let options = BlobPropertyBag::new();
    options.set_type(mime);
    let blob = Blob::new_with_str_sequence_and_options(&parts, &options)?;
    let url = Url::create_object_url_with_blob(&blob)?;
    let document = web_sys::window()
        .and_then(|w| w.document())
        .ok_or_else(|| JsValue::from_str("no document"))?;
    let body = document
        .body()
        .ok_or_else(|| JsValue::from_str("no body"))?;
    let link: HtmlAnchorElement = document.create_element("a")?.dyn_into()?;
    link.set_href(&url);
    link.set_download(name);
    link.set_hidden(true);
    body.append_child(&link)?;
    link.click();
    link.remove();
    // Revoked a little later: some browsers read the URL after click returns.
    Timeout::new(10_000, move || {
        let _ = Url::revoke_object_url(&url);
    })
    .forget();
    Ok(())
}
