//! The scenario reader: the core's scenario parser, run in a web worker
//! (`src/bin/riskroom-reader.rs`) that the page starts the first time it
//! needs a file read without a server. The TOML parser is most of the code a
//! room run in the browser needs; in the worker it stays out of the page's
//! own module, which every learner's phone downloads.

use std::cell::{Cell, RefCell};
use std::collections::BTreeMap;

use riskroom_core::scenario::{Scenario, ScenarioErrors};
use serde::{Deserialize, Serialize};
use wasm_bindgen::JsCast;
use wasm_bindgen::prelude::*;
use wasm_bindgen_futures::JsFuture;
use web_sys::{MessageEvent, Worker};

use crate::error::UserError;

/// The worker's script, beside the app (Trunk's loader for the
/// `riskroom-reader` binary).
pub const WORKER_SCRIPT: &str = "riskroom-reader_loader.js";

/// A file to read.
#[derive(Serialize, Deserialize)]
pub struct Request {
    pub id: u32,
    pub file: String,
    pub text: String,
}

/// What the worker says once it listens: requests sent before that would
/// be lost while it loads, so the page holds them until then.
pub const READY: &str = "ready";

/// The core parser's verdict on one file. Tagged inside, as the server's
/// messages are, so the page decodes the scenario with the code it already
/// has for the scenario in a room's view.
#[derive(Serialize, Deserialize)]
#[serde(remote = "Self", rename_all = "snake_case")]
pub enum Reply {
    Read { id: u32, scenario: Box<Scenario> },
    Problems { id: u32, errors: ScenarioErrors },
}

riskroom_core::tagged_serde!(Reply, "verdict");

impl Reply {
    fn into_verdict(self) -> Result<Scenario, ScenarioErrors> {
        match self {
            Self::Read { scenario, .. } => Ok(*scenario),
            Self::Problems { errors, .. } => Err(errors),
        }
    }
}

/// What the worker answers for `request`: exactly what `scenario::parse`
/// says. The worker calls this; the page only sends and waits.
pub fn answer(request: &Request) -> Reply {
    let id = request.id;
    match riskroom_core::scenario::parse(&request.file, &request.text) {
        Ok(scenario) => Reply::Read {
            id,
            scenario: Box::new(scenario),
        },
        Err(errors) => Reply::Problems { id, errors },
    }
}

struct Reader {
    worker: Worker,
    /// Requests sent and not answered yet: their promises' resolve and reject.
    waiting: RefCell<BTreeMap<u32, (js_sys::Function, js_sys::Function)>>,
    next: Cell<u32>,
    /// Requests held until the worker is ready (None once it is).
    held: RefCell<Option<Vec<String>>>,
    _on_message: Closure<dyn FnMut(MessageEvent)>,
    _on_error: Closure<dyn FnMut(web_sys::Event)>,
}

thread_local! {
    static READER: RefCell<Option<std::rc::Rc<Reader>>> = const { RefCell::new(None) };
}

fn unavailable() -> UserError {
    UserError(
        "This page could not start its scenario reader, so scenario files cannot be read without a server. Reload the page and try again."
            .into(),
    )
}

fn start() -> Result<std::rc::Rc<Reader>, UserError> {
    if let Some(reader) = READER.with(|r| r.borrow().clone()) {
        return Ok(reader);
    }
    let url = format!("{}{WORKER_SCRIPT}", super::paths::base_url());
    let worker = Worker::new(&url).map_err(|_| unavailable())?;
    let on_message = Closure::<dyn FnMut(MessageEvent)>::new(|event: MessageEvent| {
        let Some(text) = event.data().as_string() else {
            return;
        };
        if text == READY {
            if let Some(reader) = READER.with(|r| r.borrow().clone()) {
                let held = reader.held.borrow_mut().take().unwrap_or_default();
                for request in held {
                    let _ = reader.worker.post_message(&JsValue::from_str(&request));
                }
            }
            return;
        }
        let Ok(reply) = serde_json::from_str::<ReplyId>(&text) else {
            return;
        };
        let settle = READER.with(|r| {
            r.borrow()
                .as_ref()
                .and_then(|reader| reader.waiting.borrow_mut().remove(&reply.id))
        });
        if let Some((resolve, _)) = settle {
            let _ = resolve.call1(&JsValue::NULL, &JsValue::from_str(&text));
        }
    });
    // A worker that cannot load fails every request waiting on it, and the
    // next request tries a fresh one.
    let on_error = Closure::<dyn FnMut(web_sys::Event)>::new(|_| {
        if let Some(reader) = READER.with(|r| r.borrow_mut().take()) {
            for (_, (_, reject)) in std::mem::take(&mut *reader.waiting.borrow_mut()) {
                let _ = reject.call0(&JsValue::NULL);
            }
            reader.worker.terminate();
        }
    });
    worker.set_onmessage(Some(on_message.as_ref().unchecked_ref()));
    worker.set_onerror(Some(on_error.as_ref().unchecked_ref()));
    let reader = std::rc::Rc::new(Reader {
        worker,
        waiting: RefCell::new(BTreeMap::new()),
        next: Cell::new(1),
        held: RefCell::new(Some(Vec::new())),
        _on_message: on_message,
        _on_error: on_error,
    });
    READER.with(|r| *r.borrow_mut() = Some(std::rc::Rc::clone(&reader)));
    Ok(reader)
}

/// Just the id of a reply, to find who waits for it.
#[derive(Deserialize)]
struct ReplyId {
    id: u32,
}

/// Reads a scenario file with the core's parser, in the worker.
pub async fn read(file: &str, text: &str) -> Result<Result<Scenario, ScenarioErrors>, UserError> {
    let reader = start()?;
    let id = reader.next.get();
    reader.next.set(id.wrapping_add(1));
    let request = serde_json::to_string(&Request {
        id,
        file: file.to_owned(),
        text: text.to_owned(),
    })
    .expect("requests serialize");
    let promise = js_sys::Promise::new(&mut |resolve, reject| {
        reader.waiting.borrow_mut().insert(id, (resolve, reject));
    });
    let held = reader
        .held
        .borrow_mut()
        .as_mut()
        .map(|held| held.push(request.clone()));
    if held.is_none() {
        reader
            .worker
            .post_message(&JsValue::from_str(&request))
            .map_err(|_| unavailable())?;
    }
    let answered = JsFuture::from(promise).await.map_err(|_| unavailable())?;
    let reply: Reply = answered
        .as_string()
        .and_then(|text| serde_json::from_str(&text).ok())
        .ok_or_else(unavailable)?;
    Ok(reply.into_verdict())
}
