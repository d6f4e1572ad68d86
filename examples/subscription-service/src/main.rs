//! `cargo run -p subscription-service`: serves the subscription contract on
//! `SUBSCRIPTION_ADDR` (default 127.0.0.1:8082), accepting `SERVICE_API_KEY`.

use solo60_runtime::server::{serve, shutdown_signal, ServerConfig, ServiceAuth};
use subscription_service::Subscriptions;

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let address =
        std::env::var("SUBSCRIPTION_ADDR").unwrap_or_else(|_| "127.0.0.1:8082".to_owned());
    let auth = ServiceAuth::from_env()?;
    let config = ServerConfig::default();
    let app = subscription_api::server::router_with_config(
        Subscriptions::default(),
        auth,
        config.clone(),
    );
    let listener = tokio::net::TcpListener::bind(&address).await?;
    eprintln!("subscription service listening on {address}");
    // Connection limits and timeouts from `config`; SIGTERM or Ctrl-C drains and exits.
    serve(listener, app, &config, shutdown_signal()).await?;
    Ok(())
}
