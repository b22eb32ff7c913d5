//! Table tests for login-host parsing and classification.

use super::*;

/// Ok rows: (input, policy, expected origin, expected kind).
#[test]
fn accepted_org_inputs_normalise_to_the_login_host() {
    use HostKind::*;
    use HostPolicy::*;
    let table = [
        (
            "production",
            Strict,
            "https://login.salesforce.com",
            Production,
        ),
        ("Prod", Strict, "https://login.salesforce.com", Production),
        (
            " login ",
            Strict,
            "https://login.salesforce.com",
            Production,
        ),
        ("sandbox", Strict, "https://test.salesforce.com", Sandbox),
        ("TEST", Strict, "https://test.salesforce.com", Sandbox),
        (
            "acme.my.salesforce.com",
            Strict,
            "https://acme.my.salesforce.com",
            MyDomain,
        ),
        (
            "https://ACME.My.Salesforce.COM",
            Strict,
            "https://acme.my.salesforce.com",
            MyDomain,
        ),
        (
            "https://acme.my.salesforce.com/lightning/page?x=1#f",
            Strict,
            "https://acme.my.salesforce.com",
            MyDomain,
        ),
        (
            "https://acme.my.salesforce.com:443/",
            Strict,
            "https://acme.my.salesforce.com",
            MyDomain,
        ),
        (
            "https://acme.my.salesforce.com./",
            Strict,
            "https://acme.my.salesforce.com",
            MyDomain,
        ),
        (
            "acme-lightning.my.salesforce.com",
            Strict,
            "https://acme-lightning.my.salesforce.com",
            MyDomain,
        ),
        (
            "acme-dev-ed.develop.my.salesforce.com",
            Strict,
            "https://acme-dev-ed.develop.my.salesforce.com",
            MyDomain,
        ),
        (
            "acme--uat.sandbox.my.salesforce.com",
            Strict,
            "https://acme--uat.sandbox.my.salesforce.com",
            SandboxMyDomain,
        ),
        (
            "acme.my.site.com",
            Strict,
            "https://acme.my.site.com",
            ExperienceCloud,
        ),
        (
            "acme.my.salesforce.mil",
            Strict,
            "https://acme.my.salesforce.mil",
            GovernmentCloud,
        ),
        (
            "acme.my.sfcrmproducts.cn",
            Strict,
            "https://acme.my.sfcrmproducts.cn",
            China,
        ),
        (
            "https://idp.example.org:8443/x",
            AllowCustom,
            "https://idp.example.org:8443",
            Custom,
        ),
        (
            "http://127.0.0.1:9000",
            AllowCustom,
            "http://127.0.0.1:9000",
            Custom,
        ),
        (
            "http://localhost:9000/",
            AllowCustom,
            "http://localhost:9000",
            Custom,
        ),
        (
            "http://[::1]:9000",
            AllowCustom,
            "http://[::1]:9000",
            Custom,
        ),
        (
            "sandbox",
            AllowCustom,
            "https://test.salesforce.com",
            Sandbox,
        ),
    ];
    for (input, policy, origin, kind) in table {
        let got =
            parse_login_url(input, policy).unwrap_or_else(|p| panic!("{input:?} refused: {p}"));
        assert_eq!(
            (got.origin().as_str(), got.kind),
            (origin, kind),
            "{input:?}"
        );
        assert_eq!(got.is_genuine_salesforce(), kind != Custom, "{input:?}");
    }
}

/// Refused rows: (input, policy, text the message must contain, text the fix must contain).
#[test]
fn refused_org_inputs_name_the_mistake_and_the_exact_fix() {
    use HostPolicy::*;
    let table = [
        ("", Strict, "No org", "My Domain"),
        (
            "\"https://acme.my.salesforce.com\"",
            Strict,
            "in quotes",
            "remove the quotes: https://acme.my.salesforce.com",
        ),
        (
            "acme.my.salesforc.com",
            Strict,
            "did you mean acme.my.salesforce.com?",
            "use https://acme.my.salesforce.com",
        ),
        (
            "https://acme--uat.sandbox.my.salesfroce.com",
            Strict,
            "did you mean acme--uat.sandbox.my.salesforce.com?",
            "use https://acme--uat.sandbox.my.salesforce.com",
        ),
        (
            "logn.salesforce.com",
            Strict,
            "did you mean login.salesforce.com?",
            "use https://login.salesforce.com",
        ),
        (
            "http://acme.my.salesforce.com",
            Strict,
            "only serves OAuth over https",
            "use https://acme.my.salesforce.com",
        ),
        (
            "http://login.salesforce.com",
            AllowCustom,
            "only serves OAuth over https",
            "use https://login.salesforce.com",
        ),
        (
            "https://acme.lightning.force.com/lightning/page/home",
            Strict,
            "Lightning UI host",
            "use https://acme.my.salesforce.com instead",
        ),
        (
            "acme--sbx.sandbox.lightning.force.com",
            Strict,
            "Lightning UI host",
            "use https://acme--sbx.sandbox.my.salesforce.com instead",
        ),
        (
            "acme.lightning.crmforce.mil",
            Strict,
            "Lightning UI host",
            "use https://acme.my.salesforce.mil instead",
        ),
        (
            "acme.lightning.force.com",
            AllowCustom,
            "Lightning UI host",
            "use https://acme.my.salesforce.com instead",
        ),
        (
            "my.salesforce.com.evil.io",
            Strict,
            "looks like Salesforce",
            "--allow-custom-host",
        ),
        (
            "evilsalesforce.com",
            Strict,
            "looks like Salesforce",
            "My Domain",
        ),
        (
            "salesforce.com",
            Strict,
            "Salesforce's website",
            "My Domain",
        ),
        (
            "www.salesforce.com",
            Strict,
            "Salesforce's website",
            "My Domain",
        ),
        (
            "example.org",
            Strict,
            "not a Salesforce login host",
            "--allow-custom-host",
        ),
        (
            "https://acme.my.salesforce.com:8443",
            Strict,
            "port 8443",
            "use https://acme.my.salesforce.com",
        ),
        (
            "https://acme.my.salesforce.com:8443",
            AllowCustom,
            "port 8443",
            "use https://acme.my.salesforce.com",
        ),
        (
            "https://admin:pw@acme.my.salesforce.com",
            Strict,
            "user name or password",
            "only the host",
        ),
        (
            "ftp://acme.my.salesforce.com",
            Strict,
            "scheme ftp",
            "My Domain",
        ),
        (
            "http://idp.example.org",
            AllowCustom,
            "only for a loopback",
            "use https://idp.example.org",
        ),
        ("https://", Strict, "not a URL", "My Domain"),
        ("acme my.salesforce.com", Strict, "not a URL", "My Domain"),
    ];
    for (input, policy, message, fix) in table {
        let p = parse_login_url(input, policy).expect_err(input);
        assert!(
            p.message.contains(message),
            "{input:?}: message {:?} lacks {message:?}",
            p.message
        );
        assert!(
            p.fix.contains(fix),
            "{input:?}: fix {:?} lacks {fix:?}",
            p.fix
        );
    }
}

#[test]
fn classification_is_an_exact_match_on_the_host_end() {
    use HostKind::*;
    let table: &[(&str, Option<HostKind>)] = &[
        ("login.salesforce.com", Some(Production)),
        ("LOGIN.SALESFORCE.COM", Some(Production)),
        ("login.salesforce.com.", Some(Production)),
        ("test.salesforce.com", Some(Sandbox)),
        ("acme.my.salesforce.com", Some(MyDomain)),
        ("acme.scratch.my.salesforce.com", Some(MyDomain)),
        ("acme--dev.sandbox.my.salesforce.com", Some(SandboxMyDomain)),
        ("acme.my.site.com", Some(ExperienceCloud)),
        ("my.salesforce.com", None),
        ("salesforce.com", None),
        ("evilsalesforce.com", None),
        ("my.salesforce.com.evil.io", None),
        ("acme.my.salesforce.com.evil.io", None),
        ("evilmy.salesforce.com", None),
        ("a.b.my.salesforce.com", None),
        ("x.salesforce.com", None),
        ("-acme.my.salesforce.com", None),
        ("ac_me.my.salesforce.com", None),
        ("acme..my.salesforce.com", None),
        ("acme.lightning.force.com", None),
        ("", None),
    ];
    for (host, kind) in table {
        assert_eq!(classify_host(host), *kind, "{host:?}");
        assert_eq!(is_genuine_salesforce_host(host), kind.is_some(), "{host:?}");
    }
}

#[test]
fn loopback_means_localhost_127_slash_8_or_ipv6_one() {
    let table = [
        ("localhost", true),
        ("LocalHost", true),
        ("127.0.0.1", true),
        ("127.8.9.10", true),
        ("::1", true),
        ("[::1]", true),
        ("128.0.0.1", false),
        ("localhost.evil.io", false),
        ("evil-localhost", false),
        ("0.0.0.0", false),
        ("", false),
    ];
    for (host, loopback) in table {
        assert_eq!(is_loopback_host(host), loopback, "{host:?}");
    }
}

/// Either half of the look-alike rule is enough: "salesforce" anywhere, or "force.com"
/// anywhere (the only survivor of scripts/mutants on this file).
#[test]
fn a_host_with_salesforce_or_force_com_in_it_is_called_a_look_alike() {
    for host in ["salesforce-login.example.com", "acme.force.com"] {
        let p = parse_login_url(&format!("https://{host}"), HostPolicy::Strict).unwrap_err();
        assert!(
            p.message.contains("looks like Salesforce"),
            "{host}: {}",
            p.message
        );
    }
    let p = parse_login_url("https://example.com", HostPolicy::Strict).unwrap_err();
    assert!(
        !p.message.contains("looks like Salesforce"),
        "{}",
        p.message
    );
}
