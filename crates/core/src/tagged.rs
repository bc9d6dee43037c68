//! Internally tagged enums (`{"type": "join", "name": "Ada"}`) read in one
//! pass. Serde's own internal tagging buffers every message into a generic
//! tree before reading it, which costs the browser app a second copy of the
//! code that reads each type inside. Here an enum derives serde's externally
//! tagged code as inherent functions (`#[serde(remote = "Self")]`), and
//! [`tagged_serde!`](crate::tagged_serde) wraps them: [`TagInside`] writes
//! the tag as the object's first field, exactly as serde's internal tagging
//! does, and [`TagFirst`] reads it from there and hands the rest of the
//! object to the variant. A message whose tag is not its first field (hand
//! written, or sorted) is still read on the server by buffering the fields
//! before the tag; the browser only reads what this crate wrote, tag first.
//!
//! An enum whose variants never give one field name two types (`Impact`,
//! `InjectEffect`, `Target`) is read another way, in any order on every
//! device and with nothing buffered: a private struct of every variant's
//! fields, each optional, and then the variant its tag names, which refuses
//! a missing field as serde does.

use std::fmt;

use serde::de::{
    self, DeserializeSeed, Deserializer, EnumAccess, MapAccess, VariantAccess, Visitor,
};
use serde::ser::{self, Impossible, Serialize, SerializeMap, SerializeStruct, Serializer};

/// A field the variant named by its tag needs (an enum read by its fields),
/// or serde's own error for a missing one.
pub(crate) fn needed<T, E: de::Error>(value: Option<T>, field: &'static str) -> Result<T, E> {
    value.ok_or_else(|| E::missing_field(field))
}

/// `impl Serialize` and `impl Deserialize` for an enum whose serde derive
/// carries `#[serde(remote = "Self")]` (externally tagged, as inherent
/// functions), giving it the wire form of `#[serde(tag = $tag)]`.
#[macro_export]
macro_rules! tagged_serde {
    ($ty:ty, $tag:literal) => {
        impl ::serde::Serialize for $ty {
            fn serialize<S: ::serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
                <$ty>::serialize(self, $crate::tagged::TagInside::new(serializer, $tag))
            }
        }
        impl<'de> ::serde::Deserialize<'de> for $ty {
            fn deserialize<D: ::serde::Deserializer<'de>>(
                deserializer: D,
            ) -> Result<Self, D::Error> {
                <$ty>::deserialize($crate::tagged::TagFirst::new(deserializer, $tag))
            }
        }
    };
}

/// A serializer for an externally tagged enum's derived code that writes the
/// variant's name as the first field `tag` of the variant's own object.
pub struct TagInside<S> {
    inner: S,
    tag: &'static str,
}

impl<S> TagInside<S> {
    pub fn new(inner: S, tag: &'static str) -> Self {
        Self { inner, tag }
    }
}

fn only_enums<E: ser::Error>() -> E {
    E::custom("only an enum's variant can carry a tag")
}

/// The methods an enum's derived code never calls.
macro_rules! refuse {
    ($err:expr; $($method:ident($($arg:ty),*) -> $ret:ty;)*) => {
        $(fn $method(self, $(_: $arg),*) -> Result<$ret, Self::Error> {
            Err($err)
        })*
    };
}

/// The scalar methods, which neither serializer here takes.
macro_rules! refuse_scalars {
    ($err:expr) => {
        refuse! { $err;
            serialize_bool(bool) -> Self::Ok;
            serialize_i8(i8) -> Self::Ok;
            serialize_i16(i16) -> Self::Ok;
            serialize_i32(i32) -> Self::Ok;
            serialize_i64(i64) -> Self::Ok;
            serialize_u8(u8) -> Self::Ok;
            serialize_u16(u16) -> Self::Ok;
            serialize_u32(u32) -> Self::Ok;
            serialize_u64(u64) -> Self::Ok;
            serialize_f32(f32) -> Self::Ok;
            serialize_f64(f64) -> Self::Ok;
            serialize_char(char) -> Self::Ok;
            serialize_str(&str) -> Self::Ok;
            serialize_bytes(&[u8]) -> Self::Ok;
            serialize_none() -> Self::Ok;
        }
    };
}

impl<S: Serializer> Serializer for TagInside<S> {
    type Ok = S::Ok;
    type Error = S::Error;
    type SerializeSeq = Impossible<S::Ok, S::Error>;
    type SerializeTuple = Impossible<S::Ok, S::Error>;
    type SerializeTupleStruct = Impossible<S::Ok, S::Error>;
    type SerializeTupleVariant = Impossible<S::Ok, S::Error>;
    type SerializeMap = Impossible<S::Ok, S::Error>;
    type SerializeStruct = Impossible<S::Ok, S::Error>;
    type SerializeStructVariant = Fields<S::SerializeStruct>;

    fn serialize_unit_variant(
        self,
        name: &'static str,
        _index: u32,
        variant: &'static str,
    ) -> Result<S::Ok, S::Error> {
        let mut object = self.inner.serialize_struct(name, 1)?;
        object.serialize_field(self.tag, variant)?;
        object.end()
    }

    fn serialize_newtype_variant<T: ?Sized + Serialize>(
        self,
        _name: &'static str,
        _index: u32,
        variant: &'static str,
        value: &T,
    ) -> Result<S::Ok, S::Error> {
        value.serialize(TagNewtype {
            inner: self.inner,
            tag: self.tag,
            variant,
        })
    }

    fn serialize_struct_variant(
        self,
        name: &'static str,
        _index: u32,
        variant: &'static str,
        len: usize,
    ) -> Result<Fields<S::SerializeStruct>, S::Error> {
        let mut object = self.inner.serialize_struct(name, len + 1)?;
        object.serialize_field(self.tag, variant)?;
        Ok(Fields(object))
    }

    fn serialize_tuple_variant(
        self,
        _: &'static str,
        _: u32,
        _: &'static str,
        _: usize,
    ) -> Result<Self::SerializeTupleVariant, S::Error> {
        Err(ser::Error::custom("a tagged variant cannot be a tuple"))
    }

    fn serialize_some<T: ?Sized + Serialize>(self, _: &T) -> Result<S::Ok, S::Error> {
        Err(only_enums())
    }

    fn serialize_newtype_struct<T: ?Sized + Serialize>(
        self,
        _: &'static str,
        _: &T,
    ) -> Result<S::Ok, S::Error> {
        Err(only_enums())
    }

    refuse_scalars!(only_enums());

    refuse! { only_enums();
        serialize_unit() -> S::Ok;
        serialize_unit_struct(&'static str) -> S::Ok;
        serialize_seq(Option<usize>) -> Self::SerializeSeq;
        serialize_tuple(usize) -> Self::SerializeTuple;
        serialize_tuple_struct(&'static str, usize) -> Self::SerializeTupleStruct;
        serialize_map(Option<usize>) -> Self::SerializeMap;
        serialize_struct(&'static str, usize) -> Self::SerializeStruct;
    }
}

/// The fields of a struct variant, after its tag.
pub struct Fields<T>(T);

impl<T: SerializeStruct> ser::SerializeStructVariant for Fields<T> {
    type Ok = T::Ok;
    type Error = T::Error;

    fn serialize_field<V: ?Sized + Serialize>(
        &mut self,
        key: &'static str,
        value: &V,
    ) -> Result<(), T::Error> {
        self.0.serialize_field(key, value)
    }

    fn skip_field(&mut self, key: &'static str) -> Result<(), T::Error> {
        self.0.skip_field(key)
    }

    fn end(self) -> Result<T::Ok, T::Error> {
        self.0.end()
    }
}

/// The value of a newtype variant: an object (struct or map) that takes the
/// tag as its first field.
struct TagNewtype<S> {
    inner: S,
    tag: &'static str,
    variant: &'static str,
}

fn not_an_object<E: ser::Error>() -> E {
    E::custom("a tagged newtype variant must hold a struct or a map")
}

impl<S: Serializer> Serializer for TagNewtype<S> {
    type Ok = S::Ok;
    type Error = S::Error;
    type SerializeSeq = Impossible<S::Ok, S::Error>;
    type SerializeTuple = Impossible<S::Ok, S::Error>;
    type SerializeTupleStruct = Impossible<S::Ok, S::Error>;
    type SerializeTupleVariant = Impossible<S::Ok, S::Error>;
    type SerializeMap = S::SerializeMap;
    type SerializeStruct = S::SerializeStruct;
    type SerializeStructVariant = Impossible<S::Ok, S::Error>;

    fn serialize_struct(
        self,
        name: &'static str,
        len: usize,
    ) -> Result<S::SerializeStruct, S::Error> {
        let mut object = self.inner.serialize_struct(name, len + 1)?;
        object.serialize_field(self.tag, self.variant)?;
        Ok(object)
    }

    fn serialize_map(self, len: Option<usize>) -> Result<S::SerializeMap, S::Error> {
        let mut object = self.inner.serialize_map(len.map(|len| len + 1))?;
        object.serialize_entry(self.tag, self.variant)?;
        Ok(object)
    }

    fn serialize_unit_struct(self, name: &'static str) -> Result<S::Ok, S::Error> {
        self.serialize_struct(name, 0)?.end()
    }

    fn serialize_unit(self) -> Result<S::Ok, S::Error> {
        self.serialize_map(Some(0))?.end()
    }

    fn serialize_some<T: ?Sized + Serialize>(self, _: &T) -> Result<S::Ok, S::Error> {
        Err(not_an_object())
    }

    fn serialize_newtype_struct<T: ?Sized + Serialize>(
        self,
        _: &'static str,
        _: &T,
    ) -> Result<S::Ok, S::Error> {
        Err(not_an_object())
    }

    fn serialize_newtype_variant<T: ?Sized + Serialize>(
        self,
        _: &'static str,
        _: u32,
        _: &'static str,
        _: &T,
    ) -> Result<S::Ok, S::Error> {
        Err(not_an_object())
    }

    refuse_scalars!(not_an_object());

    refuse! { not_an_object();
        serialize_unit_variant(&'static str, u32, &'static str) -> S::Ok;
        serialize_seq(Option<usize>) -> Self::SerializeSeq;
        serialize_tuple(usize) -> Self::SerializeTuple;
        serialize_tuple_struct(&'static str, usize) -> Self::SerializeTupleStruct;
        serialize_tuple_variant(&'static str, u32, &'static str, usize) -> Self::SerializeTupleVariant;
        serialize_struct_variant(&'static str, u32, &'static str, usize) -> Self::SerializeStructVariant;
    }
}

/// A deserializer for an externally tagged enum's derived code that reads an
/// object whose field `tag` names the variant and whose other fields are the
/// variant's.
pub struct TagFirst<D> {
    inner: D,
    tag: &'static str,
}

impl<D> TagFirst<D> {
    pub fn new(inner: D, tag: &'static str) -> Self {
        Self { inner, tag }
    }
}

impl<'de, D: Deserializer<'de>> Deserializer<'de> for TagFirst<D> {
    type Error = D::Error;

    fn deserialize_enum<V: Visitor<'de>>(
        self,
        _name: &'static str,
        _variants: &'static [&'static str],
        visitor: V,
    ) -> Result<V::Value, D::Error> {
        self.inner.deserialize_map(ToEnum {
            visitor,
            tag: self.tag,
        })
    }

    fn deserialize_any<V: Visitor<'de>>(self, _: V) -> Result<V::Value, D::Error> {
        Err(de::Error::custom("a tagged enum is read only as an enum"))
    }

    serde::forward_to_deserialize_any! {
        bool i8 i16 i32 i64 i128 u8 u16 u32 u64 u128 f32 f64 char str string
        bytes byte_buf option unit unit_struct newtype_struct seq tuple
        tuple_struct map struct identifier ignored_any
    }
}

/// An object's key: the tag, or another field's name.
enum Key {
    Tag,
    #[cfg_attr(target_arch = "wasm32", allow(dead_code))]
    Other(String),
}

struct KeySeed(&'static str);

impl<'de> DeserializeSeed<'de> for KeySeed {
    type Value = Key;

    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<Key, D::Error> {
        deserializer.deserialize_identifier(self)
    }
}

impl Visitor<'_> for KeySeed {
    type Value = Key;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("a field name")
    }

    fn visit_str<E: de::Error>(self, key: &str) -> Result<Key, E> {
        Ok(if key == self.0 {
            Key::Tag
        } else {
            Key::Other(key.to_owned())
        })
    }
}

struct ToEnum<V> {
    visitor: V,
    tag: &'static str,
}

impl<'de, V: Visitor<'de>> Visitor<'de> for ToEnum<V> {
    type Value = V::Value;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        write!(f, "an object with a `{}` field", self.tag)
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<V::Value, A::Error> {
        let mut before = Buffered::new();
        loop {
            match map.next_key_seed(KeySeed(self.tag))? {
                Some(Key::Tag) => break,
                Some(Key::Other(key)) => before.hold(key, &mut map, self.tag)?,
                None => return Err(de::Error::missing_field(self.tag)),
            }
        }
        let variant: String = map.next_value()?;
        self.visitor.visit_enum(Variant {
            name: variant,
            fields: before.then(map),
        })
    }
}

/// The fields met before the tag. The browser reads only objects that carry
/// the tag first, so it keeps none and needs no code to read them again.
#[cfg(target_arch = "wasm32")]
struct Buffered;

#[cfg(target_arch = "wasm32")]
impl Buffered {
    fn new() -> Self {
        Self
    }

    fn hold<'de, A: MapAccess<'de>>(
        &mut self,
        _: String,
        _: &mut A,
        tag: &str,
    ) -> Result<(), A::Error> {
        Err(de::Error::custom(format_args!(
            "the `{tag}` field must come first"
        )))
    }

    fn then<A>(self, rest: A) -> A {
        rest
    }
}

/// The fields met before the tag, kept as JSON values, then the rest.
#[cfg(not(target_arch = "wasm32"))]
struct Buffered(Vec<(String, serde_json::Value)>);

#[cfg(not(target_arch = "wasm32"))]
impl Buffered {
    fn new() -> Self {
        Self(Vec::new())
    }

    fn hold<'de, A: MapAccess<'de>>(
        &mut self,
        key: String,
        map: &mut A,
        _: &str,
    ) -> Result<(), A::Error> {
        let value = map.next_value()?;
        self.0.push((key, value));
        Ok(())
    }

    fn then<A>(self, rest: A) -> Chain<A> {
        Chain {
            before: self.0.into_iter(),
            value: None,
            rest,
        }
    }
}

/// Buffered fields, then the rest of the object.
#[cfg(not(target_arch = "wasm32"))]
struct Chain<A> {
    before: std::vec::IntoIter<(String, serde_json::Value)>,
    value: Option<serde_json::Value>,
    rest: A,
}

#[cfg(not(target_arch = "wasm32"))]
impl<'de, A: MapAccess<'de>> MapAccess<'de> for Chain<A> {
    type Error = A::Error;

    fn next_key_seed<K: DeserializeSeed<'de>>(
        &mut self,
        seed: K,
    ) -> Result<Option<K::Value>, A::Error> {
        match self.before.next() {
            Some((key, value)) => {
                self.value = Some(value);
                seed.deserialize(de::value::StringDeserializer::new(key))
                    .map(Some)
            }
            None => self.rest.next_key_seed(seed),
        }
    }

    fn next_value_seed<T: DeserializeSeed<'de>>(&mut self, seed: T) -> Result<T::Value, A::Error> {
        match self.value.take() {
            Some(value) => seed.deserialize(value).map_err(de::Error::custom),
            None => self.rest.next_value_seed(seed),
        }
    }
}

/// A variant's name and the object's other fields.
struct Variant<A> {
    name: String,
    fields: A,
}

impl<'de, A: MapAccess<'de>> EnumAccess<'de> for Variant<A> {
    type Error = A::Error;
    type Variant = Self;

    fn variant_seed<T: DeserializeSeed<'de>>(self, seed: T) -> Result<(T::Value, Self), A::Error> {
        let name = seed.deserialize(de::value::StrDeserializer::<A::Error>::new(&self.name))?;
        Ok((name, self))
    }
}

impl<'de, A: MapAccess<'de>> VariantAccess<'de> for Variant<A> {
    type Error = A::Error;

    fn unit_variant(mut self) -> Result<(), A::Error> {
        while self
            .fields
            .next_entry::<de::IgnoredAny, de::IgnoredAny>()?
            .is_some()
        {}
        Ok(())
    }

    fn newtype_variant_seed<T: DeserializeSeed<'de>>(self, seed: T) -> Result<T::Value, A::Error> {
        seed.deserialize(de::value::MapAccessDeserializer::new(self.fields))
    }

    fn tuple_variant<V: Visitor<'de>>(self, _: usize, _: V) -> Result<V::Value, A::Error> {
        Err(de::Error::custom("a tagged variant cannot be a tuple"))
    }

    fn struct_variant<V: Visitor<'de>>(
        self,
        _: &'static [&'static str],
        visitor: V,
    ) -> Result<V::Value, A::Error> {
        visitor.visit_map(self.fields)
    }
}
