//! The `object!` and `resource!` macros: one declaration per struct gives
//! the Rust struct, its serde impls, its Python view and its schema.

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
        #[derive(Debug, Clone, Default, PartialEq, $crate::serde::Serialize, $crate::serde::Deserialize)]
        #[serde(crate = "::pounce_runtime::serde")]
        $vis struct $name {
            $(
                $(#[$fmeta])*
                #[serde(rename = $json, default, skip_serializing_if = "::pounce_runtime::Field::is_absent")]
                pub $field: $crate::Field<$ty>,
            )*
            /// Keys the schema does not name, kept as they came.
            #[serde(flatten)]
            pub extra: ::serde_json::Map<::std::string::String, ::serde_json::Value>,
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
