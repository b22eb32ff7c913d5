//! The OAuth 2.0 protocol as Salesforce speaks it — requests and their answers, no verdicts
//! (those are [`crate::proof`]'s) and no recipe:
//! [`discovery`] of the endpoints, the [`client`] and its token requests (code exchange,
//! refresh), [`authorize`] probes, [`revoke`], [`userinfo`], the token response
//! [`signature`], and receiving the code ([`callback`]). Every request goes through
//! [`crate::net::Http`].

pub mod authorize;
pub mod callback;
pub mod client;
pub mod discovery;
pub mod revoke;
pub mod signature;
pub mod userinfo;

#[cfg(test)]
mod discovery_props;
