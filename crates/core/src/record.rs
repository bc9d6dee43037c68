//! Learning records: what a room's events say about each learner, as xAPI
//! 1.0.3 statements for the organisation's learning record store. Which
//! events count (a learner joined, answered an estimate, created a card,
//! voted, rated; the room progressed a phase; each learner's and team's
//! scores when the facilitator reveals them and when the room ends), who
//! the actor is, the team, the scenario as the activity and the room as
//! the registration are decided here; the server only keeps and sends them.
//! Statement ids are derived from the room and the event, so sending one
//! again is harmless.

use serde_json::{Value, json};
use sha2::{Digest, Sha256};

use crate::debrief::{DEBRIEF_TRIALS, Seen, debrief};
use crate::ids::ParticipantId;
use crate::room::{CardId, Event, Room, Stamped, Team, TeamId};
use crate::scenario::Phase;
use crate::score::Explained;

/// The xAPI version the statements follow.
pub const XAPI_VERSION: &str = "1.0.3";

/// Where the statements' identifiers live.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Site {
    /// The address people open (ends in `/`): activities' IRIs start here.
    pub public_url: String,
    /// The `homePage` of learners' accounts (the public URL unless an
    /// identity provider's is configured).
    pub home_page: String,
}

/// The statements a batch of events makes, in order; `after` is the room
/// with the batch applied, which tells the names and teams. Each event
/// counts once.
pub fn statements(after: &Room, events: &[Stamped], site: &Site) -> Vec<Value> {
    let mut out = Vec::new();
    for stamped in events {
        let mut add = |kind: &str, statement: Value| {
            let who = subject_of(&statement);
            out.push(finish(after, stamped, kind, &who, statement));
        };
        match &stamped.event {
            Event::ParticipantJoined { id, .. } => {
                add(
                    "joined",
                    learner_did(
                        after,
                        *id,
                        VERB_JOINED,
                        scenario_activity(after, site),
                        site,
                    ),
                );
            }
            Event::RiskRaised {
                team,
                card,
                author,
                title,
                ..
            } => {
                let object = card_activity(after, *team, *card, title, site);
                add(
                    "created",
                    learner_did(after, *author, VERB_CREATED, object, site),
                );
            }
            Event::EstimateSubmitted {
                team,
                card,
                author,
                estimate: Some(estimate),
            } => {
                let title = after
                    .team(*team)
                    .and_then(|t| t.card(*card))
                    .map_or_else(|| format!("Card {}", card.0), |c| c.title.clone());
                let object = card_activity(after, *team, *card, &title, site);
                let mut statement = learner_did(after, *author, VERB_ANSWERED, object, site);
                statement["result"] = json!({
                    "response": estimate_text(after, estimate),
                    "extensions": { EXT_ESTIMATE: estimate },
                });
                add("answered", statement);
            }
            Event::Voted {
                team,
                voter,
                response,
            } => {
                let title = after
                    .team(*team)
                    .and_then(|t| t.response(*response))
                    .map_or_else(
                        || format!("Response {}", response.0),
                        |r| response_title(after, r),
                    );
                let object = activity(
                    format!(
                        "{}rooms/{}/teams/{}/responses/{}",
                        site.public_url, after.code, team.0, response.0
                    ),
                    &title,
                    "http://id.tincanapi.com/activitytype/vote",
                );
                add(
                    "voted",
                    learner_did(after, *voter, VERB_VOTED, object, site),
                );
            }
            Event::PeerRated {
                from, to, score, ..
            } => {
                // The rated teammate's part in the exercise, as an
                // activity: every LRS takes an activity as the object.
                let object = activity(
                    format!(
                        "{}rooms/{}/participants/{}",
                        site.public_url, after.code, to.0
                    ),
                    &format!("{}'s part in the exercise", after.name_of(*to)),
                    "http://id.tincanapi.com/activitytype/performance",
                );
                let mut statement = learner_did(after, *from, VERB_RATED, object, site);
                statement["result"] = json!({ "score": { "raw": score, "min": 1, "max": 5 } });
                add("rated", statement);
            }
            Event::RubricRated {
                team,
                dimension,
                level,
            } => {
                let object = activity(
                    format!(
                        "{}rooms/{}/rubric/{}",
                        site.public_url,
                        after.code,
                        slug(dimension)
                    ),
                    dimension,
                    "http://adlnet.gov/expapi/activities/performance",
                );
                let mut statement = json!({
                    "actor": facilitator(after, site),
                    "verb": verb(VERB_RATED),
                    "object": object,
                    "result": { "score": { "raw": level } },
                });
                with_team(&mut statement, after, *team, site);
                add("rubric", statement);
            }
            Event::PhaseChanged { phase, .. } => {
                let mut statement = json!({
                    "actor": facilitator(after, site),
                    "verb": verb(VERB_PROGRESSED),
                    "object": scenario_activity(after, site),
                    "result": { "extensions": { EXT_PHASE: phase.name() } },
                });
                statement["context"] = context(after, site);
                add("progressed", statement);
            }
            // The scores as the facilitator reveals them in the debrief,
            // and as they stand when the room ends (ratings may come in
            // between): the latest statement is the final score.
            Event::ScoresRevealed { shown: true } | Event::RoomEnded
                if after.phase == Phase::Debrief =>
            {
                for team in &after.teams {
                    for (kind, statement) in scores(after, team, site) {
                        add(&kind, statement);
                    }
                }
            }
            _ => {}
        }
    }
    out
}

/// Whom a statement is about, to tell apart the statements one event
/// makes (several teams' scores come from one phase change).
fn subject_of(statement: &Value) -> String {
    statement["actor"]["account"]["name"]
        .as_str()
        .or_else(|| statement["actor"]["name"].as_str())
        .unwrap_or_default()
        .to_owned()
}

const VERB_JOINED: (&str, &str) = ("http://activitystrea.ms/join", "joined");
const VERB_CREATED: (&str, &str) = ("http://activitystrea.ms/create", "created");
const VERB_ANSWERED: (&str, &str) = ("http://adlnet.gov/expapi/verbs/answered", "answered");
const VERB_VOTED: (&str, &str) = ("http://id.tincanapi.com/verb/voted-up", "voted for");
const VERB_RATED: (&str, &str) = ("http://id.tincanapi.com/verb/rated", "rated");
const VERB_PROGRESSED: (&str, &str) = ("http://adlnet.gov/expapi/verbs/progressed", "progressed");
const VERB_SCORED: (&str, &str) = ("http://adlnet.gov/expapi/verbs/scored", "scored");

/// Extensions: the estimate as given, the phase reached, a score's parts
/// and how it was reached.
pub const EXT_ESTIMATE: &str = "https://riskroom.example/xapi/estimate";
pub const EXT_PHASE: &str = "https://riskroom.example/xapi/phase";
pub const EXT_SCORE: &str = "https://riskroom.example/xapi/score";

fn verb((id, display): (&str, &str)) -> Value {
    json!({ "id": id, "display": { "en-US": display } })
}

fn activity(id: String, name: &str, kind: &str) -> Value {
    let mut activity = json!({
        "objectType": "Activity",
        "definition": { "name": { "en-US": name }, "type": kind },
    });
    activity["id"] = Value::String(id);
    activity
}

/// A risk card on a team's board.
fn card_activity(room: &Room, team: TeamId, card: CardId, title: &str, site: &Site) -> Value {
    activity(
        format!(
            "{}rooms/{}/teams/{}/cards/{}",
            site.public_url, room.code, team.0, card.0
        ),
        title,
        "http://id.tincanapi.com/activitytype/risk",
    )
}

/// The scenario the room plays (the room itself before one is chosen).
fn scenario_activity(room: &Room, site: &Site) -> Value {
    match &room.scenario {
        Some(s) => activity(
            format!("{}scenarios/{}", site.public_url, s.id),
            &s.title,
            "http://adlnet.gov/expapi/activities/simulation",
        ),
        None => activity(
            format!("{}rooms/{}", site.public_url, room.code),
            &room.title,
            "http://adlnet.gov/expapi/activities/meeting",
        ),
    }
}

/// A learner's account: the room and their place in it.
fn account(room: &Room, who: ParticipantId, site: &Site) -> Value {
    json!({ "homePage": site.home_page, "name": format!("{}/p{}", room.code, who.0) })
}

fn learner(room: &Room, who: ParticipantId, site: &Site) -> Value {
    json!({
        "objectType": "Agent",
        "name": room.name_of(who),
        "account": account(room, who, site),
    })
}

fn facilitator(room: &Room, site: &Site) -> Value {
    json!({
        "objectType": "Agent",
        "name": "Facilitator",
        "account": { "homePage": site.home_page, "name": format!("{}/facilitator", room.code) },
    })
}

fn team_group(room: &Room, team: &Team, site: &Site) -> Value {
    json!({
        "objectType": "Group",
        "name": team.name,
        "account": { "homePage": site.home_page, "name": format!("{}/team-{}", room.code, team.id.0) },
        "member": team.members.iter().map(|m| learner(room, m.id, site)).collect::<Vec<_>>(),
    })
}

/// The room as the registration, its scenario as the parent activity.
fn context(room: &Room, site: &Site) -> Value {
    json!({
        "registration": registration(room),
        "contextActivities": {
            "grouping": [activity(
                format!("{}rooms/{}", site.public_url, room.code),
                &room.title,
                "http://adlnet.gov/expapi/activities/meeting",
            )],
        },
        "platform": "Riskroom",
        "language": "en",
    })
}

fn with_team(statement: &mut Value, room: &Room, team: TeamId, site: &Site) {
    let mut ctx = context(room, site);
    if let Some(team) = room.team(team) {
        ctx["team"] = team_group(room, team, site);
    }
    statement["context"] = ctx;
}

/// `who` did `verb` to `object`, in their team's context.
fn learner_did(
    room: &Room,
    who: ParticipantId,
    verb_: (&str, &str),
    object: Value,
    site: &Site,
) -> Value {
    let mut statement = json!({
        "actor": learner(room, who, site),
        "verb": verb(verb_),
    });
    statement["object"] = object;
    match room.team_of(who) {
        Some(team) => with_team(&mut statement, room, team.id, site),
        None => statement["context"] = context(room, site),
    }
    statement
}

/// Every learner's and the team's scores at the debrief, each with how it
/// was reached.
fn scores(room: &Room, team: &Team, site: &Site) -> Vec<(String, Value)> {
    let Some(debrief) = debrief(room, team, DEBRIEF_TRIALS) else {
        return Vec::new();
    };
    let mut out = Vec::new();
    let object = scenario_activity(room, site);
    let team_parts = [
        ("quantitative", &debrief.quantitative),
        ("rubric", &debrief.rubric),
        ("participation", &debrief.participation),
    ];
    let mut team_statement = json!({
        "actor": team_group(room, team, site),
        "verb": verb(VERB_SCORED),
        "object": object,
        "result": result(&debrief.quantitative, &team_parts),
    });
    with_team(&mut team_statement, room, team.id, site);
    out.push((format!("scored-team-{}", team.id.0), team_statement));
    for member in &debrief.members {
        let Seen::Shown(combined) = &member.combined else {
            continue;
        };
        let mut parts = vec![("combined", combined)];
        if let Seen::Shown(calibration) = &member.calibration {
            parts.push(("calibration", calibration));
        }
        if let Seen::Shown(peer) = &member.peer {
            parts.push(("peer", peer));
        }
        let mut statement = json!({
            "actor": learner(room, member.participant, site),
            "verb": verb(VERB_SCORED),
            "object": scenario_activity(room, site),
            "result": result(combined, &parts),
        });
        with_team(&mut statement, room, team.id, site);
        out.push((format!("scored-p{}", member.participant.0), statement));
    }
    out
}

/// A score out of 100 as xAPI's result: scaled to 0..1 with raw, min and
/// max, the parts and their explanations in the extension.
fn result(headline: &Explained, parts: &[(&str, &Explained)]) -> Value {
    let explained: serde_json::Map<String, Value> = parts
        .iter()
        .map(|(name, e)| {
            (
                (*name).to_owned(),
                json!({ "score": e.score, "how": e.how }),
            )
        })
        .collect();
    let mut result = json!({ "extensions": { EXT_SCORE: explained } });
    if let Some(score) = headline.score {
        result["score"] = json!({
            "scaled": (score / 100.0).clamp(0.0, 1.0),
            "raw": score,
            "min": 0,
            "max": 100,
        });
    }
    result
}

/// Id, timestamp and version, the same every time this event is recorded.
fn finish(room: &Room, stamped: &Stamped, kind: &str, who: &str, mut statement: Value) -> Value {
    statement["id"] = json!(uuid(&format!(
        "statement:{}:{}:{kind}:{who}",
        room.code, stamped.seq
    )));
    statement["timestamp"] = json!(rfc3339(stamped.at_ms));
    statement["version"] = json!(XAPI_VERSION);
    statement
}

/// The room's registration: a UUID of its code (codes are never reused
/// while the room is kept).
pub fn registration(room: &Room) -> String {
    uuid(&format!("registration:{}", room.code))
}

fn response_title(room: &Room, response: &crate::room::BoardResponse) -> String {
    let label = crate::room::response_label(response);
    match &room.scenario {
        Some(s) => crate::room::label_title(s, &label),
        None => label,
    }
}

/// "10% a year, one event EUR 50000–200000".
fn estimate_text(room: &Room, estimate: &crate::room::Estimate) -> String {
    let how_often = match estimate.frequency {
        crate::scenario::Frequency::Probability(p) => format!("{:.0}% a year", 100.0 * p),
        crate::scenario::Frequency::Rate(r) => format!("{r} times a year"),
    };
    let currency = room.scenario.as_ref().map_or("", |s| s.currency.as_str());
    format!(
        "{how_often}, one event {currency} {:.0}–{:.0}",
        estimate.low, estimate.high
    )
}

fn slug(text: &str) -> String {
    text.chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() {
                c.to_ascii_lowercase()
            } else {
                '-'
            }
        })
        .collect()
}

/// A name-based UUID (version 8, from SHA-256): the same text, the same id.
fn uuid(text: &str) -> String {
    let digest = Sha256::digest(text.as_bytes());
    let mut b = [0u8; 16];
    b.copy_from_slice(&digest[..16]);
    b[6] = (b[6] & 0x0f) | 0x80;
    b[8] = (b[8] & 0x3f) | 0x80;
    let hex: String = b.iter().map(|x| format!("{x:02x}")).collect();
    format!(
        "{}-{}-{}-{}-{}",
        &hex[0..8],
        &hex[8..12],
        &hex[12..16],
        &hex[16..20],
        &hex[20..32]
    )
}

/// Milliseconds since 1970 as `2026-12-02T13:08:24.123Z`.
pub fn rfc3339(ms: u64) -> String {
    let days = (ms / 86_400_000) as i64;
    let rest = ms % 86_400_000;
    // Civil date from days since 1970-01-01 (Howard Hinnant's algorithm).
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1_460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = doy - (153 * mp + 2) / 5 + 1;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    let year = yoe + era * 400 + i64::from(month <= 2);
    format!(
        "{year:04}-{month:02}-{day:02}T{:02}:{:02}:{:02}.{:03}Z",
        rest / 3_600_000,
        rest / 60_000 % 60,
        rest / 1_000 % 60,
        rest % 1_000
    )
}

#[cfg(test)]
mod tests {
    #[test]
    fn timestamps_are_utc_dates() {
        assert_eq!(super::rfc3339(0), "1970-01-01T00:00:00.000Z");
        assert_eq!(super::rfc3339(951_782_400_000), "2000-02-29T00:00:00.000Z");
        assert_eq!(
            super::rfc3339(1_796_217_304_123),
            "2026-12-02T13:15:04.123Z"
        );
    }

    #[test]
    fn ids_are_uuids_of_their_text() {
        let a = super::uuid("x");
        assert_eq!(a, super::uuid("x"));
        assert_ne!(a, super::uuid("y"));
        assert_eq!(a.len(), 36);
        assert_eq!(&a[14..15], "8");
    }
}
