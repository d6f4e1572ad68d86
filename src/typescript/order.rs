//! The order a module declares its schemas in: every schema after the ones it uses, so
//! `const` declarations never meet a temporal dead zone; schemas on a reference cycle are
//! found too, because they need `z.lazy` and an explicit type.

use std::collections::BTreeSet;

use crate::ir::{Schema, TypeDef, TypeId};

/// The declaration order of a module's types and which of them sit on a reference cycle.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DeclarationOrder {
    /// Every type once, each after the types it references (cycles aside).
    pub order: Vec<TypeId>,
    /// Types that reach themselves through references.
    pub recursive: BTreeSet<TypeId>,
}

/// Orders `types` by their references with Tarjan's algorithm, which yields strongly
/// connected components dependencies first. Ties keep the IR's order, so the output is
/// deterministic.
pub fn declaration_order(types: &[TypeDef]) -> DeclarationOrder {
    let edges: Vec<Vec<TypeId>> = types
        .iter()
        .map(|def| {
            let mut found = BTreeSet::new();
            references(&def.schema, &mut found);
            found.into_iter().collect()
        })
        .collect();
    let mut tarjan = Tarjan {
        edges: &edges,
        index: vec![None; types.len()],
        low: vec![0; types.len()],
        on_stack: vec![false; types.len()],
        stack: Vec::new(),
        next: 0,
        result: DeclarationOrder {
            order: Vec::with_capacity(types.len()),
            recursive: BTreeSet::new(),
        },
    };
    for id in 0..types.len() {
        if tarjan.index[id].is_none() {
            tarjan.visit(id);
        }
    }
    tarjan.result
}

/// Every named type a schema refers to, at any depth.
pub fn references(schema: &Schema, found: &mut BTreeSet<TypeId>) {
    let Schema::Rules(rules) = schema else {
        return;
    };
    found.extend(rules.reference);
    for child in rules.subschemas() {
        references(child, found);
    }
}

struct Tarjan<'a> {
    edges: &'a [Vec<TypeId>],
    index: Vec<Option<usize>>,
    low: Vec<usize>,
    on_stack: Vec<bool>,
    stack: Vec<usize>,
    next: usize,
    result: DeclarationOrder,
}

impl Tarjan<'_> {
    /// Recursive over reference depth, which the IR's lowering already bounds.
    fn visit(&mut self, node: usize) {
        self.index[node] = Some(self.next);
        self.low[node] = self.next;
        self.next += 1;
        self.stack.push(node);
        self.on_stack[node] = true;
        for &TypeId(target) in &self.edges[node] {
            match self.index[target] {
                None => {
                    self.visit(target);
                    self.low[node] = self.low[node].min(self.low[target]);
                }
                Some(index) if self.on_stack[target] => {
                    self.low[node] = self.low[node].min(index);
                }
                Some(_) => {}
            }
        }
        if Some(self.low[node]) != self.index[node] {
            return;
        }
        let mut component = Vec::new();
        while let Some(member) = self.stack.pop() {
            self.on_stack[member] = false;
            component.push(member);
            if member == node {
                break;
            }
        }
        component.sort_unstable();
        let cyclic = component.len() > 1 || self.edges[node].contains(&TypeId(node));
        for member in component {
            if cyclic {
                self.result.recursive.insert(TypeId(member));
            }
            self.result.order.push(TypeId(member));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ir::{Rules, Shape, TypeExpr};

    /// A type named `name` whose schema references `targets`.
    fn def(name: &str, targets: &[usize]) -> TypeDef {
        let rules = Rules {
            all_of: targets
                .iter()
                .map(|target| Schema::reference(TypeId(*target)))
                .collect(),
            ..Rules::default()
        };
        TypeDef {
            name: name.to_owned(),
            doc: None,
            source: String::new(),
            shape: Shape::Newtype(TypeExpr::Any),
            schema: Schema::Rules(Box::new(rules)),
            examples: Vec::new(),
        }
    }

    #[test]
    fn dependencies_come_first_and_ties_keep_the_ir_order() {
        // 0 -> 2, 1 -> nothing, 2 -> 1
        let types = [def("A", &[2]), def("B", &[]), def("C", &[1])];
        let order = declaration_order(&types);
        assert_eq!(order.order, [TypeId(1), TypeId(2), TypeId(0)]);
        assert!(order.recursive.is_empty());
    }

    #[test]
    fn cycles_and_self_references_are_recursive() {
        // 0 -> 1 -> 0 (a cycle), 2 -> 2 (itself), 3 -> 0 (uses the cycle, is not on it)
        let types = [
            def("A", &[1]),
            def("B", &[0]),
            def("C", &[2]),
            def("D", &[0]),
        ];
        let order = declaration_order(&types);
        assert_eq!(
            order.recursive.iter().copied().collect::<Vec<_>>(),
            [TypeId(0), TypeId(1), TypeId(2)]
        );
        let position = |id: usize| order.order.iter().position(|t| *t == TypeId(id));
        assert!(position(3) > position(0) && position(3) > position(1));
        assert_eq!(order.order.len(), 4);
    }
}
