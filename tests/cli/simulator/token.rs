//! The token endpoint (code and refresh grants), revocation, the five-token limit and
//! what the tokens buy (UserInfo, identity, REST API).
