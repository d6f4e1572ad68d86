//! One finding of a contract diff, and how much it matters.

use serde::Serialize;

/// How a change affects the callers and implementers of an operation.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Level {
    /// Deployed callers or servers built on the old contract can fail against the new one.
    WireBreaking,
    /// The wire still agrees, but code using the generated crate stops compiling or
    /// changes meaning (a renamed type, a new enum variant, `T` becoming `Option<T>`).
    RustBreaking,
    /// Nothing built on the old contract notices.
    Compatible,
    /// A warning: something is on its way out, or overdue for removal.
    Deprecation,
}

impl Level {
    /// Whether a change of this level fails `solo60-gen diff`.
    pub fn is_breaking(self) -> bool {
        matches!(self, Level::WireBreaking | Level::RustBreaking)
    }

    /// The tag the text report and the JSON report print.
    pub fn tag(self) -> &'static str {
        match self {
            Level::WireBreaking => "wire-breaking",
            Level::RustBreaking => "rust-breaking",
            Level::Compatible => "compatible",
            Level::Deprecation => "deprecation",
        }
    }
}

/// One difference between two versions of the contracts.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Change {
    /// The service, as its manifest names it.
    pub service: String,
    /// The operation id (as the base contract names it, or the head's for a new one);
    /// `None` for service-wide changes such as a removed service or an unused type.
    pub operation: Option<String>,
    /// The operation's version, when the change belongs to an operation.
    pub version: Option<u32>,
    /// Where the change sits, e.g. `request CreateWidgetRequest.price.currency`,
    /// `response Widget.tags[]`, `route`, `params.widgetId`.
    pub location: String,
    /// What changed, e.g. `maxLength 80 → 40`.
    pub what: String,
    /// Why it breaks (or why it does not).
    pub why: String,
    pub level: Level,
}

/// A change found while comparing one operation or type, before the service and
/// operation it belongs to are attached.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Finding {
    pub level: Level,
    pub location: String,
    pub what: String,
    pub why: String,
}

impl Finding {
    pub(crate) fn new(
        level: Level,
        location: impl Into<String>,
        what: impl Into<String>,
        why: impl Into<String>,
    ) -> Self {
        Finding {
            level,
            location: location.into(),
            what: what.into(),
            why: why.into(),
        }
    }
}
