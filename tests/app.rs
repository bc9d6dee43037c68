//! Browser tests of the web app (wasm-bindgen-test in headless Chromium):
//! real DOM, real localStorage, the real core folding events.

#![cfg(target_arch = "wasm32")]

use std::rc::Rc;

use riskroom::app::Route;
use riskroom::components::widgets::qr::{QrCode, QrCodeProps, qr_geometry};
use riskroom::pages::home::{Home, ThisApp};
use riskroom::services::identity::{self, PageKind};
use riskroom::state::{ClientAction, ClientState, LinkStatus};
use riskroom_core::protocol::You;
use riskroom_core::{
    Credential, Event, ParticipantId, Room, RoomCode, Secret, ServerMessage, Stamped,
};
use wasm_bindgen::JsCast;
use wasm_bindgen_test::*;
use web_sys::{Element, HtmlInputElement};
use yew::Reducible;

wasm_bindgen_test_configure!(run_in_browser);

fn document() -> web_sys::Document {
    web_sys::window().unwrap().document().unwrap()
}

/// A fresh element to mount a component in.
fn mount_point() -> Element {
    let div = document().create_element("div").unwrap();
    document().body().unwrap().append_child(&div).unwrap();
    div
}

/// Waits (up to 5 s) until `check` holds, yielding to the browser between looks.
async fn wait_for(what: &str, mut check: impl FnMut() -> bool) {
    for _ in 0..250 {
        if check() {
            return;
        }
        gloo_timers::future::TimeoutFuture::new(20).await;
    }
    panic!("timed out waiting for {what}");
}

fn code() -> RoomCode {
    RoomCode::parse("K7WQ3M").unwrap()
}

#[wasm_bindgen_test]
fn routes_read_addresses_below_the_base() {
    assert_eq!(Route::parse(""), Route::Home);
    assert_eq!(Route::parse("join/k7wq3m"), Route::Join(code()));
    assert_eq!(Route::parse("host/K7WQ3M/"), Route::Console(code()));
    match Route::parse("join/K0") {
        Route::NotFound(message) => assert!(message.contains("valid room code"), "{message}"),
        other => panic!("{other:?}"),
    }
    assert!(matches!(Route::parse("admin"), Route::NotFound(_)));
}

#[wasm_bindgen_test]
fn qr_geometry_has_three_finder_patterns() {
    let link = "http://127.0.0.1:8080/join/K7WQ3M";
    let (side, path) = qr_geometry(link).unwrap();
    let width = side - 8;
    assert!(
        width >= 21 && (width - 17) % 4 == 0,
        "a QR side is 17 + 4·version, got {width}"
    );
    // Top row of the top-left and top-right finders: runs of 7 dark modules.
    assert!(path.starts_with("M4 4h7v1h-7z"), "{path}");
    assert!(path.contains(&format!("M{} 4h7v1h-7z", width - 7 + 4)));
    // Top row of the bottom-left finder.
    assert!(path.contains(&format!("M4 {}h7v1h-7z", width - 7 + 4)));
    // Different links give different codes.
    assert_ne!(
        qr_geometry("http://127.0.0.1:8080/join/ABCDEF").unwrap().1,
        path
    );
}

#[wasm_bindgen_test]
async fn qr_component_renders_an_accessible_svg() {
    let root = mount_point();
    yew::Renderer::<QrCode>::with_root_and_props(
        root.clone(),
        QrCodeProps {
            text: "http://127.0.0.1:8080/join/K7WQ3M".into(),
            label: "QR code of the join link".into(),
        },
    )
    .render();
    wait_for("the svg", || root.query_selector("svg").unwrap().is_some()).await;
    let svg = root.query_selector("svg").unwrap().unwrap();
    assert_eq!(svg.get_attribute("role").as_deref(), Some("img"));
    assert_eq!(
        svg.get_attribute("aria-label").as_deref(),
        Some("QR code of the join link")
    );
    let path = svg.query_selector("path").unwrap().unwrap();
    assert!(path.get_attribute("d").unwrap().len() > 100);
}

#[wasm_bindgen_test]
async fn home_explains_a_mistyped_room_code() {
    let root = mount_point();
    yew::Renderer::<Home<ThisApp>>::with_root(root.clone()).render();
    wait_for("the join form", || {
        root.query_selector("#join-code").unwrap().is_some()
    })
    .await;
    let input: HtmlInputElement = root
        .query_selector("#join-code")
        .unwrap()
        .unwrap()
        .dyn_into()
        .unwrap();
    input.set_value("K0W");
    input
        .dispatch_event(&web_sys::InputEvent::new("input").unwrap())
        .unwrap();
    let form: web_sys::HtmlFormElement = input.form().unwrap();
    form.request_submit().unwrap();
    wait_for("the error text", || {
        root.text_content()
            .unwrap_or_default()
            .contains("'0' is not one of them")
    })
    .await;
    // Still on the same page: nothing navigated away.
    assert!(root.query_selector("#join-code").unwrap().is_some());
}

#[wasm_bindgen_test]
fn identities_are_kept_per_room() {
    let a = code();
    let b = RoomCode::parse("ABCDEF").unwrap();
    identity::forget_seat(&a);
    identity::forget_seat(&b);
    // A browser without a seat makes one: 128 random bits, kept.
    let made = identity::seat_or_new(&a).unwrap();
    assert_eq!(made.len(), 32);
    assert!(made.chars().all(|c| c.is_ascii_hexdigit()));
    assert_eq!(identity::seat(&a).as_deref(), Some(made.as_str()));
    assert_ne!(
        identity::seat_or_new(&b).unwrap(),
        made,
        "each room has its own seat"
    );
    identity::forget_seat(&b);
    identity::save_seat(&a, "token-a");
    identity::save_facilitator_key(&b, "key-b");
    assert_eq!(
        identity::credential(&a, PageKind::Learner),
        Some(Credential::Participant {
            token: Secret::from_client("token-a")
        })
    );
    assert_ne!(
        identity::credential(&b, PageKind::Learner),
        identity::credential(&a, PageKind::Learner),
        "a seat of room A is not one of room B"
    );
    identity::forget_seat(&b);
    assert_eq!(
        identity::credential(&b, PageKind::Console),
        Some(Credential::Facilitator {
            key: Secret::from_client("key-b")
        })
    );
    assert_eq!(identity::credential(&a, PageKind::Console), None);
    identity::forget_seat(&a);
    assert_eq!(identity::seat(&a), None);
}

fn room_view() -> Room {
    Room::open(&Stamped {
        seq: 1,
        at_ms: 0,
        event: Event::RoomOpened {
            code: code(),
            title: "Drill".into(),
            facilitator: None,
            room_view: None,
            limits: Default::default(),
        },
    })
    .unwrap()
}

fn joined(seq: u64, id: u32, name: &str) -> Stamped {
    Stamped {
        seq,
        at_ms: 0,
        event: Event::ParticipantJoined {
            id: ParticipantId(id),
            name: name.into(),
            seat: None,
            team: Some(riskroom_core::room::TeamId(1)),
        },
    }
}

fn reduce(state: Rc<ClientState>, message: ServerMessage) -> Rc<ClientState> {
    state.reduce(ClientAction::Server(message))
}

#[wasm_bindgen_test]
fn the_client_folds_events_with_the_core() {
    let state = Rc::new(ClientState::default());
    assert_eq!(state.status, LinkStatus::Connecting);
    let state = reduce(
        state,
        ServerMessage::Welcome {
            protocol: 1,
            you: You::Guest,
            room: room_view(),
        },
    );
    assert_eq!(state.status, LinkStatus::Live);
    let state = reduce(
        state,
        ServerMessage::Events {
            events: vec![joined(2, 1, "Ada"), joined(3, 2, "Grace")],
        },
    );
    let names: Vec<_> = state
        .room
        .as_ref()
        .unwrap()
        .active_participants()
        .map(|p| p.name.clone())
        .collect();
    assert_eq!(names, ["Ada", "Grace"]);

    // Joining makes this page Grace; a repeat of old events changes nothing.
    let state = reduce(
        state,
        ServerMessage::Joined {
            id: ParticipantId(2),
            token: None,
        },
    );
    assert_eq!(state.me().map(|p| p.name.as_str()), Some("Grace"));
    let again = reduce(
        Rc::clone(&state),
        ServerMessage::Events {
            events: vec![joined(3, 2, "Grace")],
        },
    );
    assert_eq!(again.room, state.room);
    // What changes nothing keeps the same state, so the page is not drawn
    // again (a box just ticked keeps its tick until the room's answer).
    assert!(Rc::ptr_eq(&again, &state), "a repeat of old events");
    let acked = reduce(
        Rc::clone(&state),
        ServerMessage::Ack {
            id: riskroom_core::CommandId(1),
            seq: 3,
        },
    );
    assert!(Rc::ptr_eq(&acked, &state), "an answer");
    let presence = reduce(
        Rc::clone(&state),
        ServerMessage::Presence(state.presence.clone()),
    );
    assert!(Rc::ptr_eq(&presence, &state), "the same presence");
    let live = Rc::clone(&state).reduce(ClientAction::Status(LinkStatus::Live));
    assert!(Rc::ptr_eq(&live, &state), "the same status");
    // A change moves the version on.
    let online = reduce(
        Rc::clone(&state),
        ServerMessage::Presence(riskroom_core::protocol::Presence {
            facilitator: true,
            online: vec![ParticipantId(2)],
        }),
    );
    assert!(online.version > state.version, "a new presence");

    // A gap means the page is out of step and must resync.
    let gap = reduce(
        Rc::clone(&state),
        ServerMessage::Events {
            events: vec![joined(9, 5, "Linus")],
        },
    );
    assert!(gap.out_of_step);

    // Leaving makes the page a guest again.
    let left = reduce(
        state,
        ServerMessage::Events {
            events: vec![Stamped {
                seq: 4,
                at_ms: 0,
                event: Event::ParticipantLeft {
                    id: ParticipantId(2),
                },
            }],
        },
    );
    assert_eq!(left.you, Some(You::Guest));

    // A refusal is shown in the server's words; closing is final.
    let refused = reduce(
        left,
        ServerMessage::Rejected {
            id: None,
            reason: "Join the room first.".into(),
        },
    );
    assert_eq!(refused.notice.as_deref(), Some("Join the room first."));
    let closed = reduce(
        refused,
        ServerMessage::Closed {
            reason: "The facilitator ended this room.".into(),
            rejoin: true,
        },
    );
    let closed = closed.reduce(ClientAction::Status(LinkStatus::Reconnecting(1)));
    assert_eq!(
        closed.status,
        LinkStatus::Closed("The facilitator ended this room.".into())
    );
}

const MINIMAL: &str = include_str!("../crates/core/tests/data/minimal.toml");

#[wasm_bindgen_test]
async fn a_scenario_file_with_problems_lists_each_in_plain_words() {
    use riskroom::components::setup::scenario_picker::{ScenarioCheck, ScenarioCheckProps};
    let root = mount_point();
    let bad = MINIMAL
        .replacen("currency = \"EUR\"", "currency = \"eur\"", 1)
        .replacen("probability = 0.2", "probability = 2", 1);
    yew::Renderer::<ScenarioCheck>::with_root_and_props(
        root.clone(),
        ScenarioCheckProps {
            file: "ours.toml".into(),
            verdict: riskroom::services::api::Verdict::Invalid {
                // The verdict as the server gives it: the core's messages.
                problems: riskroom_core::scenario::parse("ours.toml", &bad)
                    .unwrap_err()
                    .0
                    .iter()
                    .map(ToString::to_string)
                    .collect(),
            },
            text: bad.into(),
            on_use: yew::Callback::noop(),
        },
    )
    .render();
    wait_for("the problems", || {
        root.query_selector(".problems").unwrap().is_some()
    })
    .await;
    let text = root.text_content().unwrap();
    assert!(
        text.contains("ours.toml has 2 problems to fix before it can be used:"),
        "{text}"
    );
    let items = root.query_selector_all(".problems li").unwrap();
    assert_eq!(items.length(), 2);
    assert_eq!(
        items.get(0).unwrap().text_content().unwrap(),
        "ours.toml:8: currency: \"eur\" is not a currency code: use three capital letters such as \"EUR\""
    );
    assert_eq!(
        items.get(1).unwrap().text_content().unwrap(),
        "ours.toml:39: risk[1].frequency.probability: a yearly probability must be between 0 and 1; it is 2"
    );
    assert!(
        root.query_selector("button").unwrap().is_none(),
        "a broken file cannot be used"
    );
}

#[wasm_bindgen_test]
async fn a_valid_scenario_file_can_be_used() {
    use riskroom::components::setup::scenario_picker::{ScenarioCheck, ScenarioCheckProps};
    use std::cell::RefCell;
    let root = mount_point();
    let used = Rc::new(RefCell::new(None::<(String, String)>));
    let on_use = {
        let used = Rc::clone(&used);
        yew::Callback::from(move |choice| *used.borrow_mut() = Some(choice))
    };
    yew::Renderer::<ScenarioCheck>::with_root_and_props(
        root.clone(),
        ScenarioCheckProps {
            file: "ours.toml".into(),
            text: MINIMAL.into(),
            verdict: riskroom::services::api::Verdict::Valid {
                title: "Minimal scenario".into(),
                summary: riskroom_core::scenario::parse("ours.toml", MINIMAL)
                    .unwrap()
                    .summary_line(),
            },
            on_use,
        },
    )
    .render();
    wait_for("the summary", || {
        root.text_content()
            .unwrap_or_default()
            .contains("ours.toml is valid.")
    })
    .await;
    assert!(
        root.text_content()
            .unwrap()
            .contains("2 roles (role model: Finance)")
    );
    let button: web_sys::HtmlElement = root
        .query_selector("button")
        .unwrap()
        .unwrap()
        .dyn_into()
        .unwrap();
    button.click();
    let (file, text) = used.borrow().clone().expect("the callback ran");
    assert_eq!(file, "ours.toml");
    assert_eq!(text, MINIMAL);
}

#[wasm_bindgen_test]
fn report_csv_quotes_commas_quotes_and_line_breaks() {
    use riskroom_core::export::to_csv;
    let rows = vec![
        vec!["Name".to_owned(), "Role".to_owned()],
        vec!["Ana, CFO".to_owned(), "says \"no\"".to_owned()],
        vec!["two\nlines".to_owned(), "plain".to_owned()],
        Vec::new(),
        vec!["Zoë".to_owned(), String::new()],
    ];
    assert_eq!(
        to_csv(&rows),
        "Name,Role\r\n\"Ana, CFO\",\"says \"\"no\"\"\"\r\n\"two\nlines\",plain\r\n\r\nZoë,\r\n"
    );
}

#[wasm_bindgen_test]
fn year_days_read_with_their_month_from_the_start() {
    use riskroom::format::day_label;
    assert_eq!(day_label(1), "Day 1 (month 1)");
    assert_eq!(day_label(31), "Day 31 (month 1)");
    assert_eq!(day_label(32), "Day 32 (month 2)");
    assert_eq!(day_label(59), "Day 59 (month 2)");
    assert_eq!(day_label(60), "Day 60 (month 3)");
    assert_eq!(day_label(365), "Day 365 (month 12)");
}

/// The page reads what the server writes, tag first, and says so when a
/// message breaks that rule instead of buffering it.
#[wasm_bindgen_test]
fn messages_are_read_tag_first() {
    let closed = r#"{"type":"closed","reason":"The room has ended."}"#;
    assert_eq!(
        serde_json::from_str::<ServerMessage>(closed).unwrap(),
        ServerMessage::Closed {
            reason: "The room has ended.".into(),
            rejoin: true,
        }
    );
    let sorted = r#"{"reason":"The room has ended.","type":"closed"}"#;
    let error = serde_json::from_str::<ServerMessage>(sorted)
        .unwrap_err()
        .to_string();
    assert!(
        error.starts_with("the `type` field must come first"),
        "{error}"
    );
}

/// The join link: the server's public URL first, this page's address when
/// other machines reach it, else one of the server's network addresses (the
/// pick kept if it is still offered); a link naming this computer is flagged.
#[wasm_bindgen_test]
fn the_join_link_is_one_phones_can_open() {
    use riskroom::services::api::Site;
    use riskroom::services::site::{is_this_computer, join_link};
    let code = RoomCode::parse("K7WQ3M").unwrap();
    for (base, here) in [
        ("http://127.0.0.1:8080/", true),
        ("http://localhost:8080/", true),
        ("http://[::1]:8080/", true),
        ("http://192.168.1.20:8080/", false),
        ("https://intranet.example.com/riskroom/", false),
    ] {
        assert_eq!(is_this_computer(base), here, "{base}");
    }
    let public = Site {
        public_url: Some("https://riskroom.example.com/".into()),
        addresses: Vec::new(),
    };
    let link = join_link(&code, Some(&public), "http://127.0.0.1:8080/", None);
    assert_eq!(link.url, "https://riskroom.example.com/join/K7WQ3M");
    assert!(!link.this_computer_only);

    let network = Site {
        public_url: None,
        addresses: vec![
            "http://192.168.1.20:8080/".into(),
            "http://10.0.0.5:8080/".into(),
        ],
    };
    let link = join_link(&code, Some(&network), "http://127.0.0.1:8080/", None);
    assert_eq!(link.url, "http://192.168.1.20:8080/join/K7WQ3M");
    assert_eq!(link.choices.len(), 2);
    let picked = join_link(
        &code,
        Some(&network),
        "http://127.0.0.1:8080/",
        Some("http://10.0.0.5:8080/"),
    );
    assert_eq!(picked.url, "http://10.0.0.5:8080/join/K7WQ3M");
    let stale = join_link(
        &code,
        Some(&network),
        "http://127.0.0.1:8080/",
        Some("http://172.16.0.9:8080/"),
    );
    assert_eq!(
        stale.url, "http://192.168.1.20:8080/join/K7WQ3M",
        "a pick no longer offered"
    );
    // Opened from an address others reach, that address is the link.
    let link = join_link(&code, Some(&network), "http://10.0.0.5:8080/", None);
    assert_eq!(link.url, "http://10.0.0.5:8080/join/K7WQ3M");
    assert!(link.choices.is_empty());

    let lonely = join_link(&code, None, "http://127.0.0.1:8080/", None);
    assert!(lonely.this_computer_only);
    assert_eq!(lonely.url, "http://127.0.0.1:8080/join/K7WQ3M");
}

/// Labels of the heat map never overlap, and each card's number is written
/// once: cards with the same middle value share a label ("1, 2, 3").
#[wasm_bindgen_test]
fn heat_map_labels_never_overlap() {
    use riskroom::components::assess::heat_map::place_labels;
    let same: Vec<(usize, f64, f64)> = (1..=8).map(|n| (n, 200.0, 150.0)).collect();
    let mut scattered: Vec<(usize, f64, f64)> = (1..=40)
        .map(|n| {
            let k = n as f64;
            (n, 72.0 + (k * 97.0) % 416.0, 72.0 + (k * 53.0) % 176.0)
        })
        .collect();
    scattered.extend((41..=44).map(|n| (n, 560.0, 0.0)));
    for points in [same, scattered] {
        let labels = place_labels(&points, (560.0, 320.0));
        for (i, a) in labels.iter().enumerate() {
            for b in &labels[i + 1..] {
                assert!(!a.overlaps(b), "{a:?} overlaps {b:?}");
            }
            assert!(a.x >= 0.0 && a.y >= 0.0 && a.y <= 320.0);
        }
        let mut numbers: Vec<usize> = labels
            .iter()
            .flat_map(|l| l.text.split(", ").map(|n| n.parse::<usize>().unwrap()))
            .collect();
        numbers.sort_unstable();
        assert_eq!(numbers, points.iter().map(|p| p.0).collect::<Vec<_>>());
    }
    // Points apart keep a label each.
    let apart = place_labels(&[(1, 100.0, 100.0), (2, 400.0, 250.0)], (560.0, 320.0));
    assert_eq!(apart.len(), 2);
}

/// A room on the minimal scenario played through the core, where Ada gave
/// three estimates of linked risks: one exact, one far too low, one wide.
fn room_with_estimates() -> Room {
    use riskroom_core::Command;
    use riskroom_core::room::{Actor, CardId, Estimate, TeamId};
    use riskroom_core::scenario::Frequency;
    let opening = Stamped {
        seq: 1,
        at_ms: 0,
        event: Room::opening(code(), "Drill", &Secret::from_client("facilitator-key")).unwrap(),
    };
    let mut room = Room::open(&opening).unwrap();
    let run = |room: &mut Room, actor: &Actor, command: Command| {
        for event in room.handle(actor, &command, 1_000).unwrap() {
            let stamped = Stamped {
                seq: room.seq + 1,
                at_ms: 1_000,
                event,
            };
            room.apply(&stamped).unwrap();
        }
    };
    let guest = |n: u32| Actor::Guest {
        seat: Secret::from_client(format!("seat-{n}")).hash(),
    };
    let (f, ada) = (Actor::Facilitator, Actor::Participant(ParticipantId(1)));
    run(&mut room, &guest(1), Command::Join { name: "Ada".into() });
    run(
        &mut room,
        &guest(2),
        Command::Join {
            name: "Grace".into(),
        },
    );
    run(
        &mut room,
        &f,
        Command::ChooseScenario {
            file: "minimal.toml".into(),
            text: MINIMAL.into(),
        },
    );
    run(&mut room, &f, Command::AdvancePhase); // briefing
    run(&mut room, &f, Command::AdvancePhase); // identify
    for (title, clue) in [
        ("Supplier", Some(0)),
        ("Ransomware", None),
        ("Hackers lock every laptop in the building", None),
    ] {
        run(
            &mut room,
            &ada,
            Command::RaiseRisk {
                title: title.into(),
                description: String::new(),
                clue,
            },
        );
    }
    for card in [2, 3] {
        run(
            &mut room,
            &f,
            Command::LinkCard {
                team: TeamId(1),
                card: CardId(card),
                risk: Some("cyber".into()),
            },
        );
    }
    run(&mut room, &f, Command::AdvancePhase); // assess
    for (card, p, low, high) in [
        (1, 0.2, 50_000.0, 400_000.0),
        (2, 0.9, 1_000.0, 5_000.0),
        (3, 0.3, 30_000.0, 300_000.0),
    ] {
        run(
            &mut room,
            &ada,
            Command::SubmitEstimate {
                card: CardId(card),
                estimate: Estimate {
                    frequency: Frequency::Probability(p),
                    low,
                    high,
                },
            },
        );
    }
    room
}

fn attribute(element: &Element, name: &str) -> f64 {
    element
        .get_attribute(name)
        .and_then(|v| v.parse().ok())
        .unwrap_or_else(|| panic!("{name} of {}", element.outer_html()))
}

/// The calibration picture draws what the core decided: one mark per
/// range, "held" exactly as often as the core counts, every bar on the
/// axis, and the same rows in the tables beside it.
#[wasm_bindgen_test]
async fn calibration_picture_marks_what_the_core_counts() {
    use riskroom::components::debrief::calibration::{
        AXIS, CalibrationChart, CalibrationChartProps, geometry,
    };
    use riskroom_core::score::calibration_picture;
    let room = room_with_estimates();
    let team = room.team(riskroom_core::room::TeamId(1)).unwrap();
    let year = riskroom_core::debrief::team_year(&room, team).unwrap();
    let picture = calibration_picture(&room, team, ParticipantId(1), room.seed(), &year);
    assert_eq!(picture.rows.len(), 3);
    assert_eq!(picture.held(), 2, "{picture:?}");

    let root = mount_point();
    yew::Renderer::<CalibrationChart>::with_root_and_props(
        root.clone(),
        CalibrationChartProps {
            picture: Rc::new(picture.clone()),
            whose: "Your".into(),
            heading: None,
            currency: "EUR".into(),
            score: None,
        },
    )
    .render();
    wait_for("the picture", || {
        root.query_selector("[data-testid=calibration-picture]")
            .unwrap()
            .is_some()
    })
    .await;
    let svg = root
        .query_selector("[data-testid=calibration-picture]")
        .unwrap()
        .unwrap();
    assert_eq!(svg.get_attribute("role").as_deref(), Some("img"));
    let label = svg.get_attribute("aria-label").unwrap();
    assert!(label.contains("2 of 3 held"), "{label}");
    assert!(
        svg.get_attribute("viewBox")
            .unwrap()
            .starts_with("0 0 320 "),
        "drawn at a phone's width and scaled to the page"
    );
    let headline = root
        .query_selector("[data-testid=calibration-headline]")
        .unwrap()
        .unwrap()
        .text_content()
        .unwrap();
    assert_eq!(
        headline,
        "Your ranges held the truth twice in 3 — a calibrated estimator's 90% ranges hold it about 9 times in 10."
    );

    let count = |selector: &str| root.query_selector_all(selector).unwrap().length() as usize;
    let held = count(".held-mark.held");
    assert_eq!(held, picture.held());
    assert_eq!(
        count(".held-mark.missed"),
        picture.rows.len() - picture.held()
    );
    let marks = root.query_selector_all(".held-mark").unwrap();
    for (i, row) in picture.rows.iter().enumerate() {
        let text = marks.get(i as u32).unwrap().text_content().unwrap();
        assert_eq!(
            text,
            if row.held { "✓ held" } else { "✗ missed" },
            "{row:?}"
        );
    }
    // A long title is cut to its row; the table keeps it whole.
    let titles: Vec<String> = (0..3)
        .map(|i| {
            root.query_selector_all(".range-title")
                .unwrap()
                .get(i)
                .unwrap()
                .text_content()
                .unwrap()
        })
        .collect();
    assert_eq!(titles[2], "Hackers lock every l…");
    assert!(
        root.query_selector("[data-testid=calibration-table]")
            .unwrap()
            .unwrap()
            .text_content()
            .unwrap()
            .contains("Hackers lock every laptop in the building")
    );
    assert_eq!(count("[data-testid=calibration-table] tbody tr"), 3);
    assert_eq!(count("[data-testid=chance-table] tbody tr"), 3);

    // Every bar and band lies on the axis.
    let axis = root
        .query_selector("[data-testid=calibration-axis]")
        .unwrap()
        .unwrap();
    let (left, right) = (attribute(&axis, "x1"), attribute(&axis, "x2"));
    assert_eq!((left, right), AXIS);
    let bars = root
        .query_selector_all("rect.your-range, rect.true-range")
        .unwrap();
    assert_eq!(bars.length(), 6);
    for i in 0..bars.length() {
        let bar: Element = bars.get(i).unwrap().dyn_into().unwrap();
        let (x, width) = (attribute(&bar, "x"), attribute(&bar, "width"));
        assert!(
            x >= left - 1e-9 && x + width <= right + 1e-9 && width > 0.0,
            "{}",
            bar.outer_html()
        );
    }
    // The range given for card 2 (1,000–5,000) sits left of its true
    // typical loss; the exact one spans it.
    let g = geometry(&picture);
    assert!(g.rows[1].yours.1 < g.rows[1].median);
    assert!(g.rows[0].yours.0 <= g.rows[0].median && g.rows[0].median <= g.rows[0].yours.1);

    // Ranges of nothing or far beyond the truth still fall on the axis.
    let mut extreme = picture.clone();
    extreme.rows[0].low = 0.0;
    extreme.rows[0].high = 0.0;
    extreme.rows[1].high = 5e12;
    let g = geometry(&extreme);
    for row in &g.rows {
        for (a, b) in [row.yours, row.truth] {
            assert!(a >= AXIS.0 && b <= AXIS.1 && b - a >= 3.0 - 1e-9, "{row:?}");
        }
    }
    let labelled: Vec<f64> = g.ticks.iter().filter(|t| t.2).map(|t| t.0).collect();
    for pair in labelled.windows(2) {
        assert!(
            pair[1] - pair[0] >= 52.0 - 1e-9,
            "amounts too close: {labelled:?}"
        );
    }
}
