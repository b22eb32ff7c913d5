//! The OAuth proof and the no-login probes.
//!
//! [`proof::prove`] runs the authorization-code + PKCE round trip against the org through a
//! real browser and checks, setting by setting, that the app works as Webex needs, then
//! revokes every token it obtained. [`probe::probe`] runs the checks that need no login
//! (`init --verify`, non-interactive `init`). Both speak through [`http::Http`] (one
//! no-redirect reqwest client) and report [`crate::report::Check`]s with the ids in
//! [`checks`].

// Written by the listener/browser engineer.
pub mod browser;
pub mod listener;
pub mod pages;
pub mod paste;

pub mod after;
pub mod authorize;
pub mod checks;
pub mod exchange;
pub mod http;
pub mod identity;
pub mod login;
pub mod messages;
pub mod preflight;
pub mod probe;
pub mod proof;
pub mod refresh;
pub mod revoke;
pub mod signature;
pub mod tokens;
