//! Being wired.
fn main() {}
