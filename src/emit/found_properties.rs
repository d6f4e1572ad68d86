//! The listed properties of an object, found in one pass over its entries.
//!
//! With `serde_json`'s `preserve_order`, every `object.get(name)` hashes `name`; an object
//! schema naming several properties would hash once per keyword and property. Instead the
//! emitted code walks the entries once, matching each key against the listed names, and
//! binds what it finds to locals named after the properties (`userId` → `user_id`); the
//! checks then read those locals in schema order, so violations are reported exactly as
//! keyed lookups would report them. A schema that looks up a single name keeps its one
//! keyed lookup. Wider objects (a body padded with thousands of unknown keys) are looked up
//! by key instead, so validation never walks all of their members
//! (`solo60_runtime::validation::keywords::SHORT_OBJECT_MEMBERS`).

use proc_macro2::{Ident, TokenStream};
use quote::{format_ident, quote};

use crate::ir::naming::field_name;

/// Names the emitted validation code binds or calls in the scope where the locals live; a
/// property local must not shadow them.
const RESERVED: &[&str] = &[
    "allowed",
    "any_matched",
    "at",
    "check_required",
    "check_required_found",
    "check_type",
    "condition_holds",
    "contained",
    "errors",
    "evaluated",
    "excluded",
    "first",
    "index",
    "items",
    "length",
    "matched",
    "name",
    "number",
    "object",
    "second",
    "text",
    "value",
];

/// The distinct property names an object's checks look up, each with its local.
pub struct FoundProperties {
    /// `(property name, local)`, in first-use order.
    locals: Vec<(String, Ident)>,
}

impl FoundProperties {
    /// Locals for `names` (duplicates share one), named after the properties and kept
    /// distinct from each other and from [`RESERVED`].
    pub fn new<'a>(names: impl IntoIterator<Item = &'a String>) -> Self {
        let mut locals: Vec<(String, Ident)> = Vec::new();
        for name in names {
            if locals.iter().any(|(known, _)| known == name) {
                continue;
            }
            let base = field_name(name);
            let base = if RESERVED.contains(&base.as_str()) {
                format!("{base}_property")
            } else {
                base
            };
            let taken = |candidate: &str| locals.iter().any(|(_, local)| local == candidate);
            let mut local = base.clone();
            let mut suffix = 2;
            while taken(&local) {
                local = format!("{base}_{suffix}");
                suffix += 1;
            }
            locals.push((name.clone(), format_ident!("{}", local)));
        }
        FoundProperties { locals }
    }

    /// An `Option<&Value>` expression for `name`'s value: its local, or a keyed lookup for
    /// a name that was not listed when the locals were made.
    pub fn local(&self, name: &str) -> TokenStream {
        match self.locals.iter().find(|(known, _)| known == name) {
            Some((_, local)) => quote!(#local),
            None => quote!(object.get(#name)),
        }
    }

    /// The statement binding the locals: one `let` destructuring what
    /// `keywords::find_properties` found (a pass over a short `object`, keyed lookups in a
    /// wide one); nothing when no property is looked up.
    pub fn scan(&self) -> TokenStream {
        match self.locals.as_slice() {
            [] => quote!(),
            // One name: a single keyed lookup costs no more than a pass, and reads simplest.
            [(name, local)] => quote!(let #local = object.get(#name);),
            locals => {
                let names = locals.iter().map(|(name, _)| name);
                let locals = locals.iter().map(|(_, local)| local);
                quote!(let [#(#locals),*] = keywords::find_properties(object, [#(#names),*]);)
            }
        }
    }
}
