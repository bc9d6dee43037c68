//! Identifiers: short room codes people can read aloud, participant ids, and
//! the secrets (facilitator key, participant seat token, the seat code that
//! moves a seat to another device) with their hashes.

use std::fmt;

use rand::RngCore;
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

/// The characters a room code is made of: no 0/O, 1/I/L, so a code read off a
/// projector from the back of the room cannot be mistyped as another.
pub const CODE_ALPHABET: &[u8] = b"23456789ABCDEFGHJKMNPQRSTUVWXYZ";
/// Length of a room code: 31^6 ≈ 887 million codes.
pub const CODE_LEN: usize = 6;

/// A room's short code, e.g. `K7WQ3M`. Always upper case, always valid.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct RoomCode(String);

/// Why a typed room code is not one.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum CodeError {
    #[error("Please type the room code shown on the screen.")]
    Empty,
    #[error("A room code has {CODE_LEN} characters; this one has {0}.")]
    WrongLength(usize),
    #[error(
        "A room code uses the letters A–Z (without I, L, O) and the digits 2–9; '{0}' is not one of them."
    )]
    BadCharacter(char),
}

impl RoomCode {
    /// A fresh random code.
    pub fn random(rng: &mut impl RngCore) -> Self {
        let code = (0..CODE_LEN)
            .map(|_| {
                // Rejection sampling keeps every character equally likely.
                loop {
                    let byte = (rng.next_u32() & 0xff) as u8;
                    if usize::from(byte) < 256 - 256 % CODE_ALPHABET.len() {
                        break CODE_ALPHABET[usize::from(byte) % CODE_ALPHABET.len()] as char;
                    }
                }
            })
            .collect();
        Self(code)
    }

    /// Reads a code as a person typed it: case, spaces and dashes do not matter.
    pub fn parse(typed: &str) -> Result<Self, CodeError> {
        let cleaned: String = typed
            .chars()
            .filter(|c| !c.is_whitespace() && *c != '-')
            .map(|c| c.to_ascii_uppercase())
            .collect();
        if cleaned.is_empty() {
            return Err(CodeError::Empty);
        }
        if let Some(bad) = cleaned
            .chars()
            .find(|c| !c.is_ascii() || !CODE_ALPHABET.contains(&(*c as u8)))
        {
            return Err(CodeError::BadCharacter(bad));
        }
        let len = cleaned.chars().count();
        if len != CODE_LEN {
            return Err(CodeError::WrongLength(len));
        }
        Ok(Self(cleaned))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for RoomCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl TryFrom<String> for RoomCode {
    type Error = CodeError;
    fn try_from(value: String) -> Result<Self, Self::Error> {
        Self::parse(&value)
    }
}

impl From<RoomCode> for String {
    fn from(code: RoomCode) -> Self {
        code.0
    }
}

/// A participant's number within a room, given in join order.
#[derive(
    Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize, Default,
)]
#[serde(transparent)]
pub struct ParticipantId(pub u32);

impl fmt::Display for ParticipantId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "p{}", self.0)
    }
}

/// Bytes of randomness in a secret: 128 bits.
pub const SECRET_BYTES: usize = 16;

/// A bearer secret (facilitator key or participant seat token), as hex.
/// Only its [`SecretHash`] is ever stored in room state or on disk.
#[derive(Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(transparent)]
pub struct Secret(String);

impl fmt::Debug for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Secret(…)")
    }
}

impl Secret {
    pub fn random(rng: &mut impl RngCore) -> Self {
        let mut bytes = [0u8; SECRET_BYTES];
        rng.fill_bytes(&mut bytes);
        Self(hex(&bytes))
    }

    /// Wraps a secret received from a client; it is only ever hashed and compared.
    pub fn from_client(text: impl Into<String>) -> Self {
        Self(text.into())
    }

    pub fn expose(&self) -> &str {
        &self.0
    }

    /// Whether it has the form of a secret Riskroom makes: 128 bits as 32
    /// lower-case hex digits (what [`Secret::random`] and the browser's
    /// generator give). A seat token of any other form is refused, so no
    /// two people can share a seat by sending the same guessable text.
    pub fn is_well_formed(&self) -> bool {
        self.0.len() == 2 * SECRET_BYTES
            && self
                .0
                .bytes()
                .all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b))
    }

    pub fn hash(&self) -> SecretHash {
        SecretHash(hex(&Sha256::digest(self.0.as_bytes())))
    }

    /// The room-view key of a room whose facilitator key this is: it opens
    /// the room view for the projector and controls nothing. Derived one
    /// way, so the console can always show its link while the room view's
    /// holder learns nothing of the facilitator key; only its hash is kept.
    pub fn room_view_key(&self) -> Secret {
        self.room_view_key_at(0)
    }

    /// The room-view key after the facilitator replaced the link
    /// `generation` times (each replacement shuts out the links before it).
    pub fn room_view_key_at(&self, generation: u32) -> Secret {
        let text = match generation {
            0 => format!("riskroom room view/{}", self.0),
            n => format!("riskroom room view/{n}/{}", self.0),
        };
        let digest = Sha256::digest(text.as_bytes());
        Self(hex(&digest[..SECRET_BYTES]))
    }
}

/// The characters of a seat code: Crockford's base32, the digits and the
/// letters without I, L, O and U, so a code read out or copied from one
/// phone to another cannot be mistyped as another.
pub const SEAT_CODE_ALPHABET: &[u8; 32] = b"0123456789ABCDEFGHJKMNPQRSTVWXYZ";
/// Length of a seat code: 40 bits, shown as two groups of four.
pub const SEAT_CODE_LEN: usize = 8;
/// The most a seat-code field takes: the code with room for the spaces and
/// dashes a person types between its characters.
pub const SEAT_CODE_TYPED_CHARS: usize = 2 * SEAT_CODE_LEN;

/// A short code a learner types on another device to take their seat there
/// ("K7WQ-3M9T"). Made from a fresh [`Secret`] by whoever holds the room;
/// only its hash is stored, like every other secret.
#[derive(Clone, PartialEq, Eq)]
pub struct SeatCode(String);

impl fmt::Debug for SeatCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("SeatCode(…)")
    }
}

/// Why a typed seat code is not one.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum SeatCodeError {
    #[error("Please type the seat code you were given.")]
    Empty,
    #[error("A seat code has {SEAT_CODE_LEN} characters; this one has {0}.")]
    WrongLength(usize),
    #[error(
        "A seat code uses the digits 0–9 and the letters A–Z without U; '{0}' is not one of them."
    )]
    BadCharacter(char),
}

impl SeatCode {
    /// The code drawn from a fresh secret: its first 40 bits, hashed first
    /// so that any secret (random hex or not) gives an even spread.
    pub fn from_secret(secret: &Secret) -> Self {
        let digest = Sha256::digest(format!("riskroom seat code/{}", secret.expose()).as_bytes());
        let bits = digest[..5]
            .iter()
            .fold(0u64, |acc, b| (acc << 8) | u64::from(*b));
        let code = (0..SEAT_CODE_LEN)
            .rev()
            .map(|i| SEAT_CODE_ALPHABET[((bits >> (5 * i)) & 31) as usize] as char)
            .collect();
        Self(code)
    }

    /// Reads a code as a person typed it: case, spaces and dashes do not
    /// matter, and O, I and L read as 0, 1 and 1 (as Crockford's base32 does).
    pub fn parse(typed: &str) -> Result<Self, SeatCodeError> {
        let cleaned: String = typed
            .chars()
            .filter(|c| !c.is_whitespace() && *c != '-')
            .map(|c| match c.to_ascii_uppercase() {
                'O' => '0',
                'I' | 'L' => '1',
                other => other,
            })
            .collect();
        if cleaned.is_empty() {
            return Err(SeatCodeError::Empty);
        }
        if let Some(bad) = cleaned
            .chars()
            .find(|c| !c.is_ascii() || !SEAT_CODE_ALPHABET.contains(&(*c as u8)))
        {
            return Err(SeatCodeError::BadCharacter(bad));
        }
        let len = cleaned.chars().count();
        if len != SEAT_CODE_LEN {
            return Err(SeatCodeError::WrongLength(len));
        }
        Ok(Self(cleaned))
    }

    /// The code as people read it: "K7WQ-3M9T".
    pub fn grouped(&self) -> String {
        format!("{}-{}", &self.0[..4], &self.0[4..])
    }

    pub fn hash(&self) -> SecretHash {
        SecretHash(hex(&Sha256::digest(
            format!("riskroom seat code/{}", self.0).as_bytes(),
        )))
    }
}

impl fmt::Display for SeatCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.grouped())
    }
}

/// SHA-256 of a [`Secret`], as hex.
#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(transparent)]
pub struct SecretHash(String);

impl SecretHash {
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// Whether it has the form of a hash: 64 lower-case hex digits.
    pub fn is_well_formed(&self) -> bool {
        self.0.len() == 64
            && self
                .0
                .bytes()
                .all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b))
    }
}

fn hex(bytes: &[u8]) -> String {
    const DIGITS: &[u8; 16] = b"0123456789abcdef";
    let mut out = String::with_capacity(bytes.len() * 2);
    for b in bytes {
        out.push(DIGITS[usize::from(b >> 4)] as char);
        out.push(DIGITS[usize::from(b & 0xf)] as char);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use rand::{SeedableRng, rngs::StdRng};

    #[test]
    fn random_codes_parse_back() {
        let mut rng = StdRng::seed_from_u64(7);
        for _ in 0..1000 {
            let code = RoomCode::random(&mut rng);
            assert_eq!(RoomCode::parse(code.as_str()), Ok(code.clone()));
            assert_eq!(code.as_str().len(), CODE_LEN);
        }
    }

    #[test]
    fn typed_codes_are_forgiving_about_case_and_separators() {
        assert_eq!(RoomCode::parse(" k7w-q3m ").unwrap().as_str(), "K7WQ3M");
    }

    #[test]
    fn typed_codes_name_what_is_wrong() {
        let cases = [
            ("", CodeError::Empty),
            ("   ", CodeError::Empty),
            ("K7WQ3", CodeError::WrongLength(5)),
            ("K7WQ3MM", CodeError::WrongLength(7)),
            ("K0WQ3M", CodeError::BadCharacter('0')),
            ("KOWQ3M", CodeError::BadCharacter('O')),
            ("K1WQ3M", CodeError::BadCharacter('1')),
            ("KÉWQ3M", CodeError::BadCharacter('É')),
        ];
        for (typed, expected) in cases {
            assert_eq!(RoomCode::parse(typed), Err(expected), "typed {typed:?}");
        }
        assert_eq!(
            CodeError::BadCharacter('O').to_string(),
            "A room code uses the letters A–Z (without I, L, O) and the digits 2–9; 'O' is not one of them."
        );
    }

    #[test]
    fn no_ambiguous_characters_in_the_alphabet() {
        for c in b"01ILO" {
            assert!(!CODE_ALPHABET.contains(c));
        }
    }

    #[test]
    fn codes_deserialize_only_when_valid() {
        let ok: RoomCode = serde_json::from_str("\"abcdef\"").unwrap();
        assert_eq!(ok.as_str(), "ABCDEF");
        assert!(serde_json::from_str::<RoomCode>("\"ABC\"").is_err());
    }

    #[test]
    fn secrets_carry_128_bits_and_hash_stably() {
        let mut rng = StdRng::seed_from_u64(1);
        let a = Secret::random(&mut rng);
        let b = Secret::random(&mut rng);
        assert_eq!(a.expose().len(), SECRET_BYTES * 2);
        assert_ne!(a, b);
        assert_eq!(a.hash(), Secret::from_client(a.expose()).hash());
        assert_ne!(a.hash(), b.hash());
        assert_eq!(format!("{a:?}"), "Secret(…)");
    }

    #[test]
    fn seat_codes_are_eight_unambiguous_characters_read_forgivingly() {
        let mut rng = StdRng::seed_from_u64(3);
        let mut seen = std::collections::HashSet::new();
        for _ in 0..1000 {
            let code = SeatCode::from_secret(&Secret::random(&mut rng));
            let shown = code.grouped();
            assert_eq!(shown.len(), SEAT_CODE_LEN + 1, "{shown}");
            assert_eq!(&shown[4..5], "-");
            assert!(!shown.contains(['I', 'L', 'O', 'U']), "{shown}");
            assert_eq!(SeatCode::parse(&shown), Ok(code.clone()));
            assert_eq!(SeatCode::parse(&shown.to_lowercase()), Ok(code.clone()));
            assert_eq!(code.hash(), SeatCode::parse(&shown).unwrap().hash());
            seen.insert(shown);
        }
        assert!(seen.len() > 990, "codes are spread out");
        assert_eq!(
            SeatCode::parse(" k7wq 3m9t ").unwrap().grouped(),
            "K7WQ-3M9T"
        );
        // What a person may misread is read as it was meant.
        assert_eq!(SeatCode::parse("ol1i-0000").unwrap().grouped(), "0111-0000");
        let cases = [
            ("", SeatCodeError::Empty),
            (" - ", SeatCodeError::Empty),
            ("K7WQ-3M9", SeatCodeError::WrongLength(7)),
            ("K7WQ-3M9TX", SeatCodeError::WrongLength(9)),
            ("K7WQ-3MUT", SeatCodeError::BadCharacter('U')),
            ("K7WQ-3M*T", SeatCodeError::BadCharacter('*')),
        ];
        for (typed, expected) in cases {
            assert_eq!(SeatCode::parse(typed), Err(expected), "typed {typed:?}");
        }
        assert_ne!(
            SeatCode::parse("K7WQ3M9T").unwrap().hash(),
            Secret::from_client("K7WQ3M9T").hash(),
            "a seat code's hash is never a seat token's"
        );
        assert_eq!(
            format!("{:?}", SeatCode::parse("K7WQ3M9T").unwrap()),
            "SeatCode(…)"
        );
    }
}

/// What a connection presents to be recognised.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(remote = "Self", rename_all = "snake_case", deny_unknown_fields)]
pub enum Credential {
    Facilitator {
        key: Secret,
    },
    /// A seat token the browser made and keeps: the participant holding it,
    /// or, before they join, the seat they will take.
    Participant {
        token: Secret,
    },
    /// The room-view key: the room view on the projector, which controls nothing.
    RoomView {
        key: Secret,
    },
}

crate::tagged_serde!(Credential, "as");
