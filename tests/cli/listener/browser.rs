//! `$BROWSER`: the configured command gets the exact URL and is not waited for.

use std::io::Write as _;
use std::time::{Duration, Instant};

use sf_webex_setup::browser::{browser_var_usable, open_with_browser_var};

#[test]
fn the_browser_var_command_gets_the_exact_url_and_is_not_waited_for() {
    let dir = tempfile::tempdir().expect("tempdir");
    let out = dir.path().join("opened");
    let script = dir.path().join("fake-browser");
    {
        let mut f = std::fs::File::create(&script).expect("script");
        // Writes its argument, then lingers: `open` must return without waiting for it.
        writeln!(
            f,
            "#!/bin/sh\nprintf '%s' \"$1\" > '{0}.tmp' && mv '{0}.tmp' '{0}'\nexec sleep 5",
            out.display()
        )
        .expect("write script");
    }
    std::fs::set_permissions(&script, std::os::unix::fs::PermissionsExt::from_mode(0o755))
        .expect("chmod");
    let authorize = "https://login.salesforce.com/services/oauth2/authorize?response_type=code\
&client_id=3MVG9x%3D&redirect_uri=http%3A%2F%2Flocalhost%3A1717%2FOauthRedirect&state=a'b";
    // The value is passed in: setting the real $BROWSER would race with every other test
    // thread reading the environment, and leak into their child processes.
    let var = script.display().to_string();
    let available = browser_var_usable(&var);
    let started = Instant::now();
    let opened = open_with_browser_var(&var, authorize);
    let took = started.elapsed();
    assert!(available, "a $BROWSER that exists counts as available");
    assert_eq!(opened, Ok(()));
    assert!(took < Duration::from_secs(2), "open blocked for {took:?}");
    let deadline = Instant::now() + Duration::from_secs(10);
    let got = loop {
        if let Ok(s) = std::fs::read_to_string(&out) {
            break s;
        }
        assert!(Instant::now() < deadline, "the browser script never ran");
        std::thread::sleep(Duration::from_millis(10)); // poll interval, bounded by the deadline
    };
    assert_eq!(got, authorize);
}
