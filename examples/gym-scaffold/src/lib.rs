//! The gym service exactly as `solo60-gen scaffold gym -o examples/gym-scaffold/src/service.rs`
//! first wrote it: it compiles against the generated trait, and every operation answers
//! "not implemented" until its authors fill it in.

mod service;

pub use service::GymServiceImpl;
