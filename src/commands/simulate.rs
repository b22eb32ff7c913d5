//! `simulate` (hidden): the simulated org on its own, for trying the tool by hand or
//! benchmarking. Prints the base URL on stdout, serves until Ctrl-C (which `main` turns
//! into the stop).

use std::net::{Ipv4Addr, SocketAddr};

use super::{CommandResult, Context};
use crate::cancel;
use crate::error::{AppError, ErrorCode};
use crate::recipe;
use crate::simulator::{SimConfig, Simulator};

pub fn run(ctx: &Context, port: u16, latency: std::time::Duration) -> CommandResult {
    let rt = ctx.runtime()?;
    rt.block_on(async {
        let mut config = SimConfig::webex_ready(&[recipe::loopback_callback_url(
            recipe::DEFAULT_LOOPBACK_PORT,
        )]);
        config.latency = latency;
        let addr = SocketAddr::from((Ipv4Addr::LOCALHOST, port));
        let sim = Simulator::start_on(config, addr).await.map_err(|e| {
            AppError::new(ErrorCode::PortBusy, format!("Could not listen on {addr}."))
                .with_fix("pick another --port, or 0 for any")
                .with_source(e)
        })?;
        let base = sim.base_url();
        ctx.printer.status(&format!(
            "Simulated org at {base} with an app configured per the Webex recipe.\n  Consumer key: {}\n  Consumer secret: on {base}demo/consumer\n  Ctrl-C stops it.",
            sim.config().consumer_key
        ));
        ctx.printer.result(base.as_str());
        cancel::set_message("Stopped the simulated org.");
        std::future::pending::<()>().await;
        sim.stop().await;
        Ok(serde_json::json!({ "base_url": base.as_str() }))
    })
}
