//! Generates the c360 v1 prost/tonic code and a descriptor set for reflection.
//!
//! protoc comes from the `protoc-bin-vendored` crate so that a clean machine
//! needs no system install; a `PROTOC` environment variable overrides it.

use std::path::PathBuf;

fn main() -> Result<(), Box<dyn std::error::Error>> {
    println!("cargo:rerun-if-env-changed=PROTOC");
    println!("cargo:rerun-if-changed=../../proto");

    let protoc = match std::env::var_os("PROTOC") {
        Some(path) => PathBuf::from(path),
        None => protoc_bin_vendored::protoc_bin_path()?,
    };
    let well_known_includes = protoc_bin_vendored::include_path()?;
    let out_dir = PathBuf::from(std::env::var("OUT_DIR")?);

    let mut config = tonic_prost_build::Config::new();
    config.protoc_executable(protoc);

    let protos = [
        "../../proto/c360/v1/common.proto",
        "../../proto/c360/v1/records.proto",
        "../../proto/c360/v1/metrics.proto",
        "../../proto/c360/v1/profile.proto",
        "../../proto/c360/v1/ingest_service.proto",
        "../../proto/c360/v1/profile_service.proto",
        "../../proto/c360/v1/metrics_service.proto",
        "../../proto/c360/v1/steward_service.proto",
    ];
    let includes = [PathBuf::from("../../proto"), well_known_includes];
    tonic_prost_build::configure()
        .file_descriptor_set_path(out_dir.join("c360_v1_descriptor.bin"))
        .compile_with_config(config, &protos.map(PathBuf::from), &includes)?;
    Ok(())
}
