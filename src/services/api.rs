//! The server's small HTTP API: room creation, the scenarios it offers, and
//! checking a scenario file.

use gloo_net::http::{Request, Response};
use riskroom_core::RoomCode;
use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize};
use serde_json::json;

use crate::error::UserError;

#[derive(Deserialize)]
struct Created {
    code: String,
    key: String,
}

#[derive(Deserialize)]
struct Problem {
    error: String,
}

/// A scenario the server offers (built-in, or from its scenario folder).
#[derive(Clone, Debug, PartialEq, Deserialize)]
pub struct LibraryScenario {
    pub id: String,
    pub title: String,
    pub summary: String,
    pub file: String,
    pub origin: String,
}

/// The verdict on a scenario file, in the words of `check-scenario`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(remote = "Self", rename_all = "snake_case")]
pub enum Verdict {
    Valid { title: String, summary: String },
    Invalid { problems: Vec<String> },
}

riskroom_core::tagged_serde!(Verdict, "verdict");

/// The response of a request, or what went wrong in words: the server's own
/// sentence when it gave one, `trouble` otherwise.
async fn answer(
    request: Result<Request, gloo_net::Error>,
    trouble: &str,
) -> Result<Response, UserError> {
    let failed = || UserError(trouble.to_owned());
    let response = request
        .map_err(|_| failed())?
        .send()
        .await
        .map_err(|_| failed())?;
    if response.ok() {
        return Ok(response);
    }
    match response.json::<Problem>().await {
        Ok(problem) => Err(UserError(problem.error)),
        Err(_) => Err(failed()),
    }
}

async fn json_of<T: DeserializeOwned>(
    request: Result<Request, gloo_net::Error>,
    trouble: &str,
) -> Result<T, UserError> {
    answer(request, trouble)
        .await?
        .json()
        .await
        .map_err(|_| UserError(trouble.to_owned()))
}

fn url(path: &str) -> String {
    super::paths::api_url(path)
}

/// Where people reach the server: its public URL, or its network addresses.
#[derive(Clone, Debug, Default, PartialEq, Deserialize)]
pub struct Site {
    pub public_url: Option<String>,
    #[serde(default)]
    pub addresses: Vec<String>,
}

/// Where the server says people reach it.
pub async fn site() -> Result<Site, UserError> {
    json_of(
        Request::get(&url("site")).build(),
        "The server's address for phones could not be loaded.",
    )
    .await
}

/// Opens a room; returns its code and the facilitator key.
pub async fn create_room(title: &str) -> Result<(RoomCode, String), UserError> {
    let created: Created = json_of(
        Request::post(&url("rooms")).json(&json!({ "title": title })),
        "The Riskroom server cannot be reached from this page, so the room cannot be created on it. To run the exercise without a server, use “Run on this device only”.",
    )
    .await?;
    let code = RoomCode::parse(&created.code)?;
    Ok((code, created.key))
}

/// Has the server check a scenario file by the core's rules (nothing changes).
pub async fn check_scenario(file: &str, text: &str) -> Result<Verdict, UserError> {
    json_of(
        Request::post(&url("scenarios/check")).json(&json!({ "file": file, "text": text })),
        "The Riskroom server cannot be reached to check the file.",
    )
    .await
}

/// The scenarios the server offers.
pub async fn library() -> Result<Vec<LibraryScenario>, UserError> {
    json_of(
        Request::get(&url("scenarios")).build(),
        "The list of scenarios could not be loaded.",
    )
    .await
}

/// The text of one scenario file the server offers.
pub async fn library_file(id: &str) -> Result<String, UserError> {
    answer(
        Request::get(&url(&format!("scenarios/{id}"))).build(),
        "The scenario file could not be loaded.",
    )
    .await?
    .text()
    .await
    .map_err(|_| UserError("The scenario file could not be read.".into()))
}
