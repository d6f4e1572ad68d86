//! Generates one module per focused schema into `OUT_DIR`, through the same library call
//! as `solo60-gen types`.

use std::error::Error;
use std::fs;
use std::path::Path;

fn main() -> Result<(), Box<dyn Error>> {
    println!("cargo:rerun-if-changed=roots.txt");
    println!("cargo:rerun-if-changed=schemas");
    let out_dir = std::env::var("OUT_DIR")?;
    for line in fs::read_to_string("roots.txt")?.lines() {
        let mut parts = line.split_whitespace();
        let (Some(file), Some(root)) = (parts.next(), parts.next()) else {
            continue;
        };
        if file.starts_with('#') {
            continue;
        }
        let schema = Path::new("schemas").join(file);
        println!("cargo:rerun-if-changed={}", schema.display());
        let config = solo60_gen::TypesConfig {
            root_name: root.to_owned(),
            ..Default::default()
        };
        let module = solo60_gen::types_module(&schema, &config)?;
        let name = file.trim_end_matches(".json");
        fs::write(Path::new(&out_dir).join(format!("{name}.rs")), module)?;
    }
    Ok(())
}
