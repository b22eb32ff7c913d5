//! The one integration-test binary (ripgrep style): each module tests one area against the
//! built binary and real parts (PTY, Secret Service, loopback servers).
