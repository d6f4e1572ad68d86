//! The annotations `unevaluatedProperties` and `unevaluatedItems` read.

use std::collections::BTreeSet;

/// Which properties and items of one instance have been evaluated by the schemas applied
/// to it in place (the schema itself, `allOf`, `$ref`, the matching `anyOf`/`oneOf`
/// branches, `if`/`then`/`else`, `dependentSchemas`).
///
/// Generated code fills it only from subschemas the instance satisfies: JSON Schema drops
/// the annotations of failing subschemas, so a property matched only by a failing `anyOf`
/// branch still counts as unevaluated.
#[derive(Debug, Default)]
pub struct Evaluated<'v> {
    every_property: bool,
    properties: BTreeSet<&'v str>,
    every_item: bool,
    /// Items below this index are evaluated (`prefixItems`).
    item_prefix: usize,
    items: BTreeSet<usize>,
}

impl<'v> Evaluated<'v> {
    pub fn new() -> Self {
        Self::default()
    }

    /// A property named by `properties` or matched by `patternProperties`.
    pub fn property(&mut self, name: &'v str) {
        if !self.every_property {
            self.properties.insert(name);
        }
    }

    /// `additionalProperties` or a nested `unevaluatedProperties`: nothing is left over.
    pub fn every_property(&mut self) {
        self.every_property = true;
        self.properties.clear();
    }

    /// `prefixItems` of this many schemas.
    pub fn items_before(&mut self, end: usize) {
        self.item_prefix = self.item_prefix.max(end);
    }

    /// An item matched by `contains`.
    pub fn item(&mut self, index: usize) {
        if !self.every_item && index >= self.item_prefix {
            self.items.insert(index);
        }
    }

    /// `items` or a nested `unevaluatedItems`: every item is evaluated.
    pub fn every_item(&mut self) {
        self.every_item = true;
        self.items.clear();
    }

    pub fn has_property(&self, name: &str) -> bool {
        self.every_property || self.properties.contains(name)
    }

    pub fn has_item(&self, index: usize) -> bool {
        self.every_item || index < self.item_prefix || self.items.contains(&index)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn properties_are_evaluated_by_name_or_all_at_once() {
        let mut evaluated = Evaluated::new();
        evaluated.property("a");
        assert!(evaluated.has_property("a"));
        assert!(!evaluated.has_property("b"));
        evaluated.every_property();
        assert!(evaluated.has_property("b"));
    }

    #[test]
    fn items_are_evaluated_by_prefix_index_or_all() {
        let mut evaluated = Evaluated::new();
        evaluated.items_before(2);
        evaluated.item(4);
        assert!(evaluated.has_item(0) && evaluated.has_item(1) && evaluated.has_item(4));
        assert!(!evaluated.has_item(2) && !evaluated.has_item(3));
        evaluated.every_item();
        assert!(evaluated.has_item(3));
    }
}
