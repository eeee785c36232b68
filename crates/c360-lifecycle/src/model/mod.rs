//! The customer-base models and everything they need, from transaction log
//! to lifetime value.

pub mod bgnbd;
pub mod cdnow;
pub mod clv;
pub mod gamma_gamma;
pub mod optimize;
pub mod report;
pub mod rows;
pub mod special;
pub mod summary;

#[cfg(test)]
mod cdnow_reference;
#[cfg(test)]
pub(crate) mod simulate;
