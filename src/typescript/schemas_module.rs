//! `src/schemas.ts`: one Zod schema constant and its types per contract type, declared
//! dependencies first, and the schemas of every operation's path parameters.

use std::collections::BTreeSet;

use super::layout::layout;
use super::literal;
use super::order::declaration_order;
use super::ts_type::TypeWriter;
use super::zod::{schema_name, ZodWriter};
use crate::error::Error;
use crate::ir::ServiceIr;

/// The `@solo60/runtime` checks (its `constraints.ts`) a schema may call, imported only when
/// used.
const HELPERS: &[&str] = &[
    "codePoints",
    "equalTo",
    "exactlyOne",
    "isDate",
    "isDateTime",
    "isEmail",
    "isHostname",
    "isTime",
    "isUri",
    "isUriReference",
    "otherThan",
    "uniqueItems",
];

/// The text of `src/schemas.ts`, after `header`.
pub fn render(service: &ServiceIr, header: &str) -> Result<String, Error> {
    let types = &service.types;
    let order = declaration_order(types);
    let mut declared = BTreeSet::new();
    let mut body = String::new();
    for &id in &order.order {
        let def = &types[id.0];
        let writer = ZodWriter {
            types,
            declared: &declared,
            recursive: &order.recursive,
        };
        let expr = writer.type_schema(def)?;
        let name = &def.name;
        let schema = schema_name(name);
        body.push('\n');
        body.push_str(&literal::doc_comment(def.doc.as_deref(), ""));
        if order.recursive.contains(&id) {
            let writer = TypeWriter { types };
            body.push_str(&format!(
                "export type {name} = {};\n",
                writer.type_of(def, false)
            ));
            body.push_str(&format!(
                "export type {name}Input = {};\n",
                writer.type_of(def, true)
            ));
            let declaration = format!("export const {schema}: z.ZodType<{name}, {name}Input> = ");
            let expr = layout(&expr, 0, declaration.len());
            body.push_str(&format!("{declaration}{expr};\n"));
        } else {
            let declaration = format!("export const {schema} = ");
            let expr = layout(&expr, 0, declaration.len());
            body.push_str(&format!("{declaration}{expr};\n"));
            body.push_str(&format!(
                "export type {name} = z.output<typeof {schema}>;\n"
            ));
            body.push_str(&format!(
                "export type {name}Input = z.input<typeof {schema}>;\n"
            ));
        }
        declared.insert(id);
    }
    body.push_str(&path_params(service, &declared, &order.recursive)?);
    let used: Vec<&str> = HELPERS
        .iter()
        .copied()
        .filter(|helper| mentions(&body, helper))
        .collect();
    let mut text = String::from(header);
    text.push_str(&format!(
        "//\n// Zod schemas of the {} service's contract types. For each type `T`: `TSchema`, `T` (what\n// parsing returns) and `TInput` (what parsing accepts: defaulted properties may be absent).\n\n",
        service.name
    ));
    if !used.is_empty() {
        text.push_str(&format!(
            "import {{ {} }} from \"@solo60/runtime\";\n",
            used.join(", ")
        ));
    }
    text.push_str("import { z } from \"zod\";\n");
    text.push_str(&body);
    Ok(text)
}

/// `pathParams.<operation>.<param>`: the schema each path parameter is checked against.
fn path_params(
    service: &ServiceIr,
    declared: &BTreeSet<crate::ir::TypeId>,
    recursive: &BTreeSet<crate::ir::TypeId>,
) -> Result<String, Error> {
    let writer = ZodWriter {
        types: &service.types,
        declared,
        recursive,
    };
    let mut text = String::from(
        "\n/** The schema of every operation's path parameters. */\nexport const pathParams = {\n",
    );
    for operation in &service.operations {
        if operation.path_params.is_empty() {
            continue;
        }
        text.push_str(&format!("  {}: {{\n", literal::property_key(&operation.id)));
        for param in &operation.path_params {
            let expr = writer.inline_schema(&param.schema).map_err(|reason| {
                Error::Usage(format!(
                    "operation `{}` of service `{}`: path parameter `{}`: {reason} has no TypeScript/Zod form yet",
                    operation.id, service.name, param.wire_name
                ))
            })?;
            let key = format!("    {}: ", literal::property_key(&param.wire_name));
            let expr = layout(&expr, 4, key.len());
            text.push_str(&format!("{key}{expr},\n"));
        }
        text.push_str("  },\n");
    }
    text.push_str("} as const;\n");
    Ok(text)
}

/// Whether `code` mentions `name` as a whole word (an unused import is harmless, a missing
/// one is not, so a property of the same name erring towards importing is fine).
fn mentions(code: &str, name: &str) -> bool {
    code.match_indices(name).any(|(at, _)| {
        let before = code[..at].chars().next_back();
        let after = code[at + name.len()..].chars().next();
        let word =
            |c: Option<char>| c.is_some_and(|c| c.is_ascii_alphanumeric() || c == '_' || c == '$');
        !word(before) && !word(after)
    })
}
