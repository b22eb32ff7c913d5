//! The `--json` envelope as the tests read it: one line, deserialised into these types
//! (unknown fields refused), with `status` and `error` agreeing.

use serde::{Deserialize, Serialize};
use serde_json::Value;

#[derive(Debug, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Envelope {
    pub status: String,
    pub result: Option<Value>,
    pub warnings: Vec<String>,
    pub error: Option<ErrorBody>,
}

#[derive(Debug, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct ErrorBody {
    pub code: String,
    pub exit_code: u8,
    pub message: String,
    pub fix: Option<String>,
}

impl Envelope {
    /// The envelope on `stdout`: exactly one line, exactly the documented shape.
    pub fn parse(stdout: &[u8]) -> Envelope {
        let text = std::str::from_utf8(stdout).expect("utf-8 stdout");
        assert_eq!(
            text.lines().count(),
            1,
            "--json prints exactly one line: {text}"
        );
        let env: Envelope = serde_json::from_str(text)
            .unwrap_or_else(|e| panic!("stdout is not the JSON envelope ({e}): {text}"));
        let expected = if env.error.is_some() { "error" } else { "ok" };
        assert_eq!(env.status, expected, "status and error disagree: {text}");
        env
    }

    /// The whole envelope as a value, for `env["result"]["checks"]`-style assertions.
    pub fn value(&self) -> Value {
        serde_json::to_value(self).expect("serialises")
    }
}
