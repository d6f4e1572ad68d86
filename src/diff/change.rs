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

/// Whose build a change breaks, as the generated API is used: a caller builds requests
/// (`new`, `with_` setters), calls the client or its `<Service>ServiceApi` trait and reads
/// responses (fields, exhaustive `match`es); an implementer implements the
/// `<Service>Service` server trait, reads requests and builds responses.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Breaks {
    /// Both sides keep compiling.
    Nobody,
    Callers,
    Implementers,
    CallersAndImplementers,
}

impl Breaks {
    /// Whether code calling the service stops compiling.
    pub fn callers(self) -> bool {
        matches!(self, Breaks::Callers | Breaks::CallersAndImplementers)
    }

    /// Whether the service implementing the contract stops compiling.
    pub fn implementers(self) -> bool {
        matches!(self, Breaks::Implementers | Breaks::CallersAndImplementers)
    }

    /// The sides either of two changes breaks.
    pub fn and(self, other: Breaks) -> Breaks {
        Breaks::from_sides(
            self.callers() || other.callers(),
            self.implementers() || other.implementers(),
        )
    }

    pub fn from_sides(callers: bool, implementers: bool) -> Breaks {
        match (callers, implementers) {
            (false, false) => Breaks::Nobody,
            (true, false) => Breaks::Callers,
            (false, true) => Breaks::Implementers,
            (true, true) => Breaks::CallersAndImplementers,
        }
    }

    /// Whose build breaks, in words: `callers`, `callers and implementers`.
    pub fn who(self) -> &'static str {
        match self {
            Breaks::Nobody => "nobody",
            Breaks::Callers => "callers",
            Breaks::Implementers => "implementers",
            Breaks::CallersAndImplementers => "callers and implementers",
        }
    }

    /// The tag the JSON report prints.
    pub fn tag(self) -> &'static str {
        match self {
            Breaks::Nobody => "nobody",
            Breaks::Callers => "callers",
            Breaks::Implementers => "implementers",
            Breaks::CallersAndImplementers => "callers-and-implementers",
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
    /// Whose build it breaks; `Nobody` for changes only the wire sees.
    pub breaks: Breaks,
}

/// A change found while comparing one operation or type, before the service and
/// operation it belongs to are attached.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Finding {
    pub level: Level,
    pub location: String,
    pub what: String,
    pub why: String,
    pub breaks: Breaks,
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
            breaks: Breaks::Nobody,
            location: location.into(),
            what: what.into(),
            why: why.into(),
        }
    }

    /// The same finding, breaking `breaks`' builds.
    pub(crate) fn breaking(mut self, breaks: Breaks) -> Self {
        self.breaks = breaks;
        self
    }
}
