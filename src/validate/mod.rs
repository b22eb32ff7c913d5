//! Pure validators over the Webex recipe: each takes what the admin typed and returns the
//! normalised value or a [`Problem`] saying specifically what is wrong and how to fix it.

pub mod app_fields;
pub mod callback;
pub mod credentials;
pub mod oauth_settings;

pub use crate::problem::Problem;
