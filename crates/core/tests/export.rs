//! The after-action report as files: valid CSV with the team's lessons and
//! action items under a kind column, and JSON carrying them with their
//! authors' names beside the whole debrief and the board.

mod common;

use common::*;
use riskroom_core::debrief::debrief_for;
use riskroom_core::export::{report, report_csv, report_rows, to_csv};
use riskroom_core::room::CardId;
use riskroom_core::{Command, Room};

/// Reads CSV as RFC 4180 writes it: quoted fields may hold commas, doubled
/// quotes and line breaks; records end with CRLF.
fn parse_csv(text: &str) -> Vec<Vec<String>> {
    let mut records = Vec::new();
    let mut record = Vec::new();
    let mut field = String::new();
    let mut chars = text.chars().peekable();
    let mut quoted = false;
    while let Some(c) = chars.next() {
        match (quoted, c) {
            (true, '"') if chars.peek() == Some(&'"') => {
                chars.next();
                field.push('"');
            }
            (true, '"') => quoted = false,
            (true, c) => field.push(c),
            (false, '"') if field.is_empty() => quoted = true,
            (false, ',') => record.push(std::mem::take(&mut field)),
            (false, '\r') => {
                assert_eq!(chars.next(), Some('\n'), "CR is followed by LF");
                record.push(std::mem::take(&mut field));
                records.push(std::mem::take(&mut record));
            }
            (false, c) => {
                assert!(c != '"' && c != '\n', "a bare {c:?} in an unquoted field");
                field.push(c);
            }
        }
    }
    assert!(
        !quoted && field.is_empty() && record.is_empty(),
        "ends with CRLF"
    );
    records
}

/// A played exercise with lessons and action items whose words would
/// break careless CSV.
fn debriefed() -> Drill {
    let mut d = Drill::with_supplier_card();
    d.raise(2, "Withdrawn words", false);
    d.ok(&p(2), Command::WithdrawRisk { card: CardId(2) });
    for _ in 0..4 {
        d.advance(); // assess, respond, play the year, debrief
    }
    d.ok(
        &p(1),
        Command::AddLesson {
            text: "Share the brief early, \"before\" the board\nfills up".into(),
        },
    );
    d.ok(
        &p(2),
        Command::AddActionItem {
            text: "=Qualify a second supplier".into(),
            owner: "Grace, Ops".into(),
        },
    );
    d
}

#[test]
fn the_csv_carries_lessons_and_action_items_and_stays_valid() {
    let d = debriefed();
    let team = d.room.team(T1).unwrap();
    let debrief = debrief_for(&d.room, team, &F, 2_000).unwrap();
    let text = report_csv(&d.room, team, &debrief);
    assert_eq!(text, to_csv(&report_rows(&d.room, team, &debrief)));
    let records = parse_csv(&text);
    let width = records[0].len();
    assert!(
        records.iter().all(|r| r.len() == width),
        "every record has {width} fields: {records:?}"
    );
    assert_eq!(
        &records[0][..6],
        ["Team", "Name", "Role", "Calibration", "Peer", "Combined"]
    );
    assert_eq!(&records[1][..3], ["Team 1", "Ada", "Finance"]);
    let notes_at = records
        .iter()
        .position(|r| r[1] == "Kind")
        .expect("a section of notes");
    assert_eq!(
        &records[notes_at][..5],
        ["Team", "Kind", "Text", "By", "Owner"]
    );
    assert!(
        records[notes_at - 1].iter().all(String::is_empty),
        "after an empty row"
    );
    assert_eq!(
        &records[notes_at + 1][..5],
        [
            "Team 1",
            "Lesson",
            "Share the brief early, \"before\" the board\nfills up",
            "Ada",
            ""
        ]
    );
    assert_eq!(
        &records[notes_at + 2][..5],
        [
            "Team 1",
            "Action item",
            "'=Qualify a second supplier",
            "Grace",
            "Grace, Ops"
        ],
        "a formula stays text"
    );
    assert_eq!(records.len(), notes_at + 3);
}

#[test]
fn the_json_report_names_who_wrote_each_lesson_and_action_item() {
    let mut d = debriefed();
    d.ok(&F, Command::SetAnonymity { anonymous: true });
    // From Ada's own copy of the room: names hidden, hers shown.
    let view = d.room.view_for(&p(1));
    let team = view.team(T1).unwrap();
    let debrief = debrief_for(&view, team, &p(1), 2_000).unwrap();
    let value = serde_json::to_value(report(&view, team, &debrief)).unwrap();
    assert_eq!(value["room"], "K7WQ3M");
    assert_eq!(value["scenario"]["currency"], "EUR");
    assert_eq!(value["team"]["members"][1]["name"], "Participant 2");
    assert_eq!(value["lessons"][0]["author"], "Ada");
    assert_eq!(value["lessons"][0]["kind"], "Lesson");
    let action = &value["action_items"][0];
    assert_eq!(action["text"], "=Qualify a second supplier");
    assert_eq!(action["author"], "Participant 2");
    assert_eq!(action["author_id"], 2);
    assert_eq!(action["owner"], "Grace, Ops");
    // The board without the withdrawn card, the debrief as Ada may see it.
    let cards = value["board"]["cards"].as_array().unwrap();
    assert_eq!(cards.len(), 1, "{cards:?}");
    assert!(value["debrief"]["members"][1]["peer"]["private"].is_string());
    assert_eq!(Room::replay(&d.log).unwrap(), d.room);
}

/// The console's file of every team: each row names its team; a team's own
/// file is named after it.
#[test]
fn every_teams_report_in_one_file_names_each_row_s_team() {
    use riskroom_core::debrief::debrief;
    use riskroom_core::export::{all_teams_file_base, all_teams_rows, file_base};
    let mut d = debriefed();
    d.ok(
        &F,
        Command::RenameTeam {
            team: T1,
            name: "Team B (north)".into(),
        },
    );
    d.ok(
        &F,
        Command::CreateTeam {
            name: "Blue".into(),
        },
    );
    let room: &Room = &d.room;
    let debriefs: Vec<_> = room
        .teams
        .iter()
        .map(|t| (t, debrief(room, t, 2_000).unwrap()))
        .collect();
    let pairs: Vec<_> = debriefs.iter().map(|(t, x)| (*t, x)).collect();
    let rows = all_teams_rows(room, &pairs);
    let scores: Vec<&Vec<String>> = rows
        .iter()
        .filter(|r| r.get(1).is_some_and(|c| c == "Quantitative"))
        .collect();
    assert_eq!(
        scores.iter().map(|r| r[0].as_str()).collect::<Vec<_>>(),
        ["Team B (north)", "Blue"],
        "a team score row per team, naming it"
    );
    assert!(
        rows.iter()
            .filter(|r| r.iter().any(|c| !c.is_empty()))
            .all(|r| ["Team", "Team B (north)", "Blue"].contains(&r[0].as_str())),
        "every row names its team"
    );
    assert_eq!(
        file_base(room, &room.teams[0]),
        "riskroom-K7WQ3M-team-b-north"
    );
    assert_eq!(all_teams_file_base(room), "riskroom-K7WQ3M-all-teams");
}
