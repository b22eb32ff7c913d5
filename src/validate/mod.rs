//! Pure validators over the Webex recipe: each takes what the admin typed and returns the
//! normalised value or a [`Problem`] saying specifically what is wrong and how to fix it.
//! Every free-text answer first passes [`bounded`] (in [`crate::problem`], which the host
//! rules below this layer use too): a length bound and no hidden
//! characters, so nothing typed reaches the network, the terminal or `--json` unbounded or
//! able to move the cursor.

pub mod app_fields;
pub mod callback;
pub mod credentials;
pub mod oauth_settings;

pub use crate::problem::{bounded, Problem};
