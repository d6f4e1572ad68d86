//! `cargo run -p session-service`: serves the session contract on `SESSION_ADDR` (default
//! 127.0.0.1:8083). Calls subscription at `SUBSCRIPTION_API_URL` and communication at
//! `COMMUNICATION_API_URL` as `SERVICE_NAME`, with `SERVICE_API_KEY` for both ways.

use communication_api::client::CommunicationServiceClient;
use session_service::Sessions;
use solo60_runtime::server::{serve, shutdown_signal, ServerConfig, ServiceAuth};
use subscription_api::client::SubscriptionServiceClient;

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let address = std::env::var("SESSION_ADDR").unwrap_or_else(|_| "127.0.0.1:8083".to_owned());
    let sessions = Sessions::new(
        SubscriptionServiceClient::from_env()?,
        CommunicationServiceClient::from_env()?,
    );
    let config = ServerConfig::default();
    let app =
        session_api::server::router_with_config(sessions, ServiceAuth::from_env()?, config.clone());
    let listener = tokio::net::TcpListener::bind(&address).await?;
    eprintln!("session service listening on {address}");
    // Connection limits and timeouts from `config`; SIGTERM or Ctrl-C drains and exits.
    serve(listener, app, &config, shutdown_signal()).await?;
    Ok(())
}
