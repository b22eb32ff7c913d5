//! Properties of discovery, for any document a login host serves (tested through
//! [`discover`] against a loopback server: the document type is private to its module).
//! Discovery never fails on a bad document (it falls back to the documented paths) except
//! when a custom host's document names another origin (refused, `endpoint_refused`); a
//! document it uses names only URLs the host rule allows, on the custom host's own origin;
//! each warning is said once, prints nothing hidden and never quotes a URL's query (it may
//! carry a code or state).

use std::sync::{Arc, Mutex};

use proptest::prelude::*;
use proptest::test_runner::TestRunner;
use serde_json::{json, Map, Value};
use url::Url;

use super::discover;
use crate::error::ErrorCode;
use crate::net::Http;
use crate::prop_input::outside_text;
use crate::salesforce::endpoints::{check_destination, documented, EndpointSource};
use crate::salesforce::hosts::{HostKind, LoginHost};
use crate::text::is_hidden;

const FIELDS: &[&str] = &[
    "issuer",
    "authorization_endpoint",
    "token_endpoint",
    "revocation_endpoint",
    "userinfo_endpoint",
    "introspection_endpoint",
];

/// A loopback "login host" answering every request with 200 and the current body.
async fn serving(body: Arc<Mutex<String>>) -> LoginHost {
    let app = axum::Router::new().fallback(move || {
        let body = body.lock().unwrap().clone();
        async move { ([("content-type", "application/json")], body) }
    });
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    tokio::spawn(async move { axum::serve(listener, app).await });
    LoginHost {
        base: Url::parse(&format!("http://{addr}/")).unwrap(),
        kind: HostKind::Custom,
    }
}

/// A value for one field: on the login host itself, elsewhere (https, plain http,
/// another scheme, with credentials, genuine Salesforce), with a query, or not a URL.
fn field_value(base: String) -> impl Strategy<Value = Value> {
    let url = (
        prop_oneof![
            Just(base),
            Just("https://idp.example.com/".to_string()),
            Just("http://collector.example.net/".to_string()),
            Just("https://acme.my.salesforce.com/".to_string()),
            Just("https://user@idp.example.com/".to_string()),
            Just("ftp://idp.example.com/".to_string()),
            Just("http://[::1]:9/".to_string()),
        ],
        "[a-z/]{0,12}",
        proptest::option::of("code=[A-Za-z0-9]{8,16}&state=[a-z]{4}"),
    )
        .prop_map(|(origin, path, query)| {
            let q = query.map(|q| format!("?{q}")).unwrap_or_default();
            json!(format!("{origin}{path}{q}"))
        });
    prop_oneof![
        6 => url,
        2 => outside_text().prop_map(Value::from),
        1 => any::<i64>().prop_map(Value::from),
        1 => Just(Value::Null),
    ]
}

fn document(base: String) -> impl Strategy<Value = String> {
    let doc =
        proptest::collection::vec((proptest::sample::select(FIELDS), field_value(base)), 0..8)
            .prop_map(|pairs| {
                Value::Object(
                    pairs
                        .into_iter()
                        .map(|(k, v)| (k.to_string(), v))
                        .collect::<Map<_, _>>(),
                )
                .to_string()
            });
    prop_oneof![4 => doc, 1 => outside_text()]
}

#[test]
fn any_document_gives_allowed_endpoints_or_the_documented_ones() {
    let rt = tokio::runtime::Runtime::new().unwrap();
    let body = Arc::new(Mutex::new(String::new()));
    let login = rt.block_on(serving(Arc::clone(&body)));
    let http = Http::new().unwrap();
    let mut runner = TestRunner::new(crate::prop_input::config(256));
    let result = runner.run(&document(login.base.to_string()), |doc| {
        *body.lock().unwrap() = doc.clone();
        let d = match rt.block_on(discover(&http, &login, true)) {
            Ok(d) => d,
            Err(e) => {
                prop_assert_eq!(e.code, ErrorCode::EndpointRefused, "{}", e.message);
                return Ok(());
            }
        };
        let e = &d.endpoints;
        match &d.fallback {
            None => {
                prop_assert_eq!(e.source, EndpointSource::Discovery);
                for url in [&e.authorize, &e.token, &e.revoke, &e.userinfo]
                    .into_iter()
                    .chain(e.introspect.as_ref())
                {
                    prop_assert!(check_destination(url, true).is_ok(), "{} from {}", url, doc);
                    prop_assert_eq!(url.origin(), login.base.origin(), "{} from {}", url, doc);
                }
            }
            Some(_) => prop_assert_eq!(e, &documented(&login)),
        }
        for (i, w) in d.warnings.iter().enumerate() {
            prop_assert!(!d.warnings[..i].contains(w), "said twice: {}", w);
            prop_assert!(!w.chars().any(is_hidden), "{:?}", w);
            // A host cannot hold '?': "?query" in a warning is the query leaking.
            let parsed: Value = serde_json::from_str(&doc).unwrap_or_default();
            for v in parsed.as_object().into_iter().flat_map(|o| o.values()) {
                let query = v
                    .as_str()
                    .and_then(|s| Url::parse(s).ok())
                    .and_then(|u| u.query().map(str::to_owned));
                if let Some(q) = query {
                    prop_assert!(
                        !w.contains(&format!("?{q}")),
                        "{} quotes the query of {}",
                        w,
                        v
                    );
                }
            }
        }
        Ok(())
    });
    if let Err(e) = result {
        panic!("{e}");
    }
}

/// Several endpoints on the same custom host give its warning once: the person reads one
/// sentence per host, not one per endpoint.
#[tokio::test]
async fn a_warning_about_a_host_is_given_once_however_many_endpoints_it_serves() {
    let body = Arc::new(Mutex::new(String::new()));
    let login = serving(Arc::clone(&body)).await;
    let http = Http::new().unwrap();
    let on_login = |path: &str| login.base.join(path).unwrap().to_string();
    *body.lock().unwrap() = json!({
        "authorization_endpoint": on_login("a"),
        "token_endpoint": on_login("t"),
        "revocation_endpoint": on_login("r"),
        "userinfo_endpoint": on_login("u"),
        "introspection_endpoint": on_login("i"),
    })
    .to_string();
    let same_host = discover(&http, &login, true).await.unwrap();
    assert!(same_host.fallback.is_none(), "{:?}", same_host.fallback);
    assert_eq!(same_host.warnings.len(), 1, "{:?}", same_host.warnings);

    // Another host is never a second warning: a custom host vouches only for itself.
    *body.lock().unwrap() = json!({
        "authorization_endpoint": "https://idp.example.com/a",
        "token_endpoint": "https://idp.example.com/t",
        "revocation_endpoint": on_login("r"),
    })
    .to_string();
    let two_hosts = discover(&http, &login, true).await.unwrap_err();
    assert_eq!(two_hosts.code, ErrorCode::EndpointRefused);
}
