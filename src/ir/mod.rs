//! The intermediate representation: named Rust types with their validation schemas, and
//! services with their operations. Lowering fills it; emission reads it and cannot fail.

pub mod calendar;
pub mod lower;
mod manifest_checks;
pub mod naming;
pub mod operation;
pub mod schema;
pub mod service;
pub mod types;

pub use lower::{Formats, UnknownKeywords, KNOWN_FORMATS};
pub use operation::{Bulk, Criticality, Deprecation, Operation, PathParam};
pub use schema::{JsonType, Rules, Schema};
pub use service::{client_type_names, lower_service, lower_standalone, ModuleIr, ServiceIr};
pub use types::{Field, Presence, Shape, TypeDef, TypeExpr, TypeId};
