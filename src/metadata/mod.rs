//! The External Client App as Salesforce metadata, both ways.
//!
//! - Out: [`source::emit`] turns an [`EcaSpec`] into Salesforce DX source (the app, its
//!   OAuth settings and global OAuth settings, `package.xml`), deterministic bytes written
//!   with quick-xml; [`write::write_app_metadata`] puts them in a folder and
//!   [`write::deploy_instructions`] says how to deploy them.
//! - Back: [`soap`] builds `listMetadata`/`readMetadata` envelopes and parses their answers
//!   and faults, [`readback`] plans the calls and keeps the app's records, [`client`] sends
//!   them through [`crate::net::Http`], and [`compare()`] judges Salesforce's record
//!   against the recipe and the admin's answers, one [`compare::Finding`] per setting.
//!
//! Names of types, folders and fields come from [`crate::recipe::metadata`].

pub mod client;
pub mod compare;
pub mod readback;
pub mod soap;
pub mod source;
pub mod spec;
pub mod write;
pub mod xml;

pub use compare::{compare, Finding, FindingStatus, MetadataCheck};
pub use readback::{Component, ReadBack};
pub use spec::EcaSpec;
pub use write::{
    deploy_instructions, write_app_metadata, DeployInstructions, WriteError, WrittenFiles,
};
