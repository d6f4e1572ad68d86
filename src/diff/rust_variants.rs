//! The Rust half of a type comparison for enums: string enums, tagged unions (whose
//! variants hold fields) and untagged unions.
//!
//! Enums stay exhaustive, so a new variant breaks whoever matches on the type (callers
//! for a response, implementers for a request); a removed or renamed variant breaks the
//! side that names it when building the value as well.

use crate::ir::types::{EnumVariant, TaggedShape, UntaggedVariant};

use super::change::Breaks;
use super::rust_api::Building;
use super::types::{Place, TypeComparison};

impl TypeComparison<'_> {
    /// Why a new variant breaks the readers of `owner`.
    fn exhaustive_match(&self, owner: &str) -> String {
        format!(
            "an exhaustive `match` on `{owner}` stops compiling: {} match the values they read",
            self.readers().who()
        )
    }

    /// Why a variant gone from the Rust API (removed, or renamed to `now`) breaks code that
    /// names it, or does not: when another wire value claims the old name, code naming it
    /// still compiles and silently means that other value.
    fn variant_gone(owner: &str, name: &str, reused_by: Option<&str>, now: Option<&str>) -> String {
        match reused_by {
            Some(other) => format!(
                "`{owner}::{name}` now names {other}: code that builds it still compiles and \
                 silently means the other value{}; an exhaustive `match` on `{owner}` stops \
                 compiling",
                now.map(|now| format!(" (this one is `{owner}::{now}` now)"))
                    .unwrap_or_default()
            ),
            None => format!("code that names `{owner}::{name}` stops compiling"),
        }
    }

    pub(crate) fn rust_enum(
        &mut self,
        at: &Place,
        owner: &str,
        base: &[EnumVariant],
        head: &[EnumVariant],
    ) {
        for base_variant in base {
            let reused_by = head
                .iter()
                .find(|variant| {
                    variant.name == base_variant.name
                        && variant.wire_value != base_variant.wire_value
                })
                .map(|variant| format!("the value {:?}", variant.wire_value));
            match head
                .iter()
                .find(|variant| variant.wire_value == base_variant.wire_value)
            {
                Some(head_variant) if head_variant.name != base_variant.name => self.rust(
                    Breaks::CallersAndImplementers,
                    at,
                    format!(
                        "variant `{owner}::{}` renamed to `{owner}::{}`",
                        base_variant.name, head_variant.name
                    ),
                    Self::variant_gone(
                        owner,
                        &base_variant.name,
                        reused_by.as_deref(),
                        Some(&head_variant.name),
                    ),
                ),
                Some(_) => {}
                None => self.rust(
                    Breaks::CallersAndImplementers,
                    at,
                    format!(
                        "variant `{owner}::{}` ({:?}) removed",
                        base_variant.name, base_variant.wire_value
                    ),
                    Self::variant_gone(owner, &base_variant.name, reused_by.as_deref(), None),
                ),
            }
        }
        for head_variant in head {
            if !base
                .iter()
                .any(|variant| variant.wire_value == head_variant.wire_value)
            {
                self.rust(
                    self.readers(),
                    at,
                    format!(
                        "variant `{owner}::{}` ({:?}) added",
                        head_variant.name, head_variant.wire_value
                    ),
                    self.exhaustive_match(owner),
                );
            }
        }
    }

    pub(crate) fn rust_tagged(
        &mut self,
        at: &Place,
        owner: &str,
        base: &TaggedShape,
        head: &TaggedShape,
    ) {
        for base_variant in &base.variants {
            let place = Place::new(format!(
                "{} ({}={})",
                at.as_str(),
                base.tag,
                base_variant.tag_value
            ));
            let reused_by = head
                .variants
                .iter()
                .find(|variant| {
                    variant.name == base_variant.name && variant.tag_value != base_variant.tag_value
                })
                .map(|variant| format!("the variant `{}={}`", head.tag, variant.tag_value));
            match head
                .variants
                .iter()
                .find(|variant| variant.tag_value == base_variant.tag_value)
            {
                Some(head_variant) => {
                    if head_variant.name != base_variant.name {
                        self.rust(
                            Breaks::CallersAndImplementers,
                            &place,
                            format!(
                                "variant `{owner}::{}` renamed to `{owner}::{}`",
                                base_variant.name, head_variant.name
                            ),
                            Self::variant_gone(
                                owner,
                                &base_variant.name,
                                reused_by.as_deref(),
                                Some(&head_variant.name),
                            ),
                        );
                    }
                    let variant_owner = format!("{owner}::{}", head_variant.name);
                    self.rust_fields(
                        &place,
                        &variant_owner,
                        &base_variant.fields,
                        &head_variant.fields,
                        Building::Literal,
                    );
                }
                None => self.rust(
                    Breaks::CallersAndImplementers,
                    &place,
                    format!("variant `{owner}::{}` removed", base_variant.name),
                    Self::variant_gone(owner, &base_variant.name, reused_by.as_deref(), None),
                ),
            }
        }
        for head_variant in &head.variants {
            if !base
                .variants
                .iter()
                .any(|variant| variant.tag_value == head_variant.tag_value)
            {
                self.rust(
                    self.readers(),
                    &Place::new(format!(
                        "{} ({}={})",
                        at.as_str(),
                        head.tag,
                        head_variant.tag_value
                    )),
                    format!("variant `{owner}::{}` added", head_variant.name),
                    self.exhaustive_match(owner),
                );
            }
        }
    }

    pub(crate) fn rust_untagged(
        &mut self,
        at: &Place,
        owner: &str,
        base: &[UntaggedVariant],
        head: &[UntaggedVariant],
    ) {
        for (index, (base_variant, head_variant)) in base.iter().zip(head).enumerate() {
            let place = at.branch("variant", index);
            if base_variant.name != head_variant.name {
                self.rust(
                    Breaks::CallersAndImplementers,
                    &place,
                    format!(
                        "variant `{owner}::{}` renamed to `{owner}::{}`",
                        base_variant.name, head_variant.name
                    ),
                    format!(
                        "code that names `{owner}::{}` stops compiling",
                        base_variant.name
                    ),
                );
            }
            let subject = self.subject(
                format!("variant `{owner}::{}`", head_variant.name),
                &base_variant.ty,
                &head_variant.ty,
            );
            self.rust_expr(&place, &base_variant.ty, &head_variant.ty, &subject);
        }
        for removed in base.iter().skip(head.len()) {
            self.rust(
                Breaks::CallersAndImplementers,
                at,
                format!("variant `{owner}::{}` removed", removed.name),
                format!(
                    "code that names `{owner}::{}` stops compiling",
                    removed.name
                ),
            );
        }
        for added in head.iter().skip(base.len()) {
            self.rust(
                self.readers(),
                at,
                format!("variant `{owner}::{}` added", added.name),
                self.exhaustive_match(owner),
            );
        }
    }
}
