//! The c360 v1 gRPC contract: code generated from `proto/c360/v1/` and the
//! encoded descriptor set that server reflection serves. Nothing else lives
//! here. `tonic` and `prost` are re-exported so the workspace uses one version.

pub use prost;
pub use prost_types;
pub use tonic;

/// Package `c360.v1`.
pub mod v1 {
    #![allow(clippy::all, clippy::pedantic, missing_docs)]
    tonic::include_proto!("c360.v1");
}

/// The encoded `FileDescriptorSet` of every c360 v1 file, for reflection.
pub const FILE_DESCRIPTOR_SET: &[u8] = tonic::include_file_descriptor_set!("c360_v1_descriptor");
