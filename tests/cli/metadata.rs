//! The read-back of the app from the simulated org's Metadata API: our SOAP client against
//! the simulator for every misconfiguration knob (readback), the raw SOAP shapes and faults
//! (soap), and jsforce, a Salesforce client nobody here wrote, reading the same app
//! (jsforce), the emitted app resolved by Salesforce's source engine (source), and the
//! script that installs both (script). Every org runs on 127.0.0.1
//! and is started by its test.

mod jsforce;
mod readback;
mod script;
mod soap;
mod source;

use secrecy::SecretString;
use sf_webex_setup::metadata::EcaSpec;
use sf_webex_setup::simulator::SimConfig;

use crate::simulator::{org, Org};

/// A Webex-ready org changed by `change`, and a live access token from a real sign-in.
pub async fn signed_in(change: impl FnOnce(&mut SimConfig)) -> (Org, SecretString) {
    let org = org(change).await;
    let tokens = org.tokens().await;
    let access = tokens["access_token"]
        .as_str()
        .expect("an access token")
        .to_owned();
    (org, SecretString::from(access))
}

/// What the admin answered for the simulated app: the recipe, with the test's loopback line.
pub fn answers(org: &Org) -> EcaSpec {
    let m = &org.sim.config().metadata;
    let mut spec = EcaSpec::webex(
        &m.api_name,
        &m.contact_email,
        std::slice::from_ref(&org.loopback),
    );
    spec.label = m.label.clone();
    spec
}
