//! Generates the subscription contract into `OUT_DIR`, the way a service would.

fn main() -> Result<(), Box<dyn std::error::Error>> {
    solo60_gen::Config::new()
        .schemas_dir("../../schemas")
        .service("subscription")
        .compile()?;
    Ok(())
}
