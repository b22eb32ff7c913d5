//! Receiving the authorization code: the loopback [`listener`] (served by `serve`, with
//! the browser's [`pages`]), or [`paste`] mode; both read the callback with [`query`].

pub mod listener;
pub mod pages;
pub mod paste;
pub mod query;
mod serve;

pub use listener::{Listener, ListenerError};
pub use query::CallbackOutcome;
