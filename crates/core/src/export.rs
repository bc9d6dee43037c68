//! The after-action report as files, built from a device's own copy of the
//! room and the debrief the core worked out for its person: CSV a
//! spreadsheet reads (members' scores, the team's scores, the lessons and
//! action items) and JSON with the whole debrief and the board. The page
//! only offers the text as a file.

use serde::Serialize;

use crate::debrief::{Seen, TeamDebrief};
use crate::ids::ParticipantId;
use crate::room::{BoardResponse, Card, Note, Room, Team, TeamId};
use crate::score::Explained;

/// "riskroom-K7WQ3M-team-b" for "Team B": the start of the exported
/// files' names, from the team's name (its number when the name has no
/// letters or digits).
pub fn file_base(room: &Room, team: &Team) -> String {
    format!("riskroom-{}-{}", room.code, slug(&team.name, team.id))
}

/// The start of the names of a file of every team's report.
pub fn all_teams_file_base(room: &Room) -> String {
    format!("riskroom-{}-all-teams", room.code)
}

/// A name as a file name's part: lower-case letters and digits, words
/// joined by dashes.
fn slug(name: &str, id: TeamId) -> String {
    let words: Vec<String> = name
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .map(str::to_lowercase)
        .collect();
    if words.is_empty() {
        format!("team-{}", id.0)
    } else {
        words.join("-")
    }
}

/// Who wrote a note: a person, or the facilitator.
fn author(room: &Room, author: Option<ParticipantId>) -> String {
    author.map_or_else(|| "Facilitator".to_owned(), |id| room.name_of(id))
}

/// A role's name in the scenario ("No role" without one).
fn role_name(room: &Room, role: Option<&str>) -> String {
    role.map_or_else(
        || "No role".to_owned(),
        |id| {
            room.scenario
                .as_deref()
                .and_then(|s| s.role(id))
                .map_or_else(|| id.to_owned(), |r| r.name.clone())
        },
    )
}

/// A score as a whole number, "—" when not given.
fn whole(score: Option<f64>) -> String {
    score.map_or_else(|| "—".to_owned(), |s| format!("{s:.0}"))
}

/// Text a spreadsheet would read as a formula is prefixed with an
/// apostrophe, so a name like "=SUM(..)" stays a name.
pub fn csv_text(text: &str) -> String {
    if text.starts_with(['=', '+', '-', '@', '\t', '\r']) {
        format!("'{text}")
    } else {
        text.to_owned()
    }
}

/// The report as rows, every row as wide as the widest and each naming its
/// team first: the members' scores, the team's scores, then the team's
/// lessons and action items (a kind column: "Lesson" or "Action item"),
/// each section under its own heading row and after an empty row. Scores a
/// person may not see read "private", as on the page.
pub fn report_rows(room: &Room, team: &Team, debrief: &TeamDebrief) -> Vec<Vec<String>> {
    all_teams_rows(room, &[(team, debrief)])
}

/// Every team's report in one table: each section lists every team's rows,
/// each row naming its team.
pub fn all_teams_rows(room: &Room, teams: &[(&Team, &TeamDebrief)]) -> Vec<Vec<String>> {
    let cell = |seen: &Seen| match seen {
        Seen::Shown(score) => whole(score.score),
        Seen::Private(_) => "private".to_owned(),
    };
    let heading = |cells: &[&str]| cells.iter().map(|c| (*c).to_owned()).collect::<Vec<_>>();
    let mut rows = vec![heading(&[
        "Team",
        "Name",
        "Role",
        "Calibration",
        "Peer",
        "Combined",
    ])];
    for (team, debrief) in teams {
        for m in &debrief.members {
            rows.push(vec![
                csv_text(&team.name),
                csv_text(&room.name_of(m.participant)),
                csv_text(&role_name(room, m.role.as_deref())),
                cell(&m.calibration),
                cell(&m.peer),
                cell(&m.combined),
            ]);
        }
    }
    rows.push(Vec::new());
    rows.push(heading(&["Team", "Team score", "Score", "How"]));
    for (team, debrief) in teams {
        let team_scores: [(&str, &Explained); 3] = [
            ("Quantitative", &debrief.quantitative),
            ("Rubric", &debrief.rubric),
            ("Participation balance", &debrief.participation),
        ];
        for (label, score) in team_scores {
            rows.push(vec![
                csv_text(&team.name),
                label.to_owned(),
                whole(score.score),
                csv_text(&score.how.join(" ")),
            ]);
        }
    }
    // What the talk taught, where a team ran the discussion round.
    let talks: Vec<_> = teams
        .iter()
        .filter_map(|(team, debrief)| Some((*team, talk(room, team, debrief)?)))
        .collect();
    if !talks.is_empty() {
        rows.push(Vec::new());
        rows.push(heading(&[
            "Team",
            "Talk: who",
            "Ranges",
            "Held before",
            "Held after",
            "Chance off by before (points)",
            "Chance off by after (points)",
        ]));
        let points = |m: &crate::talk::RoundMeasure| {
            m.chance_error
                .map_or_else(String::new, |e| format!("{e:.1}"))
        };
        for (team, talk) in &talks {
            let whole = std::iter::once(("The team".to_owned(), &talk.team));
            let members = talk.members.iter().map(|m| (m.name.clone(), &m.measure));
            for (who, m) in whole.chain(members) {
                rows.push(vec![
                    csv_text(&team.name),
                    csv_text(&who),
                    m.after.ranges.to_string(),
                    m.before.held.to_string(),
                    m.after.held.to_string(),
                    points(&m.before),
                    points(&m.after),
                ]);
            }
        }
    }
    rows.push(Vec::new());
    rows.push(heading(&["Team", "Kind", "Text", "By", "Owner"]));
    for (team, _) in teams {
        for note in notes(room, team) {
            rows.push(vec![
                csv_text(&team.name),
                note.kind.to_owned(),
                csv_text(&note.text),
                csv_text(&note.author),
                csv_text(note.owner.as_deref().unwrap_or("")),
            ]);
        }
    }
    let width = rows.iter().map(Vec::len).max().unwrap_or(0);
    for row in &mut rows {
        row.resize(width, String::new());
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

/// The report as CSV text ([`report_rows`] written by [`to_csv`]). A page
/// offering it as a file puts a byte-order mark first, so spreadsheets
/// read names as UTF-8.
pub fn report_csv(room: &Room, team: &Team, debrief: &TeamDebrief) -> String {
    to_csv(&report_rows(room, team, debrief))
}

/// A lesson or an action item as the report gives it.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct ReportNote {
    /// "Lesson" or "Action item".
    pub kind: &'static str,
    pub text: String,
    /// Who wrote it: a name, or "Facilitator".
    pub author: String,
    /// Their participant id (none for the facilitator).
    pub author_id: Option<ParticipantId>,
    /// Who will do it (action items only).
    pub owner: Option<String>,
}

/// The team's lessons, then its action items, in the order they were added.
pub fn notes(room: &Room, team: &Team) -> Vec<ReportNote> {
    let note = |kind, n: &Note| ReportNote {
        kind,
        text: n.text.clone(),
        author: author(room, n.author),
        author_id: n.author,
        owner: n.owner.clone(),
    };
    team.lessons
        .iter()
        .map(|n| note("Lesson", n))
        .chain(team.actions.iter().map(|n| note("Action item", n)))
        .collect()
}

/// The scenario a report is about.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct ReportScenario {
    pub id: String,
    pub title: String,
    pub currency: String,
}

/// A member of the team, by name and role.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct ReportMember {
    pub id: ParticipantId,
    pub name: String,
    pub role: Option<String>,
    pub role_name: Option<String>,
}

#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct ReportTeam {
    pub id: TeamId,
    pub name: String,
    pub members: Vec<ReportMember>,
}

/// The team's board as it stands (withdrawn cards left out: their words
/// are gone).
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct ReportBoard {
    pub cards: Vec<Card>,
    pub responses: Vec<BoardResponse>,
    pub lessons: Vec<Note>,
    pub actions: Vec<Note>,
}

/// What the talk taught a team that ran the discussion round: the team
/// before and after, and each member who estimated in both rounds.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct ReportTalk {
    pub team: crate::talk::TalkMeasure,
    pub members: Vec<ReportTalkMember>,
}

#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct ReportTalkMember {
    pub id: crate::ids::ParticipantId,
    pub name: String,
    pub measure: crate::talk::TalkMeasure,
}

/// [`ReportTalk`] of `team`, None when it ran no discussion round.
pub fn talk(room: &Room, team: &Team, debrief: &TeamDebrief) -> Option<ReportTalk> {
    let seed = room.seed();
    Some(ReportTalk {
        team: crate::talk::talk_measure(room, team, None, seed, &debrief.year)?,
        members: team
            .members
            .iter()
            .filter_map(|m| {
                let measure =
                    crate::talk::talk_measure(room, team, Some(m.id), seed, &debrief.year)?;
                (measure.after.ranges > 0).then(|| ReportTalkMember {
                    id: m.id,
                    name: room.name_of(m.id),
                    measure,
                })
            })
            .collect(),
    })
}

/// The whole after-action report as data: the debrief as the core worked
/// it out for this person (scores they may not see are marked private, as
/// on the page and in the CSV), the board, and the lessons and action
/// items with their authors' names.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Report {
    pub room: String,
    pub title: String,
    pub scenario: Option<ReportScenario>,
    pub team: ReportTeam,
    pub budget: f64,
    pub fired_injects: Vec<String>,
    pub debrief: TeamDebrief,
    /// What the talk taught, where the team ran the discussion round.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub talk: Option<ReportTalk>,
    pub board: ReportBoard,
    pub lessons: Vec<ReportNote>,
    pub action_items: Vec<ReportNote>,
}

/// The report of `team` from this copy of the room; the page writes it as
/// JSON (`serde_json::to_string_pretty`).
pub fn report(room: &Room, team: &Team, debrief: &TeamDebrief) -> Report {
    let (lessons, action_items) = notes(room, team)
        .into_iter()
        .partition(|n| n.kind == "Lesson");
    Report {
        room: room.code.to_string(),
        title: room.title.clone(),
        scenario: room.scenario.as_deref().map(|s| ReportScenario {
            id: s.id.clone(),
            title: s.title.clone(),
            currency: s.currency.clone(),
        }),
        team: ReportTeam {
            id: team.id,
            name: team.name.clone(),
            members: team
                .members
                .iter()
                .map(|m| ReportMember {
                    id: m.id,
                    name: room.name_of(m.id),
                    role: m.role.clone(),
                    role_name: m.role.as_deref().map(|id| role_name(room, Some(id))),
                })
                .collect(),
        },
        budget: room.budget,
        fired_injects: room.fired.clone(),
        debrief: debrief.clone(),
        talk: talk(room, team, debrief),
        board: ReportBoard {
            cards: team
                .cards
                .iter()
                .filter(|c| !c.withdrawn)
                .cloned()
                .collect(),
            responses: team.responses.clone(),
            lessons: team.lessons.clone(),
            actions: team.actions.clone(),
        },
        lessons,
        action_items,
    }
}
