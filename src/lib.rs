//! sf-webex-setup: a guided, validated setup of the Salesforce External Client App that
//! Webex Control Hub needs, proved with a real OAuth 2.0 authorization-code + PKCE round
//! trip, with the credentials kept in the OS keyring.
//!
//! `main` only parses and exits; [`app::run`] dispatches. Each module owns one job.
#![forbid(unsafe_code)]

pub mod app;
pub mod cancel;
pub mod cli;
pub mod commands;
pub mod error;
pub mod init;
pub mod metadata;
pub mod oauth;
pub mod output;
pub mod prompt;
pub mod recipe;
pub mod report;
pub mod salesforce;
pub mod setup;
pub mod simulator;
pub mod store;
pub mod validate;
pub mod wizard;
