//! The resource structs, one module per AWS service.
//!
//! Field lists follow Panther's resource documentation and the AWS API
//! shapes behind it. Every field is a `Field<T>`: it may be absent, `null`,
//! a value of its type, or (kept as JSON) a value of another type.

pub mod ec2;

pub use ec2::*;

use crate::schema::StructSchema;

/// Every resource type the runtime knows, with its schema.
pub const RESOURCE_TYPES: &[(&str, &StructSchema)] = &[("AWS.EC2.AMI", &ec2::Ami::SCHEMA)];

/// The schema of the resource type `name` (`AWS.EC2.AMI`).
pub fn schema_for(name: &str) -> Option<&'static StructSchema> {
    RESOURCE_TYPES.iter().find(|(n, _)| *n == name).map(|(_, s)| *s)
}
