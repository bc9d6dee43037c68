//! Where the console finds scenarios and checks a file: the server's
//! library and check endpoint, or — in a room this browser runs itself, with
//! no server — the built-in files shipped beside the app and the core's own
//! parser in the scenario reader's worker.

use gloo_net::http::Request;
use riskroom_core::RoomCode;

use super::api::{self, LibraryScenario, Verdict};
use crate::error::UserError;

/// The built-in scenario files copied beside the app (index.html copies the
/// `scenarios/` folder into the build). Keep in step with the core's
/// `scenario::BUILT_IN`.
pub const BUILT_IN_FILES: &[&str] = &[
    "supplier-insolvency.toml",
    "ransomware-payroll.toml",
    "product-recall.toml",
];

/// Where a room's scenarios come from.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Library {
    Server,
    /// The files beside the app, for a room run in this browser.
    Shipped,
}

impl Library {
    pub fn for_room(code: &RoomCode) -> Self {
        if super::local::holds(code) {
            Self::Shipped
        } else {
            Self::Server
        }
    }

    /// The scenarios on offer.
    pub async fn offers(self) -> Result<Vec<LibraryScenario>, UserError> {
        match self {
            Self::Server => api::library().await,
            Self::Shipped => {
                let mut offers = Vec::new();
                for file in BUILT_IN_FILES {
                    let text = shipped_text(file).await?;
                    let scenario = super::reader::read(file, &text).await?.map_err(|_| {
                        UserError(format!("The built-in scenario {file} could not be read."))
                    })?;
                    offers.push(LibraryScenario {
                        id: scenario.id.clone(),
                        title: scenario.title.clone(),
                        summary: scenario.summary.clone(),
                        file: (*file).to_owned(),
                        origin: "built-in".into(),
                    });
                }
                Ok(offers)
            }
        }
    }

    /// The file name and text of one offered scenario.
    pub async fn file(self, offer: &LibraryScenario) -> Result<(String, String), UserError> {
        match self {
            Self::Server => Ok((
                format!("{}.toml", offer.id),
                api::library_file(&offer.id).await?,
            )),
            Self::Shipped => Ok((offer.file.clone(), shipped_text(&offer.file).await?)),
        }
    }

    /// The verdict on a scenario file, in the words of `check-scenario`.
    pub async fn check(self, file: &str, text: &str) -> Result<Verdict, UserError> {
        match self {
            Self::Server => api::check_scenario(file, text).await,
            Self::Shipped => Ok(match super::reader::read(file, text).await? {
                Ok(s) => Verdict::Valid {
                    title: s.title.clone(),
                    summary: s.summary_line(),
                },
                Err(errors) => Verdict::Invalid {
                    problems: errors.0.iter().map(ToString::to_string).collect(),
                },
            }),
        }
    }
}

async fn shipped_text(file: &str) -> Result<String, UserError> {
    let trouble = || UserError(format!("The scenario file {file} could not be loaded."));
    let response = Request::get(&format!("{}scenarios/{file}", super::paths::base_url()))
        .send()
        .await
        .map_err(|_| trouble())?;
    if !response.ok() {
        return Err(trouble());
    }
    response.text().await.map_err(|_| trouble())
}
