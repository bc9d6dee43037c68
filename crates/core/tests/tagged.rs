//! One-pass tagged enums: the same JSON as serde's own internal tagging,
//! read back the same, with the same refusals; a tag that is not the first
//! field is still read (the server's side of the rule).

use proptest::prelude::*;
use riskroom_core::{ClientMessage, Command, CommandId, ServerMessage};
use serde::{Deserialize, Serialize};

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
struct Inner {
    a: u32,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    b: Option<String>,
}

/// One enum shape, declared twice with different serde attributes.
macro_rules! shape {
    ($(#[$meta:meta])* $name:ident) => {
        #[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
        $(#[$meta])*
        enum $name {
            Unit,
            Fields {
                name: String,
                #[serde(default, skip_serializing_if = "Option::is_none")]
                maybe: Option<u64>,
                list: Vec<f64>,
            },
            Wrapped(Inner),
        }
    };
}

shape!(
    /// The reference: serde's own internal tagging.
    #[serde(tag = "type", rename_all = "snake_case")]
    Serde
);

shape!(
    /// The same shape through `tagged_serde!`.
    #[serde(remote = "Self", rename_all = "snake_case")]
    Ours
);

riskroom_core::tagged_serde!(Ours, "type");

#[derive(Debug, PartialEq, Serialize, Deserialize)]
#[serde(remote = "Self", rename_all = "snake_case", deny_unknown_fields)]
enum Strict {
    Go { to: String },
    Stop,
}

riskroom_core::tagged_serde!(Strict, "kind");

fn pair(ours: &Ours) -> Serde {
    match ours.clone() {
        Ours::Unit => Serde::Unit,
        Ours::Fields { name, maybe, list } => Serde::Fields { name, maybe, list },
        Ours::Wrapped(inner) => Serde::Wrapped(inner),
    }
}

fn ours() -> impl Strategy<Value = Ours> {
    prop_oneof![
        Just(Ours::Unit),
        (
            ".{0,12}",
            proptest::option::of(any::<u64>()),
            proptest::collection::vec(-1e9f64..1e9, 0..4)
        )
            .prop_map(|(name, maybe, list)| Ours::Fields { name, maybe, list }),
        (any::<u32>(), proptest::option::of(".{0,8}"))
            .prop_map(|(a, b)| Ours::Wrapped(Inner { a, b })),
    ]
}

proptest! {
    #[test]
    fn writes_what_serde_writes_and_reads_it_back(value in ours()) {
        let text = serde_json::to_string(&value).unwrap();
        prop_assert_eq!(&text, &serde_json::to_string(&pair(&value)).unwrap());
        prop_assert_eq!(&serde_json::from_str::<Ours>(&text).unwrap(), &value);
        prop_assert_eq!(serde_json::from_str::<Serde>(&text).unwrap(), pair(&value));
        // A sorted copy (tag last for `fields`) still reads on the server.
        let sorted = serde_json::to_string(&serde_json::to_value(&value).unwrap()).unwrap();
        prop_assert_eq!(&serde_json::from_str::<Ours>(&sorted).unwrap(), &value);
    }
}

#[test]
fn the_tag_comes_first_and_every_form_is_as_serde_writes_it() {
    assert_eq!(
        serde_json::to_string(&Ours::Unit).unwrap(),
        r#"{"type":"unit"}"#
    );
    assert_eq!(
        serde_json::to_string(&Ours::Wrapped(Inner { a: 1, b: None })).unwrap(),
        r#"{"type":"wrapped","a":1}"#
    );
    assert_eq!(
        serde_json::to_string(&Ours::Fields {
            name: "x".into(),
            maybe: Some(2),
            list: vec![]
        })
        .unwrap(),
        r#"{"type":"fields","name":"x","maybe":2,"list":[]}"#
    );
}

#[test]
fn refusals_name_what_is_wrong() {
    let err = |text: &str| {
        serde_json::from_str::<Strict>(text)
            .unwrap_err()
            .to_string()
    };
    assert!(err(r#"{"to":"x"}"#).starts_with("missing field `kind`"));
    assert!(err(r#"{"kind":"fly"}"#).starts_with("unknown variant `fly`, expected `go` or `stop`"));
    assert!(err(r#"{"kind":"go","to":"x","speed":3}"#).starts_with("unknown field `speed`"));
    assert!(err(r#"{"kind":"go"}"#).starts_with("missing field `to`"));
    assert!(err(r#"{"kind":3}"#).starts_with("invalid type: integer `3`"));
    assert!(err(r#"["go"]"#).starts_with("invalid type: sequence"));
    assert!(err(r#"{"kind":"go","to":"x""#).starts_with("EOF while parsing"));
    // Fields after the tag and before it are both read.
    assert_eq!(
        serde_json::from_str::<Strict>(r#"{"to":"x","kind":"go"}"#).unwrap(),
        Strict::Go { to: "x".into() }
    );
    // A unit variant ignores whatever else the object holds, as serde does.
    assert_eq!(
        serde_json::from_str::<Strict>(r#"{"kind":"stop","why":[1,{"a":2}]}"#).unwrap(),
        Strict::Stop
    );
}

#[test]
fn protocol_messages_keep_their_wire_form() {
    let hello = ClientMessage::Command {
        id: CommandId(7),
        command: Command::Rename { name: "Ada".into() },
    };
    let text = serde_json::to_string(&hello).unwrap();
    assert_eq!(
        text,
        r#"{"type":"command","id":7,"command":{"type":"rename","name":"Ada"}}"#
    );
    assert_eq!(serde_json::from_str::<ClientMessage>(&text).unwrap(), hello);
    // In any key order, as a hand-written client may send it.
    assert_eq!(
        serde_json::from_str::<ClientMessage>(
            r#"{"command":{"name":"Ada","type":"rename"},"id":7,"type":"command"}"#
        )
        .unwrap(),
        hello
    );
    let presence = ServerMessage::Presence(riskroom_core::protocol::Presence {
        facilitator: true,
        online: vec![riskroom_core::ParticipantId(3)],
    });
    let text = serde_json::to_string(&presence).unwrap();
    assert_eq!(
        text,
        r#"{"type":"presence","facilitator":true,"online":[3]}"#
    );
    assert_eq!(
        serde_json::from_str::<ServerMessage>(&text).unwrap(),
        presence
    );
}
