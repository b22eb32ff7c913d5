//! The OAuth proof and the no-login probes.
//!
//! [`proof::prove`] runs the authorization-code + PKCE round trip against the org through a
//! real browser and checks, setting by setting, that the app works as Webex needs, then
//! revokes every token it obtained. [`probe::probe`] runs the checks that need no login
//! (`init --verify`, non-interactive `init`). Both speak through [`http::Http`] (one
//! no-redirect reqwest client) and report [`crate::report::Check`]s with the ids in
//! [`checks`].

pub mod pages;

pub mod http;
pub mod signature;
pub mod tokens;
