//! Rendering a [`ContractDiff`] for people (text, grouped by service and operation) and
//! for tools (JSON with stable field names).

use std::fmt::Write as _;

use serde_json::{json, Value};

use super::change::{Breaks, Level};
use super::ContractDiff;

const LEVELS: [Level; 4] = [
    Level::WireBreaking,
    Level::RustBreaking,
    Level::Compatible,
    Level::Deprecation,
];

impl ContractDiff {
    /// A readable report: one block per service, one per operation inside it, one line
    /// per change (level, where, what changed, why), and a summary line.
    ///
    /// ```text
    /// service widget
    ///   operation createWidget (v1)
    ///     wire-breaking  request CreateWidgetRequest.name: maxLength 80 → 40 — requests that …
    ///     rust-breaking  operation: new operation `GET /internal/widgets` — … [breaks implementers]
    /// ```
    pub fn render_text(&self) -> String {
        let mut text = String::new();
        if self.changes.is_empty() {
            text.push_str("no contract changes\n");
            return text;
        }
        let width = LEVELS
            .iter()
            .map(|level| level.tag().len())
            .max()
            .unwrap_or(0);
        let mut service: Option<&str> = None;
        let mut operation: Option<Option<&str>> = None;
        for change in &self.changes {
            if service != Some(change.service.as_str()) {
                if service.is_some() {
                    text.push('\n');
                }
                let _ = writeln!(text, "service {}", change.service);
                service = Some(&change.service);
                operation = None;
            }
            if operation != Some(change.operation.as_deref()) {
                match (&change.operation, change.version) {
                    (Some(id), Some(version)) => {
                        let _ = writeln!(text, "  operation {id} (v{version})");
                    }
                    (Some(id), None) => {
                        let _ = writeln!(text, "  operation {id}");
                    }
                    (None, _) => text.push_str("  service-wide\n"),
                }
                operation = Some(change.operation.as_deref());
            }
            let breaks = match change.breaks {
                Breaks::Nobody => String::new(),
                breaks => format!(" [breaks {}]", breaks.who()),
            };
            let _ = writeln!(
                text,
                "    {:width$}  {}: {} — {}{breaks}",
                change.level.tag(),
                change.location,
                change.what,
                change.why
            );
        }
        let counts: Vec<String> = LEVELS
            .iter()
            .map(|level| format!("{} {}", self.count(*level), level.tag()))
            .collect();
        let verdict = if self.is_breaking() {
            "BREAKING"
        } else {
            "not breaking"
        };
        let builds = format!(
            "{} break callers' builds, {} break implementers' builds",
            self.count_breaking(Breaks::callers),
            self.count_breaking(Breaks::implementers)
        );
        let _ = writeln!(text, "\n{}; {builds}: {verdict}", counts.join(", "));
        text
    }

    /// The machine-readable report:
    /// `{"breaking": bool, "summary": {level: count}, "breaks": {"callers": count,
    /// "implementers": count}, "changes": [{"service", "operation", "version", "location",
    /// "what", "why", "level", "breaks"}]}`; levels are `wire-breaking`, `rust-breaking`,
    /// `compatible` and `deprecation`; `breaks` (whose build the change breaks) is `nobody`,
    /// `callers`, `implementers` or `callers-and-implementers`.
    pub fn to_json(&self) -> Value {
        let summary: serde_json::Map<String, Value> = LEVELS
            .iter()
            .map(|level| (level.tag().to_owned(), Value::from(self.count(*level))))
            .collect();
        let changes: Vec<Value> = self
            .changes
            .iter()
            .map(|change| serde_json::to_value(change).unwrap_or(Value::Null))
            .collect();
        json!({
            "breaking": self.is_breaking(),
            "summary": summary,
            "breaks": {
                "callers": self.count_breaking(Breaks::callers),
                "implementers": self.count_breaking(Breaks::implementers),
            },
            "changes": changes,
        })
    }

    /// How many changes break the side `side` picks out.
    fn count_breaking(&self, side: fn(Breaks) -> bool) -> usize {
        self.changes
            .iter()
            .filter(|change| side(change.breaks))
            .count()
    }
}
