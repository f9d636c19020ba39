//! The formats of unspin's data files, apart from the engine that reads
//! them, so that the core library's build script can compile the default
//! dictionary and language model with the very code that reads them back.
//!
//! - [`key`]: how a phrase is written as a lookup key.
//! - [`dict`]: dictionary CSV rows and the compiled dictionary (FST and
//!   candidate table).
//! - [`lm`]: the compiled n-gram language model.
//!
//! Invariant: this crate depends on no part of unspin, only on `fst`,
//! `csv`, `serde` and `thiserror`, so that a build script can use it.

pub mod dict;
pub mod key;
pub mod lm;
