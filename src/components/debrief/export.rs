//! The after-action report as files: JSON with the whole debrief and the
//! board, and CSV rows a spreadsheet reads.

use std::rc::Rc;

use gloo_timers::callback::Timeout;
use riskroom_core::debrief::{Seen, TeamDebrief};
use riskroom_core::room::{Room, Team};
use riskroom_core::scenario::Scenario;
use wasm_bindgen::{JsCast, JsValue};
use web_sys::{Blob, BlobPropertyBag, HtmlAnchorElement, Url};
use yew::prelude::*;

use crate::format::{display_name, role_name, whole};
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
            let (Some(team), Some(scenario)) = (r.team(d.team), r.scenario.as_deref()) else {
                return;
            };
            let base = file_base(r, team);
            let (name, mime, text) = match kind {
                ExportKind::Json => (
                    format!("{base}.json"),
                    "application/json",
                    report_json(r, team, scenario, &d),
                ),
                ExportKind::Csv => (
                    format!("{base}.csv"),
                    "text/csv;charset=utf-8",
                    // A byte-order mark, so spreadsheets read names as UTF-8.
                    format!("\u{feff}{}", to_csv(&report_rows(r, scenario, &d))),
                ),
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
            </div>
        </section>
    }
}

#[derive(Clone, Copy)]
pub(super) enum ExportKind {
    Json,
    Csv,
}

/// "riskroom-K7WQ3M-team-1": the start of the exported files' names.
pub(super) fn file_base(r: &Room, team: &Team) -> String {
    format!("riskroom-{}-team-{}", r.code, team.id.0)
}

/// The whole debrief and the team's board, as data: the debrief as the
/// core worked it out for this person (scores they may not see are marked
/// private, as on the page and in the CSV).
pub(super) fn report_json(r: &Room, team: &Team, scenario: &Scenario, d: &TeamDebrief) -> String {
    let members: Vec<_> = team
        .members
        .iter()
        .map(|m| {
            serde_json::json!({
                "id": m.id,
                "name": display_name(r, m.id),
                "role": m.role,
                "role_name": m.role.as_deref().map(|id| role_name(scenario, Some(id))),
            })
        })
        .collect();
    let value = serde_json::json!({
        "room": r.code.as_str(),
        "title": r.title,
        "scenario": { "id": scenario.id, "title": scenario.title, "currency": scenario.currency },
        "team": { "id": team.id, "name": team.name, "members": members },
        "budget": r.budget,
        "fired_injects": r.fired,
        "debrief": d,
        "board": {
            "cards": team.cards,
            "responses": team.responses,
            "lessons": team.lessons,
            "actions": team.actions,
        },
    });
    serde_json::to_string_pretty(&value).unwrap_or_default()
}

/// Text a spreadsheet would read as a formula is prefixed with an
/// apostrophe, so a name like "=SUM(..)" stays a name.
pub(super) fn csv_text(text: &str) -> String {
    if text.starts_with(['=', '+', '-', '@', '\t', '\r']) {
        format!("'{text}")
    } else {
        text.to_owned()
    }
}

/// The report as rows: one per member, then one per team score.
pub(super) fn report_rows(r: &Room, scenario: &Scenario, d: &TeamDebrief) -> Vec<Vec<String>> {
    let cell = |seen: &Seen| match seen {
        Seen::Shown(score) => whole(score.score),
        Seen::Private(_) => "private".to_owned(),
    };
    let mut rows = vec![vec![
        "Name".to_owned(),
        "Role".to_owned(),
        "Calibration".to_owned(),
        "Peer".to_owned(),
        "Combined".to_owned(),
    ]];
    for m in &d.members {
        rows.push(vec![
            csv_text(&display_name(r, m.participant)),
            csv_text(&role_name(scenario, m.role.as_deref())),
            cell(&m.calibration),
            cell(&m.peer),
            cell(&m.combined),
        ]);
    }
    rows.push(Vec::new());
    rows.push(vec![
        "Team score".to_owned(),
        "Score".to_owned(),
        "How".to_owned(),
    ]);
    for (name, score) in [
        ("Quantitative", &d.quantitative),
        ("Rubric", &d.rubric),
        ("Participation balance", &d.participation),
    ] {
        rows.push(vec![
            name.to_owned(),
            whole(score.score),
            csv_text(&score.how.join(" ")),
        ]);
    }
    rows
}

/// Rows as CSV (RFC 4180): fields with a comma, a double quote or a line
/// break are quoted, quotes doubled; lines end with CRLF.
pub fn to_csv(rows: &[Vec<String>]) -> String {
    let mut out = String::new();
    for row in rows {
        for (i, field) in row.iter().enumerate() {
            if i > 0 {
                out.push(',');
            }
            if field.contains([',', '"', '\n', '\r']) {
                out.push('"');
                out.push_str(&field.replace('"', "\"\""));
                out.push('"');
            } else {
                out.push_str(field);
            }
        }
        out.push_str("\r\n");
    }
    out
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
