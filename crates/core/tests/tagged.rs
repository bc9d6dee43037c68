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

/// `text`'s object with its tag `tag` moved to the end.
fn tag_last(text: &str, tag: &str) -> String {
    let serde_json::Value::Object(map) = serde_json::from_str(text).unwrap() else {
        panic!("{text} is not an object");
    };
    let field = |(k, v): (&String, &serde_json::Value)| {
        format!("{}:{v}", serde_json::Value::from(k.as_str()))
    };
    let fields: Vec<String> = map
        .iter()
        .filter(|(k, _)| *k != tag)
        .chain(map.iter().filter(|(k, _)| *k == tag))
        .map(field)
        .collect();
    format!("{{{}}}", fields.join(","))
}

/// Reads `value`'s JSON back as written (tag first) and with its tag
/// `tag` last.
fn reads_back_in_any_order<T>(value: &T, tag: &str)
where
    T: Serialize + serde::de::DeserializeOwned + PartialEq + std::fmt::Debug,
{
    let text = serde_json::to_string(value).unwrap();
    assert!(text.starts_with(&format!(r#"{{"{tag}":"#)), "{text}");
    assert_eq!(&serde_json::from_str::<T>(&text).unwrap(), value, "{text}");
    let back = tag_last(&text, tag);
    assert!(
        back.ends_with('}') && !back.starts_with(&format!(r#"{{"{tag}":"#)),
        "{back}"
    );
    assert_eq!(&serde_json::from_str::<T>(&back).unwrap(), value, "{back}");
}

#[test]
fn tagged_by_their_fields_read_back_in_any_order() {
    use riskroom_core::room::{BoardResponseId, CardId, Target};
    use riskroom_core::scenario::{Frequency, Impact, InjectEffect};
    let impacts = [
        Impact::Lognormal {
            low: 1e3,
            high: 5e4,
        },
        Impact::Pert {
            min: 1.0,
            mode: 2.5,
            max: 9.0,
        },
        Impact::Triangular {
            min: 0.0,
            mode: 1.0,
            max: 2.0,
        },
        Impact::Uniform {
            min: 10.0,
            max: 20.0,
        },
    ];
    for impact in &impacts {
        reads_back_in_any_order(impact, "shape");
    }
    assert_eq!(
        serde_json::to_string(&impacts[0]).unwrap(),
        r#"{"shape":"lognormal","low":1000.0,"high":50000.0}"#
    );
    for effect in [
        InjectEffect::ChangeRisk {
            risk: "fire".into(),
            frequency: Some(Frequency::Rate(0.5)),
            impact: Some(impacts[1]),
        },
        InjectEffect::ChangeRisk {
            risk: "flood".into(),
            frequency: None,
            impact: None,
        },
        InjectEffect::AddRisk {
            risk: "strike".into(),
        },
        InjectEffect::ChangeBudget { by: -2500.0 },
    ] {
        reads_back_in_any_order(&effect, "kind");
    }
    for target in [
        Target::Card(CardId(4)),
        Target::Response(BoardResponseId(9)),
    ] {
        reads_back_in_any_order(&target, "on");
    }
    assert_eq!(
        serde_json::to_string(&Target::Card(CardId(4))).unwrap(),
        r#"{"on":"card","id":4}"#
    );
}

/// Why `text` is not a `T`, in serde's words.
fn refusal<T: serde::de::DeserializeOwned + std::fmt::Debug>(text: &str) -> String {
    serde_json::from_str::<T>(text).unwrap_err().to_string()
}

#[test]
fn tagged_by_their_fields_name_what_is_missing() {
    use riskroom_core::room::Target;
    use riskroom_core::scenario::{Impact, InjectEffect};
    for (text, why) in [
        (r#"{"low":1,"shape":"lognormal"}"#, "missing field `high`"),
        (
            r#"{"min":1,"max":2,"shape":"pert"}"#,
            "missing field `mode`",
        ),
        (r#"{"min":1,"max":2}"#, "missing field `shape`"),
        (
            r#"{"shape":"normal","min":1,"max":2}"#,
            "unknown variant `normal`",
        ),
    ] {
        assert!(refusal::<Impact>(text).starts_with(why), "{text}");
    }
    for (text, why) in [
        (r#"{"kind":"change_budget"}"#, "missing field `by`"),
        (r#"{"kind":"add_risk","by":3}"#, "missing field `risk`"),
    ] {
        assert!(refusal::<InjectEffect>(text).starts_with(why), "{text}");
    }
    for (text, why) in [
        (r#"{"on":"card"}"#, "missing field `id`"),
        (r#"{"id":3,"on":"team"}"#, "unknown variant `team`"),
    ] {
        assert!(refusal::<Target>(text).starts_with(why), "{text}");
    }
    assert_eq!(
        serde_json::from_str::<Impact>(r#"{"max":2,"min":1,"shape":"uniform"}"#).unwrap(),
        Impact::Uniform { min: 1.0, max: 2.0 }
    );
}
