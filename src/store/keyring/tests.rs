use super::*;
use std::time::Instant;

#[test]
fn a_call_that_never_returns_times_out_within_the_bound() {
    let started = Instant::now();
    let (_keep, block) = mpsc::channel::<()>();
    let err = run_bounded(
        StoreKind::SecretService,
        "write the entry",
        Duration::from_millis(100),
        move || {
            // Blocks until the test ends (the sender is held above).
            let _ = block.recv();
        },
    )
    .unwrap_err();
    assert!(matches!(err, StoreError::Timeout { .. }), "{err:?}");
    assert!(started.elapsed() < Duration::from_secs(2));
    assert!(err.to_string().contains("Secret Service"));
}

#[test]
fn a_write_that_timed_out_but_finished_later_is_reported_as_maybe_written() {
    let (release, wait) = mpsc::channel::<()>();
    let (wrote, written) = mpsc::channel::<()>();
    let err = run_bounded(
        StoreKind::SecretService,
        OP_WRITE,
        Duration::from_millis(50),
        move || {
            // The unlock prompt is answered only after the caller gave up.
            let _ = wait.recv();
            let _ = wrote.send(());
        },
    )
    .unwrap_err();
    release.send(()).unwrap();
    written
        .recv_timeout(Duration::from_secs(5))
        .expect("the abandoned worker still finishes its write");
    // The write landed after the timeout: the message must not have said otherwise.
    assert!(err.may_have_changed());
    let shown = err.to_string();
    assert!(
        shown.ends_with(
            "while trying to write the entry; the entry may have been written; run \
             `sf-webex-setup status` to see"
        ),
        "{shown}"
    );
    let read_back = StoreError::Timeout {
        store: StoreKind::Keyutils,
        op: OP_READ_BACK,
        after: Duration::from_secs(1),
    };
    assert!(read_back.to_string().contains("may have been written"));
    let delete = StoreError::Timeout {
        store: StoreKind::Keyutils,
        op: OP_DELETE,
        after: Duration::from_secs(1),
    };
    assert!(delete
        .to_string()
        .contains("may have been deleted; run `sf-webex-setup status`"));
}

#[test]
fn a_read_that_timed_out_keeps_the_plain_message() {
    let err = StoreError::Timeout {
        store: StoreKind::SecretService,
        op: OP_READ,
        after: Duration::from_secs(2),
    };
    assert!(!err.may_have_changed());
    assert_eq!(
        err.to_string(),
        "the Secret Service store did not answer within 2 s while trying to read the entry"
    );
}

#[test]
fn a_panic_in_the_keyring_library_becomes_an_error() {
    let err = run_bounded(
        StoreKind::Keyutils,
        "read the entry",
        Duration::from_secs(5),
        || panic!("poisoned mutex (simulated)"),
    )
    .unwrap_err();
    assert_eq!(err.code().as_str(), "store_failed");
}

#[test]
fn calls_inside_a_tokio_runtime_run_off_the_runtime() {
    let rt = tokio::runtime::Builder::new_current_thread()
        .build()
        .unwrap();
    let on_runtime = rt.block_on(async {
        run_bounded(
            StoreKind::SecretService,
            "probe",
            Duration::from_secs(5),
            || tokio::runtime::Handle::try_current().is_ok(),
        )
    });
    assert!(
        !on_runtime.unwrap(),
        "the worker must not be a runtime thread"
    );
}
