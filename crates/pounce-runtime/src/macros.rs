//! The `object!` and `resource!` macros: one declaration per struct gives
//! the Rust struct, its serde impls (reading is hand-written, in one pass:
//! see `crate::read`), its Python view and its schema.

/// Declares a typed object of a resource (a nested JSON object).
///
/// ```
/// pounce_runtime::object! {
///     /// An EBS block device.
///     pub struct Ebs {
///         "Encrypted" => encrypted: bool,
///         "VolumeSize" => volume_size: i64,
///     }
/// }
/// let ebs: Ebs = serde_json::from_str(r#"{"Encrypted": true, "Iops": 3000}"#).unwrap();
/// assert_eq!(ebs.encrypted.as_option(), Some(&true));
/// assert!(ebs.volume_size.is_absent());
/// assert_eq!(ebs.extra["Iops"], 3000); // unknown keys are kept
/// ```
#[macro_export]
macro_rules! object {
    (
        $(#[$meta:meta])*
        $vis:vis struct $name:ident {
            $( $(#[$fmeta:meta])* $json:literal => $field:ident : $ty:ty ),* $(,)?
        }
    ) => {
        $crate::object!(@struct None, $(#[$meta])* $vis struct $name {
            $( $(#[$fmeta])* $json => $field : $ty ),*
        });
    };
    (
        @struct $rtype:expr, $(#[$meta:meta])*
        $vis:vis struct $name:ident {
            $( $(#[$fmeta:meta])* $json:literal => $field:ident : $ty:ty ),*
        }
    ) => {
        $(#[$meta])*
        #[derive(Clone, Default, PartialEq, $crate::serde::Serialize)]
        #[serde(crate = "::pounce_runtime::serde")]
        $vis struct $name {
            $(
                $(#[$fmeta])*
                #[serde(rename = $json, skip_serializing_if = "::pounce_runtime::Field::is_absent")]
                pub $field: $crate::Field<$ty>,
            )*
            /// Keys the schema does not name, kept as they came.
            #[serde(flatten)]
            pub extra: ::serde_json::Map<::std::string::String, ::serde_json::Value>,
            /// Where the keys were, for list elements (see `pounce_runtime::read`).
            #[doc(hidden)]
            #[serde(skip)]
            pub __key_order: $crate::read::KeyOrder,
        }

        // Reading: one pass over the JSON object, known keys matched as
        // borrowed strings (see `pounce_runtime::read`).
        const _: () = {
            #[allow(non_camel_case_types)]
            #[derive(Clone, Copy)]
            enum Index { $( $field, )* }

            // `Known` is never built for a struct without fields.
            #[allow(dead_code)]
            enum Key {
                Known(Index),
                Extra(::std::string::String),
            }

            struct KeySeed;

            impl<'de> $crate::serde::de::DeserializeSeed<'de> for KeySeed {
                type Value = Key;
                fn deserialize<D: $crate::serde::Deserializer<'de>>(
                    self,
                    d: D,
                ) -> ::std::result::Result<Key, D::Error> {
                    d.deserialize_identifier(self)
                }
            }

            impl<'de> $crate::serde::de::Visitor<'de> for KeySeed {
                type Value = Key;
                fn expecting(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                    f.write_str("a key")
                }
                fn visit_str<E>(self, v: &str) -> ::std::result::Result<Key, E> {
                    ::std::result::Result::Ok(match v {
                        $( $json => Key::Known(Index::$field), )*
                        _ => Key::Extra(::std::borrow::ToOwned::to_owned(v)),
                    })
                }
                fn visit_string<E>(self, v: ::std::string::String) -> ::std::result::Result<Key, E> {
                    ::std::result::Result::Ok(match v.as_str() {
                        $( $json => Key::Known(Index::$field), )*
                        _ => Key::Extra(v),
                    })
                }
            }

            /// Reads an object's keys into `place`, which holds the default
            /// struct.
            struct StructVisitor<'a> {
                place: &'a mut $name,
                keep: bool,
                /// Per declared field, whether to read it; `None`: all,
                /// and the keys the schema does not name.
                only: ::std::option::Option<&'a [bool]>,
            }

            impl<'a> StructVisitor<'a> {
                /// Reads every key.
                fn all(place: &'a mut $name, keep: bool) -> Self {
                    StructVisitor { place, keep, only: ::std::option::Option::None }
                }
            }

            impl<'de> $crate::serde::de::Visitor<'de> for StructVisitor<'_> {
                type Value = ();
                fn expecting(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                    f.write_str(concat!("struct ", stringify!($name)))
                }
                fn visit_map<A: $crate::serde::de::MapAccess<'de>>(
                    self,
                    mut map: A,
                ) -> ::std::result::Result<(), A::Error> {
                    let out = self.place;
                    let only = self.only;
                    let mut keys = $crate::read::KeyRecorder::new(self.keep);
                    while let ::std::option::Option::Some(key) = map.next_key_seed(KeySeed)? {
                        match key {
                            $( Key::Known(Index::$field) => {
                                let index = Index::$field as u16;
                                if only.is_some_and(|m| !m.get(usize::from(index)).copied().unwrap_or(true)) {
                                    map.next_value::<$crate::read::SkipValue>()?;
                                } else {
                                    map.next_value_seed($crate::read::FieldSeed::new(&mut out.$field, &mut keys, index))?;
                                }
                            } )*
                            Key::Extra(k) => {
                                // A masked read still keeps the keys a scan
                                // record needs when the schema lacks them.
                                if only.is_some() && !$crate::registry::record_key(&k) {
                                    map.next_value::<$crate::read::SkipValue>()?;
                                } else {
                                    let value: ::serde_json::Value = map.next_value()?;
                                    keys.extra(&mut out.extra, k, value);
                                }
                            }
                        }
                    }
                    out.__key_order = keys.finish();
                    ::std::result::Result::Ok(())
                }
            }

            impl<'de> $crate::serde::Deserialize<'de> for $name {
                fn deserialize<D: $crate::serde::Deserializer<'de>>(d: D) -> ::std::result::Result<Self, D::Error> {
                    let mut out = <$name as ::std::default::Default>::default();
                    d.deserialize_map(StructVisitor::all(&mut out, false))?;
                    ::std::result::Result::Ok(out)
                }
                fn deserialize_in_place<D: $crate::serde::Deserializer<'de>>(
                    d: D,
                    place: &mut Self,
                ) -> ::std::result::Result<(), D::Error> {
                    *place = <$name as ::std::default::Default>::default();
                    d.deserialize_map(StructVisitor::all(place, false))
                }
            }

            impl $crate::FieldValue for $name {
                fn from_map<'de, A: $crate::serde::de::MapAccess<'de>>(
                    map: A,
                    keep: bool,
                ) -> ::std::result::Result<$crate::read::Read<Self>, A::Error> {
                    let mut out = <$name as ::std::default::Default>::default();
                    $crate::serde::de::Visitor::visit_map(StructVisitor::all(&mut out, keep), map)?;
                    ::std::result::Result::Ok($crate::read::Read::Typed(out))
                }
                fn map_into_field<'de, A: $crate::serde::de::MapAccess<'de>>(
                    map: A,
                    slot: &mut $crate::Field<Self>,
                    keep: bool,
                ) -> ::std::result::Result<::std::option::Option<::serde_json::Value>, A::Error> {
                    *slot = $crate::Field::Present(<$name as ::std::default::Default>::default());
                    if let $crate::Field::Present(place) = slot {
                        $crate::serde::de::Visitor::visit_map(StructVisitor::all(place, keep), map)?;
                    }
                    ::std::result::Result::Ok(::std::option::Option::None)
                }
                fn map_into_list<'de, A: $crate::serde::de::MapAccess<'de>>(
                    map: A,
                    items: &mut ::std::vec::Vec<Self>,
                    keep: bool,
                ) -> ::std::result::Result<$crate::read::Read<()>, A::Error> {
                    items.push(<$name as ::std::default::Default>::default());
                    if let ::std::option::Option::Some(place) = items.last_mut() {
                        $crate::serde::de::Visitor::visit_map(StructVisitor::all(place, keep), map)?;
                    }
                    ::std::result::Result::Ok($crate::read::Read::Typed(()))
                }
                fn to_json(&self) -> ::serde_json::Value {
                    $crate::read::struct_json(self)
                }
            }

            impl $crate::read::StructFields for $name {
                const COUNT: u16 = {
                    let keys: &[&str] = &[$( $json ),*];
                    keys.len() as u16
                };
                fn field_json(&self, index: u16) -> ::std::option::Option<(&'static str, ::serde_json::Value)> {
                    let _ = index;
                    $( if index == Index::$field as u16 {
                        return $crate::read::field_json(&self.$field).map(|v| ($json, v));
                    } )*
                    ::std::option::Option::None
                }
                fn extra(&self) -> &::serde_json::Map<::std::string::String, ::serde_json::Value> {
                    &self.extra
                }
                fn key_order(&self) -> &$crate::read::KeyOrder {
                    &self.__key_order
                }
                fn read_into_default<'de, D: $crate::serde::Deserializer<'de>>(
                    d: D,
                    place: &mut Self,
                ) -> ::std::result::Result<(), D::Error> {
                    d.deserialize_map(StructVisitor::all(place, false))
                }
                fn read_only_into_default<'de, D: $crate::serde::Deserializer<'de>>(
                    d: D,
                    place: &mut Self,
                    only: &[bool],
                ) -> ::std::result::Result<(), D::Error> {
                    d.deserialize_map(StructVisitor { place, keep: false, only: ::std::option::Option::Some(only) })
                }
            }
        };

        impl ::std::fmt::Debug for $name {
            fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                f.debug_struct(stringify!($name))
                    $( .field(stringify!($field), &self.$field) )*
                    .field("extra", &self.extra)
                    .finish()
            }
        }

        impl $name {
            /// The schema the code generator checks policies against.
            pub const SCHEMA: $crate::StructSchema = $crate::StructSchema {
                name: stringify!($name),
                resource_type: $rtype,
                fields: &[
                    $( $crate::FieldSchema {
                        name: $json,
                        rust_name: stringify!($field),
                        ty: &<$ty as $crate::Describe>::TY,
                    }, )*
                ],
            };
        }

        impl $crate::Describe for $name {
            const TY: $crate::Ty = $crate::Ty::Struct(&<$name>::SCHEMA);
        }

        impl $crate::Object for $name {
            fn py_get(&self, key: &str) -> ::std::option::Option<$crate::Val<'_>> {
                match key {
                    $( $json => self.$field.get(), )*
                    _ => self.extra.get(key).map($crate::Val::from_json),
                }
            }

            fn py_keys(&self) -> ::std::vec::Vec<&str> {
                let mut keys = ::std::vec::Vec::new();
                $( if !self.$field.is_absent() { keys.push($json); } )*
                keys.extend(self.extra.keys().map(::std::string::String::as_str));
                keys
            }

            fn py_len(&self) -> usize {
                self.extra.len() $( + usize::from(!self.$field.is_absent()) )*
            }
        }

        impl $crate::ToVal for $name {
            fn to_val(&self) -> $crate::Val<'_> {
                $crate::Val::Obj(self)
            }
        }
    };
}

/// Declares a top-level resource: an `object!` tied to its Panther
/// `ResourceType` string by the `Resource` trait.
#[macro_export]
macro_rules! resource {
    (
        $(#[$meta:meta])*
        $vis:vis struct $name:ident($rtype:literal) {
            $( $(#[$fmeta:meta])* $json:literal => $field:ident : $ty:ty ),* $(,)?
        }
    ) => {
        $crate::object!(@struct Some($rtype), $(#[$meta])* $vis struct $name {
            $( $(#[$fmeta])* $json => $field : $ty ),*
        });

        impl $crate::Resource for $name {
            const RESOURCE_TYPE: &'static str = $rtype;
        }
    };
}
