//! Salesforce facts: login hosts (which hosts are genuine, how an org URL normalises) and
//! the OAuth endpoints on them.

pub mod endpoints;
pub mod hosts;
