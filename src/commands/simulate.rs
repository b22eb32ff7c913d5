//! `simulate` (hidden): the simulated org on its own, for trying the tool by hand or
//! benchmarking. Prints the base URL on stdout, serves until Ctrl-C.

use std::io::Write;
use std::net::{Ipv4Addr, SocketAddr};

use serde_json::json;

use crate::app::{self, CommandResult};
use crate::error::AppError;
use crate::recipe;
use crate::simulator::{SimConfig, Simulator};

pub fn run(port: u16, json: bool) -> CommandResult {
    let rt = app::runtime()?;
    rt.block_on(async {
        let config = SimConfig::webex_ready(&[recipe::loopback_callback_url(recipe::DEFAULT_LOOPBACK_PORT)]);
        let addr = SocketAddr::from((Ipv4Addr::LOCALHOST, port));
        let sim = Simulator::start_on(config, addr)
            .await
            .map_err(|e| AppError::usage("port_busy", format!("Could not listen on {addr}: {e}")).with_fix("pick another --port, or 0 for any"))?;
        let base = sim.base_url();
        eprintln!(
            "Simulated org at {base} with an app configured per the Webex recipe.\n  Consumer key: {}\n  Consumer secret: on {base}demo/consumer\n  Ctrl-C stops it.",
            sim.config().consumer_key
        );
        if !json {
            println!("{base}");
            let _ = std::io::stdout().flush();
        }
        let _ = tokio::signal::ctrl_c().await;
        sim.stop().await;
        Ok(json!({ "base_url": base.as_str() }))
    })
}
