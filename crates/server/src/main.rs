//! `riskroom-server`: parse the configuration, start logging, serve.

use clap::Parser;
use riskroom_server::config::Cli;

/// mimalloc: the server allocates and frees a little for every message it
/// sends, from every worker thread at once (BENCHMARKS.md, "Server load").
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    let cli = Cli::parse();
    tracing_subscriber::fmt()
        .with_env_filter(
            tracing_subscriber::EnvFilter::try_from_default_env()
                .unwrap_or_else(|_| "riskroom_server=info,tower_http=warn".into()),
        )
        .with_writer(std::io::stderr)
        .init();
    riskroom_server::run(cli).await
}
