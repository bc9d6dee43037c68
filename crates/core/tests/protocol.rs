//! The wire format as a browser and the server see it: exact JSON shapes,
//! refusal of unknown fields, and the protocol handshake.

use riskroom_core::protocol::{VersionMismatch, You, check_protocol};
use riskroom_core::{
    ClientMessage, Command, CommandId, Credential, RoomCode, Secret, ServerMessage,
};
use serde_json::json;

#[test]
fn hello_has_a_stable_json_shape() {
    let hello = ClientMessage::Hello {
        protocol: 1,
        room: RoomCode::parse("K7WQ3M").unwrap(),
        credential: Some(Credential::Participant {
            token: Secret::from_client("abc"),
        }),
        last_seq: Some(7),
    };
    let value = serde_json::to_value(&hello).unwrap();
    assert_eq!(
        value,
        json!({"type": "hello", "protocol": 1, "room": "K7WQ3M",
               "credential": {"as": "participant", "token": "abc"}, "last_seq": 7})
    );
    assert_eq!(
        serde_json::from_value::<ClientMessage>(value).unwrap(),
        hello
    );
}

#[test]
fn commands_round_trip() {
    let msg = ClientMessage::Command {
        id: CommandId(3),
        command: Command::Join { name: "Ada".into() },
    };
    let text = serde_json::to_string(&msg).unwrap();
    assert_eq!(
        text,
        r#"{"type":"command","id":3,"command":{"type":"join","name":"Ada"}}"#
    );
    assert_eq!(serde_json::from_str::<ClientMessage>(&text).unwrap(), msg);
}

#[test]
fn unknown_fields_and_types_are_refused() {
    let bad = [
        r#"{"type":"hello","protocol":1,"room":"K7WQ3M","admin":true}"#,
        r#"{"type":"command","id":1,"command":{"type":"join","name":"A","seat":"x"}}"#,
        r#"{"type":"command","id":1,"command":{"type":"become_facilitator"}}"#,
        r#"{"type":"hello","protocol":"1","room":"K7WQ3M"}"#,
        r#"{"type":"hello","protocol":1,"room":"0000"}"#,
        r#"{"type":"nope"}"#,
        r#"[]"#,
        r#"not json"#,
    ];
    for text in bad {
        assert!(
            serde_json::from_str::<ClientMessage>(text).is_err(),
            "accepted {text}"
        );
    }
}

#[test]
fn server_messages_are_tagged() {
    let msg = ServerMessage::Rejected {
        id: Some(CommandId(9)),
        reason: "Join the room first.".into(),
    };
    assert_eq!(
        serde_json::to_value(&msg).unwrap(),
        json!({"type": "rejected", "id": 9, "reason": "Join the room first."})
    );
    let welcome_you = serde_json::to_value(You::Guest).unwrap();
    assert_eq!(welcome_you, json!({"as": "guest"}));
}

#[test]
fn protocol_versions_are_checked_both_ways() {
    let current = riskroom_core::PROTOCOL_VERSION;
    assert_eq!(check_protocol(current), Ok(()));
    let old = check_protocol(current - 1).unwrap_err();
    assert!(matches!(old, VersionMismatch::ClientTooOld { .. }));
    assert!(old.to_string().contains("Reload the page"));
    let new = check_protocol(current + 1).unwrap_err();
    assert!(matches!(new, VersionMismatch::ServerTooOld { .. }));
    assert!(new.to_string().contains("update it"));
}

/// The shapes the pages use for seats, removal and cards; older messages
/// (a removal without its options, a close without `rejoin`) still read.
#[test]
fn seats_removal_and_withdrawal_have_stable_json_shapes() {
    use riskroom_core::ParticipantId;
    use riskroom_core::room::CardId;
    let rows: Vec<(Command, serde_json::Value)> = vec![
        (
            Command::HandOverSeat {
                id: ParticipantId(3),
            },
            json!({"type": "hand_over_seat", "id": 3}),
        ),
        (
            Command::ClaimSeat {
                code: "K7WQ-3M9T".into(),
            },
            json!({"type": "claim_seat", "code": "K7WQ-3M9T"}),
        ),
        (
            Command::RemoveParticipant {
                id: ParticipantId(2),
                cards: true,
                block: false,
            },
            json!({"type": "remove_participant", "id": 2, "cards": true, "block": false}),
        ),
        (
            Command::WithdrawRisk { card: CardId(4) },
            json!({"type": "withdraw_risk", "card": 4}),
        ),
    ];
    for (command, shape) in rows {
        assert_eq!(serde_json::to_value(&command).unwrap(), shape);
        assert_eq!(serde_json::from_value::<Command>(shape).unwrap(), command);
    }
    assert_eq!(
        serde_json::from_str::<Command>(r#"{"type":"remove_participant","id":2}"#).unwrap(),
        Command::RemoveParticipant {
            id: ParticipantId(2),
            cards: false,
            block: false,
        }
    );
    let code = ServerMessage::SeatCode {
        participant: ParticipantId(3),
        code: "K7WQ-3M9T".into(),
        expires_ms: 900_000,
    };
    assert_eq!(
        serde_json::to_value(&code).unwrap(),
        json!({"type": "seat_code", "participant": 3, "code": "K7WQ-3M9T", "expires_ms": 900_000})
    );
    assert_eq!(
        serde_json::to_value(ServerMessage::Closed {
            reason: "Gone.".into(),
            rejoin: false
        })
        .unwrap(),
        json!({"type": "closed", "reason": "Gone.", "rejoin": false})
    );
    assert_eq!(
        serde_json::from_str::<ServerMessage>(r#"{"type":"closed","reason":"Gone."}"#).unwrap(),
        ServerMessage::Closed {
            reason: "Gone.".into(),
            rejoin: true
        }
    );
    // A removal stored before `block` existed reads as one that was not.
    assert_eq!(
        serde_json::from_str::<riskroom_core::Event>(r#"{"type":"participant_removed","id":2}"#)
            .unwrap(),
        riskroom_core::Event::ParticipantRemoved {
            id: ParticipantId(2),
            block: false
        }
    );
}
