//! Shared test machinery: the emulator, seeding, assertions.
pub mod fault_proxy;
