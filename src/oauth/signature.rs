//! Verifying Salesforce's token-response `signature`: standard Base64 of
//! HMAC-SHA256(key = consumer secret, message = `id` + `issued_at`). A match proves the
//! stored secret is exactly the app's secret (a truncated copy fails) without another
//! request. The comparison is constant-time (hmac's `verify_slice`).

use base64::engine::general_purpose::{STANDARD, STANDARD_NO_PAD};
use base64::Engine as _;
use hmac::{Hmac, Mac};
use secrecy::{ExposeSecret, SecretString};
use sha2::Sha256;

/// What the signature says about the stored secret.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum SignatureVerdict {
    /// Computed with exactly the stored secret.
    Match,
    /// Computed with a different secret: the stored one is wrong (often truncated).
    Mismatch,
    /// The response had no `signature`, `id` or `issued_at`: not a Salesforce server.
    Absent,
    /// `signature` is not Base64 of a 32-byte value.
    Malformed,
}

pub fn verify(
    secret: &SecretString,
    id: Option<&str>,
    issued_at: Option<&str>,
    signature: Option<&str>,
) -> SignatureVerdict {
    let (Some(id), Some(issued_at), Some(signature)) = (id, issued_at, signature) else {
        return SignatureVerdict::Absent;
    };
    let signature = signature.trim();
    let Ok(expected) = STANDARD
        .decode(signature)
        .or_else(|_| STANDARD_NO_PAD.decode(signature))
    else {
        return SignatureVerdict::Malformed;
    };
    if expected.len() != 32 {
        return SignatureVerdict::Malformed;
    }
    let Some(mac) = keyed(secret.expose_secret(), id, issued_at) else {
        return SignatureVerdict::Malformed;
    };
    match mac.verify_slice(&expected) {
        Ok(()) => SignatureVerdict::Match,
        Err(_) => SignatureVerdict::Mismatch,
    }
}

/// The HMAC over `id` + `issued_at`, keyed with the secret's UTF-8 bytes (Salesforce
/// secrets are ASCII hex/alphanumerics). The one place the computation is written.
fn keyed(secret: &str, id: &str, issued_at: &str) -> Option<Hmac<Sha256>> {
    // HMAC accepts keys of any length, so this never fails in practice.
    let mut mac = Hmac::<Sha256>::new_from_slice(secret.as_bytes()).ok()?;
    mac.update(id.as_bytes());
    mac.update(issued_at.as_bytes());
    Some(mac)
}

/// The `signature` Salesforce sends for this secret, `id` and `issued_at`: standard, padded
/// Base64 of the HMAC. What the simulator signs with and what [`verify`] checks against.
pub fn expected_signature(secret: &str, id: &str, issued_at: &str) -> String {
    keyed(secret, id, issued_at)
        .map(|mac| STANDARD.encode(mac.finalize().into_bytes()))
        .unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    const ID: &str = "https://login.salesforce.com/id/00D000000000001/005000000000001";
    const AT: &str = "1700000000000";

    #[test]
    fn the_exact_secret_matches_and_a_truncated_one_does_not() {
        let secret = "A1B2C3D4E5F60718293A4B5C6D7E8F90A1B2C3D4E5F60718293A4B5C6D7E8F9";
        let sig = expected_signature(secret, ID, AT);
        let ok = verify(&SecretString::from(secret), Some(ID), Some(AT), Some(&sig));
        assert_eq!(ok, SignatureVerdict::Match);
        let truncated = &secret[..secret.len() - 1];
        let bad = verify(
            &SecretString::from(truncated),
            Some(ID),
            Some(AT),
            Some(&sig),
        );
        assert_eq!(bad, SignatureVerdict::Mismatch);
    }

    #[test]
    fn the_signature_is_padded_standard_base64_of_a_sha256_hmac() {
        let s = expected_signature("secret", "https://x/id/00D/005", "1700000000000");
        assert_eq!(s.len(), 44);
        assert!(s.ends_with('='));
        assert_ne!(
            s,
            expected_signature("other", "https://x/id/00D/005", "1700000000000")
        );
    }

    #[test]
    fn a_known_vector_matches() {
        // RFC 4231 test case 2: key "Jefe", data "what do ya want for nothing?".
        let sig = expected_signature("Jefe", "what do ya want ", "for nothing?");
        assert_eq!(
            sig,
            STANDARD.encode(hex(
                "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843"
            ))
        );
    }

    #[test]
    fn missing_fields_are_absent_and_garbage_is_malformed() {
        let s = SecretString::from("x");
        assert_eq!(
            verify(&s, Some(ID), None, Some("abc=")),
            SignatureVerdict::Absent
        );
        assert_eq!(
            verify(&s, Some(ID), Some(AT), None),
            SignatureVerdict::Absent
        );
        assert_eq!(
            verify(&s, Some(ID), Some(AT), Some("not base64 !!")),
            SignatureVerdict::Malformed
        );
        assert_eq!(
            verify(&s, Some(ID), Some(AT), Some("c2hvcnQ=")),
            SignatureVerdict::Malformed
        );
    }

    fn hex(s: &str) -> Vec<u8> {
        (0..s.len())
            .step_by(2)
            .map(|i| u8::from_str_radix(&s[i..i + 2], 16).unwrap())
            .collect()
    }
}
