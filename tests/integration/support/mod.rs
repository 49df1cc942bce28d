//! Shared test machinery: the emulator, seeding, assertions.

pub mod estate;
pub mod fault_proxy;
pub mod moto;
pub mod pricing;
pub mod seed;
